"""Home, imprint, privacy and the health check."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from flask_login import current_user
from sqlalchemy import or_, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import joinedload

from twinning.associations.models import Association, Membership, MembershipState, Role
from twinning.core.extensions import db
from twinning.core.pagecache import for_visitors
from twinning.groups.models import Group, GroupMembership
from twinning.network import queries
from twinning.network.activity import recent_activity
from twinning.network.cache import cached

bp = Blueprint("pages", __name__)


HOME_ACTIVITY_ITEMS = 8


@bp.route("/")
@for_visitors
def home():
    """What the network does, and for signed-in people their own places first."""
    mine_associations, mine_groups = [], []
    if current_user.is_authenticated:
        mine_associations, mine_groups = _my_places(current_user.id)
    return render_template(
        "pages/home.html",
        my_associations=mine_associations,
        my_groups=mine_groups,
        featured=queries.featured_associations(),
        latest=queries.latest_proposals(),
        newcomer_groups=queries.newcomer_groups(),
        goal_proposals=cached("proposals_per_goal", queries.proposals_per_goal),  # the same for everyone
        activity=recent_activity(limit=HOME_ACTIVITY_ITEMS),
    )


def _my_places(user_id: int) -> tuple[list[Association], list[Group]]:
    """The user's associations (active memberships) and groups (2 queries).

    Only what the user may open: "association.view" (an active space, or one the user
    administers) and "group.view" (a group of an active association).
    """
    associations = list(
        db.session.scalars(
            select(Association)
            .join(Membership, Membership.association_id == Association.id)
            .where(
                Membership.user_id == user_id,
                Membership.state == MembershipState.ACTIVE,
                or_(queries.active_association(), Membership.role == Role.ADMIN),
            )
            .order_by(Association.name)
        )
    )
    groups = list(
        db.session.scalars(
            select(Group)
            .join(GroupMembership, GroupMembership.group_id == Group.id)
            .join(Association, Association.id == Group.association_id)
            .where(GroupMembership.user_id == user_id, queries.active_association())
            .options(joinedload(Group.association))
            .order_by(Group.name)
        ).unique()
    )
    return associations, groups


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
