"""The mail for one notification, in the recipient's language."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from twinning.auth.models import User
from twinning.core.mail import queue_mail
from twinning.notifications.models import Notification
from twinning.notifications.texts import category_of, render
from twinning.notifications.unsubscribe import mail_extras


def queue_notification_mail(session: Session, user: User, notification: Notification) -> None:
    from flask import current_app

    with force_locale(user.locale):
        text = render(notification.kind, notification.params)
    link = current_app.config["BASE_URL"].rstrip("/") + notification.link if notification.link else ""
    queue_mail(
        session,
        user.email,
        _l("News on Twinning"),
        "notification",
        user.locale,
        user=user,
        text=text,
        link=link,
        **mail_extras(user, category_of(notification.kind)),
    )
