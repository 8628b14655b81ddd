"""Groups: create and edit, join and leave, roles, threads and replies."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from twinning.associations.members import on_membership_ended
from twinning.associations.models import Association, Membership, MembershipState, Role
from twinning.auth.models import User
from twinning.core.content import ModerationState
from twinning.core.db import utcnow
from twinning.core.errors import InvalidState, NotAllowed, ValidationError
from twinning.core.urls import path_for
from twinning.discussion.services import (
    Discussion,
    delete_post,
    edit_post,
    new_post,
    post_is_editable,
    recount_posts,
)
from twinning.groups import access  # noqa: F401 (loads group roles for the rules)
from twinning.groups.models import (
    Group,
    GroupMembership,
    GroupRole,
    OpenTo,
    ReplyEdit,
    Thread,
    ThreadReply,
    group_sdgs,
)
from twinning.moderation.alerts import alert_waiting
from twinning.moderation.policy import initial_state
from twinning.notifications import follows
from twinning.notifications.services import notify, notify_all
from twinning.permissions import can, forget_group_roles, is_group_member
from twinning.topics.queries import themes_by_slugs


def _clean_sdgs(sdgs) -> list[int]:
    numbers = set()
    for value in sdgs or []:
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ValidationError(_l("Please choose goals between 1 and 17."), field="sdgs") from None
        if not 1 <= number <= 17:
            raise ValidationError(_l("Please choose goals between 1 and 17."), field="sdgs")
        numbers.add(number)
    return sorted(numbers)


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError(_l("Please give the group a name."), field="name")
    if len(name) > 120:
        raise ValidationError(_l("At most %(max)d characters, please.", max=120), field="name")
    return name


def _set_topics(session: Session, group: Group, themes: list[str], sdgs: list) -> None:
    group.themes = themes_by_slugs(list(themes or []))
    numbers = _clean_sdgs(sdgs)
    session.execute(delete(group_sdgs).where(group_sdgs.c.group_id == group.id))
    if numbers:
        session.execute(group_sdgs.insert(), [{"group_id": group.id, "sdg": n} for n in numbers])


def create_group(
    session: Session,
    actor: User,
    association: Association,
    *,
    name: str,
    description: str,
    themes: list[str],
    sdgs: list,
    open_to: str,
) -> Group:
    """Create a working or topic group hosted by ``association``; its creator coordinates it."""
    if not can(actor, "group.create", association):
        raise NotAllowed(_l("Only moderators and admins of the association can create groups."))
    try:
        open_to_value = OpenTo(open_to)
    except ValueError:
        raise ValidationError(_l("Please choose who may join."), field="open_to") from None
    group = Group(
        association_id=association.id,
        name=_clean_name(name),
        description=(description or "").strip(),
        open_to=open_to_value,
        created_by_id=actor.id,
        member_count=1,
    )
    session.add(group)
    session.flush()
    _set_topics(session, group, themes, sdgs)
    session.add(GroupMembership(group_id=group.id, user_id=actor.id, role=GroupRole.COORDINATOR))
    session.flush()
    forget_group_roles()
    return group


def update_group(
    session: Session,
    actor: User,
    group: Group,
    *,
    name: str,
    description: str,
    themes: list[str],
    sdgs: list,
    open_to: str,
) -> Group:
    """Change a group's text, topics and who may join it (coordinators and host admins)."""
    if not can(actor, "group.manage", group):
        raise NotAllowed(_l("Only the group's coordinators can change it."))
    try:
        group.open_to = OpenTo(open_to)
    except ValueError:
        raise ValidationError(_l("Please choose who may join."), field="open_to") from None
    group.name = _clean_name(name)
    group.description = (description or "").strip()
    _set_topics(session, group, themes, sdgs)
    session.flush()
    return group


def _change_member_count(session: Session, group: Group, delta: int) -> None:
    # In SQL, so concurrent joins add up instead of overwriting each other.
    session.execute(update(Group).where(Group.id == group.id).values(member_count=Group.member_count + delta))
    session.refresh(group, ["member_count"])


def join_group(session: Session, actor: User, group: Group) -> GroupMembership:
    """Join a topic group, or a working group of an association the actor belongs to."""
    if is_group_member(actor, group):
        raise InvalidState(_l("You are already a member of this group."))
    if not can(actor, "group.join", group):
        raise NotAllowed(
            _l(
                "Only members of %(association)s can join this working group.",
                association=group.association.name,
            )
        )
    membership = GroupMembership(group_id=group.id, user_id=actor.id, role=GroupRole.MEMBER)
    try:
        # A savepoint: a second click racing this one hits the unique constraint, not a 500.
        with session.begin_nested():
            session.add(membership)
    except IntegrityError:
        raise InvalidState(_l("You are already a member of this group.")) from None
    _change_member_count(session, group, +1)
    forget_group_roles()
    return membership


def _coordinator_count(session: Session, group: Group) -> int:
    return session.scalar(
        select(func.count())
        .select_from(GroupMembership)
        .where(GroupMembership.group_id == group.id, GroupMembership.role == GroupRole.COORDINATOR)
    )


def _membership(session: Session, group: Group, user_id: int) -> GroupMembership | None:
    return session.scalar(
        select(GroupMembership).where(
            GroupMembership.group_id == group.id, GroupMembership.user_id == user_id
        )
    )


def _drop_membership(session: Session, group: Group, membership: GroupMembership) -> None:
    deleted = session.execute(delete(GroupMembership).where(GroupMembership.id == membership.id)).rowcount
    if deleted:  # a concurrent leave may have removed it already: count it once
        _change_member_count(session, group, -1)
    session.expunge(membership)
    forget_group_roles()


def leave_group(session: Session, actor: User, group: Group) -> None:
    """Leave a group; the last coordinator first hands the role on while others remain."""
    membership = _membership(session, group, actor.id)
    if membership is None:
        raise InvalidState(_l("You are not a member of this group."))
    if (
        membership.role == GroupRole.COORDINATOR
        and group.member_count > 1
        and _coordinator_count(session, group) == 1
    ):
        raise InvalidState(
            _l("You are the last coordinator. Please make another member a coordinator first.")
        )
    _drop_membership(session, group, membership)


def remove_member(session: Session, actor: User, group: Group, user: User) -> None:
    """Remove someone from a group (coordinators and host admins); they are told."""
    if not can(actor, "group.manage", group):
        raise NotAllowed(_l("Only the group's coordinators can remove members."))
    membership = _membership(session, group, user.id)
    if membership is None:
        raise InvalidState(_l("This person is not a member of this group."))
    if membership.role == GroupRole.COORDINATOR and _coordinator_count(session, group) == 1:
        raise InvalidState(
            _l("A group needs at least one coordinator. Make someone else a coordinator first.")
        )
    _drop_membership(session, group, membership)
    if user.id != actor.id:
        notify(
            session,
            user,
            "group.removed",
            link=path_for("groups.detail", group_id=group.id),
            group=group.name,
        )


def set_group_role(session: Session, actor: User, group: Group, user: User, role: str) -> GroupMembership:
    """Make a member a coordinator, or a coordinator a member again (never the last one)."""
    if not can(actor, "group.manage", group):
        raise NotAllowed(_l("Only the group's coordinators can change roles."))
    try:
        new_role = GroupRole(role)
    except ValueError:
        raise ValidationError(_l("Please choose a role."), field="role") from None
    membership = _membership(session, group, user.id)
    if membership is None:
        raise InvalidState(_l("This person is not a member of this group."))
    if (
        membership.role == GroupRole.COORDINATOR
        and new_role == GroupRole.MEMBER
        and _coordinator_count(session, group) == 1
    ):
        raise InvalidState(
            _l("A group needs at least one coordinator. Make someone else a coordinator first.")
        )
    membership.role = new_role
    session.flush()
    forget_group_roles()
    return membership


def end_coordination(session: Session, user_id: int, association_id: int, blocked: bool) -> None:
    """Who leaves an association coordinates none of its working groups any more; who is
    blocked there, none of its groups at all (a blocked person manages nothing it hosts).

    Topic groups are open to everyone, so leaving their host changes nothing there. A group
    may be left without a coordinator: the host's admins manage it and name a new one.
    """
    hosted = select(Group.id).where(Group.association_id == association_id)
    if not blocked:
        hosted = hosted.where(Group.open_to == OpenTo.MEMBERS)
    session.execute(
        update(GroupMembership)
        .where(
            GroupMembership.user_id == user_id,
            GroupMembership.role == GroupRole.COORDINATOR,
            GroupMembership.group_id.in_(hosted),
        )
        .values(role=GroupRole.MEMBER)
        .execution_options(synchronize_session="fetch")
    )
    forget_group_roles()


on_membership_ended(end_coordination)


def notify_members_of_thread(session: Session, thread: Thread) -> None:
    """Tell the group's members (but the author) that a thread was published."""
    group = thread.group
    # Followers of the group: its members unless they turned it off, and whoever chose to follow.
    notify_all(
        session,
        follows.recipients(session, "group", group.id, exclude=thread.author_id),
        "group.thread_new",
        link=path_for("groups.thread", group_id=group.id, thread_id=thread.id),
        association_id=group.association_id,
        group=group.name,
        title=thread.title,
    )


def alert_coordinators_of_waiting_thread(session: Session, thread: Thread) -> None:
    """Tell the group's coordinators (not the author, not those the moderators' alert reaches) that a thread waits."""
    group = thread.group
    moderates = (
        select(Membership.id)
        .where(
            Membership.user_id == User.id,
            Membership.association_id == group.association_id,
            Membership.role.in_((Role.MODERATOR, Role.ADMIN)),
            Membership.state == MembershipState.ACTIVE,
        )
        .exists()
    )
    coordinators = session.scalars(
        select(User)
        .join(GroupMembership, GroupMembership.user_id == User.id)
        .where(
            GroupMembership.group_id == group.id,
            GroupMembership.role == GroupRole.COORDINATOR,
            User.id != thread.author_id,
            ~moderates,
        )
    )
    for coordinator in coordinators:
        notify(
            session,
            coordinator,
            "group.thread_waiting",
            link=path_for("groups.detail", group_id=group.id),
            group=group.name,
            title=thread.title,
        )


def notify_thread_author(session: Session, reply: ThreadReply) -> None:
    """Tell a thread's author that someone else's reply was published."""
    thread = reply.thread
    # Followers of the thread: its author unless they turned it off, and whoever chose to follow.
    for user in follows.recipients(session, "thread", thread.id, exclude=reply.author_id):
        notify(
            session,
            user,
            "group.reply" if user.id == thread.author_id else "thread.reply",
            link=path_for("groups.thread", group_id=thread.group_id, thread_id=thread.id),
            association_id=thread.group.association_id,
            title=thread.title,
            name=reply.author.display_name if reply.author else "",
        )


def start_thread(session: Session, actor: User, group: Group, *, title: str, body: str) -> Thread:
    """Start a discussion thread; it waits for the host's moderators where the policy says so."""
    if not can(actor, "group.post", group):
        raise NotAllowed(_l("Only members of the group with a confirmed e-mail address can start threads."))
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        raise ValidationError(_l("Please give the thread a title."), field="title")
    if not body:
        raise ValidationError(_l("Please write something."), field="body")
    thread = Thread(
        group_id=group.id,
        author_id=actor.id,
        title=title[:200],
        body=body,
        moderation_state=initial_state(group.association, actor, "thread"),
        last_activity_at=utcnow(),
    )
    session.add(thread)
    session.flush()
    if thread.moderation_state == ModerationState.APPROVED:
        notify_members_of_thread(session, thread)
    else:
        alert_waiting(session, group.association, actor.id)
        alert_coordinators_of_waiting_thread(session, thread)
    return thread


REPLIES_MAX = 10_000


def recount_replies(session: Session, thread: Thread) -> None:
    """Keep reply_count and last_activity_at equal to the published replies, in one statement."""
    recount_posts(session, REPLIES, thread.id, last_activity_at=utcnow())
    session.refresh(thread, ["reply_count", "last_activity_at"])


# The thread's discussion, run by the shared twinning.discussion services.
REPLIES = Discussion(
    name="reply",
    model=ThreadReply,
    edit_model=ReplyEdit,
    edit_key="reply_id",
    parent_model=Thread,
    parent_key="thread_id",
    count_column="reply_count",
    association=lambda reply: reply.thread.group.association,
    recount=lambda session, reply: recount_replies(session, reply.thread),
    max_length=REPLIES_MAX,
    label=_l("Your reply"),
    empty=_l("Please write something."),
    not_your_edit=_l("You can only edit your own replies."),
    not_your_delete=_l("You can only delete your own replies."),
    too_late=_l("Replies can only be edited within 15 minutes."),
)


def reply_to_thread(session: Session, actor: User, thread: Thread, *, body: str) -> ThreadReply:
    """Reply to a published thread; the reply may wait under the host's strict policy."""
    if thread.moderation_state != ModerationState.APPROVED:
        raise InvalidState(_l("This thread is not published, so it takes no replies."))
    if not can(actor, "group.post", thread.group):
        raise NotAllowed(_l("Only members of the group with a confirmed e-mail address can reply."))
    reply = new_post(REPLIES, actor, thread.group.association, body, thread_id=thread.id)
    session.add(reply)
    session.flush()
    if reply.moderation_state == ModerationState.APPROVED:
        recount_replies(session, thread)
        notify_thread_author(session, reply)
    else:
        alert_waiting(session, thread.group.association, actor.id)
    return reply


def reply_is_editable(user, reply: ThreadReply) -> bool:
    """Whether the page offers to edit the reply: its author, within the edit window."""
    return post_is_editable(REPLIES, user, reply)


def edit_reply(session: Session, editor: User, reply: ThreadReply, *, body: str) -> ReplyEdit | None:
    """The author corrects a reply within the edit window; returns the change if it waits (``edit_post``)."""
    return edit_post(session, REPLIES, editor, reply, body)


def delete_reply(session: Session, actor: User, reply: ThreadReply) -> ThreadReply:
    """The author deletes a reply: its text is gone and the thread no longer counts it."""
    return delete_post(session, REPLIES, actor, reply)


def set_pinned(session: Session, actor: User, thread: Thread, pinned: bool) -> Thread:
    """Pin a thread to the top of its group, or unpin it."""
    if not can(actor, "thread.pin", thread):
        raise NotAllowed(_l("Only the group's coordinators can pin threads."))
    thread.pinned = pinned
    session.flush()
    return thread
