"""The visitors' page cache (twinning/core/pagecache.py; off in the other tests, on in the browser tests)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import sign_in
from tests.factories import make_association, make_member, make_proposal, make_user
from tests.querycount import count_queries
from twinning.core import pagecache
from twinning.core.pagecache import ContentVersion, Copy, PageStore, current_version


@pytest.fixture
def cached(app, monkeypatch):
    """The cache on for one test, empty before and after."""
    monkeypatch.setitem(app.config, "PAGE_CACHE_SECONDS", 60)
    pagecache.clear(app)
    yield
    pagecache.clear(app)


@pytest.fixture
def space(session):
    association = make_association(session, slug="reims-cache")
    author = make_member(session, association, name="Ada Author")
    proposal = make_proposal(session, association, author, title="Bike library")
    return association, author, proposal


def _list(client, **headers):
    return client.get("/a/reims-cache/proposals", headers=headers)


# -- the version ----------------------------------------------------------------------------


def test_a_committed_write_changes_the_version(session):
    before = current_version(session)
    make_user(session)
    session.commit()
    assert current_version(session) not in ("", before)


def test_reading_and_rolling_back_leave_the_version(session):
    make_user(session)
    session.commit()
    before = current_version(session)
    session.scalars(select(ContentVersion)).all()
    session.commit()
    assert current_version(session) == before
    make_user(session)
    session.flush()
    session.rollback()
    assert current_version(session) == before


def test_a_bulk_statement_changes_the_version(session, space):
    from twinning.proposals.models import Proposal

    session.commit()
    before = current_version(session)
    session.execute(Proposal.__table__.update().values(title="Renamed by a script"))
    session.commit()
    assert current_version(session) != before


def test_the_version_row_is_one_row(session):
    from sqlalchemy.exc import IntegrityError

    session.add(ContentVersion(id=2, token="second"))
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


# -- serving --------------------------------------------------------------------------------


def test_the_second_visitor_gets_the_copy_with_one_statement(client, app, cached, space):
    first = _list(client)
    assert first.status_code == 200 and first.headers["X-Page-Cache"] == "miss"
    with count_queries() as counted:
        second = _list(app.test_client())
    assert second.headers["X-Page-Cache"] == "hit"
    assert second.data == first.data and "Bike library" in second.get_data(as_text=True)
    assert counted.total == 1, counted  # the version, nothing else
    # Every response still carries the headers of a fresh one.
    assert "Content-Security-Policy" in second.headers and second.mimetype == "text/html"


def test_a_support_drops_every_copy(client, app, cached, space, session):
    association, _author, proposal = space
    supporter = make_member(session, association, email="supporter@example.org")
    english = {"Accept-Language": "en"}
    assert "0 supports" in _list(client, **english).get_data(as_text=True)
    assert _list(client, **english).headers["X-Page-Cache"] == "hit"

    member = app.test_client()
    sign_in(member, supporter.email)
    assert member.post(f"/a/reims-cache/proposals/{proposal.id}/support").status_code == 302

    after = _list(client, **english)
    assert after.headers["X-Page-Cache"] == "miss"
    assert "1 support<" in after.get_data(as_text=True)


def test_a_write_by_another_process_drops_the_copy(client, cached, space, session):
    _list(client)
    assert _list(client).headers["X-Page-Cache"] == "hit"
    proposal = space[2]
    session.get(type(proposal), proposal.id).title = "Bike library, renamed"
    session.commit()  # as a command or another server would
    after = _list(client)
    assert after.headers["X-Page-Cache"] == "miss"
    assert "Bike library, renamed" in after.get_data(as_text=True)


def test_a_copy_expires(client, cached, clock, space):
    _list(client)
    clock[0] += 59
    assert _list(client).headers["X-Page-Cache"] == "hit"
    clock[0] += 2
    assert _list(client).headers["X-Page-Cache"] == "miss"


def test_each_language_has_its_own_copy(client, cached, space):
    german = _list(client, **{"Accept-Language": "de"})
    english = _list(client, **{"Accept-Language": "en"})
    assert english.headers["X-Page-Cache"] == "miss"
    assert '<html lang="de"' in german.get_data(as_text=True)
    assert '<html lang="en"' in english.get_data(as_text=True)
    again = _list(client, **{"Accept-Language": "en-GB,en;q=0.9"})
    assert again.headers["X-Page-Cache"] == "hit" and '<html lang="en"' in again.get_data(as_text=True)


def test_signed_in_people_and_sessions_always_get_a_fresh_page(client, app, cached, space, session):
    _list(client)
    member = app.test_client()
    sign_in(member, space[1].email)
    response = _list(member)
    assert "X-Page-Cache" not in response.headers

    chooser = app.test_client()
    chosen = chooser.get("/a/reims-cache/proposals?lang=en")
    assert "X-Page-Cache" not in chosen.headers and chosen.headers.get("Set-Cookie")
    # The choice lives in the session cookie: the next page is rendered in English for them.
    follow = _list(chooser, **{"Accept-Language": "de"})
    assert "X-Page-Cache" not in follow.headers and '<html lang="en"' in follow.get_data(as_text=True)


def test_errors_and_pages_that_write_the_session_are_not_kept(client, cached, space):
    assert client.get("/a/nowhere/proposals").status_code == 404
    assert client.get("/a/nowhere/proposals").headers.get("X-Page-Cache") == "miss"
    # The sign-in form carries a CSRF token (in the session) and is never a visitors' page.
    assert "X-Page-Cache" not in client.get("/auth/login").headers


def test_the_cache_can_be_turned_off(client, app, space, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_CACHE_SECONDS", 0)
    assert "X-Page-Cache" not in _list(client).headers


def test_the_store_drops_the_least_recently_used_page():
    store = PageStore(capacity=2)
    for name in ("a", "b"):
        store.put(("de", name), Copy("v", 0.0, name.encode(), "text/html"))
    store.get(("de", "a"))
    store.put(("de", "c"), Copy("v", 0.0, b"c", "text/html"))
    assert store.get(("de", "b")) is None
    assert store.get(("de", "a")) is not None and store.get(("de", "c")) is not None
    assert len(store) == 2


def test_a_copy_is_gzipped_for_browsers_that_accept_it(client, cached, space):
    import gzip

    plain = _list(client)
    packed = _list(client, **{"Accept-Encoding": "gzip, deflate, br"})
    assert packed.headers["X-Page-Cache"] == "hit" and packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == plain.data
    assert packed.headers["Vary"] == plain.headers["Vary"]


def test_head_is_answered_from_the_copy_without_a_body(client, cached, space):
    full = _list(client)
    head = client.head("/a/reims-cache/proposals")
    assert head.headers["X-Page-Cache"] == "hit" and head.data == b""
    assert int(head.headers["Content-Length"]) == len(full.data)


def test_every_main_page_for_visitors_is_kept_and_served_with_one_statement(client, app, cached, session):
    from tests.test_query_budgets import PAGES, _grow, _subjects

    _grow(session, 1)
    subjects = _subjects(session)
    visitor_pages = {
        name: path.format(**subjects) for name, (path, who, _budget) in PAGES.items() if who is None
    }
    assert len(visitor_pages) == 10
    for name, path in visitor_pages.items():
        first = client.get(path)
        assert (first.status_code, first.headers.get("X-Page-Cache")) == (200, "miss"), name
        with count_queries() as counted:
            again = app.test_client().get(path)
        assert again.headers.get("X-Page-Cache") == "hit", name
        assert again.data == first.data, name
        assert counted.total == 1, (name, counted)


def test_a_forged_host_cannot_poison_a_copy(client, app, cached, space):
    for path in ("/a/reims-cache/proposals", "/feed.atom", "/a/reims-cache/feed.atom"):
        forged = client.get(path, headers={"Host": "evil.example", "X-Forwarded-Host": "evil.example"})
        assert forged.headers["X-Page-Cache"] == "miss"
        served = app.test_client().get(path)
        assert served.headers["X-Page-Cache"] == "hit", path
        assert b"evil.example" not in served.data, path  # links are relative, feeds use BASE_URL
