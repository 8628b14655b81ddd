"""Reading themes."""

from __future__ import annotations

from sqlalchemy import select

from twinning.core.extensions import db
from twinning.topics.models import Theme


def all_themes() -> list[Theme]:
    return list(db.session.scalars(select(Theme).order_by(Theme.position, Theme.id)))


def themes_by_slugs(slugs: list[str]) -> list[Theme]:
    if not slugs:
        return []
    return list(db.session.scalars(select(Theme).where(Theme.slug.in_(slugs)).order_by(Theme.position)))


def theme_choices(locale: str) -> list[tuple[str, str]]:
    """(slug, localized name) pairs for a multi-select field named ``themes``."""
    return [(theme.slug, theme.name(locale)) for theme in all_themes()]


def sdg_choices(locale: str) -> list[tuple[str, str]]:
    """("1".."17", "1 · name") pairs for a multi-select field named ``sdgs``."""
    from twinning.topics.sdgs import GOALS

    return [(str(goal.number), f"{goal.number} · {goal.name(locale)}") for goal in GOALS]
