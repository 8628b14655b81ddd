"""What following a group or a thread means: members follow their group, authors their thread."""

from __future__ import annotations

from sqlalchemy import select

from twinning.core.urls import path_for
from twinning.groups.models import Group, GroupMembership, Thread
from twinning.notifications.follows import Followable, register


def _group_members(group_id: int):
    return select(GroupMembership.user_id).where(GroupMembership.group_id == group_id)


def _thread_author(thread_id: int):
    return select(Thread.author_id).where(Thread.id == thread_id, Thread.author_id.is_not(None))


def register_followable() -> None:
    register(
        Followable(
            kind="group",
            model=Group,
            view_rule="group.view",
            implied=_group_members,
            title=lambda group: group.name,
            path=lambda group: path_for("groups.detail", group_id=group.id),
        )
    )
    register(
        Followable(
            kind="thread",
            model=Thread,
            view_rule="thread.view",
            implied=_thread_author,
            title=lambda thread: thread.title,
            path=lambda thread: path_for("groups.thread", group_id=thread.group_id, thread_id=thread.id),
        )
    )
