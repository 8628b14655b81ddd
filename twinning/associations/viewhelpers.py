"""Small helpers the association views share."""

from __future__ import annotations

from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from twinning.associations.uploads import CheckedLogo, check_logo
from twinning.core import errors


def locale() -> str:
    current = get_locale()
    return current.language if current else "de"


def uploaded_logo(form) -> CheckedLogo | None:
    """The uploaded logo, if any, checked but not yet decoded (``save_logo`` does that once
    the rest of the form is valid); raises ValidationError for a bad file."""
    upload = form.logo.data
    if upload is None or not getattr(upload, "filename", ""):
        return None
    # Read a little past the limit, so check_logo can tell "too large" from "just right".
    try:
        data = upload.read(2 * 1024 * 1024 + 1)
    finally:
        upload.close()  # large uploads are spooled to a temporary file
    return check_logo(data)


def sdg_numbers(form) -> list[int]:
    return [int(value) for value in form.sdgs.data or [] if value.isdigit()]


def expired_form():
    return errors.expired_form(url_for("associations.directory"), _("To the associations"))
