"""Screenshots of the key pages at desktop and phone width, for review and for the README.

They are always written to tests/browser/.artifacts/screenshots/; with TWINNING_SCREENSHOTS=1
(`make screenshots`) also to docs/screenshots/, which is committed. A page that does not
exist yet is skipped, so the list can name pages before their feature lands.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.browser.crawl import CRAWL_ROLES

HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE / ".artifacts" / "screenshots"
DOCS = HERE.parents[1] / "docs" / "screenshots"
WIDTHS = (1280, 390)

# (file name, page, role from CRAWL_ROLES). The page is a path, or re.compile(...) to take
# the first page of that role's crawl whose path and query match (for slugs and ids).
KEY_PAGES = [
    ("home", "/", "signed-out"),
    ("sign-in", "/auth/login", "signed-out"),
    ("sign-up", "/auth/register", "signed-out"),
    ("profile", "/profile", "user"),
    ("associations", "/associations", "signed-out"),
    ("space", re.compile(r"^/a/[^/?]+$"), "signed-out"),
    ("proposal", re.compile(r"^/a/[^/]+/proposals/\d+$"), "user"),
    ("groups", "/groups", "signed-out"),
    ("sdgs", "/sdgs", "signed-out"),
    ("network", "/network", "signed-out"),
    ("get-involved", "/get-involved", "signed-out"),
]


def resolve(target, role: str, crawls) -> str | None:
    if isinstance(target, str):
        return target
    return next((page.url for page in crawls[role].html_pages() if target.search(page.url)), None)


@pytest.mark.parametrize(("name", "target", "role"), KEY_PAGES, ids=[name for name, _t, _r in KEY_PAGES])
def test_screenshot(name, target, role, crawls, new_context):
    url = resolve(target, role, crawls)
    if url is None:
        pytest.skip(f"no page like {target.pattern} yet")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page = new_context(CRAWL_ROLES[role], width=width).new_page()
        response = page.goto(url)
        if response.status == 404:
            pytest.skip(f"{url} does not exist yet")
        assert response.ok, f"{url} answered {response.status}"
        shot = ARTIFACTS / f"{name}-{width}.png"
        page.screenshot(path=shot, full_page=True, animations="disabled")
        if os.environ.get("TWINNING_SCREENSHOTS") == "1":
            DOCS.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(shot, DOCS / shot.name)
