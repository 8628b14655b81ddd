"""Countries as ISO 3166-1 alpha-2 codes, named in the reader's language through Babel."""

from __future__ import annotations

from functools import cache

from babel import Locale

# Two-letter codes Babel knows that are not countries: unions, pseudo-locales, "unknown".
_NOT_COUNTRIES = {"EU", "EZ", "QO", "UN", "XA", "XB", "ZZ"}


@cache
def country_codes() -> frozenset[str]:
    territories = Locale("en").territories
    return frozenset(
        code
        for code in territories
        if len(code) == 2 and code.isalpha() and code.isupper() and code not in _NOT_COUNTRIES
    )


def is_country(code: str | None) -> bool:
    return bool(code) and code in country_codes()


@cache
def _names(locale: str) -> dict[str, str]:
    territories = Locale.parse(locale).territories
    return {code: territories.get(code, code) for code in country_codes()}


def country_name(code: str | None, locale: str) -> str:
    if not code:
        return ""
    return _names(str(locale)).get(code, code)


def country_options(codes, locale: str) -> list[tuple[str, str]]:
    """(code, localized name) of the given codes, sorted by name: a filter's list of countries."""
    wanted = set(codes)
    return [(code, name) for code, name in country_choices(str(locale)) if code in wanted]


@cache
def country_choices(locale: str) -> list[tuple[str, str]]:
    """(code, localized name) sorted by name, for a select field."""
    names = _names(str(locale))
    return sorted(names.items(), key=lambda item: item[1].casefold())
