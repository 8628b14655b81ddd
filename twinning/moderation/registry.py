"""The kinds of content moderation works on, registered by the features that own them.

Moderation never imports proposals or groups: each feature registers a ``ContentKind``
for its content ("proposal", "comment", "thread", "reply") at import time, and the queue,
the decisions, reports and the audit log work through it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Select
from sqlalchemy.orm import Session

from twinning.core.content import ModerationState
from twinning.core.urls import path_for


@dataclass(frozen=True)
class ContentKind:
    name: str  # the <kind> in /a/<slug>/moderation/<kind>/<id> and /report/<kind>/<id>
    model: type  # a mapped class with moderation_state, moderation_reason, author_id, created_at
    # The association whose moderators decide on the item.
    association_id: Callable[[object], int]
    # A short, human title for the queue and the log ("Proposal: Fahrradwerkstatt …").
    title: Callable[[object], str]
    # Where the item is seen, as a path.
    url: Callable[[object], str]
    # Called after the moderation state changed (counters, published_at, notifications…).
    # The actor is None for the platform's own "auto_hide" after three reports.
    on_state_change: Callable[[Session, object, object, str], None] | None = None
    # Restrict a select() of ``model`` to one association's items in SQL (joins allowed), so
    # the queue finds every kind's waiting items in one query. Optional when the model has
    # its own ``association_id`` column, which is then used.
    in_association: Callable[[Select, int], Select] | None = None
    # Optional loader options (e.g. selectinload of what ``title``/``url`` read), so lists
    # of items do not load related rows one by one.
    load_options: tuple = ()
    # The page that lists the item (a proposal's association, a thread's group): where a
    # reporter goes back to once the item is hidden. Without it, ``url``.
    list_url: Callable[[object], str] | None = None
    # True for content of a network topic group, open to everyone: its reporters count
    # toward the auto-hide by their account's age and contributions, not by membership.
    network_wide: Callable[[object], bool] | None = None

    def author_url(self, item) -> str:
        """The page where the author reads their own item, its state and the reason, whatever the state."""
        return path_for("moderation.own_item", kind_name=self.name, item_id=item.id)

    def return_url(self, item) -> str:
        """Where someone who acted on the item goes next: the item while published, else its list."""
        if item.moderation_state == ModerationState.APPROVED or self.list_url is None:
            return self.url(item)
        return self.list_url(item)

    # Whether people can report items of this kind; a waiting change of a post cannot be:
    # what the public sees, and reports, is the post itself.
    reportable: bool = True


KINDS: dict[str, ContentKind] = {}


def register_kind(kind: ContentKind) -> None:
    """Called from a feature's ``init_app``; again for every app a process creates (tests), which
    replaces the kind. Two features claiming one name is a mistake, and refused."""
    known = KINDS.get(kind.name)
    if known is not None and known.model is not kind.model:
        raise ValueError(f"content kind {kind.name!r} registered for {known.model.__name__} already")
    KINDS[kind.name] = kind


def kind_or_none(name: str) -> ContentKind | None:
    return KINDS.get(name)
