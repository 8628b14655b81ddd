"""Pages of the moderation feature: queue, decisions, bulk approval, reports, audit logs."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from twinning import sections
from twinning.associations.models import Association
from twinning.associations.queries import association_or_404
from twinning.content import render_markdown
from twinning.errors import DomainError
from twinning.extensions import db
from twinning.moderation import queries, services
from twinning.moderation.forms import BulkApproveForm, DecisionForm, ReportForm
from twinning.moderation.models import Decision, ReportReason
from twinning.moderation.registry import ContentKind, kind_or_none
from twinning.permissions import can, require

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
REASON_LABELS = {
    ReportReason.SPAM: _l("Spam or advertising"),
    ReportReason.OFFENSIVE: _l("Offensive or hateful"),
    ReportReason.OFF_TOPIC: _l("Off-topic"),
    ReportReason.PERSONAL_DATA: _l("Personal data of others"),
    ReportReason.OTHER: _l("Something else"),
}
STATE_LABELS = {
    "pending": _l("Waiting for a decision"),
    "approved": _l("Published"),
    "declined": _l("Declined"),
    "hidden": _l("Hidden"),
}


@bp.app_context_processor
def _labels() -> dict:
    return {"moderation_decision_labels": DECISION_LABELS, "moderation_reason_labels": REASON_LABELS,
            "moderation_state_labels": STATE_LABELS, "moderation_markdown": render_markdown}


def _page_number(name: str = "page") -> int:
    """?page= as a positive number; anything absurd is page 1."""
    value = request.args.get(name, "1")
    return int(value) if value.isdigit() and 0 < int(value) <= 10_000 else 1


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
    return render_template(
        "moderation/queue.html", association=association,
        pending=queries.pending(db.session, association, _page_number()),
        reported=queries.reported(db.session, association, _page_number("reported_page")),
        bulk_form=bulk_form or BulkApproveForm(formdata=None),
    ), status


@bp.route("/a/<slug>/moderation")
def queue(slug: str):
    association = association_or_404(slug)
    require("association.moderate", association)
    return _render_queue(association)


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
    try:
        count = services.bulk_approve(db.session, _actor(), association, items)
    except DomainError as error:
        db.session.rollback()
        form.add_error(error.field, error.message)
        return _render_queue(association, error.status_code, form)
    db.session.commit()
    flash(_("%(n)s items approved.", n=count), "success")
    return redirect(url_for("moderation.queue", slug=association.slug))


def _render_item(association, kind, item, form, status=200):
    return render_template(
        "moderation/item.html", association=association, kind=kind, item=item, form=form,
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
    decision = form.decision.data
    try:
        services.decide(db.session, _actor(), kind, item, decision, form.reason.data or "")
    except DomainError as error:
        db.session.rollback()
        form.add_error(error.field, error.message)
        kind, item = _item_of_association_or_404(association, kind_name, item_id)
        return _render_item(association, kind, item, form, error.status_code)
    db.session.commit()
    flash(_("Your decision has been saved: %(decision)s.", decision=DECISION_LABELS[Decision(decision)]),
          "success")
    return redirect(url_for("moderation.queue", slug=association.slug))


@bp.route("/a/<slug>/moderation/log")
def log(slug: str):
    association = association_or_404(slug)
    require("association.moderate", association)
    return render_template("moderation/log.html", association=association,
                           log=queries.audit_log(db.session, association, _page_number()))


@bp.route("/moderation/log")
def platform_log():
    require("admin.access")
    return render_template("moderation/log.html", association=None,
                           log=queries.audit_log(db.session, None, _page_number()))


@bp.route("/moderation/forwarded")
def forwarded():
    require("admin.access")
    return render_template("moderation/forwarded.html",
                           forwarded=queries.forwarded(db.session, _page_number()))


@bp.route("/report/<kind_name>/<int:item_id>", methods=["GET", "POST"])
def report(kind_name: str, item_id: int):
    require("content.report")
    kind, item = _item_or_404(kind_name, item_id)
    association = db.session.get(Association, kind.association_id(item))
    # Only published items the reporter may see: each kind's "<kind>.view" rule also asks
    # whether what it hangs on (proposal, thread, group, space) shows, so that a hidden
    # proposal's title never appears here as the title of one of its comments.
    if (association is None or not association.is_active or item.moderation_state != "approved"
            or not can(_actor(), f"{kind.name}.view", item)):
        abort(404)
    form = ReportForm() if request.method == "POST" else ReportForm(formdata=None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate_on_submit():
            try:
                services.report(db.session, _actor(), kind, item, form.reason.data, form.text.data or "")
            except DomainError as error:
                db.session.rollback()
                form.add_error(error.field, error.message)
                kind, item = _item_or_404(kind_name, item_id)
            else:
                db.session.commit()
                flash(_("Thank you. The moderators of %(name)s will look at it.", name=association.name),
                      "success")
                return redirect(kind.url(item))
    return render_template("moderation/report.html", kind=kind, item=item, form=form,
                           association=association), status


@sections.register("space", order=90)
def _space_section(association: Association, viewer) -> tuple[str, dict] | None:
    """Moderators see, on their association's space, how much waits for them."""
    if not can(viewer, "association.moderate", association):
        return None
    waiting = queries.pending_count(db.session, association)
    reported = queries.reported_count(db.session, association)
    return "moderation/_space_section.html", {"association": association, "waiting": waiting,
                                              "reported": reported}
