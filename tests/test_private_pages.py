"""Pages made for one person's session are never stored; public pages for visitors keep their caching."""

from __future__ import annotations

import pytest

from tests.conftest import sign_in
from tests.factories import make_association, make_user

PRIVATE = [
    "/",
    "/profile",
    "/notifications",
    "/notifications/preferences",
    "/a/aachen-reims/members",
    "/a/aachen-reims/settings",
    "/a/aachen-reims/partnerships",
    "/a/aachen-reims/moderation",
    "/a/aachen-reims/moderation/log",
    "/admin",
    "/admin/associations",
    "/admin/themes",
    "/associations/new",
    "/a/aachen-reims",
]
PUBLIC = ["/", "/associations", "/a/aachen-reims", "/a/aachen-reims/proposals", "/network"]


@pytest.fixture
def signed_in_admin(client, session):
    admin = make_user(session, email="chief@example.org", platform_admin=True)
    make_association(session, slug="aachen-reims", admin=admin)
    assert sign_in(client, admin.email).status_code == 302
    return admin


@pytest.mark.parametrize("path", PRIVATE)
def test_signed_in_pages_are_not_stored(client, signed_in_admin, path):
    response = client.get(path)
    assert response.status_code == 200, path
    assert response.headers["Cache-Control"] == "no-store"


def test_redirects_and_errors_for_a_signed_in_person_are_not_stored_either(client, signed_in_admin):
    assert client.get("/a/no-such-space").headers["Cache-Control"] == "no-store"
    assert client.post("/auth/logout").headers["Cache-Control"] == "no-store"


def test_a_form_with_a_session_token_is_not_stored(client, csrf):
    response = client.get("/auth/login")
    assert 'name="csrf_token"' in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", PUBLIC)
def test_public_pages_for_visitors_keep_their_caching(client, session, path):
    make_association(session, slug="aachen-reims")
    response = client.get(path)
    assert response.status_code == 200, path
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_static_files_keep_their_caching_for_signed_in_people(client, signed_in_admin):
    with client.get("/static/css/app.css") as response:
        assert response.status_code == 200
        assert "no-store" not in response.headers.get("Cache-Control", "")
