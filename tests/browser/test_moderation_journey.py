"""The proposal journey of the quality gate: a member posts, a moderator approves, members
support (in place with JavaScript, by reload without), someone comments, a reader reports,
the moderator hides and restores, and the author reads every decision with its reason."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import axe_violations

pytestmark = pytest.mark.browser

SPACE = "/a/aachen-reims"  # twinning/demo/associations.py: moderation policy "all"
AUTHOR, MODERATOR, SUPPORTER = "member@example.org", "moderator@example.org", "marie@example.org"
READER = "jonas@example.org"  # signed in, in no association


def _decide(page, proposal_path: str, decision: str, reason: str) -> None:
    proposal_id = proposal_path.rsplit("/", 1)[1]
    page.goto(f"{SPACE}/moderation/proposal/{proposal_id}")
    page.check(f"input[name=decision][value={decision}]")
    page.fill("textarea[name=reason]", reason)
    with page.expect_navigation():
        page.click("main form button[type=submit]:has-text('Entscheidung')")
    assert page.locator(".flash-success").count() == 1, page.content()[:2000]


def test_post_approve_support_comment_report_hide_restore(new_context, server):
    author = new_context(AUTHOR, width=390).new_page()
    author.goto(f"{SPACE}/proposals/new")
    title = f"Tauschregal im Bürgerhaus {uuid.uuid4().hex[:6]}"
    author.fill("input[name=title]", title)
    author.fill("textarea[name=summary]", "Ein Regal, in dem Nachbarn Dinge tauschen.")
    author.fill("textarea[name=body]", "Weniger wegwerfen, mehr **teilen**.")
    author.check("input[name=sdgs][value='12']")
    with author.expect_navigation():
        author.click("main form button[type=submit]:not([name=preview])")
    path = author.url.split("?")[0].removeprefix(server.url)
    assert "/proposals/" in path

    visitor = new_context(None, width=1280).new_page()
    assert visitor.goto(path).status == 404  # waits for a moderator

    moderator = new_context(MODERATOR, width=1280, axe=True).new_page()
    moderator.goto(f"{SPACE}/moderation")
    assert moderator.locator("a", has_text=title).count() == 1
    assert axe_violations(moderator, "(queue)") == []
    _decide(moderator, path, "approve", "")
    assert visitor.goto(path).status == 200

    supporter = new_context(SUPPORTER, width=390).new_page()
    supporter.goto(path)
    supporter.click("form.support-form button")
    # expect() polls from Playwright's own script; wait_for_function() evaluates a string in the
    # page, which the Content-Security-Policy (no 'unsafe-eval') refuses once it has to poll.
    expect(supporter.locator("[data-support-count]")).to_have_attribute("data-support-count", "1")
    supporter.reload()
    assert supporter.get_attribute("[data-support-count]", "data-support-count") == "1"

    without_js = new_context(AUTHOR, width=360, javascript=False).new_page()
    without_js.goto(path)
    with without_js.expect_navigation():
        without_js.click("form.support-form button")
    assert without_js.get_attribute("[data-support-count]", "data-support-count") == "2"

    supporter.fill("textarea[name=body]", "Ich bringe Bücher mit.")
    with supporter.expect_navigation():
        supporter.click("form[action$='/comments'] button[type=submit]")
    assert supporter.locator("text=Ich bringe Bücher mit.").count() == 1

    reader = new_context(READER, width=390).new_page()
    reader.goto(path)
    reader.click("details.report summary")
    reader.select_option("details.report select[name=reason]", "off_topic")
    with reader.expect_navigation():
        reader.click("details.report button[type=submit]")
    assert reader.locator(".flash-success").count() == 1

    _decide(moderator, path, "hide", "Bitte zuerst mit dem Vorstand klären.")
    assert visitor.goto(path).status == 404
    _decide(moderator, path, "restore", "Geklärt, danke.")
    assert visitor.goto(path).status == 200

    author.goto("/notifications")
    text = author.locator("main").inner_text()
    assert "Bitte zuerst mit dem Vorstand klären." in text and "Geklärt, danke." in text, text[:2000]
