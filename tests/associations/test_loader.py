"""One loader for ``/a/<slug>/…``: former slugs redirect, control characters are 404, and a
pending association shows to its admins only, on every page under the address."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import sign_in
from tests.factories import make_association, make_user
from twinning.associations.models import AssociationSlug, AssociationStatus

ROOT = Path(__file__).resolve().parent.parent.parent

# One page of each feature that lives under /a/<slug>/.
PAGES = [
    "",
    "/proposals",
    "/proposals.csv",
    "/groups",
    "/partnerships",
    "/members",
    "/insights",
    "/moderation",
    "/feed.atom",
]


@pytest.fixture
def renamed(session):
    admin = make_user(session, email="admin@example.org")
    association = make_association(session, slug="neuer-name", admin=admin)
    session.add(AssociationSlug(slug="alter-name", association_id=association.id))
    session.flush()
    return association


@pytest.mark.parametrize("page", PAGES)
def test_a_former_slug_redirects_every_page(client, renamed, page):
    sign_in(client, "admin@example.org")
    response = client.get(f"/a/alter-name{page}?page=2")
    assert response.status_code == 301
    assert response.headers["Location"].endswith(f"/a/neuer-name{page}?page=2")


def test_a_form_posted_to_a_former_slug_is_sent_on(client, renamed):
    sign_in(client, "admin@example.org")
    response = client.post("/a/alter-name/proposals/new", data={})
    assert response.status_code == 307 and response.headers["Location"].endswith(
        "/a/neuer-name/proposals/new"
    )


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("slug", ["%00", "a%00b", "x%01", "%7F"])
def test_control_characters_are_not_there(client, session, page, slug):
    make_association(session, slug="verein-ctl")
    assert client.get(f"/a/{slug}{page}").status_code == 404


@pytest.mark.parametrize("page", ["", "/proposals", "/proposals.csv", "/members", "/partnerships"])
def test_a_pending_association_shows_to_its_admins_only(client, session, page):
    make_association(
        session,
        slug="wartend",
        status=AssociationStatus.PENDING,
        admin=make_user(session, email="founder@example.org"),
    )
    make_user(session, email="other@example.org")
    assert client.get(f"/a/wartend{page}").status_code == 404
    sign_in(client, "other@example.org")
    assert client.get(f"/a/wartend{page}").status_code == 404
    client.post("/auth/logout")
    sign_in(client, "founder@example.org")
    assert client.get(f"/a/wartend{page}").status_code == 200


def test_there_is_one_association_loader():
    """``associations.queries.association_or_404`` alone loads the association of a path."""
    others = []
    for module in (ROOT / "twinning").rglob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.name.lstrip("_") in {
                "association_or_404",
                "space_or_404",
                "visible_or_404",
            }:
                others.append(f"{module.relative_to(ROOT)}: {node.name}")
    assert others == ["twinning/associations/queries.py: association_or_404"]
