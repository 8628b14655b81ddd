"""Every page a person in a given role can reach by following links from the home page.

Features add pages and demo data; the crawl finds them without being told. What it must
know is kept in the constants below: who to crawl as, which links not to follow, and
which path segments are variables, so that a list of a thousand proposals costs three
page visits, not a thousand.
"""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit

from playwright.sync_api import BrowserContext

# Role name -> demo account (None: signed out). When members and moderators exist in the demo
# data, point "member" and "moderator" entries at them; every page check runs once per role.
# Their sessions are made once per run: journeys must not sign these accounts out or change
# their passwords (either ends every other session), so journeys use accounts of their own.
CRAWL_ROLES: dict[str, str | None] = {
    "signed-out": None,
    "user": "jonas@example.org",  # signed in, no association
    "member": "member@example.org",  # member of Aachen–Reims (twinning/demo/associations.py)
    "moderator": "moderator@example.org",  # moderator of Aachen–Reims: sees the queue
    "admin": "admin@example.org",  # platform admin
}

# Pages no link leads to but that must pass the checks too, with the status they answer.
EXTRA_PAGES: dict[str, int] = {"/browser-check-missing-page": 404}

MAX_PAGES_PER_ROLE = 150
MAX_PAGES_PER_PATTERN = 3

SKIP_PATHS = {"/auth/logout"}
SKIP_PREFIXES = ("/static/", "/uploads/")
SKIP_SUFFIXES = (".atom", ".csv", ".xml", ".json", ".ics", ".pdf", ".png", ".jpg", ".jpeg", ".svg", ".webp")
# A segment after one of these is a name (a slug), as numbers are ids everywhere.
SLUG_AFTER = {"a", "themes"}


@dataclass
class CrawledPage:
    url: str  # path and query, as linked
    status: int
    found_on: str | None
    html_file: Path | None = None


@dataclass
class Crawl:
    role: str
    pages: list[CrawledPage] = field(default_factory=list)

    def html_pages(self) -> list[CrawledPage]:
        return [page for page in self.pages if page.html_file is not None]

    def broken_links(self) -> list[str]:
        return [
            f"{page.url} answered {page.status} (linked from {page.found_on})"
            for page in self.pages
            if page.status >= 400 and EXTRA_PAGES.get(page.url) != page.status
        ]


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links_in(html: str) -> list[str]:
    collector = _LinkCollector()
    collector.feed(html)
    return collector.hrefs


def same_site_path(href: str, page_url: str, origin: str) -> str | None:
    """The path and query a link leads to, or None when the crawl leaves it alone."""
    absolute, _fragment = urldefrag(urljoin(page_url, href))
    parts = urlsplit(absolute)
    if f"{parts.scheme}://{parts.netloc}" != origin:
        return None  # another site, mailto:, tel:, javascript:
    path = parts.path or "/"
    if path in SKIP_PATHS or path.startswith(SKIP_PREFIXES) or path.endswith(SKIP_SUFFIXES):
        return None
    if any(key == "lang" for key, _value in parse_qsl(parts.query)):
        return None  # the same page in the other language; the language journey covers it
    return f"{path}?{parts.query}" if parts.query else path


def pattern_of(url: str) -> str:
    """The page's kind: /a/<slug>/proposals/<n>?sort for /a/aachen-reims/proposals/7?sort=new."""
    parts = urlsplit(url)
    segments = parts.path.split("/")
    kind = []
    for index, segment in enumerate(segments):
        if segment.isdigit():
            kind.append("<n>")
        elif index > 0 and segments[index - 1] in SLUG_AFTER and segment:
            kind.append("<slug>")
        else:
            kind.append(segment)
    keys = sorted({key for key, _value in parse_qsl(parts.query, keep_blank_values=True)})
    return "/".join(kind) + ("?" + "&".join(keys) if keys else "")


def crawl(context: BrowserContext, origin: str, role: str, html_folder: Path) -> Crawl:
    """Breadth first from the home page, with the raw HTML the server sent saved per page."""
    html_folder.mkdir(parents=True, exist_ok=True)
    result = Crawl(role)
    queue: deque[tuple[str, str | None]] = deque([("/", None)])
    queue.extend((url, None) for url in EXTRA_PAGES)
    seen = {url for url, _found_on in queue}
    per_pattern: Counter[str] = Counter()
    while queue and len(result.pages) < MAX_PAGES_PER_ROLE:
        url, found_on = queue.popleft()
        response = context.request.get(origin + url, fail_on_status_code=False)
        page = CrawledPage(url, response.status, found_on)
        result.pages.append(page)
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        page.html_file = html_folder / f"{len(result.pages):03d}.html"
        page.html_file.write_bytes(response.body())
        for href in links_in(response.text()):
            target = same_site_path(href, response.url, origin)
            if target is None or target in seen:
                continue
            seen.add(target)
            kind = pattern_of(target)
            if per_pattern[kind] >= MAX_PAGES_PER_PATTERN:
                continue
            per_pattern[kind] += 1
            queue.append((target, url))
    return result
