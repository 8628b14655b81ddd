"""The network's pages in a real browser: the coordinator's journey, charts without CSS or JS."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.browser.helpers import VNU_JAR, axe_violations, horizontal_overflow, small_tap_targets

pytestmark = pytest.mark.browser

PAGES = ["/", "/sdgs", "/sdgs/13", "/themes/klimaschutz", "/network", "/sdgs/6?country=ZA"]


@pytest.mark.parametrize("width", [1280, 360])
def test_network_pages_pass_axe_and_fit_phones(new_context, width):
    page = new_context(width=width, axe=True).new_page()
    problems = []
    for path in PAGES:
        page.goto(path)
        problems += axe_violations(page, f"[{width}px]")
        overflow = horizontal_overflow(page)
        if overflow:
            problems.append(f"{path} [{width}px] scrolls sideways: {overflow}")
        if width == 360:
            problems += [f"{path}: small tap target {target}" for target in small_tap_targets(page)]
    assert not problems, "\n".join(problems)


def test_network_pages_are_valid_html(new_context, tmp_path, checkers):
    page = new_context().new_page()
    files = []
    for index, path in enumerate([*PAGES, "/sdgs/13?page=99"]):
        page.goto(path)
        file = tmp_path / f"page{index}.html"
        file.write_text(page.content(), encoding="utf-8")
        files.append(str(file))
    checked = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "json", "--errors-only", *files],
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(checked.stderr)["messages"]
    assert not messages, "\n".join(
        f"{m.get('url')}: {m['message']} {m.get('extract', '')!r}" for m in messages
    )


def test_coordinator_reads_charts_without_css_or_javascript(new_context):
    context = new_context(javascript=False)
    context.route("**/*.css", lambda route: route.abort())
    page = context.new_page()
    page.goto("/network?lang=en")
    assert page.locator("svg[role=img] title").first.text_content() == "Proposals and groups per goal"
    assert page.locator("svg[role=img]").count() == 4
    # Each chart's figures are in a table behind a native <details>, no script needed.
    page.locator("main summary").first.click()  # a chart's table, not the header's menu
    assert page.locator("details table").first.is_visible()
    assert page.locator("table.coverage-matrix").count() <= 1


def test_coordinator_downloads_csv_and_finds_the_feed(new_context):
    page = new_context().new_page()
    page.goto("/network?lang=en")
    with page.expect_download() as download:
        page.locator("a[href='/network/coverage.csv']").click()
    assert download.value.suggested_filename.startswith("twinning-coverage-")
    feed = page.request.get("/feed.atom")
    assert feed.ok and feed.headers["content-type"].startswith("application/atom+xml")
    page.goto("/")
    assert page.locator("link[rel=alternate][type='application/atom+xml']").count() == 1
