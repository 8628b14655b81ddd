"""Pages of the moderation feature: queue, decisions, bulk approval, reports, audit logs."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from twinning.associations.models import Association
from twinning.associations.queries import association_or_404
from twinning.core.content import ModerationState, render_markdown
from twinning.core.db import utcnow
from twinning.core.errors import NotAllowed
from twinning.core.extensions import db, limiter
from twinning.core.i18n import translated_labels
from twinning.core.pagination import page_number
from twinning.core.ratelimits import per_account, setting
from twinning.core.transactions import commit
from twinning.moderation import queries, services
from twinning.moderation.edits import CHANGED_MEANWHILE
from twinning.moderation.forms import REASON_LABELS, BulkApproveForm, DecisionForm, ReportForm
from twinning.moderation.models import Decision
from twinning.moderation.registry import ContentKind, kind_or_none
from twinning.permissions import cached, can, moderated_association_ids, require

bp = Blueprint("moderation", __name__)

# Ids beyond a 32-bit integer cannot exist and would overflow PostgreSQL's INTEGER.
_MAX_ID = 2**31 - 1

DECISION_LABELS = {
    Decision.APPROVE: _l("Approved"),
    Decision.DECLINE: _l("Declined"),
    Decision.HIDE: _l("Hidden"),
    Decision.RESTORE: _l("Restored"),
    Decision.FORWARD: _l("Forwarded to the platform admins"),
    Decision.AUTO_HIDE: _l("Hidden automatically after three reports"),
}
# The queue's links to the item's page for decisions that need a reason or a note.
DECISION_ACTIONS = {
    "decline": _l("Decline with a reason…"),
    "hide": _l("Hide with a reason…"),
    "restore": _l("Restore…"),
    "forward": _l("Forward to the platform admins…"),
    "approve": _l("Approve"),
}
# What each waiting item is, as the queue names it (QueueEntry.kind_label).
KIND_LABELS = {
    "proposal": _l("Proposal"),
    "comment": _l("Comment"),
    "comment_reply": _l("Reply to a comment"),
    "thread": _l("Thread"),
    "reply": _l("Reply in a thread"),
    "proposal_edit": _l("Change of a proposal"),
    "comment_edit": _l("Change of a comment"),
    "reply_edit": _l("Change of a reply"),
}
STATE_LABELS = {
    "pending": _l("Waiting for a decision"),
    "approved": _l("Published"),
    "declined": _l("Declined"),
    "hidden": _l("Hidden"),
}


def _report_reasons():
    """The report reasons in the request's language, as (value, label) pairs for report forms."""
    return translated_labels(REASON_LABELS).items()


@bp.app_context_processor
def _labels() -> dict:
    return {
        "moderation_decision_labels": DECISION_LABELS,
        "moderation_reason_labels": REASON_LABELS,
        "moderation_state_labels": STATE_LABELS,
        "moderation_kind_labels": KIND_LABELS,
        "moderation_decision_actions": DECISION_ACTIONS,
        "moderation_waiting": _waiting_for_me,
        "moderation_markdown": render_markdown,
        "moderation_report_reasons": _report_reasons,
    }


def _waiting_for_me() -> int | None:
    """For the header: how many items wait in the associations I moderate; None if I moderate none.

    One query per request, and only for signed-in moderators."""
    if not current_user.is_authenticated:
        return None
    ids = moderated_association_ids(current_user)
    if not ids:
        return None
    return cached(
        "moderation_waiting",
        current_user.id,
        lambda: sum(queries.waiting_counts(db.session, ids).values()),
    )


def _item_or_404(kind_name: str, item_id: int) -> tuple[ContentKind, object]:
    kind = kind_or_none(kind_name)
    if kind is None or item_id > _MAX_ID:
        abort(404)
    item = db.session.get(kind.model, item_id)
    if item is None:
        abort(404)
    return kind, item


def _item_of_association_or_404(association: Association, kind_name: str, item_id: int):
    """The item, only if it belongs to this association (ids changed in the URL are 404)."""
    kind, item = _item_or_404(kind_name, item_id)
    if kind.association_id(item) != association.id:
        abort(404)
    return kind, item


def _actor():
    return current_user._get_current_object()


def _render_queue(association: Association, status: int = 200, bulk_form: BulkApproveForm | None = None):
    pending = queries.pending(db.session, association, page_number(request.args.get("page")))
    services.offer_decisions(db.session, pending.items)
    return render_template(
        "moderation/queue.html",
        association=association,
        now=utcnow(),
        pending=pending,
        reported=queries.reported(db.session, association, page_number(request.args.get("reported_page"))),
        bulk_form=bulk_form or BulkApproveForm(formdata=None),
    ), status


@bp.route("/a/<slug>/moderation")
def queue(slug: str):
    association = association_or_404(slug)
    require("association.moderate", association)
    return _render_queue(association)


@bp.route("/moderation")
def everywhere():
    """The queues of every association I moderate: counts and the oldest waiting items."""
    require("moderation.anywhere")
    ids = moderated_association_ids(current_user)
    associations = queries.associations_by_name(db.session, ids)
    return render_template(
        "moderation/everywhere.html",
        associations=associations,
        counts=queries.waiting_counts(db.session, ids),
        first=queries.first_waiting(db.session, ids),
        now=utcnow(),
    )


@bp.route("/a/<slug>/moderation/bulk", methods=["POST"])
def bulk_approve(slug: str):
    association = association_or_404(slug)
    require("association.moderate", association)
    form = BulkApproveForm()
    if not form.validate_on_submit():
        return _render_queue(association, 400, form)
    items = []
    for value in form.items.data:
        kind_name, _sep, raw_id = value.partition(":")
        if not raw_id.isdigit():
            abort(400)
        items.append(_item_of_association_or_404(association, kind_name, int(raw_id)))
    done = commit(lambda: services.bulk_approve(db.session, _actor(), association, items), form)
    if not done:
        return _render_queue(association, done.status, form)
    count = done.value
    flash(ngettext("%(num)d item approved.", "%(num)d items approved.", count), "success")
    return redirect(url_for("moderation.queue", slug=association.slug))


def _render_item(association, kind, item, form, status=200):
    # A decision refused by the service re-renders with what is possible now.
    form.offer(
        [d.value for d in services.possible_decisions(db.session, kind, item)],
        item.moderation_state == ModerationState.APPROVED,
    )
    return render_template(
        "moderation/item.html",
        association=association,
        kind=kind,
        item=item,
        form=form,
        history=queries.item_history(db.session, kind, item),
        reports=queries.reported_for_item(db.session, kind, item),
        forwarded=services.is_forwarded(db.session, kind.name, item.id),
    ), status


@bp.route("/a/<slug>/moderation/<kind_name>/<int:item_id>", methods=["GET", "POST"])
def decide(slug: str, kind_name: str, item_id: int):
    association = association_or_404(slug)
    require("association.moderate", association)
    kind, item = _item_of_association_or_404(association, kind_name, item_id)
    if request.method == "GET":
        return _render_item(association, kind, item, DecisionForm(formdata=None))
    form = DecisionForm()
    if not form.validate_on_submit():
        return _render_item(association, kind, item, form, 400)
    # A waiting change the author replaced after the page was opened is read again first.
    if (seen := request.form.get("seen")) is not None and seen != item.created_at.isoformat():
        form.add_error(None, CHANGED_MEANWHILE)
        return _render_item(association, kind, item, form, 409)
    decision = form.decision.data
    done = commit(
        lambda: services.decide(db.session, _actor(), kind, item, decision, form.reason.data or ""), form
    )
    if not done:
        kind, item = _item_of_association_or_404(association, kind_name, item_id)
        return _render_item(association, kind, item, form, done.status)
    flash(
        _("Your decision has been saved: %(decision)s.", decision=DECISION_LABELS[Decision(decision)]),
        "success",
    )
    return redirect(url_for("moderation.queue", slug=association.slug))


@bp.route("/a/<slug>/moderation/log")
def log(slug: str):
    association = association_or_404(slug)
    require("association.moderate", association)
    return render_template(
        "moderation/log.html",
        association=association,
        log=queries.audit_log(db.session, association, page_number(request.args.get("page"))),
    )


@bp.route("/moderation/log")
def platform_log():
    require("admin.access")
    return render_template(
        "moderation/log.html",
        association=None,
        log=queries.audit_log(db.session, None, page_number(request.args.get("page"))),
    )


@bp.route("/moderation/forwarded")
def forwarded():
    require("admin.access")
    return render_template(
        "moderation/forwarded.html",
        forwarded=queries.forwarded(db.session, page_number(request.args.get("page"))),
    )


@bp.route("/report/<kind_name>/<int:item_id>", methods=["GET", "POST"])
# Every report sent counts, refused ones too: reporting is cheap to try and costly to answer.
@limiter.limit(setting("LIMIT_REPORTS"), key_func=per_account("LIMIT_REPORTS"), methods=["POST"])
def report(kind_name: str, item_id: int):
    if current_user.is_authenticated and not can(current_user, "content.report"):
        raise NotAllowed(
            _l(
                "Please confirm your e-mail address before you report a post: "
                "use the link in the mail we sent you."
            )
        )
    require("content.report")
    kind, item = _item_or_404(kind_name, item_id)
    if not kind.reportable:
        abort(404)
    association = db.session.get(Association, kind.association_id(item))
    # Only published items the reporter may see: each kind's "<kind>.view" rule also asks
    # whether what it hangs on (proposal, thread, group, space) shows, so that a hidden
    # proposal's title never appears here as the title of one of its comments.
    if (
        association is None
        or not association.is_active
        or item.moderation_state != "approved"
        or not can(_actor(), f"{kind.name}.view", item)
    ):
        abort(404)
    form = ReportForm() if request.method == "POST" else ReportForm(formdata=None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate_on_submit():
            min_age = timedelta(days=current_app.config["REPORT_MIN_ACCOUNT_AGE_DAYS"])
            done = commit(
                lambda: services.report(
                    db.session,
                    _actor(),
                    kind,
                    item,
                    form.reason.data,
                    form.text.data or "",
                    min_account_age=min_age,
                ),
                form,
                once=form.once.data,
                then=lambda _report: kind.return_url(item),
            )
            if done:
                if done.repeated:
                    pass
                elif item.moderation_state == ModerationState.APPROVED:
                    flash(
                        _("Thank you. The moderators of %(name)s will look at it.", name=association.name),
                        "success",
                    )
                else:
                    flash(
                        _(
                            "Thank you. The post is hidden until the moderators of %(name)s have looked at it.",
                            name=association.name,
                        ),
                        "success",
                    )
                # Back to the item while others still see it, else to the page that lists it.
                return redirect(done.url)
            kind, item = _item_or_404(kind_name, item_id)
    return render_template(
        "moderation/report.html", kind=kind, item=item, form=form, association=association
    ), status


@bp.route("/moderation/mine/<kind_name>/<int:item_id>")
def own_item(kind_name: str, item_id: int):
    """Authors read their own post in any state, with the reason, e.g. from a notification."""
    kind, item = _item_or_404(kind_name, item_id)
    if current_user.is_authenticated and not can(_actor(), "content.view_own", item):
        abort(404)  # someone else's post is "not there" on this page
    require("content.view_own", item)  # visitors sign in first
    return render_template(
        "moderation/own_item.html",
        kind=kind,
        item=item,
        latest=queries.latest_decision(db.session, kind.name, item.id),
    )


def space_section(association: Association, viewer) -> tuple[str, dict] | None:
    """Moderators see, on their association's space, how much waits for them."""
    if not can(viewer, "association.moderate", association):
        return None
    waiting = queries.pending_count(db.session, association)
    reported = queries.reported_count(db.session, association)
    return "moderation/_space_section.html", {
        "association": association,
        "waiting": waiting,
        "reported": reported,
    }
