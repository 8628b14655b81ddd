"""Pages of the groups feature: directory, group pages, membership, threads and replies."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from twinning.associations.queries import association_or_404
from twinning.auth import intents
from twinning.auth.models import User
from twinning.core.content import render_markdown
from twinning.core.errors import NotAllowed, expired_form, render_message
from twinning.core.extensions import db
from twinning.core.forms import ActionForm
from twinning.core.i18n import format_date
from twinning.core.pagecache import for_visitors
from twinning.core.pagination import page_number
from twinning.core.ratelimits import posting_limit
from twinning.core.transactions import commit
from twinning.discussion.views import delete_post_action, edit_post_page
from twinning.groups import queries, services
from twinning.groups.forms import GroupForm, GroupRoleForm, ReplyForm, ThreadForm
from twinning.groups.models import Group
from twinning.permissions import can, group_role, is_group_member, require
from twinning.topics.queries import all_themes

bp = Blueprint("groups", __name__)


def _actor() -> User:
    return current_user._get_current_object()


def _back_url() -> str:
    """Where the person came from, if that is this site; else the group directory."""
    referrer = request.referrer or ""
    return referrer if referrer.startswith(request.host_url) else url_for("groups.directory")


def _expired_form():
    return expired_form(_back_url(), _("Back"))


# -- directory and the association's groups -----------------------------------------------


@bp.route("/groups")
@for_visitors("theme", "sdg", "association", "country", "open_to", "q", "page")
def directory():
    filters = queries.DirectoryFilters.from_args(request.args)
    page = queries.directory(filters, current_user, page_number(request.args.get("page")))
    if page.beyond_the_end:
        abort(404)
    return render_template(
        "groups/directory.html",
        page=page,
        filters=filters,
        themes=all_themes(),
        sdgs=queries.sdgs_by_group([group.id for group in page.items]),
        hosts=queries.host_choices(),
        countries=queries.countries_with_groups(),
    )


@bp.route("/a/<slug>/groups")
@for_visitors
def association_groups(slug: str):
    association = association_or_404(slug)
    require("association.view", association)
    groups = queries.association_groups(association)
    return render_template(
        "groups/association_groups.html",
        association=association,
        groups=groups,
        sdgs=queries.sdgs_by_group([group.id for group in groups]),
    )


def _group_values(form: GroupForm) -> dict:
    return {
        "name": form.name.data,
        "description": form.description.data,
        "themes": form.themes.data,
        "sdgs": form.sdgs.data,
        "open_to": form.open_to.data,
    }


@bp.route("/a/<slug>/groups/new", methods=["GET", "POST"])
def create(slug: str):
    association = association_or_404(slug)
    require("association.view", association)
    require("group.create", association)
    form = GroupForm()
    if form.validate_on_submit():
        done = commit(
            lambda: services.create_group(db.session, _actor(), association, **_group_values(form)),
            form,
            once=form.once.data,
            then=lambda group: url_for("groups.detail", group_id=group.id),
        )
        if done:
            if not done.repeated:
                flash(_("The group has been created. You coordinate it."), "success")
            return redirect(done.url)
    status = 400 if form.is_submitted() else 200
    return render_template("groups/form.html", form=form, association=association, group=None), status


# -- one group ------------------------------------------------------------------------------


@bp.route("/groups/<int:group_id>")
@for_visitors("page")
def detail(group_id: int):
    group = queries.group_or_404(group_id)
    threads = queries.threads_page(group, current_user, page_number(request.args.get("page")))
    members = queries.members_page(group, 1) if current_user.is_authenticated else None
    return render_template(
        "groups/detail.html",
        group=group,
        threads=threads,
        members=members,
        coordinators=queries.coordinators(group),
        sdgs=queries.sdgs_by_group([group.id])[group.id],
    )


@bp.route("/groups/<int:group_id>/edit", methods=["GET", "POST"])
@login_required
def edit(group_id: int):
    group = queries.group_or_404(group_id)
    require("group.manage", group)
    form = GroupForm(obj=group)
    if request.method == "GET":
        form.themes.data = [theme.slug for theme in group.themes]
        form.sdgs.data = [str(n) for n in queries.sdgs_by_group([group.id])[group.id]]
        form.open_to.data = group.open_to.value
    elif form.validate_on_submit():
        done = commit(
            lambda: services.update_group(db.session, _actor(), group, **_group_values(form)),
            form,
        )
        if done:
            flash(_("The group has been saved."), "success")
            return redirect(url_for("groups.detail", group_id=group.id))
    status = 400 if form.is_submitted() else 200
    return render_template("groups/form.html", form=form, association=group.association, group=group), status


@bp.route("/groups/<int:group_id>/join", methods=["GET", "POST"])
def join(group_id: int):
    """GET asks to confirm (where sign-up sends people back to); POST joins."""
    group = queries.group_or_404(group_id)
    if not current_user.is_authenticated:  # remembered: joined right after sign-up or sign-in
        if request.method == "GET" and request.args.get("account") == "new":
            intents.remember("group.join", group)
            return redirect(url_for("auth.register", next=url_for("groups.join", group_id=group.id)))
        require("group.join", group)
    if request.method == "GET":
        if is_group_member(current_user, group):
            flash(_("You are a member of this group."), "info")
            return redirect(url_for("groups.detail", group_id=group.id))
        return render_template(
            "groups/join.html", group=group, sdgs=queries.sdgs_by_group([group.id])[group.id]
        )
    form = ActionForm()
    if not form.validate_on_submit():
        return _expired_form()
    done = commit(lambda: services.join_group(db.session, _actor(), group))
    if not done:
        if isinstance(done.error, NotAllowed):
            raise done.error  # 403, with the reason
        flash(str(done.message), "info")
        return redirect(url_for("groups.detail", group_id=group_id))
    flash(_("Welcome to %(group)s! You are now a member.", group=group.name), "success")
    return redirect(url_for("groups.detail", group_id=group_id))


@bp.route("/groups/<int:group_id>/leave", methods=["POST"])
@login_required
def leave(group_id: int):
    group = queries.group_or_404(group_id)
    form = ActionForm()
    if not form.validate_on_submit():
        return _expired_form()
    done = commit(lambda: services.leave_group(db.session, _actor(), group))
    if not done:
        flash(str(done.message), "error")
        return redirect(url_for("groups.detail", group_id=group_id))
    flash(_("You have left %(group)s.", group=group.name), "success")
    return redirect(url_for("groups.detail", group_id=group_id))


# -- members --------------------------------------------------------------------------------


@bp.route("/groups/<int:group_id>/members")
@login_required
def members(group_id: int):
    group = queries.group_or_404(group_id)
    page = queries.members_page(group, page_number(request.args.get("page")))
    if page.beyond_the_end:
        abort(404)
    return render_template("groups/members.html", group=group, page=page, role_form=GroupRoleForm())


def _member_or_404(group: Group, user_id: int) -> User:
    user = db.session.get(User, queries.id_or_404(user_id))
    if user is None:
        abort(404)
    return user


def _manage_member(group_id: int, user_id: int, action) -> object:
    group = queries.group_or_404(group_id)
    require("group.manage", group)
    user = _member_or_404(group, user_id)
    done = commit(lambda: action(group, user))
    if done:
        flash(done.value, "success")
    elif isinstance(done.error, NotAllowed):
        raise done.error  # 403, with the reason
    else:
        flash(str(done.message), "error")
    return redirect(url_for("groups.members", group_id=group_id))


@bp.route("/groups/<int:group_id>/members/<int:user_id>/remove", methods=["POST"])
@login_required
def remove_member(group_id: int, user_id: int):
    if not ActionForm().validate_on_submit():
        return _expired_form()

    def remove(group: Group, user: User) -> str:
        services.remove_member(db.session, _actor(), group, user)
        return _("%(name)s is no longer a member of the group.", name=user.display_name)

    return _manage_member(group_id, user_id, remove)


@bp.route("/groups/<int:group_id>/members/<int:user_id>/role", methods=["POST"])
@login_required
def set_role(group_id: int, user_id: int):
    form = GroupRoleForm()
    if not form.validate_on_submit():
        queries.group_or_404(group_id)
        return render_message(
            _("Please try again"), _("Please choose a role."), back_url=_back_url(), back_label=_("Back")
        )

    def change(group: Group, user: User) -> str:
        services.set_group_role(db.session, _actor(), group, user, form.role.data)
        return _("The role of %(name)s has been changed.", name=user.display_name)

    return _manage_member(group_id, user_id, change)


# -- threads --------------------------------------------------------------------------------


@bp.route("/groups/<int:group_id>/threads/new", methods=["GET", "POST"])
@login_required
@posting_limit("LIMIT_THREADS")
def new_thread(group_id: int):
    group = queries.group_or_404(group_id)
    require("group.post", group)
    form = ThreadForm()
    if form.validate_on_submit():
        done = commit(
            lambda: services.start_thread(
                db.session, _actor(), group, title=form.title.data, body=form.body.data
            ),
            form,
            once=form.once.data,
            then=lambda thread: url_for("groups.thread", group_id=group.id, thread_id=thread.id),
        )
        if done:
            if done.repeated:  # the same form sent twice: on to the thread the first one started
                return redirect(done.url)
            if done.value.moderation_state == "approved":
                flash(_("Your thread has been published."), "success")
            else:
                flash(
                    _("Thank you! A moderator will look at your thread soon; until then only you see it."),
                    "success",
                )
            return redirect(done.url)
    status = 400 if form.is_submitted() else 200
    return render_template("groups/thread_form.html", form=form, group=group), status


def _render_thread(group: Group, thread, form: ReplyForm | None, status: int = 200):
    return render_template(
        "groups/thread.html",
        group=group,
        thread=thread,
        form=form,
        replies=queries.replies(thread, current_user),
        locale=str(get_locale()),
        reply_is_editable=lambda reply: services.reply_is_editable(current_user, reply),
    ), status


@bp.route("/groups/<int:group_id>/threads/<int:thread_id>")
@for_visitors
def thread(group_id: int, thread_id: int):
    group = queries.group_or_404(group_id)
    found = queries.thread_or_404(group, thread_id, current_user)
    # No form, no CSRF token in the session, for those who cannot reply (twinning.core.pagecache).
    form = ReplyForm(formdata=None) if can(current_user, "group.post", group) else None
    return _render_thread(group, found, form)


@bp.route("/groups/<int:group_id>/threads/<int:thread_id>/replies", methods=["POST"])
@login_required
@posting_limit("LIMIT_REPLIES")
def reply(group_id: int, thread_id: int):
    group = queries.group_or_404(group_id)
    found = queries.thread_or_404(group, thread_id, current_user)
    require("group.post", group)
    form = ReplyForm()
    if form.validate_on_submit():
        done = commit(
            lambda: services.reply_to_thread(db.session, _actor(), found, body=form.body.data),
            form,
            once=form.once.data,
            then=lambda new_reply: url_for(
                "groups.thread", group_id=group.id, thread_id=found.id, _anchor=f"reply-{new_reply.id}"
            ),
        )
        if done:
            if done.repeated:  # the same form sent twice: on to the reply the first one made
                return redirect(done.url)
            if done.value.moderation_state == "approved":
                flash(_("Your reply has been published."), "success")
            else:
                flash(_("Thank you! A moderator will look at your reply soon."), "success")
            return redirect(done.url)
    return _render_thread(group, found, form, 400)


def _reply_of_thread(group_id: int, thread_id: int, reply_id: int):
    """The group, thread and reply of a reply's address (404 unless the viewer sees each), and the thread's URL."""
    group = queries.group_or_404(group_id)
    found = queries.thread_or_404(group, thread_id, current_user)
    reply = queries.reply_or_404(found, reply_id, current_user)
    return group, found, reply, url_for("groups.thread", group_id=group.id, thread_id=found.id)


@bp.route(
    "/groups/<int:group_id>/threads/<int:thread_id>/replies/<int:reply_id>/edit", methods=["GET", "POST"]
)
@login_required
def edit_reply(group_id: int, thread_id: int, reply_id: int):
    group, found, own, thread_url = _reply_of_thread(group_id, thread_id, reply_id)
    return edit_post_page(
        services.REPLIES,
        own,
        back_url=f"{thread_url}#reply-{own.id}",
        changed=_("Your reply has been changed."),
        page_title=_("Edit reply") + " – " + found.title,
        heading=_("Edit reply"),
        lead=_("Replies can be changed within 15 minutes of posting."),
        breadcrumb=[(url_for("groups.detail", group_id=group.id), group.name), (thread_url, found.title)],
    )


@bp.route("/groups/<int:group_id>/threads/<int:thread_id>/replies/<int:reply_id>/delete", methods=["POST"])
@login_required
def delete_reply(group_id: int, thread_id: int, reply_id: int):
    _group, _thread, own, thread_url = _reply_of_thread(group_id, thread_id, reply_id)
    return delete_post_action(
        services.REPLIES,
        own,
        back_url=f"{thread_url}#reply-{own.id}",
        deleted_url=f"{thread_url}#replies-heading",
        deleted=_("Your reply has been deleted."),
        expired=_expired_form,
    )


@bp.route("/groups/<int:group_id>/threads/<int:thread_id>/pin", methods=["POST"])
@login_required
def pin(group_id: int, thread_id: int):
    group = queries.group_or_404(group_id)
    found = queries.thread_or_404(group, thread_id, current_user)
    require("thread.pin", found)
    if not ActionForm().validate_on_submit():
        return _expired_form()
    done = commit(lambda: services.set_pinned(db.session, _actor(), found, not found.pinned))
    if not done:
        flash(str(done.message), "error")
        return redirect(url_for("groups.thread", group_id=group.id, thread_id=found.id))
    flash(
        _("The thread is pinned to the top.") if found.pinned else _("The thread is no longer pinned."),
        "success",
    )
    return redirect(url_for("groups.thread", group_id=group.id, thread_id=found.id))


@bp.app_template_global()
def viewer_group_role(group: Group):
    """The viewer's role in a group (None if not a member), for join and leave buttons."""
    return group_role(current_user, group)


@bp.app_template_filter("groups_markdown")
def groups_markdown(text: str):
    return render_markdown(text)


@bp.app_template_filter("groups_date")
def groups_date(value):
    return format_date(value, "medium")
