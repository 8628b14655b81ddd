"""Group roles for the named rules: how ``twinning.permissions`` loads them.

The decisions themselves (``group.view``, ``group.join``, ``group.leave``, ``group.post``,
``group.coordinate``, ``group.manage``) are rules in ``twinning/permissions.py``; this module
only tells it where a user's group roles are, so permissions need not import the feature.
"""

from __future__ import annotations

from sqlalchemy import select

from twinning.core.extensions import db
from twinning.groups.models import GroupMembership
from twinning.permissions import forget_group_roles, load_group_roles_with

__all__ = ["forget_group_roles"]


def register_rules() -> None:
    """Tell the rules how to read group roles (from the feature's ``init_app``)."""
    load_group_roles_with(_load_group_roles)


def _load_group_roles(user_id: int) -> dict[int, str]:
    rows = db.session.execute(
        select(GroupMembership.group_id, GroupMembership.role).where(GroupMembership.user_id == user_id)
    )
    return {group_id: role for group_id, role in rows}
