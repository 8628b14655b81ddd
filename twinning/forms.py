"""The base form every form inherits: CSRF from Flask-WTF, and no control characters."""

from __future__ import annotations

import re
import secrets

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField

# NUL and other C0 controls break PostgreSQL text and make no sense in a form;
# tab, line feed and carriage return are ordinary text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Form(FlaskForm):
    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        csrf = getattr(self, "csrf_token", None)
        if csrf is not None and csrf.errors:
            # Flask-WTF's own wording is English only and technical.
            csrf.errors = [_l("The form had expired or was incomplete. Please check and send it again.")]
        for field in self:
            text_field = isinstance(field, StringField | TextAreaField)
            if text_field and isinstance(field.data, str) and _CONTROL.search(field.data):
                field.errors = [*field.errors, _l("This field contains characters that are not allowed.")]
                valid = False
        return valid

    def add_error(self, field_name: str | None, message) -> None:
        """Show a domain error beside its field, or above the form."""
        field = getattr(self, field_name, None) if field_name else None
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            self.form_errors.append(message)


def OnceField() -> HiddenField:  # noqa: N802 (a field, named like one)
    """A create form's one-time token: the same form sent twice creates one record
    (``twinning.transactions.commit``). Templates render it with ``{{ form.once() }}``."""
    return HiddenField(default=lambda: secrets.token_hex(16))


class ActionForm(Form):
    """A button that POSTs: nothing but the CSRF token."""
