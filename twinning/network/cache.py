"""A small per-process cache for network-wide figures that are the same for every visitor.

Goal counts, the coverage matrix and the monthly activity each read every published
proposal or every support of the last year; they change slowly and nobody needs them to
the second, so each worker keeps them for ``NETWORK_CACHE_SECONDS`` (60 by default, 0 turns
the cache off). Only values that do not depend on who asks belong here, and only plain
data (no ORM objects: they belong to one request's session). docs/performance.md says
that these figures may be up to that long old.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app

T = TypeVar("T")
DEFAULT_SECONDS = 60
_EXTENSION = "twinning.network.cache"


def _store(app) -> dict[Hashable, tuple[float, object]]:
    return app.extensions.setdefault(_EXTENSION, {})


def cached(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, or what it gave less than NETWORK_CACHE_SECONDS ago for ``key``."""
    seconds = current_app.config.get("NETWORK_CACHE_SECONDS", DEFAULT_SECONDS)
    if not seconds:
        return compute()
    store = _store(current_app)
    now = time.monotonic()
    hit = store.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]  # type: ignore[return-value]
    value = compute()
    # Keys are a handful of names (the activity key carries its months), so dropping the
    # expired ones here is all the housekeeping needed. Two workers or two threads may
    # compute the same value at once; both results are right, the later one stays.
    for old in [k for k, (expires, _value) in store.items() if expires <= now]:
        store.pop(old, None)
    store[key] = (now + float(seconds), value)
    return value


def clear(app=None) -> None:
    """Forget every kept figure (tests; or after a bulk import, from a shell)."""
    _store(app or current_app).clear()
