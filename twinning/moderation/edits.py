"""Changes of published content that wait for a moderator, and what reports freeze.

The features keep the waiting changes in tables of their own (a ``PendingEditMixin`` model
with a key to the changed item) and register them as moderation kinds; these helpers are
what every such feature does the same way: keep one waiting change per item, decide what
a decision on a change may do, and keep a reported item as the reporters saw it.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from twinning.core.content import ModerationState
from twinning.core.db import utcnow
from twinning.core.errors import InvalidState
from twinning.moderation.models import Report

CHANGED_MEANWHILE = _l("The author has changed this change since you opened it; please read it again.")


def is_reported(session: Session, kind_name: str, item_id: int) -> bool:
    """Whether the item has reports no moderator has decided on yet."""
    return bool(
        session.scalar(
            select(func.count(Report.id)).where(
                Report.kind == kind_name, Report.item_id == item_id, Report.resolved_at.is_(None)
            )
        )
    )


def refuse_if_reported(session: Session, kind_name: str, item_id: int) -> None:
    """Reported content stays as the reporters saw it until a moderator decided.

    Otherwise an author could quietly edit or delete what was reported, and the moderators
    would judge a text no one reported (or nothing at all).
    """
    if is_reported(session, kind_name, item_id):
        raise InvalidState(
            _l(
                "This post has been reported. You can change or delete it again once a "
                "moderator has looked at it."
            )
        )


def waiting_edit(session: Session, model: type, item_column, item_id: int, *, lock: bool = False):
    """The item's change that waits for a moderator, if any (locked for an update when asked)."""
    query = select(model).where(item_column == item_id, model.moderation_state == ModerationState.PENDING)
    if lock:
        # A moderator deciding on it right now holds the row: wait, then see whether it still waits.
        query = query.with_for_update().execution_options(populate_existing=True)
    return session.scalar(query)


def save_waiting_edit(session: Session, model: type, item_column, item_id: int, author_id: int, **values):
    """Store the author's new version; it replaces the one already waiting, never stacks up.

    The partial unique index keeps one waiting change per item even when two edits arrive
    at once: the second insert fails, and the loser updates the winner's row instead.
    """
    for _attempt in range(2):
        edit = waiting_edit(session, model, item_column, item_id, lock=True)
        if edit is not None:
            for name, value in values.items():
                setattr(edit, name, value)
            edit.author_id = author_id
            edit.created_at = utcnow()  # waits from the latest version on
            session.flush()
            return edit
        edit = model(**{item_column.key: item_id}, author_id=author_id, **values)
        try:
            with session.begin_nested():
                session.add(edit)
                session.flush()
        except IntegrityError:
            continue
        return edit
    raise InvalidState(_l("Your change could not be saved. Please try again."))


def drop_waiting_edit(session: Session, model: type, item_column, item_id: int) -> bool:
    """Forget the item's waiting change (the author went back to the published text, or deleted it)."""
    removed = session.execute(
        delete(model)
        .where(item_column == item_id, model.moderation_state == ModerationState.PENDING)
        .execution_options(synchronize_session="fetch")
    ).rowcount
    return bool(removed)


def check_decision_on_edit(session: Session, edit, item_column, decision: str) -> None:
    """A change is approved or declined, nothing else; an older change never overwrites a newer one.

    Hiding or restoring a change would mean nothing (the published item is what people see
    and report), and approving a change declined earlier is only possible while the author
    has sent no newer one.
    """
    if decision not in ("approve", "decline"):
        raise InvalidState(_l("A change can only be approved or declined."))
    if decision == "approve":
        model = type(edit)
        newer = session.scalar(
            select(func.count(model.id)).where(
                item_column == getattr(edit, item_column.key), model.id > edit.id
            )
        )
        if newer:
            raise InvalidState(_l("The author has sent a newer change since; please decide on that one."))
        # The decision's UPDATE holds the row now; if the author replaced the text after the
        # moderator read it, approving would publish an unread text (or a stale one).
        seen = edit.created_at
        session.refresh(edit)
        if edit.created_at != seen:
            raise InvalidState(CHANGED_MEANWHILE)
