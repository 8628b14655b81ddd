"""The crawl's rules for which links to follow and which pages count as the same kind."""

from __future__ import annotations

import pytest

from tests.browser.crawl import links_in, pattern_of, same_site_path

ORIGIN = "http://127.0.0.1:5001"


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("/a/aachen-reims/proposals/7#comments", "/a/aachen-reims/proposals/7"),
        ("proposals?sort=new", "/a/aachen-reims/proposals?sort=new"),
        ("http://127.0.0.1:5001/sdgs/6", "/sdgs/6"),
        ("https://example.org/", None),
        ("mailto:office@example.org", None),
        ("/auth/logout", None),
        ("/static/css/app.css", None),
        ("/a/aachen-reims/feed.atom", None),
        ("/network/export.csv", None),
        ("/imprint?lang=en", None),
    ],
)
def test_which_links_are_followed(href, expected):
    assert same_site_path(href, f"{ORIGIN}/a/aachen-reims/", ORIGIN) == expected


def test_pages_of_one_kind_share_a_pattern():
    assert pattern_of("/a/aachen-reims/proposals/7") == pattern_of("/a/aachen-kapstadt/proposals/12")
    assert pattern_of("/a/x/proposals?sort=new&theme=climate") == "/a/<slug>/proposals?sort&theme"
    assert pattern_of("/groups/new") != pattern_of("/groups/3")
    assert pattern_of("/themes/climate") == "/themes/<slug>"


def test_links_are_read_from_anchors_only():
    html = '<link href="/static/x.css"><a href="/one">1</a><a>no href</a><a href="/two?a=1&amp;b=2">2</a>'
    assert links_in(html) == ["/one", "/two?a=1&b=2"]
