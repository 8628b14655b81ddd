"""Published proposals as open data: one CSV row each, for an association or the whole network."""

from __future__ import annotations

from collections.abc import Iterator

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from twinning.associations.models import Association
from twinning.core.extensions import db
from twinning.core.i18n import translated_labels
from twinning.proposals.forms import LIFECYCLE_LABELS
from twinning.proposals.models import Lifecycle, Proposal, proposal_sdgs, proposal_themes
from twinning.proposals.queries import filtered_published
from twinning.topics.models import Theme

HEADER = [
    _l("ID"),
    _l("Title"),
    _l("Summary"),
    _l("Association"),
    _l("City"),
    _l("Country"),
    _l("Status"),
    _l("Status code"),
    _l("Themes"),
    _l("Goals"),
    _l("Supports"),
    _l("Comments"),
    _l("Published"),
    _l("Last answer"),
    _l("Address"),
]
# Tags are read for this many proposals at a time: a query per chunk, never one per row.
_CHUNK = 500


def header() -> list[str]:
    return [str(label) for label in HEADER]


def proposal_rows(
    space, *, theme: Theme | None = None, sdg: int | None = None, status: Lifecycle | None = None
) -> Iterator[list]:
    """The rows of the published proposals that ``space`` selects, newest first, filtered like the lists."""
    statement = (
        filtered_published(space, theme, sdg, status)
        .join(Association, Association.id == Proposal.association_id)
        .with_only_columns(
            Proposal.id,
            Proposal.title,
            Proposal.summary,
            Association.slug,
            Association.name,
            Association.city,
            Association.country,
            Proposal.lifecycle,
            Proposal.support_count,
            Proposal.comment_count,
            Proposal.published_at,
            Proposal.answered_at,
        )
        .order_by(Proposal.published_at.desc(), Proposal.id.desc())
    )
    rows = db.session.execute(statement).all()
    labels = translated_labels(LIFECYCLE_LABELS)
    base = current_app.config["BASE_URL"].rstrip("/")
    for start in range(0, len(rows), _CHUNK):
        chunk = rows[start : start + _CHUNK]
        themes, goals = _tags([row.id for row in chunk])
        for row in chunk:
            yield [
                row.id,
                row.title,
                row.summary,
                row.name,
                row.city,
                row.country,
                labels[row.lifecycle],
                row.lifecycle.value,
                "; ".join(themes.get(row.id, [])),
                "; ".join(str(n) for n in goals.get(row.id, [])),
                row.support_count,
                row.comment_count,
                _day(row.published_at),
                _day(row.answered_at),
                base + url_for("proposals.detail", slug=row.slug, proposal_id=row.id),
            ]


def _tags(ids: list[int]) -> tuple[dict[int, list[str]], dict[int, list[int]]]:
    themes: dict[int, list[str]] = {}
    for proposal_id, slug in db.session.execute(
        select(proposal_themes.c.proposal_id, Theme.slug)
        .join(Theme, Theme.id == proposal_themes.c.theme_id)
        .where(proposal_themes.c.proposal_id.in_(ids))
        .order_by(Theme.position)
    ):
        themes.setdefault(proposal_id, []).append(slug)
    goals: dict[int, list[int]] = {}
    for proposal_id, number in db.session.execute(
        select(proposal_sdgs.c.proposal_id, proposal_sdgs.c.sdg)
        .where(proposal_sdgs.c.proposal_id.in_(ids))
        .order_by(proposal_sdgs.c.sdg)
    ):
        goals.setdefault(proposal_id, []).append(number)
    return themes, goals


def _day(moment) -> str:
    return moment.date().isoformat() if moment is not None else ""
