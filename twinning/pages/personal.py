"""The personal home: a signed-in person's places, what waits for them, their proposals, suggestions.

Each block is one query, however large the network: counts are correlated subqueries
of the row they belong to, never a query per row. Only what the person may open is
listed ("association.view": an active space, or one they administer; "group.view": a
group of an active association; published proposals of active associations).

"What is new since the last visit" compares with a time kept in the session (never in
the database: reading a page writes nothing there), see ``visit_since``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, exists, func, literal, or_, select, union
from sqlalchemy.orm import joinedload

from twinning.associations.models import (
    Association,
    AssociationStatus,
    Invitation,
    Membership,
    MembershipState,
    Role,
    association_sdgs,
    association_themes,
)
from twinning.core.content import ModerationState
from twinning.core.extensions import db
from twinning.groups.models import Group, GroupMembership, OpenTo, Thread, group_sdgs, group_themes
from twinning.moderation.queries import in_association
from twinning.moderation.registry import KINDS
from twinning.network import queries
from twinning.proposals.models import (
    CoSponsorship,
    CoSponsorState,
    Lifecycle,
    Proposal,
    Support,
    proposal_sdgs,
    proposal_themes,
)

# A new visit starts when the home was last shown longer ago than this; "new" then means
# new since the previous visit. The first visit of a browser session looks back this far.
VISIT_GAP = timedelta(minutes=30)
FIRST_VISIT_LOOKBACK = timedelta(days=7)
SUPPORTED_SHOWN = 10
SUGGESTIONS_SHOWN = 6


def visit_since(store, now: datetime) -> datetime:
    """When the person's previous visit ended, kept in ``store`` (the Flask session).

    The session (a signed cookie) holds ``home_seen`` (the last time the home was shown)
    and ``home_since`` (what "new" is measured from during this visit). Reloading the home
    within ``VISIT_GAP`` keeps the same "since"; coming back later moves it to the last
    time the home was seen. Without a session value (a new sign-in, another browser) the
    last ``FIRST_VISIT_LOOKBACK`` count as new.
    """
    seen = _parse(store.get("home_seen"))
    since = _parse(store.get("home_since"))
    if seen is None or since is None:
        since = now - FIRST_VISIT_LOOKBACK
    elif now - seen > VISIT_GAP:
        since = seen
    store["home_seen"] = now.isoformat()
    store["home_since"] = since.isoformat()
    return since


def _parse(value) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _active_memberships(user_id: int, *roles: Role):
    condition = and_(Membership.user_id == user_id, Membership.state == MembershipState.ACTIVE)
    if roles:
        condition = and_(condition, Membership.role.in_(roles))
    return select(Membership.association_id).where(condition)


def my_associations(user_id: int, since: datetime) -> list[tuple[Association, int]]:
    """The person's associations, each with its proposals published since ``since`` (1 query)."""
    new_proposals = (
        select(func.count())
        .select_from(Proposal)
        .where(
            Proposal.association_id == Association.id,
            Proposal.moderation_state == ModerationState.APPROVED,
            Proposal.published_at > since,
        )
        .correlate(Association)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Association, new_proposals)
        .join(Membership, Membership.association_id == Association.id)
        .where(
            Membership.user_id == user_id,
            Membership.state == MembershipState.ACTIVE,
            or_(queries.active_association(), Membership.role == Role.ADMIN),
        )
        .order_by(Association.name)
    ).all()
    return [(association, count) for association, count in rows]


def my_groups(user_id: int, since: datetime) -> list[tuple[Group, int]]:
    """The person's groups, each with its published threads active since ``since`` (1 query)."""
    active_threads = (
        select(func.count())
        .select_from(Thread)
        .where(
            Thread.group_id == Group.id,
            Thread.moderation_state == ModerationState.APPROVED,
            Thread.last_activity_at > since,
        )
        .correlate(Group)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Group, active_threads)
        .join(GroupMembership, GroupMembership.group_id == Group.id)
        .join(Association, Association.id == Group.association_id)
        .where(GroupMembership.user_id == user_id, queries.active_association())
        .options(joinedload(Group.association))
        .order_by(Group.name)
    ).all()
    return [(group, count) for group, count in rows]


@dataclass
class Waiting:
    """What waits for the person in one association."""

    association: Association
    queue: int  # items waiting for a moderator's decision (moderators and admins)
    join_requests: int  # people asking to become members (admins)
    cosponsoring: int  # partner proposals asking the association to co-sponsor (admins)
    invited: bool  # an unused invitation addressed to the person's e-mail

    @property
    def any(self) -> bool:
        return bool(self.queue or self.join_requests or self.cosponsoring or self.invited)


def waiting(user_id: int, email: str, now: datetime) -> list[Waiting]:
    """Queues, join requests, co-sponsoring requests and invitations, per association (1 query).

    Counts the person may not act on are left out in SQL: the queue for moderators and
    admins only, join and co-sponsoring requests for admins only.
    """
    moderates = _active_memberships(user_id, Role.MODERATOR, Role.ADMIN)
    administers = _active_memberships(user_id, Role.ADMIN)
    invitation = and_(
        Invitation.association_id == Association.id,
        func.lower(Invitation.email) == email.lower(),
        Invitation.used_at.is_(None),
        Invitation.expires_at > now,
    )
    queue = literal(0)
    for kind in KINDS.values():
        pending = (
            select(func.count())
            .select_from(kind.model)
            .where(kind.model.moderation_state == ModerationState.PENDING)
        )
        queue = queue + in_association(kind, pending, Association.id).correlate(Association).scalar_subquery()
    queue = func.coalesce(queue, 0)
    is_moderator = Association.id.in_(moderates)
    is_admin = Association.id.in_(administers)
    join_requests = (
        select(func.count())
        .select_from(Membership)
        .where(Membership.association_id == Association.id, Membership.state == MembershipState.PENDING)
        .correlate(Association)
        .scalar_subquery()
    )
    cosponsoring = (
        select(func.count())
        .select_from(CoSponsorship)
        .join(Proposal, Proposal.id == CoSponsorship.proposal_id)
        .where(
            CoSponsorship.association_id == Association.id,
            CoSponsorship.state == CoSponsorState.INVITED,
            Proposal.moderation_state == ModerationState.APPROVED,
        )
        .correlate(Association)
        .scalar_subquery()
    )
    already_member = Association.id.in_(
        select(Membership.association_id).where(
            Membership.user_id == user_id, Membership.state == MembershipState.ACTIVE
        )
    )
    invited = and_(exists().where(invitation), ~already_member, queries.active_association())
    rows = db.session.execute(
        select(
            Association,
            case((is_moderator, queue), else_=0),
            case((is_admin, join_requests), else_=0),
            case((is_admin, cosponsoring), else_=0),
            invited,
        )
        # A moderator of a suspended space cannot open it; its admins can ("association.view").
        .where(or_(and_(is_moderator, or_(queries.active_association(), is_admin)), invited))
        .order_by(Association.name)
    ).all()
    found = [Waiting(a, int(q or 0), int(j or 0), int(c or 0), bool(i)) for a, q, j, c, i in rows]
    return [w for w in found if w.any]


def supported(user_id: int, limit: int = SUPPORTED_SHOWN) -> list[Proposal]:
    """Published proposals the person supports, the most recently supported first (1 query)."""
    return list(
        db.session.scalars(
            select(Proposal)
            .join(Support, Support.proposal_id == Proposal.id)
            .join(Proposal.association)
            .where(Support.user_id == user_id, queries.published_proposal())
            .options(joinedload(Proposal.association), queries.NO_COSPONSORS)
            .order_by(Support.created_at.desc(), Proposal.id.desc())
            .limit(limit)
        ).unique()
    )


def _interests(user_id: int):
    """(theme ids, goal numbers) of the person's associations and groups, as subqueries."""
    associations = _active_memberships(user_id)
    groups = select(GroupMembership.group_id).where(GroupMembership.user_id == user_id)
    themes = union(
        select(association_themes.c.theme_id).where(association_themes.c.association_id.in_(associations)),
        select(group_themes.c.theme_id).where(group_themes.c.group_id.in_(groups)),
    )
    goals = union(
        select(association_sdgs.c.sdg).where(association_sdgs.c.association_id.in_(associations)),
        select(group_sdgs.c.sdg).where(group_sdgs.c.group_id.in_(groups)),
    )
    return themes, goals


def suggested_proposals(user_id: int, limit: int = SUGGESTIONS_SHOWN) -> list[Proposal]:
    """Published proposals, still open, on the person's themes and goals they neither support nor wrote (1 query)."""
    themes, goals = _interests(user_id)
    on_theme = exists().where(
        proposal_themes.c.proposal_id == Proposal.id, proposal_themes.c.theme_id.in_(themes)
    )
    on_goal = exists().where(proposal_sdgs.c.proposal_id == Proposal.id, proposal_sdgs.c.sdg.in_(goals))
    supports = exists().where(Support.proposal_id == Proposal.id, Support.user_id == user_id)
    return list(
        db.session.scalars(
            select(Proposal)
            .join(Proposal.association)
            .where(
                queries.published_proposal(),
                Proposal.lifecycle == Lifecycle.OPEN,  # what the person can still support
                or_(on_theme, on_goal),
                ~supports,
                or_(Proposal.author_id.is_(None), Proposal.author_id != user_id),
            )
            .options(joinedload(Proposal.association), queries.NO_COSPONSORS)
            .order_by(*queries.newest_published())
            .limit(limit)
        ).unique()
    )


def suggested_groups(user_id: int, limit: int = SUGGESTIONS_SHOWN) -> list[Group]:
    """Groups on the person's themes and goals they may join and have not (1 query).

    Topic groups are open to everyone; working groups only to members of their association.
    """
    themes, goals = _interests(user_id)
    on_theme = exists().where(group_themes.c.group_id == Group.id, group_themes.c.theme_id.in_(themes))
    on_goal = exists().where(group_sdgs.c.group_id == Group.id, group_sdgs.c.sdg.in_(goals))
    joined = exists().where(GroupMembership.group_id == Group.id, GroupMembership.user_id == user_id)
    may_join = or_(Group.open_to == OpenTo.EVERYONE, Group.association_id.in_(_active_memberships(user_id)))
    return list(
        db.session.scalars(
            select(Group)
            .join(Group.association)
            .where(queries.active_association(), or_(on_theme, on_goal), ~joined, may_join)
            .options(joinedload(Group.association))
            .order_by(Group.member_count.desc(), Group.name)
            .limit(limit)
        ).unique()
    )


def associations_awaiting_approval() -> int:
    """For platform admins: how many new associations wait for their decision (1 query)."""
    return db.session.scalar(
        select(func.count()).select_from(Association).where(Association.status == AssociationStatus.PENDING)
    )
