"""Every permission as a named rule over (user, object); templates ask the same rules.

``can(user, "noun.verb", obj)`` answers, ``require("noun.verb", obj)`` aborts with 401
for visitors and 403 for everyone else. Rules fold in role *and* state.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import abort
from flask_login import current_user

Rule = Callable[[object, object], bool]
RULES: dict[str, Rule] = {}


def rule(name: str) -> Callable[[Rule], Rule]:
    def register(predicate: Rule) -> Rule:
        if name in RULES:
            raise ValueError(f"rule {name!r} defined twice")
        RULES[name] = predicate
        return predicate

    return register


# -- predicates over the user alone ---------------------------------------------------


def is_signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated)


def is_confirmed(user) -> bool:
    return is_signed_in(user) and user.is_confirmed


def is_platform_admin(user) -> bool:
    return is_signed_in(user) and user.is_platform_admin


# -- rules ------------------------------------------------------------------------------


@rule("profile.edit")
def _profile_edit(user, _obj) -> bool:
    return is_signed_in(user)


@rule("admin.access")
def _admin_access(user, _obj) -> bool:
    return is_platform_admin(user)


def can(user, name: str, obj=None) -> bool:
    return RULES[name](user, obj)


def require(name: str, obj=None) -> None:
    if can(current_user, name, obj):
        return
    if not is_signed_in(current_user):
        from twinning.extensions import login_manager

        abort(login_manager.unauthorized())  # to the sign-in page, and back afterwards
    abort(403)


def init_app(app) -> None:
    app.jinja_env.globals["can"] = lambda name, obj=None: can(current_user, name, obj)
