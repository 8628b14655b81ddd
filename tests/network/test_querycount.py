"""The network's pages send a constant number of statements, whatever the amount of data."""

from __future__ import annotations

import pytest

from tests.conftest import sign_in
from tests.factories import make_association, make_group, make_member, make_proposal, make_user, theme
from tests.network.builders import give_association_goals, give_group_goals, support
from tests.querycount import get_counted
from twinning.associations.models import Partnership


def build(session, associations: int) -> None:
    climate = theme(session, "klimaschutz")
    for n in range(associations):
        association = make_association(session, admin=make_user(session) if n == 0 else None)
        give_association_goals(session, association, (n % 17) + 1)
        session.add(Partnership(association_id=association.id, city=f"City {n}", country="FR"))
        author = make_member(session, association)
        for k in range(3):
            proposal = make_proposal(
                session, association, author, sdgs=sorted({(n + k) % 17 + 1, 13}), themes=[climate]
            )
            support(session, proposal, author)
            proposal.answer, proposal.answered_at = "Yes", proposal.created_at
        give_group_goals(session, make_group(session, association, coordinator=author), *{13, (n % 17) + 1})


PAGES = ["/", "/sdgs", "/sdgs/13", "/themes/klimaschutz", "/network", "/network/coverage.csv", "/feed.atom"]


def counts(client, paths=PAGES) -> dict[str, int]:
    found = {}
    for path in paths:
        status, counted = get_counted(client, path)
        assert status == 200, path
        found[path] = counted.total
    return found


@pytest.mark.parametrize("path", PAGES)
def test_statements_do_not_grow_with_data(client, session, path):
    build(session, 2)
    small = counts(client, [path])[path]
    build(session, 12)
    large = counts(client, [path])[path]
    assert large == small, f"{path}: {small} statements with little data, {large} with more"


def test_budgets(client, session):
    build(session, 5)
    budget = {"/sdgs": 3, "/network": 8, "/": 11, "/sdgs/13": 10, "/themes/klimaschutz": 11, "/feed.atom": 4}
    found = counts(client, list(budget))
    assert all(found[path] <= limit for path, limit in budget.items()), found


def test_signed_in_home_and_insights_stay_constant(client, session):
    admin = make_user(session, email="counted@example.org")
    association = make_association(session, admin=admin)
    sign_in(client, "counted@example.org")
    build(session, 2)
    pages = ["/", f"/a/{association.slug}/insights", f"/a/{association.slug}/feed.atom"]
    first = make_member(session, association)
    support(session, make_proposal(session, association, first, sdgs=[3]), first)
    small = counts(client, pages)
    for _ in range(10):
        member = make_member(session, association)
        proposal = make_proposal(session, association, member, sdgs=[3])
        support(session, proposal, member)
    large = counts(client, pages)
    assert small == large
