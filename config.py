"""Configuration defaults; the environment overrides them with the prefix TWINNING_.

Every setting the operator may change is listed in README.md. Values read from the
environment go through Flask's ``from_prefixed_env``, which parses JSON literals,
so ``TWINNING_RATELIMIT_ENABLED=false`` becomes ``False``.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

DEFAULTS: dict[str, object] = {
    "ENV": "development",
    "DATABASE_URL": None,  # filled in from the instance folder when unset
    "BASE_URL": "http://127.0.0.1:5000",
    "MAIL_SERVER": None,
    "MAIL_PORT": 25,
    "MAIL_USE_TLS": False,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_DEFAULT_SENDER": "Twinning <no-reply@twinning.localhost>",
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_HEADERS_ENABLED": True,
    "UPLOAD_FOLDER": None,  # filled in from the instance folder when unset
    "MAX_CONTENT_LENGTH": 4 * 1024 * 1024,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
    "BABEL_DEFAULT_LOCALE": "de",
    "BABEL_DEFAULT_TIMEZONE": "Europe/Berlin",
    "LANGUAGES": ["de", "en"],
    "SEND_FILE_MAX_AGE_DEFAULT": 3600,
    "NETWORK_CACHE_SECONDS": 60,  # network-wide figures kept per worker; 0 = always fresh
    "PAGE_CACHE_SECONDS": 60,  # visitors' pages kept per worker until a write; 0 = off
    "PAGE_CACHE_ENTRIES": 300,  # pages kept per worker, least recently used dropped first
    # Reports on a network topic group's content count toward hiding it only from accounts
    # at least this old with one approved contribution (anyone may join those groups).
    "REPORT_MIN_ACCOUNT_AGE_DAYS": 7,
    "REPORT_RATE_LIMIT": "10 per hour;30 per day",  # reports per account (Flask-Limiter syntax)
}


class ConfigurationError(RuntimeError):
    """The app cannot start with this configuration."""


def load(app, overrides: dict | None = None) -> None:
    """Fill ``app.config``: defaults, then the environment, then explicit overrides."""
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("TWINNING")
    if overrides:
        app.config.from_mapping(overrides)

    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    production = app.config["ENV"] == "production"

    if not app.config.get("DATABASE_URL"):
        app.config["DATABASE_URL"] = f"sqlite:///{instance / 'twinning.sqlite'}"
    if not app.config.get("UPLOAD_FOLDER"):
        app.config["UPLOAD_FOLDER"] = str(instance / "uploads")

    if not app.config.get("SECRET_KEY"):
        if production:
            raise ConfigurationError(
                "TWINNING_SECRET_KEY must be set when TWINNING_ENV=production."
            )
        app.config["SECRET_KEY"] = _development_secret(instance)

    if production:
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
        app.config["PREFERRED_URL_SCHEME"] = "https"


def _development_secret(instance: Path) -> str:
    """A random key generated once and kept, so sessions survive a restart."""
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
