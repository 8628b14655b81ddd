"""Account pages: sign up, confirm, sign in and out, reset, profile."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from twinning.auth import intents, services
from twinning.auth.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
    ResetRequestForm,
)
from twinning.auth.models import User
from twinning.auth.tokens import CONFIRM_MAX_AGE, TokenInvalid, read_token
from twinning.core.errors import expired_form, render_message
from twinning.core.extensions import db, limiter, login_manager
from twinning.core.forms import ActionForm
from twinning.core.ratelimits import per_account, setting
from twinning.core.transactions import commit

bp = Blueprint("auth", __name__)


def _account_key() -> str:
    """Rate-limit key for the account an attempt is about, whoever sends it."""
    return "account:" + services.normalize_email(request.form.get("email", ""))[:254]


def _account_and_address_key() -> str:
    """Rate-limit key for one address trying one account: failures elsewhere never lock it."""
    return f"{_account_key()}|address:{request.remote_addr}"


def _failed(response) -> bool:
    return response.status_code >= 400


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    user_id, _, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_version != int(version):
        return None
    return user


def safe_next(default: str) -> str:
    """Only same-site paths, so the sign-in form cannot send people elsewhere."""
    target = request.values.get("next", "")
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.netloc and "\\" not in target:
        return target
    return default


def _sign_in(user: User, remember: bool) -> None:
    language = session.get("lang")
    intent = intents.pending()
    session.clear()  # no fixation: a fresh session for the signed-in person
    if language:
        session["lang"] = language
    intents.keep(intent)  # what the visitor had started, to be completed right after
    login_user(user, remember=remember)


def _continue(default: str):
    """After sign-in or sign-up (a POST): complete or offer what the visitor had started."""
    intent = intents.pending()
    if intent is None:
        return redirect(safe_next(default))
    user = current_user._get_current_object()
    done = commit(lambda: intents.resume(db.session, user, intent))
    if not done or done.value is None:  # gone in the meantime, or refused: the usual landing
        intents.forget()
        if not done:
            flash(str(done.message), "info")
        return redirect(safe_next(default))
    resumed = done.value
    if not resumed.keep:
        intents.forget()
    if resumed.message:
        flash(resumed.message, "success")
    return redirect(resumed.url)


@bp.route("/auth/register", methods=["GET", "POST"])
@limiter.limit("40 per 10 minutes;200 per day", methods=["POST"])
@limiter.limit("5 per hour", key_func=_account_key, methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(safe_next(url_for("pages.home")))
    form = RegisterForm()
    if form.validate_on_submit():
        # Two sign-ups with one address at once: the unique address refuses the second, as the check would.
        done = commit(
            lambda: services.register_user(
                db.session,
                email=form.email.data,
                display_name=form.display_name.data,
                password=form.password.data,
                locale=str(get_locale()),
                intent=intents.pending(),
            ),
            form,
            conflict=services.email_taken_error(),
        )
        if done:
            _sign_in(done.value, remember=False)
            flash(
                _(
                    "Welcome! We have sent you an e-mail: please click the link in it to confirm your address."
                ),
                "success",
            )
            return _continue(url_for("pages.home"))
    status = 400 if form.is_submitted() else 200
    return render_template("auth/register.html", form=form), status


@bp.route("/auth/confirm/<token>")
def confirm(token: str):
    try:
        done = commit(lambda: services.confirm_email(db.session, token))
    except TokenInvalid as error:  # a bad link, not a refusal: it never reaches commit()
        db.session.rollback()
        message = (
            _("This confirmation link has expired. Sign in and ask for a new one.")
            if error.expired
            else _("This confirmation link is not valid.")
        )
        return render_message(_("Confirmation failed"), message)
    if not done:
        return render_message(_("Confirmation failed"), done.message)
    flash(_("Thank you, your e-mail address is confirmed."), "success")
    # What the person had started: from this browser's session, or from the link when the
    # mail is opened elsewhere (kept there for the next sign-in). Only offered: a GET writes no more.
    intent = intents.pending() or intents.parse(read_token("confirm", token, CONFIRM_MAX_AGE).get("intent"))
    if intent is not None:
        if current_user.is_authenticated:
            intents.forget()  # offered now, on the page it leads to
        else:
            intents.keep(intent)  # another browser: completed after the sign-in the offer asks for
        url = intents.offer_url(intent)
        if url:
            return redirect(url)
    return redirect(url_for("pages.home"))


@bp.route("/auth/confirm/resend", methods=["POST"])
@login_required
@limiter.limit("3 per hour", key_func=per_account("resend"))
def resend_confirmation():
    form = ActionForm()
    if not form.validate_on_submit():
        return expired_form()
    done = commit(lambda: services.send_confirmation(db.session, current_user._get_current_object()))
    if not done:
        flash(str(done.message), "info")
        return redirect(url_for("pages.home"))
    flash(_("We have sent the link again. Please look in your mailbox."), "success")
    return redirect(safe_next(url_for("pages.home")))


@bp.route("/auth/login", methods=["GET", "POST"])
@limiter.limit(setting("LIMIT_SIGN_IN_PER_ADDRESS"), methods=["POST"], deduct_when=_failed)
@limiter.limit(
    setting("LIMIT_SIGN_IN_PER_ACCOUNT_AND_ADDRESS"),
    key_func=_account_and_address_key,
    methods=["POST"],
    deduct_when=_failed,
)
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(url_for("pages.home")))
    form = LoginForm()
    if form.validate_on_submit():
        done = commit(lambda: services.authenticate(db.session, form.email.data, form.password.data), form)
        if done and done.value is not None:
            _sign_in(done.value, remember=form.remember.data)
            flash(_("You are signed in."), "success")
            return _continue(url_for("pages.home"))
        if done:
            form.form_errors.append(_("The e-mail address or the password is not correct."))
    status = 400 if form.is_submitted() else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/auth/logout", methods=["POST"])
def logout():
    form = ActionForm()
    if not form.validate_on_submit():
        return expired_form()
    if current_user.is_authenticated:
        done = commit(lambda: services.end_other_sessions(current_user._get_current_object()))
        if not done:
            flash(str(done.message), "error")
            return redirect(url_for("pages.home"))
        logout_user()
    flash(_("You are signed out."), "success")
    return redirect(url_for("pages.home"))


@bp.route("/auth/reset", methods=["GET", "POST"])
@limiter.limit("20 per 10 minutes", methods=["POST"])
@limiter.limit("5 per hour", key_func=_account_key, methods=["POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit() and commit(
        lambda: services.request_password_reset(db.session, form.email.data), form
    ):
        # The same answer whether or not the address has an account.
        flash(
            _(
                "If an account exists for this address, we have sent a link to reset the password. It is valid for one hour."
            ),
            "success",
        )
        return redirect(url_for("auth.login"))
    status = 400 if form.is_submitted() else 200
    return render_template("auth/reset_request.html", form=form), status


@bp.route("/auth/reset/<token>", methods=["GET", "POST"])
@limiter.limit("20 per 10 minutes", methods=["POST"])
def reset_with_token(token: str):
    try:
        services.user_for_reset_token(db.session, token)
    except TokenInvalid:
        return render_message(
            _("This link cannot be used"),
            _("The link to reset your password has expired or was already used. Please ask for a new one."),
            retry=url_for("auth.reset_request"),
        )
    form = ResetPasswordForm()
    if form.validate_on_submit():
        done = commit(lambda: services.reset_password(db.session, token, form.password.data), form)
        if done:
            _sign_in(done.value, remember=False)
            flash(_("Your password has been changed. Every other session has been signed out."), "success")
            return redirect(url_for("pages.home"))
    status = 400 if form.is_submitted() else 200
    return render_template("auth/reset_password.html", form=form), status


def _render_profile(status: int = 200, **forms):
    forms.setdefault("profile_form", ProfileForm(obj=current_user, formdata=None))
    forms.setdefault("password_form", ChangePasswordForm(formdata=None))
    forms.setdefault("email_form", ChangeEmailForm(formdata=None))
    return render_template("auth/profile.html", **forms), status


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    if request.method == "GET":
        return _render_profile()
    form = ProfileForm()
    if not form.validate_on_submit():
        return _render_profile(400, profile_form=form)
    done = commit(
        lambda: services.update_profile(
            db.session,
            current_user._get_current_object(),
            display_name=form.display_name.data,
            locale=form.locale.data,
            bio=form.bio.data or "",
        ),
        form,
    )
    if not done:
        return _render_profile(400, profile_form=form)
    session["lang"] = form.locale.data
    flash(_("Your profile has been saved."), "success")
    return redirect(url_for("auth.profile"))


@bp.route("/profile/password", methods=["POST"])
@login_required
@limiter.limit("10 per 15 minutes", key_func=per_account("password"))
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        done = commit(
            lambda: services.change_password(
                db.session, user, form.current_password.data, form.password.data
            ),
            form,
        )
        if done:
            login_user(user)  # keep this session, with the new version in it
            flash(_("Your password has been changed. Every other session has been signed out."), "success")
            return redirect(url_for("auth.profile"))
    return _render_profile(400, password_form=form)


@bp.route("/profile/email", methods=["POST"])
@login_required
@limiter.limit("5 per hour", key_func=per_account("email"))
def change_email():
    form = ChangeEmailForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        done = commit(
            lambda: services.request_email_change(db.session, user, form.email.data, form.password.data), form
        )
        if done:
            flash(
                _(
                    "We have sent a link to the new address. The change takes effect when you open it within 24 hours."
                ),
                "success",
            )
            return redirect(url_for("auth.profile"))
    return _render_profile(400, email_form=form)


def _email_change_link_unusable():
    return render_message(
        _("This link cannot be used"),
        _(
            "The link to change your e-mail address has expired, was already used or was replaced by a newer one. Please ask for a new one on your profile page."
        ),
        retry=url_for("auth.profile"),
    )


@bp.route("/auth/email/<token>", methods=["GET", "POST"])
@limiter.limit("20 per 10 minutes", methods=["POST"])
def confirm_email_change(token: str):
    """The link from the mail shows a button; only the POST changes the address.

    Mail scanners open links on their own, and a GET must not use up a one-time link.
    """
    try:
        new_email = services.read_email_change_token(db.session, token)[1]
    except TokenInvalid:
        return _email_change_link_unusable()
    if request.method == "GET":
        return render_template("auth/email_change.html", new_email=new_email)
    if not ActionForm().validate_on_submit():
        return expired_form(back_url=url_for("auth.confirm_email_change", token=token))
    # Asked before the change: afterwards the session's version no longer matches.
    viewer_id = current_user.id if current_user.is_authenticated else None
    try:
        done = commit(lambda: services.confirm_email_change(db.session, token))
    except TokenInvalid:  # a bad link, not a refusal: it never reaches commit()
        db.session.rollback()
        return _email_change_link_unusable()
    if not done:
        return render_message(_("The address was not changed"), done.message)
    user = done.value
    if viewer_id == user.id:
        login_user(user)  # keep this session, with the new version in it
    flash(
        _("Your e-mail address is now %(email)s. Every other session has been signed out.", email=user.email),
        "success",
    )
    return redirect(url_for("auth.profile" if current_user.is_authenticated else "auth.login"))
