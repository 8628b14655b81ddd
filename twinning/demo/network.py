"""Demo history: spread what the other demo steps just created over the last twelve months.

The other steps create everything "now"; the dashboard's activity charts and the feeds
would show one spike. This step runs last and moves fresh demo rows back in time,
deterministically (by id) and in a believable order: associations before their
members, members before their proposals, proposals before their supports and comments.
Rows already moved are older than a day, so running the demo again changes nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from twinning.associations.models import Association, Membership, Partnership
from twinning.auth.models import User
from twinning.core.content import ModerationState
from twinning.core.db import utcnow
from twinning.groups.models import Group, GroupMembership, Thread, ThreadReply
from twinning.proposals.models import Comment, Proposal, Support

FRESH = timedelta(days=1)
DEMO_DOMAIN = "@example.org"


def _fraction(key: int, salt: int) -> float:
    """A stable pseudo-random number in [0, 1) for a row id."""
    return ((key * 2654435761 + salt * 40503) % 10_007) / 10_007


def _days_ago(key: int, salt: int, newest: int = 2, oldest: int = 360, recent_bias: float = 1.0) -> timedelta:
    """Between ``newest`` and ``oldest`` days back; a bias > 1 puts more rows in recent months."""
    share = _fraction(key, salt) ** recent_bias
    return timedelta(days=newest + share * (oldest - newest), hours=_fraction(key, salt + 1) * 10)


def _between(start: datetime, end: datetime, key: int, salt: int) -> datetime:
    return start + (end - start) * (0.05 + 0.9 * _fraction(key, salt))


def load(session: Session, shared_hash: str) -> list[tuple[str, str]]:
    """Move fresh rows of the demo associations into the past; returns no extra sign-ins."""
    now = utcnow()
    fresh_since = now - FRESH
    demo_ids = set(
        session.scalars(
            select(Membership.association_id)
            .join(User, User.id == Membership.user_id)
            .where(User.email.like(f"%{DEMO_DOMAIN}"))
        )
    )
    if not demo_ids:
        return []

    def fresh(model, owner_column):
        return list(
            session.scalars(select(model).where(model.created_at >= fresh_since, owner_column.in_(demo_ids)))
        )

    for association in fresh(Association, Association.id):
        association.created_at = now - _days_ago(association.id, 1, newest=420, oldest=900)
        if association.approved_at is not None:
            association.approved_at = association.created_at + timedelta(days=2)
    for partnership in fresh(Partnership, Partnership.association_id):
        partnership.created_at = now - _days_ago(partnership.id, 2, newest=5, oldest=350)

    memberships = fresh(Membership, Membership.association_id)
    for membership in memberships:
        membership.created_at = now - _days_ago(membership.id, 3, newest=3, oldest=360, recent_bias=0.7)
        if membership.decided_at is not None:
            membership.decided_at = membership.created_at + timedelta(days=1)
        if _fraction(membership.id, 4) < 0.6:  # most members were around lately, not all
            membership.last_active_at = now - _days_ago(membership.id, 5, newest=0, oldest=80)
    joined = {(m.user_id, m.association_id): m for m in memberships}

    for proposal in fresh(Proposal, Proposal.association_id):
        _spread_proposal(session, proposal, now, joined)
    for group in fresh(Group, Group.association_id):
        _spread_group(session, group, now)
    session.flush()
    return []


def _spread_proposal(
    session: Session, proposal: Proposal, now: datetime, joined: dict[tuple[int, int], Membership]
) -> None:
    waiting = proposal.moderation_state == ModerationState.PENDING
    # Items in the moderation queue arrived lately; the rest over the whole year.
    back = _days_ago(proposal.id, 6, newest=1, oldest=12) if waiting else _days_ago(proposal.id, 6, newest=4)
    proposal.created_at = now - back
    proposal.updated_at = proposal.created_at
    if proposal.published_at is not None:
        proposal.published_at = proposal.created_at + timedelta(hours=20)
    if proposal.answered_at is not None:
        proposal.answered_at = _between(proposal.published_at or proposal.created_at, now, proposal.id, 7)
    author_membership = joined.get((proposal.author_id, proposal.association_id))
    if author_membership is not None and author_membership.created_at > proposal.created_at:
        author_membership.created_at = proposal.created_at - timedelta(days=10)
    start = proposal.published_at or proposal.created_at
    for support in session.scalars(select(Support).where(Support.proposal_id == proposal.id)):
        support.created_at = _between(start, now, support.id, 8)
    for comment in session.scalars(select(Comment).where(Comment.proposal_id == proposal.id)):
        comment.created_at = _between(start, now, comment.id, 9)


def _spread_group(session: Session, group: Group, now: datetime) -> None:
    group.created_at = now - _days_ago(group.id, 10, newest=20, oldest=330)
    for membership in session.scalars(select(GroupMembership).where(GroupMembership.group_id == group.id)):
        membership.created_at = _between(group.created_at, now, membership.id, 11)
    for thread in session.scalars(select(Thread).where(Thread.group_id == group.id)):
        waiting = thread.moderation_state == ModerationState.PENDING
        thread.created_at = (
            (now - timedelta(days=2 + thread.id % 5))
            if waiting
            else _between(group.created_at, now, thread.id, 12)
        )
        thread.last_activity_at = thread.created_at
        for reply in session.scalars(select(ThreadReply).where(ThreadReply.thread_id == thread.id)):
            reply.created_at = _between(thread.created_at, now, reply.id, 13)
            thread.last_activity_at = max(thread.last_activity_at, reply.created_at)
