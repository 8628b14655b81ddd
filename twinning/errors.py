"""Domain errors raised by services, and the HTML error pages."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException


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
    400: (_l("Something in the request was not right"),
          _l("Please go back, check what you entered and try again.")),
    401: (_l("Please sign in"), _l("This page is only for signed-in people.")),
    403: (_l("Not allowed"), _l("You do not have permission to do this.")),
    404: (_l("Page not found"),
          _l("This page does not exist or is no longer available.")),
    405: (_l("Not possible this way"), _l("This address does not accept this kind of request.")),
    413: (_l("Too large"), _l("The file or text you sent is too large.")),
    429: (_l("Too many attempts"),
          _l("Please wait a few minutes before you try again.")),
    500: (_l("Something went wrong on our side"),
          _l("We have been notified. Please try again in a moment.")),
    503: (_l("Temporarily unavailable"), _l("Please try again in a moment.")),
}


def render_message(title, text, *, status: int = 400, back_url: str | None = None, back_label=None,
                   retry: str | None = None):
    """A short page that explains why an action did not happen, with a way on."""
    return render_template("message.html", title=title, text=text, back_url=back_url,
                           back_label=back_label, retry=retry), status


def expired_form(back_url: str | None = None, back_label=None):
    """A POST button whose CSRF token was missing or stale."""
    return render_message(_l("Please try again"), _l("The form had expired. Please send it again."),
                          back_url=back_url, back_label=back_label)


def render_error(code: int, detail: str | None = None):
    title, text = ERROR_TEXTS.get(code, ERROR_TEXTS[500])
    return render_template("errors/error.html", code=code, title=title, text=detail or text), code


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
        from twinning.extensions import db

        db.session.rollback()
        return render_error(500)
