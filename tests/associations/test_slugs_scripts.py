"""Slugs from names in any script: readable, never empty, unique, within the length limit."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import sign_in
from tests.factories import make_association, make_user
from twinning.admin import services as admin_services
from twinning.associations import services
from twinning.associations.models import Association, AssociationSlug
from twinning.associations.slugs import MAX_SLUG_LENGTH, slugify, unique_slug
from twinning.core.errors import ValidationError


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        # The examples of the issue: each readable in Latin letters.
        ("Побратими Чернігів", "pobratimi-chernigiv"),
        ("Sarıyer", "sariyer"),
        ("Łódź", "lodz"),
        ("宁波友好协会", "zhu-bo-you-hao-xie-hui"),
        # German spelled out as before, so no existing address changes.
        ("Städtepartnerschaft Aachen–Reims", "staedtepartnerschaft-aachen-reims"),
        ("Große Straße ÄÖÜ", "grosse-strasse-aeoeue"),
        ("Partnerschaftskomitee Köln–Wolgograd", "partnerschaftskomitee-koeln-wolgograd"),
        ("Dostluk Derneği İstanbul", "dostluk-dernegi-istanbul"),
        ("Ελληνογερμανικός Σύλλογος", "ellenogermanikos-sullogos"),
    ],
)
def test_names_in_every_script_give_readable_slugs(name, slug):
    assert slugify(name) == slug


@pytest.mark.parametrize("name", ["Побратими Чернігів", "Sarıyer", "Łódź", "宁波友好协会"])
def test_founding_with_a_name_in_any_script(session, ctx, name):
    association = services.create_association(
        session, make_user(session), name=name, city="Kyiv", country="UA"
    )
    assert association.slug == slugify(name) and association.slug
    assert association.name == name


def test_a_name_no_transliteration_can_spell_gets_a_numbered_fallback(session, ctx):
    """Tifinagh and N'Ko are letters (so the name is accepted) that text-unidecode cannot spell."""
    first = services.create_association(
        session, make_user(session), name="ⵜⴰⵎⴰⵣⵉⵖⵜ", city="Agadir", country="MA"
    )
    second = services.create_association(session, make_user(session), name="ߒߞߏ", city="Kankan", country="GN")
    assert (first.slug, second.slug) == ("association", "association-2")


def test_names_that_only_spell_alike_get_numbered_slugs(session, ctx):
    lodz = services.create_association(session, make_user(session), name="Łódź", city="Łódź", country="PL")
    lodz_ascii = services.create_association(
        session, make_user(session), name="Lodz", city="Łódź", country="PL"
    )
    third = services.create_association(session, make_user(session), name="Лодзь", city="Łódź", country="PL")
    assert (lodz.slug, lodz_ascii.slug, third.slug) == ("lodz", "lodz-2", "lodz-3")


def test_alike_names_are_still_refused(session, ctx):
    services.create_association(session, make_user(session), name="宁波友好协会", city="Ningbo", country="CN")
    services.create_association(session, make_user(session), name="Łódź", city="Łódź", country="PL")
    for name in ("宁波 友好协会", "宁波友好协会", "ŁODZ!", "łódź"):
        with pytest.raises(ValidationError) as caught:
            services.create_association(session, make_user(session), name=name, city="Ningbo", country="CN")
        assert caught.value.field == "name"


def test_old_slugs_that_still_redirect_are_not_handed_out(session, ctx):
    admin = make_user(session)
    association = make_association(session, name="Sarıyer", slug="sariyer", admin=admin)
    services.update_settings(
        session,
        admin,
        association,
        name="Sarıyer Kardeş Şehir",
        city="İstanbul",
        country="TR",
        description="",
        website=None,
        join_policy="open",
        moderation_policy="all",
        support_threshold=None,
        themes=[],
        sdgs=[],
        change_address=True,
    )
    assert association.slug == "sariyer-kardes-sehir"
    assert session.scalar(select(AssociationSlug.slug)) == "sariyer"
    other = services.create_association(
        session, make_user(session), name="Sariyer", city="İstanbul", country="TR"
    )
    assert other.slug == "sariyer-2"


def test_editing_settings_keeps_a_numbered_slug(session, ctx):
    make_association(session, name="Lodz", slug="lodz")
    admin = make_user(session)
    association = services.create_association(session, admin, name="Łódź", city="Łódź", country="PL")
    assert association.slug == "lodz-2"
    for name in ("Łódź", "ŁÓDŹ"):
        services.update_settings(
            session,
            admin,
            association,
            name=name,
            city="Łódź",
            country="PL",
            description="Neu",
            website=None,
            join_policy="open",
            moderation_policy="all",
            support_threshold=None,
            themes=[],
            sdgs=[],
            change_address=True,
        )
        assert association.slug == "lodz-2"
    assert session.scalar(select(AssociationSlug)) is None


def test_long_names_respect_the_column_with_their_number(session, ctx):
    name = "宁波" * 60
    first = services.create_association(session, make_user(session), name=name, city="Ningbo", country="CN")
    second = services.create_association(
        session, make_user(session), name=name[:-1] + "市", city="Ningbo", country="CN"
    )
    assert len(first.slug) <= MAX_SLUG_LENGTH and len(second.slug) <= MAX_SLUG_LENGTH
    assert second.slug.endswith("-2") and first.slug != second.slug
    assert not first.slug.endswith("-") and "--" not in second.slug


def test_unique_slug_skips_truncated_collisions():
    taken = {"a" * 10, "a" * 8 + "-2"}

    def lookup(base):
        return [slug for slug in taken if slug == base or slug.startswith(base + "-")]

    assert unique_slug("a" * 20, lookup, fallback="x", max_length=10) == "a" * 8 + "-3"
    assert unique_slug("🌍", lookup, fallback="theme", max_length=10) == "theme"


def test_themes_get_slugs_from_any_script(session, ctx):
    admin = make_user(session, platform_admin=True)
    theme = admin_services.add_theme(session, admin, "Молодь", "Youth of Ukraine")
    assert theme.slug == "molod"
    fallback = admin_services.add_theme(session, admin, "ⵜⴰⵎⴰⵣⵉⵖⵜ", "Tamazight")
    assert fallback.slug == "theme"
    with pytest.raises(ValidationError):
        admin_services.add_theme(session, admin, "🌍🌱", "Emoji")


def test_founding_through_the_form_leads_to_the_readable_address(client, session):
    make_user(session, email="founder@example.org")
    sign_in(client, "founder@example.org")
    response = client.post(
        "/associations/new",
        data={"name": "Побратими Чернігів", "city": "Чернігів", "country": "UA", "join_policy": "open"},
    )
    assert response.status_code == 302
    session.expire_all()
    assert session.scalar(select(Association.slug)) == "pobratimi-chernigiv"
