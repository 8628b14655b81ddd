"""Builders the network tests share: goals on groups and associations, supports, dates."""

from __future__ import annotations

from datetime import datetime

from twinning.associations.models import Association, association_sdgs
from twinning.auth.models import User
from twinning.groups.models import Group, group_sdgs
from twinning.proposals.models import Proposal, Support


def give_group_goals(session, group: Group, *numbers: int) -> Group:
    for number in numbers:
        session.execute(group_sdgs.insert().values(group_id=group.id, sdg=number))
    return group


def give_association_goals(session, association: Association, *numbers: int) -> Association:
    for number in numbers:
        session.execute(association_sdgs.insert().values(association_id=association.id, sdg=number))
    return association


def support(session, proposal: Proposal, user: User, at: datetime | None = None) -> Support:
    row = Support(proposal_id=proposal.id, user_id=user.id)
    if at is not None:
        row.created_at = at
    session.add(row)
    proposal.support_count += 1
    session.flush()
    return row
