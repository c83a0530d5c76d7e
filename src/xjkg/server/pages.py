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
from xjkg.server.protocol import CONTENT_TYPES, GRAPH_TYPES, SUFFIXES, negotiate, serialize
from xjkg.server.state import State, off_loop, run_query
from xjkg.web import pages as web_pages

__all__ = ["DESCRIBE_QUERY", "STATIC_DIR", "favicon", "home", "ontology", "resource"]

STATIC_DIR = Path(__file__).resolve().parent.parent / "web" / "static"
ONTOLOGY_BASE = str(XJKG).rstrip("#")
log = logging.getLogger("xjkg.server")

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
    if fmt != "html":
        result = await run_query(state, DESCRIBE_QUERY, {"this": iri}, request=request, max_rows=_PAGE_ROWS)
        if result.graph is None or len(result.graph) == 0:
            raise HTTPException(404, f"{iri} is not in the graph")
        return await serialize(result, fmt, state.config)
    facts = await run_query(state, web_pages.FACTS_QUERY, {"this": iri}, request=request, max_rows=_PAGE_ROWS)
    incoming = await run_query(state, web_pages.INCOMING_QUERY, {"this": iri}, request=request, max_rows=_PAGE_ROWS)
    if not facts.rows and not incoming.rows:
        raise HTTPException(404, f"{iri} is not in the graph")
    figures = await run_query(state, web_pages.FIGURES_QUERY, {"this": iri}, request=request, max_rows=_PAGE_ROWS)
    html = await off_loop(web_pages.resource_page, iri, facts.rows, incoming.rows, figures.rows)
    return _html(html)


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
            return RedirectResponse("/ontology/docs/index.html", status_code=303)
    return _html(web_pages.ontology_page(ONTOLOGY_FILE))


async def home(request: Request) -> Response:
    state: State = request.app.state.xjkg
    if state.stats is None:
        state.stats = await _dataset_stats(state)
    return _html(web_pages.home_page(state.stats, query_listing(state), docs=state.docs_dir is not None))


async def _dataset_stats(state: State) -> web_pages.DatasetStats:
    try:
        triples = await run_query(state, web_pages.COUNT_QUERY, max_rows=_PAGE_ROWS)
        classes = await run_query(state, web_pages.CLASSES_QUERY, max_rows=_PAGE_ROWS)
        reports = await run_query(state, web_pages.REPORTS_QUERY, max_rows=_PAGE_ROWS)
    except HTTPException as exc:
        log.warning("could not count the dataset: %s", exc.detail)
        return web_pages.DatasetStats(0, [])
    count = triples.rows[0]["n"] if triples.rows else Literal(0)
    return web_pages.DatasetStats(
        int(str(count)) if isinstance(count, Literal) else 0,
        [(str(r["class"]), int(str(r["n"]))) for r in classes.rows if r.get("class") is not None],
        [(str(r["report"]), str(r["title"]) if r.get("title") is not None else "") for r in reports.rows],
    )


def _html(text: str, status: int = 200) -> Response:
    return Response(text, status_code=status, media_type="text/html; charset=utf-8")


async def favicon(request: Request) -> Response:
    return Response(status_code=204)
