"""Layout, languages, error pages, security headers, health check."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import sign_in
from tests.factories import make_user
from twinning.auth.models import User


def test_home_is_german_by_default(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="de">' in page
    assert "Zum Inhalt springen" in page  # the skip link


def test_accept_language_picks_english(client):
    page = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in page and "Skip to content" in page


def test_lang_parameter_is_remembered_in_session(client):
    client.get("/?lang=en")
    assert '<html lang="en">' in client.get("/imprint").get_data(as_text=True)
    client.get("/?lang=de")
    assert '<html lang="de">' in client.get("/imprint").get_data(as_text=True)


def test_lang_parameter_is_kept_in_the_session_not_the_profile(client, session):
    make_user(session, email="lang@example.org", locale="de")
    sign_in(client, "lang@example.org")
    client.get("/?lang=en")
    assert '<html lang="en">' in client.get("/imprint").get_data(as_text=True)
    # A GET never writes: the account's language (for its mails) changes with the profile form.
    assert session.scalar(select(User.locale).where(User.email == "lang@example.org")) == "de"


def test_users_setting_beats_accept_language(client, session):
    make_user(session, email="setting@example.org", locale="en")
    sign_in(client, "setting@example.org")
    page = client.get("/", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert '<html lang="en">' in page


def test_unknown_language_falls_back(client):
    assert '<html lang="de">' in client.get("/?lang=xx").get_data(as_text=True)


def test_error_pages_in_both_languages(client):
    response = client.get("/does-not-exist")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.get_data(as_text=True)
    response = client.get("/does-not-exist?lang=en")
    assert "Page not found" in response.get_data(as_text=True)


def test_500_page_is_friendly_and_translated(client):
    response = client.get("/_test/boom?lang=en")  # registered by conftest
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.get_data(as_text=True)


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]


def test_session_cookie_flags(client, session):
    make_user(session, email="cookie@example.org")
    response = sign_in(client, "cookie@example.org")
    cookie = response.headers.get("Set-Cookie")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_no_inline_script_in_pages(client):
    page = client.get("/").get_data(as_text=True)
    assert "<script>" not in page and "onclick" not in page


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_healthz_503_when_database_is_gone(client, session):
    from twinning.core.db import make_engine
    from twinning.core.extensions import db

    dead = make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")
    bind = db.session.get_bind()
    db.session.remove()
    db.session.configure(bind=dead)
    try:
        response = client.get("/healthz")
    finally:
        db.session.remove()
        db.session.configure(bind=bind)
        dead.dispose()
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable"}


def test_every_post_route_refuses_a_missing_csrf_token(app, client, session, csrf):
    make_user(session, email="csrfwalk@example.org")
    posts = sorted(
        rule.rule for rule in app.url_map.iter_rules() if "POST" in rule.methods and "<" not in rule.rule
    )
    assert "/auth/logout" in posts
    for path in posts:
        response = client.post(path, data={"email": "csrfwalk@example.org"})
        assert response.status_code in (302, 400), path
        if response.status_code == 302:  # only the sign-in redirect of login_required
            assert "/auth/login" in response.headers["Location"], path


def test_nul_bytes_in_address_or_query_never_reach_the_database(client):
    assert client.get("/a/%00/proposals").status_code == 404
    assert client.get("/associations?q=%00").status_code == 200
    assert client.get("/groups?q=a%00b").status_code == 200


def test_space_advertises_its_feed(client, session):
    from tests.factories import make_association

    make_association(session, slug="feedy")
    page = client.get("/a/feedy").get_data(as_text=True)
    assert 'type="application/atom+xml" href="/a/feedy/feed.atom"' in page
