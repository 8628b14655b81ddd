"""Sections this feature adds to lower pages: the space's latest proposals and open invitations to
co-sponsor, the profile's own proposals."""

from __future__ import annotations

from twinning.core import sections
from twinning.core.i18n import translated_labels
from twinning.permissions import can, is_signed_in
from twinning.proposals import queries
from twinning.proposals.forms import LIFECYCLE_LABELS


def space_section(association, viewer):
    """The latest five published proposals of the space, co-sponsored ones included."""
    latest = queries.latest_published(association.id, limit=5)
    return "proposals/_space_section.html", {
        "association": association,
        "proposals": latest,
        "sdgs": queries.sdgs_of([p.id for p in latest]),
        "may_post": can(viewer, "proposal.create", association),
        "lifecycle_labels": translated_labels(LIFECYCLE_LABELS),
    }


def cosponsor_invitations_section(association, viewer):
    """For the space's admins: proposals of partner associations that wait for their answer."""
    if not can(viewer, "association.manage", association):
        return None
    invitations = queries.open_cosponsor_invitations(association.id)
    if not invitations:
        return None
    return "proposals/_invitations_section.html", {"association": association, "invitations": invitations}


def profile_section(user, viewer):
    """The viewer's own proposals, with their moderation and lifecycle state."""
    if not is_signed_in(viewer) or viewer.id != user.id:
        return None
    mine = queries.proposals_by_author(user.id)
    if not mine:
        return None
    return "proposals/_profile_section.html", {
        "proposals": mine,
        "lifecycle_labels": translated_labels(LIFECYCLE_LABELS),
    }


def register_sections() -> None:
    sections.add("space", cosponsor_invitations_section, order=15)
    sections.add("space", space_section, order=20)
    sections.add("profile", profile_section, order=30)
