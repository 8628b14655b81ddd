"""Pages of the network feature: goals, themes, the coverage dashboard, insights, feeds."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _

from twinning.associations.queries import association_or_404
from twinning.core.csv_export import csv_response
from twinning.core.db import utcnow
from twinning.core.pagecache import for_visitors
from twinning.core.pagination import Page, offset, page_number
from twinning.core.urls import path_for
from twinning.network import dashboard, queries, stats
from twinning.network.activity import ANSWER, GROUP, PARTNERSHIP, ActivityItem, recent_activity
from twinning.network.cache import cached
from twinning.network.feeds import atom_feed
from twinning.permissions import require
from twinning.proposals import exports as proposal_exports
from twinning.proposals.pages import list_filters
from twinning.topics.sdgs import GOALS, goal

bp = Blueprint("network", __name__)

FEED_ENTRIES = 30
MATRIX_PER_PAGE = 50


bp.add_app_template_global(dashboard.state_label, "network_state_label")


@bp.app_template_global()
def activity_title(item: ActivityItem) -> str:
    """The line an activity item shows, in the reader's language."""
    if item.kind == ANSWER:
        return _("Answer to “%(title)s”", title=item.title)
    if item.kind == GROUP:
        return _("New group: %(name)s", name=item.title)
    if item.kind == PARTNERSHIP:
        return _("New partnership with %(city)s", city=item.title)
    return _("New proposal: %(title)s", title=item.title)


@bp.route("/sdgs")
@for_visitors
def sdgs():
    return render_template(
        "network/sdgs.html", goals=GOALS, counts=cached("goal_counts", queries.goal_counts)
    )


@bp.route("/sdgs/<int:number>")
@for_visitors("association", "country", "page")
def sdg(number: int):
    found = goal(number)
    if found is None:
        abort(404)
    return _topic_page(queries.goal_topic(number), goal=found, theme=None)


@bp.route("/themes/<slug>")
@for_visitors("association", "country", "page")
def theme(slug: str):
    found = queries.theme_by_slug(slug)
    if found is None:
        abort(404)
    return _topic_page(queries.theme_topic(found), goal=None, theme=found)


def _topic_page(topic: queries.Topic, *, goal, theme):
    filters = queries.Filters.from_args(request.args)
    associations = queries.topic_associations(topic)
    known_total = None if filters.active else sum(entry.proposals for entry in associations)
    proposals = queries.topic_proposals(topic, filters, page_number(request.args.get("page")), known_total)
    groups, group_total = queries.topic_groups(topic, filters)
    return render_template(
        "network/topic.html",
        goal=goal,
        theme=theme,
        filters=filters,
        associations=associations,
        countries={entry.association.country for entry in associations},
        proposals=proposals,
        proposal_goals=queries.goals_of_proposals(proposals.items),
        groups=groups,
        group_total=group_total,
    )


def _coverage() -> stats.Coverage:
    return cached("coverage", stats.coverage)


def _activity() -> stats.Activity:
    starts = stats.month_starts()  # in the key, so a new month does not wait for the cache
    return cached(("activity", tuple(starts)), lambda: stats.network_activity(starts))


@bp.route("/network", endpoint="dashboard")
@for_visitors("page")
def dashboard_page():
    coverage = _coverage()
    activity = _activity()
    page = page_number(request.args.get("page"))
    start = offset(page, MATRIX_PER_PAGE)
    matrix_page = Page(
        coverage.rows[start : start + MATRIX_PER_PAGE], page, len(coverage.rows), MATRIX_PER_PAGE
    )
    return render_template(
        "network/dashboard.html",
        coverage=coverage,
        matrix=matrix_page,
        goals_chart=dashboard.coverage_chart(coverage),
        activity_charts=dashboard.activity_charts(activity),
        activity=activity,
        top_groups=stats.most_active_groups(),
    )


DASHBOARD_TABLES = {"coverage", "goals", "activity", "groups"}


@bp.route("/network/proposals.csv")
def proposals_csv():
    """Every published proposal of the network as open data; ?theme=, ?sdg=, ?status= like the lists."""
    theme, sdg, status = list_filters(request.args)
    rows = proposal_exports.proposal_rows(queries.active_association(), theme=theme, sdg=sdg, status=status)
    return csv_response(f"twinning-proposals-{utcnow():%Y-%m-%d}.csv", proposal_exports.header(), rows)


@bp.route("/network/<table>.csv")
@for_visitors
def dashboard_csv(table: str):
    if table not in DASHBOARD_TABLES:
        abort(404)
    if table == "coverage":
        header, rows = dashboard.coverage_table(_coverage())
    elif table == "goals":
        header, rows = dashboard.goals_table(_coverage())
    elif table == "activity":
        header, rows = dashboard.activity_table(_activity())
    else:
        header, rows = dashboard.groups_table(stats.most_active_groups())
    return csv_response(f"twinning-{table}-{utcnow():%Y-%m-%d}.csv", header, rows)


@bp.route("/a/<slug>/insights")
def insights(slug: str):
    association = association_or_404(slug)
    require("association.insights", association)
    figures = stats.association_insights(association)
    return render_template(
        "network/insights.html",
        association=association,
        insights=figures,
        charts=dashboard.insights_charts(figures, association.slug),
        proposals_table=dashboard.insights_proposals_table(figures),
    )


INSIGHTS_TABLES = {"members", "proposals", "supports"}


@bp.route("/a/<slug>/insights/<table>.csv")
def insights_csv(slug: str, table: str):
    association = association_or_404(slug)
    require("association.insights", association)
    if table not in INSIGHTS_TABLES:
        abort(404)
    figures = stats.association_insights(association)
    builder = {
        "members": dashboard.insights_members_table,
        "proposals": dashboard.insights_proposals_table,
        "supports": dashboard.insights_supports_table,
    }[table]
    header, rows = builder(figures)
    return csv_response(f"{association.slug}-{table}-{utcnow():%Y-%m-%d}.csv", header, rows)


@bp.route("/feed.atom")
@for_visitors
def feed():
    items = recent_activity(limit=FEED_ENTRIES)
    return _atom(
        feed_key="network",
        title=_("Twinning: what the network does"),
        subtitle=_("New proposals, answers, groups and partnerships of all associations."),
        self_path=path_for("network.feed"),
        page_path=path_for("pages.home"),
        items=items,
    )


@bp.route("/a/<slug>/feed.atom")
@for_visitors
def association_feed(slug: str):
    association = association_or_404(slug)
    if not association.is_active:
        abort(404)  # a space that is not public has no public feed
    items = recent_activity(association, limit=FEED_ENTRIES)
    return _atom(
        feed_key=f"association-{association.id}",
        title=association.name,
        subtitle=_("New proposals, answers, groups and partnerships of %(name)s.", name=association.name),
        self_path=path_for("network.association_feed", slug=association.slug),
        page_path=path_for("associations.space", slug=association.slug),
        items=items,
        empty_updated=association.approved_at or association.created_at,
    )


def _atom(*, items: list[ActivityItem], empty_updated=None, **details) -> Response:
    document = atom_feed(
        entries=[(item, activity_title(item)) for item in items],
        language=get_locale().language,
        empty_updated=empty_updated or utcnow(),
        **details,
    )
    return Response(document, content_type="application/atom+xml; charset=utf-8")
