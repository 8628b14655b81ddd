"""Proposal with its revisions, themes and goals; Support; Comment; CoSponsorship."""

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


class Lifecycle(StrEnum):
    OPEN = "open"
    UNDER_REVIEW = "under_review"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    IMPLEMENTED = "implemented"
    WITHDRAWN = "withdrawn"


class CoSponsorState(StrEnum):
    INVITED = "invited"
    ACCEPTED = "accepted"
    DECLINED = "declined"


proposal_themes, proposal_sdgs = topic_link_tables("proposal", "proposals")


class Proposal(TimestampMixin, Base):
    __tablename__ = "proposals"
    __table_args__ = (
        CheckConstraint("support_count >= 0", name="support_count_positive"),
        CheckConstraint("comment_count >= 0", name="comment_count_positive"),
        CheckConstraint("budget IS NULL OR budget >= 0", name="budget_positive"),
        # The list pages filter by association and state and sort by one of these.
        Index("ix_proposals_list_supports", "association_id", "moderation_state", "support_count"),
        Index("ix_proposals_list_new", "association_id", "moderation_state", "created_at"),
        Index("ix_proposals_list_comments", "association_id", "moderation_state", "comment_count"),
        Index("ix_proposals_public_new", "moderation_state", "created_at"),
        # Network-wide "latest" lists and answers (home, goal and theme pages, feeds) walk
        # these in order instead of sorting every published proposal on each request.
        Index("ix_proposals_public_published", "moderation_state", "published_at", "id"),
        Index("ix_proposals_public_answered", "moderation_state", "answered_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("associations.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text, default="")
    budget: Mapped[int | None]  # whole euros, an estimate
    moderation_state: Mapped[ModerationState] = mapped_column(
        enum_type(ModerationState, "moderation_state"), default=ModerationState.PENDING
    )
    moderation_reason: Mapped[str] = mapped_column(Text, default="")
    lifecycle: Mapped[Lifecycle] = mapped_column(enum_type(Lifecycle, "lifecycle"), default=Lifecycle.OPEN)
    answer: Mapped[str] = mapped_column(Text, default="")  # the association's public answer
    answered_at: Mapped[datetime | None]
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    support_count: Mapped[int] = mapped_column(default=0)
    comment_count: Mapped[int] = mapped_column(default=0)
    published_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    association: Mapped[Association] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    themes: Mapped[list[Theme]] = relationship(secondary=proposal_themes, order_by=Theme.position)
    cosponsorships: Mapped[list[CoSponsorship]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def is_published(self) -> bool:
        return self.moderation_state == ModerationState.APPROVED

    @property
    def sponsor_association_ids(self) -> set[int]:
        """The origin and every association that accepted to co-sponsor."""
        accepted = {c.association_id for c in self.cosponsorships if c.state == CoSponsorState.ACCEPTED}
        return {self.association_id} | accepted

    def __repr__(self) -> str:
        return f"<Proposal {self.id} {self.title[:30]!r}>"


class ProposalRevision(TimestampMixin, Base):
    """The text of a proposal before an edit."""

    __tablename__ = "proposal_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text)


class ProposalAnswer(TimestampMixin, Base):
    """One official answer of the association, with the state it set; the history of answers."""

    __tablename__ = "proposal_answers"
    __table_args__ = (Index("ix_proposal_answers_proposal_created", "proposal_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"))
    lifecycle: Mapped[Lifecycle] = mapped_column(enum_type(Lifecycle, "lifecycle"))
    answer: Mapped[str] = mapped_column(Text)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class ProposalEdit(PendingEditMixin, Base):
    """A change of a published proposal's substance, waiting for a moderator."""

    __tablename__ = "proposal_edits"
    __table_args__ = (one_waiting_edit("proposal_edits", "proposal_id"),)

    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(500))
    budget: Mapped[int | None]

    proposal: Mapped[Proposal] = relationship()

    @property
    def published_version(self) -> Proposal:
        return self.proposal


class Support(TimestampMixin, Base):
    __tablename__ = "supports"
    # One support per member per proposal, whatever happens between concurrent clicks.
    __table_args__ = (
        UniqueConstraint("proposal_id", "user_id"),
        # Supports per month, counted from index ranges alone: of a proposal (insights) and of
        # the whole network (dashboard).
        Index("ix_supports_proposal_created", "proposal_id", "created_at"),
        Index("ix_supports_created", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)


class Comment(DiscussionPostMixin, Base):
    __tablename__ = "comments"
    __table_args__ = (Index("ix_comments_proposal_created", "proposal_id", "created_at"),)

    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))

    proposal: Mapped[Proposal] = relationship()
    # The comment a reply answers (read from the session's identity map when it is loaded).
    parent: Mapped[Comment | None] = relationship(remote_side="Comment.id")


class CommentEdit(PendingEditMixin, Base):
    """A change of a published comment, waiting for a moderator (policy "strict")."""

    __tablename__ = "comment_edits"
    __table_args__ = (one_waiting_edit("comment_edits", "comment_id"),)

    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)

    comment: Mapped[Comment] = relationship()

    @property
    def published_version(self) -> Comment:
        return self.comment


class CoSponsorship(TimestampMixin, Base):
    """A linked partner association invited to co-sponsor a proposal."""

    __tablename__ = "cosponsorships"
    __table_args__ = (UniqueConstraint("proposal_id", "association_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"))
    association_id: Mapped[int] = mapped_column(ForeignKey("associations.id", ondelete="CASCADE"), index=True)
    state: Mapped[CoSponsorState] = mapped_column(
        enum_type(CoSponsorState, "state"), default=CoSponsorState.INVITED
    )
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]

    association: Mapped[Association] = relationship()
    proposal: Mapped[Proposal] = relationship(back_populates="cosponsorships")
