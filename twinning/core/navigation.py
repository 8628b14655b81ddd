"""The main navigation: features add entries; the layout shows those that exist."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, current_app, request, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.routing import BuildError

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
    return [
        (endpoint, label) for endpoint, label in MAIN_NAVIGATION if endpoint in current_app.view_functions
    ]


# Every query argument a page reads. Request data never reaches ``url_for`` as keywords
# (``?endpoint=``, ``?_external=``, ``?_scheme=`` would steer it): links to "this page with
# other arguments" keep only these, by name. A view of the visitors' cache declares its own,
# narrower list (``@for_visitors("page", "sort")``, twinning.core.pagecache), which both its links
# and its copies' keys use.
QUERY_ARGS = frozenset(
    {
        "page",
        "reported_page",
        "q",
        "theme",
        "themes",
        "sdg",
        "sdgs",
        "status",
        "sort",
        "country",
        "association",
        "open_to",
        "next",
    }
)


def query_args_of(view) -> frozenset[str]:
    """The query arguments a view reads: its own declaration, or every known one."""
    return getattr(view, "query_args", QUERY_ARGS)


def known_query(pairs, names: frozenset[str]) -> list[tuple[str, str]]:
    """The (name, value) pairs whose name is known, grouped by name, each name's values in order."""
    return sorted(((name, value) for name, value in pairs if name in names), key=lambda pair: pair[0])


def this_page(**changes) -> str:
    """This page's address with its known query arguments kept and ``changes`` applied
    (a value of None removes the argument)."""
    endpoint = request.endpoint
    view = current_app.view_functions.get(endpoint or "")
    try:
        path = url_for(endpoint, **(request.view_args or {})) if view is not None else url_for("pages.home")
    except BuildError:
        path = url_for("pages.home")
    pairs = known_query(request.args.items(multi=True), query_args_of(view).difference(changes))
    pairs += [(name, str(value)) for name, value in changes.items() if value is not None]
    return f"{path}?{urlencode(pairs)}" if pairs else path


def page_url(param: str, number: int) -> str:
    """This page's address with ``param`` set to ``number`` and its other known arguments kept."""
    return this_page(**{param: number})


def has_endpoint(endpoint: str) -> bool:
    return endpoint in current_app.view_functions


def init_app(app: Flask) -> None:
    app.jinja_env.globals["main_navigation"] = main_navigation
    app.jinja_env.globals["has_endpoint"] = has_endpoint
    app.jinja_env.globals["page_url"] = page_url
    app.jinja_env.globals["this_page"] = this_page
