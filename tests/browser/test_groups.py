"""Groups as a newcomer uses them on a phone: get involved, sign up, join, post, leave."""

from __future__ import annotations

import uuid

import pytest

from tests.browser.helpers import (
    axe_violations,
    form_error_text,
    horizontal_overflow,
    is_signed_in,
    small_tap_targets,
    submit_form,
)

PASSWORD = "a long journey 2030"
CLIMATE_GROUP = "Klima-Jugend im Partnerschaftsnetz"  # twinning/demo/groups.py

pytestmark = pytest.mark.browser


def _check_layout(page, label: str) -> None:
    assert horizontal_overflow(page) is None, label
    assert small_tap_targets(page) == [], label
    assert axe_violations(page, label) == []


def test_newcomer_finds_the_climate_group_signs_up_joins_posts_and_leaves(new_context, outbox_link):
    page = new_context(width=390, axe=True).new_page()
    page.goto("/get-involved")
    _check_layout(page, "(get involved)")
    page.check("input[name=themes][value=klimaschutz]")
    submit_form(page)
    card = page.locator("article.group-card", has_text=CLIMATE_GROUP)
    if card.count() == 0:
        pytest.skip("the demo data has no climate topic group (associations' demo data missing)")
    with page.expect_navigation():
        card.locator("a[href$='/join?account=new']").click()

    email = f"jonas-{uuid.uuid4().hex[:8]}@example.org"
    page.fill("input[name=email]", email)
    page.fill("input[name=display_name]", "Jonas (19)")
    page.fill("input[name=password]", PASSWORD)
    submit_form(page)
    assert is_signed_in(page), form_error_text(page)
    assert page.locator(".flash-success", has_text=CLIMATE_GROUP).count() == 1  # joined with the sign-up
    assert page.locator(".group-member-note").count() == 1
    _check_layout(page, "(joined this group)")
    group_url = page.url

    page.goto(outbox_link(email))  # confirm the address, needed to post
    page.goto(group_url)
    with page.expect_navigation():
        page.click("a[href$='/threads/new']")
    page.fill("input[name=title]", "Klimastreik vor dem Rathaus")
    page.fill("textarea[name=body]", "Wer kommt **am Freitag** mit?")
    submit_form(page)
    assert page.locator(".thread-flag-waiting").count() == 1  # waits for the host's moderators
    _check_layout(page, "(my waiting thread)")

    page.goto(group_url)
    with page.expect_navigation():
        page.click("form[action$='/leave'] button")
    assert page.locator(".flash-success").count() == 1
    assert page.locator("form[action$='/leave']").count() == 0


def test_group_directory_and_pages_on_a_phone(new_context):
    page = new_context(width=360, axe=True).new_page()
    page.goto("/groups")
    _check_layout(page, "(groups directory)")
    page.goto("/groups?open_to=everyone&q=klima")
    _check_layout(page, "(groups filtered)")


def test_a_member_corrects_and_then_deletes_her_reply_on_a_phone(new_context):
    page = new_context(email="lea@example.org", width=390, axe=True).new_page()
    page.goto("/groups")
    card = page.locator("article.group-card", has_text=CLIMATE_GROUP)
    if card.count() == 0:
        pytest.skip("the demo data has no climate topic group (associations' demo data missing)")
    with page.expect_navigation():
        card.locator("h2 a, h3 a").first.click()
    with page.expect_navigation():
        page.click("a[href*='/threads/']:not([href$='/new'])")
    words = f"Ich bringe Saatgut mit ({uuid.uuid4().hex[:6]})"
    page.fill("form.reply-form textarea[name=body]", words)
    with page.expect_navigation():
        page.click("form.reply-form button[type=submit]")
    mine = page.locator("article.reply", has_text=words)
    assert mine.count() == 1, form_error_text(page)

    with page.expect_navigation():
        mine.locator("a[href$='/edit']").click()
    _check_layout(page, "(edit my reply)")
    page.fill("textarea[name=body]", "")
    submit_form(page)
    assert page.locator(".error, .form-errors").count() >= 1  # empty: refused on the same form
    page.fill("textarea[name=body]", words + ", und Setzlinge")
    submit_form(page)
    mine = page.locator("article.reply", has_text=words + ", und Setzlinge")
    assert mine.count() == 1 and page.locator(".flash-success").count() == 1
    _check_layout(page, "(thread with my edited reply)")

    with page.expect_navigation():
        mine.locator("form[action$='/delete'] button").click()
    assert page.locator(".flash-success").count() == 1
    assert page.locator("article.reply", has_text=words).count() == 0
