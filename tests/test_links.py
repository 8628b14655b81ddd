"""Links to the site's own pages come from the URL map (``url_for``, ``path_for``), never by hand.

A renamed route then changes every link with it, and a link to a route that does not
exist fails loudly when built instead of leading to a 404.
"""

import re
from pathlib import Path

import pytest

from twinning.core.urls import path_for

ROOT = Path(__file__).resolve().parent.parent

# href="/a/…", action='/report/…', formaction="/…", src="/…": only static files may be written by hand.
HAND_WRITTEN_LINK = re.compile(r"""\b(?:href|action|formaction|src)\s*=\s*["']/(?!static/)""")
# A Python string that starts with one of the site's own paths: "/a/…", f"/groups/{…}", …
HAND_WRITTEN_PATH = re.compile(
    r"""[rbf]*["']/(?:a|groups|proposals|report|moderation|notifications|network|admin|account|topics|involve"""
    r"""|auth|associations|sdgs|themes|feed\.atom)(?:/|["'])"""
)
# Paths that are still written by hand, each for a reason.
ALLOWED_PATHS = {
    # rewrites the slug inside the requested path (old-slug redirects), keeping the query string
    ("twinning/associations/queries.py", 'replace(f"/a/{slug}", f"/a/{current.slug}", 1)'),
}


def _hand_written_template_links() -> list[str]:
    found = []
    for template in sorted((ROOT / "templates").rglob("*.html")):
        for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), 1):
            if HAND_WRITTEN_LINK.search(line):
                found.append(f"{template.relative_to(ROOT)}:{number}: {line.strip()}")
    return found


def _hand_written_python_paths() -> list[str]:
    found = []
    for module in sorted((ROOT / "twinning").rglob("*.py")):
        name = module.relative_to(ROOT).as_posix()
        for number, line in enumerate(module.read_text(encoding="utf-8").splitlines(), 1):
            stripped = line.strip()
            if stripped.startswith(("@bp.route(", "bp = Blueprint(", '("/a/<slug>')):
                continue  # the routes themselves
            if stripped.startswith(('"/', "'/")) and "<" in stripped:
                continue  # a route's rule on a line of its own (as the formatter wraps a long one)
            allowed = any(name == path and text in stripped for path, text in ALLOWED_PATHS)
            if HAND_WRITTEN_PATH.search(line) and not allowed:
                found.append(f"{name}:{number}: {stripped}")
    return found


def test_templates_build_internal_links_with_url_for():
    assert _hand_written_template_links() == []


def test_services_build_internal_paths_from_the_url_map():
    assert _hand_written_python_paths() == []


@pytest.mark.parametrize(
    "line",
    [
        '<a href="/a/{{ a.slug }}">',
        "<form action='/report/{{ kind }}/{{ id }}'>",
        '<a class="x" href="/">',
    ],
)
def test_the_template_check_sees_hand_written_links(line):
    assert HAND_WRITTEN_LINK.search(line)


@pytest.mark.parametrize(
    "line",
    [
        "<a href=\"{{ url_for('associations.space', slug=a.slug) }}\">",
        '<link href="/static/app.css">',
        '<a href="https://example.org/a/x">',
        '<a href="#answer">',
    ],
)
def test_the_template_check_allows_built_and_static_links(line):
    assert not HAND_WRITTEN_LINK.search(line)


@pytest.mark.parametrize(
    "line",
    [
        'return f"/a/{association.slug}"',
        "link='/moderation/forwarded'",
        'link=f"/groups/{group.id}"',
        'url = "/notifications"',
        'self_path="/feed.atom"',
    ],
)
def test_the_python_check_sees_hand_written_paths(line):
    assert HAND_WRITTEN_PATH.search(line)


def test_path_for_needs_no_request(app):
    with app.app_context():
        assert path_for("proposals.detail", slug="town", proposal_id=3) == "/a/town/proposals/3"
        assert (
            path_for("groups.thread", group_id=2, thread_id=5, _anchor="reply-7")
            == "/groups/2/threads/5#reply-7"
        )
        assert path_for("notifications.index") == "/notifications"
