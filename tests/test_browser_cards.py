"""Every stored-query card of the web page in headless Chromium, on the project's graph: run with its
parameters empty and with them filled; numbers with their unit and scale, labels instead of IRIs; a figure's
page leads with its value; the API page. Screenshots are kept under the test's temporary folder.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from server_graph import LiveServer, live_server
from xjkg.core.paths import GRAPH_FILE, QUERIES_DIR
from xjkg.web.pages import format_quantity

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
ID = "https://w3id.org/xjkg/id/"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("cards")
    with live_server(GRAPH_FILE, folder / "serve.log", "--workers", "2", queries=QUERIES_DIR) as live:
        yield live


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture(scope="module")
def page(server: LiveServer) -> Iterator[Any]:
    if not CHROMIUM.is_file():
        pytest.skip("/usr/bin/chromium is absent (apt-get install chromium; ./dev test does it as root)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        outside: list[str] = []  # nothing may leave the machine
        context.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith((server.url, "blob:"))
                else (outside.append(route.request.url), route.abort())
            ),
        )
        page = context.new_page()
        page.set_default_timeout(20_000)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        yield page
        browser.close()
        assert outside == [], f"the page asked for outside addresses: {outside}"
        assert errors == [], f"JavaScript errors: {errors}"


def _api(server: LiveServer, path: str, **params: str) -> Any:
    answer = httpx.get(server.url.rstrip("/") + path, params=params, timeout=30, headers={"Accept": "application/json"})
    assert answer.status_code == 200, answer.text
    return answer.json()


def _filled(server: LiveServer, query: dict[str, Any]) -> dict[str, str]:
    """A value for every parameter: its default, else one the query's own answer without it holds."""
    values = {p["name"]: p["default"] for p in query["params"] if p["default"] is not None}
    missing = [p for p in query["params"] if p["default"] is None]
    if missing:
        rows = _api(server, f"/api/queries/{query['name']}")["rows"]
        # A query may answer nothing without parameters on a one-report graph (a change between two periods): its
        # IRI parameters are then filled with the graph's resources, and the run must still work.
        assert rows or all(p["type"] == "iri" for p in missing), f"{query['name']}: no value to fill in"
        for param in missing:
            cells = [row.get(param["name"]) for row in rows] + [v for row in rows for v in row.values()]
            if param["type"] == "iri":  # else a report's (a query may answer no rows for it: still a run)
                reports = [v for row in _api(server, "/api/queries/reports")["rows"] for v in row.values()]
                found = next(v for v in cells + reports if isinstance(v, str) and v.startswith(ID))
            elif param["type"] in ("decimal", "integer"):
                found = next(v for v in cells if isinstance(v, (int, float)) and not isinstance(v, bool))
            else:
                found = next(v for v in cells if isinstance(v, str) and v)
            values[param["name"]] = str(found)
    return values


_DONE = (
    "() => /done in/.test(document.getElementById('status').textContent) || !!document.querySelector('#notice .error')"
)


def _run(page: Any, card: Any) -> None:
    """Press Run and wait for the answer or an error (polled: the page's CSP forbids a predicate by eval)."""
    page.evaluate("() => { document.getElementById('status').textContent = ''; }")
    page.evaluate("() => document.getElementById('notice').replaceChildren()")
    card.get_by_role("button", name="Run").click()
    deadline = time.monotonic() + 30
    while not page.evaluate(_DONE):
        assert time.monotonic() < deadline, "no answer within 30 s"
        page.wait_for_timeout(50)
    errors = page.locator("#notice .error")
    assert errors.count() == 0, errors.first.text_content()


def _shot(page: Any, path: Path) -> None:
    """The result area (a whole page of eighteen cards takes long to paint on a busy machine)."""
    page.locator("#results").screenshot(path=str(path), timeout=60_000)


def test_every_card_runs_with_its_parameters_empty_and_filled(server: LiveServer, page: Any, shots: Path) -> None:
    from playwright.sync_api import expect

    queries = _api(server, "/api/queries")
    page.goto(server.url)
    assert page.locator("form.stored [required]").count() == 0, "no parameter blocks Run"
    for query in queries:
        card = page.locator(f"#q-{query['name']}")
        for param in query["params"]:  # empty: every field cleared
            field = card.locator(f"[name={param['name']}]")
            if field.evaluate("node => node.tagName") == "SELECT":
                field.select_option("")
            else:
                field.fill("")
        _run(page, card)
        expect(page.locator("#table table.results, #notice .boolean").first).to_be_visible()
        _shot(page, shots / f"{query['name']}-empty.png")
        if not query["params"]:
            continue
        for name, value in _filled(server, query).items():
            field = card.locator(f"[name={name}]")
            if field.evaluate("node => node.tagName") == "SELECT":
                field.select_option(value)
            else:
                field.fill(value)
        _run(page, card)
        expect(page.locator("#table table.results, #notice .boolean").first).to_be_visible()
        _shot(page, shots / f"{query['name']}-filled.png")
    assert len(list(shots.glob("*.png"))) >= len(queries)


def _unit_of(server: LiveServer, figure: str) -> str:
    query = f"SELECT ?u WHERE {{ <{figure}> <http://purl.org/linked-data/sdmx/2009/attribute#unitMeasure> ?u }}"
    answer = httpx.post(server.url + "sparql", data={"query": query}, timeout=30)
    return str(answer.json()["results"]["bindings"][0]["u"]["value"])


def test_numbers_with_unit_and_scale_labels_not_iris(server: LiveServer, page: Any, shots: Path) -> None:
    from playwright.sync_api import expect

    rows = _api(server, "/api/queries/investment-by-fund-type")["rows"]
    first = rows[0]
    expected = format_quantity(str(first["amount"]), _unit_of(server, first["figure"]))
    figure_label = httpx.get(
        server.url + "sparql",
        params={"query": f"SELECT ?l WHERE {{ <{first['figure']}> <http://www.w3.org/2000/01/rdf-schema#label> ?l }}"},
        timeout=30,
    ).json()["results"]["bindings"][0]["l"]["value"]

    page.goto(server.url)
    card = page.locator("#q-investment-by-fund-type")
    _run(page, card)
    table = page.locator("#table table.results")
    header = [t.strip() for t in table.locator("thead th").all_text_contents()]
    first_row = table.locator("tbody tr").first
    amount = first_row.locator("td").nth(header.index("amount"))
    expect(amount).to_have_text(expected)  # e.g. "2.61 billion Yuan", from the value and the figure's unit
    assert re.search(r"\d\.\d+ (billion|million)", expected), expected
    expect(first_row.locator("td").nth(header.index("figure"))).to_have_text(figure_label)
    body = table.locator("tbody").inner_text()
    assert "@en" not in body and "https://w3id.org" not in body and "id:report" not in body
    # The chart's bars are labelled by label, each its own.
    bars = page.locator("#chart svg text.bar-label").all_text_contents()
    assert len(bars) == len(rows) and len(set(bars)) > 1
    assert not any(b.startswith(("id:", "http")) for b in bars)
    _shot(page, shots / "investment-by-fund-type-units.png")

    # The figure's page: its value with its unit first, then its sentence and its provenance, then the facts.
    page.goto(server.url.rstrip("/") + "/id/" + first["figure"][len(ID) :])
    lead = page.locator("#figure-value")
    expect(lead.locator(".value")).to_have_text(expected)
    expect(lead.locator("blockquote.source mark")).to_be_visible()
    expect(lead.locator(".provenance")).to_contain_text("Stated in")
    order = page.evaluate("[...document.querySelectorAll('#figure-value, table.facts')].map(n => n.id || n.tagName)")
    assert order[0] == "figure-value", order
    assert "xsd:decimal" not in page.locator("table.facts").first.inner_text()
    page.screenshot(path=str(shots / "figure-page.png"), timeout=60_000)


def test_api_page_is_readable_and_offline(server: LiveServer, page: Any, shots: Path) -> None:
    from playwright.sync_api import expect

    page.goto(server.url)
    page.get_by_role("link", name="API", exact=True).first.click()
    page.wait_for_url("**/api")
    expect(page.locator("h1")).to_contain_text("xjkg stored queries")
    expect(page.locator("#op-investment_by_fund_type table.params")).to_contain_text("period")
    expect(page.locator("a[href='/api/openapi.json']")).to_be_visible()
    page.screenshot(path=str(shots / "api.png"), timeout=60_000)
