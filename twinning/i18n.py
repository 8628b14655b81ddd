"""Language choice: ?lang= (remembered), the user's setting, Accept-Language, German."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import format_date, format_datetime, format_decimal, get_locale
from flask_login import current_user

LANGUAGE_NAMES = {"de": "Deutsch", "en": "English"}


def supported() -> list[str]:
    return current_app.config["LANGUAGES"]


def select_locale() -> str:
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = request.args.get("lang")
    if chosen in supported():
        return chosen
    if session.get("lang") in supported():
        return session["lang"]
    if current_user and current_user.is_authenticated and current_user.locale in supported():
        return current_user.locale
    return request.accept_languages.best_match(supported()) or "de"


def remember_language_choice() -> None:
    """Keep a ``?lang=`` choice in the session and, when signed in, in the profile."""
    chosen = request.args.get("lang")
    if chosen not in supported():
        return
    session["lang"] = chosen
    if current_user.is_authenticated and current_user.locale != chosen:
        from twinning.extensions import db

        current_user.locale = chosen
        db.session.commit()


def machine_time(moment: datetime) -> str:
    """A ``<time datetime>`` value: UTC, whole seconds (HTML allows at most milliseconds)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def init_app(app: Flask) -> None:
    app.jinja_env.filters["machine_time"] = machine_time
    app.before_request(remember_language_choice)
    app.jinja_env.globals.update(
        get_locale=get_locale,
        LANGUAGE_NAMES=LANGUAGE_NAMES,
        format_date=format_date,
        format_datetime=format_datetime,
        format_decimal=format_decimal,
    )
