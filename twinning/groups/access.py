"""Who may do what inside a group: group roles on top of the named rules in permissions.py."""

from __future__ import annotations

from flask import g, has_request_context
from sqlalchemy import select

from twinning.extensions import db
from twinning.groups.models import Group, GroupMembership, GroupRole, OpenTo
from twinning.permissions import can, is_blocked, is_confirmed, is_member, is_signed_in


def group_roles_of(user) -> dict[int, GroupRole]:
    """The user's group roles by group id; one query per request, like association memberships."""
    if not is_signed_in(user):
        return {}
    if has_request_context():
        cache = g.setdefault("_twinning_group_roles", {})
        if user.id not in cache:
            cache[user.id] = _load_group_roles(user.id)
        return cache[user.id]
    return _load_group_roles(user.id)


def _load_group_roles(user_id: int) -> dict[int, GroupRole]:
    rows = db.session.execute(
        select(GroupMembership.group_id, GroupMembership.role).where(GroupMembership.user_id == user_id)
    )
    return {group_id: role for group_id, role in rows}


def forget_group_roles() -> None:
    """Services that change group memberships call this so later checks see the change."""
    if has_request_context():
        g.pop("_twinning_group_roles", None)


def group_role(user, group: Group) -> GroupRole | None:
    return group_roles_of(user).get(group.id)


def is_group_member(user, group: Group) -> bool:
    return group_role(user, group) is not None


def is_coordinator(user, group: Group) -> bool:
    return group_role(user, group) == GroupRole.COORDINATOR


def may_manage_group(user, group: Group) -> bool:
    """Edit, pin, remove members: the group's coordinators and the host's admins."""
    if not can(user, "group.view", group):
        return False
    if can(user, "group.manage", group):
        return True
    if not is_coordinator(user, group) or is_blocked(user, group.association_id):
        return False
    # A working group is coordinated by members of its host only (leaving ends the role too).
    return group.open_to == OpenTo.EVERYONE or is_member(user, group.association_id)


def may_post_in_group(user, group: Group) -> bool:
    """Start threads and reply: confirmed group members, who still belong where the group needs.

    A working group needs an active membership of the host (someone who left the association
    keeps no voice in its working groups); nobody blocked by the host posts anywhere in it.
    """
    if not is_confirmed(user) or not can(user, "group.view", group):
        return False
    if not is_group_member(user, group) or is_blocked(user, group.association_id):
        return False
    return group.open_to == OpenTo.EVERYONE or is_member(user, group.association_id)
