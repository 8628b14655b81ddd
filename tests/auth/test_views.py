"""Account pages through the Flask test client."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from tests.conftest import sign_in
from tests.factories import PASSWORD, make_user
from twinning.auth.models import User
from twinning.auth.tokens import make_token


def _user_count(session) -> int:
    return session.scalar(select(func.count()).select_from(User))


def test_sign_up_confirm_sign_in_journey(client, session, outbox):
    response = client.post(
        "/auth/register",
        data={
            "email": "jonas@example.org",
            "display_name": "Jonas",
            "password": "climate-2030!",
        },
    )
    assert response.status_code == 302
    home = client.get("/").get_data(as_text=True)
    assert "Link erneut senden" in home  # the banner for unconfirmed accounts

    link = outbox.link(outbox.last_to("jonas@example.org"))
    response = client.get(link.replace("http://localhost", ""))
    assert response.status_code == 302
    assert session.scalar(select(User).where(User.email == "jonas@example.org")).is_confirmed
    assert "Link erneut senden" not in client.get("/").get_data(as_text=True)

    client.post("/auth/logout")
    assert sign_in(client, "jonas@example.org", "climate-2030!").status_code == 302
    assert "Abmelden" in client.get("/").get_data(as_text=True)


def test_bad_registration_input_is_400_with_messages_and_typed_values_kept(client, session):
    before = _user_count(session)
    cases = [
        (
            {"email": "not-an-email", "display_name": "Anna", "password": "long enough pw"},
            "gültige E-Mail-Adresse",
        ),
        ({"email": "", "display_name": "", "password": ""}, "Bitte geben Sie Ihre E-Mail-Adresse ein"),
        (
            {"email": "anna@example.org", "display_name": "A" * 10_000, "password": "long enough pw"},
            "höchstens 80 Zeichen",
        ),
        (
            {"email": "anna@example.org", "display_name": "An\x00na", "password": "long enough pw"},
            "nicht erlaubt",
        ),
        (
            {"email": "anna@example.org", "display_name": "Anna", "password": "short"},
            "zwischen 10 und 200 Zeichen",
        ),
    ]
    for data, message in cases:
        response = client.post("/auth/register", data=data)
        page = response.get_data(as_text=True)
        assert response.status_code == 400, data
        assert message in page, (data, message)
        if data["email"]:
            assert f'value="{data["email"]}"' in page
    assert _user_count(session) == before


def test_registration_with_taken_email_says_so(client, session):
    make_user(session, email="taken@example.org")
    response = client.post(
        "/auth/register",
        data={"email": "taken@example.org", "display_name": "X", "password": "long enough pw"},
    )
    assert response.status_code == 400
    assert "existiert bereits" in response.get_data(as_text=True)


def test_unicode_names_are_kept(client, session):
    client.post(
        "/auth/register",
        data={
            "email": "olena@example.org",
            "display_name": "Олена Коваленко 🌻",
            "password": "long enough pw",
        },
    )
    user = session.scalar(select(User).where(User.email == "olena@example.org"))
    assert user.display_name == "Олена Коваленко 🌻"


def test_failed_sign_in_says_the_same_for_unknown_and_known_accounts(client, session):
    make_user(session, email="known@example.org")
    known = client.post("/auth/login", data={"email": "known@example.org", "password": "wrong one!"})
    unknown = client.post("/auth/login", data={"email": "nobody@example.org", "password": "wrong one!"})
    assert known.status_code == unknown.status_code == 400
    message = "E-Mail-Adresse oder das Passwort ist nicht richtig"
    assert message in known.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)


def test_forty_wrong_passwords_get_429(client, session):
    make_user(session, email="target@example.org")
    statuses = [
        client.post("/auth/login", data={"email": "target@example.org", "password": f"guess {i}"}).status_code
        for i in range(40)
    ]
    assert statuses[0] == 400
    assert statuses[-1] == 429
    page = client.post("/auth/login", data={"email": "target@example.org", "password": "x"})
    assert "Zu viele Versuche" in page.get_data(as_text=True)


def test_a_meeting_of_twenty_can_sign_up_from_one_network(client, session):
    for i in range(20):
        response = client.post(
            "/auth/register",
            data={
                "email": f"guest{i}@example.org",
                "display_name": f"Guest {i}",
                "password": "long enough pw",
            },
        )
        assert response.status_code == 302, i
        client.post("/auth/logout")


def test_sign_out_is_post_only_and_ends_other_sessions(app, session):
    make_user(session, email="two@example.org")
    phone, laptop = app.test_client(), app.test_client()
    sign_in(phone, "two@example.org")
    sign_in(laptop, "two@example.org")
    assert phone.get("/profile").status_code == 200
    assert laptop.get("/auth/logout").status_code == 405
    laptop.post("/auth/logout")
    assert laptop.get("/profile").status_code == 302
    assert phone.get("/profile").status_code == 302  # the other session ended too


def test_remember_me_cookie_survives_a_lost_session_cookie(client, session):
    make_user(session, email="remember@example.org")
    client.post("/auth/login", data={"email": "remember@example.org", "password": PASSWORD, "remember": "y"})
    assert client.get_cookie("remember_token") is not None
    client.delete_cookie("session")
    assert client.get("/profile").status_code == 200


def test_password_reset_journey_and_link_is_single_use(client, session, outbox):
    make_user(session, email="forgot@example.org")
    response = client.post("/auth/reset", data={"email": "forgot@example.org"})
    assert response.status_code == 302
    path = outbox.link(outbox.last_to("forgot@example.org")).replace("http://localhost", "")
    assert client.get(path).status_code == 200
    response = client.post(path, data={"password": "my new password"})
    assert response.status_code == 302
    client.post("/auth/logout")
    assert sign_in(client, "forgot@example.org", "my new password").status_code == 302
    again = client.post(path, data={"password": "another password"})
    assert again.status_code == 400
    assert "abgelaufen oder wurde schon benutzt" in again.get_data(as_text=True)


def test_reset_request_for_unknown_address_looks_the_same(client, session, outbox):
    response = client.post("/auth/reset", data={"email": "ghost@example.org"}, follow_redirects=True)
    assert "Falls es ein Konto" in response.get_data(as_text=True)
    assert outbox.messages() == []


def test_forged_and_expired_tokens_get_clear_400(client, session, app, monkeypatch):
    assert client.get("/auth/confirm/forged").status_code == 400
    assert client.get("/auth/reset/forged").status_code == 400
    user = make_user(session, confirmed=False)
    with app.app_context():
        token = make_token("confirm", {"uid": user.id, "email": user.email})
    import twinning.auth.services as services

    monkeypatch.setattr(services, "CONFIRM_MAX_AGE", -1)
    response = client.get(f"/auth/confirm/{token}")
    assert response.status_code == 400
    assert "abgelaufen" in response.get_data(as_text=True)


def test_missing_csrf_token_is_400_with_values_kept(client, session, csrf):
    before = _user_count(session)
    response = client.post(
        "/auth/register",
        data={"email": "csrf@example.org", "display_name": "Nora", "password": "long enough pw"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "abgelaufen oder unvollständig" in page
    assert 'value="csrf@example.org"' in page
    assert _user_count(session) == before


def test_form_with_csrf_token_from_the_page_goes_through(client, session, csrf):
    page = client.get("/auth/register").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post(
        "/auth/register",
        data={
            "csrf_token": token,
            "email": "real@example.org",
            "display_name": "Real",
            "password": "long enough pw",
        },
    )
    assert response.status_code == 302


def test_profile_edit_and_language(client, session):
    make_user(session, email="me@example.org")
    sign_in(client, "me@example.org")
    response = client.post("/profile", data={"display_name": "Marie", "locale": "en", "bio": "Reims ❤"})
    assert response.status_code == 302
    page = client.get("/profile").get_data(as_text=True)
    assert '<html lang="en">' in page and "Marie" in page
    bad = client.post("/profile", data={"display_name": "", "locale": "xx", "bio": "b"})
    assert bad.status_code == 400


def test_change_password_view_keeps_this_session(client, session):
    make_user(session, email="pw@example.org")
    sign_in(client, "pw@example.org")
    wrong = client.post("/profile/password", data={"current_password": "nope", "password": "new password!"})
    assert wrong.status_code == 400
    ok = client.post("/profile/password", data={"current_password": PASSWORD, "password": "new password!"})
    assert ok.status_code == 302
    assert client.get("/profile").status_code == 200


def test_change_email_view_sends_link_to_new_address(client, session, outbox):
    make_user(session, email="from@example.org")
    sign_in(client, "from@example.org")
    response = client.post("/profile/email", data={"email": "to@example.org", "password": PASSWORD})
    assert response.status_code == 302
    path = outbox.link(outbox.last_to("to@example.org")).replace("http://localhost", "")
    client.post(path)
    assert session.scalar(select(User.email).where(User.email == "to@example.org"))


def test_next_parameter_only_allows_local_paths(client, session):
    make_user(session, email="next@example.org")
    response = client.post(
        "/auth/login?next=https://evil.example/", data={"email": "next@example.org", "password": PASSWORD}
    )
    assert response.headers["Location"] == "/"
    client.post("/auth/logout")
    response = client.post(
        "/auth/login?next=/profile", data={"email": "next@example.org", "password": PASSWORD}
    )
    assert response.headers["Location"] == "/profile"


def test_profile_requires_sign_in(client):
    response = client.get("/profile")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]
