"""Threads and replies as content kinds of the moderation queue of the hosting association."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import Select
from sqlalchemy.orm import Session, selectinload

from twinning.core.urls import path_for
from twinning.discussion.moderation import register_discussion
from twinning.groups.models import Group, ReplyEdit, Thread, ThreadReply
from twinning.groups.services import REPLIES, notify_members_of_thread, notify_thread_author, recount_replies
from twinning.moderation.registry import ContentKind, register_kind


def _threads_in(statement: Select, association_id: int) -> Select:
    return statement.join(Group, Group.id == Thread.group_id).where(Group.association_id == association_id)


def _replies_in(statement: Select, association_id: int) -> Select:
    return (
        statement.join(Thread, Thread.id == ThreadReply.thread_id)
        .join(Group, Group.id == Thread.group_id)
        .where(Group.association_id == association_id)
    )


def _reply_url(reply: ThreadReply) -> str:
    return path_for(
        "groups.thread",
        _anchor=f"reply-{reply.id}",
        group_id=reply.thread.group_id,
        thread_id=reply.thread_id,
    )


def _thread_changed(session: Session, thread: Thread, actor, decision: str) -> None:
    # Members hear of a thread once, when it is first published.
    if decision == "approve":
        notify_members_of_thread(session, thread)


def _reply_changed(session: Session, reply: ThreadReply, actor, decision: str) -> None:
    recount_replies(session, reply.thread)
    if decision == "approve":
        notify_thread_author(session, reply)


def register_kinds() -> None:
    """Hand threads and replies to moderation (from ``init_app``)."""
    register_kind(
        ContentKind(
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
        )
    )

    register_discussion(
        REPLIES,
        association_id=lambda reply: reply.thread.group.association_id,
        title=lambda reply: reply.thread.title,
        url=_reply_url,
        on_state_change=_reply_changed,
        in_association=_replies_in,
        load_options=(selectinload(ThreadReply.thread).selectinload(Thread.group),),
        list_url=lambda reply: path_for(
            "groups.thread", group_id=reply.thread.group_id, thread_id=reply.thread_id
        ),
        network_wide=lambda reply: reply.thread.group.is_topic_group,
        edit_title=lambda edit: _("Change of a reply in “%(title)s”", title=edit.reply.thread.title),
        edit_load_options=(
            selectinload(ReplyEdit.reply).selectinload(ThreadReply.thread).selectinload(Thread.group),
        ),
    )
