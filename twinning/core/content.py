"""What every kind of user content shares: its moderation state, and safe Markdown."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup
from sqlalchemy import Enum, ForeignKey, Index, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from twinning.core.db import TimestampMixin, utcnow

# Authors may correct a comment or a reply this long after posting it; later, what others
# already answered to stays as it was.
EDIT_WINDOW = timedelta(minutes=15)


def within_edit_window(posted_at: datetime) -> bool:
    return utcnow() - posted_at <= EDIT_WINDOW


class ModerationState(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"
    HIDDEN = "hidden"


def enum_type(enum_class: type[StrEnum], name: str) -> Enum:
    """A portable enum column: VARCHAR plus a named CHECK constraint, values as stored."""
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=20,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class PendingEditMixin(TimestampMixin):
    """A change to published content that waits for a moderator; the public keeps the published text.

    Each feature keeps its own table (``proposal_edits``, ``comment_edits``, ``reply_edits``)
    with a key to the changed item, and registers it as a moderation kind of its own, so the
    queue, decisions and the audit log treat a change like any other post.
    ``created_at`` is when the latest version of the change was sent: a second edit replaces
    the waiting one and waits from then on.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    body: Mapped[str] = mapped_column(Text)
    moderation_state: Mapped[ModerationState] = mapped_column(
        enum_type(ModerationState, "moderation_state"), default=ModerationState.PENDING
    )
    moderation_reason: Mapped[str] = mapped_column(Text, default="")


def one_waiting_edit(table: str, column: str) -> Index:
    """At most one waiting change per item: a second edit replaces the first, whatever the timing."""
    waiting = text("moderation_state = 'pending'")
    return Index(f"uq_{table}_waiting", column, unique=True, sqlite_where=waiting, postgresql_where=waiting)


# CommonMark without raw HTML; nh3 then enforces the allow-list whatever the parser emits.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True}).enable("table")
_ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "h2",
    "h3",
    "h4",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}


def render_markdown(text: str | None) -> Markup:
    """Markdown to sanitized HTML; links get rel="nofollow ugc noopener"."""
    if not text:
        return Markup("")
    html = _markdown.render(text)
    # Headings from users start at h2: the page's own title is the only h1.
    for level in (3, 2, 1):
        html = html.replace(f"<h{level}>", f"<h{level + 1}>").replace(f"</h{level}>", f"</h{level + 1}>")
    clean = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc noopener",
    )
    return Markup(clean)  # noqa: S704 (sanitized by nh3 just above)  # nosec B704


def flash_posted(item, *, waiting: str, published: str) -> None:
    """Tell the author whether the new post waits for a moderator or is public already."""
    from flask import flash

    flash(waiting if item.moderation_state == ModerationState.PENDING else published, "success")
