"""The user account."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from twinning.core.content import enum_type
from twinning.core.db import Base, TimestampMixin


class EmailNotifications(StrEnum):
    IMMEDIATELY = "immediately"
    DIGEST = "digest"  # one mail a day, sent by ``twinning send-digests``
    NEVER = "never"


class User(TimestampMixin, Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("email = lower(email)", name="email_lowercase"),
        CheckConstraint("session_version >= 1", name="session_version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(255))
    locale: Mapped[str] = mapped_column(String(8), default="de")
    bio: Mapped[str] = mapped_column(Text, default="")
    email_confirmed_at: Mapped[datetime | None]
    is_platform_admin: Mapped[bool] = mapped_column(default=False)
    # Bumped to end every session of this account (sign-out, password change or reset);
    # it is part of the id Flask-Login keeps in the session and remember cookie.
    session_version: Mapped[int] = mapped_column(default=1)
    # Carried by e-mail change links and bumped when one is used, a newer one is asked for,
    # or the password changes: a link works once, and only the newest one.
    email_change_version: Mapped[int] = mapped_column(default=0, server_default="0")
    last_seen_at: Mapped[datetime | None]
    email_notifications: Mapped[EmailNotifications] = mapped_column(
        enum_type(EmailNotifications, "email_notifications"),
        default=EmailNotifications.IMMEDIATELY,
        server_default=EmailNotifications.IMMEDIATELY.value,
    )

    # Flask-Login's protocol, spelled out rather than inherited from UserMixin,
    # because the id it stores carries the session version.
    is_active = True
    is_anonymous = False
    is_authenticated = True

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"
