"""Security headers on every response."""

from __future__ import annotations

from flask import Flask, Response, abort, request
from werkzeug.datastructures import ImmutableMultiDict

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
])


STRICT_TRANSPORT = "max-age=31536000"


def add_security_headers(response: Response, production: bool = False) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if production:
        headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT)
    return response


def refuse_nul_bytes() -> None:
    """No address or query reaches a view with NUL in it: PostgreSQL refuses it in text.

    An address with NUL names nothing (404); in a search or filter it is dropped, so the
    person gets the friendly result for what remains.
    """
    if "\x00" in request.path:
        abort(404)
    if any("\x00" in key or "\x00" in value for key, value in request.args.items(multi=True)):
        request.args = ImmutableMultiDict(
            (key.replace("\x00", ""), value.replace("\x00", "")) for key, value in request.args.items(multi=True)
        )


def init_app(app: Flask) -> None:
    app.before_request(refuse_nul_bytes)
    production = app.config.get("ENV") == "production"
    app.after_request(lambda response: add_security_headers(response, production))
