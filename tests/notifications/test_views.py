"""The notification centre, the header badge, read state and the e-mail preference."""

from __future__ import annotations

import os
import subprocess
import sys

from sqlalchemy import create_engine, select, text

from tests.conftest import sign_in
from twinning import ROOT
from twinning.auth.models import EmailNotifications, User
from twinning.notifications.models import Notification
from twinning.notifications.services import notify


def make_user(session, **fields):
    """A user who reads on the site only: notify() then needs no app context to queue mails."""
    from tests.factories import make_user as make

    user = make(session, **fields)
    user.email_notifications = EmailNotifications.NEVER
    session.flush()
    return user


def test_header_badge_and_notification_centre(client, session):
    user = make_user(session)
    notify(session, user, "moderation.decline", link="/a/x/proposals/1", title="Radweg", reason="Doppelt")
    notify(session, user, "moderation.approve", title="Garten")
    sign_in(client, user.email)
    home = client.get("/").get_data(as_text=True)
    assert 'href="/notifications"' in home and '<span class="visually-hidden"> ungelesen</span>' in home
    page = client.get("/notifications").get_data(as_text=True)
    assert "„Radweg“ wurde nicht veröffentlicht. Grund: Doppelt" in page
    assert page.index("Garten") < page.index("Radweg")  # newest first
    assert "2 ungelesene Benachrichtigungen" in page


def test_open_marks_read_and_redirects_to_the_item(client, session):
    user = make_user(session)
    note = notify(session, user, "moderation.approve", link="/a/x/proposals/7", title="T")
    note_id = note.id
    sign_in(client, user.email)
    response = client.post(f"/notifications/{note_id}/open")
    assert response.status_code == 302 and response.headers["Location"].endswith("/a/x/proposals/7")
    assert session.get(Notification, note_id).read_at is not None


def test_mark_one_and_all_read(client, session):
    user = make_user(session)
    first = notify(session, user, "moderation.approve", title="A")
    notify(session, user, "moderation.approve", title="B")
    first_id, user_id = first.id, user.id
    sign_in(client, user.email)
    assert client.post(f"/notifications/{first_id}/read").status_code == 302
    assert client.post("/notifications/read-all").status_code == 302
    unread = session.scalars(
        select(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    ).all()
    assert unread == []
    assert 'class="notification-badge"' not in client.get("/").get_data(as_text=True)


def test_other_peoples_notifications_are_not_there(client, session):
    owner, intruder = make_user(session), make_user(session)
    note_id = notify(session, owner, "moderation.approve", link="/x", title="A").id
    sign_in(client, intruder.email)
    assert client.get(f"/notifications/{note_id}/open").status_code == 404
    assert client.post(f"/notifications/{note_id}/read").status_code == 404
    assert client.post("/notifications/99999999999999999999/read").status_code == 404
    assert session.get(Notification, note_id).read_at is None


def test_visitors_are_sent_to_sign_in_and_bad_pages_are_page_one(client, session):
    assert client.get("/notifications").status_code == 302
    sign_in(client, make_user(session).email)
    for value in ("-1", "abc", "0", "99999999999999999999"):
        assert client.get(f"/notifications?page={value}").status_code == 200


def test_email_preference_on_the_profile(client, session):
    user = make_user(session)
    user_id = user.id
    sign_in(client, user.email)
    profile = client.get("/profile").get_data(as_text=True)
    assert 'name="email_notifications"' in profile and 'action="/notifications/preferences"' in profile
    assert (
        client.post("/notifications/preferences", data={"email_notifications": "digest"}).status_code == 302
    )
    session.expire_all()
    assert session.get(User, user_id).email_notifications == EmailNotifications.DIGEST
    for bad in ("hourly", "", "a\x00b", "x" * 10_000):
        response = client.post("/notifications/preferences", data={"email_notifications": bad})
        assert response.status_code == 400
    assert client.get("/notifications/preferences").status_code == 200


def test_send_digests_command(tmp_path):
    url = f"sqlite:///{tmp_path / 'digest.sqlite'}"
    env = {
        **os.environ,
        "TWINNING_DATABASE_URL": url,
        "TWINNING_SECRET_KEY": "cli-test",
        "TWINNING_MAIL_SERVER": "",
    }

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "twinning.cli", *args],
            cwd=ROOT,
            env=env,
            check=False,
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert run("db", "upgrade").returncode == 0
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO users (email, display_name, password_hash, locale, bio, is_platform_admin, "
                "session_version, email_notifications, created_at) VALUES ('d@example.org', 'D', 'x', 'de', '', 0, 1, "
                "'digest', '2026-01-01 00:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO notifications (user_id, kind, params, link, created_at) "
                "VALUES (1, 'moderation.approve', '{\"title\": \"T\"}', '', '2026-01-01 00:00:00')"
            )
        )
    first = run("send-digests")
    assert first.returncode == 0, first.stderr
    assert "Sent 1 digest" in first.stdout
    second = run("send-digests")
    assert "Sent 0 digest" in second.stdout
    with engine.connect() as connection:
        assert connection.execute(text("SELECT emailed_at FROM notifications")).scalar() is not None
    engine.dispose()
