"""A page from another loopback origin, in Debian's headless Chromium, cannot use the browser as a weapon
against ``xjkg serve`` (issue 11, item 3): its parse bomb never reaches a worker, it reads no answer, and
the server goes on.

Two origins: the server at ``http://127.0.0.1:P`` and the attacker's page at ``http://localhost:Q``
(cross-site) or ``http://127.0.0.1:Q`` (same site, another origin), served by a plain ``http.server``.
"""

from __future__ import annotations

import html
import http.server
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from server_graph import LiveServer, live_server, write_fixture
from test_browser import ARGS, CHROMIUM

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.slow]  # a browser: left to ./dev test

BOMB = "ASK { FILTER(" + "!" * 12_000 + "true) }"
ASK = "ASK { ?s ?p ?o }"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("cross-site")
    graph_file, queries = write_fixture(folder)
    with live_server(graph_file, folder / "serve.log", "--timeout", "5", queries=queries) as live:
        yield live


def attack_page(victim: str) -> str:
    """Every way a page can send to another origin: CORS reads, a no-cors POST and an auto-submitted form."""
    return f"""<!doctype html><html><body>
<iframe name="sink"></iframe>
<form id="f" method="POST" action="{victim}sparql" target="sink">
<input type="hidden" name="query" value="{html.escape(BOMB)}"></form>
<script>
const victim = {json.dumps(victim)}, bomb = {json.dumps(BOMB)};
window.results = {{}};
let pending = 4;
function done(key, value) {{ window.results[key] = value; if (--pending === 0) window.finished = true; }}
function attempt(key, promise) {{
  promise.then(r => r.type === "opaque" ? done(key, "opaque") : r.text().then(t => done(key, "read:" + t)),
               () => done(key, "blocked"));
}}
attempt("cors-get", fetch(victim + "sparql?query=" + encodeURIComponent({json.dumps(ASK)})));
attempt("cors-post", fetch(victim + "sparql", {{method: "POST", body: new URLSearchParams({{query: bomb}})}}));
attempt("no-cors-post", fetch(victim + "sparql",
        {{method: "POST", mode: "no-cors", body: new URLSearchParams({{query: bomb}})}}));
attempt("cors-api", fetch(victim + "api/queries"));
document.getElementById("f").submit();
</script></body></html>"""


@pytest.fixture()
def attacker(server: LiveServer, tmp_path: Path) -> Iterator[int]:
    """A plain web server on another loopback port, serving the attack page."""
    (tmp_path / "attack.html").write_text(attack_page(server.url), encoding="utf-8")

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(tmp_path), **kwargs)  # type: ignore[arg-type]

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"], ids=["cross-site", "same-site-other-port"])
def test_page_of_another_origin_can_neither_crash_nor_read(server: LiveServer, attacker: int, host: str) -> None:
    if not CHROMIUM.is_file():
        pytest.skip("/usr/bin/chromium is absent (apt-get install chromium; ./dev test does it as root)")
    sync_api = pytest.importorskip("playwright.sync_api")
    before = server.log.read_text(errors="replace").count('"POST /sparql" 403')
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page()
            page.goto(f"http://{host}:{attacker}/attack.html")
            page.wait_for_function("window.finished === true", timeout=30_000)
            results = page.evaluate("window.results")
            # the form's POST, the CORS POST and the no-cors POST: all refused before a worker saw them
            deadline = time.monotonic() + 30
            while server.log.read_text(errors="replace").count('"POST /sparql" 403') < before + 3:
                assert time.monotonic() < deadline, server.log.read_text()
                time.sleep(0.05)  # polling the log, with a deadline
        finally:
            browser.close()
    assert results["cors-get"] == "blocked"
    assert results["cors-post"] == "blocked"
    assert results["cors-api"] == "blocked"
    assert results["no-cors-post"] == "opaque"  # sent, but nothing of the answer is readable
    log = server.log.read_text(errors="replace")
    assert '"POST /sparql" 200' not in log and '"POST /sparql" 400' not in log  # the bomb never got parsed
    assert server.process.poll() is None
    with httpx.Client(base_url=server.url, timeout=10) as http_client:
        assert http_client.get("/sparql", params={"query": ASK}).json()["boolean"] is True
