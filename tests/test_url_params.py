"""Query arguments never reach ``url_for`` as keywords: any key gives the normal page."""

from __future__ import annotations

import re

import pytest

from tests.conftest import sign_in
from tests.factories import make_association, make_group, make_member, make_proposal
from twinning.associations.models import Role
from twinning.core import pagecache

# Keys that url_for would take as its own when splatted, and one of each kind of other key.
ODD_QUERIES = [
    "endpoint=x",
    "_method=POST",
    "_external=1",
    "_anchor=x",
    "_scheme=javascript",
    "values=1",
    "endpoint=x&_external=1&_scheme=https&_anchor=top",
    "lang=en&endpoint=x",
    "page=1&endpoint=x",
    "utm_source=mail",
]

VISITOR_PAGES = [
    "/",
    "/associations",
    "/a/params-town",
    "/a/params-town/proposals",
    "/a/params-town/proposals/{proposal}",
    "/groups",
    "/groups/{group}",
    "/sdgs",
    "/sdgs/13",
    "/network",
    "/get-involved",
    "/imprint",
    "/auth/login",
    "/auth/register",
]
SIGNED_IN_PAGES = [
    *VISITOR_PAGES[:7],
    "/notifications",
    "/profile",
    "/a/params-town/moderation",
    "/a/params-town/moderation/log",
]


@pytest.fixture
def town(session):
    association = make_association(session, slug="params-town")
    admin = make_member(session, association, role=Role.ADMIN, email="params-admin@example.org")
    proposal = make_proposal(session, association, admin, title="Shared bikes")
    group = make_group(session, association, name="Cyclists", coordinator=admin)
    return {"proposal": proposal.id, "group": group.id, "admin": admin.email}


def _language_links(page: str) -> list[str]:
    return re.findall(r'<a href="([^"]*)"\s+lang=', page)


def _check(client, path: str, query: str) -> None:
    response = client.get(f"{path}?{query}")
    assert response.status_code == 200, (path, query, response.status_code)
    assert "Content-Security-Policy" in response.headers, (path, query)
    page = response.get_data(as_text=True)
    expected = "en" if "lang=en" in query else "de"
    assert f'<html lang="{expected}"' in page, (path, query)
    links = _language_links(page)
    assert len(links) == 2, (path, query)
    for link in links:
        assert link.startswith("/"), (path, query, link)  # never absolute, never another scheme
        assert not re.search(r"endpoint|_method|_external|_anchor|_scheme|values|utm|#", link), (
            path,
            query,
            link,
        )


@pytest.mark.parametrize("query", ODD_QUERIES)
def test_any_query_key_gives_the_normal_page_to_visitors(client, town, query):
    for template in VISITOR_PAGES:
        _check(client, template.format(**town), query)


@pytest.mark.parametrize("query", ODD_QUERIES)
def test_any_query_key_gives_the_normal_page_when_signed_in(client, town, query):
    sign_in(client, town["admin"])
    for template in SIGNED_IN_PAGES:
        _check(client, template.format(**town), query)


def test_a_visitors_page_with_odd_keys_is_the_plain_page(client, town):
    for template in VISITOR_PAGES[:12]:  # the pages without a form (no CSRF token)
        path = template.format(**town)
        plain = client.get(path).data
        assert client.get(f"{path}?endpoint=x&_external=1&utm_source=mail").data == plain, path


def test_links_to_this_page_keep_the_known_arguments_by_name(client, town):
    page = client.get("/groups?q=Cyc&open_to=everyone&endpoint=x&_external=1").get_data(as_text=True)
    links = _language_links(page)
    assert links == [
        "/groups?open_to=everyone&amp;q=Cyc&amp;lang=de",
        "/groups?open_to=everyone&amp;q=Cyc&amp;lang=en",
    ]


def test_the_error_page_survives_odd_keys_too(client):
    response = client.get("/a/nowhere-at-all?endpoint=x&_external=1")
    assert response.status_code == 404
    assert "Content-Security-Policy" in response.headers
    assert all(link.startswith("/") for link in _language_links(response.get_data(as_text=True)))


def test_a_forged_host_with_external_does_not_end_up_in_any_copy(app, client, town, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_CACHE_SECONDS", 60)
    pagecache.clear(app)
    try:
        paths = [template.format(**town) for template in VISITOR_PAGES[:12]]
        for path in paths:
            for query in ("_external=1", "_external=1&_scheme=javascript", ""):
                forged = app.test_client().get(
                    f"{path}?{query}", headers={"Host": "evil.example", "X-Forwarded-Host": "evil.example"}
                )
                assert forged.status_code == 200 and b"evil.example" not in forged.data, (path, query)
                for served in (app.test_client().get(f"{path}?{query}"), app.test_client().get(path)):
                    assert served.status_code == 200, (path, query)
                    assert b"evil.example" not in served.data and b"javascript:" not in served.data, (
                        path,
                        query,
                    )
    finally:
        pagecache.clear(app)
