"""Rate limits read from settings, and the keys they count under.

The numbers live in ``config.DEFAULTS`` (``LIMIT_*``), so an operator can change them
without touching code; every limit answers 429 with the friendly "too many attempts" page.
Limits are checked before the view runs (before ``login_required`` too), so a key falls
back to the address when nobody is signed in.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, current_app, request
from flask_login import current_user

from twinning.core.extensions import limiter


def setting(name: str) -> Callable[[], str]:
    """The limit named ``name`` in the app's settings, read when a request is checked."""
    return lambda: current_app.config[name]


def per_account(purpose: str) -> Callable[[], str]:
    """Count per signed-in account, wherever it posts from; per address for everyone else."""
    return lambda: f"{purpose}:{getattr(current_user, 'id', None) or request.remote_addr}"


def _posted(response: Response) -> bool:
    """Only what was accepted counts: a refused form or a preview costs nothing."""
    return response.status_code < 400 and "preview" not in request.form


def posting_limit(name: str):
    """Decorator: the POSTs of a view count against the account's ``name`` limit."""
    return limiter.limit(setting(name), key_func=per_account(name), methods=["POST"], deduct_when=_posted)
