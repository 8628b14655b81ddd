"""New passwords: long enough, not among the common ones, not the person's own address or name."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import sign_in
from tests.factories import PASSWORD, make_user
from twinning.auth import services
from twinning.auth.models import User
from twinning.auth.passwords import check_new_password
from twinning.core.errors import ValidationError

COMMON = [
    "password123",
    "1234567890",
    "qwertzuiop",
    "iloveyou12",
    "Passwort123",
    "Password1!",
    "Deutschland1",
    "aaaaaaaaaaaa",
    "abcdefghijkl",
]
GOOD = ["long enough pw", "climate-2030!", "a brand new password", "Ichliebedich", "water for all 6"]


@pytest.mark.parametrize("password", COMMON)
def test_common_passwords_are_refused(password):
    with pytest.raises(ValidationError) as error:
        check_new_password(password, email="someone@example.org", display_name="Someone")
    assert error.value.field == "password"
    assert "too easy to guess" in str(error.value.message)


@pytest.mark.parametrize("password", GOOD)
def test_good_passwords_pass(password):
    check_new_password(password, email="someone@example.org", display_name="Someone")


@pytest.mark.parametrize(
    ("password", "email", "name"),
    [
        ("annaschmidt-1977", "annaschmidt@example.org", "Anna"),
        ("My ANNA.SCHMIDT secret", "anna.schmidt@example.org", "A. S."),
        ("Ostfriesland!Zebra", "kontakt@example.org", "Ostfriesland"),
        ("zebra Kowalczyk river", "jk@example.org", "Jan Kowalczyk"),
        ("zebra-river-janKowalczyk", "jk@example.org", "Jan Kowalczyk"),
    ],
)
def test_passwords_with_the_address_or_name_are_refused(password, email, name):
    with pytest.raises(ValidationError) as error:
        check_new_password(password, email=email, display_name=name)
    assert "e-mail address or your name" in str(error.value.message)


def test_short_name_pieces_do_not_refuse_good_passwords():
    # "Li" and "jo" are in many words; only pieces of four letters and more count.
    check_new_password("climbing the olive tree", email="jo@example.org", display_name="Li Wu")


def test_long_passwords_are_estimated_on_their_start():
    check_new_password("correct horse battery staple " * 6, email="x@example.org")
    with pytest.raises(ValidationError):
        check_new_password("a" * 200, email="x@example.org")


def test_hashing_cost_is_unchanged(ctx, session):
    user = services.register_user(
        session, email="cost@example.org", display_name="Cost", password="long enough pw", locale="en"
    )
    assert user.password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")


# --- every way to set a password ------------------------------------------------------------


def test_register_refuses_common_and_personal_passwords(ctx, session):
    with pytest.raises(ValidationError) as error:
        services.register_user(
            session, email="weak@example.org", display_name="Weak", password="password123", locale="de"
        )
    assert error.value.field == "password"
    with pytest.raises(ValidationError):
        services.register_user(
            session, email="mariella@example.org", display_name="M", password="Mariella-2030!x", locale="de"
        )


def test_reset_refuses_common_and_personal_passwords(ctx, session, outbox):
    user = make_user(session, email="forgetful@example.org", name="Konstantin Weber")
    services.request_password_reset(session, user.email)
    session.commit()
    token = outbox.link(outbox.last_to(user.email)).rsplit("/", 1)[1]
    for weak in ("1234567890", "konstantin-weber-99", "forgetful.weber"):
        with pytest.raises(ValidationError):
            services.reset_password(session, token, weak)
    services.reset_password(session, token, "a brand new password")


def test_change_refuses_common_and_personal_passwords(ctx, session):
    user = make_user(session, email="changer@example.org", name="Ottilie")
    for weak in ("qwertzuiop", "ottilie loves me", "changer12345"):
        with pytest.raises(ValidationError) as error:
            services.change_password(session, user, PASSWORD, weak)
        assert error.value.field == "password"
    assert services.authenticate(session, user.email, PASSWORD) == user


def test_register_view_keeps_the_other_values_but_never_the_password(client, session):
    response = client.post(
        "/auth/register",
        data={"email": "viewer@example.org", "display_name": "Viola", "password": "password123"},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "zu leicht zu erraten" in page
    assert 'value="viewer@example.org"' in page and 'value="Viola"' in page
    assert "password123" not in page
    assert session.scalar(select(User).where(User.email == "viewer@example.org")) is None

    personal = client.post(
        "/auth/register",
        data={"email": "viewer@example.org", "display_name": "Viola", "password": "viewer-from-2030"},
    )
    assert personal.status_code == 400
    assert "weder Ihre E-Mail-Adresse noch Ihren Namen" in personal.get_data(as_text=True)


def test_reset_view_refuses_a_common_password(client, session, outbox):
    make_user(session, email="resetter@example.org")
    client.post("/auth/reset", data={"email": "resetter@example.org"})
    path = outbox.link(outbox.last_to("resetter@example.org")).replace("http://localhost", "")
    response = client.post(path, data={"password": "1234567890"})
    assert response.status_code == 400
    assert "zu leicht zu erraten" in response.get_data(as_text=True)
    assert "1234567890" not in response.get_data(as_text=True)
    assert client.post(path, data={"password": "a brand new password"}).status_code == 302


def test_change_view_refuses_a_common_password(client, session):
    make_user(session, email="profile-pw@example.org")
    sign_in(client, "profile-pw@example.org")
    response = client.post("/profile/password", data={"current_password": PASSWORD, "password": "Password1!"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "zu leicht zu erraten" in page and "Password1!" not in page
    assert sign_in(client.application.test_client(), "profile-pw@example.org").status_code == 302
