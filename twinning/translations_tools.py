"""Helpers for the message catalogues."""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po, write_po


def fill_source_language(path: Path) -> None:
    """The source strings are English: copy each untranslated msgid into the en catalogue."""
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="en")
    catalog.fuzzy = False
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple | list):
            if not all(message.string):
                message.string = tuple(message.id)
        elif not message.string:
            message.string = message.id
        message.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100)


def untranslated(path: Path, locale: str) -> list[str]:
    """msgids without a translation (or marked fuzzy) in the catalogue at ``path``."""
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    missing = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple | list) else [message.string]
        if message.fuzzy or not all(strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing
