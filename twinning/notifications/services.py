"""Notify people: an in-app notification, and a mail if they want it right away."""

from __future__ import annotations

from sqlalchemy.orm import Session

from twinning.auth.models import EmailNotifications, User
from twinning.db import utcnow
from twinning.notifications.models import Notification


def notify(session: Session, user: User, kind: str, link: str = "", **params) -> Notification:
    """Record that ``kind`` happened for ``user``; the text is rendered in their language later.

    ``kind`` is a key of ``twinning.notifications.texts.TEXTS`` (e.g. "proposal.approved");
    ``params`` fill its placeholders (titles, names, reasons) and must be JSON values.
    """
    notification = Notification(user_id=user.id, kind=kind, params=params, link=link)
    session.add(notification)
    session.flush()
    if user.email_notifications == EmailNotifications.IMMEDIATELY:
        from twinning.notifications.mail import queue_notification_mail

        queue_notification_mail(session, user, notification)
        notification.emailed_at = utcnow()
    return notification
