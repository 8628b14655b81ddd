"""Platform administration pages: the dashboard, the approval queue, the theme list."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from twinning.admin import services
from twinning.admin.forms import DecisionForm, MoveForm, ThemeForm
from twinning.associations import queries
from twinning.associations import services as association_services
from twinning.associations.models import Association, AssociationStatus
from twinning.auth.models import User
from twinning.core.extensions import db
from twinning.core.forms import ActionForm
from twinning.core.pagination import page_number
from twinning.core.transactions import commit
from twinning.permissions import require
from twinning.topics.models import Theme
from twinning.topics.queries import all_themes

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("")
def dashboard():
    require("admin.access")
    counts = dict(
        db.session.execute(select(Association.status, func.count()).group_by(Association.status)).all()
    )
    users = db.session.scalar(select(func.count()).select_from(User))
    return render_template("admin/dashboard.html", counts={str(k): v for k, v in counts.items()}, users=users)


def _render_queue(status: int = 200, failed: tuple[int, DecisionForm] | None = None):
    found = queries.pending_associations(page_number(request.args.get("page")))
    return render_template(
        "admin/associations.html",
        associations=found.items,
        total=found.total,
        page=found.page,
        pages=found.pages,
        failed=failed,
    ), status


@bp.route("/associations")
def associations():
    require("admin.access")
    return _render_queue()


@bp.route("/associations/<slug>/decision", methods=["POST"])
def decision(slug: str):
    association = queries.association_by_slug(slug)
    if association is None:
        abort(404)
    require("association.decide", association)
    form = DecisionForm()
    if form.validate_on_submit():
        done = commit(
            lambda: association_services.decide_association(
                db.session,
                current_user._get_current_object(),
                association,
                form.decision.data,
                form.reason.data or "",
            ),
            form,
        )
        if done:
            if association.status == AssociationStatus.ACTIVE:
                flash(
                    _("%(name)s has been approved. The founder has been told.", name=association.name),
                    "success",
                )
            else:
                flash(
                    _("%(name)s has been declined. The founder has been told.", name=association.name),
                    "success",
                )
            return redirect(url_for("admin.associations"))
    return _render_queue(400, failed=(association.id, form))


def _render_themes(
    status: int = 200, new_form: ThemeForm | None = None, failed: tuple[int, ThemeForm] | None = None
):
    return render_template(
        "admin/themes.html", themes=all_themes(), new_form=new_form or ThemeForm(formdata=None), failed=failed
    ), status


@bp.route("/themes", methods=["GET", "POST"])
def themes():
    require("themes.manage")
    if request.method == "GET":
        return _render_themes()
    form = ThemeForm()
    if form.validate_on_submit():
        done = commit(
            lambda: services.add_theme(
                db.session, current_user._get_current_object(), form.name_de.data, form.name_en.data
            ),
            form,
        )
        if done:
            flash(_('The theme "%(name)s" has been added.', name=done.value.name_en), "success")
            return redirect(url_for("admin.themes"))
    return _render_themes(400, new_form=form)


def _theme_or_404(theme_id: int) -> Theme:
    theme = db.session.get(Theme, theme_id)
    if theme is None:
        abort(404)
    return theme


@bp.route("/themes/<int:theme_id>", methods=["POST"])
def rename_theme(theme_id: int):
    require("themes.manage")
    theme = _theme_or_404(theme_id)
    form = ThemeForm()
    if form.validate_on_submit():
        done = commit(
            lambda: services.rename_theme(
                db.session, current_user._get_current_object(), theme, form.name_de.data, form.name_en.data
            ),
            form,
        )
        if done:
            flash(_("The theme has been renamed."), "success")
            return redirect(url_for("admin.themes"))
    return _render_themes(400, failed=(theme_id, form))


@bp.route("/themes/<int:theme_id>/move", methods=["POST"])
def move_theme(theme_id: int):
    require("themes.manage")
    theme = _theme_or_404(theme_id)
    form = MoveForm()
    if not form.validate_on_submit():
        flash(_("Please choose a direction."), "error")
        return _render_themes(400)
    done = commit(
        lambda: services.move_theme(
            db.session, current_user._get_current_object(), theme, form.direction.data
        )
    )
    if not done:
        flash(str(done.message), "error")
        return _render_themes(done.status)
    return redirect(url_for("admin.themes"))


@bp.route("/themes/<int:theme_id>/delete", methods=["POST"])
def delete_theme(theme_id: int):
    require("themes.manage")
    theme = _theme_or_404(theme_id)
    if not ActionForm().validate_on_submit():
        flash(_("The form had expired. Please send it again."), "error")
        return _render_themes(400)
    done = commit(lambda: services.delete_theme(db.session, current_user._get_current_object(), theme))
    if not done:
        flash(str(done.message), "error")
        return _render_themes(done.status)
    flash(_("The theme has been deleted."), "success")
    return redirect(url_for("admin.themes"))
