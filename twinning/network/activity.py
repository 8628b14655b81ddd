"""Recent published activity: new proposals, answers, new groups and new partnerships."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from twinning.associations.models import Association, Partnership
from twinning.core.extensions import db
from twinning.core.urls import path_for
from twinning.groups.models import Group
from twinning.network.queries import NO_COSPONSORS, active_association, newest_published, published_proposal
from twinning.proposals.models import Proposal

PROPOSAL = "proposal"
ANSWER = "answer"
GROUP = "group"
PARTNERSHIP = "partnership"


@dataclass(frozen=True)
class ActivityItem:
    """One line of an activity list or one feed entry."""

    kind: str  # PROPOSAL, ANSWER, GROUP, PARTNERSHIP
    key: str  # unique and stable, for Atom ids: "proposal-12"
    title: str
    summary: str
    path: str  # the page on this site
    at: datetime
    association: Association


def proposal_path(proposal: Proposal) -> str:
    return path_for("proposals.detail", slug=proposal.association.slug, proposal_id=proposal.id)


def group_path(group: Group) -> str:
    return path_for("groups.detail", group_id=group.id)


def space_path(association: Association) -> str:
    return path_for("associations.space", slug=association.slug)


def recent_activity(association: Association | None = None, limit: int = 10) -> list[ActivityItem]:
    """The newest published activity of the network or one association (4 queries)."""

    def scoped(query, owner_column):
        return query if association is None else query.where(owner_column == association.id)

    proposals = db.session.scalars(
        scoped(
            select(Proposal)
            .join(Proposal.association)
            .where(published_proposal())
            .options(joinedload(Proposal.association), NO_COSPONSORS)
            .order_by(*newest_published()),
            Proposal.association_id,
        ).limit(limit)
    ).unique()
    answered = db.session.scalars(
        scoped(
            select(Proposal)
            .join(Proposal.association)
            .where(published_proposal(), Proposal.answered_at.is_not(None), Proposal.answer != "")
            .options(joinedload(Proposal.association), NO_COSPONSORS)
            .order_by(Proposal.answered_at.desc()),
            Proposal.association_id,
        ).limit(limit)
    ).unique()
    groups = db.session.scalars(
        scoped(
            select(Group)
            .join(Group.association)
            .where(active_association())
            .options(joinedload(Group.association))
            .order_by(Group.created_at.desc()),
            Group.association_id,
        ).limit(limit)
    ).unique()
    partnerships = db.session.scalars(
        scoped(
            select(Partnership)
            .join(Association, Association.id == Partnership.association_id)
            .where(active_association())
            .options(joinedload(Partnership.association))
            .order_by(Partnership.created_at.desc()),
            Partnership.association_id,
        ).limit(limit)
    ).unique()

    items = [
        ActivityItem(
            PROPOSAL,
            f"proposal-{p.id}",
            p.title,
            p.summary,
            proposal_path(p),
            p.published_at or p.created_at,
            p.association,
        )
        for p in proposals
    ]
    items += [
        ActivityItem(
            ANSWER,
            f"answer-{p.id}",
            p.title,
            p.answer[:300],
            proposal_path(p) + "#answer",
            p.answered_at,
            p.association,
        )
        for p in answered
    ]
    items += [
        ActivityItem(
            GROUP, f"group-{g.id}", g.name, g.description[:300], group_path(g), g.created_at, g.association
        )
        for g in groups
    ]
    items += [
        ActivityItem(
            PARTNERSHIP,
            f"partnership-{p.id}",
            p.city,
            p.country,
            space_path(p.association),
            p.created_at,
            p.association,
        )
        for p in partnerships
    ]
    items.sort(key=lambda item: (item.at, item.key), reverse=True)
    return items[:limit]
