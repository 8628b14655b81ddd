"""The groups' sections on lower floors' pages: an association's space and the profile."""

from __future__ import annotations

from twinning.core import sections
from twinning.groups import queries

SPACE_LIMIT = 6


def space_groups(association, viewer) -> tuple[str, dict]:
    """The association's groups on its space, with a link to all of them."""
    groups = queries.association_groups(association)
    return "groups/_space_section.html", {
        "association": association,
        "groups": groups[:SPACE_LIMIT],
        "total": len(groups),
    }


def my_groups(user, viewer) -> tuple[str, dict]:
    """'My groups' on the profile page."""
    return "groups/_profile_section.html", {"groups": queries.groups_of_user(user)}


def register_sections() -> None:
    sections.add("space", space_groups, order=30)
    sections.add("profile", my_groups, order=40)
