"""One commit per request, in the view: run the service, commit once, or refuse — never a 500.

    done = commit(lambda: services.submit_proposal(db.session, user, association, **values), form)
    if done:
        return redirect(url_for("proposals.detail", ..., proposal_id=done.value.id))
    return render_template("proposals/form.html", form=form), done.status

A ``DomainError`` from the service, a constraint the database refused (``IntegrityError``)
and, on PostgreSQL, a deadlock or serialisation failure all roll the transaction back and
come back as a refusal: its message is added to ``form`` (beside ``error.field``, or above
the form) and ``done.status`` is the error's status (400, 403 for ``NotAllowed``, 409 for a
conflict). A button without a form flashes ``done.message`` instead.

A create form carries a one-time token (``once = OnceField()`` in the form, ``{{ form.once() }}``
in the template) and passes it as ``once=form.once.data``: the token is claimed in the same
transaction, so the same form sent twice (a double click, a reload of the POST) creates one
record; the repeat gets ``done.repeated`` and ``done.url``, the address the first submission
went on to (``then`` computes it from the service's result).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Generic, TypeVar

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import ForeignKey, String, delete, select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from twinning.core.db import Base, TimestampMixin, utcnow
from twinning.core.errors import DomainError, InvalidState
from twinning.core.extensions import db

T = TypeVar("T")

# PostgreSQL's SQLSTATEs for a serialisation failure and a deadlock: a moment later it may work.
_RETRYABLE = {"40001", "40P01"}
# How long a create form's token is remembered (a reload of its POST within it creates nothing).
KEEP_SUBMISSIONS = timedelta(days=7)


class Conflict(InvalidState):
    """Someone else's write got there first; the request may be fine on its own."""

    status_code = 409


class FormSubmission(TimestampMixin, Base):
    """A create form's one-time token, claimed by the transaction that created the record."""

    __tablename__ = "form_submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    url: Mapped[str | None] = mapped_column(String(500))


CONFLICT_MESSAGE = _l("Someone else changed this at the same moment. Please check the page and try again.")


@dataclass
class Outcome(Generic[T]):
    """What ``commit`` did: true when committed; else the refusal, its message and status."""

    value: T | None = None
    error: DomainError | None = None
    url: str | None = None
    repeated: bool = False

    def __bool__(self) -> bool:
        return self.error is None

    @property
    def message(self):
        return self.error.message if self.error is not None else None

    @property
    def status(self) -> int:
        return self.error.status_code if self.error is not None else 200


def commit(
    run: Callable[[], T],
    form=None,
    *,
    conflict: DomainError | None = None,
    once: str | None = None,
    then: Callable[[T], str] | None = None,
) -> Outcome[T]:
    """Run ``run`` and commit, or roll back and refuse; ``conflict`` is the refusal to show when a
    unique constraint (or another) refuses the write, e.g. the same refusal as the service's own check."""
    token = once.strip()[:64] if once and current_user.is_authenticated else None
    if token is not None and (earlier := _submission(token)) is not None:
        return Outcome(url=earlier.url, repeated=True)
    try:
        if token is not None:
            submission = _claim(token)
        value = run()
        url = then(value) if then is not None else None
        if token is not None:
            submission.url = url
        db.session.commit()
    except DomainError as error:
        return _refuse(error, form)
    except IntegrityError:
        if token is not None and (earlier := _after_rollback(token)) is not None:
            return Outcome(url=earlier.url, repeated=True)  # the same form, sent twice at once
        return _refuse(conflict or Conflict(CONFLICT_MESSAGE), form)
    except DBAPIError as error:
        if getattr(error.orig, "sqlstate", None) not in _RETRYABLE:
            raise
        return _refuse(Conflict(CONFLICT_MESSAGE), form)
    return Outcome(value=value, url=url)


def _refuse(error: DomainError, form) -> Outcome:
    db.session.rollback()
    if form is not None:
        form.add_error(error.field, error.message)
    return Outcome(error=error)


# -- create forms sent twice ----------------------------------------------------------------


def _submission(token: str) -> FormSubmission | None:
    return db.session.scalar(
        select(FormSubmission).where(FormSubmission.token == token, FormSubmission.user_id == current_user.id)
    )


def _after_rollback(token: str) -> FormSubmission | None:
    db.session.rollback()
    return _submission(token)


def _claim(token: str) -> FormSubmission:
    """The token's row, inserted first: a parallel twin waits on its unique index, then fails.

    The person's tokens older than ``KEEP_SUBMISSIONS`` go at the same time, so the table
    holds about a week of create forms and needs no cleaning job.
    """
    submission = FormSubmission(token=token, user_id=current_user.id)
    db.session.add(submission)
    db.session.flush()
    db.session.execute(
        delete(FormSubmission).where(
            FormSubmission.user_id == current_user.id, FormSubmission.created_at < utcnow() - KEEP_SUBMISSIONS
        )
    )
    return submission
