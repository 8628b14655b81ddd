"""Language choice: ?lang= (remembered), the user's setting, Accept-Language, German."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from babel import Locale, dates
from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import format_decimal, get_locale, get_timezone, get_translations, to_user_timezone
from flask_login import current_user
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

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
    return visitor_locale(request.headers.get("Accept-Language"), current_app.config)


def visitor_locale(accept_language: str | None, config) -> str:
    """The language of someone without a choice, session or account: Accept-Language's best match.

    Also used before Flask starts a request (twinning.core.pagecache), so it reads the header alone.
    """
    return _best_language(accept_language or "", tuple(config["LANGUAGES"]), config["BABEL_DEFAULT_LOCALE"])


@lru_cache(maxsize=256)
def _best_language(accept_language: str, languages: tuple[str, ...], default: str) -> str:
    return parse_accept_header(accept_language, LanguageAccept).best_match(languages) or default


def remember_language_choice() -> None:
    """Keep a ``?lang=`` choice in the session. A GET never writes to the database: the
    language of an account (its mails) is changed with the profile form."""
    chosen = request.args.get("lang")
    if chosen in supported() and session.get("lang") != chosen:
        session["lang"] = chosen


# CLDR's bare "en" is American: "Nov 21, 2026" and "11/21/26". Twinning's English readers
# are in Cape Town, Europe and elsewhere, so English dates are written day first ("21 Nov 2026").
_FORMATTING_LOCALES = {"en": Locale.parse("en_GB")}


def formatting_locale() -> Locale:
    locale = request_locale()
    return _FORMATTING_LOCALES.get(str(locale), locale)


def format_date(value: date | datetime, format: str = "medium") -> str:
    """A date in the reader's language and zone, day and month never confusable."""
    if isinstance(value, datetime):
        value = to_user_timezone(value)
    return dates.format_date(value, format, locale=formatting_locale())


def format_datetime(value: datetime, format: str = "medium") -> str:
    """Date and time; "short" keeps the month's name ("21 Nov 2026, 15:00"), never "11/21/26"."""
    locale = formatting_locale()
    if format != "short":
        return dates.format_datetime(value, format, tzinfo=get_timezone(), locale=locale)
    zone = get_timezone()
    moment = value.astimezone(zone) if value.tzinfo else value
    return locale.datetime_formats["medium"].format(
        dates.format_time(moment, "short", locale=locale), dates.format_date(moment, "medium", locale=locale)
    )


def format_age(delta: timedelta) -> str:
    """How long something has lasted, roughly, in the reader's language ("3 days", "2 months")."""
    return dates.format_timedelta(delta, locale=formatting_locale())


def machine_time(moment: datetime) -> str:
    """A ``<time datetime>`` value: UTC, whole seconds (HTML allows at most milliseconds)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def request_locale():
    """``flask_babel.get_locale()`` without its context look-ups once the request's locale is known.

    Flask-Babel keeps the locale it chose on ``g._flask_babel.babel_locale`` and returns it
    from then on (``refresh()`` and ``force_locale()`` change that attribute); before that,
    and outside requests, Flask-Babel itself decides.
    """
    try:
        locale = g._flask_babel.babel_locale
    except (AttributeError, RuntimeError):
        return get_locale()
    return locale if locale is not None else get_locale()


def request_translations():
    """``flask_babel.get_translations()``, remembered for the locale and domain in force.

    Flask-Babel resolves its request context three times and formats the locale's name on
    every call, and a page calls ``_()`` a hundred times. The answer only changes with the
    locale or domain Flask-Babel keeps on ``g._flask_babel`` (``refresh()`` and
    ``force_locale()`` replace them), so it is kept beside them and reused while both are
    the same objects. Anything unexpected falls back to Flask-Babel itself.
    """
    try:
        state = g._flask_babel
    except (AttributeError, RuntimeError):  # outside a request, or before Flask-Babel's first look-up
        return get_translations()
    known = getattr(state, "twinning_translations", None)
    if (
        known is not None
        and known[0] is getattr(state, "babel_locale", None)
        and known[1] is getattr(state, "babel_domain", None)
    ):
        return known[2]
    translations = get_translations()
    state.twinning_translations = (
        getattr(state, "babel_locale", None),
        getattr(state, "babel_domain", None),
        translations,
    )
    return translations


_TRANSLATED_LABELS: dict[tuple[int, object], object] = {}


def translated_labels(labels):
    """A module's constant labels (a dict, or a list of (value, label) pairs, of lazy strings)
    in the request's language, translated once per language while the app runs.

    A lazy string is translated anew, through Flask-Babel's look-ups, at every use, and lists
    repeat the same few labels on every row (a status per card, five report reasons per
    report form). Keyed by the constant's identity: it lives as long as the process.
    """
    key = (id(labels), request_locale())
    found = _TRANSLATED_LABELS.get(key)
    if found is None:
        if isinstance(labels, dict):
            found = {value: str(label) for value, label in labels.items()}
        else:
            found = [(value, str(label)) for value, label in labels]
        _TRANSLATED_LABELS[key] = found
    return found


def init_app(app: Flask) -> None:
    app.jinja_env.filters["machine_time"] = machine_time
    # Flask-Babel's callables for templates, with the per-request shortcut above.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.before_request(remember_language_choice)
    app.jinja_env.globals.update(
        get_locale=request_locale,
        LANGUAGE_NAMES=LANGUAGE_NAMES,
        format_date=format_date,
        format_datetime=format_datetime,
        format_age=format_age,
        format_decimal=format_decimal,
    )
