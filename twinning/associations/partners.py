"""Partner cities: list them, and link two associations on the platform once both agree."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from twinning.associations.countries import is_country
from twinning.associations.members import admins_of
from twinning.associations.models import (
    Association,
    AssociationStatus,
    LinkState,
    Partnership,
    PartnershipKind,
)
from twinning.auth.models import User
from twinning.core.errors import InvalidState, NotAllowed, ValidationError
from twinning.core.urls import path_for
from twinning.notifications.services import notify
from twinning.permissions import can


def _require_manage(actor: User, association: Association) -> None:
    if not can(actor, "association.manage", association):
        raise NotAllowed(_l("Only the association's admins manage partner cities."))


def _check_partner(association: Association, partner: Association | None) -> None:
    if partner is None:
        return
    if partner.id == association.id:
        raise ValidationError(_l("An association cannot be its own partner."), "partner")
    if partner.status != AssociationStatus.ACTIVE:
        raise ValidationError(_l("Please choose one of the offered values."), "partner")


def _notify_link_request(session: Session, partnership: Partnership, partner: Association) -> None:
    association = partnership.association
    for admin in admins_of(session, partner):
        notify(
            session,
            admin,
            "association.link_requested",
            link=path_for("associations.partnerships", slug=partner.slug),
            association=association.name,
        )


def add_partnership(
    session: Session,
    actor: User,
    association: Association,
    *,
    city: str,
    country: str,
    kind: PartnershipKind,
    since_year: int | None = None,
    partner: Association | None = None,
) -> Partnership:
    """Add a partner city; naming the partner's association asks its admins to confirm the link."""
    _require_manage(actor, association)
    city = (city or "").strip()
    if not city:
        raise ValidationError(_l("Please enter the city."), "city")
    if not is_country(country):
        raise ValidationError(_l("Please choose a country from the list."), "country")
    if since_year is not None and not 800 <= since_year <= 2200:
        raise ValidationError(_l("Please enter a year between 800 and 2200."), "since_year")
    _check_partner(association, partner)
    partnership = Partnership(
        association_id=association.id,
        city=city,
        country=country,
        since_year=since_year,
        kind=PartnershipKind(kind),
    )
    session.add(partnership)
    session.flush()
    if partner is not None:
        request_link(session, actor, partnership, partner)
    return partnership


def request_link(session: Session, actor: User, partnership: Partnership, partner: Association) -> None:
    """Ask the partner association's admins to confirm that this partner city is theirs."""
    association = partnership.association
    _require_manage(actor, association)
    _check_partner(association, partner)
    if partnership.link_state == LinkState.CONFIRMED:
        raise InvalidState(_l("This partner city is already linked."))
    # The other side may have asked first: then this request confirms theirs.
    theirs = session.scalar(
        select(Partnership).where(
            Partnership.association_id == partner.id,
            Partnership.partner_association_id == association.id,
            Partnership.link_state == LinkState.REQUESTED,
        )
    )
    partnership.partner_association_id = partner.id
    if theirs is not None:
        partnership.link_state = LinkState.CONFIRMED
        theirs.link_state = LinkState.CONFIRMED
        session.flush()
        return
    partnership.link_state = LinkState.REQUESTED
    session.flush()
    _notify_link_request(session, partnership, partner)


def confirm_link(session: Session, actor: User, partnership: Partnership) -> Partnership:
    """The partner's admins confirm a request; both spaces then show each other."""
    partner = partnership.partner_association
    if partner is None or partnership.link_state != LinkState.REQUESTED:
        raise InvalidState(_l("There is no open link request."))
    _require_manage(actor, partner)
    partnership.link_state = LinkState.CONFIRMED
    association = partnership.association
    # Mirror the partnership on the confirming side, or link the entry it already has.
    mirror = session.scalar(
        select(Partnership).where(
            Partnership.association_id == partner.id, Partnership.partner_association_id == association.id
        )
    )
    if mirror is None:
        mirror = session.scalar(
            select(Partnership).where(
                Partnership.association_id == partner.id,
                Partnership.partner_association_id.is_(None),
                Partnership.city == association.city,
            )
        )
    if mirror is None:
        mirror = Partnership(
            association_id=partner.id,
            city=association.city,
            country=association.country,
            since_year=partnership.since_year,
            kind=partnership.kind,
        )
        session.add(mirror)
    mirror.partner_association_id = association.id
    mirror.link_state = LinkState.CONFIRMED
    session.flush()
    for admin in admins_of(session, association):
        notify(
            session,
            admin,
            "association.link_confirmed",
            link=path_for("associations.space", slug=association.slug),
            association=partner.name,
        )
    return mirror


def decline_link(session: Session, actor: User, partnership: Partnership) -> None:
    """The partner's admins decline a request; the partner city stays, unlinked."""
    partner = partnership.partner_association
    if partner is None or partnership.link_state != LinkState.REQUESTED:
        raise InvalidState(_l("There is no open link request."))
    _require_manage(actor, partner)
    partnership.partner_association_id = None
    partnership.link_state = LinkState.NONE
    session.flush()


def remove_partnership(session: Session, actor: User, partnership: Partnership) -> None:
    """Remove a partner city; a confirmed link is undone on the other side too."""
    association = partnership.association
    _require_manage(actor, association)
    if partnership.partner_association_id is not None and partnership.link_state == LinkState.CONFIRMED:
        for mirror in session.scalars(
            select(Partnership).where(
                Partnership.association_id == partnership.partner_association_id,
                Partnership.partner_association_id == association.id,
            )
        ):
            mirror.partner_association_id = None
            mirror.link_state = LinkState.NONE
    session.delete(partnership)
    session.flush()
