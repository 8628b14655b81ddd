"""Issue 14.6 on a phone: a visitor taps "join" on a topic group, signs up, confirms, lands in the group."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.browser.helpers import (
    axe_violations,
    form_error_text,
    horizontal_overflow,
    is_signed_in,
    submit_form,
)

PASSWORD = "a long journey 2030"
CLIMATE_GROUP = "Klima-Jugend im Partnerschaftsnetz"  # twinning/demo/groups.py

pytestmark = pytest.mark.browser


def _check(page, label: str) -> None:
    assert horizontal_overflow(page) is None, label
    assert axe_violations(page, label) == []


def test_visitor_taps_join_signs_up_confirms_and_lands_in_the_group(new_context, outbox_link):
    page = new_context(width=390, axe=True).new_page()
    page.goto("/groups?open_to=everyone")
    link = page.locator("a", has_text=CLIMATE_GROUP).first
    if link.count() == 0:
        pytest.skip("the demo data has no climate topic group")
    with page.expect_navigation():
        link.click()
    group_path = re.sub(r"^https?://[^/]+", "", page.url)
    _check(page, "(the group, as a visitor)")
    with page.expect_navigation():
        page.click("a[href$='/join?account=new']")  # "Sign up and join"
    assert "/auth/register" in page.url
    _check(page, "(sign up)")

    email = f"jonas-{uuid.uuid4().hex[:8]}@example.org"
    page.fill("input[name=email]", email)
    page.fill("input[name=display_name]", "Jonas (19)")
    page.fill("input[name=password]", PASSWORD)
    submit_form(page)
    assert is_signed_in(page), form_error_text(page)

    page.goto(outbox_link(email))  # the confirmation link from the mail
    assert page.url.endswith(group_path)  # lands in the group it started from
    assert page.locator(".group-member-note").count() == 1  # as a member
    _check(page, "(in the group after confirming)")
