"""Chart geometry for server-rendered, accessible SVG (templates/network/_charts.html draws it).

Python computes positions; the template writes the SVG with a <title>, a <desc> and a
table of the same figures, so a chart reads the same without CSS or JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass, field

BAR_ROW = 26  # px per bar in a horizontal bar chart
BAR_THICKNESS = 18
BAR_LABEL_WIDTH = 44
BAR_VALUE_ROOM = 44
BAR_CHART_WIDTH = 420
COLUMN_CHART_WIDTH = 420
COLUMN_CHART_HEIGHT = 220
COLUMN_TOP = 22  # room for the value above the highest column
COLUMN_AXIS = 40  # room for two lines of labels below the columns
DEFAULT_COLOUR = "#19486A"


@dataclass
class Datum:
    """One figure: a short label on the axis, the full label in the table and tooltip."""

    label: str
    value: int
    long_label: str = ""
    sublabel: str = ""
    colour: str = DEFAULT_COLOUR
    href: str | None = None

    @property
    def full_label(self) -> str:
        return self.long_label or self.label


@dataclass
class Shape:
    datum: Datum
    x: float
    y: float
    width: float
    height: float
    label_x: float
    label_y: float
    value_x: float
    value_y: float


@dataclass
class Chart:
    id: str  # unique on the page; prefixes the ids of <title> and <desc>
    kind: str  # "bar" (horizontal) or "column" (vertical)
    title: str
    description: str
    label_header: str
    value_header: str
    width: int
    height: int
    shapes: list[Shape] = field(default_factory=list)
    baseline: float = 0
    csv_url: str | None = None

    @property
    def total(self) -> int:
        return sum(shape.datum.value for shape in self.shapes)

    @property
    def data(self) -> list[Datum]:
        return [shape.datum for shape in self.shapes]


def _scale(values: list[int], room: float) -> float:
    """Pixels per unit, so the largest value fills ``room``; an all-zero chart stays flat."""
    highest = max(values, default=0)
    return room / highest if highest > 0 else 0.0


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    data: list[Datum],
    *,
    label_header: str,
    value_header: str,
    csv_url: str | None = None,
) -> Chart:
    """Horizontal bars, one row per datum: reads well on a phone and with long lists."""
    room = BAR_CHART_WIDTH - BAR_LABEL_WIDTH - BAR_VALUE_ROOM
    per_unit = _scale([d.value for d in data], room)
    shapes = []
    for index, datum in enumerate(data):
        top = index * BAR_ROW + (BAR_ROW - BAR_THICKNESS) / 2
        length = datum.value * per_unit
        middle = index * BAR_ROW + BAR_ROW / 2 + 5  # +5 centres 14 px text on the bar
        shapes.append(
            Shape(
                datum,
                BAR_LABEL_WIDTH,
                top,
                length,
                BAR_THICKNESS,
                BAR_LABEL_WIDTH - 6,
                middle,
                BAR_LABEL_WIDTH + length + 6,
                middle,
            )
        )
    return Chart(
        chart_id,
        "bar",
        title,
        description,
        label_header,
        value_header,
        BAR_CHART_WIDTH,
        max(len(data), 1) * BAR_ROW,
        shapes,
        BAR_LABEL_WIDTH,
        csv_url,
    )


def column_chart(
    chart_id: str,
    title: str,
    description: str,
    data: list[Datum],
    *,
    label_header: str,
    value_header: str,
    csv_url: str | None = None,
) -> Chart:
    """Vertical columns over time, e.g. one per month."""
    baseline = COLUMN_CHART_HEIGHT - COLUMN_AXIS
    per_unit = _scale([d.value for d in data], baseline - COLUMN_TOP)
    slot = COLUMN_CHART_WIDTH / max(len(data), 1)
    thickness = slot * 0.64
    shapes = []
    for index, datum in enumerate(data):
        height = datum.value * per_unit
        left = index * slot + (slot - thickness) / 2
        centre = index * slot + slot / 2
        shapes.append(
            Shape(
                datum,
                left,
                baseline - height,
                thickness,
                height,
                centre,
                baseline + 16,
                centre,
                baseline - height - 5,
            )
        )
    return Chart(
        chart_id,
        "column",
        title,
        description,
        label_header,
        value_header,
        COLUMN_CHART_WIDTH,
        COLUMN_CHART_HEIGHT,
        shapes,
        baseline,
        csv_url,
    )
