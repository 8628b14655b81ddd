"""The per-process cache of network-wide figures (NETWORK_CACHE_SECONDS; off in the other tests)."""

from __future__ import annotations

import re

import pytest

from tests.conftest import sign_in
from tests.factories import make_association, make_member, make_proposal, make_user
from tests.network.builders import support
from tests.querycount import get_counted
from twinning.network import cache


@pytest.fixture
def cached(app, monkeypatch):
    """The cache on for one test, empty before and after."""
    monkeypatch.setitem(app.config, "NETWORK_CACHE_SECONDS", 60)
    cache.clear(app)
    yield
    cache.clear(app)


def _goal_13_proposals(client) -> int:
    page = client.get("/sdgs").get_data(as_text=True)
    return int(re.search(r'sdg-tile sdg-13".*?<dd>(\d+)</dd>', page, re.S).group(1))


def _climate_proposal(session, title: str):
    association = make_association(session)
    author = make_member(session, association)
    proposal = make_proposal(session, association, author, title=title, sdgs=[13])
    support(session, proposal, author)
    return association


def test_goal_counts_are_kept_until_the_time_is_up(client, session, cached, clock):
    _climate_proposal(session, "First")
    status, first = get_counted(client, "/sdgs")
    assert status == 200 and first.total > 0
    _climate_proposal(session, "Second")
    status, second = get_counted(client, "/sdgs")
    assert second.total < first.total  # the grouped counts were not read again
    assert _goal_13_proposals(client) == 1  # up to a minute old, as documented

    clock[0] += 61
    status, third = get_counted(client, "/sdgs")
    assert third.total == first.total  # expired: counted afresh
    assert _goal_13_proposals(client) == 2


def test_dashboard_and_csv_share_the_kept_figures(client, session, cached, clock):
    _climate_proposal(session, "First")
    assert client.get("/network").status_code == 200
    status, counted = get_counted(client, "/network/coverage.csv")
    assert status == 200 and counted.total == 0
    status, counted = get_counted(client, "/network/activity.csv")
    assert status == 200 and counted.total == 0


def test_zero_seconds_means_always_fresh(app, client, session, monkeypatch):
    monkeypatch.setitem(app.config, "NETWORK_CACHE_SECONDS", 0)
    _climate_proposal(session, "First")
    _status, first = get_counted(client, "/sdgs")
    _status, again = get_counted(client, "/sdgs")
    assert again.total == first.total > 0
    assert not app.extensions.get(cache._EXTENSION)


def test_only_figures_that_are_the_same_for_everyone_are_kept(app, client, session, cached):
    """Signed-in home pages show the visitor's own places: never from the cache."""
    make_association(session, name="Other place", admin=make_user(session, email="other@example.org"))
    _climate_proposal(session, "First")
    for path in (
        "/",
        "/sdgs",
        "/network",
        "/network/coverage.csv",
        "/network/goals.csv",
        "/network/activity.csv",
        "/sdgs/13",
    ):
        assert client.get(path).status_code == 200
    sign_in(client, "other@example.org")
    assert "Other place" in client.get("/").get_data(as_text=True)
    keys = {key if isinstance(key, str) else key[0] for key in app.extensions[cache._EXTENSION]}
    assert keys == {"goal_counts", "proposals_per_goal", "coverage", "activity"}


def test_clear_forgets_everything(app, client, session, cached):
    _climate_proposal(session, "First")
    client.get("/sdgs")
    assert app.extensions[cache._EXTENSION]
    cache.clear(app)
    assert not app.extensions[cache._EXTENSION]
