"""Every page each role reaches: links work, axe finds nothing, the HTML is valid, phones fit.

The pages come from the crawl (tests/browser/crawl.py), so a feature's new pages are
checked as soon as a link leads to them. Each test collects every problem on every page
before it fails, so one run shows the whole list.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pytest
from playwright.sync_api import ConsoleMessage, Page, Request, Response

from tests.browser.crawl import CRAWL_ROLES
from tests.browser.helpers import (
    VNU_JAR,
    axe_violations,
    checkboxes_apart_from_their_labels,
    horizontal_overflow,
    small_tap_targets,
    text_overflowing_its_box,
)

ROLES = list(CRAWL_ROLES)
DESKTOP, PHONE, SMALL_PHONE = 1280, 390, 360


def report(title: str, problems: list[str]) -> str:
    return f"{title} ({len(problems)}):\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("role", ROLES)
def test_every_link_leads_to_a_page(role, crawls):
    crawled = crawls[role]
    assert crawled.html_pages(), f"the crawl as {role} found no HTML page"
    broken = crawled.broken_links()
    assert not broken, report(f"Broken links for {role}", broken)


@pytest.mark.parametrize("role", ROLES)
def test_every_page_passes_axe_on_desktop_and_phone(role, crawls, new_context):
    email = CRAWL_ROLES[role]
    desktop = new_context(email, width=DESKTOP, axe=True).new_page()
    phone = new_context(email, width=PHONE, axe=True).new_page()
    problems = []
    for crawled in crawls[role].html_pages():
        desktop.goto(crawled.url)
        problems += axe_violations(desktop, f"[{DESKTOP}px]")
        problems += layout_problems(desktop, DESKTOP)
        phone.goto(crawled.url)
        problems += axe_violations(phone, f"[{PHONE}px]")
        overflow = horizontal_overflow(phone)
        if overflow:
            problems.append(f"{phone.url} [{PHONE}px]: scrolls sideways: {overflow}")
        problems += layout_problems(phone, PHONE)
    assert not problems, report(f"Accessibility problems for {role} (axe: WCAG 2.1 A and AA)", problems)


def layout_problems(page: Page, width: int) -> list[str]:
    """Text wider than its box, and checkboxes that wrapped away from their labels."""
    return [
        f"{page.url} [{width}px]: text wider than its box: {box}" for box in text_overflowing_its_box(page)
    ] + [
        f"{page.url} [{width}px]: checkbox not on its label's line: {box}"
        for box in checkboxes_apart_from_their_labels(page)
    ]


class PageWatch:
    """Console errors, uncaught exceptions and failed subresources of whatever page is open."""

    def __init__(self, page: Page) -> None:
        self.problems: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"{page.url}: uncaught {error}"))
        page.on("requestfailed", self._request_failed)
        page.on("response", self._response)

    def _console(self, message: ConsoleMessage) -> None:
        # "Failed to load resource" repeats what _response and _request_failed report better,
        # and is also logged for an error page's own status.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.problems.append(
                f"{message.page.url if message.page else '?'}: console error: {message.text}"
            )

    def _request_failed(self, request: Request) -> None:
        if request.failure == "net::ERR_ABORTED":
            return  # cancelled by the browser itself, e.g. the favicon when the next page opens
        self.problems.append(f"{request.frame.url}: {request.url} failed: {request.failure}")

    def _response(self, response: Response) -> None:
        # The document's own status is the crawl's business (error pages answer 404 on purpose).
        if response.status >= 400 and not response.request.is_navigation_request():
            self.problems.append(f"{response.frame.url}: {response.url} answered {response.status}")


@pytest.mark.parametrize("role", ROLES)
def test_every_page_works_on_a_small_phone(role, crawls, new_context):
    # No axe here: this context keeps the app's Content-Security-Policy, so a violation of
    # it shows up as a console error.
    page = new_context(CRAWL_ROLES[role], width=SMALL_PHONE).new_page()
    watch = PageWatch(page)
    problems = watch.problems
    for crawled in crawls[role].html_pages():
        page.goto(crawled.url)
        overflow = horizontal_overflow(page)
        if overflow:
            problems.append(f"{page.url} [{SMALL_PHONE}px]: scrolls sideways: {overflow}")
        problems += [
            f"{page.url} [{SMALL_PHONE}px]: tap target too small: {target}"
            for target in small_tap_targets(page)
        ]
        problems += layout_problems(page, SMALL_PHONE)
    assert not problems, report(f"Phone problems for {role}", problems)


def test_every_page_is_valid_html(crawls, checkers):
    pages = {
        str(page.html_file): f"{page.url} (as {role})"
        for role, crawled in crawls.items()
        for page in crawled.html_pages()
    }
    # vnu passes silently over a missing file, so make sure there is something to check.
    assert pages and all(Path(file).stat().st_size for file in pages)
    checked = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "json", "--errors-only", *pages],
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )
    try:
        messages = json.loads(checked.stderr)["messages"]
    except (json.JSONDecodeError, KeyError):
        pytest.fail(
            f"the Nu Html Checker gave no JSON (exit {checked.returncode}):\n{checked.stderr[-3000:]}"
        )
    errors = []
    for message in messages:
        file = unquote(message.get("url", "").removeprefix("file:"))
        kind = "" if message["type"] == "error" else f"{message['type']}: "
        errors.append(
            f"{pages.get(file, file)} line {message.get('lastLine', '?')}: {kind}{message['message']}"
            f" [{file}] {message.get('extract', '').strip()!r}"
        )
    assert not errors, report("HTML errors (Nu Html Checker)", errors)
