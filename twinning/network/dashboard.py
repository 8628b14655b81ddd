"""The charts and CSV tables of the coverage dashboard and of an association's insights."""

from __future__ import annotations

from datetime import date

from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from twinning.core.i18n import format_date
from twinning.network.charts import Chart, Datum, bar_chart, column_chart
from twinning.network.stats import Activity, Coverage, GroupActivity, Insights
from twinning.topics.sdgs import GOALS


def month_label(month: date) -> str:
    return format_date(month, "MMMM yyyy")


def month_data(series: list[tuple[date, int]]) -> list[Datum]:
    """One datum per month; the year shows under January and under the first month."""
    data = []
    for index, (month, value) in enumerate(series):
        sublabel = format_date(month, "yyyy") if index == 0 or month.month == 1 else ""
        data.append(Datum(format_date(month, "MMM"), value, long_label=month_label(month), sublabel=sublabel))
    return data


def describe_series(what: str, series: list[tuple[date, int]]) -> str:
    """A sentence saying what the chart shows, for screen readers and as its <desc>."""
    total = sum(value for _month, value in series)
    if not series or total == 0:
        return _("%(what)s per month over the last 12 months: none yet.", what=what)
    peak_month, peak = max(series, key=lambda pair: pair[1])
    return _(
        "%(what)s per month from %(first)s to %(last)s: %(total)s in total, most in %(peak_month)s (%(peak)s).",
        what=what,
        first=month_label(series[0][0]),
        last=month_label(series[-1][0]),
        total=total,
        peak_month=month_label(peak_month),
        peak=peak,
    )


def monthly_chart(chart_id: str, title: str, series: list[tuple[date, int]], csv_url: str | None) -> Chart:
    return column_chart(
        chart_id,
        title,
        describe_series(title, series),
        month_data(series),
        label_header=_("Month"),
        value_header=title,
        csv_url=csv_url,
    )


def coverage_chart(coverage: Coverage) -> Chart:
    """Published proposals and groups per goal, in the goals' own colours."""
    language = get_locale().language
    data = [
        Datum(
            str(goal.number),
            coverage.goal_totals[goal.number],
            long_label=f"{goal.number} · {goal.name(language)}",
            colour=goal.colour,
            href=url_for("network.sdg", number=goal.number),
        )
        for goal in GOALS
    ]
    uncovered = coverage.uncovered
    if uncovered:
        gap = _(
            "No published proposal or group yet on goals %(numbers)s.",
            numbers=", ".join(str(n) for n in uncovered),
        )
    else:
        gap = _("Every goal has at least one published proposal or group.")
    description = (
        _(
            "Published proposals and groups on each of the 17 goals, %(total)s in total.",
            total=sum(coverage.goal_totals.values()),
        )
        + " "
        + gap
    )
    return bar_chart(
        "chart-goals",
        _("Proposals and groups per goal"),
        description,
        data,
        label_header=_("Goal"),
        value_header=_("Proposals and groups"),
        csv_url=url_for("network.dashboard_csv", table="goals"),
    )


def activity_charts(activity: Activity) -> list[Chart]:
    csv_url = url_for("network.dashboard_csv", table="activity")
    return [
        monthly_chart("chart-proposals", _("New proposals"), activity.proposals, csv_url),
        monthly_chart("chart-supports", _("Supports"), activity.supports, csv_url),
        monthly_chart("chart-members", _("New members"), activity.members, csv_url),
    ]


def insights_charts(insights: Insights, slug: str) -> list[Chart]:
    return [
        monthly_chart(
            "chart-supports",
            _("Supports"),
            insights.supports,
            url_for("network.insights_csv", slug=slug, table="supports"),
        ),
        monthly_chart(
            "chart-new-members",
            _("New members"),
            insights.new_members,
            url_for("network.insights_csv", slug=slug, table="members"),
        ),
    ]


# -- CSV tables: (file name, header, rows) ---------------------------------------------


def coverage_table(coverage: Coverage) -> tuple[list[str], list[list]]:
    header = [_("Association"), _("City"), _("Country")] + [
        _("Goal %(number)s", number=n) for n in range(1, 18)
    ]
    header.append(_("Total"))
    rows = [
        [
            row.association.name,
            row.association.city,
            row.association.country,
            *[row.cells[n] for n in range(1, 18)],
            row.total,
        ]
        for row in coverage.rows
    ]
    return header, rows


def goals_table(coverage: Coverage) -> tuple[list[str], list[list]]:
    language = get_locale().language
    header = [_("Goal"), _("Name"), _("Proposals and groups"), _("Associations")]
    rows = [
        [
            goal.number,
            goal.name(language),
            coverage.goal_totals[goal.number],
            coverage.goal_associations[goal.number],
        ]
        for goal in GOALS
    ]
    return header, rows


def activity_table(activity: Activity) -> tuple[list[str], list[list]]:
    header = [_("Month"), _("New proposals"), _("Supports"), _("New members")]
    return header, [[month.strftime("%Y-%m"), p, s, m] for month, p, s, m in activity.rows()]


def groups_table(groups: list[GroupActivity]) -> tuple[list[str], list[list]]:
    header = [_("Group"), _("Association"), _("Members"), _("Threads")]
    return header, [[g.group.name, g.group.association.name, g.group.member_count, g.threads] for g in groups]


def insights_members_table(insights: Insights) -> tuple[list[str], list[list]]:
    header = [_("Month"), _("New members")]
    return header, [[month.strftime("%Y-%m"), count] for month, count in insights.new_members]


def insights_supports_table(insights: Insights) -> tuple[list[str], list[list]]:
    header = [_("Month"), _("Supports")]
    return header, [[month.strftime("%Y-%m"), count] for month, count in insights.supports]


def insights_proposals_table(insights: Insights) -> tuple[list[str], list[list]]:
    header = [_("Kind"), _("Status"), _("Proposals")]
    rows = [[_("Moderation"), state_label(state), count] for state, count in insights.proposals_by_state]
    rows += [
        [_("Published, by status"), state_label(lifecycle), count]
        for lifecycle, count in insights.proposals_by_lifecycle
    ]
    return header, rows


# One translation per call: lists show this for every proposal, and translating all ten
# labels each time was a tenth of a goal page's time.
_STATE_LABELS = {
    "pending": lambda: _("waiting for moderation"),
    "approved": lambda: _("published"),
    "declined": lambda: _("declined"),
    "hidden": lambda: _("hidden"),
    "open": lambda: _("open"),
    "under_review": lambda: _("under review"),
    "accepted": lambda: _("accepted"),
    "rejected": lambda: _("rejected"),
    "implemented": lambda: _("implemented"),
    "withdrawn": lambda: _("withdrawn"),
}


def state_label(value: str) -> str:
    label = _STATE_LABELS.get(value)
    return label() if label else value
