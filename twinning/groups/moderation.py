"""Threads and replies as content kinds of the moderation queue of the hosting association."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import Select
from sqlalchemy.orm import Session, selectinload

from twinning.auth.models import User
from twinning.db import utcnow
from twinning.groups.models import Group, ReplyEdit, Thread, ThreadReply
from twinning.groups.services import notify_members_of_thread, notify_thread_author, recount_replies
from twinning.moderation.edits import check_decision_on_edit
from twinning.moderation.registry import ContentKind, register_kind
from twinning.notifications.services import notify
from twinning.urls import path_for


def _threads_in(statement: Select, association_id: int) -> Select:
    return statement.join(Group, Group.id == Thread.group_id).where(Group.association_id == association_id)


def _replies_in(statement: Select, association_id: int) -> Select:
    return (statement.join(Thread, Thread.id == ThreadReply.thread_id)
            .join(Group, Group.id == Thread.group_id).where(Group.association_id == association_id))


def _reply_edits_in(statement: Select, association_id: int) -> Select:
    return _replies_in(statement.join(ThreadReply, ThreadReply.id == ReplyEdit.reply_id), association_id)


def _reply_url(reply: ThreadReply) -> str:
    return f"/groups/{reply.thread.group_id}/threads/{reply.thread_id}#reply-{reply.id}"


def _reply_edit_decided(session: Session, edit: ReplyEdit, actor, decision: str) -> None:
    """Approved: the reply shows the new text, marked as edited. Declined: it stays as it was."""
    check_decision_on_edit(session, edit, ReplyEdit.reply_id, decision)
    reply = edit.reply
    if decision == "approve" and reply.deleted_at is None:
        reply.body = edit.body
        reply.edited_at = utcnow()
    if edit.author_id is not None and (actor is None or actor.id != edit.author_id):
        author = session.get(User, edit.author_id)
        if author is not None:
            notify(session, author, f"reply.edit_{decision}d", link=_reply_url(reply), title=reply.thread.title,
                   reason=edit.moderation_reason or "")
    session.flush()


def _thread_changed(session: Session, thread: Thread, actor, decision: str) -> None:
    # Members hear of a thread once, when it is first published.
    if decision == "approve":
        notify_members_of_thread(session, thread)


def _reply_changed(session: Session, reply: ThreadReply, actor, decision: str) -> None:
    recount_replies(session, reply.thread)
    if decision == "approve":
        notify_thread_author(session, reply)


register_kind(ContentKind(
    name="thread",
    model=Thread,
    association_id=lambda thread: thread.group.association_id,
    title=lambda thread: thread.title,
    url=lambda thread: path_for("groups.thread", group_id=thread.group_id, thread_id=thread.id),
    on_state_change=_thread_changed,
    in_association=_threads_in,
    load_options=(selectinload(Thread.group),),
    list_url=lambda thread: path_for("groups.detail", group_id=thread.group_id),
    network_wide=lambda thread: thread.group.is_topic_group,
))

register_kind(ContentKind(
    name="reply",
    model=ThreadReply,
    association_id=lambda reply: reply.thread.group.association_id,
    title=lambda reply: reply.thread.title,
    url=_reply_url,
    on_state_change=_reply_changed,
    in_association=_replies_in,
    load_options=(selectinload(ThreadReply.thread).selectinload(Thread.group),),
    list_url=lambda reply: f"/groups/{reply.thread.group_id}/threads/{reply.thread_id}",
    network_wide=lambda reply: reply.thread.group.is_topic_group,
))

register_kind(ContentKind(
    name="reply_edit",
    model=ReplyEdit,
    association_id=lambda edit: edit.reply.thread.group.association_id,
    title=lambda edit: _("Change of a reply in “%(title)s”", title=edit.reply.thread.title),
    url=lambda edit: _reply_url(edit.reply),
    on_state_change=_reply_edit_decided,
    in_association=_reply_edits_in,
    load_options=(selectinload(ReplyEdit.reply).selectinload(ThreadReply.thread).selectinload(Thread.group),),
    reportable=False,
))
