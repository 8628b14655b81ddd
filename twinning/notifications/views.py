"""Pages of the notifications feature: the notification centre, read state, e-mail preference."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from twinning.auth.tokens import TokenInvalid
from twinning.core.extensions import db, limiter
from twinning.core.forms import ActionForm
from twinning.core.pagination import page_number, paginate
from twinning.core.transactions import commit
from twinning.notifications import follows, services
from twinning.notifications import unsubscribe as unsubscribe_links
from twinning.notifications.forms import EmailPreferenceForm
from twinning.notifications.models import Delivery, Notification
from twinning.notifications.texts import CATEGORIES, render
from twinning.permissions import cached, can, require

bp = Blueprint("notifications", __name__)

_MAX_ID = 2**31 - 1


@bp.app_context_processor
def _unread() -> dict:
    """``unread_notifications()`` for the header: one COUNT per request, signed-in users only."""

    def unread_notifications() -> int:
        if not current_user.is_authenticated:
            return 0
        return cached(
            "unread_notifications", current_user.id, lambda: services.unread_count(db.session, current_user)
        )

    def is_following(kind: str, target_id: int) -> bool:
        if not current_user.is_authenticated:
            return False
        return follows.is_following(db.session, current_user._get_current_object(), kind, target_id)

    return {
        "unread_notifications": unread_notifications,
        "render_notification": render,
        "is_following": is_following,
    }


def _safe_link(link: str) -> str:
    """Stored links are paths on this site; anything else goes to the notification centre."""
    if link.startswith("/") and not link.startswith("//") and "\\" not in link:
        return link
    return url_for("notifications.index")


@bp.route("/notifications")
def index():
    require("notifications.view")
    user = current_user._get_current_object()
    found = paginate(
        select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc()),
        page_number(request.args.get("page")),
    )
    return render_template(
        "notifications/index.html",
        notifications=found.items,
        page=found.page,
        pages=found.pages,
        total=found.total,
    )


def _own_notification_or_404(notification_id: int) -> Notification:
    if notification_id > _MAX_ID:
        abort(404)
    notification = db.session.get(Notification, notification_id)
    # Someone else's notification is "not there" for this person.
    if notification is None or notification.user_id != current_user.id:
        abort(404)
    return notification


@bp.route("/notifications/<int:notification_id>/open", methods=["GET", "POST"])
def open_notification(notification_id: int):
    """Follow a notification's link; the button (a POST) also counts it as read, a GET never writes."""
    require("notifications.view")
    notification = _own_notification_or_404(notification_id)
    if request.method == "POST":
        if not ActionForm().validate_on_submit():
            abort(400)
        # Counted as read when it can be; the link is followed either way.
        commit(lambda: services.mark_read(db.session, current_user._get_current_object(), notification))
    return redirect(_safe_link(notification.link))


@bp.route("/notifications/<int:notification_id>/read", methods=["POST"])
def mark_read(notification_id: int):
    require("notifications.view")
    notification = _own_notification_or_404(notification_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    done = commit(lambda: services.mark_read(db.session, current_user._get_current_object(), notification))
    if done:
        flash(_("Marked as read."), "success")
    else:
        flash(str(done.message), "error")
    return redirect(url_for("notifications.index", page=request.args.get("page", 1)))


@bp.route("/notifications/read-all", methods=["POST"])
def mark_all_read():
    require("notifications.view")
    if not ActionForm().validate_on_submit():
        abort(400)
    done = commit(lambda: services.mark_all_read(db.session, current_user._get_current_object()))
    if not done:
        flash(str(done.message), "error")
    else:
        flash(
            _("All notifications are marked as read.") if done.value else _("Nothing was unread."), "success"
        )
    return redirect(url_for("notifications.index"))


@bp.route("/notifications/preferences", methods=["GET", "POST"])
def preferences():
    require("notifications.view")
    user = current_user._get_current_object()
    if request.method == "GET":
        form = EmailPreferenceForm(
            formdata=None, data={"email_notifications": user.email_notifications.value}
        )
        return render_template("notifications/preferences.html", form=form)
    form = EmailPreferenceForm()
    if not form.validate_on_submit():
        return render_template("notifications/preferences.html", form=form), 400
    if not commit(
        lambda: services.set_email_preference(db.session, user, form.email_notifications.data), form
    ):
        return render_template("notifications/preferences.html", form=form), 400
    flash(_("Your choice for e-mails has been saved."), "success")
    return redirect(url_for("auth.profile"))


def profile_section(user, viewer) -> tuple[str, dict] | None:
    """On the profile: how notifications arrive by e-mail, with a small form to change it."""
    if viewer is None or not viewer.is_authenticated or viewer.id != user.id:
        return None
    form = EmailPreferenceForm(formdata=None, data={"email_notifications": user.email_notifications.value})
    return "notifications/_profile_section.html", {"form": form}


def _visible_target_or_404(kind: str, target_id: int):
    """The thing to follow, if it exists and the person may see it; else 404 (never 403)."""
    followable = follows.FOLLOWABLE.get(kind)
    if followable is None or target_id > _MAX_ID:
        abort(404)
    target = followable.load(db.session, target_id)
    if target is None or not can(current_user, followable.view_rule, target):
        abort(404)
    return followable, target


@bp.route("/follow/<kind>/<int:target_id>", methods=["POST"])
def follow(kind: str, target_id: int):
    """Follow or stop following a proposal, group or thread; back to where the button was."""
    require("notifications.view")
    followable, target = _visible_target_or_404(kind, target_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    user = current_user._get_current_object()
    done = commit(lambda: follows.toggle(db.session, user, kind, target_id))
    if not done:
        flash(str(done.message), "error")
    elif done.value:
        flash(_("You follow “%(title)s” now.", title=followable.title(target)), "success")
    else:
        flash(_("You no longer follow “%(title)s”.", title=followable.title(target)), "success")
    back = request.form.get("next", "")
    return redirect(_safe_link(back) if back else followable.path(target))


@bp.route("/profile/following")
def following():
    """What the person follows by choice, each with a button to end it."""
    require("notifications.view")
    user = current_user._get_current_object()
    rows = []
    by_kind: dict[str, list] = {}
    for row in follows.followed_by(db.session, user):
        by_kind.setdefault(row.kind, []).append(row)
    for kind, kind_rows in by_kind.items():
        followable = follows.FOLLOWABLE.get(kind)
        if followable is None:
            continue
        targets = followable.load_many(db.session, [row.target_id for row in kind_rows])
        for row in kind_rows:
            target = targets.get(row.target_id)
            if target is not None and can(user, followable.view_rule, target):
                rows.append((row, followable.title(target), followable.path(target)))
    return render_template("notifications/following.html", rows=rows, form=ActionForm())


_DELIVERY_LABELS = {
    Delivery.IN_APP: _l("Here only"),
    Delivery.IMMEDIATELY: _l("Mail right away"),
    Delivery.DIGEST: _l("Daily digest"),
    Delivery.OFF: _l("Off"),
}


def _settings_page(chosen: dict[str, str], errors: dict[str, str] | None = None, status: int = 200):
    return (
        render_template(
            "notifications/settings.html",
            categories=CATEGORIES,
            deliveries=_DELIVERY_LABELS,
            chosen=chosen,
            errors=errors or {},
            form=ActionForm(),
        ),
        status,
    )


@bp.route("/profile/notifications", methods=["GET", "POST"])
def settings():
    """Per category of notification: here only, mail right away, daily digest, or off."""
    require("notifications.view")
    user = current_user._get_current_object()
    if request.method == "GET":
        current = services.deliveries(db.session, user)
        return _settings_page({category: delivery.value for category, delivery in current.items()})
    if not ActionForm().validate_on_submit():
        abort(400)
    chosen = {category: request.form.get(category, "") for category in CATEGORIES}
    valid = {delivery.value for delivery in Delivery}
    errors = {
        category: _("Please choose how we should write to you.")
        for category, value in chosen.items()
        if value not in valid
    }
    if errors:
        return _settings_page(chosen, errors, 400)

    def save() -> None:
        for category, value in chosen.items():
            services.set_delivery(db.session, user, category, value)

    done = commit(save)
    if not done:
        flash(str(done.message), "error")
        return _settings_page(chosen, status=done.status)
    flash(_("Your notification settings have been saved."), "success")
    return redirect(url_for("notifications.settings"))


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@limiter.limit("30 per 10 minutes", methods=["POST"])
def unsubscribe(token: str):
    """A mail's unsubscribe link: a GET shows the button, a POST (the button or a mail program's
    one-click ``List-Unsubscribe-Post``) applies it. No sign-in needed: the signed token is the key."""
    try:
        user, category = unsubscribe_links.read(db.session, token[:1000])
    except TokenInvalid:
        message = _(
            "This unsubscribe link is not valid. Nothing was changed. Choose your settings in your profile."
        )
        return render_template("notifications/unsubscribe.html", invalid=message), 400
    if current_user.is_authenticated and current_user.id != user.id:
        message = _(
            "This unsubscribe link belongs to another account. Nothing was changed. Sign out to use it, or choose your own settings in your profile."
        )
        return render_template("notifications/unsubscribe.html", invalid=message), 400
    label = _("all mails") if category == unsubscribe_links.ALL else CATEGORIES[category]
    if request.method == "GET":
        return render_template("notifications/unsubscribe.html", label=label, done=False)
    done = commit(lambda: unsubscribe_links.apply(db.session, user, category))
    if not done:
        return render_template("notifications/unsubscribe.html", invalid=str(done.message)), done.status
    return render_template("notifications/unsubscribe.html", label=label, done=True)
