"""What the served graph holds, for the site's title and home page: counted once, on first use."""

from __future__ import annotations

import logging

from rdflib import Literal
from starlette.exceptions import HTTPException

from xjkg.server.state import State, run_query
from xjkg.web import pages as web_pages

log = logging.getLogger("xjkg.server")

PAGE_ROWS = 5_000  # the page queries say LIMIT themselves


async def site_stats(state: State) -> web_pages.DatasetStats:
    """What the graph holds (counted once, on first use)."""
    if state.stats is None:
        state.stats = await _dataset_stats(state)
    return state.stats


async def _dataset_stats(state: State) -> web_pages.DatasetStats:
    try:
        triples = await run_query(state, web_pages.COUNT_QUERY, max_rows=PAGE_ROWS)
        classes = await run_query(state, web_pages.CLASSES_QUERY, max_rows=PAGE_ROWS)
        reports = await run_query(state, web_pages.REPORTS_QUERY, max_rows=PAGE_ROWS)
        regions = await run_query(state, web_pages.REGIONS_QUERY, max_rows=PAGE_ROWS)
        years = await run_query(state, web_pages.YEARS_QUERY, max_rows=PAGE_ROWS)
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
        [web_pages.short_name(str(r["short"])) if r.get("short") is not None else str(r.get("name")) for r in used],
        sorted({y for first, last in spans if first and last and last - first < 50 for y in range(first, last + 1)}),
    )


def _year(term: object) -> int | None:
    try:
        return int(str(term)) if term is not None else None
    except ValueError:
        return None
