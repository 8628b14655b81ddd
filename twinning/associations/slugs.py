"""Readable slugs for addresses, from a name in any script.

``slugify`` transliterates with python-slugify (text-unidecode underneath): German
umlauts spelled out, accents dropped, Cyrillic, Greek, Turkish, Polish … transliterated,
Chinese to pinyin-like syllables. ``unique_slug`` never returns an empty slug and never
one already taken: anything that can have an address (associations, themes, later
events) asks it with its own ``taken`` check and fallback word.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

from slugify import slugify as _transliterate

MAX_SLUG_LENGTH = 80

_GERMAN = [
    ("ä", "ae"),
    ("ö", "oe"),
    ("ü", "ue"),
    ("ß", "ss"),
    ("Ä", "Ae"),
    ("Ö", "Oe"),
    ("Ü", "Ue"),
    ("ẞ", "Ss"),
]
_NUMBERED = re.compile(r"^(?P<base>.+)-(?P<number>[1-9][0-9]*)$")


def slugify(text: str, max_length: int = MAX_SLUG_LENGTH) -> str:
    """ "Städtepartnerschaft Aachen–Reims" → "staedtepartnerschaft-aachen-reims",
    "Побратими Чернігів" → "pobratimi-chernigiv"; empty when nothing can be spelled."""
    slug = _transliterate(text or "", replacements=_GERMAN, lowercase=True)
    return slug[:max_length].strip("-")


def name_key(text: str) -> str:
    """Two names with the same key look alike to a reader: case, accents, spaces,
    dashes and punctuation aside ("Verein Aachen–Reims" and "verein aachen - reims")."""
    text = text or ""
    for german, spelled in _GERMAN:
        text = text.replace(german, spelled)
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if char.isalnum())


def is_numbered(slug: str, base: str) -> bool:
    """``base`` itself or ``base-2``, ``base-3`` …: what ``unique_slug`` may make of ``base``."""
    if slug == base:
        return True
    match = _NUMBERED.match(slug)
    return match is not None and match.group("base") == base


def unique_slug(
    text: str, taken: Callable[[str], Iterable[str]], *, fallback: str, max_length: int = MAX_SLUG_LENGTH
) -> str:
    """The slug of ``text``, or with the lowest free number appended ("lodz-2").

    ``taken(base)`` returns every slug in use that starts with ``base`` (one query, e.g.
    ``slug == base OR slug LIKE base || '-%'``, old slugs that still redirect included).
    A name that spells to nothing gets ``fallback`` ("association", "theme"), numbered too.
    """
    base = slugify(text, max_length) or fallback[:max_length]
    used = set(taken(base))
    if base not in used:
        return base
    number = 2
    while True:
        suffix = f"-{number}"
        candidate = base[: max_length - len(suffix)].rstrip("-") + suffix
        if candidate not in used and (candidate == base + suffix or candidate not in set(taken(candidate))):
            return candidate
        number += 1


def like_prefix(base: str) -> str:
    """A LIKE pattern for ``base-…`` (slugs hold only a-z, 0-9 and '-', nothing to escape)."""
    return f"{base}-%"
