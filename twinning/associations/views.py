"""Pages of the associations feature: directory, founding, the space, joining, invitations."""

from __future__ import annotations

import re

from flask import Blueprint, abort, flash, redirect, render_template, request, send_from_directory, url_for
from flask_babel import gettext as _
from flask_login import current_user

from twinning.associations import manage_views, members, queries, services
from twinning.associations.countries import country_name, country_options, is_country
from twinning.associations.forms import JOIN_POLICY_LABELS, KIND_LABELS, ROLE_LABELS, AssociationForm
from twinning.associations.models import Association, JoinPolicy, PartnershipKind, Role
from twinning.associations.uploads import delete_logo, logo_folder, save_logo
from twinning.associations.viewhelpers import expired_form, locale, sdg_numbers, uploaded_logo
from twinning.core.content import render_markdown
from twinning.core.errors import DomainError, ValidationError, render_message
from twinning.core.extensions import db, login_manager
from twinning.core.forms import ActionForm
from twinning.core.pagecache import for_visitors
from twinning.core.pagination import page_number
from twinning.core.transactions import Conflict, commit
from twinning.permissions import forget_memberships, membership, require
from twinning.topics.queries import all_themes, sdg_choices, theme_choices

bp = Blueprint("associations", __name__)
_LOGO_NAME = re.compile(r"^[0-9a-f]{32}\.png$")


@bp.app_template_global()
def country_label(code: str | None) -> str:
    return country_name(code, locale())


@bp.app_template_global()
def country_filter_options(codes) -> list[tuple[str, str]]:
    return country_options(codes, locale())


@bp.app_template_global()
def role_label(role) -> str:
    return str(ROLE_LABELS.get(Role(role), role))


@bp.app_template_global()
def kind_label(kind) -> str:
    return str(KIND_LABELS.get(PartnershipKind(kind), kind))


@bp.app_template_global()
def join_policy_label(policy) -> str:
    return str(JOIN_POLICY_LABELS.get(JoinPolicy(policy), policy))


bp.add_app_template_global(render_markdown, "render_markdown")


@bp.route("/associations")
@for_visitors("q", "theme", "country", "sdg", "page")
def directory():
    q = request.args.get("q", "").strip()[:100]
    theme = request.args.get("theme", "")[:60]
    country = request.args.get("country", "")[:2].upper()
    sdg_raw = request.args.get("sdg", "")
    sdg = int(sdg_raw) if sdg_raw.isdigit() and 1 <= int(sdg_raw) <= 17 else None
    found = queries.directory(
        q=q,
        theme=theme,
        sdg=sdg,
        country=country if is_country(country) else "",
        page=page_number(request.args.get("page")),
    )
    if found.page > 1 and not found.items:
        abort(404)
    ids = [a.id for a in found.items]
    used = set(queries.countries_in_use())
    return render_template(
        "associations/directory.html",
        associations=found.items,
        total=found.total,
        page=found.page,
        pages=found.pages,
        counts=queries.member_counts(ids),
        sdgs=services.sdgs_of(db.session, ids),
        q=q,
        theme=theme,
        sdg=sdg,
        country=country,
        themes=all_themes(),
        goals=sdg_choices(locale()),
        countries=country_options(used, locale()),
    )


@bp.route("/associations/new", methods=["GET", "POST"])
def new():
    require("association.create")
    form = AssociationForm()
    form.set_choices(locale(), theme_choices(locale()), sdg_choices(locale()))
    if form.validate_on_submit():
        logo = None

        def create() -> Association:
            nonlocal logo
            checked = uploaded_logo(form)
            logo = checked.name if checked else None
            association = services.create_association(
                db.session,
                current_user._get_current_object(),
                name=form.name.data,
                city=form.city.data,
                country=form.country.data,
                description=form.description.data or "",
                website=form.website.data,
                join_policy=JoinPolicy(form.join_policy.data),
                logo=logo,
                themes=form.themes.data or [],
                sdgs=sdg_numbers(form),
            )
            if checked:  # decoded only now that everything else is valid
                save_logo(checked)
            return association

        # The unique name decides when someone took the name a moment earlier.
        done = commit(
            create,
            form,
            conflict=ValidationError(_("An association with this name already exists."), "name"),
            once=form.once.data,
            then=lambda association: url_for("associations.space", slug=association.slug),
        )
        if done:
            if not done.repeated:
                flash(
                    _(
                        "Thank you! Your association has been registered and waits for approval by the platform team."
                    ),
                    "success",
                )
            return redirect(done.url)
        delete_logo(logo)
        return render_template("associations/new.html", form=form), done.status
    status = 400 if form.is_submitted() else 200
    return render_template("associations/new.html", form=form), status


def render_space(association: Association, status: int = 200):
    partnerships = queries.partnerships_of(association)
    return render_template(
        "associations/space.html",
        association=association,
        partnerships=partnerships,
        member_count=queries.member_counts([association.id])[association.id],
        my_membership=membership(current_user, association.id),
        sdgs=services.sdgs_of(db.session, [association.id])[association.id],
    ), status


@bp.route("/a/<slug>")
@for_visitors
def space(slug: str):
    return render_space(queries.association_or_404(slug, visible=True))


def _button_refused(association: Association, error: DomainError):
    flash(str(error.message), "error")
    return render_space(association, error.status_code)


@bp.route("/a/<slug>/join", methods=["POST"])
def join(slug: str):
    association = queries.association_or_404(slug, visible=True)
    if not current_user.is_authenticated or membership(current_user, association.id) is None:
        require("association.join", association)
    if not ActionForm().validate_on_submit():
        return expired_form()
    done = commit(
        lambda: members.join_association(db.session, current_user._get_current_object(), association)
    )
    if isinstance(done.error, Conflict):  # a double click: the first request joined already
        return redirect(url_for("associations.space", slug=association.slug))
    if not done:
        return _button_refused(association, done.error)
    if done.value.is_active:
        flash(_("Welcome! You are now a member of %(name)s.", name=association.name), "success")
    else:
        flash(_("Your request has been sent. The admins will decide on it."), "success")
    return redirect(url_for("associations.space", slug=association.slug))


@bp.route("/a/<slug>/leave", methods=["POST"])
def leave(slug: str):
    association = queries.association_or_404(slug, visible=True)
    require("association.leave", association)
    if not ActionForm().validate_on_submit():
        return expired_form()
    done = commit(
        lambda: members.leave_association(db.session, current_user._get_current_object(), association)
    )
    if not done:
        return _button_refused(association, done.error)
    flash(_("You have left %(name)s.", name=association.name), "success")
    return redirect(url_for("associations.space", slug=association.slug))


@bp.route("/a/<slug>/invitations/<token>", methods=["GET", "POST"])
def invitation(slug: str, token: str):
    association = queries.association_or_404(slug, visible=True)
    try:
        members.invitation_for_token(db.session, association, token)
    except DomainError as error:
        return render_message(
            _("This invitation cannot be used"),
            error.message,
            back_url=url_for("associations.directory"),
            back_label=_("To the associations"),
        )
    form = ActionForm()
    if request.method == "POST":
        if not current_user.is_authenticated:
            abort(login_manager.unauthorized())  # to the sign-in page, and back afterwards
        if not form.validate_on_submit():
            return expired_form()
        done = commit(
            lambda: members.accept_invitation(
                db.session, current_user._get_current_object(), association, token
            ),
            form,
        )
        if not done:
            forget_memberships()
            return render_template(
                "associations/invitation.html", association=association, form=form, token=token
            ), done.status
        flash(_("Welcome! You are now a member of %(name)s.", name=association.name), "success")
        return redirect(url_for("associations.space", slug=association.slug))
    return render_template("associations/invitation.html", association=association, form=form, token=token)


@bp.route("/uploads/logos/<name>")
def logo(name: str):
    if not _LOGO_NAME.match(name):
        abort(404)
    return send_from_directory(logo_folder(), name, mimetype="image/png", max_age=86400)


manage_views.register(bp)


def my_associations_section(subject, viewer):
    """ "My associations" on the profile page, with role and state."""
    if not getattr(viewer, "is_authenticated", False):
        return None
    return "associations/_profile_section.html", {"memberships": queries.my_memberships(viewer)}
