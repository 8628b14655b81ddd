"""Demo associations: Aachen's real partner cities, fictional associations, every role, one pending."""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from twinning.associations.models import (
    Association,
    AssociationStatus,
    JoinPolicy,
    LinkState,
    Membership,
    MembershipState,
    Partnership,
    PartnershipKind,
    Role,
    association_sdgs,
)
from twinning.core.db import utcnow
from twinning.demo.users import ensure_user
from twinning.topics.models import Theme

# (slug, name, city, country, policy, partner city kind, since, themes, goals, description)
ASSOCIATIONS = [
    (
        "aachen-reims",
        "Städtepartnerschaft Aachen–Reims",
        "Aachen",
        "DE",
        JoinPolicy.OPEN,
        PartnershipKind.TWINNING,
        1967,
        ["kultur-begegnung", "jugend"],
        [4, 16, 17],
        "Seit 1967 verbinden wir Menschen aus Aachen und Reims: Schüleraustausch, Chorreisen, Weinfeste.",
    ),
    (
        "comite-jumelage-reims",
        "Comité de jumelage Reims–Aix-la-Chapelle",
        "Reims",
        "FR",
        JoinPolicy.APPROVAL,
        PartnershipKind.TWINNING,
        1967,
        ["kultur-begegnung"],
        [17],
        "Le comité fait vivre le jumelage entre Reims et Aix-la-Chapelle.",
    ),
    (
        "aachen-halifax",
        "Freundeskreis Aachen–Halifax",
        "Aachen",
        "DE",
        JoinPolicy.OPEN,
        PartnershipKind.TWINNING,
        1979,
        ["kultur-begegnung", "sport"],
        [3],
        "Begegnungen mit Halifax in West Yorkshire, von Fußball bis Brass Band.",
    ),
    (
        "aachen-toledo",
        "Städtepartnerschaft Aachen–Toledo",
        "Aachen",
        "DE",
        JoinPolicy.APPROVAL,
        PartnershipKind.TWINNING,
        1985,
        ["kultur-begegnung", "bne"],
        [4, 11],
        "Kulturelle Brücken zwischen Aachen und Toledo.",
    ),
    (
        "aachen-montebelluna",
        "Amici di Montebelluna",
        "Aachen",
        "DE",
        JoinPolicy.OPEN,
        PartnershipKind.FRIENDSHIP,
        1986,
        ["wirtschaft-ausbildung"],
        [8],
        "Ausbildungspartnerschaften mit der Schuhregion Montebelluna.",
    ),
    (
        "aachen-naumburg",
        "Partnerschaftsverein Aachen–Naumburg",
        "Aachen",
        "DE",
        JoinPolicy.OPEN,
        PartnershipKind.TWINNING,
        1988,
        ["demokratie-teilhabe", "kultur-begegnung"],
        [16],
        "Deutsch-deutsche Freundschaft seit den Tagen vor dem Mauerfall.",
    ),
    (
        "aachen-ningbo",
        "Freundeskreis Aachen–Ningbo",
        "Aachen",
        "DE",
        JoinPolicy.INVITE,
        PartnershipKind.TWINNING,
        1986,
        ["wirtschaft-ausbildung", "klimaschutz"],
        [7, 9],
        "Wissenschaft, Wirtschaft und Klimaschutz mit Ningbo.",
    ),
    (
        "aachen-arlington",
        "Aachen–Arlington Sister City Friends",
        "Aachen",
        "DE",
        JoinPolicy.OPEN,
        PartnershipKind.TWINNING,
        1993,
        ["jugend", "demokratie-teilhabe"],
        [16],
        "Schüler- und Bürgeraustausch mit Arlington, Virginia.",
    ),
    (
        "aachen-kapstadt",
        "Klimapartnerschaft Aachen–Kapstadt",
        "Aachen",
        "DE",
        JoinPolicy.OPEN,
        PartnershipKind.CLIMATE,
        2017,
        ["klimaschutz", "fairer-handel"],
        [6, 13, 17],
        "Gemeinsame Projekte zu Wasser und Klima mit Kapstadt.",
    ),
    (
        "cape-town-aachen",
        "Cape Town–Aachen Water Partnership",
        "Cape Town",
        "ZA",
        JoinPolicy.OPEN,
        PartnershipKind.CLIMATE,
        2017,
        ["klimaschutz"],
        [6],
        "Community water projects in Cape Town with partners in Aachen.",
    ),
    (
        "aachen-tschernihiw",
        "Solidaritätspartnerschaft Aachen–Tschernihiw",
        "Aachen",
        "DE",
        JoinPolicy.OPEN,
        PartnershipKind.SOLIDARITY,
        2022,
        ["solidaritaet"],
        [1, 3, 16],
        "Hilfe und Austausch mit Tschernihiw in der Ukraine.",
    ),
]
PARTNER_CITY = {  # the partner city each Aachen association lists
    "aachen-reims": ("Reims", "FR"),
    "aachen-halifax": ("Halifax", "GB"),
    "aachen-toledo": ("Toledo", "ES"),
    "aachen-montebelluna": ("Montebelluna", "IT"),
    "aachen-naumburg": ("Naumburg", "DE"),
    "aachen-ningbo": ("Ningbo", "CN"),
    "aachen-arlington": ("Arlington", "US"),
    "aachen-kapstadt": ("Kapstadt", "ZA"),
    "aachen-tschernihiw": ("Tschernihiw", "UA"),
    "comite-jumelage-reims": ("Aachen", "DE"),
    "cape-town-aachen": ("Aachen", "DE"),
}
LINKED = [("aachen-reims", "comite-jumelage-reims"), ("aachen-kapstadt", "cape-town-aachen")]

# (email, name, locale, {slug: role}, state) — members in every role
PEOPLE = [
    (
        "marie@example.org",
        "Marie Lefèvre-Schmitz",
        "de",
        {"aachen-reims": Role.ADMIN, "aachen-kapstadt": Role.MEMBER},
    ),
    ("jonas@example.org", "Jonas Becker", "de", {"aachen-kapstadt": Role.MEMBER}),
    ("thandi@example.org", "Thandi Nkosi", "en", {"cape-town-aachen": Role.ADMIN}),
    ("olena@example.org", "Olena Kovalenko", "en", {"aachen-tschernihiw": Role.MODERATOR}),
    ("moderator@example.org", "Paul Moderator", "de", {"aachen-reims": Role.MODERATOR}),
    (
        "member@example.org",
        "Mia Mitglied",
        "de",
        {"aachen-reims": Role.MEMBER, "aachen-halifax": Role.MEMBER},
    ),
    ("claire@example.org", "Claire Dubois", "en", {"comite-jumelage-reims": Role.ADMIN}),
    (
        "board@example.org",
        "Vorstand Partnerschaften",
        "de",
        {
            slug: Role.ADMIN
            for slug, *_rest in ASSOCIATIONS
            if slug not in ("aachen-reims", "comite-jumelage-reims", "cape-town-aachen")
        },
    ),
]


def _association(session: Session, slug: str) -> Association | None:
    return session.scalar(select(Association).where(Association.slug == slug))


def _member(
    session: Session,
    user,
    association: Association,
    role: Role,
    state: MembershipState = MembershipState.ACTIVE,
) -> None:
    found = session.scalar(
        select(Membership).where(Membership.user_id == user.id, Membership.association_id == association.id)
    )
    if found is None:
        session.add(
            Membership(
                user_id=user.id, association_id=association.id, role=role, state=state, decided_at=utcnow()
            )
        )


def load(session: Session, shared_hash: str) -> list[tuple[str, str]]:
    """Create the demo associations once; returns extra demo sign-ins."""
    themes = {theme.slug: theme for theme in session.scalars(select(Theme))}
    board = ensure_user(
        session, "board@example.org", "Vorstand Partnerschaften", "de", password_hash=shared_hash
    )
    for slug, name, city, country, policy, _kind, _since, theme_slugs, goals, text in ASSOCIATIONS:
        if _association(session, slug) is not None:
            continue
        association = Association(
            slug=slug,
            name=name,
            city=city,
            country=country,
            join_policy=policy,
            description=text,
            status=AssociationStatus.ACTIVE,
            approved_at=utcnow(),
            founder_id=board.id,
            themes=[themes[t] for t in theme_slugs if t in themes],
        )
        session.add(association)
        session.flush()
        session.execute(
            insert(association_sdgs), [{"association_id": association.id, "sdg": g} for g in goals]
        )
        partner_city, partner_country = PARTNER_CITY[slug]
        session.add(
            Partnership(
                association_id=association.id,
                city=partner_city,
                country=partner_country,
                since_year=_since,
                kind=_kind,
            )
        )
    session.flush()
    for here, there in LINKED:
        a, b = _association(session, here), _association(session, there)
        for one, other in ((a, b), (b, a)):
            for partnership in one.partnerships:
                if partnership.partner_association_id is None:
                    partnership.partner_association_id = other.id
                    partnership.link_state = LinkState.CONFIRMED
    for email, name, locale, roles in PEOPLE:
        user = ensure_user(session, email, name, locale, password_hash=shared_hash)
        for slug, role in roles.items():
            _member(session, user, _association(session, slug), role)
    # A join request waiting, and a blocked member, so the member page has something to show.
    reims = _association(session, "comite-jumelage-reims")
    _member(
        session,
        ensure_user(session, "jonas@example.org", "Jonas Becker", "de", password_hash=shared_hash),
        reims,
        Role.MEMBER,
        MembershipState.PENDING,
    )
    blocked = ensure_user(session, "blocked@example.org", "Bernd Gesperrt", "de", password_hash=shared_hash)
    _member(session, blocked, _association(session, "aachen-reims"), Role.MEMBER, MembershipState.BLOCKED)
    # One association still waits for a platform admin.
    founder = ensure_user(session, "founder@example.org", "Fritz Gründer", "de", password_hash=shared_hash)
    if _association(session, "aachen-montreux-initiative") is None:
        pending = Association(
            slug="aachen-montreux-initiative",
            name="Initiative Aachen–Montreux",
            city="Aachen",
            country="DE",
            description="Eine neue Initiative, die noch auf Freigabe wartet.",
            status=AssociationStatus.PENDING,
            founder_id=founder.id,
        )
        session.add(pending)
        session.flush()
        _member(session, founder, pending, Role.ADMIN)
    session.flush()
    return [
        ("association admin (Reims)", "claire@example.org"),
        ("moderator (Aachen–Reims)", "moderator@example.org"),
        ("member (Aachen–Reims)", "member@example.org"),
        ("admin of many associations", "board@example.org"),
        ("blocked member", "blocked@example.org"),
        ("founder, awaiting approval", "founder@example.org"),
    ]
