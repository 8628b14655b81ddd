"""Themes: the platform-wide topic list that platform admins keep."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column

from twinning.core.db import Base, TimestampMixin


class Theme(TimestampMixin, Base):
    __tablename__ = "themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name_de: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(default=0)

    def name(self, locale: str) -> str:
        return self.name_de if str(locale).startswith("de") else self.name_en

    def __repr__(self) -> str:
        return f"<Theme {self.slug}>"


def topic_link_tables(owner: str, owner_table: str) -> tuple[Table, Table]:
    """The two link tables that tag an owner (association, proposal, group) with themes and goals.

    ``<owner>_themes(<owner>_id, theme_id)`` and ``<owner>_sdgs(<owner>_id, sdg 1–17)``, both
    indexed on the topic side, because the network pages look up everything on one topic.
    """
    owner_column = f"{owner}_id"
    themes = Table(
        f"{owner}_themes",
        Base.metadata,
        Column(owner_column, ForeignKey(f"{owner_table}.id", ondelete="CASCADE"), primary_key=True),
        Column("theme_id", ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True, index=True),
    )
    goals = Table(
        f"{owner}_sdgs",
        Base.metadata,
        Column(owner_column, ForeignKey(f"{owner_table}.id", ondelete="CASCADE"), primary_key=True),
        Column("sdg", Integer, primary_key=True, index=True),
        CheckConstraint("sdg BETWEEN 1 AND 17", name="sdg_range"),
    )
    return themes, goals


# Seeded by the first migration that needs them and by ``twinning demo``.
DEFAULT_THEMES = [
    ("klimaschutz", "Klimaschutz", "Climate action"),
    ("fairer-handel", "Fairer Handel", "Fair trade"),
    ("bne", "Bildung für nachhaltige Entwicklung", "Education for sustainable development"),
    ("jugend", "Jugend", "Youth"),
    ("kultur-begegnung", "Kultur und Begegnung", "Culture and encounter"),
    ("demokratie-teilhabe", "Demokratie und Teilhabe", "Democracy and participation"),
    ("solidaritaet", "Solidarität und humanitäre Hilfe", "Solidarity and humanitarian aid"),
    ("umwelt-artenvielfalt", "Umwelt und Artenvielfalt", "Environment and biodiversity"),
    ("wirtschaft-ausbildung", "Wirtschaft und Ausbildung", "Economy and vocational training"),
    ("sport", "Sport", "Sport"),
]
