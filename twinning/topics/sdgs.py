"""The 17 UN Sustainable Development Goals: official numbers, names and colours."""

from __future__ import annotations

from dataclasses import dataclass


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@dataclass(frozen=True)
class Goal:
    number: int
    name_en: str
    name_de: str
    colour: str

    def name(self, locale: str) -> str:
        return self.name_de if str(locale).startswith("de") else self.name_en

    @property
    def text_colour(self) -> str:
        """Black or white, whichever reads better on the official colour (7 and 11 need black)."""
        if contrast_ratio(self.colour, "#ffffff") >= contrast_ratio(self.colour, "#000000"):
            return "#ffffff"
        return "#000000"


GOALS: tuple[Goal, ...] = (
    Goal(1, "No Poverty", "Keine Armut", "#E5243B"),
    Goal(2, "Zero Hunger", "Kein Hunger", "#DDA63A"),
    Goal(3, "Good Health and Well-being", "Gesundheit und Wohlergehen", "#4C9F38"),
    Goal(4, "Quality Education", "Hochwertige Bildung", "#C5192D"),
    Goal(5, "Gender Equality", "Geschlechtergleichheit", "#FF3A21"),
    Goal(6, "Clean Water and Sanitation", "Sauberes Wasser und Sanitäreinrichtungen", "#26BDE2"),
    Goal(7, "Affordable and Clean Energy", "Bezahlbare und saubere Energie", "#FCC30B"),
    Goal(8, "Decent Work and Economic Growth", "Menschenwürdige Arbeit und Wirtschaftswachstum", "#A21942"),
    Goal(9, "Industry, Innovation and Infrastructure", "Industrie, Innovation und Infrastruktur", "#FD6925"),
    Goal(10, "Reduced Inequalities", "Weniger Ungleichheiten", "#DD1367"),
    Goal(11, "Sustainable Cities and Communities", "Nachhaltige Städte und Gemeinden", "#FD9D24"),
    Goal(12, "Responsible Consumption and Production", "Nachhaltige/r Konsum und Produktion", "#BF8B2E"),
    Goal(13, "Climate Action", "Maßnahmen zum Klimaschutz", "#3F7E44"),
    Goal(14, "Life Below Water", "Leben unter Wasser", "#0A97D9"),
    Goal(15, "Life on Land", "Leben an Land", "#56C02B"),
    Goal(
        16,
        "Peace, Justice and Strong Institutions",
        "Frieden, Gerechtigkeit und starke Institutionen",
        "#00689D",
    ),
    Goal(17, "Partnerships for the Goals", "Partnerschaften zur Erreichung der Ziele", "#19486A"),
)
GOALS_BY_NUMBER = {goal.number: goal for goal in GOALS}


def goal(number: int) -> Goal | None:
    return GOALS_BY_NUMBER.get(number)
