"""Builders for test data; they flush, the test's transaction is rolled back.

Each builder takes only what a test cares about and fills the rest with valid values.
"""

from __future__ import annotations

import itertools

from sqlalchemy import select

from twinning.associations.models import (
    Association,
    AssociationStatus,
    JoinPolicy,
    Membership,
    MembershipState,
    ModerationPolicy,
    Role,
)
from twinning.auth.models import User
from twinning.auth.services import hash_password
from twinning.core.content import ModerationState
from twinning.core.db import utcnow
from twinning.groups.models import Group, GroupMembership, GroupRole, OpenTo
from twinning.proposals.models import Lifecycle, Proposal
from twinning.topics.models import Theme

PASSWORD = "correct horse battery"
_PASSWORD_HASH = hash_password(PASSWORD)  # argon2 is slow on purpose: hash once
_counter = itertools.count(1)


def make_user(
    session,
    *,
    email: str | None = None,
    name: str | None = None,
    confirmed: bool = True,
    platform_admin: bool = False,
    locale: str = "de",
) -> User:
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


def make_association(
    session,
    *,
    name: str | None = None,
    slug: str | None = None,
    city: str = "Aachen",
    country: str = "DE",
    status: AssociationStatus = AssociationStatus.ACTIVE,
    join_policy: JoinPolicy = JoinPolicy.OPEN,
    moderation_policy: ModerationPolicy = ModerationPolicy.ALL,
    support_threshold: int | None = None,
    admin: User | None = None,
) -> Association:
    """An association; with ``admin`` given, that user is its founder and an active admin."""
    n = next(_counter)
    association = Association(
        name=name or f"Verein {n}",
        slug=slug or f"verein-{n}",
        city=city,
        country=country,
        status=status,
        join_policy=join_policy,
        moderation_policy=moderation_policy,
        support_threshold=support_threshold,
        founder_id=admin.id if admin else None,
        approved_at=utcnow() if status == AssociationStatus.ACTIVE else None,
    )
    session.add(association)
    session.flush()
    if admin is not None:
        make_membership(session, admin, association, role=Role.ADMIN)
    return association


def make_membership(
    session,
    user: User,
    association: Association,
    *,
    role: Role = Role.MEMBER,
    state: MembershipState = MembershipState.ACTIVE,
) -> Membership:
    membership = Membership(user_id=user.id, association_id=association.id, role=role, state=state)
    session.add(membership)
    session.flush()
    return membership


def make_member(session, association: Association, role: Role = Role.MEMBER, **user_fields) -> User:
    """A new user who is an active member of ``association`` with ``role``."""
    user = make_user(session, **user_fields)
    make_membership(session, user, association, role=role)
    return user


def theme(session, slug: str = "klimaschutz") -> Theme:
    """One of the seeded themes (the migration seeds the default list)."""
    return session.scalar(select(Theme).where(Theme.slug == slug))


def make_proposal(
    session,
    association: Association,
    author: User,
    *,
    title: str | None = None,
    summary: str = "A short summary",
    body: str = "Some **Markdown** text.",
    moderation_state: ModerationState = ModerationState.APPROVED,
    lifecycle: Lifecycle = Lifecycle.OPEN,
    sdgs: list[int] | None = None,
    themes: list[Theme] | None = None,
) -> Proposal:
    from twinning.proposals.models import proposal_sdgs

    proposal = Proposal(
        association_id=association.id,
        author_id=author.id,
        title=title or f"Proposal {next(_counter)}",
        summary=summary,
        body=body,
        moderation_state=moderation_state,
        lifecycle=lifecycle,
        published_at=utcnow() if moderation_state == ModerationState.APPROVED else None,
        themes=themes or [],
    )
    session.add(proposal)
    session.flush()
    for number in sdgs or []:
        session.execute(proposal_sdgs.insert().values(proposal_id=proposal.id, sdg=number))
    return proposal


def make_group(
    session,
    association: Association,
    *,
    name: str | None = None,
    open_to: OpenTo = OpenTo.EVERYONE,
    coordinator: User | None = None,
) -> Group:
    group = Group(
        association_id=association.id,
        name=name or f"Group {next(_counter)}",
        description="What we do.",
        open_to=open_to,
        created_by_id=coordinator.id if coordinator else None,
    )
    session.add(group)
    session.flush()
    if coordinator is not None:
        session.add(GroupMembership(group_id=group.id, user_id=coordinator.id, role=GroupRole.COORDINATOR))
        group.member_count = 1
        session.flush()
    return group


def make_comment(
    session,
    proposal: Proposal,
    author: User,
    *,
    body: str = "A comment.",
    parent=None,
    moderation_state: ModerationState = ModerationState.APPROVED,
):
    from twinning.proposals.models import Comment

    comment = Comment(
        proposal_id=proposal.id,
        author_id=author.id,
        body=body,
        moderation_state=moderation_state,
        parent_id=parent.id if parent is not None else None,
    )
    session.add(comment)
    session.flush()
    return comment


def link_partners(session, first: Association, second: Association):
    """A partnership between two associations that both sides have confirmed."""
    from twinning.associations.models import LinkState, Partnership

    partnership = Partnership(
        association_id=first.id,
        city=second.city,
        country=second.country,
        partner_association_id=second.id,
        link_state=LinkState.CONFIRMED,
    )
    session.add(partnership)
    session.flush()
    return partnership
