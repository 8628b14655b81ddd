"""Group services: creating, joining and leaving, roles, threads and replies, moderation hooks."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.factories import make_association, make_group, make_member, make_membership, make_user, theme
from twinning.associations.models import Membership, MembershipState, ModerationPolicy, Role
from twinning.core.content import ModerationState
from twinning.core.errors import InvalidState, NotAllowed, ValidationError
from twinning.groups import services
from twinning.groups.models import GroupMembership, GroupRole, OpenTo, ThreadReply, group_sdgs
from twinning.moderation.registry import kind_or_none
from twinning.notifications.models import Notification
from twinning.permissions import forget_memberships


@pytest.fixture
def host(session):
    return make_association(session, admin=make_user(session), name="Aachen–Reims")


def _notifications(session, user, kind):
    return list(
        session.scalars(
            select(Notification).where(Notification.user_id == user.id, Notification.kind == kind)
        )
    )


def test_moderator_creates_topic_group_and_coordinates_it(session, ctx, host):
    moderator = make_member(session, host, role=Role.MODERATOR)
    group = services.create_group(
        session,
        moderator,
        host,
        name="  Klima-Jugend  ",
        description="Wir",
        themes=["klimaschutz", "unknown"],
        sdgs=["13", "7", "13"],
        open_to="everyone",
    )
    assert group.name == "Klima-Jugend"
    assert group.open_to == OpenTo.EVERYONE
    assert [t.slug for t in group.themes] == ["klimaschutz"]
    assert sorted(session.scalars(select(group_sdgs.c.sdg).where(group_sdgs.c.group_id == group.id))) == [
        7,
        13,
    ]
    assert group.member_count == 1
    membership = session.scalar(select(GroupMembership).where(GroupMembership.group_id == group.id))
    assert (membership.user_id, membership.role) == (moderator.id, GroupRole.COORDINATOR)


def test_plain_member_cannot_create_a_group(session, ctx, host):
    member = make_member(session, host)
    with pytest.raises(NotAllowed):
        services.create_group(
            session, member, host, name="X", description="", themes=[], sdgs=[], open_to="members"
        )


@pytest.mark.parametrize("sdgs", [["0"], ["18"], ["abc"], ["-1"]])
def test_bad_goals_are_refused(session, ctx, host, sdgs):
    admin = make_member(session, host, role=Role.ADMIN)
    with pytest.raises(ValidationError):
        services.create_group(
            session, admin, host, name="X", description="", themes=[], sdgs=sdgs, open_to="members"
        )


def test_anyone_signed_in_joins_a_topic_group_once(session, ctx, host):
    group = make_group(session, host, open_to=OpenTo.EVERYONE)
    outsider = make_user(session)
    services.join_group(session, outsider, group)
    assert group.member_count == 1
    with pytest.raises(InvalidState):
        services.join_group(session, outsider, group)
    assert group.member_count == 1


def test_working_group_takes_only_members_of_the_host(session, ctx, host):
    group = make_group(session, host, open_to=OpenTo.MEMBERS)
    other = make_association(session)
    member_elsewhere = make_member(session, other)
    with pytest.raises(NotAllowed):
        services.join_group(session, member_elsewhere, group)
    services.join_group(session, make_member(session, host), group)
    assert group.member_count == 1


def test_blocked_member_cannot_join_even_a_topic_group(session, ctx, host):
    group = make_group(session, host, open_to=OpenTo.EVERYONE)
    blocked = make_user(session)
    make_membership(session, blocked, host, state=MembershipState.BLOCKED)
    with pytest.raises(NotAllowed):
        services.join_group(session, blocked, group)


def test_leaving_a_group_you_are_not_in_says_so(session, ctx, host):
    group = make_group(session, host)
    with pytest.raises(InvalidState):
        services.leave_group(session, make_user(session), group)


def test_leave_lowers_the_count(session, ctx, host):
    group = make_group(session, host)
    user = make_user(session)
    services.join_group(session, user, group)
    services.leave_group(session, user, group)
    assert group.member_count == 0
    assert (
        session.scalar(
            select(func.count()).select_from(GroupMembership).where(GroupMembership.group_id == group.id)
        )
        == 0
    )


def test_last_coordinator_can_neither_be_removed_nor_demoted_nor_leave(session, ctx, host):
    coordinator = make_user(session)
    group = make_group(session, host, coordinator=coordinator)
    services.join_group(session, make_user(session), group)
    with pytest.raises(InvalidState):
        services.remove_member(session, coordinator, group, coordinator)
    with pytest.raises(InvalidState):
        services.set_group_role(session, coordinator, group, coordinator, "member")
    with pytest.raises(InvalidState):
        services.leave_group(session, coordinator, group)


def test_coordinator_hands_on_the_role_and_removes_members(session, ctx, host):
    coordinator = make_user(session)
    group = make_group(session, host, coordinator=coordinator)
    helper, troll = make_user(session), make_user(session)
    services.join_group(session, helper, group)
    services.join_group(session, troll, group)
    services.set_group_role(session, coordinator, group, helper, "coordinator")
    services.remove_member(session, helper, group, troll)
    assert group.member_count == 2
    assert len(_notifications(session, troll, "group.removed")) == 1
    services.leave_group(session, coordinator, group)  # helper coordinates now
    assert group.member_count == 1


def test_plain_member_cannot_remove_others(session, ctx, host):
    group = make_group(session, host, coordinator=make_user(session))
    member, other = make_user(session), make_user(session)
    services.join_group(session, member, group)
    services.join_group(session, other, group)
    with pytest.raises(NotAllowed):
        services.remove_member(session, member, group, other)
    with pytest.raises(NotAllowed):
        services.set_group_role(session, member, group, member, "coordinator")


def test_thread_from_member_waits_under_policy_all_and_is_announced_on_approval(session, ctx, host):
    coordinator = make_user(session)
    group = make_group(session, host, coordinator=coordinator)
    author = make_user(session)
    services.join_group(session, author, group)
    thread = services.start_thread(session, author, group, title="Radtour", body="Wer kommt mit?")
    assert thread.moderation_state == ModerationState.PENDING
    assert _notifications(session, coordinator, "group.thread_new") == []

    thread.moderation_state = ModerationState.APPROVED  # what the moderation engineer's decide does
    kind_or_none("thread").on_state_change(session, thread, host.founder, "approve")
    assert len(_notifications(session, coordinator, "group.thread_new")) == 1
    assert _notifications(session, author, "group.thread_new") == []


def test_moderator_thread_is_published_at_once(session, ctx, host):
    moderator = make_member(session, host, role=Role.MODERATOR)
    group = make_group(session, host, coordinator=moderator)
    thread = services.start_thread(session, moderator, group, title="Treffen", body="Am Freitag")
    assert thread.moderation_state == ModerationState.APPROVED


def test_only_confirmed_group_members_start_threads(session, ctx, host):
    group = make_group(session, host)
    stranger = make_user(session)
    with pytest.raises(NotAllowed):
        services.start_thread(session, stranger, group, title="T", body="B")
    unconfirmed = make_user(session, confirmed=False)
    services.join_group(session, unconfirmed, group)
    with pytest.raises(NotAllowed):
        services.start_thread(session, unconfirmed, group, title="T", body="B")


def test_replies_count_and_notify_the_thread_author(session, ctx, host):
    author, _replier, thread, _reply = _thread_with_reply(session, host)
    services.reply_to_thread(session, author, thread, body="Super")
    assert thread.reply_count == 2
    assert len(_notifications(session, author, "group.reply")) == 1


def test_strict_policy_holds_replies_until_approved(session, ctx, host):
    host.moderation_policy = ModerationPolicy.STRICT
    moderator = make_member(session, host, role=Role.MODERATOR)
    group = make_group(session, host, coordinator=moderator)
    thread = services.start_thread(session, moderator, group, title="Plan", body="…")
    member = make_user(session)
    services.join_group(session, member, group)
    reply = services.reply_to_thread(session, member, thread, body="Idee")
    assert reply.moderation_state == ModerationState.PENDING
    assert thread.reply_count == 0
    reply.moderation_state = ModerationState.APPROVED
    kind_or_none("reply").on_state_change(session, reply, moderator, "approve")
    assert thread.reply_count == 1
    reply.moderation_state = ModerationState.HIDDEN
    kind_or_none("reply").on_state_change(session, reply, moderator, "hide")
    assert thread.reply_count == 0


def test_pending_thread_takes_no_replies(session, ctx, host):
    group = make_group(session, host)
    author = make_user(session)
    services.join_group(session, author, group)
    thread = services.start_thread(session, author, group, title="T", body="B")
    with pytest.raises(InvalidState):
        services.reply_to_thread(session, author, thread, body="x")
    assert session.scalar(select(func.count()).select_from(ThreadReply)) == 0


def test_member_who_left_the_host_loses_the_voice_in_its_working_group(session, ctx, host):
    group = make_group(session, host, open_to=OpenTo.MEMBERS)
    member = make_member(session, host)
    services.join_group(session, member, group)
    session.delete(session.scalar(select(Membership).where(Membership.user_id == member.id)))
    session.flush()
    forget_memberships()
    with pytest.raises(NotAllowed):
        services.start_thread(session, member, group, title="T", body="B")


def test_pinning_needs_a_coordinator(session, ctx, host):
    coordinator = make_member(session, host, role=Role.MODERATOR)
    group = make_group(session, host, coordinator=coordinator)
    thread = services.start_thread(session, coordinator, group, title="Wichtig", body="Bitte lesen")
    services.set_pinned(session, coordinator, thread, True)
    assert thread.pinned
    member = make_user(session)
    services.join_group(session, member, group)
    with pytest.raises(NotAllowed):
        services.set_pinned(session, member, thread, False)


def test_update_group_changes_topics(session, ctx, host):
    coordinator = make_user(session)
    group = make_group(session, host, coordinator=coordinator)
    services.update_group(
        session,
        coordinator,
        group,
        name="Neu",
        description="",
        themes=["jugend"],
        sdgs=["4"],
        open_to="members",
    )
    assert group.name == "Neu" and group.open_to == OpenTo.MEMBERS
    assert group.themes == [theme(session, "jugend")]


def test_moderation_finds_threads_and_replies_of_the_host_only(session, ctx, host):
    from twinning.groups.models import Thread

    kind = kind_or_none("thread")
    reply_kind = kind_or_none("reply")
    group = make_group(session, host)
    other_group = make_group(session, make_association(session))
    author = make_user(session)
    mine = Thread(group_id=group.id, author_id=author.id, title="Hier", body="b")
    theirs = Thread(group_id=other_group.id, author_id=author.id, title="Dort", body="b")
    session.add_all([mine, theirs])
    session.flush()
    session.add(ThreadReply(thread_id=mine.id, author_id=author.id, body="r"))
    session.flush()
    found = session.scalars(kind.in_association(select(Thread), host.id).options(*kind.load_options)).all()
    assert [t.title for t in found] == ["Hier"]
    assert kind.association_id(found[0]) == host.id and kind.url(found[0]).startswith(f"/groups/{group.id}/")
    replies = session.scalars(reply_kind.in_association(select(ThreadReply), host.id)).all()
    assert len(replies) == 1 and reply_kind.association_id(replies[0]) == host.id


def _thread_with_reply(session, host):
    host.moderation_policy = ModerationPolicy.NONE
    group = make_group(session, host)
    author, replier = make_user(session), make_user(session)
    for user in (author, replier):
        services.join_group(session, user, group)
    thread = services.start_thread(session, author, group, title="Saatgut", body="Tausch?")
    return author, replier, thread, services.reply_to_thread(session, replier, thread, body="Ja!")


def test_the_author_edits_a_reply_within_fifteen_minutes(session, ctx, host):
    from datetime import timedelta

    author, replier, _thread, reply = _thread_with_reply(session, host)
    with pytest.raises(NotAllowed):
        services.edit_reply(session, author, reply, body="Nein")
    with pytest.raises(ValidationError):
        services.edit_reply(session, replier, reply, body="   ")
    services.edit_reply(session, replier, reply, body="  Ja, gern!  ")
    assert (reply.body, reply.moderation_state) == ("Ja, gern!", ModerationState.APPROVED)
    assert reply.edited_at is not None
    reply.created_at -= timedelta(minutes=16)
    assert not services.reply_is_editable(replier, reply)
    with pytest.raises(InvalidState):
        services.edit_reply(session, replier, reply, body="Zu spät")
    assert reply.body == "Ja, gern!"


def test_the_author_deletes_a_reply_and_the_thread_no_longer_counts_it(session, ctx, host):
    author, replier, thread, reply = _thread_with_reply(session, host)
    assert thread.reply_count == 1
    with pytest.raises(NotAllowed):
        services.delete_reply(session, author, reply)
    services.delete_reply(session, replier, reply)
    assert (reply.body, thread.reply_count) == ("", 0) and reply.deleted_at is not None
    with pytest.raises(NotAllowed):  # gone: nothing left to delete or edit
        services.delete_reply(session, replier, reply)
    with pytest.raises(NotAllowed):
        services.edit_reply(session, replier, reply, body="wieder da")
