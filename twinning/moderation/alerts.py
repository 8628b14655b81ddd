"""Tell the people who must act that something waits for them.

A post that waits for a decision, or a first report on a post, alerts the association's
moderators and admins (never the person who acted, even when they moderate). While a
recipient has not read the alert, later ones only raise its count ("Posts waiting for a
decision in Aachen–Reims: 7"): one in-app line and, for those who want mail right away,
one mail per batch, not one per post. A post hidden after reports alerts them one by one.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from twinning.associations.members import moderators_of
from twinning.associations.models import Association
from twinning.core.urls import path_for
from twinning.notifications.models import Notification
from twinning.notifications.services import notify

WAITING = "moderation.waiting"
REPORTED = "moderation.reported"
AUTO_HIDDEN = "moderation.auto_hidden_alert"


def alert_waiting(session: Session, association: Association, author_id: int | None) -> None:
    """A post of the association waits for a decision."""
    _collapsed(session, association, author_id, WAITING)


def alert_reported(session: Session, association: Association, reporter_id: int) -> None:
    """A post of the association got its first open report."""
    _collapsed(session, association, reporter_id, REPORTED)


def alert_auto_hidden(session: Session, association: Association, title: str, link: str) -> None:
    """A post was hidden after several reports: each moderator is told about this one."""
    for user in moderators_of(session, association):
        notify(session, user, AUTO_HIDDEN, link=link, title=title, association=association.name)


def _collapsed(session: Session, association: Association, actor_id: int | None, kind: str) -> None:
    """Raise each moderator's unread alert of ``kind`` for the association, or start one.

    The association's row is locked (``FOR NO KEY UPDATE`` on PostgreSQL) first, so two
    posts arriving together give one alert that counts both.
    """
    recipients = moderators_of(session, association, except_id=actor_id)
    if not recipients:
        return
    # One alert of the association at a time passes here: the first of two that arrive
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
                Notification.kind == kind,
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
            notify(session, user, kind, link=link, association=association.name, count=1)
    session.flush()
