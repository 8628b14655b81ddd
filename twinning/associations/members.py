"""Membership use cases: join, leave, requests, roles, blocking, invitations."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from twinning.associations.models import (
    Association,
    Invitation,
    JoinPolicy,
    Membership,
    MembershipState,
    Role,
)
from twinning.auth.models import User
from twinning.core.db import utcnow
from twinning.core.errors import InvalidState, NotAllowed, ValidationError
from twinning.core.mail import absolute_url, queue_mail
from twinning.core.urls import path_for
from twinning.notifications.services import notify
from twinning.permissions import can, forget_memberships, is_blocked

INVITATION_LIFETIME = timedelta(days=14)

# Features above this one that tie roles to a membership (the coordinators of working groups)
# register here what ends with it: called with (session, user_id, association_id, blocked) in
# the same transaction when an active member leaves or a member is blocked.
MembershipEnded = Callable[[Session, int, int, bool], None]
_ENDED_LISTENERS: list[MembershipEnded] = []


def on_membership_ended(listener: MembershipEnded) -> MembershipEnded:
    if listener not in _ENDED_LISTENERS:
        _ENDED_LISTENERS.append(listener)
    return listener


def _membership_ended(session: Session, user_id: int, association_id: int, *, blocked: bool) -> None:
    for listener in _ENDED_LISTENERS:
        listener(session, user_id, association_id, blocked)


def moderators_of(session: Session, association: Association, *, except_id: int | None = None) -> list[User]:
    """The active moderators and admins of the association (the people who decide), in one query."""
    query = (
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.association_id == association.id,
            Membership.role.in_((Role.MODERATOR, Role.ADMIN)),
            Membership.state == MembershipState.ACTIVE,
        )
        .order_by(User.id)
    )
    if except_id is not None:
        query = query.where(User.id != except_id)
    return list(session.scalars(query))


def admins_of(session: Session, association: Association) -> list[User]:
    return list(
        session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.association_id == association.id,
                Membership.role == Role.ADMIN,
                Membership.state == MembershipState.ACTIVE,
            )
            .order_by(User.id)
        )
    )


def _admin_count(session: Session, association: Association) -> int:
    """The active admins, counted while their rows are locked (in id order, so two admins who
    demote each other at once queue instead of deadlocking, and the second counts one)."""
    return len(
        session.scalars(
            select(Membership.id)
            .where(
                Membership.association_id == association.id,
                Membership.role == Role.ADMIN,
                Membership.state == MembershipState.ACTIVE,
            )
            .order_by(Membership.id)
            .with_for_update()
        ).all()
    )


def _existing(session: Session, user: User, association: Association) -> Membership | None:
    return session.scalar(
        select(Membership).where(Membership.user_id == user.id, Membership.association_id == association.id)
    )


def _link(association: Association, endpoint: str = "associations.space") -> str:
    return path_for(endpoint, slug=association.slug)


def join_association(session: Session, user: User, association: Association) -> Membership:
    """Join at once (open) or ask the admins (approval); invitations go through accept_invitation."""
    existing = _existing(session, user, association)
    if existing is not None and existing.state == MembershipState.BLOCKED:
        raise NotAllowed(_l("You cannot join this association."))
    if existing is not None:
        raise InvalidState(_l("You are already a member or have asked to join."))
    if not can(user, "association.join", association):
        if association.join_policy == JoinPolicy.INVITE:
            raise NotAllowed(_l("This association takes new members by invitation only."))
        raise NotAllowed(_l("You cannot join this association."))
    open_policy = association.join_policy == JoinPolicy.OPEN
    membership = Membership(
        user_id=user.id,
        association_id=association.id,
        role=Role.MEMBER,
        state=MembershipState.ACTIVE if open_policy else MembershipState.PENDING,
        decided_at=utcnow() if open_policy else None,
    )
    session.add(membership)
    session.flush()
    forget_memberships()
    if not open_policy:
        for admin in moderators_of(session, association, except_id=user.id):
            notify(
                session,
                admin,
                "association.join_requested",
                link=_link(association, "associations.members"),
                name=user.display_name,
                association=association.name,
            )
    return membership


def leave_association(session: Session, user: User, association: Association) -> None:
    """Leave, or withdraw a request; the last admin must hand over first."""
    membership = _existing(session, user, association)
    if membership is None or membership.state == MembershipState.BLOCKED:
        raise InvalidState(_l("You are not a member of this association."))
    if (
        membership.role == Role.ADMIN
        and membership.state == MembershipState.ACTIVE
        and _admin_count(session, association) <= 1
    ):
        raise InvalidState(_l("You are the last admin. Please make another member admin before you leave."))
    session.delete(membership)
    session.flush()
    forget_memberships()
    _membership_ended(session, user.id, association.id, blocked=False)


def decide_join_request(session: Session, actor: User, membership: Membership, accept: bool) -> None:
    """Admins accept or reject a request to join; the requester is told either way."""
    association = membership.association
    if not can(actor, "association.manage", association):
        raise NotAllowed(_l("Only the association's admins decide on requests."))
    requester = membership.user
    # Conditional on the pending state: of two admins deciding at once, one decides.
    still_pending = (Membership.id == membership.id, Membership.state == MembershipState.PENDING)
    if accept:
        decided = session.execute(
            update(Membership).where(*still_pending).values(state=MembershipState.ACTIVE, decided_at=utcnow())
        ).rowcount
    else:
        decided = session.execute(delete(Membership).where(*still_pending)).rowcount
    if not decided:
        raise InvalidState(_l("This request has already been decided on."))
    session.flush()
    forget_memberships()
    notify(
        session,
        requester,
        "association.request_accepted" if accept else "association.request_rejected",
        link=_link(association),
        association=association.name,
    )


def set_role(session: Session, actor: User, membership: Membership, role: Role) -> None:
    """Give an active member another role; an association always keeps one admin."""
    association = membership.association
    if not can(actor, "association.manage", association):
        raise NotAllowed(_l("Only the association's admins change roles."))
    if membership.state != MembershipState.ACTIVE:
        raise InvalidState(_l("Only active members can get a role."))
    role = Role(role)
    if membership.role == Role.ADMIN and role != Role.ADMIN and _admin_count(session, association) <= 1:
        raise InvalidState(
            _l("The association needs at least one admin. Please make someone else admin first.")
        )
    membership.role = role
    session.flush()
    forget_memberships()


def block_member(session: Session, actor: User, membership: Membership) -> None:
    """Block a member or requester: they cannot rejoin, post, comment or support here."""
    association = membership.association
    if not can(actor, "association.manage", association):
        raise NotAllowed(_l("Only the association's admins block members."))
    if membership.user_id == actor.id:
        raise InvalidState(_l("You cannot block yourself."))
    if membership.state == MembershipState.BLOCKED:
        raise InvalidState(_l("This person is already blocked."))
    if (
        membership.role == Role.ADMIN
        and membership.state == MembershipState.ACTIVE
        and _admin_count(session, association) <= 1
    ):
        raise InvalidState(
            _l("The association needs at least one admin. Please make someone else admin first.")
        )
    membership.state = MembershipState.BLOCKED
    membership.role = Role.MEMBER
    membership.decided_at = utcnow()
    session.flush()
    forget_memberships()
    _membership_ended(session, membership.user_id, association.id, blocked=True)


def unblock_member(session: Session, actor: User, membership: Membership) -> None:
    """Lift a block: the person may join again under the association's policy."""
    if not can(actor, "association.manage", membership.association):
        raise NotAllowed(_l("Only the association's admins block members."))
    if membership.state != MembershipState.BLOCKED:
        raise InvalidState(_l("This person is not blocked."))
    session.delete(membership)
    session.flush()
    forget_memberships()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_invitation(
    session: Session, actor: User, association: Association, email: str | None = None
) -> tuple[Invitation, str]:
    """A single-use link valid for 14 days; only its hash is stored. Mailed when an address is given."""
    if not can(actor, "association.invite", association):
        if can(actor, "association.manage", association):
            raise NotAllowed(_l("Invitations can be sent once the association has been approved."))
        raise NotAllowed(_l("Only the association's admins invite people."))
    token = secrets.token_urlsafe(24)
    email = (email or "").strip().lower() or None
    invitation = Invitation(
        association_id=association.id,
        token_hash=_hash(token),
        email=email,
        created_by_id=actor.id,
        expires_at=utcnow() + INVITATION_LIFETIME,
    )
    session.add(invitation)
    session.flush()
    if email:
        url = absolute_url("associations.invitation", slug=association.slug, token=token)
        queue_mail(
            session,
            email,
            _l("An invitation to join %(name)s", name=association.name),
            "association_invitation",
            actor.locale,
            association=association,
            inviter=actor,
            link=url,
        )
    return invitation, token


def invitation_for_token(session: Session, association: Association, token: str) -> Invitation:
    """The usable invitation behind a link, or a clear refusal."""
    if not token or len(token) > 100:
        raise ValidationError(_l("This invitation link is not valid."))
    invitation = session.scalar(
        select(Invitation).where(
            Invitation.token_hash == _hash(token), Invitation.association_id == association.id
        )
    )
    if invitation is None:
        raise ValidationError(_l("This invitation link is not valid."))
    if invitation.used_at is not None:
        raise InvalidState(_l("This invitation link has already been used."))
    if invitation.expires_at <= utcnow():
        raise InvalidState(_l("This invitation link has expired. Please ask for a new one."))
    return invitation


def accept_invitation(session: Session, user: User, association: Association, token: str) -> Membership:
    """Join with an invitation link, whatever the join policy; the link is then used up."""
    invitation = invitation_for_token(session, association, token)
    if not association.is_active:
        raise InvalidState(_l("This association is not open yet."))
    if is_blocked(user, association.id):
        raise NotAllowed(_l("You cannot join this association."))
    membership = _existing(session, user, association)
    if membership is not None and membership.state == MembershipState.ACTIVE:
        raise InvalidState(_l("You are already a member of this association."))
    if membership is None:
        membership = Membership(user_id=user.id, association_id=association.id, role=Role.MEMBER)
        session.add(membership)
    # Single use, also when many open the link at once: only one UPDATE finds it unused.
    used = session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.used_at.is_(None))
        .values(used_at=utcnow(), used_by_id=user.id)
    ).rowcount
    if not used:
        raise InvalidState(_l("This invitation link has already been used."))
    membership.state = MembershipState.ACTIVE
    membership.decided_at = utcnow()
    session.flush()
    forget_memberships()
    return membership


def revoke_invitation(session: Session, actor: User, invitation: Invitation) -> None:
    """Delete an unused invitation so its link no longer works."""
    association = session.get(Association, invitation.association_id)
    if not can(actor, "association.manage", association):
        raise NotAllowed(_l("Only the association's admins invite people."))
    session.delete(invitation)
    session.flush()
