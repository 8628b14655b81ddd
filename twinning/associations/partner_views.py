"""Partner cities of a space and the links between partner associations (admins)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from twinning.associations import partners, queries
from twinning.associations.forms import LinkForm, PartnershipForm, options
from twinning.associations.models import Association, PartnershipKind
from twinning.associations.viewhelpers import expired_form, locale
from twinning.core.errors import DomainError
from twinning.core.extensions import db
from twinning.core.forms import ActionForm
from twinning.core.transactions import commit
from twinning.permissions import require


def _manageable(slug: str) -> Association:
    association = queries.association_or_404(slug, visible=True)
    require("association.manage", association)
    return association


def _partner_choices(association: Association) -> list[tuple[str, str]]:
    return [(a.slug, f"{a.name} ({a.city})") for a in queries.possible_partners(association)]


def _render(
    association: Association,
    status: int = 200,
    form: PartnershipForm | None = None,
    link_form: LinkForm | None = None,
):
    choices = _partner_choices(association)
    if form is None:
        form = PartnershipForm(formdata=None)
        form.set_choices(locale(), choices)
    if link_form is None:
        link_form = LinkForm(formdata=None)
    link_form.partner.choices = options(choices)
    return render_template(
        "associations/partnerships.html",
        association=association,
        form=form,
        link_form=link_form,
        partnerships=queries.partnerships_of(association),
        incoming=queries.incoming_link_requests(association),
    ), status


def partnerships(slug: str):
    association = _manageable(slug)
    return _render(association)


def add_partnership(slug: str):
    association = _manageable(slug)
    form = PartnershipForm()
    form.set_choices(locale(), _partner_choices(association))
    if not form.validate_on_submit():
        return _render(association, 400, form=form)
    partner = queries.active_association_by_slug(form.partner.data) if form.partner.data else None
    done = commit(
        lambda: partners.add_partnership(
            db.session,
            current_user._get_current_object(),
            association,
            city=form.city.data,
            country=form.country.data,
            kind=PartnershipKind(form.kind.data),
            since_year=form.since_year.data,
            partner=partner,
        ),
        form,
    )
    if not done:
        return _render(association, done.status, form=form)
    flash(_("The partner city has been added."), "success")
    if partner is not None:
        flash(_("The admins of %(name)s have been asked to confirm the link.", name=partner.name), "info")
    return redirect(url_for("associations.partnerships", slug=association.slug))


def _refused(association: Association, error: DomainError):
    flash(str(error.message), "error")
    return _render(association, error.status_code)


def request_link(slug: str, partnership_id: int):
    association = _manageable(slug)
    partnership = queries.partnership_or_404(association, partnership_id)
    form = LinkForm()
    form.partner.choices = options(_partner_choices(association))
    if not form.validate_on_submit():
        return _render(association, 400, link_form=form)
    partner = queries.active_association_by_slug(form.partner.data)
    done = commit(
        lambda: partners.request_link(db.session, current_user._get_current_object(), partnership, partner)
    )
    if not done:
        return _refused(association, done.error)
    flash(_("The admins of %(name)s have been asked to confirm the link.", name=partner.name), "success")
    return redirect(url_for("associations.partnerships", slug=association.slug))


def _incoming_action(slug: str, partnership_id: int, action, message: str):
    association = _manageable(slug)
    partnership = queries.incoming_link_or_404(association, partnership_id)
    if not ActionForm().validate_on_submit():
        return expired_form()
    done = commit(lambda: action(db.session, current_user._get_current_object(), partnership))
    if not done:
        return _refused(association, done.error)
    flash(message, "success")
    return redirect(url_for("associations.partnerships", slug=association.slug))


def confirm_link(slug: str, partnership_id: int):
    return _incoming_action(
        slug,
        partnership_id,
        partners.confirm_link,
        _("The link is confirmed. Both spaces now show each other."),
    )


def decline_link(slug: str, partnership_id: int):
    return _incoming_action(
        slug, partnership_id, partners.decline_link, _("The link request has been declined.")
    )


def remove_partnership(slug: str, partnership_id: int):
    association = _manageable(slug)
    partnership = queries.partnership_or_404(association, partnership_id)
    if not ActionForm().validate_on_submit():
        return expired_form()
    done = commit(
        lambda: partners.remove_partnership(db.session, current_user._get_current_object(), partnership)
    )
    if not done:
        return _refused(association, done.error)
    flash(_("The partner city has been removed."), "success")
    return redirect(url_for("associations.partnerships", slug=association.slug))


def register(bp: Blueprint) -> None:
    """Attach these pages to the associations blueprint."""
    for rule, view, methods in (
        ("/a/<slug>/partnerships", partnerships, ["GET"]),
        ("/a/<slug>/partnerships/new", add_partnership, ["POST"]),
        ("/a/<slug>/partnerships/<int:partnership_id>/link", request_link, ["POST"]),
        ("/a/<slug>/partnerships/<int:partnership_id>/confirm", confirm_link, ["POST"]),
        ("/a/<slug>/partnerships/<int:partnership_id>/decline", decline_link, ["POST"]),
        ("/a/<slug>/partnerships/<int:partnership_id>/remove", remove_partnership, ["POST"]),
    ):
        bp.add_url_rule(rule, view.__name__, view, methods=methods)
