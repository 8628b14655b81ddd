"""Which new content waits for a moderator, by the association's moderation policy."""

from __future__ import annotations

from twinning.associations.models import Association, ModerationPolicy
from twinning.core.content import ModerationState
from twinning.permissions import can_moderate

# "all": proposals and threads from members wait; "strict": comments and replies too.
_WAITS = {
    ModerationPolicy.ALL: {"proposal", "thread"},
    ModerationPolicy.STRICT: {"proposal", "thread", "comment", "reply"},
    ModerationPolicy.NONE: set(),
}


def initial_state(association: Association, author, kind: str) -> ModerationState:
    """Moderators and admins publish directly; others wait where the policy says so."""
    if can_moderate(author, association.id):
        return ModerationState.APPROVED
    if kind in _WAITS[association.moderation_policy]:
        return ModerationState.PENDING
    return ModerationState.APPROVED
