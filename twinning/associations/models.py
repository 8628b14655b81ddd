"""Association, its old slugs, memberships, invitations and partnerships."""

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
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from twinning.auth.models import User
from twinning.core.content import enum_type
from twinning.core.db import Base, TimestampMixin
from twinning.topics.models import Theme, topic_link_tables


class JoinPolicy(StrEnum):
    OPEN = "open"
    APPROVAL = "approval"
    INVITE = "invite"


class ModerationPolicy(StrEnum):
    ALL = "all"  # proposals and threads from members wait; moderators publish directly
    STRICT = "strict"  # comments and replies wait too
    NONE = "none"


class AssociationStatus(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    DECLINED = "declined"


class Role(StrEnum):
    MEMBER = "member"
    MODERATOR = "moderator"
    ADMIN = "admin"


class MembershipState(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    BLOCKED = "blocked"


class PartnershipKind(StrEnum):
    TWINNING = "twinning"  # Städtepartnerschaft
    FRIENDSHIP = "friendship"  # Städtefreundschaft
    PROJECT = "project"  # Projektpartnerschaft
    SOLIDARITY = "solidarity"  # Solidaritätspartnerschaft
    CLIMATE = "climate"  # Klimapartnerschaft
    CONTACT = "contact"  # Kontakt


class LinkState(StrEnum):
    NONE = "none"
    REQUESTED = "requested"
    CONFIRMED = "confirmed"


association_themes, association_sdgs = topic_link_tables("association", "associations")


class Association(TimestampMixin, Base):
    __tablename__ = "associations"
    __table_args__ = (
        CheckConstraint("support_threshold IS NULL OR support_threshold >= 1", name="threshold_positive"),
        CheckConstraint("length(country) = 2", name="country_code"),
        Index("ix_associations_status_name", "status", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    city: Mapped[str] = mapped_column(String(80))
    country: Mapped[str] = mapped_column(String(2), index=True)  # ISO 3166-1 alpha-2
    description: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str | None] = mapped_column(String(300))
    logo: Mapped[str | None] = mapped_column(String(100))  # file name in the upload folder
    join_policy: Mapped[JoinPolicy] = mapped_column(
        enum_type(JoinPolicy, "join_policy"), default=JoinPolicy.OPEN
    )
    moderation_policy: Mapped[ModerationPolicy] = mapped_column(
        enum_type(ModerationPolicy, "moderation_policy"), default=ModerationPolicy.ALL
    )
    support_threshold: Mapped[int | None]
    # Supports keep counting after the threshold sent a proposal to the board, unless the
    # association closes collecting there (Decidim's "accumulate beyond threshold").
    support_after_threshold: Mapped[bool] = mapped_column(default=True, server_default=true())
    status: Mapped[AssociationStatus] = mapped_column(
        enum_type(AssociationStatus, "status"), default=AssociationStatus.PENDING
    )
    status_reason: Mapped[str] = mapped_column(Text, default="")
    founder_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    approved_at: Mapped[datetime | None]

    founder: Mapped[User | None] = relationship()
    themes: Mapped[list[Theme]] = relationship(secondary=association_themes, order_by=Theme.position)
    partnerships: Mapped[list[Partnership]] = relationship(
        back_populates="association",
        foreign_keys="Partnership.association_id",
        cascade="all, delete-orphan",
        order_by="Partnership.city",
    )

    @property
    def is_active(self) -> bool:
        return self.status == AssociationStatus.ACTIVE

    def __repr__(self) -> str:
        return f"<Association {self.slug}>"


class AssociationSlug(TimestampMixin, Base):
    """A slug the association had before a rename; its address redirects."""

    __tablename__ = "association_slugs"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("associations.id", ondelete="CASCADE"), index=True)


class Membership(TimestampMixin, Base):
    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("user_id", "association_id"),
        Index("ix_memberships_association_state_role", "association_id", "state", "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("associations.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(enum_type(Role, "role"), default=Role.MEMBER)
    state: Mapped[MembershipState] = mapped_column(
        enum_type(MembershipState, "state"), default=MembershipState.ACTIVE
    )
    decided_at: Mapped[datetime | None]
    last_active_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
    association: Mapped[Association] = relationship()

    @property
    def is_active(self) -> bool:
        return self.state == MembershipState.ACTIVE


class Invitation(TimestampMixin, Base):
    """A single-use, expiring link to join an association with the ``invite`` policy."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("associations.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the token in the link
    email: Mapped[str | None] = mapped_column(String(254))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class Partnership(TimestampMixin, Base):
    """A partner city of an association; linked to the partner's association once both confirm."""

    __tablename__ = "partnerships"
    __table_args__ = (
        CheckConstraint("since_year IS NULL OR since_year BETWEEN 800 AND 2200", name="since_year_range"),
        CheckConstraint(
            "partner_association_id IS NULL OR partner_association_id <> association_id", name="not_self"
        ),
        Index("ix_partnerships_partner", "partner_association_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("associations.id", ondelete="CASCADE"), index=True)
    city: Mapped[str] = mapped_column(String(80))
    country: Mapped[str] = mapped_column(String(2))
    since_year: Mapped[int | None]
    kind: Mapped[PartnershipKind] = mapped_column(
        enum_type(PartnershipKind, "kind"), default=PartnershipKind.TWINNING
    )
    partner_association_id: Mapped[int | None] = mapped_column(
        ForeignKey("associations.id", ondelete="SET NULL")
    )
    link_state: Mapped[LinkState] = mapped_column(enum_type(LinkState, "link_state"), default=LinkState.NONE)

    association: Mapped[Association] = relationship(
        back_populates="partnerships", foreign_keys=[association_id]
    )
    partner_association: Mapped[Association | None] = relationship(foreign_keys=[partner_association_id])
