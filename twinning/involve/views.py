"""The get-involved page: pick interests, see topic groups, proposals and open associations."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import get_locale
from flask_login import current_user

from twinning.core.pagecache import for_visitors
from twinning.groups.queries import sdgs_by_group
from twinning.involve import queries
from twinning.topics.queries import sdg_choices, theme_choices

bp = Blueprint("involve", __name__)


@bp.route("/get-involved")
@for_visitors("themes", "sdgs")
def get_involved():
    interests = queries.Interests.from_args(request.args)
    # Only what the person can do: not what they joined or support already (visitors see it all).
    viewer_id = current_user.id if current_user.is_authenticated else None
    groups = queries.topic_groups(interests, viewer_id)
    locale = str(get_locale())
    return render_template(
        "involve/get_involved.html",
        interests=interests,
        groups=groups,
        sdgs=sdgs_by_group([group.id for group in groups]),
        proposals=queries.open_proposals(interests, viewer_id),
        member_of=queries.member_association_ids(viewer_id),
        associations=queries.open_associations(interests, viewer_id),
        theme_choices=theme_choices(locale),
        sdg_choices=sdg_choices(locale),
    )
