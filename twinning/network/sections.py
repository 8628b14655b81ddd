"""The space's "recent activity" section, with a link to the association's Atom feed."""

from __future__ import annotations

from twinning.core import sections
from twinning.network.activity import recent_activity

SPACE_ACTIVITY_ITEMS = 8


def space_activity(association, viewer) -> tuple[str, dict] | None:
    """Only active spaces have public activity; a pending space shows nothing here."""
    if not association.is_active:
        return None
    return "network/_space_activity.html", {
        "association": association,
        "items": recent_activity(association, limit=SPACE_ACTIVITY_ITEMS),
    }


def register_sections() -> None:
    sections.add("space", space_activity, order=60)
