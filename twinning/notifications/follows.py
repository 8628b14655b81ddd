"""Following: who hears of answers, state changes, new threads and replies.

One home for the concept. Authoring, supporting and joining imply following without a row
(each feature says who that is, as a SELECT of user ids); a ``Follow`` row records an explicit
choice, ``following=True`` to follow, ``following=False`` to turn an implied follow off.
``recipients`` unites both in one query, however many followers there are.
Features register what can be followed (``register``) since this floor knows none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Select, false, func, literal, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from twinning.auth.models import User
from twinning.core.db import utcnow
from twinning.notifications.models import Follow


@dataclass(frozen=True)
class Followable:
    kind: str
    model: type  # the mapped class of the target
    view_rule: str  # the named rule that says who may see (and so follow) it
    implied: Callable[[int], Select] | None  # SELECT of user ids who follow it without a row
    title: Callable[[object], str]
    path: Callable[[object], str]

    def load(self, session: Session, target_id: int):
        return session.get(self.model, target_id)

    def load_many(self, session: Session, target_ids: list[int]) -> dict[int, object]:
        """Many targets in one query, by id."""
        rows = session.scalars(select(self.model).where(self.model.id.in_(target_ids)))
        return {row.id: row for row in rows}


FOLLOWABLE: dict[str, Followable] = {}


def register(followable: Followable) -> None:
    FOLLOWABLE[followable.kind] = followable


def _implied_ids(kind: str, target_id: int) -> Select | None:
    followable = FOLLOWABLE.get(kind)
    if followable is None or followable.implied is None:
        return None
    return followable.implied(target_id)


def is_following(session: Session, user: User, kind: str, target_id: int) -> bool:
    """Whether ``user`` follows the target: the explicit choice if any, else the implied one (one query)."""
    choice = (
        select(Follow.following)
        .where(Follow.user_id == user.id, Follow.kind == kind, Follow.target_id == target_id)
        .scalar_subquery()
    )
    implied = _implied_ids(kind, target_id)
    fallback = literal(user.id).in_(implied) if implied is not None else false()
    return bool(session.scalar(select(func.coalesce(choice, fallback))))


def set_following(session: Session, user: User, kind: str, target_id: int, following: bool) -> None:
    """Record the person's choice; exact under parallel clicks (the unique constraint decides)."""
    try:
        with session.begin_nested():
            session.add(Follow(user_id=user.id, kind=kind, target_id=target_id, following=following))
    except IntegrityError:
        pass
    session.execute(
        update(Follow)
        .where(Follow.user_id == user.id, Follow.kind == kind, Follow.target_id == target_id)
        .values(following=following, created_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    session.flush()


def toggle(session: Session, user: User, kind: str, target_id: int) -> bool:
    """Follow or stop following; returns whether the person follows now.

    The caller has checked the target exists and the person may see it (the kind's view rule).
    """
    following = not is_following(session, user, kind, target_id)
    set_following(session, user, kind, target_id, following)
    return following


def recipients(session: Session, kind: str, target_id: int, *, exclude: int | None = None) -> list[User]:
    """Everyone who follows the target, implied or explicit, minus those who turned it off: one query."""
    explicit = select(Follow.user_id).where(Follow.kind == kind, Follow.target_id == target_id)
    followers = User.id.in_(explicit.where(Follow.following.is_(True)))
    implied = _implied_ids(kind, target_id)
    if implied is not None:
        followers = followers | User.id.in_(implied)
    query = select(User).where(followers, User.id.not_in(explicit.where(Follow.following.is_(False))))
    if exclude is not None:
        query = query.where(User.id != exclude)
    return list(session.scalars(query.order_by(User.id)))


def followed_by(session: Session, user: User) -> list[Follow]:
    """The person's explicit follows, newest first (for /profile/following)."""
    return list(
        session.scalars(
            select(Follow)
            .where(Follow.user_id == user.id, Follow.following.is_(True))
            .order_by(Follow.created_at.desc(), Follow.id.desc())
        )
    )
