"""No GET writes to the database: opening a notification by GET and ``?lang=`` change nothing
stored; reading a notification is a POST, a language choice lives in the session."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import sign_in
from tests.notifications.test_views import make_user
from tests.querycount import count_queries
from twinning.auth.models import User
from twinning.core.extensions import db
from twinning.notifications.models import Notification
from twinning.notifications.services import notify


def _get_without_writes(client, path: str):
    db.session.commit()  # what the test built is not the request's work
    with count_queries() as counted:
        response = client.get(path)
    assert counted.writes == [], f"GET {path} writes:\n" + "\n---\n".join(counted.writes)
    return response


def test_opening_a_notification_by_get_follows_the_link_and_writes_nothing(client, session):
    user = make_user(session)
    note_id = notify(session, user, "moderation.approve", link="/a/x/proposals/7", title="T").id
    sign_in(client, user.email)
    response = _get_without_writes(client, f"/notifications/{note_id}/open")
    assert response.status_code == 302 and response.headers["Location"].endswith("/a/x/proposals/7")
    assert session.get(Notification, note_id).read_at is None


def test_opening_by_the_button_marks_read(client, session):
    user = make_user(session)
    note_id = notify(session, user, "moderation.approve", link="/a/x/proposals/7", title="T").id
    sign_in(client, user.email)
    page = _get_without_writes(client, "/notifications").get_data(as_text=True)
    assert f'<form method="post" action="/notifications/{note_id}/open"' in page
    response = client.post(f"/notifications/{note_id}/open")
    assert response.status_code == 302 and response.headers["Location"].endswith("/a/x/proposals/7")
    assert session.get(Notification, note_id).read_at is not None
    # Once read, the list links straight on: a GET, which stays a GET.
    page = _get_without_writes(client, "/notifications").get_data(as_text=True)
    assert f'<a href="/notifications/{note_id}/open">' in page
    assert f'action="/notifications/{note_id}/open"' not in page


def test_the_open_button_needs_its_token(app, client, session, monkeypatch):
    user = make_user(session)
    note_id = notify(session, user, "moderation.approve", link="/a/x/proposals/7", title="T").id
    sign_in(client, user.email)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert client.post(f"/notifications/{note_id}/open").status_code == 400
    assert session.get(Notification, note_id).read_at is None


def test_someone_elses_notification_cannot_be_opened_either_way(client, session):
    owner, intruder = make_user(session), make_user(session)
    note_id = notify(session, owner, "moderation.approve", link="/x", title="A").id
    sign_in(client, intruder.email)
    assert client.get(f"/notifications/{note_id}/open").status_code == 404
    assert client.post(f"/notifications/{note_id}/open").status_code == 404
    assert session.get(Notification, note_id).read_at is None


def test_a_language_choice_by_get_writes_nothing_and_lives_in_the_session(client, session):
    user = make_user(session, email="chooser@example.org", locale="de")
    sign_in(client, user.email)
    for path in ("/?lang=en", "/imprint?lang=en", "/notifications?lang=en", "/profile?lang=de", "/?lang=en"):
        assert _get_without_writes(client, path).status_code == 200, path
    assert '<html lang="en">' in _get_without_writes(client, "/imprint").get_data(as_text=True)
    assert session.scalar(select(User.locale).where(User.email == "chooser@example.org")) == "de"


def test_the_saved_language_changes_with_the_profile_form(client, session):
    user = make_user(session, email="profile-lang@example.org", name="Marie", locale="de")
    sign_in(client, user.email)
    response = client.post("/profile", data={"display_name": "Marie", "locale": "en", "bio": ""})
    assert response.status_code == 302
    assert session.scalar(select(User.locale).where(User.email == "profile-lang@example.org")) == "en"
