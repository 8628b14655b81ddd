"""Account services, against the real database."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.factories import PASSWORD, make_user
from twinning.auth import services
from twinning.auth.models import User
from twinning.auth.tokens import TokenInvalid, make_token
from twinning.core.errors import ValidationError

pytestmark = pytest.mark.usefixtures("ctx")


def test_register_creates_unconfirmed_user_with_argon2_hash_and_mails_link(session, outbox):
    user = services.register_user(
        session, email=" Anna@Example.ORG ", display_name="Anna", password="long enough pw", locale="en"
    )
    session.commit()
    assert user.email == "anna@example.org"
    assert user.password_hash.startswith("$argon2")
    assert not user.is_confirmed
    mail = outbox.last_to("anna@example.org")
    assert "/auth/confirm/" in outbox.link(mail)
    assert mail.get_body(("html",)) is not None
    assert "confirm your e-mail address" in mail["Subject"]


def test_register_mail_is_in_recipients_language(session, outbox):
    services.register_user(
        session, email="de@example.org", display_name="D", password="long enough pw", locale="de"
    )
    session.commit()
    assert "Bitte bestätigen Sie" in outbox.last_to("de@example.org")["Subject"]


def test_register_rejects_short_password_and_duplicate_email(session):
    with pytest.raises(ValidationError):
        services.register_user(
            session, email="a@example.org", display_name="A", password="short", locale="de"
        )
    make_user(session, email="taken@example.org")
    with pytest.raises(ValidationError) as error:
        services.register_user(
            session, email="TAKEN@example.org", display_name="B", password="long enough pw", locale="de"
        )
    assert error.value.field == "email"


def test_database_refuses_second_account_with_same_email(session):
    from sqlalchemy.exc import IntegrityError

    make_user(session, email="same@example.org")
    with pytest.raises(IntegrityError):
        make_user(session, email="same@example.org")


def test_rolled_back_registration_sends_no_mail(session, outbox):
    services.register_user(
        session, email="ghost@example.org", display_name="G", password="long enough pw", locale="de"
    )
    session.rollback()
    assert outbox.messages() == []


def test_confirm_email_with_token(session):
    user = make_user(session, confirmed=False)
    token = make_token("confirm", {"uid": user.id, "email": user.email})
    services.confirm_email(session, token)
    assert user.is_confirmed


def test_forged_and_mismatched_confirm_tokens_are_refused(session):
    user = make_user(session, confirmed=False)
    with pytest.raises(TokenInvalid):
        services.confirm_email(session, "not-a-token")
    with pytest.raises(TokenInvalid):
        services.confirm_email(session, make_token("confirm", {"uid": user.id, "email": "x@example.org"}))
    # A reset token is signed for another purpose and cannot confirm.
    with pytest.raises(TokenInvalid):
        services.confirm_email(session, make_token("reset", {"uid": user.id, "email": user.email}))
    assert not user.is_confirmed


def test_authenticate_right_and_wrong(session):
    user = make_user(session, email="auth@example.org")
    assert services.authenticate(session, "AUTH@example.org", PASSWORD) == user
    assert services.authenticate(session, "auth@example.org", "wrong password") is None
    assert services.authenticate(session, "nobody@example.org", PASSWORD) is None


def test_reset_link_works_once(session, outbox):
    user = make_user(session, email="reset@example.org")
    services.request_password_reset(session, "reset@example.org")
    session.commit()
    token = outbox.link(outbox.last_to("reset@example.org")).rsplit("/", 1)[1]
    version = user.session_version
    services.reset_password(session, token, "a brand new password")
    assert services.authenticate(session, "reset@example.org", "a brand new password") == user
    assert user.session_version == version + 1
    with pytest.raises(TokenInvalid):
        services.reset_password(session, token, "yet another password")


def test_reset_for_unknown_address_sends_nothing(session, outbox):
    services.request_password_reset(session, "unknown@example.org")
    session.commit()
    assert outbox.messages() == []


def test_change_password_checks_current_and_ends_other_sessions(session):
    user = make_user(session)
    with pytest.raises(ValidationError):
        services.change_password(session, user, "wrong", "a brand new password")
    services.change_password(session, user, PASSWORD, "a brand new password")
    assert user.session_version == 2


def test_email_change_takes_effect_only_after_confirmation(session, outbox):
    user = make_user(session, email="old@example.org")
    services.request_email_change(session, user, "New@Example.org", PASSWORD)
    session.commit()
    assert user.email == "old@example.org"
    token = outbox.link(outbox.last_to("new@example.org")).rsplit("/", 1)[1]
    services.confirm_email_change(session, token)
    assert user.email == "new@example.org"


def test_email_change_to_own_address_is_refused(session):
    user = make_user(session)
    with pytest.raises(ValidationError):
        services.request_email_change(session, user, user.email, PASSWORD)


def test_create_admin_creates_or_promotes(session):
    admin, created = services.create_admin(session, "boss@example.org", "long enough pw")
    assert created and admin.is_platform_admin and admin.is_confirmed
    user = make_user(session, email="promote@example.org")
    promoted, created = services.create_admin(session, "promote@example.org", "ignored password")
    assert promoted == user and not created and user.is_platform_admin
    count = session.scalar(select(func.count()).select_from(User))
    assert count == 2
