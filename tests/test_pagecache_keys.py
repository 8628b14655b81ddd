"""The visitors' page cache, sound: what a copy is keyed by, what it carries, and which writes
drop it (twinning/core/pagecache.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import sign_in
from tests.factories import make_association, make_member, make_proposal, make_user, theme
from twinning.auth.models import EmailNotifications, User
from twinning.core import pagecache
from twinning.core.db import Base
from twinning.core.navigation import QUERY_ARGS
from twinning.core.pagecache import PRIVATE_COLUMNS, PRIVATE_TABLES, PUBLIC_TABLES, current_version
from twinning.notifications.models import Notification
from twinning.notifications.services import mark_all_read, mark_read, notify

LIST = "/a/keys-town/proposals"


@pytest.fixture
def cached(app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_CACHE_SECONDS", 60)
    pagecache.clear(app)
    yield
    pagecache.clear(app)


@pytest.fixture
def town(session):
    association = make_association(session, slug="keys-town")
    author = make_member(session, association, name="Ada Author", email="ada@example.org")
    author.email_notifications = EmailNotifications.NEVER  # notify() then queues no mail
    make_proposal(session, association, author, title="Bike library")
    session.commit()
    return association, author


def _copies(app) -> int:
    return len(pagecache.store(app))


# -- Vary -----------------------------------------------------------------------------------


def test_every_copy_and_its_page_vary_by_language_and_cookie(app, client, cached, town):
    paths = [
        LIST,
        "/",
        "/associations",
        "/groups",
        "/sdgs",
        "/network",
        "/imprint",
        "/network/coverage.csv",
        "/feed.atom",
    ]
    for path in paths:
        miss = client.get(path, headers={"Accept-Language": "en"})
        hit = app.test_client().get(path, headers={"Accept-Language": "en-GB"})
        assert (miss.headers["X-Page-Cache"], hit.headers["X-Page-Cache"]) == ("miss", "hit"), path
        for response in (miss, hit):
            assert {"accept-language", "cookie"} <= set(response.vary.as_set()), (path, response.vary)


def test_a_signed_in_page_of_a_visitors_view_varies_too(client, cached, town):
    sign_in(client, town[1].email)
    assert "accept-language" in client.get(LIST).vary.as_set()


# -- what a copy carries --------------------------------------------------------------------


def test_a_cached_csv_keeps_its_disposition_and_type(app, client, cached, town):
    first = client.get("/network/coverage.csv")
    again = app.test_client().get("/network/coverage.csv")
    assert again.headers["X-Page-Cache"] == "hit" and again.data == first.data
    assert again.headers["Content-Disposition"] == first.headers["Content-Disposition"]
    assert again.headers["Content-Disposition"].startswith('attachment; filename="twinning-coverage-')
    assert again.headers["Content-Type"] == "text/csv; charset=utf-8"


# -- the key --------------------------------------------------------------------------------


def test_unknown_query_keys_neither_make_copies_nor_miss_them(app, client, cached, town):
    plain = client.get(LIST)
    assert plain.headers["X-Page-Cache"] == "miss" and _copies(app) == 1
    for query in (
        "utm_source=mail",
        "x=random",
        "x=other&y=1",
        "endpoint=x",
        "_external=1",
        "page_size=1000",
    ):
        response = app.test_client().get(f"{LIST}?{query}")
        assert response.headers["X-Page-Cache"] == "hit", query
        assert response.data == plain.data, query
    assert _copies(app) == 1


def test_a_copy_made_with_unknown_keys_is_the_plain_page(app, client, cached, town):
    first = client.get(f"{LIST}?utm_campaign=spring")
    plain = app.test_client().get(LIST)
    assert plain.headers["X-Page-Cache"] == "hit" and plain.data == first.data


def test_known_arguments_have_their_own_copies(app, client, cached, town):
    client.get(LIST)
    newest = client.get(f"{LIST}?sort=newest")
    assert newest.headers["X-Page-Cache"] == "miss" and _copies(app) == 2
    # The same arguments in another order, or with unknown ones among them, are the same copy.
    assert client.get(f"{LIST}?utm=1&sort=newest").headers["X-Page-Cache"] == "hit"
    assert client.get(f"{LIST}?page=1&sort=newest").headers["X-Page-Cache"] == "miss"
    assert client.get(f"{LIST}?sort=newest&page=1").headers["X-Page-Cache"] == "hit"


def test_a_page_that_reads_no_argument_has_one_copy(app, client, cached, town):
    client.get("/sdgs")
    for query in ("page=2", "sort=newest", "q=x", "next=/x"):
        assert client.get(f"/sdgs?{query}").headers["X-Page-Cache"] == "hit", query
    assert _copies(app) == 1


def test_every_visitors_view_declares_arguments_links_can_keep(app):
    views = {
        name: view for name, view in app.view_functions.items() if getattr(view, "cached_for_visitors", False)
    }
    assert len(views) >= 20
    for name, view in views.items():
        assert view.query_args <= QUERY_ARGS, name
    assert app.view_functions["proposals.index"].query_args == {"theme", "sdg", "status", "sort", "page"}
    assert app.view_functions["network.sdgs"].query_args == frozenset()


# -- which writes drop the copies -----------------------------------------------------------


def test_every_table_is_named_public_or_private():
    tables = set(Base.metadata.tables)
    assert tables <= PUBLIC_TABLES | PRIVATE_TABLES, tables - PUBLIC_TABLES - PRIVATE_TABLES
    assert not PUBLIC_TABLES & PRIVATE_TABLES
    for table, columns in PRIVATE_COLUMNS.items():
        assert table in PUBLIC_TABLES
        assert columns <= set(Base.metadata.tables[table].columns.keys()), table


def test_a_sign_in_keeps_every_copy(app, client, cached, town):
    assert client.get(LIST).headers["X-Page-Cache"] == "miss"
    member = app.test_client()
    assert sign_in(member, town[1].email).status_code == 302
    assert member.get("/").status_code == 200
    assert app.test_client().get(LIST).headers["X-Page-Cache"] == "hit"


def test_notifications_and_reading_them_keep_every_copy(app, client, cached, town, session):
    author = town[1]
    notify(session, author, "moderation.approve", link=LIST, title="Bike library")
    assert client.get(LIST).headers["X-Page-Cache"] == "miss"
    note_id = notify(session, author, "moderation.approve", link=LIST, title="Bike library").id
    member = app.test_client()
    sign_in(member, author.email)
    assert member.post(f"/notifications/{note_id}/open").status_code == 302
    assert member.post("/notifications/read-all").status_code == 302
    assert app.test_client().get(LIST).headers["X-Page-Cache"] == "hit"


def test_a_public_write_drops_every_copy(app, client, cached, town, session):
    from twinning.proposals.models import Proposal

    detail = f"{LIST}/{session.scalar(select(Proposal.id).where(Proposal.title == 'Bike library'))}"
    assert "Ada Author" in client.get(detail).get_data(as_text=True)
    member = app.test_client()
    sign_in(member, town[1].email)
    response = member.post("/profile", data={"display_name": "Ada Renamed", "locale": "de", "bio": ""})
    assert response.status_code == 302
    after = app.test_client().get(detail)
    assert after.headers["X-Page-Cache"] == "miss" and "Ada Renamed" in after.get_data(as_text=True)


def _version_after(session, change) -> tuple[str, str]:
    session.commit()
    before = current_version(session)
    change()
    session.commit()
    return before, current_version(session)


@pytest.mark.parametrize(
    "private_change", ["sign-in columns", "notification", "read one", "read all", "locale"]
)
def test_private_writes_keep_the_version(session, town, private_change):
    from twinning.core.db import utcnow

    author = town[1]
    note = notify(session, author, "moderation.approve", link=LIST, title="T")
    changes = {
        "sign-in columns": lambda: (
            setattr(author, "last_seen_at", utcnow()),
            setattr(author, "session_version", author.session_version + 1),
        ),
        "notification": lambda: notify(session, author, "moderation.approve", link=LIST, title="T"),
        "read one": lambda: mark_read(session, author, note),
        "read all": lambda: mark_all_read(session, author),
        "locale": lambda: setattr(author, "locale", "en"),
    }
    before, after = _version_after(session, changes[private_change])
    assert before == after != ""


@pytest.mark.parametrize(
    "public_change",
    [
        "display name",
        "new user",
        "proposal title",
        "deleted notification and a new proposal",
        "bulk update of users",
        "theme of a proposal",
    ],
)
def test_public_writes_change_the_version(session, town, public_change):
    from twinning.proposals.models import Proposal

    association, author = town
    proposal = session.scalars(select(Proposal).where(Proposal.association_id == association.id)).one()
    changes = {
        "display name": lambda: setattr(author, "display_name", "Ada Renamed"),
        "new user": lambda: make_user(session),
        "proposal title": lambda: setattr(proposal, "title", "Bike library, renamed"),
        "deleted notification and a new proposal": lambda: (
            session.execute(Notification.__table__.delete()),
            make_proposal(session, association, author),
        ),
        "bulk update of users": lambda: session.execute(User.__table__.update().values(bio="changed")),
        "theme of a proposal": lambda: proposal.themes.append(theme(session, "klimaschutz")),
    }
    before, after = _version_after(session, changes[public_change])
    assert before != after


def test_only_private_bulk_statements_keep_the_version(session, town):
    before, after = _version_after(
        session, lambda: session.execute(Notification.__table__.update().values(read_at=None))
    )
    assert before == after
