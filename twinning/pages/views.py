"""Home, imprint, privacy and the health check."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template, session
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from twinning.core.db import utcnow
from twinning.core.extensions import db
from twinning.core.pagecache import for_visitors
from twinning.network import queries
from twinning.network.activity import recent_activity
from twinning.network.cache import cached
from twinning.pages import personal

bp = Blueprint("pages", __name__)


HOME_ACTIVITY_ITEMS = 8


@bp.route("/")
@for_visitors
def home():
    """Visitors: what the network does. Signed-in people: their own home (never cached)."""
    if current_user.is_authenticated:
        return _personal_home()
    return render_template(
        "pages/home.html",
        featured=queries.featured_associations(),
        latest=queries.latest_proposals(),
        newcomer_groups=queries.newcomer_groups(),
        goal_proposals=cached("proposals_per_goal", queries.proposals_per_goal),  # the same for everyone
        activity=recent_activity(limit=HOME_ACTIVITY_ITEMS),
    )


def _personal_home():
    """One query per block (pages/personal.py); nothing is written to the database."""
    now = utcnow()
    since = personal.visit_since(session, now)
    user_id = current_user.id
    associations = personal.my_associations(user_id, since)
    groups = personal.my_groups(user_id, since)
    suggested_proposals = personal.suggested_proposals(user_id)
    suggested_groups = personal.suggested_groups(user_id)
    in_nothing = not associations and not groups
    return render_template(
        "pages/home_personal.html",
        since=since,
        my_associations=associations,
        my_groups=groups,
        waiting=personal.waiting(user_id, current_user.email, now),
        approvals=personal.associations_awaiting_approval() if current_user.is_platform_admin else 0,
        supported=personal.supported(user_id),
        suggested_proposals=suggested_proposals,
        suggested_groups=suggested_groups,
        # Someone in nothing yet starts from the groups open to everyone.
        newcomer_groups=queries.newcomer_groups() if in_nothing and not suggested_groups else [],
    )


@bp.route("/imprint")
@for_visitors
def imprint():
    return render_template("pages/imprint.html")


@bp.route("/privacy")
@for_visitors
def privacy():
    return render_template("pages/privacy.html")


@bp.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="unavailable"), 503
    return jsonify(status="ok")
