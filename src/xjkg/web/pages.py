"""HTML pages of ``xjkg serve``: the home page, resource pages and a plain ontology page.

Every literal goes through :func:`html.escape`; only http(s) IRIs become links, and IRIs of our own
``id:`` namespace link to this server's ``/id/`` pages (a deployment works before w3id.org points at it).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from rdflib import BNode, Literal, URIRef

from xjkg.core.namespaces import BASE_ID, PREFIXES, XJKG
from xjkg.core.phrases import and_joined, year_runs
from xjkg.core.rdf import NAMES
from xjkg.text.source import Report

__all__ = [
    "CLASSES_QUERY",
    "COUNT_QUERY",
    "FACTS_QUERY",
    "FIGURES_QUERY",
    "INCOMING_QUERY",
    "REGIONS_QUERY",
    "REPLACED_QUERY",
    "YEARS_QUERY",
    "DatasetStats",
    "api_page",
    "home_page",
    "link_for",
    "ontology_page",
    "resource_page",
    "short_name",
    "site_title",
    "valid_id_path",
]

_PREAMBLE = "\n".join(f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items()) + "\n"
_LABEL = "rdfs:label|skos:prefLabel|schema:name"
# Links read in English (the page's language); the resource's own labels are all listed, in every language.
_ENGLISH = 'FILTER(LANG(?label) = "" || LANGMATCHES(LANG(?label), "en"))'

#: Outgoing facts of ``?this`` with a label of each object (``?this`` is projected: pyoxigraph binds only
#: projected variables).
FACTS_QUERY = (
    _PREAMBLE
    + f"SELECT ?this ?p ?o ?label WHERE {{ ?this ?p ?o . OPTIONAL {{ ?o {_LABEL} ?label {_ENGLISH} }} }} LIMIT 3000"
)
#: What points at ``?this``.
INCOMING_QUERY = (
    _PREAMBLE
    + f"SELECT ?this ?s ?p ?label WHERE {{ ?s ?p ?this . OPTIONAL {{ ?s {_LABEL} ?label {_ENGLISH} }} }} LIMIT 1000"
)
#: ``?this`` if it is a reported figure, and the figures that point at it: the number's span and its sentence.
FIGURES_QUERY = (
    _PREAMBLE
    + """SELECT DISTINCT ?this ?fig ?figLabel ?value ?unit ?figStart ?figEnd ?sent ?sentStart ?sentText ?report
  ?reportTitle
WHERE {
  { ?this xjkg:figureSpan ?fspan . BIND(?this AS ?fig) }
  UNION { ?fig ?link ?this . ?fig xjkg:figureSpan ?fspan }
  OPTIONAL { ?fig rdfs:label ?figLabel }
  OPTIONAL { ?fig prov:wasAttributedTo ?report . ?report a xjkg:Report .
             OPTIONAL { ?report dct:title ?reportTitle FILTER(LANGMATCHES(LANG(?reportTitle), "en")) } }
  ?fspan oa:hasSelector ?fsel . ?fsel a oa:TextPositionSelector ; oa:start ?figStart ; oa:end ?figEnd .
  OPTIONAL { ?fig sdmx-measure:obsValue ?value }
  OPTIONAL { ?fig sdmx-attribute:unitMeasure ?unit }
  OPTIONAL {
    { ?fspan xjkg:inSentence ?sent } UNION { ?fig prov:wasDerivedFrom ?span . ?span xjkg:inSentence ?sent }
    UNION { ?fig prov:wasDerivedFrom ?sent . ?sent a xjkg:Sentence }
    ?sent oa:hasSelector ?ssel . ?ssel a oa:TextPositionSelector ; oa:start ?sentStart .
    OPTIONAL { ?sent oa:hasSelector ?qsel . ?qsel a oa:TextQuoteSelector ; oa:exact ?sentText }
  }
} ORDER BY ?figStart LIMIT 300"""
)
#: What replaces ``?this`` (an IRI of an earlier release), for the redirect.
REPLACED_QUERY = _PREAMBLE + "SELECT ?this ?new WHERE { ?this dct:isReplacedBy ?new } ORDER BY ?new LIMIT 1"
COUNT_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
#: The reports of the graph with their English titles.
REPORTS_QUERY = (
    _PREAMBLE
    + """SELECT ?report (SAMPLE(?t) AS ?title) WHERE { ?report a xjkg:Report .
  OPTIONAL { ?report dct:title ?t FILTER(LANGMATCHES(LANG(?t), "en")) } } GROUP BY ?report ORDER BY ?report"""
)
#: The province-level regions the figures are about (``used``: some figure's area is the region itself), with
#: their short English name or label; the site's title and description say them. The short name is the shortest
#: English ``skos:altLabel`` (then the first in code point order), as the catalogue's: ``?short`` is it behind its
#: length in four digits and "|" (``short_name`` takes it off), so that MIN picks it on every engine.
REGIONS_QUERY = (
    _PREAMBLE
    + """SELECT ?region
  (MIN(CONCAT(SUBSTR("000", STRLEN(STR(STRLEN(?alt)))), STR(STRLEN(?alt)), "|", STR(?alt))) AS ?short)
  (SAMPLE(?label) AS ?name)
  (EXISTS { ?figure sdmx-dimension:refArea ?region } AS ?used)
WHERE { ?region a xjkg:Region .
  OPTIONAL { ?region skos:altLabel ?alt FILTER(LANG(?alt) = "" || LANGMATCHES(LANG(?alt), "en")) }
  OPTIONAL { ?region rdfs:label ?label FILTER(LANG(?label) = "" || LANGMATCHES(LANG(?label), "en")) } }
GROUP BY ?region ORDER BY ?region LIMIT 200"""
)
#: The years the figures' periods begin and end in.
YEARS_QUERY = (
    _PREAMBLE
    + """SELECT DISTINCT (YEAR(?begins) AS ?first) (YEAR(?ends) AS ?last) WHERE {
  ?figure sdmx-dimension:refPeriod ?period .
  ?period time:hasBeginning/time:inXSDDate ?begins ; time:hasEnd/time:inXSDDate ?ends } LIMIT 500"""
)


def short_name(key: str) -> str:
    """The name in a ``REGIONS_QUERY`` ``?short``: ``"0005|Tibet"`` is ``Tibet``.

    >>> short_name("0005|Tibet")
    'Tibet'
    """
    return key.split("|", 1)[-1]


CLASSES_QUERY = (
    "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n) ?class LIMIT 40"
)

_ID_PATH = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_~-]*(?:/[A-Za-z0-9_~-]+)*$")
_LABEL_PREDICATES = {
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "https://schema.org/name",
}
_ONTOLOGY = str(XJKG)


@dataclass(frozen=True)
class DatasetStats:
    """What the home page says the dataset holds: triples, instances per class, and the reports (IRI, title)."""

    triples: int
    classes: list[tuple[str, int]]
    reports: list[tuple[str, str]] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)  # short names, as the reports name them
    years: list[int] = field(default_factory=list)


def site_title(stats: DatasetStats) -> tuple[str, str]:
    """The site's heading and description, from what the graph holds: its regions, years and reports.

    >>> site_title(DatasetStats(10, [], [("r1", "A report")], ["Xinjiang", "Tibet"], [2010, 2009]))[0]
    'Poverty alleviation in Xinjiang and Tibet, 2009–2010: a knowledge graph'
    >>> site_title(DatasetStats(0, []))[0]
    'Poverty alleviation: a knowledge graph'
    """
    where = f" in {and_joined(stats.regions)}" if stats.regions else ""
    when = f", {year_runs(stats.years)}" if stats.years else ""
    title = f"Poverty alleviation{where}{when}: a knowledge graph"
    count = len(stats.reports)
    reports = f"{count} report{'s' if count != 1 else ''}" if count else "the reports"
    about = f" on {and_joined(stats.regions)}" if stats.regions else ""
    description = (
        f"Every figure of {reports}{about}{when}, as linked data: funds by type and funder, programs, places, "
        "beneficiaries and outputs, each figure tied to the sentence of the report that states it."
    )
    return title, description


_UNIT = "http://qudt.org/vocab/unit/"
#: How a unit is written after a number on the pages ("2.61 billion Yuan", "66.67%"); a count has no word.
UNIT_WORDS: dict[str, str] = {
    "http://qudt.org/vocab/currency/CNY": "Yuan",
    _UNIT + "NUM": "",
    _UNIT + "PERCENT": "%",
    _UNIT + "KiloM2": "km²",
    _UNIT + "KiloM": "km",
    _UNIT + "HA": "hectares",
    _UNIT + "TONNE": "tons",
    _UNIT + "KiloGM": "kg",
    str(XJKG) + "PercentagePoint": "percentage points",
    str(XJKG) + "PersonTime": "person-times",
    str(XJKG) + "Mu": "mu",
}
_NUMERIC = {
    "http://www.w3.org/2001/XMLSchema#" + name
    for name in ("integer", "decimal", "double", "float", "int", "long", "nonNegativeInteger")
}
_DECIMAL_TEXT = re.compile(r"^([+-]?)(\d+)(?:\.(\d*))?$")


def format_number(lexical: str) -> str:
    """A number as people read it: thousands grouped, millions and billions named; exact (the digits of
    ``lexical``, only the point moved); a text that is not a plain decimal is returned as it is.

    >>> [format_number(v) for v in ("2610000000", "650000000.0", "410000", "66.67", "-1250000", "1.5E9")]
    ['2.61 billion', '650 million', '410,000', '66.67', '-1.25 million', '1.5E9']
    """
    found = _DECIMAL_TEXT.match(lexical.strip())
    if found is None:
        return lexical
    sign, whole, fraction = found.group(1).replace("+", ""), found.group(2).lstrip("0") or "0", found.group(3) or ""
    for places, word in ((9, "billion"), (6, "million")):
        if len(whole) > places:
            head, tail = whole[:-places], (whole[-places:] + fraction).rstrip("0")
            return f"{sign}{int(head):,}{'.' + tail if tail else ''} {word}"
    fraction = fraction.rstrip("0")
    return f"{sign}{int(whole):,}{'.' + fraction if fraction else ''}"


def format_quantity(lexical: str, unit: str | None) -> str:
    """A value with its unit: ``2.61 billion Yuan``, ``66.67%``; an unknown unit by its short name.

    >>> format_quantity("2610000000", "http://qudt.org/vocab/currency/CNY"), format_quantity("5", None)
    ('2.61 billion Yuan', '5')
    """
    number = format_number(lexical)
    if unit is None:
        return number
    word = UNIT_WORDS.get(unit)
    if word is None:
        word = compact(unit).split(":")[-1]
    if word == "%":
        return number + word
    return f"{number} {word}" if word else number


def valid_id_path(path: str) -> bool:
    """Whether ``path`` can be the part of an ``id:`` IRI after the namespace (no dots, no ``..``)."""
    return bool(_ID_PATH.match(path)) and len(path) <= 300


def link_for(iri: str) -> str | None:
    """Where an IRI links to: our ``id:`` and ontology IRIs here, other http(s) IRIs to themselves."""
    if iri.startswith(BASE_ID) and valid_id_path(iri[len(BASE_ID) :]):
        return "/id/" + iri[len(BASE_ID) :]
    if iri.startswith(_ONTOLOGY):
        return "/ontology#" + iri[len(_ONTOLOGY) :]
    if urlsplit(iri).scheme in ("http", "https"):
        return iri
    return None


def compact(iri: str) -> str:
    """``prefix:local`` for a known namespace, else the IRI."""
    return NAMES.shorten(iri) or iri


def _a(iri: str, text: str | None = None) -> str:
    shown = escape(text if text is not None else compact(iri))
    href = link_for(iri)
    if href is None:
        return f'<span class="iri">{shown}</span>'
    return f'<a href="{escape(href, quote=True)}" title="{escape(iri, quote=True)}">{shown}</a>'


def _literal(value: Literal) -> str:
    text = escape(str(value))
    if value.language:
        # The page is in English: only another language's tag tells the reader something.
        if value.language.lower() == "en" or value.language.lower().startswith("en-"):
            return text
        return f'{text} <span class="lang">{escape(value.language)}</span>'
    if value.datatype is not None and str(value.datatype) in _NUMERIC:
        exact = escape(f"{value} ({compact(str(value.datatype))})", quote=True)
        return f'<span class="num" title="{exact}">{escape(format_number(str(value)))}</span>'
    if value.datatype is not None and not str(value.datatype).endswith("#string"):
        return f'{text} <span class="dt">{escape(compact(str(value.datatype)))}</span>'
    return text


def _term(term: Any, label: Any = None) -> str:
    if isinstance(term, URIRef):
        return _a(str(term), str(label) if label is not None else None)
    if isinstance(term, Literal):
        return _literal(term)
    if isinstance(term, BNode):
        return f'<span class="bnode">_:{escape(str(term))}</span>'
    return escape("" if term is None else str(term))


def _page(
    title: str,
    body: str,
    *,
    scripts: bool = False,
    alternates: Sequence[tuple[str, str, str]] = (),
    description: str = "",
) -> str:
    """A page of the site; ``alternates`` (href, media type, name) become ``<link rel="alternate">``."""
    script = '<script src="/static/app.js" defer></script>' if scripts else ""
    links = "".join(
        f'<link rel="alternate" type="{escape(media, quote=True)}" href="{escape(href, quote=True)}" '
        f'title="{escape(name, quote=True)}">\n'
        for href, media, name in alternates
    )
    meta = f'<meta name="description" content="{escape(description, quote=True)}">\n' if description else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
{meta}<link rel="stylesheet" href="/static/style.css">
{links}{script}
</head>
<body>
<header><nav><a href="/" class="brand">xjkg</a> <a href="/#gallery">Queries</a> <a href="/#editor">SPARQL</a>
<a href="/api">API</a> <a href="/ontology">Ontology</a></nav></header>
<main>
{body}
</main>
<footer>Data derived from the reports of the corpus; every figure names its report and cites the sentence it
came from.</footer>
</body>
</html>
"""


@lru_cache(maxsize=16)
def report_source(report_iri: str | None = None) -> Report | None:
    """The report ``report_iri`` as the build read it (:func:`xjkg.text.source.load_report`, the one sentence
    splitter), for sentences the graph gives only by offset; None if the corpus does not hold it (or holds
    several reports and none is named), or it cannot be read as mapped."""
    from xjkg.core.errors import XjkgError
    from xjkg.mapping.corpus import open_corpus, report_id_of
    from xjkg.text.source import load_report

    try:
        reports = open_corpus().reports
        wanted = report_id_of(report_iri) if report_iri else None
        found = [r for r in reports if r.id == wanted] if wanted else list(reports[:1] if len(reports) == 1 else [])
        if not found:
            return None
        return load_report(found[0].source_file, found[0].sha256, found[0].body_ends_before)
    except XjkgError:
        return None


def _int(term: Any) -> int | None:
    try:
        return int(term.toPython()) if term is not None else None
    except (TypeError, ValueError, AttributeError):
        return None


def highlighted_sentence(row: dict[str, Any], report: Report | None) -> str | None:
    """The sentence a figure came from with the figure in ``<mark>``; escaped. None if there is none."""
    fig_start, fig_end = _int(row.get("figStart")), _int(row.get("figEnd"))
    sent_start = _int(row.get("sentStart"))
    sentence = str(row["sentText"]) if row.get("sentText") is not None else None
    if fig_start is None or fig_end is None or fig_end < fig_start:
        return None
    if sentence is None and report is not None and sent_start is not None:
        # The graph gives the sentence by position only: the report's sentence that starts there.
        try:
            found = report.sentence_at(sent_start)
        except ValueError:
            found = None
        if found is not None and found.start == sent_start:
            sentence = found.text
    if sentence is None or sent_start is None:
        if report is None:
            return None
        sent_start = max(0, fig_start - 120)
        sentence = report.text[sent_start : min(len(report.text), fig_end + 120)]
    rel_start, rel_end = fig_start - sent_start, fig_end - sent_start
    if not 0 <= rel_start <= rel_end <= len(sentence):
        return escape(sentence)
    return (
        escape(sentence[:rel_start])
        + "<mark>"
        + escape(sentence[rel_start:rel_end])
        + "</mark>"
        + escape(sentence[rel_end:])
    )


def _labels(facts: list[dict[str, Any]]) -> list[Literal]:
    return [r["o"] for r in facts if str(r["p"]) in _LABEL_PREDICATES and isinstance(r["o"], Literal)]


def _title(iri: URIRef, facts: list[dict[str, Any]]) -> str:
    labels = _labels(facts)
    english = [lab for lab in labels if lab.language in (None, "en")]
    return str((english or labels)[0]) if labels else compact(str(iri))


def resource_page(
    iri: URIRef,
    facts: list[dict[str, Any]],
    incoming: list[dict[str, Any]],
    figures: list[dict[str, Any]],
    report: Report | None = None,
    alternates: Sequence[tuple[str, str, str]] = (),
) -> str:
    """The page of one resource: labels, facts with links, what links here, figures with their sentences."""
    title = _title(iri, facts)
    seen: set[tuple[str, str]] = set()
    fact_rows = []
    for row in sorted(facts, key=lambda r: (compact(str(r["p"])), str(r["o"]))):
        key = (str(row["p"]), row["o"].n3())
        if key in seen:
            continue
        seen.add(key)
        fact_rows.append(f"<tr><th>{_a(str(row['p']))}</th><td>{_term(row['o'], row.get('label'))}</td></tr>")
    labels = "".join(f"<li>{_literal(lab)}</li>" for lab in _labels(facts))
    figure_items = []
    lead = ""
    done: set[str] = set()
    for row in figures:
        fig = str(row["fig"])
        if fig in done:
            continue
        done.add(fig)
        source = row.get("report")
        text = report if report is not None else report_source(str(source) if source is not None else None)
        sentence = highlighted_sentence(row, text)
        value = row.get("value")
        unit = str(row["unit"]) if row.get("unit") is not None else None
        quantity = escape(format_quantity(str(value), unit)) if value is not None else ""
        quote = f'<blockquote class="source">{sentence}</blockquote>' if sentence else ""
        label = str(row["figLabel"]) if row.get("figLabel") is not None else None
        report_title = str(row["reportTitle"]) if row.get("reportTitle") is not None else None
        cited = f'<p class="from-report">from {_a(str(source), report_title)}</p>' if source is not None else ""
        if fig == str(iri):
            # The page of a figure leads with what a reader came for: the value, the sentence, where it is from.
            start, end = _int(row.get("figStart")), _int(row.get("figEnd"))
            where = f", characters {start:,}–{end:,}" if start is not None and end is not None else ""
            stated = f"Stated in {_a(str(source), report_title)}{where}." if source is not None else ""
            lead = (
                f'<section class="lead" id="figure-value"><p class="value" title="{escape(str(value), quote=True)}">'
                f'{quantity}</p>{quote}<p class="provenance">{stated}</p></section>'
            )
            continue
        shown = f' = <span class="num">{quantity}</span>' if quantity else ""
        figure_items.append(f'<li class="figure">{_a(fig, label)}{shown}{cited}{quote}</li>')
    seen_in: set[tuple[str, str]] = set()
    in_rows = []
    for row in incoming:
        key = (str(row["s"]), str(row["p"]))
        if key in seen_in:
            continue
        seen_in.add(key)
        in_rows.append(f"<tr><td>{_term(row['s'], row.get('label'))}</td><th>{_a(str(row['p']))}</th></tr>")
    formats = "".join(
        f'<a href="{escape(href, quote=True)}" type="{escape(media, quote=True)}">{escape(name)}</a> '
        for href, media, name in alternates
    )
    body = f"""<h1>{escape(title)}</h1>
{lead}
<p class="iri-line"><code>{escape(str(iri))}</code> · {formats}</p>
{f'<section><h2>Labels</h2><ul class="labels">{labels}</ul></section>' if labels else ""}
<section><h2>Facts</h2><table class="facts"><tbody>{"".join(fact_rows)}</tbody></table></section>
{f'<section id="figures"><h2>Figures and the sentences they came from</h2><ol class="figures">{"".join(figure_items)}</ol></section>' if figure_items else ""}
{f'<section><h2>Linked from</h2><table class="facts"><tbody>{"".join(in_rows)}</tbody></table></section>' if in_rows else ""}
"""  # noqa: E501
    return _page(title, body, alternates=alternates)


_INPUT_TYPES = {"integer": "number", "decimal": "number", "date": "date"}


def _param_input(query: str, param: dict[str, Any]) -> str:
    name = escape(param["name"], quote=True)
    ident = f"p-{escape(query, quote=True)}-{name}"
    value = escape(param["default"] or "", quote=True)
    if param["type"] == "boolean":
        options = "".join(
            f"<option{' selected' if (param['default'] or '') == v else ''}>{v}</option>" for v in ("", "true", "false")
        )
        field = f'<select id="{ident}" name="{name}">{options}</select>'
    else:
        kind = _INPUT_TYPES.get(param["type"], "text")
        step = ' step="any"' if param["type"] == "decimal" else ""
        # Never `required`: a parameter left out keeps its default or stays unbound ("all when not given").
        field = f'<input id="{ident}" name="{name}" type="{kind}"{step} value="{value}">'
    return (
        f'<label for="{ident}">{escape(param["name"])} '
        f'<span class="type">{escape(param["type"])}</span></label>'
        f"{field}<small>{escape(param['description'])}</small>"
    )


def home_page(stats: DatasetStats, queries: list[dict[str, Any]], *, docs: bool = False) -> str:
    """The home page: the dataset, the gallery of stored queries, the SPARQL editor and the result area."""
    classes = "".join(f'<tr><td>{_a(cls)}</td><td class="num">{count:,}</td></tr>' for cls, count in stats.classes)
    cards = []
    for query in queries:
        inputs = "".join(_param_input(query["name"], p) for p in query["params"])
        tags = " ".join(f'<span class="tag">{escape(t)}</span>' for t in query["tags"])
        name = escape(query["name"], quote=True)
        cards.append(
            f"""<article class="card" id="q-{name}">
<h3>{escape(query["summary"])}</h3>
<p class="qname"><code>{escape(query["name"])}</code> {tags}</p>
<p>{escape(query["description"])}</p>
<form class="stored" data-query="{name}">{inputs}<button type="submit">Run</button>
<a href="/api/queries/{name}.csv">CSV</a></form>
</article>"""
        )
    reports = "".join(f"<li>{_a(iri, title or None)}</li>" for iri, title in stats.reports)
    heading, description = site_title(stats)
    body = f"""<section id="about">
<h1>{escape(heading)}</h1>
<p>{escape(description)}</p>
<ul class="reports">{reports}</ul>
<p>Query it below, through the <a href="/sparql">SPARQL endpoint</a>, or through the
<a href="/api">stored-query API</a>; the model is described in the <a href="/ontology">ontology</a>.</p>
<p class="stats"><strong id="triple-count">{stats.triples:,}</strong> triples.</p>
<details><summary>Instances per class</summary><table class="counts"><tbody>{classes}</tbody></table></details>
</section>
<section id="gallery"><h2>Stored queries</h2><div class="cards">{"".join(cards)}</div></section>
<section id="editor"><h2>SPARQL</h2>
<p><label for="examples">Start from a stored query:</label> <select id="examples"><option value="">(choose)</option></select></p>
<textarea id="query" spellcheck="false" rows="12">SELECT ?class (COUNT(?s) AS ?n) WHERE {{ ?s a ?class }} GROUP BY ?class ORDER BY DESC(?n)</textarea>
<p><button id="run" type="button">Run query</button> <span id="status" role="status"></span></p>
</section>
<section id="results" aria-live="polite"><div id="notice"></div><div id="chart"></div><div id="table"></div></section>
<script type="application/json" id="unit-words">{_json_for_script(UNIT_WORDS)}</script>
"""  # noqa: E501
    return _page(f"xjkg: {heading.removesuffix(': a knowledge graph')}", body, scripts=True, description=description)


def api_page(document: dict[str, Any]) -> str:
    """The stored-query API as people read it, from its OpenAPI document: every path with its parameters
    (type, default, description), what it answers, and a link to try it; the document itself is linked."""
    info = document.get("info", {})
    sections = []
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            rows = "".join(
                f"<tr><td><code>{escape(p['name'])}</code></td>"
                f"<td>{escape(str(p.get('schema', {}).get('type', '')))}"
                f"{' (' + escape(str(p['schema']['format'])) + ')' if p.get('schema', {}).get('format') else ''}</td>"
                f"<td>{escape(str(p.get('schema', {}).get('default', '')))}</td>"
                f"<td>{'yes' if p.get('required') else 'no'}</td>"
                f"<td>{escape(p.get('description') or '')}</td></tr>"
                for p in operation.get("parameters", [])
            )
            table = (
                '<table class="facts params"><thead><tr><th>parameter</th><th>type</th><th>default</th>'
                f"<th>required</th><th>meaning</th></tr></thead><tbody>{rows}</tbody></table>"
                if rows
                else "<p>No parameters.</p>"
            )
            media = sorted({m for r in operation.get("responses", {}).values() for m in r.get("content", {})})
            tags = " ".join(f'<span class="tag">{escape(t)}</span>' for t in operation.get("tags", []))
            sections.append(
                f'<section class="operation" id="op-{escape(operation.get("operationId", path), quote=True)}">'
                f"<h2><code>{escape(method.upper())} {escape(path)}</code></h2>"
                f"<p><strong>{escape(operation.get('summary') or '')}</strong> {tags}</p>"
                f"<p>{escape(operation.get('description') or '')}</p>{table}"
                f"<p>Answers: {', '.join(f'<code>{escape(m)}</code>' for m in media)}.</p>"
                f'<p><a href="{escape(path, quote=True)}">Try it</a></p></section>'
            )
    body = f"""<h1>{escape(info.get("title", "API"))}</h1>
<p>{escape(info.get("description", ""))}</p>
<p>Version {escape(str(info.get("version", "")))} · the machine-readable description:
<a href="/api/openapi.json">OpenAPI 3 (JSON)</a>. Parameters go in the query string; a parameter left out keeps
its default or is not used. Add <code>.csv</code> to a query's path, or send <code>Accept: text/csv</code>, for CSV.</p>
<nav class="toc"><ul>{"".join(f'<li><a href="#op-{escape(op.get("operationId", p), quote=True)}">{escape(p)}</a></li>' for p, ops in document.get("paths", {}).items() for op in ops.values())}</ul></nav>
{"".join(sections)}"""  # noqa: E501
    return _page(str(info.get("title", "API")), body)


def _json_for_script(value: object) -> str:
    """JSON inside ``<script type="application/json">``: ``<``, ``>`` and ``&`` escaped, so no text ends the element."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def ontology_page(ontology_file: Path) -> str:
    """A plain list of the ontology's terms with anchors, so that ``…/ontology#Term`` lands on its entry."""
    from rdflib import Graph
    from rdflib.namespace import OWL, RDF, RDFS, SKOS

    graph = Graph()
    graph.parse(ontology_file, format="turtle")
    items = []
    for term in sorted({s for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(_ONTOLOGY)}):
        local = str(term)[len(_ONTOLOGY) :]
        kinds = ", ".join(
            compact(str(t))
            for t in graph.objects(term, RDF.type)
            if t in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, RDFS.Class, OWL.AnnotationProperty)
        )
        label = graph.value(term, RDFS.label) or local
        comment = graph.value(term, RDFS.comment) or graph.value(term, SKOS.definition) or ""
        items.append(
            f'<dt id="{escape(local, quote=True)}"><code>xjkg:{escape(local)}</code> {escape(str(label))}'
            f' <span class="type">{escape(kinds)}</span></dt><dd>{escape(str(comment))}</dd>'
        )
    body = f"""<h1>The xjkg ontology</h1>
<p><code>{escape(_ONTOLOGY)}</code> · <a href="/ontology.ttl">Turtle</a></p>
<dl class="terms">{"".join(items)}</dl>"""
    return _page("xjkg ontology", body)
