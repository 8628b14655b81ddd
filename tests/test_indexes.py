"""The proposal list and the goal pages use indexes, on SQLite and PostgreSQL (EXPLAIN)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from twinning.associations.models import Association
from twinning.network.queries import goal_topic, published_proposal
from twinning.proposals.models import Proposal
from twinning.proposals.queries import SORTS, _listing
from twinning.scale import seed_scale

pytestmark = pytest.mark.usefixtures("ctx")


def _plan(session, statement) -> str:
    connection = session.connection()
    sql = str(statement.compile(connection, compile_kwargs={"literal_binds": True}))
    if connection.dialect.name == "postgresql":
        # With a handful of test rows the planner rightly prefers a sequential scan; forbid
        # it to see which index the query *can* use, as it will on real data.
        session.execute(text("SET LOCAL enable_seqscan = off"))
        return "\n".join(row[0] for row in session.execute(text("EXPLAIN " + sql)))
    return "\n".join(row[3] for row in session.execute(text("EXPLAIN QUERY PLAN " + sql)))


@pytest.fixture
def association(session):
    """Enough rows in several associations for the planners' statistics to mean something."""
    seed_scale(
        session,
        associations=20,
        users=200,
        proposals=2_000,
        supports=4_000,
        seed=5,
        password_hash="x",
        add_to_existing=True,
    )
    session.execute(text("ANALYZE"))
    # The association with the most proposals: the list page that must not sort them all.
    return session.scalar(
        select(Association)
        .join(Proposal, Proposal.association_id == Association.id)
        .group_by(Association.id)
        .order_by(func.count().desc())
        .limit(1)
    )


@pytest.mark.parametrize("sort", list(SORTS))
def test_proposal_list_walks_its_sort_index(session, association, sort):
    statement = _listing(association.id, None, None, None).order_by(*SORTS[sort]).limit(20)
    plan = _plan(session, statement)
    assert f"ix_proposals_list_{sort}" in plan, plan
    assert "TEMP B-TREE" not in plan and "Seq Scan on proposals" not in plan, plan


def test_proposal_list_filtered_by_goal_uses_the_goal_index(session, association):
    statement = _listing(association.id, None, 13, None).order_by(*SORTS["new"]).limit(20)
    plan = _plan(session, statement)
    assert "ix_proposal_sdgs_sdg" in plan or "pk_proposal_sdgs" in plan, plan
    assert "Seq Scan" not in plan, plan


def test_goal_page_finds_proposals_through_the_goal_index(session, association):
    statement = (
        select(Proposal)
        .join(Proposal.association)
        .where(published_proposal(), Proposal.id.in_(goal_topic(13).proposal_ids))
        .order_by(Proposal.created_at.desc())
        .limit(20)
    )
    plan = _plan(session, statement)
    # Either from the goal to its proposals, or along the newest published proposals probing
    # the goal's key (PostgreSQL's choice): both by index, neither reads whole tables.
    assert "ix_proposal_sdgs_sdg" in plan or "pk_proposal_sdgs" in plan, plan
    assert "Seq Scan" not in plan, plan
    assert not any(line.strip() in ("SCAN proposals", "SCAN proposal_sdgs") for line in plan.splitlines()), (
        plan
    )
