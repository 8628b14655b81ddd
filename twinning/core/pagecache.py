"""Public pages for visitors: rendered once, served again until anything is written.

A visitor who is not signed in sees the same proposal list, space or goal page as every
other visitor reading in the same language, so rendering it anew for each of them is
wasted work. Views marked ``@for_visitors`` are kept per worker, keyed by language and
address, together with the database's *content version*:

- Every transaction that writes public content (a flush, or an INSERT/UPDATE/DELETE sent
  through the session, that touches anything not listed in ``PRIVATE_TABLES`` or
  ``PRIVATE_COLUMNS``) sets a new random version in the one-row table
  ``content_version``, inside that same transaction, just before it commits. A sign-in,
  reading a notification or a new notification changes no visitor's page and keeps every
  copy. A reader
  compares the version it reads with the one its copy was made under, so a page is never
  served after a committed change, on any worker of any server sharing the database.
  The version is written after the transaction's last flush, and never when a savepoint
  is released, so it is always the last row a writer locks (no lock cycles on PostgreSQL).
- Time alone changes a few things (the twelve months of the activity chart, the network
  figures cached for ``NETWORK_CACHE_SECONDS``), so a copy also expires after
  ``PAGE_CACHE_SECONDS`` (default 60; ``0`` turns the cache off).
- Only requests without a session or remember-me cookie are served from the cache, and a
  response is kept only when it is a plain 200 page that left the session untouched (a
  CSRF token, a flashed message or a language choice write the session, and are never
  shared). Signed-in people always get a freshly rendered page.
- A copy is keyed by the address with only the query arguments the view declares
  (``@for_visitors("page", "sort")``): ``?utm=1`` or ``?x=random`` neither make a copy
  of their own nor miss the existing one. It keeps the headers that say what the body is
  (Content-Type, Content-Disposition) and varies by Accept-Language and Cookie.
- A current copy is answered by WSGI middleware (``VisitorPages``) before Flask starts a
  request: one primary-key read of the version, no session, no template. The page is
  rendered by Flask as usual when there is no copy, and kept by an after-request hook.
"""

from __future__ import annotations

import gzip
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import parse_qsl, urlencode

from flask import Flask, Response, current_app, g, request, session
from flask_login import COOKIE_NAME
from sqlalchemy import CheckConstraint, String, event, inspect, select
from sqlalchemy.orm import Mapped, Session, mapped_column
from werkzeug.exceptions import HTTPException
from werkzeug.http import parse_cookie
from werkzeug.routing import RoutingException

from twinning.core import security
from twinning.core.db import Base
from twinning.core.extensions import db
from twinning.core.i18n import request_locale, visitor_locale
from twinning.core.navigation import known_query, query_args_of

View = TypeVar("View", bound=Callable)
VERSION_ROW = 1
LARGEST_KEPT_PAGE = 512 * 1024  # bytes; a bigger page is rare and rendered each time
MIN_COMPRESSED = 500  # bytes, as COMPRESS_MIN_SIZE
_WROTE = "twinning_wrote"
# Headers of a kept page that its copies repeat (beside Content-Type).
KEPT_HEADERS = ("Content-Disposition",)
# Every visitors' page is chosen by these request headers: the language, and whether a
# session (a choice of language, a signed-in person) is there.
VARY = ("Accept-Language", "Cookie")

# What no visitors' page shows: a write that touches only these keeps every copy. Anything
# else, including a table not named here, drops them (tests/test_pagecache_keys.py checks
# that every table is named here or in PUBLIC_TABLES).
PRIVATE_TABLES = frozenset(
    {
        "content_version",
        "notifications",
        "reports",
        "moderation_actions",
        "invitations",
        # Waiting changes show only to their authors and moderators; approving one writes the post.
        "proposal_edits",
        "comment_edits",
        "reply_edits",
        "form_submissions",  # create forms' one-time tokens
        "follows",  # whom a person follows shows only to them
        "notification_preferences",
    }
)
PRIVATE_COLUMNS = {
    "users": frozenset(
        {
            "email",
            "password_hash",
            "locale",
            "email_confirmed_at",
            "session_version",
            "last_seen_at",
            "email_notifications",
            "email_change_version",
        }
    ),
}
# The tables public pages are made of (only for the check above: unlisted tables count as public).
PUBLIC_TABLES = frozenset(
    {
        "users",
        "themes",
        "associations",
        "association_slugs",
        "memberships",
        "partnerships",
        "proposals",
        "proposal_revisions",
        "supports",
        "comments",
        "cosponsorships",
        "groups",
        "group_memberships",
        "threads",
        "thread_replies",
        "association_themes",
        "association_sdgs",
        "proposal_themes",
        "proposal_sdgs",
        "group_themes",
        "group_sdgs",
        "proposal_answers",
    }
)


class ContentVersion(Base):
    """One row whose token changes with every committed write."""

    __tablename__ = "content_version"
    __table_args__ = (CheckConstraint(f"id = {VERSION_ROW}", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32))


def for_visitors(*args):
    """Mark a GET view whose page is the same for every signed-out visitor in a language.

    ``@for_visitors`` for a page that reads no query argument, ``@for_visitors("page", "q")``
    for one that reads these (twinning.core.navigation: its links keep only these, too).
    """
    if len(args) == 1 and callable(args[0]):
        return _mark_for_visitors(args[0], ())
    return lambda view: _mark_for_visitors(view, args)


def _mark_for_visitors(view: View, query_args: tuple[str, ...]) -> View:
    view.cached_for_visitors = True
    view.query_args = frozenset(query_args)
    return view


@dataclass(slots=True)
class Copy:
    version: str
    made_at: float
    body: bytes
    content_type: str
    gzipped: bytes | None = None
    headers: tuple[tuple[str, str], ...] = ()


class PageStore:
    """The most recently used pages of one worker, at most ``capacity`` of them."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._pages: OrderedDict[tuple[str, str], Copy] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str]) -> Copy | None:
        with self._lock:
            found = self._pages.get(key)
            if found is not None:
                self._pages.move_to_end(key)
            return found

    def put(self, key: tuple[str, str], copy: Copy) -> None:
        with self._lock:
            self._pages[key] = copy
            self._pages.move_to_end(key)
            while len(self._pages) > self.capacity:
                self._pages.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()

    def __len__(self) -> int:
        return len(self._pages)


# -- the version: written by every writing transaction -------------------------------------


def _table_name(entity) -> str | None:
    table = getattr(entity, "__table__", None)
    return getattr(table, "name", None)


def _public_change(obj, updated: bool) -> bool:
    """Whether flushing this object changes what visitors may see."""
    name = _table_name(type(obj))
    if name in PRIVATE_TABLES:
        return False
    if not updated:
        return True
    private = PRIVATE_COLUMNS.get(name, frozenset())  # an object in session.dirty may hold no change
    return any(attr.key not in private and attr.history.has_changes() for attr in inspect(obj).attrs)


def _note_write_statement(state) -> None:
    if state.is_select:
        return
    table = getattr(state.statement, "table", None)  # INSERT/UPDATE/DELETE; None for text()
    if getattr(table, "name", None) in PRIVATE_TABLES:
        return
    state.session.info[_WROTE] = True


def _note_flush(session: Session, _context) -> None:
    if any(_public_change(obj, False) for obj in (*session.new, *session.deleted)) or any(
        _public_change(obj, True) for obj in session.dirty
    ):
        session.info[_WROTE] = True


def _bump_before_commit(session: Session) -> None:
    # A savepoint's release is a "commit" too, but only the outermost one may lock the version
    # row: a service that writes after its savepoint (a support, then its count) would otherwise
    # lock the version row before the proposal, and a moderator's answer locks them the other way.
    if session.in_nested_transaction():
        return
    if session.new or session.dirty or session.deleted:
        session.flush()  # everything else is locked first, the version row last
    if not session.info.get(_WROTE):
        return  # nothing, or nothing a visitors' page shows, was written
    table = ContentVersion.__table__
    token = secrets.token_hex(16)
    changed = session.execute(table.update().where(table.c.id == VERSION_ROW).values(token=token))
    if changed.rowcount == 0:
        session.execute(table.insert().values(id=VERSION_ROW, token=token))


def _forget_write(session: Session, *_args) -> None:
    if not session.in_nested_transaction():  # a savepoint's end keeps what the transaction wrote
        session.info.pop(_WROTE, None)


def track_writes(session_factory) -> None:
    """Listen on every session the factory makes (once, however many apps share it)."""
    if event.contains(session_factory, "before_commit", _bump_before_commit):
        return
    event.listen(session_factory, "do_orm_execute", _note_write_statement)
    event.listen(session_factory, "after_flush", _note_flush)
    event.listen(session_factory, "before_commit", _bump_before_commit)
    event.listen(session_factory, "after_commit", _forget_write)
    event.listen(session_factory, "after_rollback", _forget_write)


VERSION_QUERY = "SELECT token FROM content_version WHERE id = 1"  # VERSION_ROW


def current_version(session: Session) -> str:
    return session.scalar(select(ContentVersion.token).where(ContentVersion.id == VERSION_ROW)) or ""


# -- serving ------------------------------------------------------------------------------


def store(app: Flask | None = None) -> PageStore:
    return (app or current_app).extensions["twinning_page_cache"]


def clear(app: Flask | None = None) -> None:
    store(app).clear()


def _visitor_request(environ: dict, config) -> bool:
    """A GET or HEAD without a session or remember-me cookie, while the cache is on."""
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or not config["PAGE_CACHE_SECONDS"]:
        return False
    cookie_header = environ.get("HTTP_COOKIE")
    if cookie_header:
        cookies = parse_cookie(cookie_header)
        if (
            config["SESSION_COOKIE_NAME"] in cookies
            or config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME) in cookies
        ):
            return False
    return True


def visitor_key(environ: dict, config, query_args: frozenset[str]) -> tuple[str, str] | None:
    """The copy's key for this request, or None when the page must be rendered for this person.

    Read from the WSGI environment alone, so that a copy can be found before Flask starts a
    request. The language is the one ``twinning.core.i18n.select_locale`` picks for a request
    without ``?lang=``, session or account: the best match of Accept-Language. Of the query,
    only the arguments the view reads (``query_args``) count.
    """
    if not _visitor_request(environ, config):
        return None
    pairs = parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    if any(name == "lang" for name, _value in pairs):  # a language choice is remembered in the session
        return None
    locale = visitor_locale(environ.get("HTTP_ACCEPT_LANGUAGE"), config)
    query = urlencode(known_query(pairs, query_args))
    return locale, f"{environ.get('SCRIPT_NAME', '')}{environ.get('PATH_INFO', '')}?{query}"


def cached_view(app: Flask, environ: dict):
    """The visitors' view this request goes to, or None (another view, no route, a redirect)."""
    try:
        endpoint, _args = app.url_map.bind_to_environ(environ).match()
    except (HTTPException, RoutingException):
        return None
    view = app.view_functions.get(endpoint)
    return view if getattr(view, "cached_for_visitors", False) else None


def note_version() -> None:
    """Before a visitors' page is rendered: the version it is made under, in its own snapshot."""
    view = current_app.view_functions.get(request.endpoint or "")
    if not getattr(view, "cached_for_visitors", False):
        return
    g.page_cache_vary = True  # every response of a visitors' view says what chose it, copy or not
    key = visitor_key(request.environ, current_app.config, query_args_of(view))
    if key is not None:
        g.page_cache_pending = (key, current_version(db.session))


def keep_copy(response: Response) -> Response:
    if g.pop("page_cache_vary", False):
        for header in VARY:
            response.vary.add(header)
    pending = g.pop("page_cache_pending", None)
    if pending is None:
        return response
    response.headers["X-Page-Cache"] = "miss"
    key, version = pending
    if (
        response.status_code != 200
        or response.direct_passthrough
        or response.is_streamed
        or session.modified
        or "Set-Cookie" in response.headers
        or str(request_locale()) != key[0]
    ):
        return response
    body = response.get_data()
    if len(body) <= LARGEST_KEPT_PAGE:
        kept = tuple((name, response.headers[name]) for name in KEPT_HEADERS if name in response.headers)
        store().put(key, Copy(version, time.monotonic(), body, response.content_type, headers=kept))
    return response


class VisitorPages:
    """WSGI middleware: answers a visitor from a current copy before Flask starts a request.

    A copy carries the same headers as the page it was made from (security headers, Vary),
    compressed with gzip when the browser accepts it.
    """

    def __init__(self, app: Flask, wsgi_app) -> None:
        self.app = app
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        config = self.app.config
        key = None
        if _visitor_request(environ, config) and (view := cached_view(self.app, environ)) is not None:
            key = visitor_key(environ, config, view.query_args)
        found = store(self.app).get(key) if key is not None else None
        if (
            found is not None
            and time.monotonic() - found.made_at < config["PAGE_CACHE_SECONDS"]
            and found.version == self.version()
        ):
            return self.answer(found, environ)(environ, start_response)
        return self.wsgi_app(environ, start_response)

    def version(self) -> str | None:
        try:
            return db.read_scalar(VERSION_QUERY)
        except db.engine.dialect.loaded_dbapi.Error:
            return None  # Flask renders the page, and reports what is wrong

    def answer(self, found: Copy, environ) -> Response:
        body = found.body
        response = Response(content_type=found.content_type)
        if "gzip" in environ.get("HTTP_ACCEPT_ENCODING", "") and len(body) >= MIN_COMPRESSED:
            if found.gzipped is None:
                found.gzipped = gzip.compress(body, compresslevel=6)
            body = found.gzipped
            response.headers["Content-Encoding"] = "gzip"
        response.set_data(body)
        response.headers.extend(found.headers)
        response.vary.update((*VARY, "Accept-Encoding"))
        response.headers["X-Page-Cache"] = "hit"
        security.add_security_headers(response, production=self.app.config["ENV"] == "production")
        return response


def init_app(app: Flask) -> None:
    """Register after the compression and header hooks, so pages are kept uncompressed
    (after-request hooks run last-registered first) and every hit still gets both."""
    app.extensions["twinning_page_cache"] = PageStore(int(app.config["PAGE_CACHE_ENTRIES"]))
    track_writes(db.session.session_factory)
    app.before_request(note_version)
    app.after_request(keep_copy)
    app.wsgi_app = VisitorPages(app, app.wsgi_app)
