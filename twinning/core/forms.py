"""The base form every form inherits: CSRF from Flask-WTF, and no control, line-break or
bidi characters where they do not belong (see ``refused_characters``)."""

from __future__ import annotations

import re
import secrets

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField, TextAreaField

# NUL and other C0 controls break PostgreSQL text and make no sense in a form;
# tab, line feed and carriage return are ordinary text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Characters that reorder or hide the text around them (Trojan Source, CVE-2021-42574):
# embeddings and overrides U+202A–U+202E, isolates U+2066–U+2069.
_BIDI_OVERRIDES = "\u202a-\u202e\u2066-\u2069"
# A multi-line text (description, body) keeps its line breaks and tabs.
MULTI_LINE_REFUSED = re.compile(f"[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f{_BIDI_OVERRIDES}]")
# A single-line text (name, title, city, e-mail, …) has no line break of any kind, no C0/C1
# control (tab, CR, LF and NEL included), no line or paragraph separator, and no bidi
# control at all: besides the overrides the marks LRM/RLM U+200E/F and ALM U+061C, which
# shown beside other text (a name in a list, a title in a mail subject) change its order.
SINGLE_LINE_REFUSED = re.compile(
    f"[\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029\\u200e\\u200f\\u061c{_BIDI_OVERRIDES}]"
)

SINGLE_LINE_MESSAGE = _l(
    "Please write this on one line, without control or text-direction characters: they are not allowed here."
)
CONTROL_MESSAGE = _l("This field contains characters that are not allowed.")
MULTI_LINE_MESSAGE = _l(
    "This text contains control characters or text-direction overrides, which are not allowed."
)


def refused_characters(field) -> str | None:
    """The message for a text field holding characters it may not, or None.

    Every StringField is single-line except TextAreaField (multi-line) and PasswordField
    (never shown to anyone; refusing more than before could lock out an existing password,
    so it keeps the C0 rule)."""
    if not isinstance(field, StringField) or not isinstance(field.data, str):
        return None
    if isinstance(field, TextAreaField):
        return MULTI_LINE_MESSAGE if MULTI_LINE_REFUSED.search(field.data) else None
    if isinstance(field, PasswordField):
        return CONTROL_MESSAGE if _CONTROL.search(field.data) else None
    return SINGLE_LINE_MESSAGE if SINGLE_LINE_REFUSED.search(field.data) else None


class Form(FlaskForm):
    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        csrf = getattr(self, "csrf_token", None)
        if csrf is not None and csrf.errors:
            # Flask-WTF's own wording is English only and technical.
            csrf.errors = [_l("The form had expired or was incomplete. Please check and send it again.")]
        for field in self:
            message = refused_characters(field)
            if message is not None:
                field.errors = [*field.errors, message]
                valid = False
        return valid

    def add_error(self, field_name: str | None, message) -> None:
        """Show a domain error beside its field, or above the form."""
        field = getattr(self, field_name, None) if field_name else None
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            self.form_errors.append(message)


def OnceField() -> HiddenField:
    """A create form's one-time token: the same form sent twice creates one record
    (``twinning.core.transactions.commit``). Templates render it with ``{{ form.once() }}``."""
    return HiddenField(default=lambda: secrets.token_hex(16))


class ActionForm(Form):
    """A button that POSTs: nothing but the CSRF token."""
