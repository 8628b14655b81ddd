"""Security headers on every response, and the client's address behind trusted proxies."""

from __future__ import annotations

from flask import Flask, Response, abort, request, session
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join(
    [
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
    ]
)


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


def forbid_storing_private_pages(response: Response) -> Response:
    """``Cache-Control: no-store`` on every page made for one browser's session.

    A signed-in person's pages, and any page rendered with a session (its CSRF token, a
    flashed message), must not be kept by the browser's back/forward cache, a shared
    computer's disk or a proxy. Visitors without a session get the public pages, which
    keep their own caching (twinning.core.pagecache); static files keep theirs (twinning.core.assets).
    """
    if request.endpoint != "static" and (session or session.modified):
        response.headers["Cache-Control"] = "no-store"
    return response


def trust_proxies(app: Flask) -> None:
    """Behind ``PROXY_HOPS`` reverse proxies, take the client's address and scheme from them.

    With 0 (the default) X-Forwarded-* headers are ignored: anyone could send them, and the
    rate limits key on the address. With N, the N-th address from the right of
    X-Forwarded-For (the one the outermost trusted proxy saw) becomes ``remote_addr``, and
    X-Forwarded-Proto the scheme (Secure cookies, https redirects). X-Forwarded-Host is not
    trusted: links in mails and feeds come from BASE_URL, and the proxy passes Host itself.
    """
    hops = app.config["PROXY_HOPS"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0, x_port=0, x_prefix=0)


def refuse_nul_bytes() -> None:
    """No address or query reaches a view with NUL in it: PostgreSQL refuses it in text.

    An address with NUL names nothing (404); in a search or filter it is dropped, so the
    person gets the friendly result for what remains.
    """
    if "\x00" in request.path:
        abort(404)
    if any("\x00" in key or "\x00" in value for key, value in request.args.items(multi=True)):
        request.args = ImmutableMultiDict(
            (key.replace("\x00", ""), value.replace("\x00", ""))
            for key, value in request.args.items(multi=True)
        )


def init_app(app: Flask) -> None:
    app.before_request(refuse_nul_bytes)
    production = app.config.get("ENV") == "production"
    app.after_request(lambda response: add_security_headers(response, production))
    app.after_request(forbid_storing_private_pages)
