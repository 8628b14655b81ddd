"""Error pages can never fail: when their template cannot be rendered, a static page with the
security headers answers instead of a bare 500."""

from __future__ import annotations

import pytest
from jinja2 import TemplateError

from twinning.core import errors

SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy")


@pytest.fixture
def broken_template(monkeypatch):
    """The error template raises, as a bug in the layout or a failing look-up in it would."""

    def fail(*_args, **_kwargs):
        raise TemplateError("the layout is broken")

    monkeypatch.setattr(errors, "render_template", fail)


def _assert_static_page(response, code: int) -> None:
    assert response.status_code == code
    assert response.mimetype == "text/html"
    body = response.get_data(as_text=True)
    assert f"<h1>{code} " in body and '<a href="/">' in body
    for header in SECURITY_HEADERS:
        assert header in response.headers, header


@pytest.mark.parametrize(
    ("path", "code"), [("/no/such/page", 404), ("/_test/boom", 500), ("/auth/logout", 405)]
)
def test_a_broken_error_template_gives_the_static_page(client, broken_template, path, code):
    _assert_static_page(client.get(path), code)


@pytest.mark.parametrize("code", [400, 403, 404, 413, 429, 500, 503])
def test_every_error_code_falls_back(app, broken_template, code):
    with app.test_request_context("/"):
        response = app.make_response(errors.render_error(code))
    _assert_static_page(response, code)


def test_the_error_page_is_the_usual_one_when_it_can_be_made(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.get_data(as_text=True)
    assert "Content-Security-Policy" in response.headers


def test_a_failing_rollback_still_gives_the_page(client, monkeypatch):
    from twinning.core.extensions import db

    def fail():
        raise RuntimeError("the database is gone")

    monkeypatch.setattr(db.session, "rollback", fail)
    response = client.get("/_test/boom")
    assert response.status_code == 500 and "Content-Security-Policy" in response.headers


def test_the_static_page_escapes_and_knows_odd_codes(app):
    with app.test_request_context("/"):
        assert errors.fallback_error(299).status_code == 500
        assert errors.fallback_error(418).status_code == 418
