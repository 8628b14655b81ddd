"""Platform administration use cases: the theme list. Each flushes and never commits."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

import twinning.models  # noqa: F401 (every table that may refer to themes)
from twinning.associations.slugs import like_prefix, unique_slug
from twinning.auth.models import User
from twinning.core.db import Base
from twinning.core.errors import InvalidState, NotAllowed, ValidationError
from twinning.permissions import can
from twinning.topics.models import Theme


def _require(actor: User) -> None:
    if not can(actor, "themes.manage"):
        raise NotAllowed(_l("Only platform admins keep the theme list."))


def _names(session: Session, name_de: str, name_en: str, theme: Theme | None = None) -> tuple[str, str]:
    name_de, name_en = (name_de or "").strip(), (name_en or "").strip()
    if not name_de:
        raise ValidationError(_l("Please enter a name."), "name_de")
    if not name_en:
        raise ValidationError(_l("Please enter a name."), "name_en")
    for column, value, field in ((Theme.name_de, name_de, "name_de"), (Theme.name_en, name_en, "name_en")):
        query = select(func.count()).select_from(Theme).where(func.lower(column) == value.lower())
        if theme is not None:
            query = query.where(Theme.id != theme.id)
        if session.scalar(query):
            raise ValidationError(_l("A theme with this name already exists."), field)
    return name_de, name_en


def add_theme(session: Session, actor: User, name_de: str, name_en: str) -> Theme:
    """Add a theme at the end of the list; its address comes from the German name."""
    _require(actor)
    name_de, name_en = _names(session, name_de, name_en)
    if not any(char.isalnum() for char in name_de):
        raise ValidationError(_l("The name needs at least one letter or digit."), "name_de")

    def taken(base: str) -> list[str]:
        return list(
            session.scalars(
                select(Theme.slug).where(or_(Theme.slug == base, Theme.slug.like(like_prefix(base))))
            )
        )

    slug = unique_slug(name_de, taken, fallback="theme", max_length=60)
    last = session.scalar(select(func.max(Theme.position))) or 0
    theme = Theme(slug=slug, name_de=name_de, name_en=name_en, position=last + 1)
    session.add(theme)
    session.flush()
    return theme


def rename_theme(session: Session, actor: User, theme: Theme, name_de: str, name_en: str) -> None:
    """Rename a theme; its address stays, so links keep working."""
    _require(actor)
    theme.name_de, theme.name_en = _names(session, name_de, name_en, theme)
    session.flush()


def move_theme(session: Session, actor: User, theme: Theme, direction: str) -> None:
    """Swap a theme with its neighbour above or below."""
    _require(actor)
    ordered = list(session.scalars(select(Theme).order_by(Theme.position, Theme.id)))
    # Positions may have gaps or ties after deletions: renumber before swapping.
    for position, item in enumerate(ordered):
        item.position = position
    index = ordered.index(theme)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(ordered):
        ordered[index].position, ordered[other].position = ordered[other].position, ordered[index].position
    session.flush()


def theme_usage(session: Session, theme: Theme) -> int:
    """How many things of any feature carry the theme (every table that refers to themes)."""
    total = 0
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if any(fk.column.table.name == "themes" for fk in column.foreign_keys):
                total += (
                    session.scalar(select(func.count()).select_from(table).where(column == theme.id)) or 0
                )
    return total


def delete_theme(session: Session, actor: User, theme: Theme) -> None:
    """Delete a theme nothing uses any more."""
    _require(actor)
    used = theme_usage(session, theme)
    if used:
        raise InvalidState(
            _l("This theme is still used %(count)d times. Remove it there first, or rename it.", count=used)
        )
    session.delete(theme)
    session.flush()
