"""The web page in Debian's headless Chromium (Playwright): stored query → table and chart → resource page.

No browser is downloaded: the test drives ``/usr/bin/chromium`` (``./dev test`` installs it with apt
when run as root) and is skipped, saying so, where it is absent.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from server_graph import FIGURE, LiveServer, live_server, write_fixture

pytestmark = [
    pytest.mark.browser,
    pytest.mark.server,
    pytest.mark.slow,
]  # each test takes seconds (./dev test-fast leaves them to ./dev test)

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("browser")
    graph_file, queries = write_fixture(folder)
    with live_server(graph_file, folder / "serve.log", queries=queries) as live:
        yield live


@pytest.fixture(scope="module")
def page(server: LiveServer) -> Iterator[object]:
    if not CHROMIUM.is_file():
        pytest.skip("/usr/bin/chromium is absent (apt-get install chromium; ./dev test does it as root)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context()
        # Nothing may leave the machine: every request must go to the server under test.
        outside: list[str] = []
        context.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith(server.url) or route.request.url.startswith("blob:")
                else (outside.append(route.request.url), route.abort())
            ),
        )
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        yield page
        browser.close()
        assert outside == [], f"the page asked for outside addresses: {outside}"
        assert errors == [], f"JavaScript errors: {errors}"


def test_stored_query_table_chart_and_resource_page(server: LiveServer, page: object) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(server.url)
    expect(page.locator("h1")).to_contain_text("Poverty alleviation")
    expect(page.locator("#triple-count")).not_to_have_text("0")

    card = page.locator("#q-funds-by-figure")
    card.get_by_role("button", name="Run").click()
    table = page.locator("#table table.results")
    expect(table).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table.locator("tbody tr").first).to_contain_text("Funds for roads in Luopu")
    expect(page.locator("#chart svg rect.bar")).to_have_count(2)
    expect(page.locator("#csv-download")).to_have_attribute("download", "result.csv")

    # Sorting by value ascending puts the smaller figure first.
    page.locator("#table th[data-var=value]").click()
    expect(table.locator("tbody tr").first).to_contain_text("People reached by roads in Luopu")

    # The editor runs ad-hoc SPARQL with the stored queries as examples.
    page.select_option("#examples", "has-county")
    expect(page.locator("#query")).to_have_value(re.compile(r"ASK \{ \?c a xjkg:County \}"))
    page.locator("#run").click()
    expect(page.locator("#notice")).to_contain_text("Answer: true")

    # Back to the stored query; follow a result to its page and see the highlighted sentence.
    card.get_by_role("button", name="Run").click()
    page.locator("#table a[href='/id/figure/roads-funds']").click()
    page.wait_for_url("**/id/figure/roads-funds")
    expect(page.locator("blockquote.source mark").first).to_have_text(FIGURE)
