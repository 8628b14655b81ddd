"""The personal home at / as demo people see it, at phone and desktop width, with axe."""

from __future__ import annotations

import pytest

from tests.browser.helpers import (
    axe_violations,
    horizontal_overflow,
    open_site_menu,
    sign_up,
    small_tap_targets,
)

WIDTHS = (390, 1280)


@pytest.mark.parametrize("width", WIDTHS)
def test_moderator_sees_their_home_with_name_and_waiting_queue(new_context, width):
    page = new_context("moderator@example.org", width=width, axe=True).new_page()
    page.goto("/?lang=en")
    open_site_menu(page)  # on a phone the header's links are behind the menu button
    assert page.locator(".account-name").inner_text().strip()  # the display name in the header
    assert page.get_by_role("heading", name="Waiting for you").is_visible()
    assert page.get_by_role("heading", name="Your associations and groups").is_visible()
    assert page.locator("#mine-heading + .home-columns").get_by_text("Aachen").first.is_visible()
    assert page.get_by_role("heading", name="Suggested for you").is_visible()
    problems = axe_violations(page, f"[{width}px]")
    if width == 390:
        overflow = horizontal_overflow(page)
        problems += [overflow] if overflow else []
        problems += small_tap_targets(page)
    assert not problems, problems


@pytest.mark.parametrize("width", WIDTHS)
def test_someone_in_nothing_gets_a_start(new_context, width):
    page = new_context(width=width, axe=True).new_page()
    sign_up(page, f"newcomer-home-{width}@example.org", "Nora Neu", "a long enough passphrase")
    page.goto("/?lang=en")
    open_site_menu(page)
    assert page.locator(".account-name").inner_text().strip().endswith("Nora Neu")
    assert page.get_by_text("You have not joined an association or a group yet.").is_visible()
    problems = axe_violations(page, f"[{width}px]")
    assert not problems, problems


def test_visitor_keeps_the_network_home(new_context):
    page = new_context(width=390, axe=True).new_page()
    page.goto("/?lang=en")
    assert page.get_by_role("heading", name="Town twinning, together").is_visible()
    assert page.get_by_role("heading", name="Waiting for you").count() == 0
    assert not axe_violations(page, "[390px]")
