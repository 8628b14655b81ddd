"""A member posts; the moderator sees the header badge on a phone, opens /moderation and
approves from the queue without opening the item."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.browser.helpers import axe_violations, horizontal_overflow, open_site_menu

pytestmark = pytest.mark.browser

SPACE = "/a/aachen-reims"  # twinning/demo/associations.py: moderation policy "all"
AUTHOR, MODERATOR = "member@example.org", "moderator@example.org"


def test_moderator_sees_the_badge_and_approves_from_the_queue_on_a_phone(new_context, server):
    author = new_context(AUTHOR, width=390).new_page()
    author.goto(f"{SPACE}/proposals/new")
    title = f"Lastenrad für alle {uuid.uuid4().hex[:6]}"
    author.fill("input[name=title]", title)
    author.fill("textarea[name=summary]", "Ein Lastenrad, das sich alle ausleihen können.")
    author.fill("textarea[name=body]", "Für Einkäufe und Umzüge.")
    with author.expect_navigation():
        author.click("main form button[type=submit]:not([name=preview])")
    path = author.url.split("?")[0].removeprefix(server.url)
    assert "/proposals/" in path

    moderator = new_context(MODERATOR, width=390, axe=True).new_page()
    moderator.goto("/")
    open_site_menu(moderator)  # on a phone the header's links, the badge too, are behind the menu button
    badge = moderator.locator("header a[href='/moderation'] .moderation-badge")
    assert badge.count() == 1 and int(re.sub(r"\D", "", badge.inner_text())) >= 1
    with moderator.expect_navigation():
        moderator.click("header a[href='/moderation']")
    # The oldest items of each association show; the new one is counted in its association.
    assert moderator.locator("main section", has_text="Aachen").locator("text=/\\d+ Beitr/").count() == 1
    assert horizontal_overflow(moderator) is None
    assert axe_violations(moderator, "(all my queues)") == []

    with moderator.expect_navigation():
        moderator.click(f"main a[href='{SPACE}/moderation']")
    item = moderator.locator("li.moderation-item", has_text=title)
    assert item.locator(".moderation-excerpt", has_text="Ein Lastenrad").count() == 1
    assert axe_violations(moderator, "(queue with descriptions)") == []
    with moderator.expect_navigation():
        item.locator("button[value=approve]").click()
    assert moderator.url.split("?")[0].endswith(f"{SPACE}/moderation")
    assert moderator.locator(".flash-success").count() == 1
    assert moderator.locator("li.moderation-item", has_text=title).count() == 0

    visitor = new_context(None, width=390).new_page()
    assert visitor.goto(path).status == 200
