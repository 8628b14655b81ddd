"""Association services: founding, slugs, decisions, memberships, invitations, partnerships."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.factories import make_association, make_member, make_membership, make_user
from twinning.associations import members, partners, services
from twinning.associations.countries import country_name, is_country
from twinning.associations.models import (
    Association,
    AssociationSlug,
    AssociationStatus,
    Invitation,
    JoinPolicy,
    LinkState,
    Membership,
    MembershipState,
    ModerationPolicy,
    Partnership,
    PartnershipKind,
    Role,
)
from twinning.associations.slugs import slugify
from twinning.core.db import utcnow
from twinning.core.errors import InvalidState, NotAllowed, ValidationError
from twinning.notifications.models import Notification


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Städtepartnerschaft Aachen–Reims", "staedtepartnerschaft-aachen-reims"),
        ("Freundeskreis Aachen — Ningbo e.V.", "freundeskreis-aachen-ningbo-e-v"),
        ("Comité de Jumelage Montebelluna", "comite-de-jumelage-montebelluna"),
        ("Große Straße ÄÖÜ", "grosse-strasse-aeoeue"),
        ("🌍🌱", ""),
        ("x" * 200, "x" * 80),
    ],
)
def test_slugify(name, slug):
    assert slugify(name) == slug


def test_countries_come_from_babel():
    assert is_country("DE") and is_country("ZA") and is_country("UA")
    assert not any(is_country(code) for code in ("", "ZZ", "EU", "XX", "de", "DEU", "001"))
    assert country_name("DE", "de") == "Deutschland" and country_name("DE", "en") == "Germany"


def _found(session, founder, **fields):
    values = {"name": "Verein Aachen–Reims", "city": "Aachen", "country": "DE"} | fields
    return services.create_association(session, founder, **values)


def test_founding_makes_the_founder_admin_and_waits(session, ctx):
    founder = make_user(session)
    association = _found(session, founder, themes=["jugend"], sdgs=[4, 17, 99])
    assert association.status == AssociationStatus.PENDING
    assert association.slug == "verein-aachen-reims"
    membership = session.scalar(select(Membership).where(Membership.association_id == association.id))
    assert membership.user_id == founder.id and membership.role == Role.ADMIN
    assert [t.slug for t in association.themes] == ["jugend"]
    assert services.sdgs_of(session, [association.id]) == {association.id: [4, 17]}


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "🌍🌱"}, "name"),
        ({"country": "ZZ"}, "country"),
        ({"country": "XX"}, "country"),
        ({"city": "   "}, "city"),
    ],
)
def test_founding_refuses_bad_input(session, ctx, fields, field):
    with pytest.raises(ValidationError) as caught:
        _found(session, make_user(session), **fields)
    assert caught.value.field == field


def test_duplicate_names_and_slugs_are_refused(session, ctx):
    _found(session, make_user(session))
    for name in ("Verein Aachen–Reims", "verein aachen–reims", "Verein Aachen - Reims"):
        with pytest.raises(ValidationError):
            _found(session, make_user(session), name=name)


def test_unconfirmed_user_cannot_found(session, ctx):
    with pytest.raises(NotAllowed):
        _found(session, make_user(session, confirmed=False))


def test_decision_approves_or_declines_with_reason(session, ctx):
    founder = make_user(session)
    platform = make_user(session, platform_admin=True)
    association = _found(session, founder)
    with pytest.raises(NotAllowed):
        services.decide_association(session, founder, association, "approve")
    with pytest.raises(ValidationError):
        services.decide_association(session, platform, association, "decline", "  ")
    services.decide_association(session, platform, association, "approve")
    assert association.status == AssociationStatus.ACTIVE and association.approved_at
    assert (
        session.scalar(select(Notification.kind).where(Notification.user_id == founder.id))
        == "association.approved"
    )
    with pytest.raises(InvalidState):
        services.decide_association(session, platform, association, "decline", "late")


def _settings(association, **changes):
    values = dict(
        name=association.name,
        city=association.city,
        country=association.country,
        description="",
        website=None,
        join_policy=JoinPolicy.OPEN,
        moderation_policy=ModerationPolicy.ALL,
        support_threshold=None,
        themes=[],
        sdgs=[],
    )
    return values | changes


def test_rename_keeps_the_old_slug_and_renaming_back_frees_it(session, ctx):
    admin = make_user(session)
    association = make_association(session, name="Alter Name", slug="alter-name", admin=admin)
    services.update_settings(
        session, admin, association, **_settings(association, name="Neuer Name"), change_address=True
    )
    assert association.slug == "neuer-name"
    assert session.scalar(select(AssociationSlug.slug)) == "alter-name"
    services.update_settings(
        session, admin, association, **_settings(association, name="Alter Name"), change_address=True
    )
    assert association.slug == "alter-name"
    assert session.scalars(select(AssociationSlug.slug)).all() == ["neuer-name"]


def test_settings_are_for_admins_only(session, ctx):
    association = make_association(session, admin=make_user(session))
    moderator = make_member(session, association, Role.MODERATOR)
    with pytest.raises(NotAllowed):
        services.update_settings(session, moderator, association, **_settings(association))


def test_join_follows_the_policy(session, ctx):
    admin = make_user(session)
    open_one = make_association(session, admin=admin)
    approval = make_association(session, join_policy=JoinPolicy.APPROVAL, admin=admin)
    invite = make_association(session, join_policy=JoinPolicy.INVITE, admin=admin)
    user = make_user(session)
    assert members.join_association(session, user, open_one).state == MembershipState.ACTIVE
    assert members.join_association(session, user, approval).state == MembershipState.PENDING
    assert (
        session.scalar(select(Notification.kind).where(Notification.user_id == admin.id))
        == "association.join_requested"
    )
    with pytest.raises(NotAllowed):
        members.join_association(session, user, invite)
    with pytest.raises(InvalidState):
        members.join_association(session, user, open_one)


def test_requests_are_accepted_or_rejected_and_the_requester_told(session, ctx):
    admin = make_user(session)
    association = make_association(session, join_policy=JoinPolicy.APPROVAL, admin=admin)
    first, second = make_user(session), make_user(session)
    accepted = members.join_association(session, first, association)
    rejected = members.join_association(session, second, association)
    members.decide_join_request(session, admin, accepted, True)
    members.decide_join_request(session, admin, rejected, False)
    assert accepted.state == MembershipState.ACTIVE
    assert session.scalar(select(func.count()).where(Membership.user_id == second.id)) == 0
    kinds = set(
        session.scalars(select(Notification.kind).where(Notification.user_id.in_([first.id, second.id])))
    )
    assert kinds == {"association.request_accepted", "association.request_rejected"}


def test_the_last_admin_must_hand_over(session, ctx):
    admin = make_user(session)
    association = make_association(session, admin=admin)
    membership = session.scalar(select(Membership).where(Membership.user_id == admin.id))
    with pytest.raises(InvalidState):
        members.leave_association(session, admin, association)
    with pytest.raises(InvalidState):
        members.set_role(session, admin, membership, Role.MEMBER)
    successor = make_member(session, association)
    members.set_role(
        session,
        admin,
        session.scalar(select(Membership).where(Membership.user_id == successor.id)),
        Role.ADMIN,
    )
    members.leave_association(session, admin, association)
    assert session.get(Membership, membership.id) is None


def test_blocked_people_cannot_rejoin_until_unblocked(session, ctx):
    admin = make_user(session)
    association = make_association(session, admin=admin)
    user = make_member(session, association)
    membership = session.scalar(select(Membership).where(Membership.user_id == user.id))
    members.block_member(session, admin, membership)
    with pytest.raises(NotAllowed):
        members.join_association(session, user, association)
    with pytest.raises(InvalidState):
        members.block_member(session, admin, membership)
    with pytest.raises(InvalidState):
        members.block_member(
            session, admin, session.scalar(select(Membership).where(Membership.user_id == admin.id))
        )
    members.unblock_member(session, admin, membership)
    assert members.join_association(session, user, association).is_active


def test_invitations_are_single_use_and_expire(session, ctx):
    admin = make_user(session)
    association = make_association(session, join_policy=JoinPolicy.INVITE, admin=admin)
    invitation, token = members.create_invitation(session, admin, association, "guest@example.org")
    assert invitation.token_hash != token and len(invitation.token_hash) == 64
    guest = make_user(session)
    assert members.accept_invitation(session, guest, association, token).is_active
    with pytest.raises(InvalidState):
        members.accept_invitation(session, make_user(session), association, token)
    expired, old_token = members.create_invitation(session, admin, association)
    expired.expires_at = utcnow() - timedelta(seconds=1)
    with pytest.raises(InvalidState):
        members.accept_invitation(session, make_user(session), association, old_token)
    with pytest.raises(ValidationError):
        members.accept_invitation(session, make_user(session), association, "nonsense")
    other = make_association(session, admin=make_user(session))
    _other_invitation, other_token = members.create_invitation(session, admin, association)
    with pytest.raises(ValidationError):  # a token of A does not open B
        members.accept_invitation(session, make_user(session), other, other_token)
    with pytest.raises(NotAllowed):
        members.create_invitation(session, make_member(session, association), association)
    assert session.scalar(select(func.count()).select_from(Invitation)) == 3


def test_partnership_link_needs_both_sides(session, ctx):
    aachen_admin, reims_admin = make_user(session), make_user(session)
    aachen = make_association(session, name="Aachen", slug="aachen", admin=aachen_admin)
    reims = make_association(
        session, name="Reims", slug="reims", city="Reims", country="FR", admin=reims_admin
    )
    partnership = partners.add_partnership(
        session,
        aachen_admin,
        aachen,
        city="Reims",
        country="FR",
        kind=PartnershipKind.TWINNING,
        since_year=1967,
        partner=reims,
    )
    assert partnership.link_state == LinkState.REQUESTED
    assert (
        session.scalar(select(Notification.kind).where(Notification.user_id == reims_admin.id))
        == "association.link_requested"
    )
    with pytest.raises(NotAllowed):  # the asking side cannot confirm its own request
        partners.confirm_link(session, aachen_admin, partnership)
    mirror = partners.confirm_link(session, reims_admin, partnership)
    assert partnership.link_state == LinkState.CONFIRMED
    assert (mirror.association_id, mirror.partner_association_id, mirror.city) == (
        reims.id,
        aachen.id,
        "Aachen",
    )
    partners.remove_partnership(session, aachen_admin, partnership)
    assert mirror.link_state == LinkState.NONE and mirror.partner_association_id is None


def test_partnership_bad_input(session, ctx):
    admin = make_user(session)
    association = make_association(session, admin=admin)
    for fields in ({"city": " "}, {"country": "ZZ"}, {"since_year": 3000}, {"partner": association}):
        values = {"city": "Halifax", "country": "GB", "kind": PartnershipKind.TWINNING} | fields
        with pytest.raises(ValidationError):
            partners.add_partnership(session, admin, association, **values)
    pending = make_association(session, status=AssociationStatus.PENDING)
    with pytest.raises(ValidationError):
        partners.add_partnership(
            session, admin, association, city="X", country="FR", kind=PartnershipKind.CONTACT, partner=pending
        )
    assert session.scalar(select(func.count()).select_from(Partnership)) == 0
    assert session.scalar(select(func.count()).select_from(Association)) == 2
    make_membership(session, make_user(session), association)
