"""One engine in its own process, driven by ``bench/run.py`` over JSON lines on stdin/stdout.

A fresh process per engine keeps the measurements apart (imports, caches, peak memory) and lets the
runner kill an engine that runs past its time cap (neither rdflib nor pyoxigraph can cancel a query).
Each request is one line ``{"op": ...}``; each answer one line with ``seconds`` (measured here,
after the imports) and ``maxrss_mb`` (peak of this process and its live children).

    {"op": "open", "engine": "pyoxigraph", "data": "bench/data/xjkg-10k.ttl"}
    {"op": "query", "text": "SELECT ...", "bindings": {"x": {"iri": "https://..."}}}
    {"op": "validate", "engine": "pyshacl", "data": "...", "shapes": "...", "ontology": "..."}
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
import traceback
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

__all__ = ["main", "tree_peak_mb", "values_clause"]

XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMERIC = {f"{XSD}{t}" for t in ("decimal", "integer", "double", "float", "nonNegativeInteger", "int", "long")}


def tree_peak_mb(pid: int) -> float | None:
    """Peak resident memory (VmHWM) of ``pid`` and its live descendants, summed, in MB.

    Not ``ru_maxrss``: a child started by fork + exec inherits its parent's peak, so every worker
    would report at least the runner's size (xjkg's query workers are such children: ``python -m
    xjkg.query.worker``).
    """
    total, pids = 0, [pid]
    while pids:
        current = pids.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(status.split("VmHWM:")[1].split()[0])
            for task in Path(f"/proc/{current}/task").iterdir():
                pids += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, IndexError, ValueError):
            continue
    return round(total / 1024, 1) if total else None


def maxrss_mb() -> float | None:
    """Peak memory of this worker and what it started (xjkg's query workers), in MB."""
    return tree_peak_mb(os.getpid())


def _canonical(kind: str, value: str, datatype: str | None = None, lang: str | None = None) -> str:
    """A term compared by value: engines write the same decimal differently ("155728.50" / "155728.5")."""
    if kind == "literal" and datatype in _NUMERIC:
        try:
            return f"n:{Decimal(value).normalize()}"
        except InvalidOperation:
            pass
    if kind == "bnode":
        return "_"
    if kind == "literal" and (lang or datatype == f"{XSD}string"):
        datatype = None  # pyoxigraph types plain strings xsd:string and tagged ones rdf:langString
    return f"{kind}:{value}@{lang or ''}^{datatype or ''}"


def _digest(rows: list[tuple[str, ...]]) -> str:
    return hashlib.sha256("\n".join(sorted("\t".join(r) for r in rows)).encode()).hexdigest()[:16]


def values_clause(bindings: dict[str, dict[str, str]]) -> str:
    """Parameters as a trailing VALUES block (one text for every server; never pasted into the query)."""
    if not bindings:
        return ""
    terms = []
    for spec in bindings.values():
        if "iri" in spec:
            terms.append(f"<{spec['iri']}>")
        else:
            literal = json.dumps(spec["literal"], ensure_ascii=False)
            lang, datatype = spec.get("lang"), spec.get("datatype")
            terms.append(literal + (f"@{lang}" if lang else f"^^<{datatype}>" if datatype else ""))
    return f"\nVALUES ({' '.join('?' + k for k in bindings)}) {{ ({' '.join(terms)}) }}\n"


class _Engine:
    name = ""

    def open(self, data: str) -> None:
        raise NotImplementedError

    def query(self, text: str, bindings: dict[str, dict[str, str]], timeout: float) -> list[tuple[str, ...]]:
        raise NotImplementedError


class _Oxigraph(_Engine):
    """Raw pyoxigraph: an in-memory store filled by ``bulk_load``, results materialised."""

    def open(self, data: str) -> None:
        import pyoxigraph as ox

        self.ox = ox
        self.store = ox.Store()
        fmt = ox.RdfFormat.N_TRIPLES if data.endswith(".nt") else ox.RdfFormat.TURTLE
        self.store.bulk_load(path=data, format=fmt)

    def _term(self, spec: dict[str, str]) -> Any:
        ox = self.ox
        if "iri" in spec:
            return ox.NamedNode(spec["iri"])
        if spec.get("lang"):
            return ox.Literal(spec["literal"], language=spec["lang"])
        if spec.get("datatype"):
            return ox.Literal(spec["literal"], datatype=ox.NamedNode(spec["datatype"]))
        return ox.Literal(spec["literal"])

    def _key(self, term: Any) -> str:
        ox = self.ox
        if term is None:
            return "-"
        if isinstance(term, ox.NamedNode):
            return _canonical("iri", term.value)
        if isinstance(term, ox.BlankNode):
            return "_"
        if isinstance(term, ox.Literal):
            return _canonical("literal", term.value, term.datatype.value, term.language)
        return str(term)

    def query(self, text: str, bindings: dict[str, dict[str, str]], timeout: float) -> list[tuple[str, ...]]:
        subs = {self.ox.Variable(k): self._term(v) for k, v in bindings.items()}
        try:
            result = self.store.query(text, substitutions=subs or None)
        except RuntimeError as exc:  # a parameter outside the SELECT projection cannot be substituted
            if "does not contain" not in str(exc):
                raise
            result = self.store.query(text + values_clause(bindings))
        if isinstance(result, self.ox.QuerySolutions):
            names = [v.value for v in result.variables]
            return [tuple(self._key(sol[n]) for n in names) for sol in result]
        if isinstance(result, self.ox.QueryBoolean):
            return [(str(bool(result)),)]
        return [tuple(self._key(t) for t in (q.subject, q.predicate, q.object)) for q in result]


def _rdflib_key(term: Any) -> str:
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return "-"
    if isinstance(term, URIRef):
        return _canonical("iri", str(term))
    if isinstance(term, BNode):
        return "_"
    if isinstance(term, Literal):
        return _canonical("literal", str(term), str(term.datatype) if term.datatype else None, term.language)
    return str(term)


def _rdflib_term(spec: dict[str, str]) -> Any:
    from rdflib import Literal, URIRef

    if "iri" in spec:
        return URIRef(spec["iri"])
    return Literal(spec["literal"], lang=spec.get("lang") or None, datatype=spec.get("datatype") or None)


def _rows(result: Any) -> list[tuple[str, ...]]:
    """Rows of an rdflib or xjkg result, as canonical strings."""
    if getattr(result, "type", None) == "ASK" or getattr(result, "form", None) == "ASK":
        return [(str(bool(result.askAnswer if hasattr(result, "askAnswer") else result.boolean)),)]
    graph = getattr(result, "graph", None)
    if graph is not None:
        return [tuple(_rdflib_key(t) for t in triple) for triple in graph]
    if hasattr(result, "rows") and hasattr(result, "variables"):  # xjkg QueryResult
        return [tuple(_rdflib_key(row.get(v)) for v in result.variables) for row in result.rows]
    names = [str(v) for v in result.vars]
    return [tuple(_rdflib_key(row[n]) for n in names) for row in result]


class _Rdflib(_Engine):
    """rdflib's own parser and SPARQL engine on an in-memory Graph."""

    def open(self, data: str) -> None:
        from rdflib import Graph

        self.graph = Graph()
        self.graph.parse(data, format="nt" if data.endswith(".nt") else "turtle")

    def query(self, text: str, bindings: dict[str, dict[str, str]], timeout: float) -> list[tuple[str, ...]]:
        init = {k: _rdflib_term(v) for k, v in bindings.items()}
        return _rows(self.graph.query(text, initBindings=init or None))


class _Xjkg(_Engine):
    """xjkg's embedded engine (``xjkg.query.stored.EmbeddedEngine``), as a user of the library gets it."""

    def open(self, data: str) -> None:
        from xjkg.query.stored import EmbeddedEngine

        self.engine = EmbeddedEngine(Path(data))
        self.engine.query("ASK { ?s ?p ?o }", timeout=600)  # the store is ready only after a first answer

    def query(self, text: str, bindings: dict[str, dict[str, str]], timeout: float) -> list[tuple[str, ...]]:
        init = {k: _rdflib_term(v) for k, v in bindings.items()}
        return _rows(self.engine.query(text, init or None, timeout=timeout, max_rows=10**9))

    def close(self) -> None:
        self.engine.close()


ENGINES: dict[str, type[_Engine]] = {"xjkg": _Xjkg, "pyoxigraph": _Oxigraph, "rdflib": _Rdflib}


def _bare(term: Any) -> str:
    """An IRI as written by any engine (``<x>``, ``x``), without the brackets."""
    text = str(term() if callable(term) else term)
    return text[1:-1] if text.startswith("<") and text.endswith(">") else text


def _pair(focus: Any, shape: Any, path: Any) -> tuple[str, str]:
    """(focus node, shape): a blank-node shape (ids differ between engines) is named by its path."""
    shape_text = _bare(shape)
    if not shape_text.startswith(("http:", "https:", "urn:")):
        shape_text = f"path {_bare(path)}"
    return _bare(focus), shape_text


def _validate(request: dict[str, Any]) -> dict[str, Any]:
    """Validate ``data`` against ``shapes``; the answer lists (focus node, source shape) pairs."""
    engine, data, shapes, ontology = (
        request["engine"],
        request["data"],
        request["shapes"],
        request.get("ontology"),
    )
    if engine.startswith("pyrudof"):  # "pyrudof" (native engine) or "pyrudof-sparql"
        import pyrudof

        mode = pyrudof.ShaclValidationMode.Sparql if engine.endswith("sparql") else pyrudof.ShaclValidationMode.Native
        start = time.perf_counter()
        validator = pyrudof.Rudof(pyrudof.RudofConfig())
        validator.read_data(data, pyrudof.RDFFormat.Turtle, reader_mode=pyrudof.ReaderMode.Strict)
        validator.read_shacl(shapes, pyrudof.ShaclFormat.Turtle, reader_mode=pyrudof.ReaderMode.Strict)
        report = validator.validate_shacl(mode=mode)
        seconds = time.perf_counter() - start
        pairs = sorted({_pair(e.focus_node, e.source_shape, e.path) for e in report.violations})
        return {"seconds": seconds, "conforms": bool(report.conforms), "pairs": pairs}
    from rdflib import Graph
    from rdflib.namespace import SH

    start = time.perf_counter()
    if engine == "pyshacl":
        import pyshacl

        data_graph = Graph().parse(data, format="turtle")
        shapes_graph = Graph().parse(shapes, format="turtle")
        ont_graph = Graph().parse(ontology, format="turtle") if ontology else None
        conforms, report, _text = pyshacl.validate(
            data_graph, shacl_graph=shapes_graph, ont_graph=ont_graph, inference="none", advanced=True
        )
    else:  # xjkg: the project's own path (its reader, then validate_graph), whatever engine it chose
        from xjkg.core.readers import read_rdf
        from xjkg.validation.validate import validate_graph

        graph = Graph()
        read_rdf(data, None, max_bytes=10**11, graph=graph)
        shapes_arg = Path(shapes)
        outcome = validate_graph(graph, shapes=shapes_arg)
        seconds = time.perf_counter() - start
        pairs = sorted({_pair(r.focus_node, r.source_shape, r.path_node) for r in outcome.results})
        return {"seconds": seconds, "conforms": outcome.conforms, "pairs": pairs}
    seconds = time.perf_counter() - start
    pairs = sorted(
        {
            _pair(report.value(r, SH.focusNode), report.value(r, SH.sourceShape), report.value(r, SH.resultPath))
            for r in report.objects(None, SH.result)  # nested sh:detail results are not counted
        }
    )
    return {"seconds": seconds, "conforms": bool(conforms), "pairs": pairs}


def main() -> int:
    """Serve requests until stdin closes; every answer carries ``maxrss_mb``."""
    engine: _Engine | None = None
    for line in sys.stdin:
        request = json.loads(line)
        op = request["op"]
        try:
            if op == "open":
                engine = ENGINES[request["engine"]]()
                start = time.perf_counter()
                engine.open(request["data"])
                answer: dict[str, Any] = {"seconds": time.perf_counter() - start}
            elif op == "query":
                assert engine is not None, "open first"
                start = time.perf_counter()
                rows = engine.query(request["text"], request.get("bindings") or {}, request.get("timeout", 60.0))
                answer = {"seconds": time.perf_counter() - start, "rows": len(rows), "digest": _digest(rows)}
            elif op == "validate":
                answer = _validate(request)
            else:
                answer = {"error": f"unknown op {op!r}"}
        except Exception as exc:
            answer = {"error": f"{type(exc).__name__}: {exc}", "trace": traceback.format_exc(limit=3)}
        if op in {"open", "validate"} and engine is not None and hasattr(engine, "close") and request.get("close"):
            engine.close()  # type: ignore[attr-defined]
        answer["maxrss_mb"] = maxrss_mb()
        print(json.dumps(answer), flush=True)
    if engine is not None and hasattr(engine, "close"):
        engine.close()  # type: ignore[attr-defined]
    return 0


if __name__ == "__main__":
    sys.exit(main())
