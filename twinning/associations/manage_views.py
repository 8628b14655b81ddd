"""Admin pages of a space: members, join requests, roles, blocking, invitations, settings."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from twinning.associations import members, partner_views, queries, services
from twinning.associations.forms import InvitationForm, RoleForm, SettingsForm
from twinning.associations.models import Association, JoinPolicy, MembershipState, ModerationPolicy, Role
from twinning.associations.uploads import delete_logo, save_logo
from twinning.associations.viewhelpers import expired_form, locale, sdg_numbers, uploaded_logo
from twinning.core.errors import DomainError
from twinning.core.extensions import db
from twinning.core.forms import ActionForm
from twinning.core.pagination import page_number
from twinning.core.ratelimits import posting_limit
from twinning.core.transactions import commit
from twinning.permissions import require
from twinning.topics.queries import sdg_choices, theme_choices


def _manageable(slug: str) -> Association:
    association = queries.association_or_404(slug, visible=True)
    require("association.manage", association)
    return association


def render_members(
    association: Association, status: int = 200, invitation_form=None, link: str | None = None
):
    active = queries.memberships_by_state(
        association, MembershipState.ACTIVE, page_number(request.args.get("page"))
    )
    pending = queries.memberships_by_state(association, MembershipState.PENDING).items
    blocked = queries.memberships_by_state(association, MembershipState.BLOCKED).items
    return render_template(
        "associations/members.html",
        association=association,
        active=active.items,
        total=active.total,
        page=active.page,
        pages=active.pages,
        pending=pending,
        blocked=blocked,
        invitations=queries.open_invitations(association),
        role_form=RoleForm(formdata=None),
        invitation_form=invitation_form or InvitationForm(formdata=None),
        new_link=link,
    ), status


def members_page(slug: str):
    return render_members(_manageable(slug))


def _refused(association: Association, error: DomainError):
    flash(str(error.message), "error")
    return render_members(association, error.status_code)


def _done(association: Association, message: str):
    flash(message, "success")
    return redirect(url_for("associations.members", slug=association.slug))


def set_role(slug: str, user_id: int):
    association = _manageable(slug)
    target = queries.membership_or_404(association, user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        flash(" ".join(str(message) for message in form.role.errors) or _("Please choose a role."), "error")
        return render_members(association, 400)
    done = commit(
        lambda: members.set_role(db.session, current_user._get_current_object(), target, Role(form.role.data))
    )
    if not done:
        return _refused(association, done.error)
    return _done(association, _("%(name)s's role has been changed.", name=target.user.display_name))


def _member_action(slug: str, user_id: int, action, message: str):
    association = _manageable(slug)
    target = queries.membership_or_404(association, user_id)
    if not ActionForm().validate_on_submit():
        return expired_form()
    name = target.user.display_name
    done = commit(lambda: action(db.session, current_user._get_current_object(), target))
    if not done:
        return _refused(association, done.error)
    return _done(association, message % {"name": name})


def accept_request(slug: str, user_id: int):
    return _member_action(
        slug,
        user_id,
        lambda s, a, m: members.decide_join_request(s, a, m, True),
        _("%(name)s is now a member."),
    )


def reject_request(slug: str, user_id: int):
    return _member_action(
        slug,
        user_id,
        lambda s, a, m: members.decide_join_request(s, a, m, False),
        _("The request of %(name)s has been rejected."),
    )


def block(slug: str, user_id: int):
    return _member_action(slug, user_id, members.block_member, _("%(name)s has been blocked."))


def unblock(slug: str, user_id: int):
    return _member_action(
        slug, user_id, members.unblock_member, _("%(name)s is no longer blocked and may join again.")
    )


@posting_limit("LIMIT_INVITATIONS")
def create_invitation(slug: str):
    association = _manageable(slug)
    require("association.invite", association)
    form = InvitationForm()
    if not form.validate_on_submit():
        return render_members(association, 400, invitation_form=form)
    done = commit(
        lambda: members.create_invitation(
            db.session, current_user._get_current_object(), association, form.email.data
        ),
        form,
    )
    if not done:
        return render_members(association, done.status, invitation_form=form)
    _invitation, token = done.value
    link = url_for("associations.invitation", slug=association.slug, token=token, _external=True)
    if form.email.data:
        flash(_("The invitation has been sent to %(email)s.", email=form.email.data), "success")
    # The token is stored only as a hash: this page is the one chance to copy the link.
    return render_members(association, 200, link=link)


def revoke_invitation(slug: str, invitation_id: int):
    association = _manageable(slug)
    invitation = queries.invitation_or_404(association, invitation_id)
    if not ActionForm().validate_on_submit():
        return expired_form()
    done = commit(
        lambda: members.revoke_invitation(db.session, current_user._get_current_object(), invitation)
    )
    if not done:
        return _refused(association, done.error)
    return _done(association, _("The invitation link no longer works."))


def _settings_form(association: Association, formdata=None) -> SettingsForm:
    if formdata is None:
        form = SettingsForm(
            formdata=None,
            name=association.name,
            city=association.city,
            country=association.country,
            description=association.description,
            website=association.website,
            join_policy=association.join_policy.value,
            moderation_policy=association.moderation_policy.value,
            support_threshold=association.support_threshold,
            support_after_threshold=association.support_after_threshold,
            themes=[t.slug for t in association.themes],
            sdgs=[str(n) for n in services.sdgs_of(db.session, [association.id])[association.id]],
        )
    else:
        form = SettingsForm()
    form.set_choices(locale(), theme_choices(locale()), sdg_choices(locale()))
    return form


def settings(slug: str):
    association = _manageable(slug)
    if request.method == "GET":
        return render_template(
            "associations/settings.html", association=association, form=_settings_form(association)
        )
    form = _settings_form(association, formdata=True)
    if form.validate_on_submit():
        logo = None

        def save():
            nonlocal logo
            checked = uploaded_logo(form)
            logo = checked.name if checked else None
            replaced = services.update_settings(
                db.session,
                current_user._get_current_object(),
                association,
                name=form.name.data,
                city=form.city.data,
                country=form.country.data,
                description=form.description.data or "",
                website=form.website.data,
                join_policy=JoinPolicy(form.join_policy.data),
                moderation_policy=ModerationPolicy(form.moderation_policy.data),
                support_threshold=form.support_threshold.data,
                support_after_threshold=form.support_after_threshold.data,
                themes=form.themes.data or [],
                change_address=form.change_address.data,
                sdgs=sdg_numbers(form),
                logo=logo,
                remove_logo=form.remove_logo.data,
            )
            if checked:  # decoded only now that everything else is valid
                save_logo(checked)
            return replaced

        done = commit(save, form)
        if not done:
            delete_logo(logo)  # the new one, saved for a change that did not happen
        else:
            delete_logo(done.value)
            flash(_("The settings have been saved."), "success")
            return redirect(url_for("associations.settings", slug=association.slug))
    db.session.refresh(association)
    return render_template("associations/settings.html", association=association, form=form), 400


def register(bp: Blueprint) -> None:
    """Attach these pages to the associations blueprint (endpoints keep its name)."""
    for rule, view, methods in (
        ("/a/<slug>/members", members_page, ["GET"]),
        ("/a/<slug>/members/<int:user_id>/role", set_role, ["POST"]),
        ("/a/<slug>/members/<int:user_id>/accept", accept_request, ["POST"]),
        ("/a/<slug>/members/<int:user_id>/reject", reject_request, ["POST"]),
        ("/a/<slug>/members/<int:user_id>/block", block, ["POST"]),
        ("/a/<slug>/members/<int:user_id>/unblock", unblock, ["POST"]),
        ("/a/<slug>/invitations", create_invitation, ["POST"]),
        ("/a/<slug>/invitations/<int:invitation_id>/revoke", revoke_invitation, ["POST"]),
        ("/a/<slug>/settings", settings, ["GET", "POST"]),
    ):
        endpoint = "members" if view is members_page else view.__name__
        bp.add_url_rule(rule, endpoint, view, methods=methods)
    partner_views.register(bp)
