"""The daily digest: one mail per person who chose it, listing what they have not been mailed."""

from __future__ import annotations

from itertools import groupby

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from twinning.auth.models import EmailNotifications, User
from twinning.core.db import utcnow
from twinning.core.mail import absolute_url, queue_mail
from twinning.notifications.models import Notification
from twinning.notifications.texts import render


def send_digests(session: Session) -> int:
    """Queue one digest mail per digest reader with unmailed notifications; returns the count.

    Running it twice sends nothing new: each notification is marked ``emailed_at``.
    """
    rows = session.execute(
        select(User, Notification)
        .join(Notification, Notification.user_id == User.id)
        .where(User.email_notifications == EmailNotifications.DIGEST, Notification.emailed_at.is_(None))
        .order_by(User.id, Notification.created_at, Notification.id)
    ).all()
    base_url = current_app.config["BASE_URL"].rstrip("/")
    now = utcnow()
    sent = 0
    for user, pairs in groupby(rows, key=lambda row: row[0]):
        notifications = [notification for _user, notification in pairs]
        with force_locale(user.locale):
            entries = [(render(n.kind, n.params), base_url + n.link if n.link else "") for n in notifications]
        queue_mail(
            session,
            user.email,
            _l("Your news on Twinning"),
            "digest",
            user.locale,
            user=user,
            entries=entries,
            notifications_url=absolute_url("notifications.index"),
        )
        for notification in notifications:
            notification.emailed_at = now
        sent += 1
    session.flush()
    return sent
