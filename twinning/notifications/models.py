"""A notification for one user."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from twinning.core.db import Base, TimestampMixin, utcnow


class Notification(TimestampMixin, Base):
    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_unread", "user_id", "read_at"),
        Index("ix_notifications_digest", "emailed_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # What happened, as a key the templates translate (e.g. "proposal.approved"), and the
    # values to fill in: the text is rendered in the reader's language when it is shown.
    kind: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    link: Mapped[str] = mapped_column(String(300), default="")
    read_at: Mapped[datetime | None]
    emailed_at: Mapped[datetime | None]
    # Where it happened, so the daily digest can group by association (None: the whole network).
    association_id: Mapped[int | None] = mapped_column(ForeignKey("associations.id", ondelete="SET NULL"))


class Delivery(StrEnum):
    """How one kind of notification reaches a person."""

    IN_APP = "in_app"  # in the notification centre only
    IMMEDIATELY = "immediately"  # and a mail right away
    DIGEST = "digest"  # and in the daily digest
    OFF = "off"  # not at all


class NotificationPreference(Base):
    """A person's choice for one category of notifications; without a row their global choice holds."""

    __tablename__ = "notification_preferences"
    __table_args__ = (UniqueConstraint("user_id", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    category: Mapped[str] = mapped_column(String(20))
    delivery: Mapped[str] = mapped_column(String(20))


class Follow(Base):
    """One person's explicit choice about one thing: following it, or not (``following=False``).

    Authoring, supporting and joining imply following without a row; a row with
    ``following=False`` turns that off. Recipients are computed in one query
    (``followers.recipients``): implied people plus explicit followers, minus explicit opt-outs.
    """

    __tablename__ = "follows"
    __table_args__ = (
        UniqueConstraint("user_id", "kind", "target_id"),
        Index("ix_follows_target", "kind", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int]
    following: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
