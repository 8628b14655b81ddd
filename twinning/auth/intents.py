"""An action a visitor started while signed out, remembered through sign-up, confirmation and sign-in.

Only a kind from the allow-list below and a whole-number id are kept (never a URL): each
feature registers how to resume its kind (``register``). Resuming may write, so it runs only in
the POST of sign-in and sign-up; the confirmation link (a GET) only leads to the offer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import session

SESSION_KEY = "intent"

# The rules whose refusal of a visitor is remembered: joining a group or an association,
# supporting a proposal, founding an association.
KINDS = ("group.join", "association.join", "proposal.support", "association.create")


@dataclass(frozen=True)
class Intent:
    kind: str
    target_id: int

    def as_dict(self) -> dict:
        return {"kind": self.kind, "id": self.target_id}


@dataclass(frozen=True)
class Resumed:
    """Where to land afterwards, what to tell, and whether the intent waits (e.g. for confirmation)."""

    url: str
    message: str | None = None
    keep: bool = False


# kind -> (resume(db_session, user, target_id) -> Resumed | None, offer_url(target_id) -> str | None)
_HANDLERS: dict[str, tuple[Callable, Callable]] = {}


def register(kind: str, resume: Callable, offer_url: Callable) -> None:
    if kind not in KINDS:
        raise ValueError(f"not a remembered kind: {kind}")
    _HANDLERS[kind] = (resume, offer_url)


def parse(value) -> Intent | None:
    """The intent in ``value`` if it is one of ours, else None: tampered values are ignored."""
    if not isinstance(value, dict):
        return None
    kind, target_id = value.get("kind"), value.get("id")
    if kind not in KINDS or kind not in _HANDLERS:
        return None
    if type(target_id) is not int or not 0 <= target_id < 2**31:
        return None
    return Intent(kind, target_id)


def remember(kind: str, obj=None) -> None:
    """Keep what the visitor tried (only kinds of the allow-list; others are not kept)."""
    if kind in KINDS:
        session[SESSION_KEY] = Intent(kind, getattr(obj, "id", 0) or 0).as_dict()


def pending() -> Intent | None:
    return parse(session.get(SESSION_KEY))


def keep(intent: Intent | None) -> None:
    if intent is not None:
        session[SESSION_KEY] = intent.as_dict()


def forget() -> None:
    session.pop(SESSION_KEY, None)


def resume(db_session, user, intent: Intent) -> Resumed | None:
    """Complete the intent if possible, else say where it is offered (called inside commit())."""
    return _HANDLERS[intent.kind][0](db_session, user, intent.target_id)


def offer_url(intent: Intent) -> str | None:
    """Where the intent is offered with one button; no writes (for the confirmation link)."""
    return _HANDLERS[intent.kind][1](intent.target_id)
