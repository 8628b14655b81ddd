"""Notification settings per category, the digest grouped by association, one-click unsubscribe."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.conftest import sign_in
from tests.factories import make_association, make_user
from twinning.auth.models import EmailNotifications
from twinning.notifications import services, unsubscribe
from twinning.notifications.digest import send_digests
from twinning.notifications.models import Delivery, Notification, NotificationPreference


def _prefs(session, user_id):
    rows = session.execute(
        select(NotificationPreference.category, NotificationPreference.delivery).where(
            NotificationPreference.user_id == user_id
        )
    ).all()
    return dict(rows)


def test_delivery_per_category_decides_mail_digest_or_nothing(session, ctx, outbox):
    user = make_user(session, email="per-kind@example.org", locale="en")  # global: mail right away
    services.set_delivery(session, user, "proposal", "off")
    services.set_delivery(session, user, "group", "in_app")
    services.set_delivery(session, user, "comment", "digest")
    assert services.notify(session, user, "proposal.accepted", title="A") is None
    in_app = services.notify(session, user, "group.thread_new", group="G", title="B")
    digest = services.notify(session, user, "comment.approved", title="C")
    mailed = services.notify(session, user, "moderation.approve", title="D")  # no choice: global
    assert in_app.emailed_at is not None and digest.emailed_at is None and mailed.emailed_at is not None
    session.commit()
    mails = [m for m in outbox.messages() if m["To"] == "per-kind@example.org"]
    assert len(mails) == 1 and "“D”" in mails[0].get_body(("plain",)).get_content()
    assert send_digests(session) == 1  # the comment waits for the digest although the global is "immediately"


def test_settings_page_lists_categories_saves_and_refuses_nonsense(client, session):
    user = make_user(session)
    user.email_notifications = EmailNotifications.DIGEST
    user_id = user.id
    sign_in(client, user.email)
    page = client.get("/profile/notifications").get_data(as_text=True)
    assert "Vorschläge" in page and 'value="digest" checked' in page  # German labels, global default
    data = {
        "proposal": "off",
        "comment": "digest",
        "group": "immediately",
        "association": "in_app",
        "moderation": "in_app",
    }
    assert client.post("/profile/notifications", data=data).status_code == 302
    assert _prefs(session, user_id) == data
    bad = client.post("/profile/notifications", data={**data, "group": "hourly", "proposal": "digest"})
    assert bad.status_code == 400
    body = bad.get_data(as_text=True)
    assert "Bitte wählen Sie" in body and 'name="proposal" value="digest" checked' in body  # kept as typed
    assert _prefs(session, user_id) == data  # nothing half-written


def test_digest_groups_by_association_and_a_second_run_sends_nothing(session, ctx, outbox):
    reader = make_user(session, email="grouped@example.org", locale="en")
    reader.email_notifications = EmailNotifications.DIGEST
    aachen = make_association(session, name="Aachen–Reims")
    bonn = make_association(session, name="Bonn–Oxford")
    services.notify(session, reader, "moderation.approve", association_id=bonn.id, title="Bonn one")
    services.notify(session, reader, "moderation.approve", association_id=aachen.id, title="Aachen one")
    services.notify(session, reader, "moderation.approve", title="Network one")
    services.notify(session, reader, "moderation.approve", association_id=bonn.id, title="Bonn two")
    assert send_digests(session) == 1
    assert send_digests(session) == 0  # run twice: nothing twice
    session.commit()
    mails = [m for m in outbox.messages() if m["To"] == "grouped@example.org"]
    assert len(mails) == 1
    body = mails[0].get_body(("plain",)).get_content()
    order = [
        body.index(s)
        for s in ("Aachen–Reims", "Aachen one", "Bonn–Oxford", "Bonn one", "Bonn two", "Network one")
    ]
    assert order == sorted(order)
    assert mails[0]["List-Unsubscribe"].startswith("<http://localhost/unsubscribe/")
    assert mails[0]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def _mail_link(message) -> str:
    return re.search(r"<http://localhost(/unsubscribe/[^>]+)>", message["List-Unsubscribe"]).group(1)


def test_unsubscribe_link_confirms_on_get_applies_on_post_without_sign_in(ctx, client, session, outbox):
    user = make_user(session, email="leaver@example.org", locale="en")
    user_id = user.id
    services.notify(session, user, "proposal.accepted", title="Radweg")
    session.commit()
    message = outbox.last_to("leaver@example.org")
    path = _mail_link(message)
    assert path in message.get_body(("plain",)).get_content()  # the footer link too
    page = client.get(path)
    assert page.status_code == 200 and "<form" in page.get_data(as_text=True)
    assert _prefs(session, user_id) == {}  # a GET never writes
    assert client.post(path).status_code == 200  # what a mail program's one-click POST does
    assert _prefs(session, user_id) == {"proposal": Delivery.IN_APP.value}


def test_forged_and_foreign_unsubscribe_links_change_nothing(ctx, client, session):
    owner = make_user(session)
    other = make_user(session)
    owner_id = owner.id
    token = unsubscribe.token_for(owner, "proposal")
    stale = unsubscribe.token_for(owner, "group")
    owner.email = "changed@example.org"  # an address change makes the old links invalid
    session.commit()
    for path in (f"/unsubscribe/{token[:-3]}xyz", "/unsubscribe/nonsense", f"/unsubscribe/{stale}"):
        response = client.post(path)
        assert response.status_code == 400
        assert "Es wurde nichts geändert" in response.get_data(as_text=True)
    token = unsubscribe.token_for(owner, "proposal")
    sign_in(client, other.email)
    response = client.post(f"/unsubscribe/{token}")
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "anderen Konto" in body, body[body.find("<main") :][:600]
    assert _prefs(session, owner_id) == {}
    assert session.scalar(select(Notification).where(Notification.user_id == owner_id)) is None
    client.post("/auth/logout")
    assert client.post(f"/unsubscribe/{token}").status_code == 200  # the same link, by its owner's mail
    assert _prefs(session, owner_id) == {"proposal": Delivery.IN_APP.value}
