"""What the get-involved page suggests for chosen interests; reads the features below it."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

from twinning.associations.models import (
    Association,
    AssociationStatus,
    JoinPolicy,
    Membership,
    MembershipState,
    association_sdgs,
    association_themes,
)
from twinning.core.content import ModerationState
from twinning.core.extensions import db
from twinning.groups.models import Group, GroupMembership, OpenTo, group_sdgs, group_themes
from twinning.groups.queries import clean_arg, small_int
from twinning.proposals.models import Lifecycle, Proposal, Support, proposal_sdgs, proposal_themes
from twinning.topics.models import Theme

GROUP_LIMIT = 12
PROPOSAL_LIMIT = 6
ASSOCIATION_LIMIT = 6


@dataclass
class Interests:
    themes: list[str] = field(default_factory=list)
    sdgs: list[int] = field(default_factory=list)

    @classmethod
    def from_args(cls, args) -> Interests:
        themes = [clean_arg(slug, 60) for slug in args.getlist("themes")][:20]
        sdgs = sorted({n for n in (small_int(v, 1, 17) for v in args.getlist("sdgs")[:17]) if n})
        return cls(themes=themes, sdgs=sdgs)

    @property
    def chosen(self) -> bool:
        return bool(self.themes or self.sdgs)


def _matching(statement, id_column, themes_table, sdgs_table, interests: Interests):
    """``statement`` narrowed to items with one of the chosen themes or goals (unchanged without
    interests). The link tables are the topics' (``topic_link_tables``): their first column is
    the item's id."""
    if not interests.chosen:
        return statement
    conditions = []
    if interests.themes:
        item_id = next(iter(themes_table.c))
        conditions.append(
            id_column.in_(
                select(item_id)
                .join(Theme, Theme.id == themes_table.c.theme_id)
                .where(Theme.slug.in_(interests.themes))
            )
        )
    if interests.sdgs:
        item_id = next(iter(sdgs_table.c))
        conditions.append(id_column.in_(select(item_id).where(sdgs_table.c.sdg.in_(interests.sdgs))))
    return statement.where(or_(*conditions))


def topic_groups(interests: Interests, viewer_id: int | None = None) -> list[Group]:
    """Topic groups to join: for a signed-in person not those they are in already, nor those of an
    association that blocked them (working groups are never suggested: they take members only)."""
    statement = (
        select(Group)
        .join(Group.association)
        .where(Association.status == AssociationStatus.ACTIVE, Group.open_to == OpenTo.EVERYONE)
        .options(joinedload(Group.association), selectinload(Group.themes))
        .order_by(Group.member_count.desc(), Group.name)
        .limit(GROUP_LIMIT)
    )
    if viewer_id is not None:
        statement = statement.where(
            Group.id.not_in(select(GroupMembership.group_id).where(GroupMembership.user_id == viewer_id)),
            Group.association_id.not_in(_association_ids(viewer_id, MembershipState.BLOCKED)),
        )
    statement = _matching(statement, Group.id, group_themes, group_sdgs, interests)
    return list(db.session.scalars(statement).unique())


def _association_ids(viewer_id: int, *states: MembershipState):
    statement = select(Membership.association_id).where(Membership.user_id == viewer_id)
    return statement.where(Membership.state.in_(states)) if states else statement


def member_association_ids(viewer_id: int | None) -> set[int]:
    """The associations the viewer is an active member of (one query): whose proposals they can support."""
    if viewer_id is None:
        return set()
    return set(db.session.scalars(_association_ids(viewer_id, MembershipState.ACTIVE)))


def open_proposals(interests: Interests, viewer_id: int | None = None) -> list[Proposal]:
    """Open proposals; for a signed-in person not those they support already."""
    statement = (
        select(Proposal)
        .join(Proposal.association)
        .where(
            Association.status == AssociationStatus.ACTIVE,
            Proposal.moderation_state == ModerationState.APPROVED,
            Proposal.lifecycle == Lifecycle.OPEN,
        )
        .options(joinedload(Proposal.association))
        .order_by(Proposal.support_count.desc(), Proposal.id.desc())
        .limit(PROPOSAL_LIMIT)
    )
    if viewer_id is not None:
        statement = statement.where(
            Proposal.id.not_in(select(Support.proposal_id).where(Support.user_id == viewer_id))
        )
    statement = _matching(statement, Proposal.id, proposal_themes, proposal_sdgs, interests)
    return list(db.session.scalars(statement).unique())


def open_associations(interests: Interests, viewer_id: int | None = None) -> list[Association]:
    """Associations with open membership; for a signed-in person not those they are in, have asked
    to join or are blocked in."""
    statement = (
        select(Association)
        .where(Association.status == AssociationStatus.ACTIVE, Association.join_policy == JoinPolicy.OPEN)
        .order_by(Association.name)
        .limit(ASSOCIATION_LIMIT)
    )
    if viewer_id is not None:
        statement = statement.where(Association.id.not_in(_association_ids(viewer_id)))
    statement = _matching(statement, Association.id, association_themes, association_sdgs, interests)
    return list(db.session.scalars(statement))
