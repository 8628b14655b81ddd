"""One-click unsubscribe: a signed link per (person, category) in every notification mail.

The token names the person, the category ("all" for the digest: every mail) and a fingerprint
of their address, so it needs no sign-in, and a forged or changed one reads as invalid.
The mail also carries ``List-Unsubscribe`` and ``List-Unsubscribe-Post`` (RFC 8058): a mail
program POSTs to the same address, and that applies it; a GET only shows the confirm button.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from twinning.auth.models import EmailNotifications, User
from twinning.auth.tokens import TokenInvalid, fingerprint, make_token, read_token
from twinning.core.mail import absolute_url
from twinning.notifications.models import Delivery
from twinning.notifications.texts import CATEGORIES

PURPOSE = "unsubscribe"
MAX_AGE = 365 * 24 * 3600
ALL = "all"


def token_for(user: User, category: str) -> str:
    return make_token(PURPOSE, {"u": user.id, "c": category, "e": fingerprint(user.email)})


def mail_extras(user: User, category: str) -> dict:
    """What a notification mail adds: the footer link and the two headers."""
    url = absolute_url("notifications.unsubscribe", token=token_for(user, category))
    return {
        "unsubscribe_url": url,
        "headers": {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    }


def read(session: Session, token: str) -> tuple[User, str]:
    """The person and category a link is for; ``TokenInvalid`` when forged, damaged or stale."""
    payload = read_token(PURPOSE, token, MAX_AGE)
    user_id, category = payload.get("u"), payload.get("c")
    if not isinstance(user_id, int) or (category != ALL and category not in CATEGORIES):
        raise TokenInvalid()
    user = session.get(User, user_id)
    if user is None or payload.get("e") != fingerprint(user.email):
        raise TokenInvalid()
    return user, category


def apply(session: Session, user: User, category: str) -> None:
    """No more mails for the category (still in the notification centre); ``all``: no mails at all."""
    from twinning.notifications.services import deliveries, set_delivery

    for each, delivery in deliveries(session, user).items():
        if (category in (ALL, each)) and delivery in (Delivery.IMMEDIATELY, Delivery.DIGEST):
            set_delivery(session, user, each, Delivery.IN_APP)
    if category == ALL:
        user.email_notifications = EmailNotifications.NEVER
    session.flush()
