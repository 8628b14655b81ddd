"""Association use cases: found, decide, change settings. Each flushes and never commits."""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, insert, or_, select
from sqlalchemy.orm import Session

from twinning.associations.countries import is_country
from twinning.associations.models import (
    Association,
    AssociationSlug,
    AssociationStatus,
    JoinPolicy,
    Membership,
    MembershipState,
    ModerationPolicy,
    Role,
    association_sdgs,
)
from twinning.associations.slugs import is_numbered, like_prefix, name_key, slugify, unique_slug
from twinning.auth.models import User
from twinning.core.db import utcnow
from twinning.core.errors import InvalidState, NotAllowed, ValidationError
from twinning.core.mail import absolute_url, queue_mail
from twinning.core.urls import path_for
from twinning.notifications.services import notify
from twinning.permissions import can, forget_memberships
from twinning.topics.models import Theme


def _clean(text: str | None) -> str:
    return (text or "").strip()


def _taken_slugs(session: Session, association: Association | None) -> Callable[[str], list[str]]:
    """Slugs in use that start with ``base``: other associations' and every old slug that
    still redirects (except this association's own, which renaming back may take again)."""

    def taken(base: str) -> list[str]:
        current = select(Association.slug).where(
            or_(Association.slug == base, Association.slug.like(like_prefix(base)))
        )
        old = select(AssociationSlug.slug).where(
            or_(AssociationSlug.slug == base, AssociationSlug.slug.like(like_prefix(base)))
        )
        if association is not None:
            current = current.where(Association.id != association.id)
            old = old.where(AssociationSlug.association_id != association.id)
        return list(session.scalars(current.union_all(old)))

    return taken


def _check_name(session: Session, name: str, association: Association | None = None) -> str:
    """The slug for ``name``; refuses a name without letters or digits, or one that reads
    like another association's. A different name that merely spells alike ("Łódź", "Lodz";
    two Chinese names with the same pinyin) gets a numbered slug instead."""
    if not any(char.isalnum() for char in name):
        raise ValidationError(_l("The name needs at least one letter or digit."), "name")
    others = select(Association.name)
    if association is not None:
        others = others.where(Association.id != association.id)
    key = name_key(name)
    base = slugify(name)
    # Alike names share the slug's start, so only those few rows are read.
    if base:
        others = others.where(
            or_(
                func.lower(Association.name) == name.lower(),
                Association.slug == base,
                Association.slug.like(like_prefix(base)),
            )
        )
    else:
        others = others.where(func.lower(Association.name) == name.lower())
    names = list(session.scalars(others))
    if any(other.lower() == name.lower() for other in names):
        raise ValidationError(_l("An association with this name already exists."), "name")
    if any(name_key(other) == key for other in names):
        raise ValidationError(_l("An association with a very similar name already exists."), "name")
    if association is not None and association.name == name:
        return association.slug
    if association is not None and base and is_numbered(association.slug, base):
        return association.slug
    return unique_slug(name, _taken_slugs(session, association), fallback="association")


def _check_place(city: str, country: str) -> None:
    if not city:
        raise ValidationError(_l("Please enter the city."), "city")
    if not is_country(country):
        raise ValidationError(_l("Please choose a country from the list."), "country")


def _set_topics(session: Session, association: Association, theme_slugs: list[str], sdgs: list[int]) -> None:
    themes = (
        list(session.scalars(select(Theme).where(Theme.slug.in_(theme_slugs or [])))) if theme_slugs else []
    )
    association.themes = themes
    numbers = sorted({number for number in sdgs or [] if 1 <= number <= 17})
    session.execute(delete(association_sdgs).where(association_sdgs.c.association_id == association.id))
    if numbers:
        session.execute(
            insert(association_sdgs), [{"association_id": association.id, "sdg": n} for n in numbers]
        )


def sdgs_of(session: Session, association_ids: list[int]) -> dict[int, list[int]]:
    """The goals of several associations in one query."""
    result: dict[int, list[int]] = {aid: [] for aid in association_ids}
    if not association_ids:
        return result
    rows = session.execute(
        select(association_sdgs.c.association_id, association_sdgs.c.sdg)
        .where(association_sdgs.c.association_id.in_(association_ids))
        .order_by(association_sdgs.c.sdg)
    )
    for association_id, number in rows:
        result[association_id].append(number)
    return result


def create_association(
    session: Session,
    founder: User,
    *,
    name: str,
    city: str,
    country: str,
    description: str = "",
    website: str | None = None,
    join_policy: JoinPolicy = JoinPolicy.OPEN,
    logo: str | None = None,
    themes: list[str] | None = None,
    sdgs: list[int] | None = None,
) -> Association:
    """Found an association; it waits for a platform admin, and the founder is its admin."""
    if not can(founder, "association.create"):
        raise NotAllowed(_l("Please confirm your e-mail address before you register an association."))
    name, city = _clean(name), _clean(city)
    slug = _check_name(session, name)
    _check_place(city, country)
    association = Association(
        name=name,
        slug=slug,
        city=city,
        country=country,
        description=_clean(description),
        website=_clean(website) or None,
        join_policy=JoinPolicy(join_policy),
        logo=logo,
        status=AssociationStatus.PENDING,
        founder_id=founder.id,
    )
    session.add(association)
    session.flush()
    _set_topics(session, association, themes or [], sdgs or [])
    session.add(
        Membership(
            user_id=founder.id,
            association_id=association.id,
            role=Role.ADMIN,
            state=MembershipState.ACTIVE,
            decided_at=utcnow(),
        )
    )
    session.flush()
    forget_memberships()
    _alert_platform_admins(session, founder, association)
    return association


def _alert_platform_admins(session: Session, founder: User, association: Association) -> None:
    """Every platform admin (but the founder) learns that the association asks for approval."""
    admins = session.scalars(
        select(User).where(User.is_platform_admin.is_(True), User.id != founder.id).order_by(User.id)
    )
    link = path_for("admin.associations")
    for admin in admins:
        notify(
            session, admin, "association.registered", link=link, name=association.name, city=association.city
        )


def decide_association(
    session: Session, actor: User, association: Association, decision: str, reason: str = ""
) -> None:
    """A platform admin approves or declines a pending association; the founder is told."""
    if not can(actor, "association.decide", association):
        raise NotAllowed(_l("Only platform admins decide on new associations."))
    if association.status != AssociationStatus.PENDING:
        raise InvalidState(_l("This association has already been decided on."))
    reason = _clean(reason)
    if decision == "approve":
        association.status = AssociationStatus.ACTIVE
        association.approved_at = utcnow()
        association.status_reason = reason
    elif decision == "decline":
        if not reason:
            raise ValidationError(_l("Please give a reason when you decline."), "reason")
        association.status = AssociationStatus.DECLINED
        association.status_reason = reason
    else:
        raise ValidationError(_l("Please choose one of the offered values."), "decision")
    session.flush()
    founder = association.founder
    if founder is None:
        return
    approved = association.status == AssociationStatus.ACTIVE
    link = path_for("associations.space", slug=association.slug)
    notify(
        session,
        founder,
        "association.approved" if approved else "association.declined",
        link=link,
        mailed=True,
        name=association.name,
        reason=reason,
    )
    subject = (
        _l("Your association is now on Twinning") if approved else _l("Your association was not approved")
    )
    queue_mail(
        session,
        founder.email,
        subject,
        "association_decision",
        founder.locale,
        user=founder,
        association=association,
        approved=approved,
        reason=reason,
        link=absolute_url("associations.space", slug=association.slug),
    )


def update_settings(
    session: Session,
    actor: User,
    association: Association,
    *,
    name: str,
    city: str,
    country: str,
    description: str,
    website: str | None,
    join_policy: JoinPolicy,
    moderation_policy: ModerationPolicy,
    support_threshold: int | None,
    themes: list[str],
    sdgs: list[int],
    logo: str | None = None,
    remove_logo: bool = False,
    support_after_threshold: bool = True,
    change_address: bool = False,
) -> str | None:
    """Change an association's settings. Returns a replaced logo.

    The address (slug) changes only with the name and when the admin asks for it
    (``change_address``); the old address keeps leading to the new one.
    """
    if not can(actor, "association.manage", association):
        raise NotAllowed(_l("Only the association's admins change its settings."))
    name, city = _clean(name), _clean(city)
    slug = association.slug
    if name != association.name:
        new_slug = _check_name(session, name, association)
        if change_address:
            slug = new_slug
    _check_place(city, country)
    if support_threshold is not None and support_threshold < 1:
        raise ValidationError(_l("Please enter a number from 1 to 100,000."), "support_threshold")
    if slug != association.slug:
        # Keep the old address working; renaming back frees the old entry.
        session.execute(delete(AssociationSlug).where(AssociationSlug.slug == slug))
        session.add(AssociationSlug(slug=association.slug, association_id=association.id))
        association.slug = slug
    association.name = name
    association.city = city
    association.country = country
    association.description = _clean(description)
    association.website = _clean(website) or None
    association.join_policy = JoinPolicy(join_policy)
    association.moderation_policy = ModerationPolicy(moderation_policy)
    association.support_threshold = support_threshold
    association.support_after_threshold = bool(support_after_threshold)
    _set_topics(session, association, themes, sdgs)
    replaced = None
    if logo is not None or remove_logo:
        replaced = association.logo
        association.logo = logo
    session.flush()
    return replaced
