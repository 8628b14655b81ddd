"""Association spaces as people use them: found one on a phone, approve it, join it, manage it."""

from __future__ import annotations

import uuid

import pytest

from tests.browser.helpers import (
    axe_violations,
    form_error_text,
    horizontal_overflow,
    small_tap_targets,
    submit_form,
)

pytestmark = pytest.mark.browser


def _check_layout(page, label: str) -> None:
    assert horizontal_overflow(page) is None, label
    assert small_tap_targets(page) == [], label
    assert axe_violations(page, label) == []


def test_found_approve_and_join_an_association(new_context):
    name = f"Initiative Aachen–Toledo {uuid.uuid4().hex[:6]}"
    founder = new_context("member@example.org", width=390, axe=True).new_page()
    founder.goto("/associations/new")
    _check_layout(founder, "(register an association)")
    submit_form(founder)  # empty
    assert founder.locator("[aria-invalid=true]").count() >= 2
    _check_layout(founder, "(register an association, with errors)")
    founder.fill("input[name=name]", name)
    founder.fill("input[name=city]", "Aachen")
    founder.select_option("select[name=country]", "DE")
    founder.fill("textarea[name=description]", "Wir verbinden **Schulen** in Aachen und Toledo.")
    founder.check("input[name=join_policy][value=open]")
    founder.check("input[name=themes][value=jugend]")
    submit_form(founder)
    assert "/a/" in founder.url, form_error_text(founder)
    slug = founder.url.rsplit("/a/", 1)[1]
    assert founder.locator(".notice").count() == 1  # waits for approval
    _check_layout(founder, "(space awaiting approval)")

    admin = new_context("admin@example.org", width=1280, axe=True).new_page()
    admin.goto("/admin/associations")
    _check_layout(admin, "(approval queue)")
    card = admin.locator("section.card", has=admin.locator(f"a[href='/a/{slug}']"))
    card.locator("input[name=decision][value=approve]").check()  # nothing is chosen in advance
    with admin.expect_navigation():
        card.locator("button[type=submit]").click()
    assert admin.locator(".flash-success").count() == 1

    joiner = new_context("jonas@example.org", width=390, axe=True).new_page()
    joiner.goto(f"/a/{slug}")
    with joiner.expect_navigation():
        joiner.click(f"form[action='/a/{slug}/join'] button")
    assert joiner.locator(f"form[action='/a/{slug}/leave']").count() == 1
    _check_layout(joiner, "(space as a new member)")


@pytest.mark.parametrize(
    "path",
    ["/a/aachen-reims/members", "/a/aachen-reims/partnerships", "/a/aachen-reims/settings", "/admin/themes"],
)
def test_admin_pages_on_a_phone(new_context, path):
    email = "admin@example.org" if path.startswith("/admin") else "marie@example.org"
    page = new_context(email, width=360, axe=True).new_page()
    response = page.goto(path)
    assert response.status == 200
    _check_layout(page, f"({path})")
