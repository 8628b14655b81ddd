"""Aggregate reads across the network: published content by goal and theme, and coverage.

Published means: approved content of an active association. Pending, declined and hidden
items and pending or suspended associations never leave this module. Every function runs
a fixed number of grouped queries, whatever the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import joinedload, lazyload, selectinload

from twinning.associations.models import Association, AssociationStatus, association_sdgs, association_themes
from twinning.core.content import ModerationState
from twinning.core.extensions import db
from twinning.core.pagination import PAGE_SIZE, Page, offset
from twinning.groups.models import Group, OpenTo, group_sdgs, group_themes
from twinning.proposals.models import Proposal, proposal_sdgs, proposal_themes
from twinning.topics.models import Theme

GROUPS_SHOWN = 50
# Lists never show co-sponsors; the relationship loads eagerly by default.
NO_COSPONSORS = lazyload(Proposal.cosponsorships)


def active_association():
    return Association.status == AssociationStatus.ACTIVE


def published_proposal():
    """The condition on Proposal (joined with Association) for what everyone may read."""
    return and_(Proposal.moderation_state == ModerationState.APPROVED, active_association())


def newest_published() -> tuple:
    """ORDER BY for published proposals, newest first.

    Approval stamps ``published_at`` (proposals/moderation.py, proposals/services.py), so a
    published proposal always has one and this equals the old coalesce(published_at,
    created_at) order; unlike that expression it walks ix_proposals_public_published and
    reads only the first rows instead of sorting every published proposal per request.
    """
    return Proposal.published_at.desc().nulls_last(), Proposal.id.desc()


# -- the 17 goals ----------------------------------------------------------------------


@dataclass
class GoalCounts:
    proposals: int = 0
    groups: int = 0
    associations: int = 0


def declared_goal_pairs() -> list[tuple[int, int]]:
    """(association_id, sdg) for the goals active associations declare (1 query).

    Those working on a goal through proposals or groups come from the grouped counts below,
    which the callers fetch anyway: a UNION re-reading every published proposal's goals
    cost as much again.
    """
    rows = db.session.execute(
        select(association_sdgs.c.association_id, association_sdgs.c.sdg)
        .join(Association, Association.id == association_sdgs.c.association_id)
        .where(active_association())
    )
    return [tuple(row) for row in rows]


def proposals_per_goal_and_association() -> list[tuple[int, int, int]]:
    """(association_id, sdg, published proposals) in one grouped query."""
    rows = db.session.execute(
        select(Proposal.association_id, proposal_sdgs.c.sdg, func.count())
        .join(Proposal, Proposal.id == proposal_sdgs.c.proposal_id)
        .join(Association, Association.id == Proposal.association_id)
        .where(published_proposal())
        .group_by(Proposal.association_id, proposal_sdgs.c.sdg)
    )
    return [tuple(row) for row in rows]


def groups_per_goal_and_association() -> list[tuple[int, int, int]]:
    """(association_id, sdg, groups) in one grouped query."""
    rows = db.session.execute(
        select(Group.association_id, group_sdgs.c.sdg, func.count())
        .join(Group, Group.id == group_sdgs.c.group_id)
        .join(Association, Association.id == Group.association_id)
        .where(active_association())
        .group_by(Group.association_id, group_sdgs.c.sdg)
    )
    return [tuple(row) for row in rows]


def proposals_per_goal() -> dict[int, int]:
    """Published proposals on each goal (1 query), for the home page's strip."""
    counts = dict.fromkeys(range(1, 18), 0)
    for sdg, count in db.session.execute(
        select(proposal_sdgs.c.sdg, func.count())
        .join(Proposal, Proposal.id == proposal_sdgs.c.proposal_id)
        .join(Association, Association.id == Proposal.association_id)
        .where(published_proposal())
        .group_by(proposal_sdgs.c.sdg)
    ):
        counts[sdg] = count
    return counts


def goal_counts() -> dict[int, GoalCounts]:
    """Published proposals, groups and associations on each of the 17 goals (3 queries)."""
    counts = {number: GoalCounts() for number in range(1, 18)}
    working: set[tuple[int, int]] = set(declared_goal_pairs())  # (association, goal)
    for association_id, sdg, count in proposals_per_goal_and_association():
        counts[sdg].proposals += count
        working.add((association_id, sdg))
    for association_id, sdg, count in groups_per_goal_and_association():
        counts[sdg].groups += count
        working.add((association_id, sdg))
    for _association_id, sdg in working:
        counts[sdg].associations += 1
    return counts


# -- one goal or theme -----------------------------------------------------------------


@dataclass(frozen=True)
class Topic:
    """What one goal or theme page shows: ids of proposals, groups, associations on it."""

    proposal_ids: Select
    group_ids: Select
    declared_association_ids: Select


def goal_topic(number: int) -> Topic:
    return Topic(
        select(proposal_sdgs.c.proposal_id).where(proposal_sdgs.c.sdg == number),
        select(group_sdgs.c.group_id).where(group_sdgs.c.sdg == number),
        select(association_sdgs.c.association_id).where(association_sdgs.c.sdg == number),
    )


def theme_topic(theme: Theme) -> Topic:
    return Topic(
        select(proposal_themes.c.proposal_id).where(proposal_themes.c.theme_id == theme.id),
        select(group_themes.c.group_id).where(group_themes.c.theme_id == theme.id),
        select(association_themes.c.association_id).where(association_themes.c.theme_id == theme.id),
    )


def theme_by_slug(slug: str) -> Theme | None:
    if not slug.isprintable() or len(slug) > 60:
        return None
    return db.session.scalar(select(Theme).where(Theme.slug == slug))


def _clean(value: str) -> str:
    """Without control characters: PostgreSQL refuses NUL in text, and none belongs in a slug."""
    return "".join(ch for ch in value if ch.isprintable()).strip()


@dataclass
class Filters:
    """``?association=<slug>`` and ``?country=<code>``; unknown values simply match nothing."""

    association: str = ""
    country: str = ""

    @classmethod
    def from_args(cls, args) -> Filters:
        return cls(
            association=_clean(args.get("association", ""))[:80],
            country=_clean(args.get("country", "")).upper()[:2],
        )

    @property
    def active(self) -> bool:
        return bool(self.association or self.country)

    def apply(self, query: Select) -> Select:
        """Narrow a query that has Association joined."""
        if self.association:
            query = query.where(Association.slug == self.association)
        if self.country:
            query = query.where(Association.country == self.country)
        return query


@dataclass
class TopicAssociation:
    association: Association
    proposals: int = 0
    groups: int = 0


def _join_topic(query: Select, topic: Topic) -> Select:
    """Narrow a query on Proposal to the topic by a join (a proposal is on a goal or theme
    once), so that counting starts from the topic's link rows instead of testing every
    published proposal against an IN list."""
    on_topic = topic.proposal_ids.subquery()
    return query.join(on_topic, on_topic.c.proposal_id == Proposal.id)


def topic_associations(topic: Topic) -> list[TopicAssociation]:
    """Active associations declaring or working on the topic, with their counts (3 queries)."""
    proposal_counts = dict(
        db.session.execute(
            _join_topic(select(Proposal.association_id, func.count()).select_from(Proposal), topic)
            .join(Association, Association.id == Proposal.association_id)
            .where(published_proposal())
            .group_by(Proposal.association_id)
        ).all()
    )
    group_counts = dict(
        db.session.execute(
            select(Group.association_id, func.count())
            .join(Association, Association.id == Group.association_id)
            .where(active_association(), Group.id.in_(topic.group_ids))
            .group_by(Group.association_id)
        ).all()
    )
    working = set(proposal_counts) | set(group_counts)
    associations = db.session.scalars(
        select(Association)
        .where(
            active_association(),
            Association.id.in_(topic.declared_association_ids) | Association.id.in_(working),
        )
        .order_by(Association.name)
    )
    return [
        TopicAssociation(a, proposal_counts.get(a.id, 0), group_counts.get(a.id, 0)) for a in associations
    ]


def topic_proposals(topic: Topic, filters: Filters, page: int, total: int | None = None) -> Page:
    """Published proposals on the topic, newest first, one page (3 or 4 queries).

    ``total``: how many there are, when the caller knows it already (without filters it is
    the sum of topic_associations' counts), which saves counting them again.
    """
    base = (
        select(Proposal)
        .join(Proposal.association)
        .where(published_proposal(), Proposal.id.in_(topic.proposal_ids))
    )
    base = filters.apply(base)
    if total is None:
        total = db.session.scalar(select(func.count()).select_from(base.subquery()))
    proposals = list(
        db.session.scalars(
            base.options(joinedload(Proposal.association), selectinload(Proposal.themes), NO_COSPONSORS)
            .order_by(*newest_published())
            .limit(PAGE_SIZE)
            .offset(offset(page))
        ).unique()
    )
    return Page(proposals, page, total or 0)


def goals_of_proposals(proposals: list[Proposal]) -> dict[int, list[int]]:
    """Goal numbers by proposal id, for a page of proposals (1 query)."""
    ids = [p.id for p in proposals]
    found: dict[int, list[int]] = {pid: [] for pid in ids}
    if ids:
        rows = db.session.execute(
            select(proposal_sdgs.c.proposal_id, proposal_sdgs.c.sdg).where(
                proposal_sdgs.c.proposal_id.in_(ids)
            )
        )
        for proposal_id, sdg in rows:
            found[proposal_id].append(sdg)
    return found


def topic_groups(topic: Topic, filters: Filters) -> tuple[list[Group], int]:
    """Groups on the topic (the first GROUPS_SHOWN) and how many there are (3 queries)."""
    base = filters.apply(
        select(Group).join(Group.association).where(active_association(), Group.id.in_(topic.group_ids))
    )
    total = db.session.scalar(select(func.count()).select_from(base.subquery())) or 0
    groups = list(
        db.session.scalars(
            base.options(joinedload(Group.association), selectinload(Group.themes))
            .order_by(Group.member_count.desc(), Group.name)
            .limit(GROUPS_SHOWN)
        ).unique()
    )
    return groups, total


# -- home page -------------------------------------------------------------------------


@dataclass
class HomeData:
    featured: list[Association] = field(default_factory=list)
    latest: list[Proposal] = field(default_factory=list)
    topic_groups: list[Group] = field(default_factory=list)


def latest_proposals(limit: int = 6) -> list[Proposal]:
    return list(
        db.session.scalars(
            select(Proposal)
            .join(Proposal.association)
            .where(published_proposal())
            .options(joinedload(Proposal.association), selectinload(Proposal.themes), NO_COSPONSORS)
            .order_by(*newest_published())
            .limit(limit)
        ).unique()
    )


def featured_associations(limit: int = 6) -> list[Association]:
    """The active associations with the most published proposals, then by name."""
    # Counted per association from the (association_id, moderation_state, …) list indexes,
    # instead of grouping every published proposal before keeping six.
    published = (
        select(func.count())
        .where(
            Proposal.association_id == Association.id, Proposal.moderation_state == ModerationState.APPROVED
        )
        .correlate(Association)
        .scalar_subquery()
    )
    return list(
        db.session.scalars(
            select(Association)
            .where(active_association())
            .options(selectinload(Association.partnerships))
            .order_by(published.desc(), Association.name)
            .limit(limit)
        )
    )


def newcomer_groups(limit: int = 6) -> list[Group]:
    """Topic groups open to everyone, the liveliest first."""
    return list(
        db.session.scalars(
            select(Group)
            .join(Group.association)
            .where(active_association(), Group.open_to == OpenTo.EVERYONE)
            .options(joinedload(Group.association), selectinload(Group.themes))
            .order_by(Group.member_count.desc(), Group.name)
            .limit(limit)
        ).unique()
    )
