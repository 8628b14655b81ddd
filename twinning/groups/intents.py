"""Joining a group, started while signed out: completed right after sign-in or sign-up."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from twinning.auth import intents
from twinning.groups import services
from twinning.groups.models import Group
from twinning.permissions import can, is_group_member


def _resume(db_session, user, group_id: int):
    group = db_session.get(Group, group_id)
    if group is None or not can(user, "group.view", group):
        return None
    detail = url_for("groups.detail", group_id=group.id)
    if is_group_member(user, group):
        return intents.Resumed(detail)
    if not can(user, "group.join", group):  # e.g. a working group of an association they are not in
        return intents.Resumed(detail)
    services.join_group(db_session, user, group)
    return intents.Resumed(detail, _("You are now a member of %(group)s.", group=group.name))


def _offer_url(group_id: int) -> str:
    return url_for("groups.join", group_id=group_id)  # asks to confirm with one button


def register_intents() -> None:
    intents.register("group.join", _resume, _offer_url)
