"""Pages of the proposals feature: list, post, preview, edit, withdraw, answer, support."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from twinning.associations.queries import association_or_404
from twinning.core.content import flash_posted, render_markdown
from twinning.core.csv_export import csv_response
from twinning.core.db import utcnow
from twinning.core.extensions import db
from twinning.core.forms import ActionForm
from twinning.core.i18n import translated_labels
from twinning.core.pagecache import for_visitors
from twinning.core.pagination import page_number
from twinning.core.ratelimits import posting_limit
from twinning.core.transactions import commit
from twinning.permissions import can, require
from twinning.proposals import comment_views, exports, queries, services
from twinning.proposals.forms import LIFECYCLE_LABELS, ProposalForm
from twinning.proposals.models import Lifecycle
from twinning.proposals.pages import answer_form, list_filters, proposal_or_404, render_detail
from twinning.topics.sdgs import GOALS

bp = Blueprint("proposals", __name__)
bp.register_blueprint(comment_views.bp)


@bp.route("/a/<slug>/proposals")
@for_visitors("theme", "sdg", "status", "sort", "page")
def index(slug: str):
    association = association_or_404(slug, visible=True)
    sort = request.args.get("sort", "supports")
    if sort not in queries.SORTS:
        sort = "supports"
    theme, sdg, status = list_filters(request.args)
    found = queries.list_proposals(
        association.id,
        sort=sort,
        page=page_number(request.args.get("page")),
        theme=theme,
        sdg=sdg,
        status=status,
    )
    if found is None:
        abort(404)
    return render_template(
        "proposals/list.html",
        association=association,
        found=found,
        sort=sort,
        theme=theme,
        sdg=sdg,
        status=status,
        themes=found.themes,
        goals=GOALS,
        lifecycle_labels=translated_labels(LIFECYCLE_LABELS),
    )


@bp.route("/a/<slug>/proposals.csv")
def index_csv(slug: str):
    """The association's published proposals as open data, with the list's filters."""
    association = association_or_404(slug, visible=True)
    theme, sdg, status = list_filters(request.args)
    rows = exports.proposal_rows(queries.in_space(association.id), theme=theme, sdg=sdg, status=status)
    return csv_response(f"{association.slug}-proposals-{utcnow():%Y-%m-%d}.csv", exports.header(), rows)


def _proposal_values(form: ProposalForm) -> dict:
    return {
        "title": form.title.data,
        "summary": form.summary.data,
        "body": form.body.data or "",
        "theme_slugs": form.themes.data or [],
        "sdgs": form.sdg_numbers,
        "budget": form.budget_value,
    }


def _render_form(association, form: ProposalForm, proposal=None, preview=None, status: int = 200):
    return render_template(
        "proposals/form.html", association=association, form=form, proposal=proposal, preview=preview
    ), status


@bp.route("/a/<slug>/proposals/new", methods=["GET", "POST"])
@posting_limit("LIMIT_PROPOSALS")
def new(slug: str):
    association = association_or_404(slug, visible=True)
    require("proposal.create", association)
    form = ProposalForm()
    if form.validate_on_submit():
        if "preview" in request.form:
            return _render_form(association, form, preview=render_markdown(form.body.data))
        done = commit(
            lambda: services.submit_proposal(
                db.session, current_user._get_current_object(), association, **_proposal_values(form)
            ),
            form,
            once=form.once.data,
            then=lambda proposal: url_for("proposals.detail", slug=association.slug, proposal_id=proposal.id),
        )
        if done:
            if done.repeated:  # the same form sent twice: on to the proposal the first one made
                return redirect(done.url)
            flash_posted(
                done.value,
                waiting=_(
                    "Thank you! Your proposal will be published as soon as a moderator has approved it."
                ),
                published=_("Your proposal has been published."),
            )
            return redirect(done.url)
        return _render_form(association, form, status=done.status)
    return _render_form(association, form, status=400 if form.is_submitted() else 200)


@bp.route("/a/<slug>/proposals/<int:proposal_id>")
@for_visitors
def detail(slug: str, proposal_id: int):
    association, proposal = proposal_or_404(slug, proposal_id)
    return render_detail(association, proposal)


@bp.route("/a/<slug>/proposals/<int:proposal_id>/edit", methods=["GET", "POST"])
def edit(slug: str, proposal_id: int):
    association, proposal = proposal_or_404(slug, proposal_id)
    require("proposal.edit", proposal)
    if request.method == "GET":
        # While a change waits, the author goes on from that change, not from the published text.
        text = queries.waiting_change(proposal.id) or proposal
        form = ProposalForm(
            formdata=None,
            data={
                "title": text.title,
                "summary": text.summary,
                "body": text.body,
                "themes": [t.slug for t in proposal.themes],
                "sdgs": [str(n) for n in queries.sdgs_of([proposal.id])[proposal.id]],
                "budget": "" if text.budget is None else str(text.budget),
            },
        )
        return _render_form(association, form, proposal)
    form = ProposalForm()
    if form.validate_on_submit():
        if "preview" in request.form:
            return _render_form(association, form, proposal, preview=render_markdown(form.body.data))
        done = commit(
            lambda: services.edit_proposal(
                db.session, current_user._get_current_object(), proposal, **_proposal_values(form)
            ),
            form,
        )
        if done:
            if done.value is not None:  # the change waits for a moderator
                flash(
                    _(
                        "Your change waits for moderation. Until a moderator has approved it, everyone "
                        "sees the published version."
                    ),
                    "success",
                )
            else:
                flash(_("Your changes have been saved."), "success")
            return redirect(url_for("proposals.detail", slug=association.slug, proposal_id=proposal.id))
    return _render_form(association, form, proposal, status=400)


@bp.route("/a/<slug>/proposals/<int:proposal_id>/revisions")
@for_visitors
def revisions(slug: str, proposal_id: int):
    association, proposal = proposal_or_404(slug, proposal_id)
    waiting = (
        queries.waiting_change(proposal.id)
        if can(current_user, "proposal.view_waiting_change", proposal)
        else None
    )
    return render_template(
        "proposals/revisions.html",
        association=association,
        proposal=proposal,
        revisions=queries.revisions_of(proposal, current_user._get_current_object()),
        waiting=waiting,
    )


@bp.route("/a/<slug>/proposals/<int:proposal_id>/withdraw", methods=["POST"])
def withdraw(slug: str, proposal_id: int):
    association, proposal = proposal_or_404(slug, proposal_id)
    require("proposal.withdraw", proposal)
    if not ActionForm().validate_on_submit():
        abort(400)
    done = commit(
        lambda: services.withdraw_proposal(db.session, current_user._get_current_object(), proposal)
    )
    if done:
        flash(_("Your proposal has been withdrawn."), "success")
    else:
        flash(str(done.message), "error")
    return redirect(url_for("proposals.detail", slug=association.slug, proposal_id=proposal.id))


@bp.route("/a/<slug>/proposals/<int:proposal_id>/answer", methods=["POST"])
def answer(slug: str, proposal_id: int):
    association, proposal = proposal_or_404(slug, proposal_id)
    require("proposal.answer", proposal)
    form = answer_form(proposal, request.form)
    if form.validate_on_submit():
        done = commit(
            lambda: services.answer_proposal(
                db.session,
                current_user._get_current_object(),
                proposal,
                lifecycle=Lifecycle(form.lifecycle.data),
                answer=form.answer.data,
            ),
            form,
        )
        if done:
            flash(_("The answer has been published."), "success")
            return redirect(url_for("proposals.detail", slug=association.slug, proposal_id=proposal.id))
        return render_detail(association, proposal, done.status, answer_form=form)
    return render_detail(association, proposal, 400, answer_form=form)


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return (
        best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


@bp.route("/a/<slug>/proposals/<int:proposal_id>/support", methods=["POST"])
def support(slug: str, proposal_id: int):
    association, proposal = proposal_or_404(slug, proposal_id)
    require("proposal.support", proposal)
    if not ActionForm().validate_on_submit():
        abort(400)
    done = commit(lambda: services.toggle_support(db.session, current_user._get_current_object(), proposal))
    if not done:
        if _wants_json():
            return jsonify({"error": str(done.message)}), done.status
        flash(str(done.message), "error")
        return redirect(url_for("proposals.detail", slug=association.slug, proposal_id=proposal.id))
    supported, count = done.value
    if _wants_json():
        # The word after the number follows it ("1 support", "2 supports"), in the reader's language.
        return jsonify(
            {"supported": supported, "count": count, "label": ngettext("support", "supports", count)}
        )
    flash(
        _("Thank you for your support.") if supported else _("You no longer support this proposal."),
        "success",
    )
    return redirect(url_for("proposals.detail", slug=association.slug, proposal_id=proposal.id) + "#support")
