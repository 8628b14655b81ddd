"""The daily digest: one mail per person who chose it, listing what they have not been mailed."""

from __future__ import annotations

from itertools import groupby

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from twinning.auth.models import EmailNotifications, User
from twinning.core.db import Base, utcnow
from twinning.core.mail import absolute_url, queue_mail
from twinning.notifications.models import Delivery, Notification, NotificationPreference
from twinning.notifications.texts import render
from twinning.notifications.unsubscribe import ALL, mail_extras


def send_digests(session: Session) -> int:
    """Queue one digest mail per digest reader with unmailed notifications; returns the count.

    Running it twice sends nothing new: each notification is marked ``emailed_at``.
    """
    # Digest readers: by their global choice, or for at least one category (notify() marks every
    # notification that is not for the digest as mailed, so the unmailed ones are the digest's).
    chose_digest = exists().where(
        NotificationPreference.user_id == User.id, NotificationPreference.delivery == Delivery.DIGEST.value
    )
    # The associations table by name: this floor sits below the associations feature.
    association = Base.metadata.tables["associations"]
    rows = session.execute(
        select(User, Notification, association.c.name)
        .join(Notification, Notification.user_id == User.id)
        .outerjoin(association, association.c.id == Notification.association_id)
        .where(
            or_(User.email_notifications == EmailNotifications.DIGEST, chose_digest),
            Notification.emailed_at.is_(None),
        )
        .order_by(User.id, Notification.created_at, Notification.id)
        .with_for_update(of=Notification, skip_locked=True)
    ).all()
    base_url = current_app.config["BASE_URL"].rstrip("/")
    now = utcnow()
    sent = 0
    for user, grouped in groupby(rows, key=lambda row: row[0]):
        pairs = list(grouped)
        notifications = [notification for _user, notification, _name in pairs]
        # Grouped by association (the whole network last), in the order things happened.
        groups: dict[str, list[tuple[str, str]]] = {}
        with force_locale(user.locale):
            for _user, n, name in sorted(pairs, key=lambda row: (row[2] is None, row[2] or "")):
                heading = name or str(_l("Across the network"))
                groups.setdefault(heading, []).append(
                    (render(n.kind, n.params), base_url + n.link if n.link else "")
                )
        extras = mail_extras(user, ALL)
        queue_mail(
            session,
            user.email,
            _l("Your news on Twinning"),
            "digest",
            user.locale,
            user=user,
            groups=list(groups.items()),
            notifications_url=absolute_url("notifications.index"),
            **extras,
        )
        for notification in notifications:
            notification.emailed_at = now
        sent += 1
    session.flush()
    return sent
