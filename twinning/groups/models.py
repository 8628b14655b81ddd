"""Group, its members, discussion threads and replies."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from twinning.associations.models import Association
from twinning.auth.models import User
from twinning.core.content import ModerationState, PendingEditMixin, enum_type, one_waiting_edit
from twinning.core.db import Base, TimestampMixin, utcnow
from twinning.discussion.models import DiscussionPostMixin
from twinning.topics.models import Theme, topic_link_tables


class OpenTo(StrEnum):
    MEMBERS = "members"  # a working group of the association
    EVERYONE = "everyone"  # a topic group of the network


class GroupRole(StrEnum):
    MEMBER = "member"
    COORDINATOR = "coordinator"


group_themes, group_sdgs = topic_link_tables("group", "groups")


class Group(TimestampMixin, Base):
    __tablename__ = "groups"
    __table_args__ = (
        CheckConstraint("member_count >= 0", name="member_count_positive"),
        Index("ix_groups_open_to_created", "open_to", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("associations.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    open_to: Mapped[OpenTo] = mapped_column(enum_type(OpenTo, "open_to"), default=OpenTo.MEMBERS)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    member_count: Mapped[int] = mapped_column(default=0)  # kept with each join and leave

    association: Mapped[Association] = relationship()
    themes: Mapped[list[Theme]] = relationship(secondary=group_themes, order_by=Theme.position)

    @property
    def is_topic_group(self) -> bool:
        return self.open_to == OpenTo.EVERYONE


class GroupMembership(TimestampMixin, Base):
    __tablename__ = "group_memberships"
    __table_args__ = (UniqueConstraint("group_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[GroupRole] = mapped_column(enum_type(GroupRole, "role"), default=GroupRole.MEMBER)

    user: Mapped[User] = relationship()
    group: Mapped[Group] = relationship()


class Thread(TimestampMixin, Base):
    __tablename__ = "threads"
    __table_args__ = (
        CheckConstraint("reply_count >= 0", name="reply_count_positive"),
        Index("ix_threads_group_list", "group_id", "moderation_state", "pinned", "last_activity_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    moderation_state: Mapped[ModerationState] = mapped_column(
        enum_type(ModerationState, "moderation_state"), default=ModerationState.PENDING
    )
    moderation_reason: Mapped[str] = mapped_column(Text, default="")
    pinned: Mapped[bool] = mapped_column(default=False)
    reply_count: Mapped[int] = mapped_column(default=0)
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)

    group: Mapped[Group] = relationship()
    author: Mapped[User | None] = relationship()


class ThreadReply(DiscussionPostMixin, Base):
    __tablename__ = "thread_replies"
    __table_args__ = (Index("ix_thread_replies_thread_created", "thread_id", "created_at"),)

    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))

    thread: Mapped[Thread] = relationship()


class ReplyEdit(PendingEditMixin, Base):
    """A change of a published reply, waiting for a moderator (policy "strict")."""

    __tablename__ = "reply_edits"
    __table_args__ = (one_waiting_edit("reply_edits", "reply_id"),)

    reply_id: Mapped[int] = mapped_column(ForeignKey("thread_replies.id", ondelete="CASCADE"), index=True)

    reply: Mapped[ThreadReply] = relationship()

    @property
    def published_version(self) -> ThreadReply:
        return self.reply
