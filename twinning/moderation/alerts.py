"""Tell the people who must act that something waits: one collapsed alert per association.

A post that waits for a decision alerts the association's moderators and admins (not the
author, even when they moderate). While a recipient has not read the alert, later posts
only raise its count ("Posts waiting for a decision in Aachen–Reims: 7"): one in-app line
and, for those who want mail right away, one mail per batch, not one per post.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from twinning.associations.models import Association, Membership, MembershipState, Role
from twinning.auth.models import User
from twinning.core.urls import path_for
from twinning.notifications.models import Notification
from twinning.notifications.services import notify

WAITING = "moderation.waiting"


def moderators_of(session: Session, association: Association, *, except_id: int | None = None) -> list[User]:
    """The active moderators and admins of the association, in one query."""
    query = (
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.association_id == association.id,
            Membership.role.in_((Role.MODERATOR, Role.ADMIN)),
            Membership.state == MembershipState.ACTIVE,
        )
        .order_by(User.id)
    )
    if except_id is not None:
        query = query.where(User.id != except_id)
    return list(session.scalars(query))


def alert_waiting(session: Session, association: Association, author_id: int | None) -> None:
    """A post of the association waits: raise each moderator's unread alert or start one.

    The association's row is locked (``FOR NO KEY UPDATE`` on PostgreSQL) first, so two
    posts arriving together give one alert that counts both.
    """
    recipients = moderators_of(session, association, except_id=author_id)
    if not recipients:
        return
    # One post of the association at a time passes here: the first of two that arrive
    # together creates the alert, the second finds it and counts. "No key update" does not
    # wait for the key-share lock that inserting the post itself took on the association.
    session.execute(
        select(Association.id).where(Association.id == association.id).with_for_update(key_share=True)
    )
    link = path_for("moderation.queue", slug=association.slug)
    unread = {
        n.user_id: n
        for n in session.scalars(
            select(Notification)
            .where(
                Notification.user_id.in_([u.id for u in recipients]),
                Notification.kind == WAITING,
                Notification.link == link,
                Notification.read_at.is_(None),
            )
            .order_by(Notification.id)
            .execution_options(populate_existing=True)
        )
    }
    for user in recipients:
        existing = unread.get(user.id)
        if existing is not None:
            existing.params = {**existing.params, "count": int(existing.params.get("count", 1)) + 1}
        else:
            notify(session, user, WAITING, link=link, association=association.name, count=1)
    session.flush()
