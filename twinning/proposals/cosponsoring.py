"""Co-sponsoring: the origin's admins invite a linked partner association; its admins decide."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from twinning.associations.members import admins_of
from twinning.associations.models import (
    Association,
    AssociationStatus,
    LinkState,
    Partnership,
)
from twinning.auth.models import User
from twinning.core.db import utcnow
from twinning.core.errors import InvalidState, NotAllowed, ValidationError
from twinning.notifications.services import notify
from twinning.permissions import can, can_manage
from twinning.proposals.models import CoSponsorship, CoSponsorState, Proposal
from twinning.proposals.services import proposal_path


def are_linked(session: Session, first_id: int, second_id: int) -> bool:
    """Whether a partnership both sides confirmed links the two associations (either way round)."""
    return (
        session.scalar(
            select(Partnership.id)
            .where(
                Partnership.link_state == LinkState.CONFIRMED,
                or_(
                    (Partnership.association_id == first_id)
                    & (Partnership.partner_association_id == second_id),
                    (Partnership.association_id == second_id)
                    & (Partnership.partner_association_id == first_id),
                ),
            )
            .limit(1)
        )
        is not None
    )


def invite_cosponsor(
    session: Session, actor: User, proposal: Proposal, partner: Association
) -> CoSponsorship:
    """Invite a linked partner association; its admins are notified."""
    if not can(actor, "proposal.cosponsor", proposal):
        raise NotAllowed(_l("Only admins of the proposing association can invite co-sponsors."))
    if (
        partner.id == proposal.association_id
        or partner.status != AssociationStatus.ACTIVE
        or not are_linked(session, proposal.association_id, partner.id)
    ):
        raise ValidationError(_l("Only linked partner associations can co-sponsor."), field="association")
    found = session.scalar(
        select(CoSponsorship).where(
            CoSponsorship.proposal_id == proposal.id, CoSponsorship.association_id == partner.id
        )
    )
    if found is not None and found.state != CoSponsorState.DECLINED:
        raise InvalidState(_l("This association has already been invited."), field="association")
    if found is None:
        found = CoSponsorship(proposal_id=proposal.id, association_id=partner.id)
        session.add(found)
    found.state = CoSponsorState.INVITED
    found.invited_by_id = actor.id
    found.decided_at = None
    session.flush()
    for admin in admins_of(session, partner):
        notify(
            session,
            admin,
            "proposal.cosponsor_invited",
            link=proposal_path(proposal),
            title=proposal.title,
            association=proposal.association.name,
        )
    return found


def decide_cosponsorship(
    session: Session, actor: User, cosponsorship: CoSponsorship, accept: bool
) -> CoSponsorship:
    """The partner's admins accept (the proposal then shows in both spaces) or decline."""
    if not can_manage(actor, cosponsorship.association_id):
        raise NotAllowed(_l("Only admins of the invited association can decide."))
    if cosponsorship.state != CoSponsorState.INVITED:
        raise InvalidState(_l("This invitation has already been answered."))
    cosponsorship.state = CoSponsorState.ACCEPTED if accept else CoSponsorState.DECLINED
    cosponsorship.decided_at = utcnow()
    session.flush()
    return cosponsorship
