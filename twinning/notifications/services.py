"""Notify people: an in-app notification, and a mail if they want it right away; read state."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from twinning.auth.models import EmailNotifications, User
from twinning.core.db import utcnow
from twinning.core.errors import NotAllowed, ValidationError
from twinning.notifications.models import Notification

NOTIFIED_KEY = "twinning_notified_user_ids"


def notified_since(session: Session, mark: int) -> list[int]:
    """Ids of users notified in this session after ``mark`` = len(...) taken earlier."""
    return session.info.get(NOTIFIED_KEY, [])[mark:]


def notified_mark(session: Session) -> int:
    return len(session.info.get(NOTIFIED_KEY, []))


def notify(
    session: Session, user: User, kind: str, link: str = "", *, mailed: bool = False, **params
) -> Notification:
    """Record that ``kind`` happened for ``user``; the text is rendered in their language later.

    ``kind`` is a key of ``twinning.notifications.texts.TEXTS`` (e.g. "proposal.approved");
    ``params`` fill its placeholders (titles, names, reasons) and must be JSON values.
    ``mailed=True`` says the caller sends a mail of its own about this, so none goes twice.
    """
    notification = Notification(user_id=user.id, kind=kind, params=params, link=link)
    session.add(notification)
    # Who was notified in this transaction, so moderation does not tell an author twice
    # when the feature's own hook already did.
    session.info.setdefault(NOTIFIED_KEY, []).append(user.id)
    session.flush()
    if mailed:
        notification.emailed_at = utcnow()
    elif user.email_notifications == EmailNotifications.IMMEDIATELY:
        from twinning.notifications.mail import queue_notification_mail

        queue_notification_mail(session, user, notification)
        notification.emailed_at = utcnow()
    return notification


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
