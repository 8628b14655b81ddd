"""The columns every discussion post shares (a proposal comment, a thread reply)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from twinning.auth.models import User
from twinning.core.content import ModerationState, enum_type
from twinning.core.db import TimestampMixin


class DiscussionPostMixin(TimestampMixin):
    """A post in a discussion: its author, text, moderation state, and when it was edited or deleted.

    Each feature's table adds the key to what the post discusses (``proposal_id``,
    ``thread_id``) and, where posts take replies, a ``parent_id``. Posts are published at
    once unless the moderation policy holds them back.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    body: Mapped[str] = mapped_column(Text)
    moderation_state: Mapped[ModerationState] = mapped_column(
        enum_type(ModerationState, "moderation_state"), default=ModerationState.APPROVED
    )
    moderation_reason: Mapped[str] = mapped_column(Text, default="")
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]

    @declared_attr
    def author(cls) -> Mapped[User | None]:
        return relationship(User)
