"""What the get-involved page suggests for chosen interests; reads the features below it."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

from twinning.associations.models import (
    Association,
    AssociationStatus,
    JoinPolicy,
    association_sdgs,
    association_themes,
)
from twinning.core.content import ModerationState
from twinning.core.extensions import db
from twinning.groups.models import Group, OpenTo, group_sdgs, group_themes
from twinning.groups.queries import clean_arg, small_int
from twinning.proposals.models import Lifecycle, Proposal, proposal_sdgs, proposal_themes
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


def _matching(id_column, link_table, link_id, sdg_table, sdg_id, interests: Interests):
    """Items with one of the chosen themes or goals (None: no interests, no filter)."""
    if not interests.chosen:
        return None
    conditions = []
    if interests.themes:
        conditions.append(
            id_column.in_(
                select(link_id)
                .join(Theme, Theme.id == link_table.c.theme_id)
                .where(Theme.slug.in_(interests.themes))
            )
        )
    if interests.sdgs:
        conditions.append(id_column.in_(select(sdg_id).where(sdg_table.c.sdg.in_(interests.sdgs))))
    return or_(*conditions)


def topic_groups(interests: Interests) -> list[Group]:
    statement = (
        select(Group)
        .join(Group.association)
        .where(Association.status == AssociationStatus.ACTIVE, Group.open_to == OpenTo.EVERYONE)
        .options(joinedload(Group.association), selectinload(Group.themes))
        .order_by(Group.member_count.desc(), Group.name)
        .limit(GROUP_LIMIT)
    )
    condition = _matching(
        Group.id, group_themes, group_themes.c.group_id, group_sdgs, group_sdgs.c.group_id, interests
    )
    if condition is not None:
        statement = statement.where(condition)
    return list(db.session.scalars(statement).unique())


def open_proposals(interests: Interests) -> list[Proposal]:
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
    condition = _matching(
        Proposal.id,
        proposal_themes,
        proposal_themes.c.proposal_id,
        proposal_sdgs,
        proposal_sdgs.c.proposal_id,
        interests,
    )
    if condition is not None:
        statement = statement.where(condition)
    return list(db.session.scalars(statement).unique())


def open_associations(interests: Interests) -> list[Association]:
    statement = (
        select(Association)
        .where(Association.status == AssociationStatus.ACTIVE, Association.join_policy == JoinPolicy.OPEN)
        .order_by(Association.name)
        .limit(ASSOCIATION_LIMIT)
    )
    condition = _matching(
        Association.id,
        association_themes,
        association_themes.c.association_id,
        association_sdgs,
        association_sdgs.c.association_id,
        interests,
    )
    if condition is not None:
        statement = statement.where(condition)
    return list(db.session.scalars(statement))
