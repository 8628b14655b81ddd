"""Pages for comments on a proposal and for co-sponsoring (nested in the proposals blueprint)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from twinning.associations.models import Association
from twinning.core.content import flash_posted
from twinning.core.extensions import db
from twinning.core.forms import ActionForm
from twinning.core.ratelimits import posting_limit
from twinning.core.transactions import commit
from twinning.discussion.views import delete_post_action, edit_post_page
from twinning.permissions import require
from twinning.proposals import comments as comment_services
from twinning.proposals import cosponsoring
from twinning.proposals.forms import CommentForm
from twinning.proposals.models import CoSponsorship
from twinning.proposals.pages import comment_or_404, cosponsor_form, proposal_or_404, render_detail

bp = Blueprint("comments", __name__)


def _back(association, proposal, anchor: str = "") -> str:
    return url_for("proposals.detail", slug=association.slug, proposal_id=proposal.id) + anchor


@bp.route("/a/<slug>/proposals/<int:proposal_id>/comments", methods=["POST"])
@posting_limit("LIMIT_COMMENTS")
def add(slug: str, proposal_id: int):
    association, proposal = proposal_or_404(slug, proposal_id)
    require("proposal.comment", proposal)
    form = CommentForm()
    if form.validate_on_submit():
        done = commit(
            lambda: comment_services.add_comment(
                db.session, current_user._get_current_object(), proposal, form.body.data, form.parent_value
            ),
            form,
            once=form.once.data,
            then=lambda comment: _back(association, proposal, f"#comment-{comment.id}"),
        )
        if done:
            if done.repeated:  # the same form sent twice: on to the comment the first one made
                return redirect(done.url)
            flash_posted(
                done.value,
                waiting=_("Thank you! Your comment will appear as soon as a moderator has approved it."),
                published=_("Your comment has been published."),
            )
            return redirect(done.url)
    if form.parent_value:
        # A failed reply is shown in the main comment box, with what was typed kept.
        form.parent_id.data = ""
        form.form_errors.append(_("Your reply could not be sent; it is in the box below."))
    return render_detail(association, proposal, 400, comment_form=form)


@bp.route("/a/<slug>/proposals/<int:proposal_id>/comments/<int:comment_id>/edit", methods=["GET", "POST"])
def edit(slug: str, proposal_id: int, comment_id: int):
    association, proposal = proposal_or_404(slug, proposal_id)
    comment = comment_or_404(proposal, comment_id)
    return edit_post_page(
        comment_services.COMMENTS,
        comment,
        back_url=_back(association, proposal, f"#comment-{comment.id}"),
        changed=_("Your comment has been changed."),
        page_title=_("Edit comment"),
        heading=_("Edit comment"),
        lead=_("Comments can be changed within 15 minutes of posting."),
        breadcrumb=[(_back(association, proposal), proposal.title)],
    )


@bp.route("/a/<slug>/proposals/<int:proposal_id>/comments/<int:comment_id>/delete", methods=["POST"])
def delete(slug: str, proposal_id: int, comment_id: int):
    association, proposal = proposal_or_404(slug, proposal_id)
    comment = comment_or_404(proposal, comment_id)
    back = _back(association, proposal, f"#comment-{comment.id}")
    return delete_post_action(
        comment_services.COMMENTS,
        comment,
        back_url=back,
        deleted_url=back,
        deleted=_("Your comment has been deleted."),
        expired=lambda: abort(400),
    )


@bp.route("/a/<slug>/proposals/<int:proposal_id>/cosponsors", methods=["POST"])
def invite(slug: str, proposal_id: int):
    association, proposal = proposal_or_404(slug, proposal_id)
    require("proposal.cosponsor", proposal)
    form = cosponsor_form(proposal, request.form)
    if form.validate_on_submit():
        partner = db.session.scalar(select(Association).where(Association.slug == form.association.data))
        if partner is None:
            abort(404)
        done = commit(
            lambda: cosponsoring.invite_cosponsor(
                db.session, current_user._get_current_object(), proposal, partner
            ),
            form,
        )
        if done:
            flash(_("The invitation has been sent to the admins of %(name)s.", name=partner.name), "success")
            return redirect(_back(association, proposal, "#cosponsors"))
    return render_detail(association, proposal, 400, cosponsor_form=form)


@bp.route(
    "/a/<slug>/proposals/<int:proposal_id>/cosponsors/<int:cosponsorship_id>/<any(accept, decline):choice>",
    methods=["POST"],
)
def decide(slug: str, proposal_id: int, cosponsorship_id: int, choice: str):
    association, proposal = proposal_or_404(slug, proposal_id)
    cosponsorship = db.session.get(CoSponsorship, cosponsorship_id) if cosponsorship_id < 2**62 else None
    if cosponsorship is None or cosponsorship.proposal_id != proposal.id:
        abort(404)
    require("association.manage", cosponsorship.association)
    if not ActionForm().validate_on_submit():
        abort(400)
    done = commit(
        lambda: cosponsoring.decide_cosponsorship(
            db.session, current_user._get_current_object(), cosponsorship, accept=choice == "accept"
        )
    )
    if not done:
        flash(str(done.message), "error")
        return redirect(_back(association, proposal))
    if choice == "accept":
        flash(_("Your association now co-sponsors this proposal."), "success")
        return redirect(
            url_for("proposals.detail", slug=cosponsorship.association.slug, proposal_id=proposal.id)
        )
    flash(_("The invitation has been declined."), "success")
    return redirect(_back(association, proposal))
