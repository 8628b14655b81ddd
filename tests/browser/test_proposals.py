"""Proposals as members use them: post with preview, support in place (and without JavaScript)."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import (
    axe_violations,
    form_error_text,
    horizontal_overflow,
    small_tap_targets,
    submit_form,
)

AUTHOR = "paul@example.org"  # twinning/demo/proposals.py
BIKE_WORKSHOP = "Offene Fahrradwerkstatt am Kaiserplatz"

pytestmark = pytest.mark.browser


def _check_layout(page, label: str, axe: bool = True) -> None:
    assert horizontal_overflow(page) is None, label
    assert small_tap_targets(page) == [], label
    if axe:
        assert axe_violations(page, label) == []


def _author_context(new_context, **options):
    try:
        return new_context(email=AUTHOR, **options)
    except AssertionError:
        pytest.skip(f"no demo account {AUTHOR} (associations' demo data missing)")


def _open_bike_workshop(page) -> str:
    """From the profile's "my proposals" to the demo proposal; its space's proposals path."""
    page.goto("/profile")
    link = page.locator("a", has_text=BIKE_WORKSHOP)
    if link.count() == 0:
        pytest.skip("the demo data has no proposals (associations' demo data missing)")
    with page.expect_navigation():
        link.first.click()
    return re.sub(r"/\d+$", "", page.url.split("?")[0])


def _count(page) -> int:
    return int(page.get_attribute("[data-support-count]", "data-support-count"))


def test_member_supports_in_place_and_posts_a_proposal(new_context):
    page = _author_context(new_context, width=390, axe=True).new_page()
    proposals_url = _open_bike_workshop(page)
    _check_layout(page, "(proposal)")

    before, url = _count(page), page.url
    page.click("form.support-form button")
    count = page.locator("[data-support-count]")
    expect(count).not_to_have_attribute(
        "data-support-count", str(before)
    )  # polled without eval (see the CSP)
    assert page.url == url  # updated in place, no reload
    after = _count(page)
    assert abs(after - before) == 1
    page.click("form.support-form button")
    expect(count).to_have_attribute("data-support-count", str(before))

    page.goto(proposals_url + "?sort=new")
    _check_layout(page, "(proposal list)")
    with page.expect_navigation():
        page.click("main a[href$='/proposals/new']")
    submit_form(page)  # empty
    assert page.locator("[aria-invalid=true]").count() >= 2
    _check_layout(page, "(proposal form with errors)")

    title = f"Lastenrad zum Ausleihen {uuid.uuid4().hex[:6]}"
    page.fill("input[name=title]", title)
    page.fill("textarea[name=summary]", "Ein Lastenrad, das alle Mitglieder kostenlos ausleihen können.")
    page.fill("textarea[name=body]", "## Warum\n\nWeniger Autofahrten, *mehr* Begegnung.")
    page.check("input[name=themes][value=klimaschutz]")
    page.check("input[name=sdgs][value='11']")
    page.fill("input[name=budget]", "3.000 €")
    with page.expect_navigation():
        page.click("button[name=preview]")
    assert page.locator(".proposal-preview em").inner_text() == "mehr"
    _check_layout(page, "(proposal preview)")
    with page.expect_navigation():
        page.click("main form button[type=submit]:not([name=preview])")
    assert page.locator("h1").inner_text() == title, form_error_text(page)
    assert page.locator(".notice").count() == 1  # waits for a moderator
    _check_layout(page, "(my waiting proposal)")


def test_support_works_without_javascript(new_context):
    page = _author_context(new_context, width=360, javascript=False).new_page()
    _open_bike_workshop(page)
    before = _count(page)
    with page.expect_navigation():
        page.click("form.support-form button")
    assert page.locator(".flash-success").count() == 1
    assert abs(_count(page) - before) == 1
    with page.expect_navigation():
        page.click("form.support-form button")
    assert _count(page) == before
    _check_layout(page, "(support without JavaScript)", axe=False)


def test_a_partner_admin_accepts_an_invitation_to_co_sponsor_from_her_space(new_context):
    try:
        page = new_context(email="claire@example.org", width=390, axe=True).new_page()
    except AssertionError:
        pytest.skip("no demo account claire@example.org (associations' demo data missing)")
    page.goto("/a/comite-jumelage-reims")
    invitations = page.locator("section.space-invitations li")
    if invitations.count() == 0:
        pytest.skip("no open invitation to co-sponsor in the demo data (already answered)")
    _check_layout(page, "(space with invitations to co-sponsor)")
    title = invitations.first.locator("a").first.inner_text()
    with page.expect_navigation():
        invitations.first.locator("form[action$='/accept'] button").click()
    assert page.locator(".flash-success").count() == 1
    assert "/a/comite-jumelage-reims/proposals/" in page.url  # the proposal, now in her space too
    page.goto("/a/comite-jumelage-reims")
    assert page.locator("section.space-invitations li", has_text=title).count() == 0
