"""Who may report and whose reports hide an item: throwaway accounts must not be able to hide anything."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tests.factories import make_group, make_member, make_membership, make_proposal, make_user
from tests.moderation.helpers import kind, make_comment, make_world
from tests.querycount import count_queries
from twinning.associations.models import MembershipState
from twinning.core.content import ModerationState
from twinning.core.db import utcnow
from twinning.core.errors import InvalidState, NotAllowed
from twinning.groups.models import OpenTo, Thread, ThreadReply
from twinning.moderation import queries, services
from twinning.moderation.models import Decision, ModerationAction, Report
from twinning.notifications.models import Notification
from twinning.notifications.texts import render
from twinning.permissions import can


def _report_count(session, item_id: int, kind_name: str = "proposal") -> int:
    return session.scalar(
        select(func.count()).select_from(Report).where(Report.kind == kind_name, Report.item_id == item_id)
    )


def _auto_hides(session, item_id: int, kind_name: str) -> int:
    return session.scalar(
        select(func.count())
        .select_from(ModerationAction)
        .where(
            ModerationAction.kind == kind_name,
            ModerationAction.item_id == item_id,
            ModerationAction.decision == Decision.AUTO_HIDE,
        )
    )


def _aged(session, user, days: int = 30):
    user.created_at = utcnow() - timedelta(days=days)
    session.flush()
    return user


def _thread(session, group, author, state=ModerationState.APPROVED) -> Thread:
    thread = Thread(
        group_id=group.id,
        author_id=author.id,
        title="Bäume pflanzen",
        body="Wer macht mit?",
        moderation_state=state,
    )
    session.add(thread)
    session.flush()
    return thread


def test_an_unconfirmed_account_cannot_report(session, ctx):
    world = make_world(session)
    proposal = make_proposal(session, world.association, world.author)
    unconfirmed = make_member(session, world.association, confirmed=False)
    assert not can(unconfirmed, "content.report")
    with pytest.raises(NotAllowed):
        services.report(session, unconfirmed, kind("proposal"), proposal, "spam")
    assert _report_count(session, proposal.id) == 0


def test_three_outsiders_reports_reach_the_moderators_but_hide_nothing(session, ctx):
    world = make_world(session)
    proposal = make_proposal(session, world.association, world.author)
    for _ in range(3):
        services.report(session, make_user(session), kind("proposal"), proposal, "spam")
    assert proposal.moderation_state == ModerationState.APPROVED
    assert _auto_hides(session, proposal.id, "proposal") == 0
    entry = queries.reported(session, world.association).items[0]
    assert entry.item.id == proposal.id and entry.report_count == 3


def test_members_of_another_association_blocked_and_pending_members_do_not_count(session, ctx):
    world = make_world(session)
    proposal = make_proposal(session, world.association, world.author)
    blocked, pending = make_user(session), make_user(session)
    make_membership(session, blocked, world.association, state=MembershipState.BLOCKED)
    make_membership(session, pending, world.association, state=MembershipState.PENDING)
    outsiders = [blocked, pending, world.other_moderator]
    members = [make_member(session, world.association) for _ in range(3)]
    for person in [*outsiders, *members[:2]]:
        services.report(session, person, kind("proposal"), proposal, "offensive")
    assert proposal.moderation_state == ModerationState.APPROVED  # five reports, two count
    services.report(session, members[2], kind("proposal"), proposal, "offensive")
    assert proposal.moderation_state == ModerationState.HIDDEN
    assert _auto_hides(session, proposal.id, "proposal") == 1


def test_three_members_hide_a_comment(session, ctx):
    world = make_world(session)
    proposal = make_proposal(session, world.association, world.author)
    comment = make_comment(session, proposal, make_member(session, world.association))
    for _ in range(3):
        services.report(session, make_member(session, world.association), kind("comment"), comment, "spam")
    assert comment.moderation_state == ModerationState.HIDDEN


def test_a_topic_group_item_needs_aged_accounts_with_an_approved_contribution(session, ctx):
    world = make_world(session)
    group = make_group(session, world.association, open_to=OpenTo.EVERYONE)
    thread = _thread(session, group, make_user(session))
    elsewhere = make_proposal(session, world.other, world.other_moderator)

    def contributor(age_days: int, state=ModerationState.APPROVED):
        person = _aged(session, make_user(session), age_days)
        make_comment(session, elsewhere, person, state=state)
        return person

    not_counting = [
        contributor(1),  # too new
        _aged(session, make_user(session), 30),  # old enough, but never contributed
        contributor(30, ModerationState.PENDING),  # contribution not approved
        world.moderator,  # a member of the host, but new and without contributions
    ]
    blocked = contributor(30)
    make_membership(session, blocked, world.association, state=MembershipState.BLOCKED)
    not_counting.append(blocked)
    for person in not_counting:
        services.report(session, person, kind("thread"), thread, "spam")
    assert thread.moderation_state == ModerationState.APPROVED
    qualified = [contributor(30), contributor(8)]
    reply_author = _aged(session, make_user(session), 30)
    session.add(ThreadReply(thread_id=thread.id, author_id=reply_author.id, body="Ja!"))  # a reply counts
    session.flush()
    for person in (*qualified, reply_author):
        services.report(session, person, kind("thread"), thread, "spam")
    assert thread.moderation_state == ModerationState.HIDDEN
    assert _report_count(session, thread.id, "thread") == 8


def test_the_account_age_for_topic_groups_is_a_setting(session, ctx):
    world = make_world(session)
    group = make_group(session, world.association, open_to=OpenTo.EVERYONE)
    reply = ThreadReply(
        thread_id=_thread(session, group, make_user(session)).id,
        author_id=make_user(session).id,
        body="Werbung",
    )
    session.add(reply)
    session.flush()
    elsewhere = make_proposal(session, world.other, world.other_moderator)
    for _ in range(3):
        newcomer = make_user(session)  # a day old
        newcomer.created_at = utcnow() - timedelta(days=1)
        make_comment(session, elsewhere, newcomer)
        services.report(session, newcomer, kind("reply"), reply, "spam", min_account_age=timedelta(hours=12))
    assert reply.moderation_state == ModerationState.HIDDEN


def test_a_working_group_item_counts_the_hosts_members(session, ctx):
    world = make_world(session)
    group = make_group(session, world.association, open_to=OpenTo.MEMBERS)
    thread = _thread(session, group, world.author)
    for _ in range(3):
        services.report(session, make_member(session, world.association), kind("thread"), thread, "spam")
    assert thread.moderation_state == ModerationState.HIDDEN


def test_one_report_per_person_and_item_is_a_database_constraint(session, ctx):
    world = make_world(session)
    proposal = make_proposal(session, world.association, world.author)
    member = make_member(session, world.association)
    services.report(session, member, kind("proposal"), proposal, "spam")
    with pytest.raises(InvalidState):
        services.report(session, member, kind("proposal"), proposal, "offensive")
    with pytest.raises(IntegrityError), session.begin_nested():
        session.add(
            Report(
                kind="proposal",
                item_id=proposal.id,
                association_id=world.association.id,
                reporter_id=member.id,
                reason="other",
                text="again",
            )
        )
        session.flush()
    assert _report_count(session, proposal.id) == 1


def test_the_threshold_is_counted_in_one_query_whatever_the_number_of_reports(session, ctx):
    world = make_world(session)
    proposal = make_proposal(session, world.association, world.author)
    for _ in range(2):
        services.report(session, make_user(session), kind("proposal"), proposal, "spam")
    last = make_user(session)
    with count_queries(session.get_bind().engine) as few:
        services.report(session, last, kind("proposal"), proposal, "spam")
    for _ in range(20):
        services.report(session, make_user(session), kind("proposal"), proposal, "spam")
    later = make_user(session)
    with count_queries(session.get_bind().engine) as many:
        services.report(session, later, kind("proposal"), proposal, "spam")
    assert many.total == few.total, many
    counts = [s for s in many.statements if "count(distinct(reports.reporter_id))" in s.lower()]
    assert len(counts) == 1, many


def test_the_author_is_told_the_post_was_hidden_after_reports_with_a_link_to_read_it(session, ctx):
    world = make_world(session)
    proposal = make_proposal(session, world.association, world.author, title="Streitfall")
    for _ in range(3):
        services.report(session, make_member(session, world.association), kind("proposal"), proposal, "spam")
    notice = session.scalar(select(Notification).where(Notification.user_id == world.author.id))
    assert notice.kind == "proposal.auto_hidden"
    assert notice.link == f"/moderation/mine/proposal/{proposal.id}"
    text = render(notice.kind, notice.params)
    assert "nach mehreren Meldungen ausgeblendet" in text and "Moderation wird ihn prüfen" in text
    assert "von der Moderation" not in text


def test_a_thread_author_is_told_about_the_auto_hide_with_a_link_to_read_it(session, ctx):
    world = make_world(session)
    author = make_member(session, world.association)
    thread = _thread(session, make_group(session, world.association, open_to=OpenTo.MEMBERS), author)
    for _ in range(3):
        services.report(session, make_member(session, world.association), kind("thread"), thread, "spam")
    notice = session.scalar(select(Notification).where(Notification.user_id == author.id))
    assert notice.kind == "moderation.auto_hide"
    assert notice.link == f"/moderation/mine/thread/{thread.id}"
    assert "nach mehreren Meldungen ausgeblendet" in render(notice.kind, notice.params)


def test_a_moderators_hide_keeps_its_wording_and_links_to_the_authors_page(session, ctx):
    world = make_world(session)
    proposal = make_proposal(session, world.association, world.author)
    services.decide(session, world.moderator, kind("proposal"), proposal, "hide", "Beleidigend")
    notice = session.scalar(select(Notification).where(Notification.user_id == world.author.id))
    assert notice.kind == "proposal.hidden"
    assert "von der Moderation ausgeblendet" in render(notice.kind, notice.params)
    assert notice.link == f"/moderation/mine/proposal/{proposal.id}"
    services.decide(session, world.moderator, kind("proposal"), proposal, "restore", "Geklärt")
    restored = session.scalars(
        select(Notification).where(Notification.user_id == world.author.id).order_by(Notification.id.desc())
    ).first()
    assert restored.link == f"/a/{world.association.slug}/proposals/{proposal.id}"
