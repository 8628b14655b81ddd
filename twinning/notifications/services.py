"""Notify people: an in-app notification, and a mail if they want it right away; read state."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from twinning.auth.models import EmailNotifications, User
from twinning.core.db import utcnow
from twinning.core.errors import NotAllowed, ValidationError
from twinning.notifications.models import Delivery, Notification, NotificationPreference
from twinning.notifications.texts import CATEGORIES, category_of

NOTIFIED_KEY = "twinning_notified_user_ids"


def notified_since(session: Session, mark: int) -> list[int]:
    """Ids of users notified in this session after ``mark`` = len(...) taken earlier."""
    return session.info.get(NOTIFIED_KEY, [])[mark:]


def notified_mark(session: Session) -> int:
    return len(session.info.get(NOTIFIED_KEY, []))


_GLOBAL_DELIVERY = {
    EmailNotifications.IMMEDIATELY: Delivery.IMMEDIATELY,
    EmailNotifications.DIGEST: Delivery.DIGEST,
    EmailNotifications.NEVER: Delivery.IN_APP,
}


def deliveries(session: Session, user: User) -> dict[str, Delivery]:
    """The person's delivery for every category: their choice, else their global e-mail choice."""
    chosen = dict(
        session.execute(
            select(NotificationPreference.category, NotificationPreference.delivery).where(
                NotificationPreference.user_id == user.id
            )
        ).all()
    )
    default = _GLOBAL_DELIVERY[user.email_notifications]
    return {category: Delivery(chosen.get(category, default)) for category in CATEGORIES}


def delivery_for(session: Session, user: User, kind: str) -> Delivery:
    chosen = session.scalar(
        select(NotificationPreference.delivery).where(
            NotificationPreference.user_id == user.id, NotificationPreference.category == category_of(kind)
        )
    )
    return Delivery(chosen) if chosen else _GLOBAL_DELIVERY[user.email_notifications]


def notify(
    session: Session,
    user: User,
    kind: str,
    link: str = "",
    *,
    mailed: bool = False,
    association_id: int | None = None,
    delivery: Delivery | None = None,
    **params,
) -> Notification | None:
    """Record that ``kind`` happened for ``user``; the text is rendered in their language later.

    ``kind`` is a key of ``twinning.notifications.texts.TEXTS`` (e.g. "proposal.approved");
    ``params`` fill its placeholders (titles, names, reasons) and must be JSON values.
    ``mailed=True`` says the caller sends a mail of its own about this, so none goes twice.
    ``association_id`` says where it happened, for the digest's grouping.
    The person's delivery for the kind's category decides: off (nothing, returns None), in the
    centre only, a mail right away, or the daily digest.
    """
    # Who was notified in this transaction, so moderation does not tell an author twice
    # when the feature's own hook already did.
    session.info.setdefault(NOTIFIED_KEY, []).append(user.id)
    if mailed:
        delivery = Delivery.IN_APP
    elif delivery is None:
        delivery = delivery_for(session, user, kind)
    if delivery == Delivery.OFF:
        return None
    notification = Notification(
        user_id=user.id, kind=kind, params=params, link=link, association_id=association_id
    )
    session.add(notification)
    session.flush()
    if mailed or delivery == Delivery.IN_APP:
        # Never to be mailed: the digest takes only rows without ``emailed_at``.
        notification.emailed_at = utcnow()
    elif delivery == Delivery.IMMEDIATELY:
        from twinning.notifications.mail import queue_notification_mail

        queue_notification_mail(session, user, notification)
        notification.emailed_at = utcnow()
    return notification


def notify_all(session: Session, users: list[User], kind: str, link: str = "", **params) -> None:
    """``notify`` each of ``users`` (followers): their choices for the kind read in one query."""
    if not users:
        return
    chosen = dict(
        session.execute(
            select(NotificationPreference.user_id, NotificationPreference.delivery).where(
                NotificationPreference.user_id.in_([user.id for user in users]),
                NotificationPreference.category == category_of(kind),
            )
        ).all()
    )
    for user in users:
        delivery = (
            Delivery(chosen[user.id]) if user.id in chosen else _GLOBAL_DELIVERY[user.email_notifications]
        )
        notify(session, user, kind, link, delivery=delivery, **params)


def set_delivery(session: Session, user: User, category: str, delivery: str) -> None:
    """Choose how one category of notifications arrives; exact under parallel saves."""
    if category not in CATEGORIES:
        raise ValidationError(_l("Please choose how we should write to you."), field=category)
    try:
        delivery = Delivery(delivery)
    except ValueError:
        raise ValidationError(_l("Please choose how we should write to you."), field=category) from None
    try:
        with session.begin_nested():
            session.add(NotificationPreference(user_id=user.id, category=category, delivery=delivery.value))
    except IntegrityError:
        session.execute(
            update(NotificationPreference)
            .where(NotificationPreference.user_id == user.id, NotificationPreference.category == category)
            .values(delivery=delivery.value)
            .execution_options(synchronize_session=False)
        )
    session.flush()


def unread_count(session: Session, user: User) -> int:
    """How many notifications the user has not read: one COUNT on an indexed pair."""
    query = (
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )
    return session.scalar(query) or 0


def mark_read(session: Session, user: User, notification: Notification) -> None:
    """Mark one of the user's own notifications read."""
    if notification.user_id != user.id:
        raise NotAllowed(_l("You do not have permission to do this."))
    if notification.read_at is None:
        notification.read_at = utcnow()
    session.flush()


def mark_all_read(session: Session, user: User) -> int:
    """Mark every unread notification of the user read; returns how many."""
    result = session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    session.flush()
    return result.rowcount or 0


def set_email_preference(session: Session, user: User, preference: str) -> None:
    """Choose how notifications arrive by e-mail: immediately, as a daily digest, or never."""
    try:
        user.email_notifications = EmailNotifications(preference)
    except ValueError:
        raise ValidationError(
            _l("Please choose how we should write to you."), field="email_notifications"
        ) from None
    session.flush()
