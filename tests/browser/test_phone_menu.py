"""The phone menu (issue 14, item 7): at 600 px and less the main, account and language links sit
behind one "Menu" button that opens without JavaScript (a <details>) and, with it, moves focus
in and closes on Escape; wider screens show the links as before. The closed header takes at
most 15 % of a 390 x 844 phone screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import axe_violations, horizontal_overflow, small_tap_targets

pytestmark = pytest.mark.browser

MENU = "header details.site-menu"
SUMMARY = f"{MENU} > summary"
# The longest German labels: the signed-in account links, the main navigation.
LINKS = ["header a[href='/associations']", "header a[href='/sdgs']", "header nav.language a[hreflang=en]"]
SIGNED_IN_LINKS = [*LINKS, "header a[href='/notifications']", "header a[href='/profile']"]
SIGNED_OUT_LINKS = [*LINKS, "header a[href^='/auth/login']", "header a[href^='/auth/register']"]
PEOPLE = [(None, SIGNED_OUT_LINKS), ("moderator@example.org", SIGNED_IN_LINKS)]


def _header_height(page) -> float:
    return page.evaluate("document.querySelector('header.site-header').getBoundingClientRect().height")


@pytest.mark.parametrize("email,links", PEOPLE, ids=["signed-out", "signed-in"])
def test_the_closed_header_takes_at_most_15_percent_of_a_390_by_844_phone(new_context, email, links):
    context = new_context(email, width=390)
    page = context.new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    expect(page.locator(SUMMARY)).to_be_visible()
    assert page.get_attribute(MENU, "open") is None
    assert _header_height(page) <= 0.15 * 844, _header_height(page)
    for link in links:
        expect(page.locator(link)).to_be_hidden()


@pytest.mark.parametrize("width", [360, 390, 600])
@pytest.mark.parametrize("email,links", PEOPLE, ids=["signed-out", "signed-in"])
def test_the_menu_opens_without_javascript_on_phones(new_context, width, email, links):
    page = new_context(email, width=width, javascript=False).new_page()
    page.goto("/")
    for link in links:
        expect(page.locator(link)).to_be_hidden()
    page.click(SUMMARY)
    assert page.get_attribute(MENU, "open") is not None
    for link in links:
        expect(page.locator(link)).to_be_visible()
    assert horizontal_overflow(page) is None
    assert small_tap_targets(page) == []
    with page.expect_navigation():
        page.click("header a[href='/groups']")
    assert page.url.endswith("/groups")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("width", [601, 1280])
@pytest.mark.parametrize("email,links", PEOPLE, ids=["signed-out", "signed-in"])
def test_wider_screens_show_every_link_and_no_menu_button(new_context, width, javascript, email, links):
    page = new_context(email, width=width, javascript=javascript).new_page()
    page.goto("/")
    expect(page.locator(SUMMARY)).to_be_hidden()
    for link in links:
        expect(page.locator(link)).to_be_visible()
    # Each link once: the navigation is not rendered twice.
    assert page.locator("header a[href='/associations']").count() == 1
    assert page.locator("nav[aria-label]").count() == len(
        set(page.locator("nav").evaluate_all("navs => navs.map(n => n.getAttribute('aria-label'))"))
    )
    assert horizontal_overflow(page) is None


def test_with_javascript_focus_moves_in_and_escape_closes_and_returns_focus(new_context):
    page = new_context("moderator@example.org", width=390).new_page()
    page.goto("/")
    summary = page.locator(SUMMARY)
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.locator(MENU)).to_have_attribute("open", "")
    # Focus is on the menu's first link, and the summary tells assistive technology it is open.
    assert page.evaluate("document.activeElement.closest('.site-menu-panel') !== null")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "/"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "/associations"
    page.keyboard.press("Escape")
    expect(page.locator(MENU)).not_to_have_attribute("open", "")
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    expect(page.locator("header a[href='/associations']")).to_be_hidden()
    # Space opens it as well; a click on the summary closes it again.
    page.keyboard.press(" ")
    expect(page.locator(MENU)).to_have_attribute("open", "")
    summary.click()
    expect(page.locator(MENU)).not_to_have_attribute("open", "")
    # A tap outside the open menu closes it too.
    summary.click()
    expect(page.locator(MENU)).to_have_attribute("open", "")
    page.locator("footer.site-footer p").first.click()  # no link: nothing but the menu changes
    expect(page.locator(MENU)).not_to_have_attribute("open", "")


@pytest.mark.parametrize("email", [None, "moderator@example.org"], ids=["signed-out", "signed-in"])
def test_the_open_menu_passes_axe_on_a_phone(new_context, email):
    page = new_context(email, width=390, axe=True).new_page()
    page.goto("/")
    assert axe_violations(page, "(menu closed)") == []
    page.click(SUMMARY)
    assert axe_violations(page, "(menu open)") == []
    assert small_tap_targets(page) == []
