"""Loading groups, threads and members for pages, in a constant number of queries."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import abort
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import joinedload, selectinload

from twinning.associations.models import Association, AssociationStatus
from twinning.auth.models import User
from twinning.core.content import ModerationState
from twinning.core.extensions import db
from twinning.core.pagination import Page, paginate
from twinning.groups.models import (
    Group,
    GroupMembership,
    GroupRole,
    OpenTo,
    Thread,
    ThreadReply,
    group_sdgs,
    group_themes,
)
from twinning.permissions import can, can_moderate, is_signed_in, memberships_of
from twinning.topics.models import Theme


def small_int(raw: str | None, low: int, high: int) -> int | None:
    """A plain ASCII number from a query string within [low, high], else None (no 500 on '²' or 10⁵ digits)."""
    if not raw or len(raw) > 9 or not (raw.isascii() and raw.isdigit()):
        return None
    number = int(raw)
    return number if low <= number <= high else None


def id_or_404(value: int) -> int:
    """Ids in paths fit a 32-bit column; anything larger is simply not there (not an overflow)."""
    if not 0 < value <= 2**31 - 1:
        abort(404)
    return value


def group_or_404(group_id: int) -> Group:
    id_or_404(group_id)
    group = db.session.scalar(
        select(Group)
        .where(Group.id == group_id)
        .options(joinedload(Group.association), selectinload(Group.themes))
    )
    if group is None or not can(_viewer(), "group.view", group):
        abort(404)
    return group


def _viewer():
    from flask_login import current_user

    return current_user


def sdgs_by_group(group_ids: list[int]) -> dict[int, list[int]]:
    """The goals of many groups in one query."""
    found: dict[int, list[int]] = {group_id: [] for group_id in group_ids}
    if group_ids:
        rows = db.session.execute(
            select(group_sdgs.c.group_id, group_sdgs.c.sdg)
            .where(group_sdgs.c.group_id.in_(group_ids))
            .order_by(group_sdgs.c.sdg)
        )
        for group_id, number in rows:
            found[group_id].append(number)
    return found


def _listed_groups() -> Select:
    return (
        select(Group)
        .join(Group.association)
        .where(Association.status == AssociationStatus.ACTIVE)
        .options(joinedload(Group.association), selectinload(Group.themes))
    )


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def clean_arg(value: str, length: int) -> str:
    """A query-string value without control characters (PostgreSQL refuses NUL), cut to size."""
    return _CONTROL.sub("", value or "").strip()[:length]


@dataclass
class DirectoryFilters:
    theme: str = ""
    sdg: int | None = None
    association: str = ""
    country: str = ""
    open_to: str = ""
    q: str = ""

    @classmethod
    def from_args(cls, args) -> DirectoryFilters:
        sdg = args.get("sdg", "")
        open_to = args.get("open_to", "")
        return cls(
            theme=clean_arg(args.get("theme", ""), 60),
            sdg=small_int(sdg, 1, 17),
            association=clean_arg(args.get("association", ""), 80),
            country=clean_arg(args.get("country", ""), 2).upper(),
            open_to=open_to if open_to in (OpenTo.MEMBERS.value, OpenTo.EVERYONE.value) else "",
            q=clean_arg(args.get("q", ""), 100),
        )


def directory(filters: DirectoryFilters, viewer, number: int) -> Page:
    """Every listed group matching the filters; topic groups first for people without an association."""
    statement = _listed_groups()
    if filters.theme:
        statement = statement.where(
            Group.id.in_(
                select(group_themes.c.group_id)
                .join(Theme, Theme.id == group_themes.c.theme_id)
                .where(Theme.slug == filters.theme)
            )
        )
    if filters.sdg:
        statement = statement.where(
            Group.id.in_(select(group_sdgs.c.group_id).where(group_sdgs.c.sdg == filters.sdg))
        )
    if filters.association:
        statement = statement.where(Association.slug == filters.association)
    if filters.country:
        statement = statement.where(Association.country == filters.country)
    if filters.open_to:
        statement = statement.where(Group.open_to == filters.open_to)
    if filters.q:
        pattern = "%" + filters.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        statement = statement.where(
            or_(Group.name.ilike(pattern, escape="\\"), Group.description.ilike(pattern, escape="\\"))
        )
    has_association = any(m.is_active for m in memberships_of(viewer).values())
    order = [Group.member_count.desc(), Group.name, Group.id]
    if not has_association:
        # People without an association can join topic groups only: show those first.
        order.insert(0, (Group.open_to == OpenTo.EVERYONE.value).desc())
    return paginate(statement.order_by(*order), number)


def association_groups(association: Association) -> list[Group]:
    return list(
        db.session.scalars(
            select(Group)
            .where(Group.association_id == association.id)
            .options(selectinload(Group.themes))
            .order_by(Group.open_to, Group.name)
        )
    )


def groups_of_user(user: User) -> list[Group]:
    """The groups a person belongs to, in associations that are active."""
    return list(
        db.session.scalars(
            _listed_groups()
            .join(GroupMembership, GroupMembership.group_id == Group.id)
            .where(GroupMembership.user_id == user.id)
            .order_by(Group.name)
        ).unique()
    )


def coordinators(group: Group) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(GroupMembership, GroupMembership.user_id == User.id)
            .where(GroupMembership.group_id == group.id, GroupMembership.role == GroupRole.COORDINATOR)
            .order_by(User.display_name)
        )
    )


def members_page(group: Group, number: int) -> Page:
    statement = (
        select(GroupMembership)
        .where(GroupMembership.group_id == group.id)
        .options(joinedload(GroupMembership.user))
        .order_by(GroupMembership.role, GroupMembership.created_at, GroupMembership.id)
    )
    return paginate(statement, number)


def _visible_content(model, viewer, association_id: int):
    """Published items; a moderator also sees the rest, an author their own waiting items."""
    if can_moderate(viewer, association_id):
        return None
    if is_signed_in(viewer):
        return or_(
            model.moderation_state == ModerationState.APPROVED,
            (model.author_id == viewer.id) & (model.moderation_state == ModerationState.PENDING),
        )
    return model.moderation_state == ModerationState.APPROVED


def threads_page(group: Group, viewer, number: int) -> Page:
    statement = (
        select(Thread)
        .where(Thread.group_id == group.id)
        .options(joinedload(Thread.author))
        .order_by(Thread.pinned.desc(), Thread.last_activity_at.desc(), Thread.id.desc())
    )
    condition = _visible_content(Thread, viewer, group.association_id)
    if condition is not None:
        statement = statement.where(condition)
    return paginate(statement, number)


def thread_or_404(group: Group, thread_id: int, viewer) -> Thread:
    """A thread of this group that the viewer may see; an id from another group is 404."""
    statement = select(Thread).where(Thread.id == id_or_404(thread_id), Thread.group_id == group.id)
    condition = _visible_content(Thread, viewer, group.association_id)
    if condition is not None:
        statement = statement.where(condition)
    thread = db.session.scalar(statement.options(joinedload(Thread.author)))
    if thread is None:
        abort(404)
    return thread


def replies(thread: Thread, viewer) -> list[ThreadReply]:
    statement = (
        select(ThreadReply)
        .where(ThreadReply.thread_id == thread.id, ThreadReply.deleted_at.is_(None))
        .options(joinedload(ThreadReply.author))
        .order_by(ThreadReply.created_at, ThreadReply.id)
    )
    condition = _visible_content(ThreadReply, viewer, thread.group.association_id)
    if condition is not None:
        statement = statement.where(condition)
    return list(db.session.scalars(statement))


def reply_or_404(thread: Thread, reply_id: int, viewer) -> ThreadReply:
    """A reply of this thread the viewer may see, not deleted; an id from another thread is 404."""
    statement = select(ThreadReply).where(
        ThreadReply.id == id_or_404(reply_id),
        ThreadReply.thread_id == thread.id,
        ThreadReply.deleted_at.is_(None),
    )
    condition = _visible_content(ThreadReply, viewer, thread.group.association_id)
    if condition is not None:
        statement = statement.where(condition)
    reply = db.session.scalar(statement)
    if reply is None:
        abort(404)
    return reply


def countries_with_groups() -> list[str]:
    return list(
        db.session.scalars(
            select(Association.country)
            .join(Group, Group.association_id == Association.id)
            .where(Association.status == AssociationStatus.ACTIVE)
            .distinct()
            .order_by(Association.country)
        )
    )


def host_choices() -> list[tuple[str, str]]:
    """(slug, name) of active associations that host groups, for the directory's filter."""
    rows = db.session.execute(
        select(Association.slug, Association.name)
        .join(Group, Group.association_id == Association.id)
        .where(Association.status == AssociationStatus.ACTIVE)
        .distinct()
        .order_by(Association.name)
    )
    return [(slug, name) for slug, name in rows]
