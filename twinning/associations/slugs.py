"""Readable slugs for association addresses: German umlauts spelled out, accents dropped."""

from __future__ import annotations

import re
import unicodedata

MAX_SLUG_LENGTH = 80

_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ẞ": "Ss"})
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """"Städtepartnerschaft Aachen–Reims" → "staedtepartnerschaft-aachen-reims"; may be empty."""
    text = text.translate(_GERMAN)
    # Every kind of dash (en, em, minus, …) and any other separator becomes one hyphen.
    text = "".join("-" if unicodedata.category(char) == "Pd" else char for char in text)
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(char for char in decomposed if not unicodedata.combining(char))
    slug = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    return slug[:MAX_SLUG_LENGTH].rstrip("-")
