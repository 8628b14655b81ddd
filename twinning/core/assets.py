"""Static files: fingerprinted URLs cached for a year, and compressed responses.

``url_for('static', filename=...)`` gets ``?v=<content hash>``; a request carrying the
current hash may be cached for good, because a changed file gets a new URL.
Flask-Compress gzips (or brotli-compresses) HTML, CSS, JS, JSON, SVG, Atom and CSV for
deployments where no proxy does it.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from flask import Flask, Response, has_request_context, request, url_for
from flask_compress import Compress

ONE_YEAR = 365 * 24 * 3600
compress = Compress()


def init_app(app: Flask) -> None:
    static_folder = Path(app.static_folder)

    @cache
    def fingerprint(filename: str) -> str | None:
        path = (static_folder / filename).resolve()
        if not path.is_file() or static_folder.resolve() not in path.parents:
            return None
        return hashlib.sha256(path.read_bytes()).hexdigest()[:12]

    @app.url_defaults
    def add_fingerprint(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            version = fingerprint(values["filename"])
            if version:
                values["v"] = version

    static_urls: dict[tuple[str, str], str] = {}

    def static_url(filename: str) -> str:
        """``url_for('static', filename=...)``, kept per file and mount point.

        The layout links eight static files on every page; their addresses (fingerprint
        included) cannot change while the app runs.
        """
        if not has_request_context():
            return url_for("static", filename=filename)
        key = (request.script_root, filename)
        found = static_urls.get(key)
        if found is None:
            found = static_urls[key] = url_for("static", filename=filename)
        return found

    app.jinja_env.globals["static_url"] = static_url

    @app.after_request
    def cache_fingerprinted(response: Response) -> Response:
        if request.endpoint == "static" and response.status_code == 200:
            version = request.args.get("v")
            if version and version == fingerprint(request.view_args.get("filename", "")):
                response.cache_control.max_age = ONE_YEAR
                response.cache_control.public = True
                response.cache_control.immutable = True
        return response

    app.config.setdefault(
        "COMPRESS_MIMETYPES",
        [
            "text/html",
            "text/css",
            "text/csv",
            "text/plain",
            "application/javascript",
            "text/javascript",
            "application/json",
            "image/svg+xml",
            "application/atom+xml",
        ],
    )
    app.config.setdefault("COMPRESS_MIN_SIZE", 500)
    compress.init_app(app)
