"""Atom feeds (RFC 4287) of published activity, built with ElementTree for correct escaping."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit
from xml.etree import ElementTree  # only builds and serialises feeds, never parses XML  # nosec B405

from flask import current_app

from twinning.network.activity import ActivityItem, space_path

ATOM = "http://www.w3.org/2005/Atom"
ElementTree.register_namespace("", ATOM)
TAG_DATE = "2025"  # the date part of our tag: URIs (RFC 4151); never changes


def rfc3339(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def absolute(path: str) -> str:
    """A link for feed readers: BASE_URL, like mails, since readers fetch from anywhere."""
    return current_app.config["BASE_URL"].rstrip("/") + path


def tag_uri(specific: str) -> str:
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "localhost"
    return f"tag:{host},{TAG_DATE}:{specific}"


def _add(parent: ElementTree.Element, name: str, text: str | None = None, **attributes: str):
    element = ElementTree.SubElement(parent, f"{{{ATOM}}}{name}", attributes)
    if text is not None:
        element.text = _printable(text)
    return element


def atom_feed(
    *,
    feed_key: str,
    title: str,
    subtitle: str,
    self_path: str,
    page_path: str,
    entries: list[tuple[ActivityItem, str]],
    language: str,
    empty_updated: datetime,
) -> bytes:
    """The feed document; ``entries`` pairs each item with its entry title in the reader's language."""
    feed = ElementTree.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": language})
    _add(feed, "id", tag_uri(feed_key))
    _add(feed, "title", title)
    _add(feed, "subtitle", subtitle)
    _add(feed, "link", rel="self", type="application/atom+xml", href=absolute(self_path))
    _add(feed, "link", rel="alternate", type="text/html", href=absolute(page_path))
    updated = max((item.at for item, _title in entries), default=empty_updated)
    _add(feed, "updated", rfc3339(updated))
    author = _add(feed, "author")
    _add(author, "name", "Twinning")
    _add(feed, "generator", "Twinning")
    for item, entry_title in entries:
        entry = _add(feed, "entry")
        _add(entry, "id", tag_uri(item.key))
        _add(entry, "title", entry_title)
        _add(entry, "link", rel="alternate", type="text/html", href=absolute(item.path))
        _add(entry, "updated", rfc3339(item.at))
        _add(entry, "published", rfc3339(item.at))
        entry_author = _add(entry, "author")
        _add(entry_author, "name", item.association.name)
        _add(entry_author, "uri", absolute(space_path(item.association)))
        if item.summary:
            _add(entry, "summary", item.summary, type="text")
    return ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True)


def _printable(text: str) -> str:
    """XML 1.0 allows no C0 controls but tab and newlines; stored text may still hold some."""
    return "".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 32)
