"""What following a proposal means: its author and supporters follow it unless they turn it off."""

from __future__ import annotations

from sqlalchemy import select, union

from twinning.notifications.follows import Followable, register
from twinning.proposals.models import Proposal, Support


def _implied(proposal_id: int):
    return union(
        select(Proposal.author_id).where(Proposal.id == proposal_id, Proposal.author_id.is_not(None)),
        select(Support.user_id).where(Support.proposal_id == proposal_id),
    )


def register_followable() -> None:
    from twinning.proposals.services import proposal_path

    register(
        Followable(
            kind="proposal",
            model=Proposal,
            view_rule="proposal.view",
            implied=_implied,
            title=lambda proposal: proposal.title,
            path=proposal_path,
        )
    )
