"""Builders for test data; they flush, the test's transaction is rolled back."""

from __future__ import annotations

import itertools

from twinning.auth.models import User
from twinning.auth.services import hash_password
from twinning.db import utcnow

PASSWORD = "correct horse battery"
_PASSWORD_HASH = hash_password(PASSWORD)  # argon2 is slow on purpose: hash once
_counter = itertools.count(1)


def make_user(session, *, email: str | None = None, name: str | None = None,
              confirmed: bool = True, platform_admin: bool = False, locale: str = "de") -> User:
    n = next(_counter)
    user = User(
        email=email or f"user{n}@example.org",
        display_name=name or f"User {n}",
        password_hash=_PASSWORD_HASH,
        locale=locale,
        email_confirmed_at=utcnow() if confirmed else None,
        is_platform_admin=platform_admin,
    )
    session.add(user)
    session.flush()
    return user
