"""Moderation services: decisions and their transitions, bulk approval, forwarding, reports."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.factories import make_member, make_proposal, make_user
from tests.moderation.helpers import kind, make_comment, make_world, pending_proposal
from twinning.core.content import ModerationState
from twinning.core.errors import InvalidState, NotAllowed, ValidationError
from twinning.moderation import queries, services
from twinning.moderation.models import Decision, ModerationAction, Report
from twinning.notifications.models import Notification


def _notifications(session, user):
    return list(
        session.scalars(select(Notification).where(Notification.user_id == user.id).order_by(Notification.id))
    )


def _actions(session, item_id):
    return list(
        session.scalars(
            select(ModerationAction).where(ModerationAction.item_id == item_id).order_by(ModerationAction.id)
        )
    )


def test_approve_publishes_audits_and_tells_the_author(session, ctx):
    world = make_world(session)
    proposal = pending_proposal(session, world, title="Fahrradwerkstatt")
    services.decide(session, world.moderator, kind("proposal"), proposal, "approve", "Fine")
    assert proposal.moderation_state == ModerationState.APPROVED
    assert proposal.published_at is not None  # the feature's hook ran
    [action] = _actions(session, proposal.id)
    assert (action.decision, action.actor_id, action.reason, action.association_id) == (
        Decision.APPROVE,
        world.moderator.id,
        "Fine",
        world.association.id,
    )
    notes = _notifications(session, world.author)
    assert len(notes) == 1  # the feature's own hook told the author; moderation does not repeat it
    assert notes[0].params["title"] == "Fahrradwerkstatt"


@pytest.mark.parametrize(
    ("decision", "start", "end"),
    [
        ("approve", ModerationState.PENDING, ModerationState.APPROVED),
        ("approve", ModerationState.HIDDEN, ModerationState.APPROVED),
        ("approve", ModerationState.DECLINED, ModerationState.APPROVED),
        ("decline", ModerationState.PENDING, ModerationState.DECLINED),
        ("hide", ModerationState.APPROVED, ModerationState.HIDDEN),
        ("restore", ModerationState.HIDDEN, ModerationState.APPROVED),
    ],
)
def test_allowed_transitions(session, ctx, decision, start, end):
    world = make_world(session)
    proposal = make_proposal(session, world.association, world.author, moderation_state=start)
    services.decide(session, world.moderator, kind("proposal"), proposal, decision, "Because")
    assert proposal.moderation_state == end
    assert proposal.moderation_reason == "Because"


@pytest.mark.parametrize(
    ("decision", "start"),
    [
        ("approve", ModerationState.APPROVED),  # nothing reported: nothing to do
        ("decline", ModerationState.APPROVED),
        ("decline", ModerationState.HIDDEN),
        ("hide", ModerationState.PENDING),
        ("hide", ModerationState.HIDDEN),
        ("restore", ModerationState.APPROVED),
        ("restore", ModerationState.PENDING),
    ],
)
def test_impossible_transitions_are_refused(session, ctx, decision, start):
    world = make_world(session)
    proposal = make_proposal(session, world.association, world.author, moderation_state=start)
    with pytest.raises(InvalidState):
        services.decide(session, world.moderator, kind("proposal"), proposal, decision, "Because")
    assert proposal.moderation_state == start
    assert _actions(session, proposal.id) == []


@pytest.mark.parametrize("decision", ["decline", "hide"])
def test_decline_and_hide_need_a_reason(session, ctx, decision):
    world = make_world(session)
    state = ModerationState.PENDING if decision == "decline" else ModerationState.APPROVED
    proposal = make_proposal(session, world.association, world.author, moderation_state=state)
    with pytest.raises(ValidationError) as raised:
        services.decide(session, world.moderator, kind("proposal"), proposal, decision, "   ")
    assert raised.value.field == "reason"


def test_unknown_decision_and_huge_reason_are_validation_errors(session, ctx):
    world = make_world(session)
    proposal = pending_proposal(session, world)
    for decision in ("delete", "auto_hide", ""):
        with pytest.raises(ValidationError):
            services.decide(session, world.moderator, kind("proposal"), proposal, decision, "x")
    with pytest.raises(ValidationError):
        services.decide(session, world.moderator, kind("proposal"), proposal, "decline", "x" * 10_000)


def test_moderator_of_another_association_and_plain_members_cannot_decide(session, ctx):
    world = make_world(session)
    proposal = pending_proposal(session, world)
    member = make_member(session, world.association)
    for actor in (world.other_moderator, member, world.author):
        with pytest.raises(NotAllowed):
            services.decide(session, actor, kind("proposal"), proposal, "approve")
    assert proposal.moderation_state == ModerationState.PENDING


def test_platform_admin_may_decide_everywhere(session, ctx):
    world = make_world(session)
    proposal = pending_proposal(session, world)
    services.decide(session, make_user(session, platform_admin=True), kind("proposal"), proposal, "approve")
    assert proposal.moderation_state == ModerationState.APPROVED


def test_comment_decisions_keep_the_count_and_tell_the_author(session, ctx):
    world = make_world(session)
    proposal = make_proposal(session, world.association, world.author)
    commenter = make_member(session, world.association)
    comment = make_comment(session, proposal, commenter)
    services.decide(session, world.moderator, kind("comment"), comment, "hide", "Off-topic")
    assert comment.moderation_state == ModerationState.HIDDEN
    assert [n.params["reason"] for n in _notifications(session, commenter)] == ["Off-topic"]


def test_report_once_and_third_distinct_report_hides_until_a_moderator_decides(session, ctx):
    world = make_world(session)
    proposal = make_proposal(session, world.association, world.author)
    readers = [make_member(session, world.association) for _ in range(3)]  # only members' reports hide
    services.report(session, readers[0], kind("proposal"), proposal, "spam")
    with pytest.raises(InvalidState):
        services.report(session, readers[0], kind("proposal"), proposal, "offensive")
    services.report(session, readers[1], kind("proposal"), proposal, "other", "Private phone number")
    assert proposal.moderation_state == ModerationState.APPROVED
    services.report(session, readers[2], kind("proposal"), proposal, "offensive")
    assert proposal.moderation_state == ModerationState.HIDDEN
    auto = _actions(session, proposal.id)[-1]
    assert auto.decision == Decision.AUTO_HIDE and auto.actor_id is None
    assert queries.reported(session, world.association).items[0].report_count == 3

    services.decide(session, world.moderator, kind("proposal"), proposal, "restore", "Checked, fine")
    assert proposal.moderation_state == ModerationState.APPROVED
    reports = session.scalars(select(Report).where(Report.item_id == proposal.id)).all()
    assert all(r.resolved_at is not None for r in reports)
    assert queries.reported(session, world.association).total == 0


def test_report_needs_a_known_reason_and_text_for_other(session, ctx):
    world = make_world(session)
    proposal = make_proposal(session, world.association, world.author)
    reader = make_user(session)
    with pytest.raises(ValidationError):
        services.report(session, reader, kind("proposal"), proposal, "boring")
    with pytest.raises(ValidationError) as raised:
        services.report(session, reader, kind("proposal"), proposal, "other", "  ")
    assert raised.value.field == "text"
    with pytest.raises(InvalidState):
        services.report(session, world.author, kind("proposal"), proposal, "spam")  # own post
    hidden = make_proposal(session, world.association, world.author, moderation_state=ModerationState.PENDING)
    with pytest.raises(InvalidState):
        services.report(session, reader, kind("proposal"), hidden, "spam")


def test_approving_a_reported_published_item_dismisses_the_reports(session, ctx):
    world = make_world(session)
    proposal = make_proposal(session, world.association, world.author)
    services.report(session, make_user(session), kind("proposal"), proposal, "spam")
    services.decide(session, world.moderator, kind("proposal"), proposal, "approve", "Not spam")
    assert proposal.moderation_state == ModerationState.APPROVED
    assert queries.reported(session, world.association).total == 0
    assert _notifications(session, world.author) == []  # nothing changed for the author


def test_bulk_approve_is_all_or_nothing(session, ctx):
    world = make_world(session)
    first, second = pending_proposal(session, world), pending_proposal(session, world)
    published = make_proposal(session, world.association, world.author)
    with pytest.raises(InvalidState):
        services.bulk_approve(
            session,
            world.moderator,
            world.association,
            [(kind("proposal"), first), (kind("proposal"), published)],
        )
    assert first.moderation_state == ModerationState.PENDING
    foreign = make_proposal(
        session, world.other, make_member(session, world.other), moderation_state=ModerationState.PENDING
    )
    with pytest.raises(NotAllowed):
        services.bulk_approve(session, world.moderator, world.association, [(kind("proposal"), foreign)])
    count = services.bulk_approve(
        session, world.moderator, world.association, [(kind("proposal"), first), (kind("proposal"), second)]
    )
    assert count == 2 and first.moderation_state == second.moderation_state == ModerationState.APPROVED


def test_forward_lists_the_item_for_platform_admins_until_someone_decides(session, ctx):
    world = make_world(session)
    admin = make_user(session, platform_admin=True)
    proposal = pending_proposal(session, world, title="Schwierig")
    services.decide(session, world.moderator, kind("proposal"), proposal, "forward", "Legal question")
    assert proposal.moderation_state == ModerationState.PENDING
    assert [e.title for e in queries.forwarded(session).items] == ["Schwierig"]
    assert [n.kind for n in _notifications(session, admin)] == ["moderation.forwarded"]
    with pytest.raises(InvalidState):
        services.forward(session, world.moderator, kind("proposal"), proposal)
    services.decide(session, admin, kind("proposal"), proposal, "decline", "Not allowed here")
    assert queries.forwarded(session).items == []


def test_queue_lists_pending_oldest_first_of_this_association_only(session, ctx):
    world = make_world(session)
    older = pending_proposal(session, world, title="Older")
    newer = pending_proposal(session, world, title="Newer")
    proposal = make_proposal(session, world.association, world.author)
    make_comment(session, proposal, world.author, state=ModerationState.PENDING)
    make_proposal(
        session,
        world.other,
        make_member(session, world.other),
        moderation_state=ModerationState.PENDING,
        title="Elsewhere",
    )
    page = queries.pending(session, world.association)
    titles = [e.title for e in page.items]
    assert page.total == 3
    assert titles.index("Older") < titles.index("Newer") and "Elsewhere" not in titles
    assert {e.kind.name for e in page.items} == {"proposal", "comment"}
    assert older.id != newer.id


def test_audit_log_per_association_and_platform_wide(session, ctx):
    world = make_world(session)
    mine = pending_proposal(session, world, title="Mine")
    theirs = make_proposal(
        session,
        world.other,
        make_member(session, world.other),
        moderation_state=ModerationState.PENDING,
        title="Theirs",
    )
    services.decide(session, world.moderator, kind("proposal"), mine, "decline", "Duplicate")
    services.decide(session, world.other_moderator, kind("proposal"), theirs, "approve")
    own = queries.audit_log(session, world.association)
    assert [(e.title, e.actor.id, e.action.reason) for e in own.items] == [
        ("Mine", world.moderator.id, "Duplicate")
    ]
    everything = {e.title for e in queries.audit_log(session, None).items}
    assert {"Mine", "Theirs"} <= everything


def test_a_kind_without_an_association_filter_is_refused_loudly():
    from twinning.auth.models import User
    from twinning.moderation.registry import ContentKind

    homeless = ContentKind(
        name="profile",
        model=User,
        association_id=lambda user: 0,
        title=lambda user: user.display_name,
        url=lambda user: "/",
    )
    with pytest.raises(TypeError, match="profile"):
        queries.in_association(homeless, select(User), 1)


def test_pending_count_is_the_queue_total(session):
    world = make_world(session)
    pending_proposal(session, world)
    make_comment(
        session,
        make_proposal(session, world.association, world.author),
        world.author,
        state=ModerationState.PENDING,
    )
    assert queries.pending_count(session, world.association) == 2
    assert queries.pending(session, world.association).total == 2
