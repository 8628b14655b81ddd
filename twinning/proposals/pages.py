"""Loading a proposal for a page, and rendering its detail page with all its forms."""

from __future__ import annotations

from flask import abort, render_template
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from twinning.associations.models import Association
from twinning.associations.queries import association_or_404
from twinning.core.content import render_markdown
from twinning.core.extensions import db
from twinning.core.i18n import translated_labels
from twinning.discussion.services import post_is_editable
from twinning.moderation.forms import REASON_LABELS
from twinning.permissions import can, can_manage, can_moderate
from twinning.proposals import queries
from twinning.proposals.comments import COMMENTS
from twinning.proposals.forms import (
    LIFECYCLE_LABELS,
    AnswerForm,
    CommentForm,
    CosponsorInviteForm,
)
from twinning.proposals.models import Comment, CoSponsorState, Lifecycle, Proposal
from twinning.proposals.services import TRANSITIONS
from twinning.topics.models import Theme


def proposal_or_404(slug: str, proposal_id: int) -> tuple[Association, Proposal]:
    """The space and the proposal, if the proposal shows in that space and to this viewer."""
    association = association_or_404(slug, visible=True)
    proposal = queries.proposal_in_space_or_404(association, proposal_id)
    if not can(current_user, "proposal.view", proposal):
        abort(404)  # unpublished proposals do not exist for the public
    return association, proposal


def list_filters(args) -> tuple[Theme | None, int | None, Lifecycle | None]:
    """Validated list filters; a theme, goal or status that does not exist is a 404."""
    theme = None
    if slug := args.get("theme"):
        theme = db.session.scalar(select(Theme).where(Theme.slug == slug[:60]))
        if theme is None:
            abort(404)
    sdg = None
    if raw := args.get("sdg"):
        if not (raw.isdecimal() and raw.isascii() and 1 <= int(raw[:3]) <= 17 and len(raw) <= 2):
            abort(404)
        sdg = int(raw)
    status = None
    if raw := args.get("status"):
        if raw not in {state.value for state in Lifecycle}:
            abort(404)
        status = Lifecycle(raw)
    return theme, sdg, status


def comment_or_404(proposal: Proposal, comment_id: int) -> Comment:
    comment = db.session.get(Comment, comment_id) if 0 < comment_id < 2**62 else None
    if comment is None or comment.proposal_id != proposal.id:
        abort(404)
    return comment


def answer_form(proposal: Proposal, formdata=None) -> AnswerForm:
    form = AnswerForm(formdata=formdata) if formdata is not None else AnswerForm(formdata=None)
    form.set_targets(TRANSITIONS[proposal.lifecycle])
    return form


def cosponsor_form(proposal: Proposal, formdata=None) -> CosponsorInviteForm:
    form = (
        CosponsorInviteForm(formdata=formdata) if formdata is not None else CosponsorInviteForm(formdata=None)
    )
    taken = {c.association_id for c in proposal.cosponsorships if c.state != CoSponsorState.DECLINED}
    partners = [
        (a.slug, a.name)
        for a in queries.linked_partner_associations(proposal.association_id)
        if a.id not in taken
    ]
    form.association.choices = [("", _("Please choose")), *partners] if partners else []
    return form


def comment_is_editable(comment: Comment) -> bool:
    return post_is_editable(COMMENTS, current_user, comment)


def render_detail(association: Association, proposal: Proposal, status: int = 200, **forms):
    viewer = current_user._get_current_object()
    # A form makes a CSRF token (kept in the session); visitors, who cannot comment, get none,
    # so their page stays the same for all of them (twinning.core.pagecache).
    if "comment_form" not in forms and can(viewer, "proposal.comment", proposal):
        forms["comment_form"] = CommentForm(formdata=None)
    if "answer_form" not in forms and can(viewer, "proposal.answer", proposal):
        forms["answer_form"] = answer_form(proposal)
    if "cosponsor_form" not in forms and can(viewer, "proposal.cosponsor", proposal):
        forms["cosponsor_form"] = cosponsor_form(proposal)
    invitations = [
        c
        for c in proposal.cosponsorships
        if c.state == CoSponsorState.INVITED and can_manage(viewer, c.association_id)
    ]
    revision_count = queries.revision_count(proposal, viewer)  # the versions the revisions page lists
    return render_template(
        "proposals/detail.html",
        association=association,
        proposal=proposal,
        body_html=render_markdown(proposal.body),
        sdgs=queries.sdgs_of([proposal.id])[proposal.id],
        supported=queries.has_supported(viewer, proposal.id),
        thread=queries.comment_thread(proposal, viewer, can_moderate(viewer, proposal.association_id)),
        cosponsors=[c for c in proposal.cosponsorships if c.state == CoSponsorState.ACCEPTED],
        invitations=invitations,
        revision_count=revision_count,
        answers=queries.answers_of(proposal.id) if proposal.answered_at else [],
        waiting_change=(
            queries.waiting_change(proposal.id)
            if can(viewer, "proposal.view_waiting_change", proposal)
            else None
        ),
        lifecycle_labels=translated_labels(LIFECYCLE_LABELS),
        report_reasons=translated_labels(REASON_LABELS).items(),
        comment_is_editable=comment_is_editable,
        **forms,
    ), status
