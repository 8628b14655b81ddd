"""Accounts as people use them: sign up and confirm, sign in by keyboard, reset, language."""

from __future__ import annotations

import uuid

import pytest

from tests.browser.helpers import (
    SUBMIT,
    axe_violations,
    focus_is_visible,
    form_error_text,
    horizontal_overflow,
    html_lang,
    is_signed_in,
    sign_in,
    sign_out,
    sign_up,
    small_tap_targets,
    submit_form,
)

PASSWORD = "a long journey 2030"


def new_address(purpose: str) -> str:
    return f"{purpose}-{uuid.uuid4().hex[:8]}@example.org"


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_sign_up_confirm_by_mail_and_sign_in(javascript, new_context, outbox_link):
    # On a phone, as most newcomers sign up. axe needs script in the page, so the run
    # without JavaScript checks behaviour and layout only.
    page = new_context(width=390, javascript=javascript, axe=javascript).new_page()
    page.goto("/")
    with page.expect_navigation():
        page.click("main a[href^='/auth/register']")

    submit_form(page)  # empty
    assert page.url.endswith("/auth/register") and page.locator("[aria-invalid=true]").count() == 3
    if javascript:
        # app.js takes keyboard and screen-reader users to the first wrong field.
        assert page.evaluate("document.activeElement.name") == "email"
        assert axe_violations(page, "(form with errors)") == []

    email = new_address("signup")
    page.fill("input[name=email]", email)
    page.fill("input[name=display_name]", "Sign-up Tester")
    page.fill("input[name=password]", PASSWORD)
    submit_form(page)
    assert is_signed_in(page), form_error_text(page)
    assert page.locator(".banner").count() == 1  # asks to confirm the address
    # No crawled role ever sees this banner, so its layout is checked here.
    assert horizontal_overflow(page) is None and small_tap_targets(page) == []
    if javascript:
        assert axe_violations(page, "(banner: confirm your address)") == []

    page.goto(outbox_link(email))
    assert page.locator(".flash-success").count() == 1
    assert page.locator(".banner").count() == 0

    sign_out(page)
    sign_in(page, email, PASSWORD)
    assert page.locator(".banner").count() == 0


def test_language_switch_is_kept_while_browsing(new_context):
    page = new_context().new_page()
    page.goto("/")
    assert html_lang(page) == "de"

    with page.expect_navigation():
        page.click("nav.language a[hreflang=en]")
    assert html_lang(page) == "en"
    assert page.get_attribute("nav.language a[hreflang=en]", "aria-current") == "true"

    with page.expect_navigation():
        page.click("header a[href^='/auth/login']")
    assert html_lang(page) == "en"
    page.goto("/imprint")
    assert html_lang(page) == "en"

    with page.expect_navigation():
        page.click("nav.language a[hreflang=de]")
    assert html_lang(page) == "de" and page.url.endswith("/imprint?lang=de")
    page.goto("/")
    assert html_lang(page) == "de"


def tab_to(page, selector: str, limit: int = 40) -> None:
    """Press Tab until ``selector`` has the focus; every stop on the way must show its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        assert focus_is_visible(page), (
            f"no visible focus on {page.evaluate('document.activeElement.outerHTML')}"
        )
        if page.evaluate("selector => document.activeElement.matches(selector)", selector):
            return
    raise AssertionError(f"{selector} not reached with {limit} presses of Tab on {page.url}")


def test_sign_in_with_the_keyboard_only(new_context):
    page = new_context().new_page()
    page.goto("/")

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')")
    assert page.evaluate("document.activeElement.getBoundingClientRect().top >= 0"), "skip link stays hidden"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    tab_to(page, "main a[href^='/auth/login']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "input[name=email]")
    page.keyboard.type("thandi@example.org")
    tab_to(page, "input[name=password]")
    page.keyboard.type("twinning-demo")
    tab_to(page, "input[name=remember]")
    page.keyboard.press("Space")
    assert page.is_checked("input[name=remember]")
    tab_to(page, SUBMIT)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert is_signed_in(page), form_error_text(page)


def test_password_reset_by_mail(new_context, outbox_link):
    email = new_address("reset")
    sign_up(new_context().new_page(), email, "Reset Tester", PASSWORD)

    page = new_context(axe=True).new_page()
    page.goto("/auth/login")
    with page.expect_navigation():
        page.click("main a[href='/auth/reset']")
    page.fill("input[name=email]", email)
    submit_form(page)
    assert page.url.endswith("/auth/login") and page.locator(".flash-success").count() == 1

    link = outbox_link(email)
    page.goto(link)
    assert axe_violations(page, "(new password form)") == []
    page.fill("input[name=password]", "a new password 2031")
    submit_form(page)
    assert is_signed_in(page), form_error_text(page)

    sign_out(page)
    page.goto("/auth/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    submit_form(page)
    assert not is_signed_in(page) and page.locator(".form-errors").count() == 1
    sign_in(page, email, "a new password 2031")

    response = page.goto(link)
    assert response.status == 400, "a reset link works only once"
    assert axe_violations(page, "(used reset link)") == []
