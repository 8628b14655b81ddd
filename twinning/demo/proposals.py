"""Demo proposals on all 17 goals in German, English and French, with supports, comments,
answers, co-sponsoring and items waiting for moderators. Idempotent: found by title."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert, or_, select
from sqlalchemy.orm import Session

from twinning.associations.models import (
    Association,
    AssociationStatus,
    LinkState,
    Membership,
    MembershipState,
    Partnership,
    Role,
)
from twinning.auth.models import User
from twinning.core.content import ModerationState
from twinning.core.db import utcnow
from twinning.demo.users import ensure_user
from twinning.proposals.models import (
    Comment,
    CoSponsorship,
    CoSponsorState,
    Lifecycle,
    Proposal,
    ProposalAnswer,
    Support,
    proposal_sdgs,
)
from twinning.topics.models import Theme

A, P = ModerationState.APPROVED, ModerationState.PENDING
OPEN, REVIEW, DONE, YES, NO = (
    Lifecycle.OPEN,
    Lifecycle.UNDER_REVIEW,
    Lifecycle.IMPLEMENTED,
    Lifecycle.ACCEPTED,
    Lifecycle.REJECTED,
)

# (space slug, author e-mail, title, summary, body, sdgs, theme slugs, budget, state, lifecycle, supports)
PROPOSALS = [
    (
        "aachen-reims",
        "paul@example.org",
        "Offene Fahrradwerkstatt am Kaiserplatz",
        "Eine Werkstatt, in der alle ihr Rad selbst reparieren können – mit Werkzeug und Hilfe.",
        "## Idee\n\nJeden Samstag reparieren wir gemeinsam Fahrräder.\n\n- Werkzeug stellt der Verein\n"
        "- Ehrenamtliche zeigen, wie es geht\n\nMehr Radverkehr heißt **weniger CO₂**.",
        [11, 13],
        ["klimaschutz"],
        2500,
        A,
        OPEN,
        7,
    ),
    (
        "aachen-reims",
        "ines@example.org",
        "Fairer Kaffee in allen Vereinsräumen",
        "Wir schenken bei allen Treffen nur noch fair gehandelten Kaffee aus.",
        "Aachen ist seit 2011 *Fairtrade-Stadt*. Unsere Treffen sollten das zeigen.",
        [8, 12],
        ["fairer-handel"],
        300,
        A,
        YES,
        9,
    ),
    (
        "aachen-kapstadt",
        "paul@example.org",
        "Schulpartnerschaft Aachen–Kapstadt zum Thema Wasser",
        "Zwei Schulklassen vergleichen ein Jahr lang, wie ihre Städte mit Wasser umgehen.",
        "Die Klassen tauschen sich per Video aus und besuchen sich einmal gegenseitig.",
        [4, 6, 17],
        ["bne", "jugend"],
        8000,
        A,
        REVIEW,
        5,
    ),
    (
        "aachen-tschernihiw",
        "ines@example.org",
        "Gemeinschaftsgarten für Geflüchtete und Nachbarn",
        "Ein Garten, in dem Menschen aus Tschernihiw und Aachen gemeinsam Gemüse anbauen.",
        "Gemeinsames Gärtnern verbindet – und bringt frisches Gemüse auf den Tisch.",
        [2, 10, 15],
        ["solidaritaet", "umwelt-artenvielfalt"],
        1200,
        A,
        DONE,
        11,
    ),
    (
        "aachen-reims",
        "paul@example.org",
        "Gesundheitstag mit den Partnerstädten",
        "Ein Tag mit Sport, Beratung und Austausch über Gesundheit in Aachen, Reims und Kapstadt.",
        "Mit Laufgruppe, Erste-Hilfe-Kurs und einem Vortrag über Gesundheitssysteme.",
        [3],
        ["sport"],
        900,
        A,
        OPEN,
        3,
    ),
    (
        "aachen-reims",
        "ines@example.org",
        "Mentoring für Frauen in Gründungen",
        "Erfahrene Unternehmerinnen begleiten Gründerinnen aus den Partnerstädten.",
        "Online-Treffen einmal im Monat, ein Präsenztreffen im Jahr.",
        [5, 8],
        ["wirtschaft-ausbildung"],
        None,
        A,
        OPEN,
        4,
    ),
    (
        "aachen-reims",
        "paul@example.org",
        "Solaranlage auf dem Vereinsheim",
        "Wir erzeugen unseren Strom selbst und zeigen, dass es geht.",
        "Kostenschätzung eines Fachbetriebs liegt vor. Förderung durch die Stadt ist möglich.",
        [7, 9, 13],
        ["klimaschutz"],
        14000,
        A,
        NO,
        2,
    ),
    (
        "aachen-reims",
        "ines@example.org",
        "Jugendforum Demokratie in Europa",
        "Junge Menschen aus vier Städten diskutieren ein Wochenende lang über Demokratie.",
        "Mit Planspiel, Besuch im Rathaus und einem gemeinsamen Abschlusspapier.",
        [16],
        ["demokratie-teilhabe", "jugend"],
        6000,
        P,
        OPEN,
        0,
    ),
    (
        "aachen-reims",
        "paul@example.org",
        "Reparatur-Café statt Wegwerfen",
        "Einmal im Monat reparieren wir Toaster, Lampen und Kleidung gemeinsam.",
        "Was repariert ist, landet nicht im Müll.",
        [12],
        ["klimaschutz"],
        400,
        P,
        OPEN,
        0,
    ),
    (
        "comite-jumelage-reims",
        "camille@example.org",
        "Semaine de la biodiversité à Reims et Aix-la-Chapelle",
        "Une semaine d'ateliers sur les abeilles, les haies et les jardins partagés dans les deux villes.",
        "Des ateliers pour les familles, une exposition et une plantation commune de haies.",
        [15, 14],
        ["umwelt-artenvielfalt"],
        3500,
        A,
        OPEN,
        4,
    ),
    (
        "comite-jumelage-reims",
        "camille@example.org",
        "Échange d'apprentis entre nos deux villes",
        "Des apprentis passent trois semaines dans une entreprise de la ville jumelée.",
        "L'échange est ouvert aux métiers de l'artisanat et de la restauration.",
        [8, 4],
        ["wirtschaft-ausbildung", "jugend"],
        12000,
        A,
        OPEN,
        2,
    ),
    (
        "comite-jumelage-reims",
        "camille@example.org",
        "Fête de la réconciliation franco-allemande",
        "Une fête populaire pour rappeler l'histoire de notre jumelage depuis l'après-guerre.",
        "Concerts, témoignages et cuisine des deux pays.",
        [16, 17],
        ["kultur-begegnung"],
        5000,
        A,
        OPEN,
        1,
    ),
    (
        "cape-town-aachen",
        "thandi@example.org",
        "Water-wise gardens for township schools",
        "Schools in Khayelitsha plant gardens that need little water, with help from Aachen volunteers.",
        "We start with three schools. Each gets rain tanks, seedlings and a teacher training.",
        [6, 2, 4],
        ["umwelt-artenvielfalt", "bne"],
        7000,
        A,
        OPEN,
        2,
    ),
    (
        "cape-town-aachen",
        "thandi@example.org",
        "Ending energy poverty: solar lamps for families",
        "Solar lamps for families without a reliable electricity supply.",
        "Local women sell and repair the lamps, which creates income too.",
        [1, 7],
        ["solidaritaet"],
        4000,
        A,
        OPEN,
        1,
    ),
    (
        "cape-town-aachen",
        "thandi@example.org",
        "Clean beaches, clean ocean",
        "Monthly beach clean-ups with school classes and a small exhibition on plastic in the sea.",
        "We count what we find and share the data with our partners.",
        [14],
        ["umwelt-artenvielfalt"],
        None,
        P,
        OPEN,
        0,
    ),
    (
        "aachen-tschernihiw",
        "olena@example.org",
        "Shelter and warmth: repairing homes in Chernihiv",
        "Volunteers repair windows and roofs of damaged homes before winter.",
        "Our partners in Aachen collect money and materials; we organise the teams on site.",
        [1, 11, 16],
        ["solidaritaet"],
        20000,
        A,
        OPEN,
        3,
    ),
    (
        "aachen-tschernihiw",
        "olena@example.org",
        "Affordable medicine for older people",
        "A fund that helps older people pay for the medicine they need.",
        "Pharmacies in Chernihiv take part and report every month.",
        [3, 10],
        ["solidaritaet"],
        5000,
        A,
        OPEN,
        2,
    ),
]

COMMENTS = [
    (
        "Offene Fahrradwerkstatt am Kaiserplatz",
        "ines@example.org",
        "Tolle Idee! Ich kann samstags helfen.",
        [("paul@example.org", "Danke, Ines – dann planen wir den ersten Termin im April.")],
    ),
    (
        "Offene Fahrradwerkstatt am Kaiserplatz",
        "camille@example.org",
        "À Reims, nous avons un atelier similaire. Nous pouvons partager nos expériences !",
        [],
    ),
    ("Fairer Kaffee in allen Vereinsräumen", "paul@example.org", "Gibt es auch fairen Tee?", []),
    (
        "Water-wise gardens for township schools",
        "paul@example.org",
        "Our school group in Aachen would love to join. Could we start with video calls?",
        [],
    ),
]
PENDING_COMMENT = (
    "Offene Fahrradwerkstatt am Kaiserplatz",
    "supporter1@example.org",
    "Können wir auch Lastenräder reparieren?",
)

ANSWERS = {
    "Fairer Kaffee in allen Vereinsräumen": "Der Vorstand hat zugestimmt: Ab dem nächsten Treffen gibt es fairen Kaffee.",
    "Schulpartnerschaft Aachen–Kapstadt zum Thema Wasser": "Wir sprechen mit zwei Schulen und melden uns im Herbst.",
    "Gemeinschaftsgarten für Geflüchtete und Nachbarn": "Der Garten ist angelegt – die erste Ernte war im September.",
    "Solaranlage auf dem Vereinsheim": "Das Dach trägt die Anlage leider nicht. Wir suchen einen anderen Ort.",
}

# Answers the board gave before the one above, oldest first: the proposal page keeps them all.
EARLIER_ANSWERS = {
    "Gemeinschaftsgarten für Geflüchtete und Nachbarn": [
        (Lifecycle.UNDER_REVIEW, "Der Vorstand prüft mit der Stadt, welche Fläche infrage kommt."),
        (
            Lifecycle.ACCEPTED,
            "Die Stadt stellt eine Fläche am Westpark zur Verfügung. Wir legen im Frühjahr los.",
        ),
    ],
}

# (email, name, locale, the space they belong to, what the README says of them)
PEOPLE = [
    ("paul@example.org", "Paul Wagner", "de", "aachen-reims", "member who posts proposals (Aachen)"),
    ("ines@example.org", "Ines Schäfer", "de", "aachen-reims", None),
    (
        "camille@example.org",
        "Camille Martin",
        "en",
        "comite-jumelage-reims",
        "member in Reims (French proposals)",
    ),
    ("thandi@example.org", "Thandi Nkosi", "en", "cape-town-aachen", None),
    ("olena@example.org", "Olena Kovalenko", "en", "aachen-tschernihiw", None),
] + [(f"supporter{n}@example.org", f"Unterstützerin {n}", "de", "aachen-reims", None) for n in range(1, 12)]
# Aachen's spaces, whose members support each other's proposals; elsewhere only the author does.
AACHEN_SPACES = {"aachen-reims", "aachen-kapstadt", "aachen-tschernihiw"}


def _association(session: Session, slug: str) -> Association | None:
    return session.scalar(
        select(Association).where(Association.slug == slug, Association.status == AssociationStatus.ACTIVE)
    )


def _ensure_member(session: Session, user: User, association: Association) -> None:
    found = session.scalar(
        select(Membership).where(Membership.user_id == user.id, Membership.association_id == association.id)
    )
    if found is None:
        session.add(
            Membership(
                user_id=user.id, association_id=association.id, role=Role.MEMBER, state=MembershipState.ACTIVE
            )
        )
        session.flush()


def _ensure_link(session: Session, first: Association, second: Association) -> None:
    """A confirmed partnership link, unless the associations' demo data made one already."""
    linked = session.scalar(
        select(Partnership.id).where(
            Partnership.link_state == LinkState.CONFIRMED,
            or_(
                (Partnership.association_id == first.id) & (Partnership.partner_association_id == second.id),
                (Partnership.association_id == second.id) & (Partnership.partner_association_id == first.id),
            ),
        )
    )
    if linked is None:
        session.add(
            Partnership(
                association_id=first.id,
                city=second.city,
                country=second.country,
                since_year=1967,
                partner_association_id=second.id,
                link_state=LinkState.CONFIRMED,
            )
        )
        session.flush()


def _by_title(session: Session, title: str) -> Proposal | None:
    return session.scalar(select(Proposal).where(Proposal.title == title))


def load(session: Session, shared_hash: str) -> list[tuple[str, str]]:
    """Create the demo proposals once; returns extra demo sign-ins."""
    spaces = {slug: _association(session, slug) for slug in {entry[0] for entry in PROPOSALS}}
    if spaces["aachen-reims"] is None:
        return []  # no demo associations to post in
    people: dict[str, User] = {}
    for email, name, locale, home, _role in PEOPLE:
        people[email] = ensure_user(session, email, name, locale, password_hash=shared_hash)
        if spaces.get(home) is not None:
            _ensure_member(session, people[email], spaces[home])
    themes = {t.slug: t for t in session.scalars(select(Theme))}
    supporters = [people[f"supporter{n}@example.org"] for n in range(1, 12)]
    now = utcnow()
    for age, (
        space,
        author,
        title,
        summary,
        body,
        sdgs,
        slugs,
        budget,
        state,
        lifecycle,
        supports,
    ) in enumerate(PROPOSALS):
        association = spaces.get(space)
        if association is None or _by_title(session, title) is not None:
            continue
        _ensure_member(session, people[author], association)
        created = now - timedelta(days=3 * (len(PROPOSALS) - age))
        proposal = Proposal(
            association_id=association.id,
            author_id=people[author].id,
            title=title,
            summary=summary,
            body=body,
            budget=budget,
            themes=[themes[s] for s in slugs if s in themes],
            moderation_state=state,
            lifecycle=lifecycle,
            created_at=created,
            published_at=created if state == A else None,
        )
        session.add(proposal)
        session.flush()
        session.execute(insert(proposal_sdgs), [{"proposal_id": proposal.id, "sdg": n} for n in sdgs])
        voters = supporters if space in AACHEN_SPACES else [people[author]]
        for voter in voters[:supports]:
            _ensure_member(session, voter, association)
            session.add(Support(proposal_id=proposal.id, user_id=voter.id))
        proposal.support_count = min(supports, len(voters))
        if title in ANSWERS:
            history = [*EARLIER_ANSWERS.get(title, []), (lifecycle, ANSWERS[title])]
            for step, (state_then, text) in enumerate(history):
                session.add(
                    ProposalAnswer(
                        proposal_id=proposal.id,
                        lifecycle=state_then,
                        answer=text,
                        created_at=created + timedelta(days=1 + step),
                    )
                )
            proposal.answer, proposal.answered_at = ANSWERS[title], created + timedelta(days=len(history))
    session.flush()
    _comments(session, people)
    _cosponsoring(session, spaces)
    return [(role, email) for email, _n, _l, _c, role in PEOPLE if role]


def _comments(session: Session, people: dict[str, User]) -> None:
    for title, author, body, replies in COMMENTS:
        proposal = _by_title(session, title)
        if (
            proposal is None
            or session.scalar(
                select(Comment.id).where(Comment.proposal_id == proposal.id, Comment.body == body)
            )
            is not None
        ):
            continue
        top = Comment(proposal_id=proposal.id, author_id=people[author].id, body=body)
        session.add(top)
        session.flush()
        for reply_author, reply_body in replies:
            session.add(
                Comment(
                    proposal_id=proposal.id,
                    author_id=people[reply_author].id,
                    parent_id=top.id,
                    body=reply_body,
                )
            )
        proposal.comment_count += 1 + len(replies)
    title, author, body = PENDING_COMMENT
    proposal = _by_title(session, title)
    if proposal is not None and session.scalar(select(Comment.id).where(Comment.body == body)) is None:
        session.add(
            Comment(
                proposal_id=proposal.id,
                author_id=people[author].id,
                body=body,
                moderation_state=ModerationState.PENDING,
            )
        )
    session.flush()


def _cosponsoring(session: Session, spaces: dict[str, Association | None]) -> None:
    """Reims co-sponsors two Aachen proposals, Aachen one of Reims; one invitation waits."""
    aachen, reims = spaces["aachen-reims"], spaces["comite-jumelage-reims"]
    if reims is None:
        return
    _ensure_link(session, aachen, reims)
    plan = [
        ("Offene Fahrradwerkstatt am Kaiserplatz", reims, CoSponsorState.ACCEPTED),
        ("Gesundheitstag mit den Partnerstädten", reims, CoSponsorState.ACCEPTED),
        ("Semaine de la biodiversité à Reims et Aix-la-Chapelle", aachen, CoSponsorState.ACCEPTED),
        ("Mentoring für Frauen in Gründungen", reims, CoSponsorState.INVITED),
    ]
    for title, partner, state in plan:
        proposal = _by_title(session, title)
        if proposal is None or any(c.association_id == partner.id for c in proposal.cosponsorships):
            continue
        session.add(
            CoSponsorship(
                proposal_id=proposal.id,
                association_id=partner.id,
                state=state,
                decided_at=utcnow() if state == CoSponsorState.ACCEPTED else None,
            )
        )
    session.flush()
