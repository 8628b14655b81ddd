"""Loading associations for views."""

from __future__ import annotations

from flask import abort, redirect, request
from flask_login import current_user
from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from twinning.associations.models import (
    Association,
    AssociationSlug,
    AssociationStatus,
    Invitation,
    LinkState,
    Membership,
    MembershipState,
    Partnership,
    Role,
    association_sdgs,
)
from twinning.auth.models import User
from twinning.core.db import utcnow
from twinning.core.extensions import db
from twinning.core.pagination import PAGE_SIZE, Page, paginate
from twinning.permissions import can
from twinning.topics.models import Theme


def association_by_slug(slug: str) -> Association | None:
    return db.session.scalar(select(Association).where(Association.slug == slug))


def association_or_404(slug: str, *, visible: bool = False) -> Association:
    """The association of ``/a/<slug>/…``, the one loader of every such page.

    A former slug redirects to the current address (301; 307 for a form posted to it). A
    slug with control characters (NUL breaks PostgreSQL) is simply not there. ``visible``:
    also 404 unless the viewer may see the association (a pending one shows to its admins
    only); without it the caller decides, e.g. with ``require``, which may say 403.
    """
    if not slug.isprintable():
        abort(404)
    association = association_by_slug(slug)
    if association is not None:
        if visible and not can(current_user, "association.view", association):
            abort(404)
        return association
    old = db.session.scalar(select(AssociationSlug).where(AssociationSlug.slug == slug[:80]))
    if old is None:
        abort(404)
    current = db.session.get(Association, old.association_id)
    path = request.full_path.rstrip("?").replace(f"/a/{slug}", f"/a/{current.slug}", 1)
    # A form loaded before a rename posts to the old address: 307 sends the same POST on.
    abort(redirect(path, code=301 if request.method in ("GET", "HEAD") else 307))


def member_counts(association_ids: list[int]) -> dict[int, int]:
    """Active members per association, in one grouped query."""
    if not association_ids:
        return {}
    rows = db.session.execute(
        select(Membership.association_id, func.count())
        .where(Membership.association_id.in_(association_ids), Membership.state == MembershipState.ACTIVE)
        .group_by(Membership.association_id)
    )
    counts = dict.fromkeys(association_ids, 0)
    counts.update({association_id: count for association_id, count in rows})
    return counts


def directory(q: str = "", theme: str = "", sdg: int | None = None, country: str = "", page: int = 1) -> Page:
    """Active associations matching the filters, one page of them."""
    query = select(Association).where(Association.status == AssociationStatus.ACTIVE)
    if q:
        pattern = "%" + q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            or_(
                func.lower(Association.name).like(pattern, escape="\\"),
                func.lower(Association.city).like(pattern, escape="\\"),
            )
        )
    if theme:
        query = query.where(Association.themes.any(Theme.slug == theme))
    if sdg:
        query = query.where(
            Association.id.in_(select(association_sdgs.c.association_id).where(association_sdgs.c.sdg == sdg))
        )
    if country:
        query = query.where(Association.country == country)
    return paginate(
        query,
        page,
        order_by=(Association.name,),
        options=(selectinload(Association.themes), selectinload(Association.partnerships)),
    )


_ROLE_ORDER = case((Membership.role == Role.ADMIN, 0), (Membership.role == Role.MODERATOR, 1), else_=2)


def membership_or_404(association: Association, user_id: int) -> Membership:
    """A membership of *this* association; ids of other associations' members give 404."""
    found = db.session.scalar(
        select(Membership)
        .options(joinedload(Membership.user))
        .where(Membership.association_id == association.id, Membership.user_id == user_id)
    )
    if found is None:
        abort(404)
    return found


def memberships_by_state(
    association: Association,
    state: MembershipState,
    page: int = 1,
) -> Page:
    query = select(Membership).where(Membership.association_id == association.id, Membership.state == state)
    return paginate(
        query.join(Membership.user),
        page,
        order_by=(_ROLE_ORDER, User.display_name, User.id),
        options=(joinedload(Membership.user),),
    )


def open_invitations(association: Association) -> list[Invitation]:
    return list(
        db.session.scalars(
            select(Invitation)
            .where(
                Invitation.association_id == association.id,
                Invitation.used_at.is_(None),
                Invitation.expires_at > utcnow(),
            )
            .order_by(Invitation.created_at.desc())
            .limit(PAGE_SIZE)
        )
    )


def invitation_or_404(association: Association, invitation_id: int) -> Invitation:
    found = db.session.get(Invitation, invitation_id)
    if found is None or found.association_id != association.id:
        abort(404)
    return found


def partnership_or_404(association: Association, partnership_id: int) -> Partnership:
    found = db.session.get(Partnership, partnership_id)
    if found is None or found.association_id != association.id:
        abort(404)
    return found


def incoming_link_or_404(association: Association, partnership_id: int) -> Partnership:
    """A link request another association sent to this one."""
    found = db.session.get(Partnership, partnership_id)
    if (
        found is None
        or found.partner_association_id != association.id
        or found.link_state != LinkState.REQUESTED
    ):
        abort(404)
    return found


def partnerships_of(association: Association) -> list[Partnership]:
    return list(
        db.session.scalars(
            select(Partnership)
            .options(joinedload(Partnership.partner_association))
            .where(Partnership.association_id == association.id)
            .order_by(Partnership.city, Partnership.id)
        )
    )


def incoming_link_requests(association: Association) -> list[Partnership]:
    return list(
        db.session.scalars(
            select(Partnership)
            .options(joinedload(Partnership.association))
            .where(
                Partnership.partner_association_id == association.id,
                Partnership.link_state == LinkState.REQUESTED,
            )
            .order_by(Partnership.id)
        )
    )


def possible_partners(association: Association) -> list[Association]:
    return list(
        db.session.scalars(
            select(Association)
            .where(Association.status == AssociationStatus.ACTIVE, Association.id != association.id)
            .order_by(Association.name)
        )
    )


def active_association_by_slug(slug: str) -> Association | None:
    return db.session.scalar(
        select(Association).where(Association.slug == slug, Association.status == AssociationStatus.ACTIVE)
    )


def my_memberships(user) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership)
            .options(joinedload(Membership.association))
            .join(Membership.association)
            .where(Membership.user_id == user.id)
            .order_by(Association.name)
        )
    )


def pending_associations(page: int = 1) -> Page:
    query = select(Association).where(Association.status == AssociationStatus.PENDING)
    return paginate(
        query, page, order_by=(Association.created_at,), options=(joinedload(Association.founder),)
    )


def countries_in_use() -> list[str]:
    return list(
        db.session.scalars(
            select(Association.country)
            .where(Association.status == AssociationStatus.ACTIVE)
            .distinct()
            .order_by(Association.country)
        )
    )
