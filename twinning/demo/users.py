"""Demo accounts: the people of the product brief, in every role."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from twinning.auth.models import User
from twinning.auth.services import hash_password
from twinning.core.db import utcnow

DEMO_PASSWORD = "twinning-demo"  # noqa: S105 (public on purpose: printed for local trials; refused in production)  # nosec B105

# (email, display name, language, platform admin, role shown in the sign-in list)
DEMO_USERS = [
    ("admin@example.org", "Plattform-Admin", "de", True, "platform admin"),
    ("marie@example.org", "Marie Lefèvre-Schmitz", "de", False, "association board (Aachen)"),
    ("jonas@example.org", "Jonas Becker", "de", False, "young volunteer"),
    ("thandi@example.org", "Thandi Nkosi", "en", False, "partner (Cape Town)"),
    ("olena@example.org", "Olena Kovalenko", "en", False, "partner (Chernihiv)"),
]


def ensure_user(
    session: Session,
    email: str,
    name: str,
    locale: str,
    admin: bool = False,
    password_hash: str | None = None,
) -> User:
    user = session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(
            email=email,
            display_name=name,
            locale=locale,
            password_hash=password_hash or hash_password(DEMO_PASSWORD),
            email_confirmed_at=utcnow(),
            is_platform_admin=admin,
        )
        session.add(user)
        session.flush()
    return user


def load(session: Session, shared_hash: str) -> list[tuple[str, str]]:
    """Create the demo accounts; returns (role, email) pairs for the sign-in list."""
    for email, name, locale, admin, _role in DEMO_USERS:
        ensure_user(session, email, name, locale, admin, shared_hash)
    return [(role, email) for email, _n, _l, _a, role in DEMO_USERS]
