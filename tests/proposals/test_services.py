"""Services of proposals, supports, comments and co-sponsoring, against the real database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.factories import (
    link_partners,
    make_association,
    make_comment,
    make_member,
    make_proposal,
    make_user,
)
from twinning.associations.models import ModerationPolicy, Role
from twinning.core.content import ModerationState
from twinning.core.errors import InvalidState, NotAllowed, ValidationError
from twinning.notifications.models import Notification
from twinning.permissions import forget_memberships
from twinning.proposals import comments, cosponsoring, queries, services
from twinning.proposals.models import CoSponsorState, Lifecycle, ProposalRevision, Support
from twinning.proposals.moderation import on_comment_state_change, on_proposal_state_change

pytestmark = pytest.mark.usefixtures("ctx")


def _values(**overrides):
    values = {
        "title": "Repair café",
        "summary": "Repair instead of throwing away.",
        "body": "**Yes**",
        "theme_slugs": ["klimaschutz"],
        "sdgs": [12, 13],
        "budget": 500,
    }
    values.update(overrides)
    return values


def _notifications(session, user, kind=None):
    statement = select(Notification).where(Notification.user_id == user.id)
    if kind:
        statement = statement.where(Notification.kind == kind)
    return list(session.scalars(statement))


@pytest.fixture
def space(session):
    admin = make_user(session)
    association = make_association(session, admin=admin)
    return association, admin


def test_member_proposal_waits_for_a_moderator(session, space):
    association, _admin = space
    member = make_member(session, association)
    proposal = services.submit_proposal(session, member, association, **_values())
    assert proposal.moderation_state == ModerationState.PENDING
    assert proposal.published_at is None
    assert [t.slug for t in proposal.themes] == ["klimaschutz"]
    assert queries.sdgs_of([proposal.id]) == {proposal.id: [12, 13]}
    assert proposal.budget == 500


def test_moderator_proposal_is_published_at_once(session, space):
    association, admin = space
    proposal = services.submit_proposal(session, admin, association, **_values())
    assert proposal.moderation_state == ModerationState.APPROVED
    assert proposal.published_at is not None


def test_policy_none_publishes_member_proposals(session):
    association = make_association(session, moderation_policy=ModerationPolicy.NONE)
    member = make_member(session, association)
    assert services.submit_proposal(session, member, association, **_values()).is_published


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"theme_slugs": ["no-such-theme"]}, "themes"),
        ({"sdgs": [0]}, "sdgs"),
        ({"sdgs": [18]}, "sdgs"),
        ({"title": "   "}, "title"),
        ({"summary": ""}, "summary"),
        ({"body": "x" * 200_000}, "body"),
        ({"title": "x" * 201}, "title"),
        ({"budget": -5}, "budget"),
    ],
)
def test_bad_proposal_input_is_refused_with_the_field(session, space, overrides, field):
    association, _admin = space
    member = make_member(session, association)
    with pytest.raises(ValidationError) as error:
        services.submit_proposal(session, member, association, **_values(**overrides))
    assert error.value.field == field


def test_outsiders_and_unconfirmed_members_cannot_post(session, space):
    association, _admin = space
    other = make_association(session)
    outsider = make_member(session, other, role=Role.ADMIN)
    unconfirmed = make_member(session, association, confirmed=False)
    for user in (outsider, unconfirmed):
        with pytest.raises(NotAllowed):
            services.submit_proposal(session, user, association, **_values())


def test_edit_keeps_the_previous_text_as_revision(session, space):
    association, _admin = space
    association.moderation_policy = ModerationPolicy.NONE  # edits apply at once (no supports yet)
    member = make_member(session, association)
    proposal = make_proposal(session, association, member, title="Old title", sdgs=[1])
    services.edit_proposal(session, member, proposal, **_values(title="New title", sdgs=[4]))
    assert proposal.title == "New title"
    assert queries.sdgs_of([proposal.id])[proposal.id] == [4]
    revision = session.scalar(select(ProposalRevision).where(ProposalRevision.proposal_id == proposal.id))
    assert revision.title == "Old title"


def test_only_the_author_edits_and_only_while_open(session, space):
    association, admin = space
    member = make_member(session, association)
    proposal = make_proposal(session, association, member)
    with pytest.raises(NotAllowed):
        services.edit_proposal(session, admin, proposal, **_values())
    proposal.lifecycle = Lifecycle.ACCEPTED
    with pytest.raises(NotAllowed):
        services.edit_proposal(session, member, proposal, **_values())


def test_withdraw_by_author(session, space):
    association, admin = space
    member = make_member(session, association)
    proposal = make_proposal(session, association, member)
    with pytest.raises(InvalidState):
        services.withdraw_proposal(session, admin, proposal)
    services.withdraw_proposal(session, member, proposal)
    assert proposal.lifecycle == Lifecycle.WITHDRAWN
    with pytest.raises(InvalidState):
        services.withdraw_proposal(session, member, proposal)


def test_support_toggles_and_counts(session, space):
    association, _admin = space
    author = make_member(session, association)
    supporter = make_member(session, association)
    proposal = make_proposal(session, association, author)
    assert services.toggle_support(session, supporter, proposal) == (True, 1)
    assert services.toggle_support(session, author, proposal) == (True, 2)
    assert services.toggle_support(session, supporter, proposal) == (False, 1)
    assert session.scalar(select(func.count(Support.id)).where(Support.proposal_id == proposal.id)) == 1


@pytest.mark.parametrize(
    "state, lifecycle",
    [
        (ModerationState.PENDING, Lifecycle.OPEN),
        (ModerationState.DECLINED, Lifecycle.OPEN),
        (ModerationState.HIDDEN, Lifecycle.OPEN),
        (ModerationState.APPROVED, Lifecycle.WITHDRAWN),
        (ModerationState.APPROVED, Lifecycle.ACCEPTED),
    ],
)
def test_support_refused_unless_published_and_open(session, space, state, lifecycle):
    association, _admin = space
    member = make_member(session, association)
    proposal = make_proposal(session, association, member, moderation_state=state, lifecycle=lifecycle)
    with pytest.raises(NotAllowed):
        services.toggle_support(session, member, proposal)
    assert proposal.support_count == 0


def test_members_of_other_associations_cannot_support(session, space):
    association, _admin = space
    proposal = make_proposal(session, association, make_member(session, association))
    other = make_association(session)
    stranger = make_member(session, other, role=Role.ADMIN)
    with pytest.raises(NotAllowed):
        services.toggle_support(session, stranger, proposal)


def test_threshold_moves_to_review_and_notifies_admins_once(session):
    admin = make_user(session)
    association = make_association(session, admin=admin, support_threshold=2)
    proposal = make_proposal(session, association, make_member(session, association))
    first, second, third = (make_member(session, association) for _ in range(3))
    services.toggle_support(session, first, proposal)
    assert proposal.lifecycle == Lifecycle.OPEN
    services.toggle_support(session, second, proposal)
    assert proposal.lifecycle == Lifecycle.UNDER_REVIEW
    # Support keeps accumulating at the board; the threshold sent it there once.
    assert services.toggle_support(session, third, proposal) == (True, 3)
    assert services.toggle_support(session, first, proposal) == (False, 2)
    assert services.toggle_support(session, first, proposal) == (True, 3)
    assert proposal.lifecycle == Lifecycle.UNDER_REVIEW
    assert len(_notifications(session, admin, "proposal.threshold_reached")) == 1


def test_an_association_may_close_collecting_at_the_threshold(session):
    admin = make_user(session)
    association = make_association(session, admin=admin, support_threshold=1)
    association.support_after_threshold = False
    proposal = make_proposal(session, association, make_member(session, association))
    services.toggle_support(session, make_member(session, association), proposal)
    assert proposal.lifecycle == Lifecycle.UNDER_REVIEW
    with pytest.raises(NotAllowed):
        services.toggle_support(session, make_member(session, association), proposal)
    assert proposal.support_count == 1


@pytest.mark.parametrize(
    "lifecycle", [Lifecycle.ACCEPTED, Lifecycle.REJECTED, Lifecycle.IMPLEMENTED, Lifecycle.WITHDRAWN]
)
def test_decided_proposals_take_no_supports(session, space, lifecycle):
    association, _admin = space
    proposal = make_proposal(session, association, make_member(session, association), lifecycle=lifecycle)
    with pytest.raises(NotAllowed):
        services.toggle_support(session, make_member(session, association), proposal)


def test_answer_changes_lifecycle_and_notifies_author_and_supporters(session, space):
    association, admin = space
    author = make_member(session, association)
    supporter = make_member(session, association)
    proposal = make_proposal(session, association, author)
    services.toggle_support(session, supporter, proposal)
    services.answer_proposal(
        session, admin, proposal, lifecycle=Lifecycle.ACCEPTED, answer="We do it in May."
    )
    assert proposal.lifecycle == Lifecycle.ACCEPTED
    assert proposal.answer == "We do it in May."
    assert proposal.answered_by_id == admin.id
    for user in (author, supporter):
        assert len(_notifications(session, user, "proposal.accepted")) == 1
    with pytest.raises(InvalidState):
        services.answer_proposal(session, admin, proposal, lifecycle=Lifecycle.OPEN, answer="Back.")
    with pytest.raises(ValidationError):
        services.answer_proposal(session, admin, proposal, lifecycle=Lifecycle.IMPLEMENTED, answer=" ")


def test_moderator_of_another_association_cannot_answer(session, space):
    association, _admin = space
    proposal = make_proposal(session, association, make_member(session, association))
    other = make_association(session)
    moderator = make_member(session, other, role=Role.MODERATOR)
    with pytest.raises(NotAllowed):
        services.answer_proposal(session, moderator, proposal, lifecycle=Lifecycle.REJECTED, answer="No.")


def test_comment_reply_is_one_level_and_notifies(session, space):
    association, _admin = space
    proposal = make_proposal(session, association, make_member(session, association))
    first, second = make_member(session, association), make_member(session, association)
    top = comments.add_comment(session, first, proposal, "Good idea")
    reply = comments.add_comment(session, second, proposal, "Agreed", top.id)
    deeper = comments.add_comment(session, first, proposal, "Thanks", reply.id)
    assert reply.parent_id == top.id
    assert deeper.parent_id == top.id  # a reply to a reply joins the same thread
    session.refresh(proposal)
    assert proposal.comment_count == 3
    assert len(_notifications(session, first, "comment.reply")) == 1
    assert len(_notifications(session, second, "comment.reply")) == 1
    with pytest.raises(ValidationError):
        comments.add_comment(session, first, proposal, "x", 10**9)
    other_proposal = make_proposal(session, association, first)
    with pytest.raises(ValidationError):
        comments.add_comment(session, first, other_proposal, "x", top.id)


def test_comments_wait_under_strict_policy_and_count_after_approval(session):
    association = make_association(session, moderation_policy=ModerationPolicy.STRICT)
    member = make_member(session, association)
    proposal = make_proposal(session, association, member)
    comment = comments.add_comment(session, member, proposal, "Hello")
    assert comment.moderation_state == ModerationState.PENDING
    session.refresh(proposal)
    assert proposal.comment_count == 0
    comment.moderation_state = ModerationState.APPROVED
    on_comment_state_change(session, comment, None, "approve")
    assert proposal.comment_count == 1
    assert len(_notifications(session, member, "comment.approved")) == 1


def test_comment_edit_window_and_delete_placeholder(session, space):
    association, _admin = space
    member, other = make_member(session, association), make_member(session, association)
    proposal = make_proposal(session, association, member)
    comment = comments.add_comment(session, member, proposal, "Typo hre")
    comments.edit_comment(session, member, comment, "Typo here")
    assert comment.body == "Typo here" and comment.edited_at is not None
    with pytest.raises(NotAllowed):
        comments.edit_comment(session, other, comment, "Mine now")
    comment.created_at = comment.created_at - timedelta(minutes=16)
    with pytest.raises(InvalidState):
        comments.edit_comment(session, member, comment, "Too late")
    with pytest.raises(NotAllowed):
        comments.delete_comment(session, other, comment)
    comments.delete_comment(session, member, comment)
    session.refresh(proposal)
    assert comment.deleted_at is not None and proposal.comment_count == 0


def test_proposal_approval_publishes_and_notifies(session, space):
    association, admin = space
    member = make_member(session, association)
    proposal = make_proposal(session, association, member, moderation_state=ModerationState.PENDING)
    proposal.moderation_state = ModerationState.APPROVED
    on_proposal_state_change(session, proposal, admin, "approve")
    assert proposal.published_at is not None
    assert len(_notifications(session, member, "proposal.approved")) == 1


def test_cosponsoring_needs_a_linked_partner_and_opens_the_proposal_to_its_members(session):
    origin_admin, partner_admin = make_user(session), make_user(session)
    origin = make_association(session, admin=origin_admin)
    partner = make_association(session, admin=partner_admin, city="Reims", country="FR")
    stranger = make_association(session)
    proposal = make_proposal(session, origin, make_member(session, origin))
    partner_member = make_member(session, partner)
    with pytest.raises(NotAllowed):
        services.toggle_support(session, partner_member, proposal)
    with pytest.raises(ValidationError):
        cosponsoring.invite_cosponsor(session, origin_admin, proposal, stranger)
    link_partners(session, partner, origin)  # confirmed from the partner's side counts too
    with pytest.raises(NotAllowed):
        cosponsoring.invite_cosponsor(session, partner_admin, proposal, partner)
    invitation = cosponsoring.invite_cosponsor(session, origin_admin, proposal, partner)
    assert len(_notifications(session, partner_admin, "proposal.cosponsor_invited")) == 1
    with pytest.raises(InvalidState):
        cosponsoring.invite_cosponsor(session, origin_admin, proposal, partner)
    with pytest.raises(NotAllowed):
        cosponsoring.decide_cosponsorship(session, origin_admin, invitation, accept=True)
    cosponsoring.decide_cosponsorship(session, partner_admin, invitation, accept=True)
    assert invitation.state == CoSponsorState.ACCEPTED
    session.refresh(proposal)
    forget_memberships()
    assert services.toggle_support(session, partner_member, proposal) == (True, 1)
    comments.add_comment(session, partner_member, proposal, "From Reims")
    found = queries.list_proposals(partner.id, sort="supports", page=1)
    assert [p.id for p in found.items] == [proposal.id]


def test_comment_thread_hides_pending_from_others(session, space):
    association, _admin = space
    author, other = make_member(session, association), make_member(session, association)
    proposal = make_proposal(session, association, author)
    make_comment(session, proposal, author, body="waiting", moderation_state=ModerationState.PENDING)
    visible = make_comment(session, proposal, other, body="public")
    assert [c.id for c, _ in queries.comment_thread(proposal, other, False)] == [visible.id]
    assert len(queries.comment_thread(proposal, author, False)) == 2
    assert len(queries.comment_thread(proposal, other, True)) == 2
