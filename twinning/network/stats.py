"""Figures for the coverage dashboard and an association's insights: grouped counts only."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

from sqlalchemy import and_, func, select
from sqlalchemy.orm import joinedload

from twinning.associations.models import Association, Membership, MembershipState
from twinning.core.content import ModerationState
from twinning.core.db import utcnow
from twinning.core.extensions import db
from twinning.groups.models import Group, OpenTo, Thread
from twinning.network.queries import (
    active_association,
    declared_goal_pairs,
    groups_per_goal_and_association,
    proposals_per_goal_and_association,
    published_proposal,
)
from twinning.proposals.models import Proposal, Support

MONTHS = 12
ACTIVE_DAYS = 90
TOP_GROUPS = 10


def month_starts(today: date | None = None, months: int = MONTHS) -> list[date]:
    """The first day of each of the last ``months`` months, oldest first, this month last."""
    today = today or utcnow().date()
    year, month = today.year, today.month
    starts = []
    for _ in range(months):
        starts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def _month_key(column):
    """'YYYY-MM' of a UTC timestamp column, on PostgreSQL and SQLite alike."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM")
    return func.substr(column, 1, 7)  # SQLite stores UTC timestamps as ISO text


def _per_month(column, query, starts: list[date]) -> list[tuple[date, int]]:
    """Count rows of ``query`` per month of ``column`` since the first of ``starts`` (1 query)."""
    since = datetime(starts[0].year, starts[0].month, 1, tzinfo=UTC)
    key = _month_key(column)
    rows = db.session.execute(query.with_only_columns(key, func.count()).where(column >= since).group_by(key))
    counts = {str(month): count for month, count in rows}
    return [(start, counts.get(start.strftime("%Y-%m"), 0)) for start in starts]


# -- the whole network -----------------------------------------------------------------


@dataclass(frozen=True)
class AssociationSummary:
    """What the coverage matrix shows of an association: plain values, so that the figures
    can be kept between requests (see network/cache.py) without holding ORM objects."""

    id: int
    slug: str
    name: str
    city: str
    country: str


@dataclass
class CoverageRow:
    association: AssociationSummary
    cells: dict[int, int] = field(default_factory=dict)  # goal -> proposals + groups
    declared: set[int] = field(default_factory=set)

    @property
    def total(self) -> int:
        return sum(self.cells.values())


@dataclass
class Coverage:
    rows: list[CoverageRow]
    goal_totals: dict[int, int]  # goal -> published proposals + groups
    goal_associations: dict[int, int]  # goal -> associations declaring or working on it

    @property
    def uncovered(self) -> list[int]:
        return [number for number in range(1, 18) if not self.goal_totals.get(number)]


def coverage() -> Coverage:
    """The matrix of active associations × goals (4 queries)."""
    associations = db.session.execute(
        select(Association.id, Association.slug, Association.name, Association.city, Association.country)
        .where(active_association())
        .order_by(Association.name)
    )
    rows = {a.id: CoverageRow(AssociationSummary(*a), {n: 0 for n in range(1, 18)}) for a in associations}
    goal_totals = {n: 0 for n in range(1, 18)}
    working: set[tuple[int, int]] = set(declared_goal_pairs())  # (association, goal)
    for source in (proposals_per_goal_and_association(), groups_per_goal_and_association()):
        for association_id, sdg, count in source:
            working.add((association_id, sdg))
            if association_id in rows:
                rows[association_id].cells[sdg] += count
                goal_totals[sdg] += count
    goal_associations = {n: 0 for n in range(1, 18)}
    for association_id, sdg in working:
        goal_associations[sdg] += 1
        if association_id in rows:
            rows[association_id].declared.add(sdg)
    return Coverage(list(rows.values()), goal_totals, goal_associations)


@dataclass
class Activity:
    months: list[date]
    proposals: list[tuple[date, int]]
    supports: list[tuple[date, int]]
    members: list[tuple[date, int]]

    def rows(self) -> list[tuple[date, int, int, int]]:
        return [
            (month, p, s, m)
            for (month, p), (_, s), (_, m) in zip(self.proposals, self.supports, self.members, strict=True)
        ]


def network_activity(starts: list[date] | None = None) -> Activity:
    """New published proposals, supports and new members per month (3 queries)."""
    starts = starts or month_starts()
    proposals = select(Proposal.id).join(Proposal.association).where(published_proposal())
    members = (
        select(Membership.id)
        .join(Membership.association)
        .where(active_association(), Membership.state == MembershipState.ACTIVE)
    )
    return Activity(
        starts,
        _per_month(Proposal.created_at, proposals, starts),
        _published_supports_per_month(starts),
        _per_month(Membership.created_at, members, starts),
    )


def _published_supports_per_month(starts: list[date]) -> list[tuple[date, int]]:
    """Supports on published proposals in each month (1 query).

    Joining every support of the year to its proposal and grouping by month read ~200,000
    rows at seed scale. Instead: all supports of each month, counted from a range of
    ix_supports_created alone, minus those on proposals that are not published (a few:
    pending, declined or hidden ones, or of an association that is not active).
    """
    unpublished = (
        select(Proposal.id)
        .join(Association, Association.id == Proposal.association_id)
        .where(~published_proposal())
        .cte("unpublished")
    )
    after = starts[-1]
    after = date(after.year + after.month // 12, after.month % 12 + 1, 1)
    bounds = [datetime(start.year, start.month, 1, tzinfo=UTC) for start in [*starts, after]]
    columns = []
    for low, high in pairwise(bounds):
        in_month = and_(Support.created_at >= low, Support.created_at < high)
        every = select(func.count()).select_from(Support).where(in_month).scalar_subquery()
        hidden = (
            select(func.count())
            .select_from(Support)
            .where(in_month, Support.proposal_id.in_(select(unpublished.c.id)))
            .scalar_subquery()
        )
        columns.append(every - hidden)
    return list(zip(starts, db.session.execute(select(*columns)).one(), strict=True))


@dataclass
class GroupActivity:
    group: Group
    threads: int


def most_active_groups(limit: int = TOP_GROUPS) -> list[GroupActivity]:
    """Topic groups by published threads, then members (1 query)."""
    threads = (
        select(Thread.group_id, func.count().label("n"))
        .where(Thread.moderation_state == ModerationState.APPROVED)
        .group_by(Thread.group_id)
        .subquery()
    )
    thread_count = func.coalesce(threads.c.n, 0)
    rows = db.session.execute(
        select(Group, thread_count)
        .join(Group.association)
        .outerjoin(threads, threads.c.group_id == Group.id)
        .where(active_association(), Group.open_to == OpenTo.EVERYONE)
        .options(joinedload(Group.association))
        .order_by(thread_count.desc(), Group.member_count.desc(), Group.name)
        .limit(limit)
    )
    return [GroupActivity(group, count) for group, count in rows]


# -- one association -------------------------------------------------------------------


@dataclass
class Insights:
    members: int
    active_members: int
    new_members_this_year: int
    pending_requests: int
    proposals_by_state: list[tuple[str, int]]  # moderation state, for what is not published
    proposals_by_lifecycle: list[tuple[str, int]]  # lifecycle, for published proposals
    supports: list[tuple[date, int]]
    new_members: list[tuple[date, int]]


def association_insights(association: Association) -> Insights:
    """An association's own figures (6 queries)."""
    now = utcnow()
    year_start = datetime(now.year, 1, 1, tzinfo=UTC)
    active_since = now - timedelta(days=ACTIVE_DAYS)
    is_active = Membership.state == MembershipState.ACTIVE
    members = db.session.execute(
        select(
            func.count(),
            func.count().filter(Membership.last_active_at >= active_since),
            func.count().filter(Membership.created_at >= year_start),
        ).where(Membership.association_id == association.id, is_active)
    ).one()
    pending = db.session.scalar(
        select(func.count()).where(
            Membership.association_id == association.id, Membership.state == MembershipState.PENDING
        )
    )
    by_state_and_lifecycle = db.session.execute(
        select(Proposal.moderation_state, Proposal.lifecycle, func.count())
        .where(Proposal.association_id == association.id)
        .group_by(Proposal.moderation_state, Proposal.lifecycle)
    ).all()
    states: dict[str, int] = {}
    lifecycles: dict[str, int] = {}
    for state, lifecycle, count in by_state_and_lifecycle:
        states[str(state)] = states.get(str(state), 0) + count
        if state == ModerationState.APPROVED:
            lifecycles[str(lifecycle)] = lifecycles.get(str(lifecycle), 0) + count
    starts = month_starts()
    supports = (
        select(Support.id)
        .join(Proposal, Proposal.id == Support.proposal_id)
        .where(Proposal.association_id == association.id)
    )
    new_members = select(Membership.id).where(Membership.association_id == association.id, is_active)
    return Insights(
        members=members[0],
        active_members=members[1],
        new_members_this_year=members[2],
        pending_requests=pending or 0,
        proposals_by_state=sorted(states.items()),
        proposals_by_lifecycle=sorted(lifecycles.items()),
        supports=_per_month(Support.created_at, supports, starts),
        new_members=_per_month(Membership.created_at, new_members, starts),
    )
