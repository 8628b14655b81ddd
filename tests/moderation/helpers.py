"""Shared set-ups for moderation tests: an association with a moderator, a member and a comment."""

from __future__ import annotations

from dataclasses import dataclass

from tests.factories import make_association, make_member, make_proposal, make_user
from twinning.associations.models import Association, Role
from twinning.auth.models import User
from twinning.core.content import ModerationState
from twinning.moderation.registry import KINDS
from twinning.proposals.models import Comment, Proposal


@dataclass
class World:
    association: Association
    admin: User
    moderator: User
    author: User
    other: Association
    other_moderator: User


def make_world(session) -> World:
    admin = make_user(session)
    association = make_association(session, admin=admin)
    moderator = make_member(session, association, role=Role.MODERATOR)
    author = make_member(session, association)
    other_admin = make_user(session)
    other = make_association(session, admin=other_admin)
    other_moderator = make_member(session, other, role=Role.MODERATOR)
    return World(association, admin, moderator, author, other, other_moderator)


def pending_proposal(session, world: World, **fields) -> Proposal:
    return make_proposal(
        session, world.association, world.author, moderation_state=ModerationState.PENDING, **fields
    )


def make_comment(
    session,
    proposal: Proposal,
    author: User,
    *,
    body: str = "A comment",
    state: ModerationState = ModerationState.APPROVED,
) -> Comment:
    comment = Comment(proposal_id=proposal.id, author_id=author.id, body=body, moderation_state=state)
    session.add(comment)
    session.flush()
    return comment


def kind(name: str):
    return KINDS[name]
