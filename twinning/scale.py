"""Large synthetic data for load tests and query budgets: ``twinning seed-scale``.

Bulk inserts with explicit ids (no ORM objects, no flush per row) so 200,000 supports
load in seconds; the same ``--seed`` gives the same data on a fresh database. Counters
(support_count, comment_count, member_count) are computed here, exactly as the services
would have kept them.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from datetime import timedelta

import click
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from twinning.associations.models import Association, Membership, association_sdgs, association_themes
from twinning.auth.models import User
from twinning.core.db import utcnow
from twinning.groups.models import Group, GroupMembership, group_sdgs, group_themes
from twinning.proposals.models import Comment, Proposal, Support, proposal_sdgs, proposal_themes
from twinning.topics.models import Theme

CHUNK = 5_000
CITIES = [
    ("Aachen", "DE"),
    ("Reims", "FR"),
    ("Halifax", "GB"),
    ("Toledo", "ES"),
    ("Montebelluna", "IT"),
    ("Naumburg", "DE"),
    ("Ningbo", "CN"),
    ("Arlington", "US"),
    ("Kapstadt", "ZA"),
    ("Tschernihiw", "UA"),
]
FIRST = [
    "Anna",
    "Jonas",
    "Marie",
    "Lukas",
    "Sophie",
    "Thandi",
    "Olena",
    "Pierre",
    "Chloé",
    "Taras",
    "Lerato",
    "Mateo",
    "Giulia",
    "Wei",
    "Emily",
    "Karim",
    "Ines",
    "Bohdan",
    "Léa",
    "Sipho",
]
LAST = [
    "Becker",
    "Schmitz",
    "Lefèvre",
    "Nkosi",
    "Kovalenko",
    "Martin",
    "Rossi",
    "García",
    "Smith",
    "Zhang",
    "Dubois",
    "Shevchenko",
    "Müller",
    "Dlamini",
    "Bianchi",
    "Wagner",
    "Moreau",
    "Bondarenko",
]
TOPICS = [
    "Fahrradwerkstatt",
    "Schulpartnerschaft",
    "Klimafrühstück",
    "Wasserfilter",
    "Jugendaustausch",
    "Solarprojekt",
    "Fairtrade-Markt",
    "Baumpflanzaktion",
    "Bürgerdialog",
    "Sprachcafé",
]


class AlreadySeeded(Exception):
    """The database already holds scale data."""


def _chunks(rows: list[dict]) -> Iterator[list[dict]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


def _insert(session: Session, target, rows: list[dict], label: str, progress: bool) -> None:
    if not rows:
        return
    chunks: Iterable[list[dict]] = list(_chunks(rows))
    if progress:
        with click.progressbar(chunks, label=f"{label:<18}", show_pos=True) as bar:
            for chunk in bar:
                session.execute(insert(target), chunk)
    else:
        for chunk in chunks:
            session.execute(insert(target), chunk)


def _next_id(session: Session, model) -> int:
    return (session.scalar(select(func.max(model.id))) or 0) + 1


def seed_scale(
    session: Session,
    *,
    associations: int,
    users: int,
    proposals: int,
    supports: int,
    seed: int = 1,
    password_hash: str,
    progress: bool = False,
    add_to_existing: bool = False,
) -> dict[str, int]:
    """Insert synthetic associations, users, memberships, proposals, supports, comments, groups.

    ``add_to_existing`` grows an earlier scale data set (query-budget tests measure a page
    at one size and again at ten times the size).
    """
    if not add_to_existing and session.scalar(
        select(func.count()).where(User.email.like("scale%@example.org"))
    ):
        raise AlreadySeeded()
    rnd = random.Random(seed)  # repeatable synthetic data, not secrets  # nosec B311
    now = utcnow()
    theme_ids = list(session.scalars(select(Theme.id)))

    def some_time_ago(days: int = 730):
        return now - timedelta(days=rnd.random() * days)

    user_base = _next_id(session, User)
    user_rows = [
        {
            "id": user_base + i,
            "email": f"scale{user_base + i}@example.org",
            "display_name": f"{rnd.choice(FIRST)} {rnd.choice(LAST)}",
            "password_hash": password_hash,
            "locale": rnd.choice(["de", "de", "en"]),
            "bio": "",
            "email_confirmed_at": now,
            "is_platform_admin": False,
            "session_version": 1,
            "created_at": some_time_ago(),
        }
        for i in range(users)
    ]
    user_ids = [row["id"] for row in user_rows]

    association_base = _next_id(session, Association)
    association_rows, association_topic_rows, association_goal_rows = [], [], []
    for i in range(associations):
        city, country = CITIES[i % len(CITIES)]
        aid = association_base + i
        association_rows.append(
            {
                "id": aid,
                "slug": f"scale-{aid}",
                "name": f"Partnerschaftsverein {city} {aid}",
                "city": city,
                "country": country,
                "description": "Ein Verein für Begegnung und Zusammenarbeit.",
                "join_policy": "open",
                "moderation_policy": "all",
                "status": "active",
                "status_reason": "",
                "created_at": some_time_ago(),
                "approved_at": now,
            }
        )
        association_topic_rows += [
            {"association_id": aid, "theme_id": t} for t in rnd.sample(theme_ids, k=min(2, len(theme_ids)))
        ]
        association_goal_rows += [{"association_id": aid, "sdg": g} for g in rnd.sample(range(1, 18), k=3)]
    association_ids = [row["id"] for row in association_rows]

    members: dict[int, list[int]] = {aid: [] for aid in association_ids}
    membership_rows = []
    for uid in user_ids:
        for aid in rnd.sample(association_ids, k=min(len(association_ids), rnd.randint(1, 3))):
            members[aid].append(uid)
    for aid, uids in members.items():
        for position, uid in enumerate(uids):
            role = "admin" if position == 0 else "moderator" if position in (1, 2) else "member"
            membership_rows.append(
                {
                    "user_id": uid,
                    "association_id": aid,
                    "role": role,
                    "state": "active",
                    "created_at": some_time_ago(),
                    "last_active_at": some_time_ago(90),
                }
            )

    proposal_base = _next_id(session, Proposal)
    proposal_rows, proposal_topic_rows, proposal_goal_rows = [], [], []
    for i in range(proposals):
        pid = proposal_base + i
        aid = rnd.choice(association_ids)
        created = some_time_ago()
        approved = rnd.random() < 0.92
        proposal_rows.append(
            {
                "id": pid,
                "association_id": aid,
                "author_id": rnd.choice(members[aid] or user_ids),
                "title": f"{rnd.choice(TOPICS)} {pid}",
                "summary": "Lorem ipsum dolor sit amet " * 6,
                "body": "Wir schlagen vor, gemeinsam mit unserer Partnerstadt **etwas** zu bewegen.",
                "moderation_state": "approved" if approved else "pending",
                "moderation_reason": "",
                "lifecycle": rnd.choice(
                    ["open"] * 6 + ["under_review", "accepted", "rejected", "implemented"]
                ),
                "answer": "",
                "support_count": 0,
                "comment_count": 0,
                "created_at": created,
                "updated_at": created,
                "published_at": created if approved else None,
            }
        )
        proposal_topic_rows.append({"proposal_id": pid, "theme_id": rnd.choice(theme_ids)})
        proposal_goal_rows += [{"proposal_id": pid, "sdg": g} for g in rnd.sample(range(1, 18), k=2)]

    # Supports: members of the proposal's association, each at most once per proposal.
    published = [row for row in proposal_rows if row["moderation_state"] == "approved"]
    supporters: dict[int, set[int]] = {row["id"]: set() for row in published}
    support_rows: list[dict] = []
    while len(support_rows) < supports:
        before = len(support_rows)
        for row in published:
            wanted = supports - len(support_rows)
            if wanted <= 0:
                break
            done = supporters[row["id"]]
            fresh = [uid for uid in members[row["association_id"]] if uid not in done]
            for uid in rnd.sample(fresh, k=min(wanted, rnd.randint(1, 40), len(fresh))):
                done.add(uid)
                support_rows.append(
                    {"proposal_id": row["id"], "user_id": uid, "created_at": some_time_ago(365)}
                )
        if len(support_rows) == before:
            break  # every member already supports every proposal of their association
    for row in published:
        row["support_count"] = len(supporters[row["id"]])

    comment_rows = []
    for _ in range(supports // 10):
        row = rnd.choice(published)
        comment_rows.append(
            {
                "proposal_id": row["id"],
                "author_id": rnd.choice(members[row["association_id"]]),
                "body": "Gute Idee, ich bin dabei!",
                "moderation_state": "approved",
                "moderation_reason": "",
                "created_at": some_time_ago(365),
            }
        )
        row["comment_count"] += 1

    group_base = _next_id(session, Group)
    group_rows, group_member_rows, group_topic_rows, group_goal_rows = [], [], [], []
    for i, aid in enumerate(association_ids * 3):
        gid = group_base + i
        pool = members[aid]
        joined = rnd.sample(pool, k=min(len(pool), rnd.randint(3, 25))) if pool else []
        group_rows.append(
            {
                "id": gid,
                "association_id": aid,
                "name": f"{rnd.choice(TOPICS)}-Gruppe {gid}",
                "description": "Wir treffen uns einmal im Monat.",
                "open_to": "everyone" if i % 3 == 0 else "members",
                "member_count": len(joined),
                "created_at": some_time_ago(),
            }
        )
        group_member_rows += [
            {
                "group_id": gid,
                "user_id": uid,
                "role": "coordinator" if n == 0 else "member",
                "created_at": some_time_ago(365),
            }
            for n, uid in enumerate(joined)
        ]
        group_topic_rows.append({"group_id": gid, "theme_id": rnd.choice(theme_ids)})
        group_goal_rows.append({"group_id": gid, "sdg": rnd.randint(1, 17)})

    plan = [
        (User, user_rows, "users"),
        (Association, association_rows, "associations"),
        (association_themes, association_topic_rows, "association themes"),
        (association_sdgs, association_goal_rows, "association goals"),
        (Membership, membership_rows, "memberships"),
        (Proposal, proposal_rows, "proposals"),
        (proposal_themes, proposal_topic_rows, "proposal themes"),
        (proposal_sdgs, proposal_goal_rows, "proposal goals"),
        (Support, support_rows, "supports"),
        (Comment, comment_rows, "comments"),
        (Group, group_rows, "groups"),
        (GroupMembership, group_member_rows, "group members"),
        (group_themes, group_topic_rows, "group themes"),
        (group_sdgs, group_goal_rows, "group goals"),
    ]
    for target, rows, label in plan:
        _insert(session, target, rows, label, progress)
    if session.get_bind().dialect.name == "postgresql":
        # Explicit ids leave the serial sequences behind; move them past the new rows.
        for model in (User, Association, Proposal, Group):
            session.execute(
                select(
                    func.setval(
                        func.pg_get_serial_sequence(model.__tablename__, "id"),
                        select(func.max(model.id)).scalar_subquery(),
                    )
                )
            )
    return {label: len(rows) for _target, rows, label in plan}
