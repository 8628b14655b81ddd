"""The main navigation: features add entries; the layout shows those that exist."""

from __future__ import annotations

from flask import Flask, current_app, request, url_for
from flask_babel import lazy_gettext as _l

# (endpoint, label) in display order; an entry whose endpoint is not registered is skipped,
# so a feature's link appears as soon as its blueprint is.
MAIN_NAVIGATION = [
    ("associations.directory", _l("Associations")),
    ("groups.directory", _l("Groups")),
    ("network.sdgs", _l("SDGs")),
    ("network.dashboard", _l("Network")),
    ("involve.get_involved", _l("Get involved")),
]


def main_navigation() -> list[tuple[str, object]]:
    return [(endpoint, label) for endpoint, label in MAIN_NAVIGATION
            if endpoint in current_app.view_functions]


def page_url(param: str, number: int) -> str:
    """This page's address with ``param`` set to ``number`` and every other argument kept."""
    args = request.args.to_dict()
    args[param] = number
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def has_endpoint(endpoint: str) -> bool:
    return endpoint in current_app.view_functions


def init_app(app: Flask) -> None:
    app.jinja_env.globals["main_navigation"] = main_navigation
    app.jinja_env.globals["has_endpoint"] = has_endpoint
    app.jinja_env.globals["page_url"] = page_url
