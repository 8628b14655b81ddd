"""What each kind of notification says, translated when shown (in the reader's language).

Features add their kinds here; placeholders come from ``Notification.params``.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l  # noqa: F401 (features' entries use it)

TEXTS: dict[str, object] = {}


def render(kind: str, params: dict) -> str:
    template = TEXTS.get(kind)
    if template is None:
        return kind
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(template)
