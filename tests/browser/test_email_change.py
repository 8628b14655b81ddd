"""Changing the e-mail address as people do it: password on the profile, link in the new mailbox."""

from __future__ import annotations

import uuid

from tests.browser.helpers import axe_violations, form_error_text, is_signed_in, sign_in, sign_up, submit_form

PASSWORD = "a long journey 2030"
EMAIL_FORM = "form[action='/profile/email']"


def test_change_the_address_with_the_password_and_the_link(new_context, outbox_link):
    tag = uuid.uuid4().hex[:8]
    old, new = f"moving-{tag}@example.org", f"moved-{tag}@example.org"
    page = new_context(axe=True).new_page()
    sign_up(page, old, "Moving Tester", PASSWORD)

    page.goto("/profile")
    page.fill(f"{EMAIL_FORM} input[name=email]", new)
    page.fill(f"{EMAIL_FORM} input[name=password]", "not the password")
    with page.expect_navigation():
        page.click(f"{EMAIL_FORM} button[type=submit]")
    assert page.locator(f"{EMAIL_FORM} [aria-invalid=true]").count() == 1
    assert page.input_value(f"{EMAIL_FORM} input[name=email]") == new
    assert axe_violations(page, "(e-mail change with a wrong password)") == []

    page.fill(f"{EMAIL_FORM} input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click(f"{EMAIL_FORM} button[type=submit]")
    assert page.locator(".flash-success").count() == 1, form_error_text(page)

    link = outbox_link(new)
    page.goto(link)
    assert new in page.inner_text("main")
    assert axe_violations(page, "(confirm the new address)") == []
    submit_form(page)
    assert is_signed_in(page) and page.locator(".flash-success").count() == 1
    assert new in page.inner_text("main")  # the profile says "Signed in as ..."

    assert page.goto(link).status == 400, "the link works only once"
    other = new_context().new_page()
    sign_in(other, new, PASSWORD)
