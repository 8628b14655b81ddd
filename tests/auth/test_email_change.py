"""Changing the e-mail address: the password to ask, a one-day one-time link, the old address told."""

from __future__ import annotations

import time

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import select

from tests.conftest import sign_in
from tests.factories import PASSWORD, make_user
from twinning.auth import services
from twinning.auth.models import User
from twinning.auth.tokens import TokenInvalid, make_token
from twinning.core.errors import ValidationError


def _token(outbox, address: str) -> str:
    return outbox.link(outbox.last_to(address)).rsplit("/", 1)[1]


def _later(monkeypatch, seconds: int) -> None:
    """Every signed token is read as if ``seconds`` had passed."""
    now = int(time.time())
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: now + seconds)


# --- services -------------------------------------------------------------------------------


def test_request_needs_the_current_password(ctx, session, outbox):
    user = make_user(session, email="pw-needed@example.org")
    with pytest.raises(ValidationError) as error:
        services.request_email_change(session, user, "new@example.org", "not my password")
    assert error.value.field == "password"
    session.rollback()
    assert outbox.messages() == []


def test_link_goes_to_the_new_address_and_the_old_one_is_told(ctx, session, outbox):
    user = make_user(session, email="old@example.org", locale="en")
    services.request_email_change(session, user, "New@Example.org", PASSWORD)
    session.commit()
    assert user.email == "old@example.org"
    assert "/auth/email/" in outbox.link(outbox.last_to("new@example.org"))
    notice = outbox.last_to("old@example.org")
    text = notice.get_body(("plain",)).get_content()
    assert "new@example.org" in text
    assert "change your password" in text  # what to do if it was not them
    assert "/auth/email/" not in text  # the old address cannot complete the change


def test_an_unconfirmed_old_address_is_not_told(ctx, session, outbox):
    # A typo at sign-up: the mistyped address may be a stranger's, who must learn nothing.
    user = make_user(session, email="anna@gmial.example", confirmed=False)
    services.request_email_change(session, user, "anna@gmail.example", PASSWORD)
    session.commit()
    services.confirm_email_change(session, _token(outbox, "anna@gmail.example"))
    session.commit()
    assert user.email == "anna@gmail.example" and user.is_confirmed
    assert [m for m in outbox.messages() if m["To"] == "anna@gmial.example"] == []


def test_mails_are_in_the_account_language(ctx, session, outbox):
    user = make_user(session, email="alt@example.org", locale="de")
    services.request_email_change(session, user, "neu@example.org", PASSWORD)
    session.commit()
    assert "Bitte bestätigen Sie" in outbox.last_to("neu@example.org")["Subject"]
    assert "E-Mail-Adresse" in outbox.last_to("alt@example.org")["Subject"]


def test_confirming_changes_the_address_ends_other_sessions_and_tells_the_old_address(ctx, session, outbox):
    user = make_user(session, email="before@example.org", locale="en")
    services.request_email_change(session, user, "after@example.org", PASSWORD)
    session.commit()
    token = _token(outbox, "after@example.org")
    sessions_before = user.session_version
    services.confirm_email_change(session, token)
    session.commit()
    assert user.email == "after@example.org"
    assert user.is_confirmed
    assert user.session_version == sessions_before + 1
    notice = outbox.last_to("before@example.org")
    assert notice["Subject"] == "Your e-mail address was changed"
    text = notice.get_body(("plain",)).get_content()
    assert "after@example.org" in text and "/imprint" in text
    assert services.authenticate(session, "after@example.org", PASSWORD) == user


def test_link_works_once_even_after_changing_back(ctx, session, outbox):
    user = make_user(session, email="a@example.org")
    services.request_email_change(session, user, "b@example.org", PASSWORD)
    session.commit()
    first = _token(outbox, "b@example.org")
    services.confirm_email_change(session, first)
    with pytest.raises(TokenInvalid):
        services.confirm_email_change(session, first)
    # Back to the first address: the old link must not move the account again.
    services.request_email_change(session, user, "a@example.org", PASSWORD)
    session.commit()
    services.confirm_email_change(session, _token(outbox, "a@example.org"))
    assert user.email == "a@example.org"
    with pytest.raises(TokenInvalid):
        services.confirm_email_change(session, first)
    assert user.email == "a@example.org"


def test_link_expires_after_a_day(ctx, session, outbox, monkeypatch):
    user = make_user(session, email="slow@example.org")
    services.request_email_change(session, user, "slower@example.org", PASSWORD)
    session.commit()
    token = _token(outbox, "slower@example.org")
    _later(monkeypatch, 24 * 3600 + 60)
    with pytest.raises(TokenInvalid) as error:
        services.confirm_email_change(session, token)
    assert error.value.expired
    _later(monkeypatch, 23 * 3600)
    services.confirm_email_change(session, token)
    assert user.email == "slower@example.org"


def test_a_newer_request_replaces_the_older_link(ctx, session, outbox):
    user = make_user(session, email="first@example.org")
    services.request_email_change(session, user, "second@example.org", PASSWORD)
    session.commit()
    older = _token(outbox, "second@example.org")
    services.request_email_change(session, user, "third@example.org", PASSWORD)
    session.commit()
    with pytest.raises(TokenInvalid):
        services.confirm_email_change(session, older)
    services.confirm_email_change(session, _token(outbox, "third@example.org"))
    assert user.email == "third@example.org"


def test_changing_or_resetting_the_password_cancels_a_pending_change(ctx, session, outbox):
    user = make_user(session, email="victim@example.org")
    services.request_email_change(session, user, "thief@example.org", PASSWORD)
    session.commit()
    token = _token(outbox, "thief@example.org")
    services.change_password(session, user, PASSWORD, "a brand new password")
    with pytest.raises(TokenInvalid):
        services.confirm_email_change(session, token)

    services.request_email_change(session, user, "thief@example.org", "a brand new password")
    session.commit()
    token = _token(outbox, "thief@example.org")
    services.request_password_reset(session, "victim@example.org")
    session.commit()
    services.reset_password(session, _token(outbox, "victim@example.org"), "yet another long secret")
    with pytest.raises(TokenInvalid):
        services.confirm_email_change(session, token)
    assert user.email == "victim@example.org"


def test_taken_address_gets_a_notice_instead_of_a_link(ctx, session, outbox):
    user = make_user(session, email="mover@example.org", locale="en")
    make_user(session, email="occupied@example.org", locale="en")
    services.request_email_change(session, user, "occupied@example.org", PASSWORD)  # no error
    session.commit()
    notice = outbox.last_to("occupied@example.org")
    assert "already" in notice["Subject"]
    assert "/auth/email/" not in notice.get_body(("plain",)).get_content()
    assert outbox.last_to("mover@example.org")  # told as for any other request
    assert user.email == "mover@example.org"


def test_address_taken_between_request_and_click_is_refused(ctx, session, outbox):
    user = make_user(session, email="late@example.org")
    services.request_email_change(session, user, "contested@example.org", PASSWORD)
    session.commit()
    token = _token(outbox, "contested@example.org")
    make_user(session, email="contested@example.org")
    with pytest.raises(ValidationError):
        services.confirm_email_change(session, token)
    assert user.email == "late@example.org"


def test_confirmation_links_cannot_change_the_address(ctx, session):
    # Links of the old kind carried the new address in a sign-up confirmation token.
    user = make_user(session, email="legacy@example.org")
    token = make_token("confirm", {"uid": user.id, "new_email": "x@example.org", "old": user.email})
    with pytest.raises(TokenInvalid):
        services.confirm_email(session, token)
    assert user.email == "legacy@example.org"


# --- views ----------------------------------------------------------------------------------


def test_wrong_or_missing_password_is_400_with_the_address_kept(client, session, outbox):
    make_user(session, email="typo@example.org")
    sign_in(client, "typo@example.org")
    wrong = client.post("/profile/email", data={"email": "wanted@example.org", "password": "nope nope"})
    assert wrong.status_code == 400
    page = wrong.get_data(as_text=True)
    assert "Das aktuelle Passwort ist nicht richtig." in page
    assert 'value="wanted@example.org"' in page
    assert "nope nope" not in page
    missing = client.post("/profile/email", data={"email": "wanted@example.org"})
    assert missing.status_code == 400
    assert "Bitte geben Sie Ihr aktuelles Passwort ein." in missing.get_data(as_text=True)
    assert outbox.messages() == []


def test_taken_address_gets_the_same_answer_as_a_free_one(client, session, outbox):
    make_user(session, email="asker@example.org")
    make_user(session, email="someone@example.org")
    sign_in(client, "asker@example.org")
    taken = client.post(
        "/profile/email", data={"email": "someone@example.org", "password": PASSWORD}, follow_redirects=True
    )
    free = client.post(
        "/profile/email", data={"email": "nobody@example.org", "password": PASSWORD}, follow_redirects=True
    )
    assert taken.status_code == free.status_code == 200
    flash = "Wir haben einen Link an die neue Adresse geschickt"
    assert flash in taken.get_data(as_text=True) and flash in free.get_data(as_text=True)
    assert "someone@example.org" not in taken.get_data(as_text=True)


def test_opening_the_link_changes_nothing_until_the_button(client, session, outbox):
    user = make_user(session, email="click@example.org")
    sign_in(client, "click@example.org")
    client.post("/profile/email", data={"email": "clicked@example.org", "password": PASSWORD})
    path = outbox.link(outbox.last_to("clicked@example.org")).replace("http://localhost", "")
    page = client.get(path)
    assert page.status_code == 200
    assert "clicked@example.org" in page.get_data(as_text=True)
    assert session.scalar(select(User.email).where(User.id == user.id)) == "click@example.org"

    done = client.post(path)
    assert done.status_code == 302
    assert session.scalar(select(User.email).where(User.id == user.id)) == "clicked@example.org"
    assert client.get("/profile").status_code == 200  # this session stays signed in

    again = client.post(path)
    assert again.status_code == 400
    assert "bereits verwendet" in again.get_data(as_text=True)
    assert client.get(path).status_code == 400


def test_confirming_signs_out_the_other_sessions(app, session, outbox):
    make_user(session, email="two-devices@example.org")
    phone, laptop = app.test_client(), app.test_client()
    sign_in(phone, "two-devices@example.org")
    sign_in(laptop, "two-devices@example.org")
    laptop.post("/profile/email", data={"email": "moved@example.org", "password": PASSWORD})
    path = outbox.link(outbox.last_to("moved@example.org")).replace("http://localhost", "")
    assert laptop.post(path).status_code == 302
    assert laptop.get("/profile").status_code == 200
    assert phone.get("/profile").status_code == 302


def test_link_opened_without_a_session_changes_the_address(app, session, outbox):
    make_user(session, email="elsewhere@example.org")
    browser, mail_client = app.test_client(), app.test_client()
    sign_in(browser, "elsewhere@example.org")
    browser.post("/profile/email", data={"email": "phone@example.org", "password": PASSWORD})
    path = outbox.link(outbox.last_to("phone@example.org")).replace("http://localhost", "")
    response = mail_client.post(path)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert sign_in(mail_client, "phone@example.org").status_code == 302


def test_forged_link_is_400(client):
    assert client.get("/auth/email/forged").status_code == 400
    assert client.post("/auth/email/forged").status_code == 400
