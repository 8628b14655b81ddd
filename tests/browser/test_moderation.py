"""Notifications as people use them: the header link, the centre, the e-mail choice on the profile."""

from __future__ import annotations

import pytest

from tests.browser.helpers import axe_violations, horizontal_overflow, open_site_menu, small_tap_targets

pytestmark = pytest.mark.browser


def test_notification_centre_and_email_choice_on_a_phone(new_context):
    page = new_context("jonas@example.org", width=360, axe=True).new_page()
    page.goto("/")
    open_site_menu(page)
    with page.expect_navigation():
        page.click("header a[href='/notifications']")
    assert page.url.endswith("/notifications")
    assert horizontal_overflow(page) is None and small_tap_targets(page) == []
    assert axe_violations(page, "(notifications)") == []

    page.goto("/profile")
    page.check("input[name=email_notifications][value=digest]")
    with page.expect_navigation():
        page.click("form[action='/notifications/preferences'] button[type=submit]")
    assert page.url.endswith("/profile")
    assert page.locator("input[name=email_notifications][value=digest]").is_checked()
    assert horizontal_overflow(page) is None and small_tap_targets(page) == []
    assert axe_violations(page, "(profile with the e-mail choice)") == []
    # Back to the default, so other journeys see the account as the demo made it.
    page.check("input[name=email_notifications][value=immediately]")
    with page.expect_navigation():
        page.click("form[action='/notifications/preferences'] button[type=submit]")
