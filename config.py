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
    "LIMIT_REPORTS": "10 per hour;30 per day",  # reports per account (Flask-Limiter syntax)
    # Reverse proxies in front whose X-Forwarded-For/-Proto are trusted; 0 = none, use the peer.
    "PROXY_HOPS": 0,
    # Processes serving requests; unset = $WEB_CONCURRENCY (gunicorn's -w default), else 1.
    "WORKERS": None,
    # Rate limits (flask-limiter notation, ";" between several). Failed sign-ins count per
    # address and per account *and* address: typing wrong passwords for someone's account
    # from elsewhere never locks its owner out.
    "LIMIT_SIGN_IN_PER_ADDRESS": "30 per 10 minutes;200 per day",
    "LIMIT_SIGN_IN_PER_ACCOUNT_AND_ADDRESS": "10 per 15 minutes",
    # What a signed-in person may post, counted per account (only what was accepted).
    "LIMIT_PROPOSALS": "10 per hour;30 per day",
    "LIMIT_COMMENTS": "30 per 10 minutes;300 per day",
    "LIMIT_REPLIES": "30 per 10 minutes;300 per day",
    "LIMIT_THREADS": "10 per hour;30 per day",
    "LIMIT_INVITATIONS": "50 per hour;200 per day",
}

ENVIRONMENTS = ("development", "production")
MIN_SECRET_BYTES = 32
# Words that show a key was copied from an example rather than generated.
PLACEHOLDER_WORDS = (
    "change",
    "secret",
    "example",
    "placeholder",
    "replace",
    "insecure",
    "password",
    "default",
)


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

    if app.config["ENV"] not in ENVIRONMENTS:
        raise ConfigurationError(
            f"TWINNING_ENV={app.config['ENV']!r} is not known; use one of: {', '.join(ENVIRONMENTS)}."
        )
    app.config["PROXY_HOPS"] = _proxy_hops(app.config["PROXY_HOPS"])
    if not app.config.get("SECRET_KEY"):
        if production:
            raise ConfigurationError("TWINNING_SECRET_KEY must be set when TWINNING_ENV=production.")
        app.config["SECRET_KEY"] = _development_secret(instance)

    if production:
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
        app.config["PREFERRED_URL_SCHEME"] = "https"
        check_production(app.config)


def check_production(settings) -> None:
    """Refuse to start in production with settings that would weaken it; say which and why."""
    key = settings["SECRET_KEY"]
    raw = key.encode() if isinstance(key, str) else bytes(key)
    if len(raw) < MIN_SECRET_BYTES:
        raise ConfigurationError(
            f"TWINNING_SECRET_KEY must be at least {MIN_SECRET_BYTES} random bytes (it has {len(raw)}); "
            "generate one with: python3 -c 'import secrets; print(secrets.token_hex(32))'"
        )
    lowered = raw.decode("utf-8", "replace").lower()
    if len(set(raw)) < 12 or any(word in lowered for word in PLACEHOLDER_WORDS):
        raise ConfigurationError(
            "TWINNING_SECRET_KEY looks like a placeholder, not random bytes; "
            "generate one with: python3 -c 'import secrets; print(secrets.token_hex(32))'"
        )
    if not str(settings.get("BASE_URL") or "").startswith("https://"):
        raise ConfigurationError(
            "TWINNING_BASE_URL must start with https:// when TWINNING_ENV=production "
            "(links in mails and feeds are built from it)."
        )
    if not (settings.get("SESSION_COOKIE_SECURE") and settings.get("REMEMBER_COOKIE_SECURE")):
        raise ConfigurationError("Session cookies must be Secure when TWINNING_ENV=production.")
    check_rate_limit_storage(True, settings.get("RATELIMIT_STORAGE_URI"), workers(settings))


def workers(settings) -> int:
    """How many processes serve requests: TWINNING_WORKERS, else $WEB_CONCURRENCY, else 1."""
    value = settings.get("WORKERS") or os.environ.get("WEB_CONCURRENCY") or 1
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ConfigurationError(f"TWINNING_WORKERS must be a whole number, not {value!r}.") from None


def check_rate_limit_storage(production: bool, storage_uri, worker_count: int) -> None:
    """In-memory counters are per process: with several workers each would allow the full limit."""
    if production and worker_count > 1 and str(storage_uri or "memory://").startswith("memory://"):
        raise ConfigurationError(
            f"TWINNING_RATELIMIT_STORAGE_URI is memory:// with {worker_count} workers: each worker would "
            "count on its own. Use a shared storage such as redis://127.0.0.1:6379."
        )


def _proxy_hops(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
        raise ConfigurationError(f"TWINNING_PROXY_HOPS must be 0 or a positive whole number, not {value!r}.")
    return int(value)


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
