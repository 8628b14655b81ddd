"""Queries, figures, charts, CSV and Atom building blocks of the network feature."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from tests.factories import make_association, make_group, make_member, make_proposal
from tests.network.builders import give_group_goals, support
from twinning.associations.models import AssociationStatus, Membership, MembershipState
from twinning.core.content import ModerationState
from twinning.core.csv_export import safe_cell
from twinning.core.db import utcnow
from twinning.network import queries, stats
from twinning.network.activity import recent_activity
from twinning.network.charts import Datum, bar_chart, column_chart
from twinning.network.feeds import rfc3339
from twinning.proposals.models import Lifecycle


def test_month_starts_cross_the_year():
    starts = stats.month_starts(date(2025, 3, 15))
    assert len(starts) == 12
    assert starts[0] == date(2024, 4, 1) and starts[-1] == date(2025, 3, 1)


def test_goal_counts_only_count_published(session):
    association = make_association(session)
    author = make_member(session, association)
    make_proposal(session, association, author, sdgs=[4, 5])
    make_proposal(session, association, author, sdgs=[4], moderation_state=ModerationState.PENDING)
    suspended = make_association(session, status=AssociationStatus.SUSPENDED)
    make_proposal(session, suspended, make_member(session, suspended), sdgs=[4])
    give_group_goals(session, make_group(session, association), 4)
    counts = queries.goal_counts()
    assert (counts[4].proposals, counts[4].groups, counts[4].associations) == (1, 1, 1)
    assert counts[5].proposals == 1 and counts[6].proposals == 0


def test_coverage_matrix_and_gaps(session):
    association = make_association(session, name="A")
    author = make_member(session, association)
    make_proposal(session, association, author, sdgs=[1, 2])
    give_group_goals(session, make_group(session, association), 2)
    coverage = stats.coverage()
    row = next(r for r in coverage.rows if r.association.id == association.id)
    assert row.cells[1] == 1 and row.cells[2] == 2 and row.total == 3
    assert 1 not in coverage.uncovered and 3 in coverage.uncovered


def test_insights_figures(session):
    association = make_association(session)
    old = make_member(session, association)
    recent = make_member(session, association)
    memberships = {
        m.user_id: m
        for m in session.scalars(select(Membership).where(Membership.association_id == association.id))
    }
    memberships[old.id].created_at = datetime(utcnow().year - 1, 6, 1, tzinfo=UTC)
    memberships[old.id].last_active_at = utcnow() - timedelta(days=200)
    memberships[recent.id].last_active_at = utcnow() - timedelta(days=3)
    pending = make_member(session, association)
    memberships_pending = session.scalar(select(Membership).where(Membership.user_id == pending.id))
    memberships_pending.state = MembershipState.PENDING
    proposal = make_proposal(session, association, recent, lifecycle=Lifecycle.ACCEPTED)
    make_proposal(session, association, recent, moderation_state=ModerationState.PENDING)
    support(session, proposal, old)
    session.flush()
    figures = stats.association_insights(association)
    assert figures.members == 2 and figures.active_members == 1
    assert figures.new_members_this_year == 1 and figures.pending_requests == 1
    assert dict(figures.proposals_by_state) == {"approved": 1, "pending": 1}
    assert dict(figures.proposals_by_lifecycle) == {"accepted": 1}
    assert figures.supports[-1][1] == 1


def test_recent_activity_is_newest_first_and_scoped(session, ctx):
    one = make_association(session)
    other = make_association(session)
    first = make_proposal(session, one, make_member(session, one), title="first")
    first.published_at = utcnow() - timedelta(days=2)
    make_proposal(session, other, make_member(session, other), title="other")
    session.flush()
    items = recent_activity(one)
    assert [item.title for item in items] == ["first"]
    assert recent_activity()[0].title == "other"


def test_bar_chart_scales_to_the_largest_value():
    chart = bar_chart(
        "c", "T", "D", [Datum("a", 2), Datum("b", 4), Datum("c", 0)], label_header="L", value_header="V"
    )
    widths = [shape.width for shape in chart.shapes]
    assert widths[1] == 2 * widths[0] and widths[2] == 0 and chart.total == 6
    assert chart.height == 3 * 26


def test_column_chart_of_zeros_stays_flat():
    chart = column_chart("c", "T", "D", [Datum("Jan", 0)] * 12, label_header="L", value_header="V")
    assert all(shape.height == 0 for shape in chart.shapes) and len(chart.shapes) == 12


def test_safe_cell_defuses_formulas():
    assert safe_cell("=1+1") == "'=1+1"
    assert safe_cell("+49 241") == "'+49 241"
    assert safe_cell("-x") == "'-x" and safe_cell("@me") == "'@me"
    assert safe_cell("Aachen") == "Aachen" and safe_cell(5) == 5 and safe_cell(None) == ""


def test_rfc3339_is_utc_with_z():
    assert rfc3339(datetime(2025, 5, 1, 12, 0, tzinfo=UTC)) == "2025-05-01T12:00:00Z"
    assert rfc3339(datetime(2025, 5, 1, 12, 0)) == "2025-05-01T12:00:00Z"


def test_network_supports_per_month_count_only_published_proposals(session):
    starts = stats.month_starts(date(2026, 3, 15))  # April 2025 … March 2026
    active = make_association(session)
    suspended = make_association(session)
    member = make_member(session, active)
    published = make_proposal(session, active, member)
    pending = make_proposal(session, active, member, moderation_state=ModerationState.PENDING)
    hidden = make_proposal(session, active, member, moderation_state=ModerationState.HIDDEN)
    elsewhere = make_proposal(session, suspended, make_member(session, suspended))
    suspended.status = AssociationStatus.SUSPENDED
    at = [
        datetime(2026, 3, 1, tzinfo=UTC),  # first instant of the last month
        datetime(2026, 2, 28, 23, 59, 59, 999999, tzinfo=UTC),  # last instant of the one before
        datetime(2025, 4, 1, tzinfo=UTC),  # first month of the window
        datetime(2025, 3, 31, 23, 59, tzinfo=UTC),  # before the window
        datetime(2026, 4, 1, tzinfo=UTC),
    ]  # after it
    for when in at:
        support(session, published, make_member(session, active), at=when)
    for proposal in (pending, hidden, elsewhere):
        support(session, proposal, make_member(session, active), at=at[0])
    session.flush()
    supports = dict(stats.network_activity(starts).supports)
    assert supports[date(2026, 3, 1)] == 1 and supports[date(2026, 2, 1)] == 1
    assert supports[date(2025, 4, 1)] == 1 and sum(supports.values()) == 3
