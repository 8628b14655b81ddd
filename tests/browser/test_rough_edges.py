"""Walk-throughs of the rough edges people met: reports that hid a comment lead somewhere,
supports go on after the threshold, and an association's address stays put unless renamed."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import axe_violations

pytestmark = pytest.mark.browser

REIMS = "/a/aachen-reims"  # members: member@, supporter1…11@ (twinning/demo/proposals.py)
KAPSTADT = "/a/aachen-kapstadt"  # board@ is its admin, jonas@ a member
NAUMBURG = "/a/aachen-naumburg"  # board@ is its admin
REPORTERS = [f"supporter{n}@example.org" for n in (7, 8, 9)]


def _first_proposal(page, space: str) -> str:
    page.goto(f"{space}/proposals")
    return page.get_attribute(".proposal-card-title a", "href")


def test_three_members_report_a_comment_the_third_returns_to_the_proposal_and_the_author_reads_it(
    new_context, server
):
    author = new_context("member@example.org", width=390).new_page()
    proposal = _first_proposal(author, REIMS)
    author.goto(proposal)
    text = f"Werbung für meinen Laden {uuid.uuid4().hex[:6]}"
    author.fill("form.comment-form textarea[name=body]", text)
    with author.expect_navigation():
        author.click("form.comment-form button[type=submit]")
    comment = author.locator("article.comment", has_text=text)
    comment_id = comment.get_attribute("id").removeprefix("comment-")

    for number, email in enumerate(REPORTERS, start=1):
        reporter = new_context(email, width=390).new_page()
        reporter.goto(proposal)
        form = reporter.locator(f"form[action='/report/comment/{comment_id}']")
        reporter.locator(f"#comment-{comment_id} details.report summary").click()
        form.locator("select[name=reason]").select_option("spam")
        with reporter.expect_navigation():
            form.locator("button[type=submit]").click()
        # Back where they were, with the thank-you; after the third report the comment is gone.
        assert reporter.url.split("#")[0].split("?")[0].endswith(proposal), reporter.url
        expect(reporter.locator(".flash-success")).to_have_count(1)
        if number == len(REPORTERS):
            expect(reporter.locator("article.comment", has_text=text)).to_have_count(0)

    author.goto("/notifications")
    notice = author.locator("main li", has_text="mehreren Meldungen").first
    expect(notice).to_be_visible()
    with author.expect_navigation():
        notice.locator("button, a").first.click()
    assert f"/moderation/mine/comment/{comment_id}" in author.url, author.url
    expect(author.locator("main")).to_contain_text(text)
    checked = new_context("member@example.org", width=390, axe=True).new_page()
    checked.goto(author.url)
    assert axe_violations(checked, "(own hidden comment)") == []


def test_supports_go_on_after_the_threshold_and_saving_settings_keeps_the_address(new_context):
    board = new_context("board@example.org", width=1280).new_page()
    board.goto(f"{KAPSTADT}/settings")
    board.fill("input[name=support_threshold]", "1")
    with board.expect_navigation():
        board.click("main form button[type=submit]")
    assert board.url.split("?")[0].endswith(f"{KAPSTADT}/settings"), board.url
    expect(board.locator(".flash-success")).to_have_count(1)

    member = new_context("jonas@example.org", width=390).new_page()
    proposal = _first_proposal(member, KAPSTADT)
    member.goto(proposal)
    count = int(member.get_attribute("[data-support-count]", "data-support-count"))
    assert count >= 1  # past the threshold of 1, and at the board
    member.click("form.support-form button")
    expect(member.locator("[data-support-count]")).to_have_attribute("data-support-count", str(count + 1))


def test_a_settings_form_opened_before_a_rename_still_saves(new_context):
    context = new_context("board@example.org", width=1280)
    earlier, renaming = context.new_page(), context.new_page()
    earlier.goto(f"{NAUMBURG}/settings")
    renaming.goto(f"{NAUMBURG}/settings")
    renaming.fill("input[name=name]", "Partnerschaftsverein Aachen–Naumburg e.V.")
    renaming.check("input[name=change_address]")
    with renaming.expect_navigation():
        renaming.click("main form button[type=submit]")
    new_address = renaming.url.split("?")[0]
    assert new_address.endswith("/a/partnerschaftsverein-aachen-naumburg-e-v/settings"), new_address

    earlier.fill("textarea[name=description]", "Deutsch-deutsche Freundschaft seit 1988.")
    with earlier.expect_navigation():
        earlier.click("main form button[type=submit]")
    assert earlier.url.split("?")[0] == new_address  # the old address sent the POST on (307)
    expect(earlier.locator(".flash-success")).to_have_count(1)
    expect(earlier.locator("textarea[name=description]")).to_have_value(
        "Deutsch-deutsche Freundschaft seit 1988."
    )
