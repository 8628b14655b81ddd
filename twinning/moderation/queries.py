"""The moderation queue, reported items, forwarded items and the audit log, in few queries."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from textwrap import shorten

from sqlalchemy import Select, and_, bindparam, func, literal, select, union_all
from sqlalchemy.orm import Session, aliased, selectinload

from twinning.associations.models import Association, Membership
from twinning.auth.models import User
from twinning.core.content import ModerationState
from twinning.core.pagination import PAGE_SIZE, Page, offset
from twinning.moderation.models import Decision, ModerationAction, Report
from twinning.moderation.registry import KINDS, ContentKind


@dataclass
class QueueEntry:
    """One item as the queue, the forwarded list and the log show it."""

    kind: ContentKind
    item: object
    author: User | None = None
    waiting_since: datetime | None = None
    report_count: int = 0
    reasons: Counter = field(default_factory=Counter)
    texts: list[str] = field(default_factory=list)
    association: Association | None = None
    # Since when the author is a member of the association (the queue shows it).
    member_since: datetime | None = None
    # The decisions possible for the item now (the queue offers them inline).
    decisions: list = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        """Which of the kind labels the queue shows: a comment answering a comment is a reply."""
        if self.kind.name == "comment" and getattr(self.item, "parent_id", None) is not None:
            return "comment_reply"
        return self.kind.name

    @property
    def excerpt(self) -> str:
        """The start of what the author wrote, on one line."""
        for attribute in ("summary", "body"):
            text = getattr(self.item, attribute, None)
            if text:
                return shorten(text, 200, placeholder=" …")
        return ""

    @property
    def key(self) -> str:
        return f"{self.kind.name}:{self.item.id}"

    @property
    def title(self) -> str:
        return self.kind.title(self.item)

    @property
    def url(self) -> str:
        return self.kind.url(self.item)


def in_association(kind: ContentKind, query: Select, association_id) -> Select:
    """Restrict a select() of the kind's model to one association in SQL."""
    if kind.in_association is not None:
        return kind.in_association(query, association_id)
    if hasattr(kind.model, "association_id"):
        return query.where(kind.model.association_id == association_id)
    raise TypeError(f"content kind {kind.name!r} has no association_id column and gives no in_association")


def _users_by_id(session: Session, ids) -> dict[int, User]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return {user.id: user for user in session.scalars(select(User).where(User.id.in_(ids)))}


def load_items(session: Session, keys) -> dict[tuple[str, int], object]:
    """Items by (kind, id): one query per kind, whatever the number of items."""
    wanted: dict[str, set[int]] = {}
    for kind_name, item_id in keys:
        if kind_name in KINDS:
            wanted.setdefault(kind_name, set()).add(item_id)
    found: dict[tuple[str, int], object] = {}
    for kind_name, ids in wanted.items():
        kind = KINDS[kind_name]
        query = select(kind.model).where(kind.model.id.in_(ids)).options(*kind.load_options)
        for item in session.scalars(query):
            found[(kind_name, item.id)] = item
    return found


def pending(session: Session, association: Association, page: int = 1) -> Page:
    """Items waiting for a decision, oldest first, across every registered kind.

    One query over every kind's (kind, id, created_at) counts them and one picks the page,
    so only the page's own items are loaded (one query per kind), not a page of each kind.
    """
    if not KINDS:
        return Page([], page, 0)
    count, first_rows = _pending_statements(tuple(KINDS))
    params = {"association_id": association.id}
    total = session.scalar(count, params) or 0
    rows = session.execute(first_rows, {**params, "limit": PAGE_SIZE, "offset": offset(page)}).all()
    items = load_items(session, [(row.kind, row.item_id) for row in rows])
    entries = [
        QueueEntry(KINDS[row.kind], item, waiting_since=item.created_at)
        for row in rows
        if (item := items.get((row.kind, row.item_id))) is not None
    ]
    _add_authors(session, entries)
    _add_member_since(session, association, entries)
    return Page(entries, page, total)


def _add_member_since(session: Session, association: Association, entries: list[QueueEntry]) -> None:
    """How long each author has been a member of the association, in one query for the page."""
    ids = {entry.author.id for entry in entries if entry.author is not None}
    if not ids:
        return
    rows = session.execute(
        select(Membership.user_id, Membership.decided_at, Membership.created_at).where(
            Membership.association_id == association.id, Membership.user_id.in_(ids)
        )
    ).all()
    since = {row.user_id: row.decided_at or row.created_at for row in rows}
    for entry in entries:
        if entry.author is not None:
            entry.member_since = since.get(entry.author.id)


def associations_by_name(session: Session, ids: list[int]) -> list[Association]:
    return list(
        session.scalars(select(Association).where(Association.id.in_(ids)).order_by(Association.name))
    )


def _waiting_everywhere(association_ids: list[int]):
    """Every waiting (association_id, kind, id, created_at) of the associations, as one subquery."""
    parts = []
    for association_id in association_ids:
        for kind in KINDS.values():
            keys = select(
                literal(association_id).label("association_id"),
                literal(kind.name).label("kind"),
                kind.model.id.label("item_id"),
                kind.model.created_at.label("waiting_since"),
            ).where(kind.model.moderation_state == ModerationState.PENDING)
            parts.append(in_association(kind, keys, association_id))
    return union_all(*parts).subquery()


def waiting_counts(session: Session, association_ids: list[int]) -> dict[int, int]:
    """How many items wait in each of the associations, in one query (the header's badge)."""
    if not association_ids or not KINDS:
        return {}
    waiting = _waiting_everywhere(sorted(association_ids))
    rows = session.execute(
        select(waiting.c.association_id, func.count()).group_by(waiting.c.association_id)
    ).all()
    return {association_id: count for association_id, count in rows}


def first_waiting(session: Session, association_ids: list[int], per_association: int = 3) -> dict[int, list]:
    """The oldest waiting items of each association, in one query plus one per kind shown."""
    if not association_ids or not KINDS:
        return {}
    waiting = _waiting_everywhere(sorted(association_ids))
    rank = (
        func.row_number()
        .over(
            partition_by=waiting.c.association_id,
            order_by=(waiting.c.waiting_since, waiting.c.kind, waiting.c.item_id),
        )
        .label("rank")
    )
    ranked = select(waiting.c.association_id, waiting.c.kind, waiting.c.item_id, rank).subquery()
    rows = session.execute(
        select(ranked.c.association_id, ranked.c.kind, ranked.c.item_id)
        .where(ranked.c.rank <= per_association)
        .order_by(ranked.c.association_id, ranked.c.rank)
    ).all()
    items = load_items(session, [(row.kind, row.item_id) for row in rows])
    found: dict[int, list[QueueEntry]] = {}
    for row in rows:
        item = items.get((row.kind, row.item_id))
        if item is not None:
            found.setdefault(row.association_id, []).append(
                QueueEntry(KINDS[row.kind], item, waiting_since=item.created_at)
            )
    _add_authors(session, [entry for entries in found.values() for entry in entries])
    return found


@lru_cache(maxsize=4)
def _pending_statements(kind_names: tuple[str, ...]) -> tuple[Select, Select]:
    """The count and the page of every kind's waiting (kind, id, created_at), built once.

    The association, limit and offset are bound parameters: a union of four joined selects
    costs more to build and to derive SQLAlchemy's cache key for than to run.
    """
    parts = []
    for name in kind_names:
        kind = KINDS[name]
        keys = select(
            literal(kind.name).label("kind"),
            kind.model.id.label("item_id"),
            kind.model.created_at.label("waiting_since"),
        ).where(kind.model.moderation_state == ModerationState.PENDING)
        parts.append(in_association(kind, keys, bindparam("association_id")))
    waiting = union_all(*parts).subquery()
    count = select(func.count()).select_from(waiting)
    first_rows = (
        select(waiting.c.kind, waiting.c.item_id)
        .order_by(waiting.c.waiting_since, waiting.c.kind, waiting.c.item_id)
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )
    return count, first_rows


def _add_authors(session: Session, entries: list[QueueEntry]) -> None:
    authors = _users_by_id(session, (getattr(e.item, "author_id", None) for e in entries))
    for entry in entries:
        entry.author = authors.get(getattr(entry.item, "author_id", None))


def pending_count(session: Session, association: Association) -> int:
    """How many items of every kind wait for a decision."""
    if not KINDS:
        return 0
    count, _first_rows = _pending_statements(tuple(KINDS))
    return session.scalar(count, {"association_id": association.id}) or 0


def reported(session: Session, association: Association, page: int = 1) -> Page:
    """Items with open reports, the longest-reported first, with counts and reasons."""
    grouped = (
        select(
            Report.kind, Report.item_id, func.count().label("n"), func.min(Report.created_at).label("first")
        )
        .where(Report.association_id == association.id, Report.resolved_at.is_(None))
        .group_by(Report.kind, Report.item_id)
    )
    total = session.scalar(select(func.count()).select_from(grouped.subquery())) or 0
    groups = session.execute(
        grouped.order_by("first", Report.kind, Report.item_id).limit(PAGE_SIZE).offset(offset(page))
    ).all()
    keys = [(row.kind, row.item_id) for row in groups]
    if not keys:
        return Page([], page, total)
    details = session.execute(
        select(Report.kind, Report.item_id, Report.reason, Report.text).where(
            Report.association_id == association.id,
            Report.resolved_at.is_(None),
            Report.item_id.in_({item_id for _, item_id in keys}),
        )
    ).all()
    items = load_items(session, keys)
    entries = []
    for row in groups:
        item = items.get((row.kind, row.item_id))
        if item is None:
            continue  # its feature no longer registers it, or it was deleted
        entry = QueueEntry(KINDS[row.kind], item, waiting_since=row.first, report_count=row.n)
        for detail in details:
            if (detail.kind, detail.item_id) == (row.kind, row.item_id):
                entry.reasons[detail.reason] += 1
                if detail.text:
                    entry.texts.append(detail.text)
        entries.append(entry)
    _add_authors(session, entries)
    return Page(entries, page, total)


def latest_decision(session: Session, kind_name: str, item_id: int) -> Decision | None:
    """The item's most recent moderation action (a forward, an automatic hide…), if any."""
    return session.scalar(
        select(ModerationAction.decision)
        .where(ModerationAction.kind == kind_name, ModerationAction.item_id == item_id)
        .order_by(ModerationAction.id.desc())
        .limit(1)
    )


def item_history(session: Session, kind: ContentKind, item) -> list[ModerationAction]:
    """What moderators decided about one item, newest first."""
    query = (
        select(ModerationAction)
        .where(ModerationAction.kind == kind.name, ModerationAction.item_id == item.id)
        .options(selectinload(ModerationAction.actor))
        .order_by(ModerationAction.id.desc())
    )
    return list(session.scalars(query))


@dataclass
class LogEntry:
    action: ModerationAction
    actor: User | None
    association: Association | None
    title: str
    url: str


def audit_log(session: Session, association: Association | None, page: int = 1) -> Page:
    """Every moderation action, newest first; all associations' when ``association`` is None."""
    query = select(ModerationAction)
    count = select(func.count()).select_from(ModerationAction)
    if association is not None:
        query = query.where(ModerationAction.association_id == association.id)
        count = count.where(ModerationAction.association_id == association.id)
    total = session.scalar(count) or 0
    actions = list(
        session.scalars(
            query.order_by(ModerationAction.created_at.desc(), ModerationAction.id.desc())
            .limit(PAGE_SIZE)
            .offset(offset(page))
        )
    )
    return Page(_log_entries(session, actions), page, total)


def _log_entries(session: Session, actions: list[ModerationAction]) -> list[LogEntry]:
    items = load_items(session, ((a.kind, a.item_id) for a in actions))
    actors = _users_by_id(session, (a.actor_id for a in actions))
    association_ids = {a.association_id for a in actions}
    associations = (
        {a.id: a for a in session.scalars(select(Association).where(Association.id.in_(association_ids)))}
        if association_ids
        else {}
    )
    entries = []
    for action in actions:
        item = items.get((action.kind, action.item_id))
        kind = KINDS.get(action.kind)
        title = kind.title(item) if item is not None else f"{action.kind} #{action.item_id}"
        url = kind.url(item) if item is not None else ""
        entries.append(
            LogEntry(action, actors.get(action.actor_id), associations.get(action.association_id), title, url)
        )
    return entries


def forwarded(session: Session, page: int = 1) -> Page:
    """Items whose latest moderation action is a forward to the platform admins, oldest first."""
    later = aliased(ModerationAction)
    newer_exists = (
        select(later.id)
        .where(
            and_(
                later.kind == ModerationAction.kind,
                later.item_id == ModerationAction.item_id,
                later.id > ModerationAction.id,
            )
        )
        .exists()
    )
    query = select(ModerationAction).where(ModerationAction.decision == Decision.FORWARD, ~newer_exists)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    actions = list(
        session.scalars(
            query.order_by(ModerationAction.created_at, ModerationAction.id)
            .limit(PAGE_SIZE)
            .offset(offset(page))
        )
    )
    return Page(_log_entries(session, actions), page, total)


def reported_count(session: Session, association: Association) -> int:
    """How many items have open reports."""
    grouped = (
        select(Report.kind, Report.item_id)
        .where(Report.association_id == association.id, Report.resolved_at.is_(None))
        .group_by(Report.kind, Report.item_id)
    )
    return session.scalar(select(func.count()).select_from(grouped.subquery())) or 0


def reported_for_item(session: Session, kind: ContentKind, item) -> list[Report]:
    """The open reports about one item, oldest first."""
    return list(
        session.scalars(
            select(Report)
            .where(Report.kind == kind.name, Report.item_id == item.id, Report.resolved_at.is_(None))
            .order_by(Report.created_at, Report.id)
        )
    )
