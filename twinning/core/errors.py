"""Domain errors raised by services, and the HTML error pages."""

from __future__ import annotations

from html import escape

from flask import Flask, Response, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from twinning.core import security


class DomainError(Exception):
    """A rule of the domain refused the action; ``message`` is translatable."""

    status_code = 400

    def __init__(self, message, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ValidationError(DomainError):
    """The input breaks a rule the form alone could not check."""


class InvalidState(DomainError):
    """The object is not in a state that allows this action."""


class NotAllowed(DomainError):
    """The actor may not do this."""

    status_code = 403


ERROR_TEXTS = {
    400: (
        _l("Something in the request was not right"),
        _l("Please go back, check what you entered and try again."),
    ),
    401: (_l("Please sign in"), _l("This page is only for signed-in people.")),
    403: (_l("Not allowed"), _l("You do not have permission to do this.")),
    404: (_l("Page not found"), _l("This page does not exist or is no longer available.")),
    405: (_l("Not possible this way"), _l("This address does not accept this kind of request.")),
    413: (_l("Too large"), _l("The file or text you sent is too large.")),
    429: (_l("Too many attempts"), _l("Please wait a few minutes before you try again.")),
    500: (_l("Something went wrong on our side"), _l("We have been notified. Please try again in a moment.")),
    503: (_l("Temporarily unavailable"), _l("Please try again in a moment.")),
}


def render_message(
    title, text, *, status: int = 400, back_url: str | None = None, back_label=None, retry: str | None = None
):
    """A short page that explains why an action did not happen, with a way on."""
    return render_template(
        "message.html", title=title, text=text, back_url=back_url, back_label=back_label, retry=retry
    ), status


def expired_form(back_url: str | None = None, back_label=None):
    """A POST button whose CSRF token was missing or stale."""
    return render_message(
        _l("Please try again"),
        _l("The form had expired. Please send it again."),
        back_url=back_url,
        back_label=back_label,
    )


FALLBACK_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{code} {name}</title></head>
<body><h1>{code} {name}</h1><p><a href="/">Twinning</a></p></body></html>
"""


def fallback_error(code: int) -> Response:
    """The error page that cannot fail: static HTML with the security headers, no template,
    no translation, no database."""
    code = code if code in HTTP_STATUS_CODES and code >= 400 else 500
    response = Response(
        FALLBACK_PAGE.format(code=code, name=escape(HTTP_STATUS_CODES[code])),
        status=code,
        content_type="text/html; charset=utf-8",
    )
    try:
        production = current_app.config.get("ENV") == "production"
    except RuntimeError:
        production = True
    return security.add_security_headers(response, production=production)


def render_error(code: int, detail: str | None = None):
    """The error page; when it cannot be made (a broken template, the database gone while a
    header is rendered, a bad argument), the static one instead: never a bare 500."""
    try:
        title, text = ERROR_TEXTS.get(code, ERROR_TEXTS[500])
        return render_template("errors/error.html", code=code, title=title, text=detail or text), code
    except Exception:
        current_app.logger.exception("The %s page could not be rendered", code)
        return fallback_error(code)


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if request.path.startswith("/healthz"):
            return error
        return render_error(error.code or 500)

    @app.errorhandler(NotAllowed)
    def not_allowed(error: NotAllowed):
        return render_error(403, str(error.message))

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        app.logger.exception("Unhandled error on %s", request.path)
        from twinning.core.extensions import db

        try:
            db.session.rollback()
        except Exception:
            app.logger.exception("The session could not be rolled back")
        return render_error(500)
