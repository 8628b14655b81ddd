"""Notifications: creation, read state, e-mail preference and the daily digest."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.factories import make_user
from twinning.auth.models import EmailNotifications
from twinning.core.errors import NotAllowed, ValidationError
from twinning.notifications import services
from twinning.notifications.digest import send_digests
from twinning.notifications.models import Notification
from twinning.notifications.texts import render


def _digest_user(session, **fields):
    user = make_user(session, **fields)
    user.email_notifications = EmailNotifications.DIGEST
    session.flush()
    return user


def test_notify_records_and_mails_immediately_by_default(session, ctx, outbox):
    user = make_user(session, email="immediate@example.org")
    note = services.notify(
        session, user, "moderation.hide", link="/a/x/proposals/1", title="Radweg", reason="Beleidigend"
    )
    assert note.emailed_at is not None and note.read_at is None
    session.commit()  # in the test transaction: releases a savepoint, mails leave after commit
    body = outbox.last_to("immediate@example.org").get_body(("plain",)).get_content()
    assert "„Radweg“ wurde von der Moderation ausgeblendet. Grund: Beleidigend" in body
    assert "http://localhost/a/x/proposals/1" in body


def test_texts_render_in_the_readers_language(ctx):
    from flask_babel import force_locale

    with force_locale("en"):
        assert (
            render("moderation.decline", {"title": "T", "reason": "R"}) == "“T” was not published. Reason: R"
        )
    with force_locale("de"):
        assert render("moderation.restore", {"title": "T"}) == "„T“ ist wieder sichtbar."
    assert render("unknown.kind", {}) == "unknown.kind"
    assert render("moderation.decline", {}) != ""  # missing params never raise


def test_unread_count_mark_read_and_mark_all(session, ctx):
    user, other = make_user(session), make_user(session)
    first = services.notify(session, user, "moderation.approve", title="A")
    services.notify(session, user, "moderation.approve", title="B")
    services.notify(session, other, "moderation.approve", title="C")
    assert services.unread_count(session, user) == 2
    services.mark_read(session, user, first)
    assert services.unread_count(session, user) == 1
    with pytest.raises(NotAllowed):
        services.mark_read(session, other, first)
    assert services.mark_all_read(session, user) == 1
    assert services.unread_count(session, user) == 0
    assert services.unread_count(session, other) == 1


def test_email_preference(session, ctx):
    user = make_user(session)
    services.set_email_preference(session, user, "digest")
    assert user.email_notifications == EmailNotifications.DIGEST
    with pytest.raises(ValidationError):
        services.set_email_preference(session, user, "hourly")


def test_digest_mails_each_digest_reader_once_and_is_idempotent(session, ctx, outbox):
    reader = _digest_user(session, email="digest@example.org", locale="en")
    never = make_user(session, email="never@example.org")
    never.email_notifications = EmailNotifications.NEVER
    services.notify(session, reader, "moderation.approve", link="/a/x/proposals/1", title="First")
    services.notify(session, reader, "moderation.restore", title="Second")
    services.notify(session, never, "moderation.approve", title="Nope")
    assert send_digests(session) == 1
    session.commit()
    mails = [m for m in outbox.messages() if m["To"] in {"digest@example.org", "never@example.org"}]
    assert [m["To"] for m in mails] == ["digest@example.org"]
    body = mails[0].get_body(("plain",)).get_content()
    assert "“First” has been approved by the moderators." in body and "“Second” is visible again." in body
    assert "http://localhost/a/x/proposals/1" in body
    pending = session.scalars(select(Notification).where(Notification.user_id == reader.id)).all()
    assert all(n.emailed_at is not None for n in pending)
    assert send_digests(session) == 0  # nothing new: nothing sent
    services.notify(session, reader, "moderation.approve", title="Third")
    assert send_digests(session) == 1


def test_every_decision_text_carries_its_reason(app):
    from flask_babel import force_locale

    from twinning.notifications.texts import render

    with app.test_request_context("/"), force_locale("en"):
        hidden = render("proposal.hidden", {"title": "Bike shed", "reason": "Please ask the board first."})
        declined = render("proposal.declined", {"title": "Bike shed", "reason": "Duplicate."})
        restored = render("proposal.restored", {"title": "Bike shed", "reason": ""})
    assert hidden.endswith("Reason: Please ask the board first.")
    assert declined.count("Duplicate.") == 1  # the sentence has its own place for it
    assert "Reason" not in restored
