"""Account forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Email, InputRequired, Length
from wtforms.validators import ValidationError as FieldError

from twinning.auth.display_names import check_display_name
from twinning.core.errors import ValidationError
from twinning.core.forms import Form
from twinning.core.i18n import LANGUAGE_NAMES

_email = [
    InputRequired(_l("Please enter your e-mail address.")),
    Length(max=254, message=_l("The e-mail address may have at most %(max)d characters.")),
    Email(_l("Please enter a valid e-mail address, like name@example.org."), check_deliverability=False),
]
_password_new = [
    InputRequired(_l("Please choose a password.")),
    Length(min=10, max=200, message=_l("The password must have between 10 and 200 characters.")),
]


def own_visible_name(form, field) -> None:
    """A display name that shows, and does not pose as the platform or one of its roles."""
    try:
        check_display_name(field.data or "")
    except ValidationError as error:
        raise FieldError(error.message) from error


_display_name = [
    InputRequired(_l("Please enter the name others will see.")),
    Length(max=80, message=_l("The name may have at most %(max)d characters.")),
    own_visible_name,
]


class RegisterForm(Form):
    email = EmailField(_l("E-mail address"), _email)
    display_name = StringField(_l("Your name, as others will see it"), _display_name)
    password = PasswordField(_l("Password"), _password_new, description=_l("At least 10 characters."))


class LoginForm(Form):
    email = EmailField(_l("E-mail address"), _email)
    password = PasswordField(
        _l("Password"),
        [InputRequired(_l("Please enter your password.")), Length(max=200)],
    )
    remember = BooleanField(_l("Stay signed in on this device"))


class ResetRequestForm(Form):
    email = EmailField(_l("E-mail address"), _email)


class ResetPasswordForm(Form):
    password = PasswordField(_l("New password"), _password_new, description=_l("At least 10 characters."))


class ProfileForm(Form):
    display_name = StringField(_l("Your name, as others will see it"), _display_name)
    locale = SelectField(
        _l("Language"),
        choices=[SelectChoice(code, name, render_kw={"lang": code}) for code, name in LANGUAGE_NAMES.items()],
    )
    bio = TextAreaField(
        _l("A few words about you"),
        [Length(max=1000, message=_l("At most %(max)d characters, please."))],
    )


class ChangePasswordForm(Form):
    current_password = PasswordField(
        _l("Current password"), [InputRequired(_l("Please enter your current password.")), Length(max=200)]
    )
    password = PasswordField(_l("New password"), _password_new, description=_l("At least 10 characters."))


class ChangeEmailForm(Form):
    email = EmailField(_l("New e-mail address"), _email)
    # Its own id: the profile page shows this form beside the password form, which has a "password" too.
    password = PasswordField(
        _l("Current password"),
        [InputRequired(_l("Please enter your current password.")), Length(max=200)],
        id="email-change-password",
    )
