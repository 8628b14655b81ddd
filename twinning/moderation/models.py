"""Reports and the audit log of moderation actions; content is addressed by (kind, id)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from twinning.auth.models import User
from twinning.core.content import enum_type
from twinning.core.db import Base, TimestampMixin


class ReportReason(StrEnum):
    SPAM = "spam"
    OFFENSIVE = "offensive"
    OFF_TOPIC = "off_topic"
    PERSONAL_DATA = "personal_data"
    OTHER = "other"


class Decision(StrEnum):
    APPROVE = "approve"
    DECLINE = "decline"
    HIDE = "hide"
    RESTORE = "restore"
    FORWARD = "forward"  # handed to the platform admins
    AUTO_HIDE = "auto_hide"  # hidden by the platform after three reports


class Report(TimestampMixin, Base):
    __tablename__ = "reports"
    # Once per item and person.
    __table_args__ = (
        UniqueConstraint("kind", "item_id", "reporter_id"),
        Index("ix_reports_association_open", "association_id", "resolved_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # proposal, comment, thread, reply
    item_id: Mapped[int]
    association_id: Mapped[int] = mapped_column(ForeignKey("associations.id", ondelete="CASCADE"))
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[ReportReason] = mapped_column(enum_type(ReportReason, "reason"))
    text: Mapped[str] = mapped_column(Text, default="")
    resolved_at: Mapped[datetime | None]

    reporter: Mapped[User | None] = relationship()


class ModerationAction(TimestampMixin, Base):
    """Who decided what about which item, when and why: the audit log."""

    __tablename__ = "moderation_actions"
    __table_args__ = (
        Index("ix_moderation_actions_association_created", "association_id", "created_at"),
        Index("ix_moderation_actions_item", "kind", "item_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("associations.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    item_id: Mapped[int]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decision: Mapped[Decision] = mapped_column(enum_type(Decision, "decision"))
    reason: Mapped[str] = mapped_column(Text, default="")

    actor: Mapped[User | None] = relationship()
