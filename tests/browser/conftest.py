"""Real Chromium against a live Twinning: one server and one browser for the whole package.

Everything here is package-scoped, so the server and the browser stop as soon as the
browser tests are done. Without Chromium every test here is skipped, and the run says so.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, sync_playwright

from tests.browser.crawl import CRAWL_ROLES, Crawl, crawl
from tests.browser.helpers import AXE_SCRIPT, VNU_JAR, sign_in
from tests.browser.live_server import LiveServer

HERE = Path(__file__).resolve().parent
CHROMIUM = next(
    (path for path in ("/usr/bin/chromium", shutil.which("chromium")) if path and os.path.exists(path)), None
)
SKIP_REASON = "Chromium not found: browser tests skipped"
# The machine may have no network: without these Chromium keeps trying to reach Google.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCALE = "de-DE"  # German is the default language, and its long words find overflow first
DEMO_PASSWORD = "twinning-demo"  # every demo account's (twinning/demo/)


@pytest.hookimpl(tryfirst=True)  # before -m "not browser" deselects by marker
def pytest_collection_modifyitems(config, items):
    ours = [item for item in items if HERE in Path(str(item.path)).parents]
    if ours and CHROMIUM is None and os.environ.get("TWINNING_BROWSER_TESTS") == "required":
        raise pytest.UsageError("Chromium not found, and TWINNING_BROWSER_TESTS=required (CI)")
    for item in ours:
        item.add_marker(pytest.mark.browser)
        if CHROMIUM is None:
            item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


def pytest_terminal_summary(terminalreporter):
    skipped = terminalreporter.stats.get("skipped", [])
    if CHROMIUM is None and any(SKIP_REASON in str(report.longrepr) for report in skipped):
        terminalreporter.write_line(SKIP_REASON + " (install chromium to run them)", yellow=True, bold=True)


@pytest.fixture(autouse=True)
def session():
    """Replaces the unit tests' per-test transaction: these tests talk to the live server only."""
    yield None


@pytest.fixture(scope="package")
def checkers() -> None:
    """axe-core and the Nu Html Checker from tests/browser/package-lock.json."""
    if not (AXE_SCRIPT.exists() and VNU_JAR.exists()):
        npm = shutil.which("npm")
        assert npm, "npm is needed once to install axe-core and vnu-jar (tests/browser/package.json)"
        # --ignore-scripts: vnu-jar's postinstall would try to download a Java runtime.
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--prefix", str(HERE)],
            check=True,
            capture_output=True,
            timeout=300,
        )
    assert shutil.which("java"), "java is needed for the Nu Html Checker (vnu.jar)"


@pytest.fixture(scope="package")
def server(tmp_path_factory) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path_factory.mktemp("browser"))
    live.start()
    yield live
    live.stop()


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="package")
def signed_in_state(browser, server) -> Callable[[str | None], dict | None]:
    """Cookies of a signed-in demo account, made once per account and shared by its contexts."""
    states: dict[str, dict] = {}

    def state_for(email: str | None) -> dict | None:
        if email is None:
            return None
        if email not in states:
            context = browser.new_context(base_url=server.url, locale=LOCALE)
            sign_in(context.new_page(), email, DEMO_PASSWORD)
            states[email] = context.storage_state()
            context.close()
        return states[email]

    return state_for


def open_context(
    browser: Browser,
    server: LiveServer,
    state: dict | None = None,
    width: int = 1280,
    javascript: bool = True,
    axe: bool = False,
) -> BrowserContext:
    """A context at ``width`` CSS px; ``axe=True`` lets axe run despite the app's strict CSP."""
    context = browser.new_context(
        base_url=server.url,
        locale=LOCALE,
        viewport={"width": width, "height": 900},
        java_script_enabled=javascript,
        bypass_csp=axe,
        storage_state=state,
    )
    context.set_default_timeout(10_000)
    if axe:
        context.add_init_script(path=str(AXE_SCRIPT))
    return context


@pytest.fixture
def new_context(browser, server, signed_in_state, checkers) -> Iterator[Callable[..., BrowserContext]]:
    """Factory: ``new_context(email=None, width=1280, javascript=True, axe=False)``."""
    opened: list[BrowserContext] = []

    def make(email: str | None = None, **options) -> BrowserContext:
        context = open_context(browser, server, signed_in_state(email), **options)
        opened.append(context)
        return context

    yield make
    for context in opened:
        context.close()


@pytest.fixture
def outbox_link(server) -> Callable[[str], str]:
    """``outbox_link(address)``: the first link in the newest mail the app wrote to it."""
    return server.outbox_link


@pytest.fixture(scope="package")
def crawls(browser, server, signed_in_state, tmp_path_factory) -> dict[str, Crawl]:
    """Role name -> what that role reaches by links, with the server's HTML of each page."""
    folder = tmp_path_factory.mktemp("crawled-html")
    result = {}
    for role, email in CRAWL_ROLES.items():
        context = open_context(browser, server, signed_in_state(email))
        result[role] = crawl(context, server.url, role, folder / role)
        context.close()
    return result
