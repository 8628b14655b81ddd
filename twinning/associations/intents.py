"""Joining or founding an association, started while signed out: completed or offered right after."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from twinning.associations import members
from twinning.associations.models import Association
from twinning.auth import intents
from twinning.permissions import association_is_visible, can, is_confirmed


def _resume_join(db_session, user, association_id: int):
    association = db_session.get(Association, association_id)
    if association is None or not association_is_visible(user, association):
        return None
    space = url_for("associations.space", slug=association.slug)
    if not can(user, "association.join", association):  # a member already, blocked, or by invitation
        return intents.Resumed(space)
    membership = members.join_association(db_session, user, association)
    if membership.is_active:  # open membership; else the admins decide on the request
        return intents.Resumed(space, _("You are now a member of %(name)s.", name=association.name))
    return intents.Resumed(space, _("Your request has been sent. The admins will decide on it."))


def _offer_join(association_id: int) -> str | None:
    from twinning.core.extensions import db

    association = db.session.get(Association, association_id)
    return url_for("associations.space", slug=association.slug) if association is not None else None


def _resume_create(_db_session, user, _target_id: int):
    if not is_confirmed(user):  # founding needs a confirmed address: offered after the confirmation
        return intents.Resumed(
            url_for("pages.home"),
            _("Please confirm your e-mail address first; the link in our mail brings you back to the form."),
            keep=True,
        )
    return intents.Resumed(url_for("associations.new"))


def _offer_create(_target_id: int) -> str:
    return url_for("associations.new")


def register_intents() -> None:
    intents.register("association.join", _resume_join, _offer_join)
    intents.register("association.create", _resume_create, _offer_create)
