"""The pages for people: resource pages (``/id/…``), the ontology, the home page with the query editor."""

from __future__ import annotations

import logging
from pathlib import Path

from rdflib import Literal, URIRef
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response

from xjkg.core.namespaces import BASE_ID, XJKG
from xjkg.core.paths import ONTOLOGY_FILE
from xjkg.server.api import query_listing
from xjkg.server.protocol import ALTERNATES, CONTENT_TYPES, GRAPH_TYPES, SUFFIXES, negotiate, serialize
from xjkg.server.state import State, off_loop, run_query
from xjkg.web import pages as web_pages

__all__ = ["DESCRIBE_QUERY", "STATIC_DIR", "favicon", "home", "ontology", "resource"]

STATIC_DIR = Path(__file__).resolve().parent.parent / "web" / "static"
ONTOLOGY_BASE = str(XJKG).rstrip("#")
log = logging.getLogger("xjkg.server")

_VARY = {"Vary": "Accept"}  # the answer depends on Accept: a cache must key on it
_PAGE_ROWS = 5_000  # the page queries say LIMIT themselves
DESCRIBE_QUERY = "CONSTRUCT { ?this ?p ?o . ?s ?q ?this } WHERE { { ?this ?p ?o } UNION { ?s ?q ?this } }"


async def resource(request: Request) -> Response:
    """``/id/{path}`` is ``https://w3id.org/xjkg/id/{path}``: HTML, Turtle, JSON-LD or N-Triples."""
    state: State = request.app.state.xjkg
    path: str = request.path_params["path"]
    fmt: str | None = None
    used_suffix = ""
    for suffix, name in SUFFIXES.items():
        if path.endswith(suffix):
            path, fmt, used_suffix = path[: -len(suffix)], name, suffix
            break
    if not web_pages.valid_id_path(path):
        raise HTTPException(404, "no such resource")
    iri = URIRef(BASE_ID + path)
    # An IRI of an earlier release that the graph answers with dct:isReplacedBy: a permanent redirect.
    replaced = await run_query(state, web_pages.REPLACED_QUERY, {"this": iri}, request=request, max_rows=1)
    target = web_pages.link_for(str(replaced.rows[0]["new"])) if replaced.rows else None
    if target is not None:
        return RedirectResponse(target + used_suffix, status_code=301)
    if fmt is None:
        offered = {"text/html": "html", "application/xhtml+xml": "html", **GRAPH_TYPES}
        fmt = negotiate(request.headers.get("accept"), offered, "html")
        if fmt is None:
            raise HTTPException(406, f"this resource is available as {', '.join(offered)}")
    page = "/id/" + path
    alternates = [(page + suffix, media, name) for suffix, media, name in ALTERNATES]
    links = {"Link": ", ".join(f'<{href}>; rel="alternate"; type="{media}"' for href, media, _ in alternates)}
    if fmt != "html":
        result = await run_query(state, DESCRIBE_QUERY, {"this": iri}, request=request, max_rows=_PAGE_ROWS)
        if result.graph is None or len(result.graph) == 0:
            raise HTTPException(404, f"{iri} is not in the graph")
        answer = await serialize(result, fmt, state.config)
        answer.headers.update(links)
        return answer
    facts = await run_query(state, web_pages.FACTS_QUERY, {"this": iri}, request=request, max_rows=_PAGE_ROWS)
    incoming = await run_query(state, web_pages.INCOMING_QUERY, {"this": iri}, request=request, max_rows=_PAGE_ROWS)
    if not facts.rows and not incoming.rows:
        raise HTTPException(404, f"{iri} is not in the graph")
    figures = await run_query(state, web_pages.FIGURES_QUERY, {"this": iri}, request=request, max_rows=_PAGE_ROWS)
    html = await off_loop(web_pages.resource_page, iri, facts.rows, incoming.rows, figures.rows, None, alternates)
    # The same IRI answers HTML or RDF by Accept: a cache must key on it.
    return _html(html, headers={"Vary": "Accept", **links})


async def ontology(request: Request) -> Response:
    """The ontology: Turtle by Accept or suffix, else its documentation (``xjkg docs``) or a term list."""
    state: State = request.app.state.xjkg
    path = request.url.path
    wants = "turtle" if path.endswith(".ttl") else None
    if wants is None:
        offered = {"text/html": "html", "text/turtle": "turtle"}
        wants = negotiate(request.headers.get("accept"), offered, "html") or "html"
    if not ONTOLOGY_FILE.is_file():
        raise HTTPException(404, "the ontology file is not installed")
    if wants == "turtle":
        return FileResponse(ONTOLOGY_FILE, media_type=CONTENT_TYPES["turtle"], headers={"Vary": "Accept"})
    if state.docs_dir is not None:
        index = state.docs_dir / "index.html"
        if index.is_file():
            return RedirectResponse("/ontology/docs/index.html", status_code=303, headers=_VARY)
    return _html(web_pages.ontology_page(ONTOLOGY_FILE), headers=_VARY)


async def home(request: Request) -> Response:
    state: State = request.app.state.xjkg
    stats = await site_stats(state)
    return _html(web_pages.home_page(stats, query_listing(state), docs=state.docs_dir is not None))


async def site_stats(state: State) -> web_pages.DatasetStats:
    """What the graph holds (counted once, on first use)."""
    if state.stats is None:
        state.stats = await _dataset_stats(state)
    return state.stats


async def _dataset_stats(state: State) -> web_pages.DatasetStats:
    try:
        triples = await run_query(state, web_pages.COUNT_QUERY, max_rows=_PAGE_ROWS)
        classes = await run_query(state, web_pages.CLASSES_QUERY, max_rows=_PAGE_ROWS)
        reports = await run_query(state, web_pages.REPORTS_QUERY, max_rows=_PAGE_ROWS)
        regions = await run_query(state, web_pages.REGIONS_QUERY, max_rows=_PAGE_ROWS)
        years = await run_query(state, web_pages.YEARS_QUERY, max_rows=_PAGE_ROWS)
    except HTTPException as exc:
        log.warning("could not count the dataset: %s", exc.detail)
        return web_pages.DatasetStats(0, [])
    count = triples.rows[0]["n"] if triples.rows else Literal(0)
    # The regions some figure is about; if no figure is about a region itself (only its prefectures), all.
    named = [r for r in regions.rows if r.get("short") is not None or r.get("name") is not None]
    used = [r for r in named if str(r.get("used")) == "true"] or named
    spans = [(_year(r.get("first")), _year(r.get("last"))) for r in years.rows]
    return web_pages.DatasetStats(
        int(str(count)) if isinstance(count, Literal) else 0,
        [(str(r["class"]), int(str(r["n"]))) for r in classes.rows if r.get("class") is not None],
        [(str(r["report"]), str(r["title"]) if r.get("title") is not None else "") for r in reports.rows],
        [str(r.get("short") or r.get("name")) for r in used],
        sorted({y for first, last in spans if first and last and last - first < 50 for y in range(first, last + 1)}),
    )


def _year(term: object) -> int | None:
    try:
        return int(str(term)) if term is not None else None
    except ValueError:
        return None


def _html(text: str, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(text, status_code=status, media_type="text/html; charset=utf-8", headers=headers)


async def favicon(request: Request) -> Response:
    return Response(status_code=204)
