"""Demo groups: a climate topic group hosted in Aachen, working groups, threads in several languages."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from twinning.associations.models import Association, AssociationStatus, Membership, MembershipState, Role
from twinning.auth.models import User
from twinning.core.content import ModerationState
from twinning.core.db import utcnow
from twinning.demo.users import ensure_user
from twinning.groups.models import Group, GroupMembership, GroupRole, OpenTo, Thread, ThreadReply, group_sdgs
from twinning.topics.models import Theme

CLIMATE_GROUP = "Klima-Jugend im Partnerschaftsnetz"
CLIMATE_DESCRIPTION = (
    "Junge Menschen aus Aachen, Reims, Kapstadt und Tschernihiw arbeiten gemeinsam für den Klimaschutz: "
    "Aktionstage, Wissen teilen, Projekte zwischen den Partnerstädten.\n\n"
    "Young people from Aachen, Reims, Cape Town and Chernihiv working together on climate action. "
    "Everyone is welcome — no association needed."
)
# People without any association who are already in the topic group.
UNAFFILIATED = [("lea@example.org", "Lea Hoffmann", "de"), ("sipho@example.org", "Sipho Dlamini", "en")]

# (author e-mail or "coordinator", title, body, replies [(author, body)]); the first waits for a moderator.
THREADS = [
    (
        "lea@example.org",
        "Kleidertausch-Party im Juni?",
        "Wie wäre es mit einer Kleidertausch-Party? Nachhaltiger Konsum (SDG 12) und ein schöner Abend.",
        [],
    ),
    (
        "coordinator",
        "Aktionstag Klimaschutz im Mai",
        "Wir planen einen gemeinsamen Aktionstag in allen Partnerstädten am **18. Mai**.\n\n"
        "- Aachen: Fahrraddemo\n- Reims: Baumpflanzung\n- Kapstadt: Wasser sparen\n\nWer macht mit?",
        [
            ("thandi@example.org", "Cape Town is in! We will focus on saving water (SDG 6)."),
            ("lea@example.org", "Super, ich helfe bei der Fahrraddemo."),
        ],
    ),
    (
        "thandi@example.org",
        "Sharing what works: water saving in Cape Town",
        "After Day Zero in 2018 we learned a lot about saving water. Happy to share our materials.",
        [],
    ),
    (
        "olena@example.org",
        "Сонячні панелі для шкіл у Чернігові",
        "Шукаємо партнерів для проєкту сонячних панелей на дахах шкіл. / "
        "We are looking for partners for solar panels on school roofs.",
        [],
    ),
]


# (association slug, name, description, themes, goals): working groups with a purpose of their own,
# in the associations' languages, rather than one copy of the same group in every association.
WORKING_GROUPS = [
    (
        "aachen-reims",
        "Jugendaustausch Aachen–Reims",
        "Wir planen den Schüler- und Jugendaustausch mit Reims: Gastfamilien, Programm und die Fahrt im Herbst.",
        ["jugend", "kultur-begegnung"],
        [4],
    ),
    (
        "aachen-reims",
        "Weinfest-Team",
        "Das Team bereitet das Weinfest mit unseren Freundinnen und Freunden aus Reims vor – Stände, Musik, Helferplan.",
        ["kultur-begegnung"],
        [],
    ),
    (
        "comite-jumelage-reims",
        "Mémoire et réconciliation",
        "Nous recueillons les témoignages des premières rencontres entre Rémois et Aixois après 1945.",
        ["kultur-begegnung", "demokratie-teilhabe"],
        [16],
    ),
    (
        "aachen-kapstadt",
        "AG Wasserprojekte",
        "Wir begleiten die Wasserprojekte mit Kapstädter Schulen: Spenden, Material und Besuche.",
        ["klimaschutz", "bne"],
        [6, 13],
    ),
    (
        "cape-town-aachen",
        "Schools water team",
        "Teachers and volunteers who run the water-wise gardens at our partner schools in Khayelitsha.",
        ["bne", "umwelt-artenvielfalt"],
        [4, 6],
    ),
    (
        "aachen-tschernihiw",
        "AG Hilfstransporte",
        "Wir sammeln Spenden und Material und planen die Hilfstransporte nach Tschernihiw.",
        ["solidaritaet"],
        [1, 11],
    ),
]


def _first_association(session: Session, city: str) -> Association | None:
    return session.scalar(
        select(Association)
        .where(Association.city == city, Association.status == AssociationStatus.ACTIVE)
        .order_by(Association.id)
    )


def _people_of(session: Session, association: Association, limit: int = 3) -> list[User]:
    return list(
        session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.association_id == association.id, Membership.state == MembershipState.ACTIVE)
            .order_by(Membership.role.desc(), User.id)
            .limit(limit)
        )
    )


def _admin_of(session: Session, association: Association) -> User | None:
    return session.scalar(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.association_id == association.id,
            Membership.state == MembershipState.ACTIVE,
            Membership.role.in_([Role.ADMIN, Role.MODERATOR]),
        )
        .order_by(Membership.role, User.id)
    )


def _ensure_group(
    session: Session,
    association: Association,
    name: str,
    description: str,
    open_to: OpenTo,
    coordinator: User | None,
    theme_slugs: list[str],
    sdgs: list[int],
) -> Group:
    group = session.scalar(select(Group).where(Group.association_id == association.id, Group.name == name))
    if group is None:
        group = Group(
            association_id=association.id,
            name=name,
            description=description,
            open_to=open_to,
            created_by_id=coordinator.id if coordinator else None,
        )
        group.themes = list(session.scalars(select(Theme).where(Theme.slug.in_(theme_slugs))))
        session.add(group)
        session.flush()
        if sdgs:
            session.execute(group_sdgs.insert(), [{"group_id": group.id, "sdg": n} for n in sdgs])
    if coordinator is not None:
        _ensure_member(session, group, coordinator, GroupRole.COORDINATOR)
    return group


def _ensure_member(session: Session, group: Group, user: User, role: GroupRole = GroupRole.MEMBER) -> None:
    exists = session.scalar(
        select(GroupMembership.id).where(
            GroupMembership.group_id == group.id, GroupMembership.user_id == user.id
        )
    )
    if exists is None:
        session.add(GroupMembership(group_id=group.id, user_id=user.id, role=role))
        session.flush()


def _recount(session: Session, group: Group) -> None:
    members = (
        select(func.count())
        .select_from(GroupMembership)
        .where(GroupMembership.group_id == group.id)
        .scalar_subquery()
    )
    session.execute(update(Group).where(Group.id == group.id).values(member_count=members))
    for thread in session.scalars(select(Thread).where(Thread.group_id == group.id)):
        thread.reply_count = session.scalar(
            select(func.count())
            .select_from(ThreadReply)
            .where(
                ThreadReply.thread_id == thread.id, ThreadReply.moderation_state == ModerationState.APPROVED
            )
        )


def _ensure_threads(session: Session, group: Group, coordinator: User) -> None:
    for author_email, title, body, replies in THREADS:
        author = (
            coordinator
            if author_email == "coordinator"
            else session.scalar(select(User).where(User.email == author_email))
        )
        if author is None or session.scalar(
            select(Thread.id).where(Thread.group_id == group.id, Thread.title == title)
        ):
            continue
        _ensure_member(session, group, author)
        thread = Thread(
            group_id=group.id,
            author_id=author.id,
            title=title,
            body=body,
            moderation_state=ModerationState.PENDING if title == THREADS[0][1] else ModerationState.APPROVED,
            last_activity_at=utcnow(),
            pinned=author is coordinator,
        )
        session.add(thread)
        session.flush()
        for reply_email, text in replies:
            replier = session.scalar(select(User).where(User.email == reply_email))
            if replier is not None:
                _ensure_member(session, group, replier)
                session.add(ThreadReply(thread_id=thread.id, author_id=replier.id, body=text))
    session.flush()


def load(session: Session, shared_hash: str) -> list[tuple[str, str]]:
    """Create the demo groups once; returns extra demo sign-ins."""
    aachen = _first_association(session, "Aachen")
    if aachen is None:
        return []  # the associations' demo data is not there: nothing to host groups
    coordinator = _admin_of(session, aachen)
    climate = _ensure_group(
        session,
        aachen,
        CLIMATE_GROUP,
        CLIMATE_DESCRIPTION,
        OpenTo.EVERYONE,
        coordinator,
        ["klimaschutz", "jugend"],
        [7, 13],
    )
    for city in ("Reims", "Cape Town", "Chernihiv", "Kapstadt", "Tschernihiw"):
        partner = _first_association(session, city)
        if partner is not None:
            for person in _people_of(session, partner, limit=2):
                _ensure_member(session, climate, person)
    for email, name, locale in UNAFFILIATED:
        _ensure_member(session, climate, ensure_user(session, email, name, locale, password_hash=shared_hash))
    for email in ("thandi@example.org", "olena@example.org"):
        user = session.scalar(select(User).where(User.email == email))
        if user is not None:
            _ensure_member(session, climate, user)
    if coordinator is not None:
        _ensure_threads(session, climate, coordinator)
    _recount(session, climate)

    for slug, name, description, theme_slugs, sdgs in WORKING_GROUPS:
        association = session.scalar(
            select(Association).where(
                Association.slug == slug, Association.status == AssociationStatus.ACTIVE
            )
        )
        if association is None:
            continue
        group = _ensure_group(
            session,
            association,
            name,
            description,
            OpenTo.MEMBERS,
            _admin_of(session, association),
            theme_slugs,
            sdgs,
        )
        for person in _people_of(session, association):
            _ensure_member(session, group, person)
        _recount(session, group)
    return [("topic group member without association", "lea@example.org")]
