"""Stored queries, typed parameters, and the ``xjkg queries`` / ``xjkg query`` commands (``xjkg load``: remote.py).

A stored query is one ``queries/NAME.rq`` file with a strict ``#+`` header (a flat subset of grlc's
keys, so the file stays valid SPARQL): ``summary`` (required), ``description``, ``tags`` and ``params``.
Parameters are bound as typed RDF terms in a ``VALUES`` block (:func:`xjkg.engines.values_block`, the
same text on every engine), never pasted into the text as written.

>>> result = run_stored("dataset-summary")  # doctest: +SKIP
>>> result.to_python()[:1]  # doctest: +SKIP
"""

from __future__ import annotations

import argparse
import atexit
import json
import logging
import os
import re
import sys
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import pyoxigraph

from xjkg.core.atomic import check_output_file
from xjkg.core.errors import EXIT_BAD_INPUT, EXIT_OK, XjkgError
from xjkg.core.options import (
    add_corpus_argument,
    add_endpoint_options,
    add_limit_arguments,
    check_limits,
    corpus_graph_file,
)
from xjkg.core.output import emit
from xjkg.core.paths import GRAPH_FILE, QUERIES_DIR
from xjkg.core.progress import stage
from xjkg.core.rdf import NAMES, WireTerm, normal_wire, wire_to_rdflib
from xjkg.core.sparql_safety import check_query
from xjkg.core.textfiles import read_bytes, read_stdin
from xjkg.query.engines import EmbeddedEngine, Engine

if TYPE_CHECKING:
    from rdflib.term import Identifier

from xjkg.query.results import FORMAT_ALIASES, GRAPH_FORMATS, ROW_FORMATS, QueryResult, format_decimal

__all__ = [
    "PARAM_TYPES",
    "QUERY_FORMATS",
    "EmbeddedEngine",
    "Engine",
    "Param",
    "QueryResult",
    "StoredQuery",
    "bind_params",
    "bind_wires",
    "check_query",
    "default_engine",
    "parse_stored_query",
    "run_stored",
    "stored_queries",
]


PARAM_TYPES = ("iri", "string", "integer", "decimal", "date", "boolean")
_HEADER_KEYS = ("summary", "description", "tags", "params", "lists")
LIST_SEPARATOR = "; "  # the GROUP_CONCAT separator of a column declared in `lists`
_PARAM_KEYS = ("name", "type", "default", "description")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_XSD = "http://www.w3.org/2001/XMLSchema#"
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^<>\"{}|^`\\\x00-\x20]*$")
_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")
_MAX_STRING = 10_000
#: The largest query read from a file or standard input (as the server's largest POST body).
MAX_QUERY_BYTES = 1_000_000

#: The output formats of ``xjkg query --format``.
QUERY_FORMATS = ("table", "csv", "tsv", "json", "xml", "md", "ttl", "nt", "jsonld", "turtle", "ntriples", "rdfxml")


class Param(NamedTuple):
    """One parameter of a stored query, from its ``#+ params:`` header."""

    name: str
    type: str  # one of PARAM_TYPES
    default: str | None
    description: str


class StoredQuery(NamedTuple):
    """One ``queries/*.rq`` file: its header and its text."""

    name: str
    path: Path
    summary: str
    description: str
    tags: tuple[str, ...]
    params: tuple[Param, ...]
    text: str
    form: str  # SELECT | ASK | CONSTRUCT | DESCRIBE
    lists: tuple[str, ...] = ()  # columns holding "; "-separated lists, sorted by finish()

    def finish(self, result: QueryResult) -> QueryResult:
        """The result with the items of every ``lists`` cell sorted and unique; an empty list is unbound.

        SPARQL leaves the order inside GROUP_CONCAT open and stores differ, so xjkg defines it: by code
        point, as SPARQL orders strings. Every engine then gives the same cell.

        >>> q = StoredQuery("q", Path("q.rq"), "s", "", (), (), "", "SELECT", lists=("where",))
        >>> r = QueryResult.from_wire(["where"], [[("literal", "b; a; b", "", "")]])
        >>> q.finish(r).to_python()
        [{'where': 'a; b'}]
        """
        if not self.lists or result.form != "SELECT":
            return result
        columns = [i for i, name in enumerate(result.variables) if name in self.lists]
        if not columns:
            return result
        rows = [list(row) for row in result._wires()]
        for row in rows:
            for i in columns:
                cell = row[i]
                if cell is not None and cell[0] == "literal":
                    items = sorted(set(cell[1].split(LIST_SEPARATOR)) - {""})
                    row[i] = ("literal", LIST_SEPARATOR.join(items), *cell[2:]) if items else None
        finished = QueryResult.from_wire(result.variables, rows, truncated=result.truncated, elapsed=result.elapsed)
        return finished


# -- reading stored queries ----------------------------------------------------------------------------


def _header(path: Path, text: str) -> tuple[dict[str, Any], dict[str, int]]:
    """The ``#+`` lines at the top of ``text`` as YAML, and the line number of each top-level key."""
    lines: list[str] = []
    key_lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#+"):
            break
        content = line[3:] if line.startswith("#+ ") else line[2:]
        key = re.match(r"^([A-Za-z_][\w-]*)\s*:", content)
        if key:
            key_lines[key.group(1)] = number
        lines.append(content)
    if not lines:
        return {}, {}
    source = "\n".join(lines)
    # Imported here: PyYAML is a fifth of `xjkg query`'s start-up, and the command reads the header while its
    # worker loads the graph (EmbeddedEngine's while_loading), so the import overlaps the load.
    import yaml

    try:
        header = yaml.safe_load(source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise XjkgError(f"{where}: the #+ header is not valid YAML: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(header, dict):
        raise XjkgError(f"{path}:1: the #+ header must be 'key: value' lines")
    return header, key_lines


def _text(value: Any, path: Path, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise XjkgError(f"{path}: header {key!r} must be non-empty text")
    return " ".join(value.split())


def _param(raw: Any, path: Path, line: int, body: str) -> Param:
    if not isinstance(raw, dict):
        raise XjkgError(f"{path}:{line}: each entry of 'params' must be a mapping (name, type, default, description)")
    unknown = sorted(set(raw) - set(_PARAM_KEYS))
    if unknown:
        raise XjkgError(f"{path}:{line}: unknown parameter key {unknown[0]!r} (allowed: {', '.join(_PARAM_KEYS)})")
    name = raw.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise XjkgError(f"{path}:{line}: parameter name {name!r} must be lower-case letters, digits and '_'")
    kind = raw.get("type")
    if kind not in PARAM_TYPES:
        raise XjkgError(f"{path}:{line}: parameter {name}: type {kind!r} is not one of {', '.join(PARAM_TYPES)}")
    if not re.search(rf"[?$]{name}(?![\w])", body):
        raise XjkgError(f"{path}:{line}: parameter {name} is declared but ?{name} is not in the query")
    default = raw.get("default")
    if default is not None:
        default = str(default).lower() if isinstance(default, bool) else str(default)
    param = Param(name=name, type=kind, default=default, description=_text(raw.get("description"), path, "description"))
    if default is not None:
        try:
            _wire(param, default)
        except XjkgError as exc:
            raise XjkgError(f"{path}:{line}: default of {exc.message}") from None
    return param


def parse_stored_query(
    path: Path, text: str | None = None, *, require_header: bool = True, check: bool = True
) -> StoredQuery:
    """Read and check one stored query; a bad header or a refused query raises :class:`XjkgError` (exit 2).

    ``check=False`` leaves the safety check and the parse to the query worker (the form is then ``""``).
    """
    path = Path(path)
    if text is None:
        try:
            text = read_bytes(path, max_bytes=MAX_QUERY_BYTES, what="query").decode("utf-8")
        except UnicodeDecodeError as exc:
            raise XjkgError(f"{path}: cannot read: {exc}") from None
    header, key_lines = _header(path, text)
    if header or require_header:
        unknown = sorted(set(header) - set(_HEADER_KEYS))
        if unknown:
            raise XjkgError(
                f"{path}:{key_lines.get(unknown[0], 1)}: unknown header key {unknown[0]!r} "
                f"(allowed: {', '.join(_HEADER_KEYS)})"
            )
        if "summary" not in header:
            raise XjkgError(f"{path}:1: the header has no '#+ summary:'")
    summary = _text(header["summary"], path, "summary") if "summary" in header else ""
    description = _text(header["description"], path, "description") if "description" in header else ""
    tags = header.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) and t for t in tags):
        raise XjkgError(f"{path}:{key_lines.get('tags', 1)}: 'tags' must be a list of words")
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    raw_params = header.get("params", [])
    if not isinstance(raw_params, list):
        raise XjkgError(f"{path}:{key_lines.get('params', 1)}: 'params' must be a list")
    params = tuple(_param(raw, path, key_lines.get("params", 1), body) for raw in raw_params)
    names = [p.name for p in params]
    if len(set(names)) != len(names):
        raise XjkgError(f"{path}: a parameter is declared twice: {', '.join(names)}")
    lists = header.get("lists", [])
    if not isinstance(lists, list) or not all(isinstance(c, str) and _NAME.match(c) for c in lists):
        raise XjkgError(f"{path}:{key_lines.get('lists', 1)}: 'lists' must be a list of column names")
    missing = [c for c in lists if not re.search(rf"AS\s+\?{c}\b", body)]
    if missing:
        raise XjkgError(f"{path}:{key_lines.get('lists', 1)}: 'lists' names ?{missing[0]}, not a column of the query")
    form = check_query(text, str(path)) if check else ""
    return StoredQuery(
        name=path.stem,
        path=path,
        summary=summary,
        description=description,
        tags=tuple(tags),
        params=params,
        text=text,
        form=form,
        lists=tuple(lists),
    )


def stored_queries(directory: Path = QUERIES_DIR) -> dict[str, StoredQuery]:
    """Every stored query by name, headers and safety checked.

    >>> "dataset-summary" in stored_queries()
    True
    """
    return {path.stem: parse_stored_query(path) for path in sorted(Path(directory).glob("*.rq"))}


def _get_stored(name: str, *, check: bool = True) -> StoredQuery:
    path = QUERIES_DIR / f"{name}.rq"
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name) or not path.is_file():
        known = ", ".join(sorted(p.stem for p in QUERIES_DIR.glob("*.rq")))
        raise XjkgError(f"no stored query named {name!r} (there are: {known})")
    return parse_stored_query(path, check=check)


# -- parameters ----------------------------------------------------------------------------------------


def _wire(param: Param, value: str) -> WireTerm:
    """``value`` as a wire term of the parameter's type."""

    def bad(why: str) -> XjkgError:
        return XjkgError(f"parameter {param.name}: {value!r} is not {why}", EXIT_BAD_INPUT)

    if param.type == "iri":
        iri = _expand(value.strip())
        if not _IRI.match(iri) or not _valid_iri(iri):
            raise bad("an IRI (write https://… or a prefixed name such as id:county/luopu)")
        return ("uri", iri)
    if param.type == "string":
        if len(value) > _MAX_STRING:
            raise XjkgError(f"parameter {param.name}: longer than {_MAX_STRING} characters", EXIT_BAD_INPUT)
        return ("literal", value, "", "")
    if param.type == "integer":
        if not _INTEGER.match(value.strip()):
            raise bad("an integer")
        return ("literal", str(int(value.strip())), _XSD + "integer", "")
    if param.type == "decimal":
        if not _DECIMAL.match(value.strip()):
            raise bad("a decimal number (digits with an optional '.', no separators)")
        return ("literal", format_decimal(value.strip()), _XSD + "decimal", "")
    if param.type == "date":
        try:
            day = date.fromisoformat(value.strip()) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()) else None
        except ValueError:
            day = None
        if day is None:
            raise bad("a date (YYYY-MM-DD)")
        return ("literal", day.isoformat(), _XSD + "date", "")
    if param.type == "boolean":
        if value.strip().lower() not in ("true", "false"):
            raise bad("a boolean (true or false)")
        return ("literal", value.strip().lower(), _XSD + "boolean", "")
    raise XjkgError(f"parameter {param.name}: unknown type {param.type!r}")


def _valid_iri(iri: str) -> bool:
    """RFC 3987 as the engine's own parser reads it (a DEL, a bad %-escape or a second # fail there)."""
    try:
        pyoxigraph.NamedNode(iri)
    except ValueError:
        return False
    return True


def _expand(value: str) -> str:
    """``id:county/luopu`` → the full IRI, for the prefixes the project declares."""
    return NAMES.expand(value) or value


def bind_params(query: StoredQuery, values: Mapping[str, object]) -> dict[str, Identifier]:
    """Typed RDF terms for the query's parameters: given values, else defaults; unset ones stay unbound.

    >>> n = Param("n", "integer", "3", "a count")
    >>> q = StoredQuery("q", Path("q.rq"), "s", "", (), (n,), "", "SELECT")
    >>> bind_params(q, {})
    {'n': rdflib.term.Literal('3', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer'))}
    """
    return {name: _rdflib(wire) for name, wire in bind_wires(query, values).items()}


def _rdflib(wire: WireTerm) -> Identifier:
    term = wire_to_rdflib(wire)
    assert term is not None
    return term


def bind_wires(query: StoredQuery, values: Mapping[str, object]) -> dict[str, WireTerm]:
    """As :func:`bind_params`, as wire terms (:data:`xjkg.core.rdf.WireTerm`) in their normal form: what
    ``xjkg query`` sends, without rdflib (importing it would double the command's start-up).

    >>> n = Param("n", "decimal", "1.50", "a share")
    >>> bind_wires(StoredQuery("q", Path("q.rq"), "s", "", (), (n,), "", "SELECT"), {})
    {'n': ('literal', '1.5', 'http://www.w3.org/2001/XMLSchema#decimal', '')}
    """
    bound: dict[str, WireTerm] = {}
    for name, (param, text) in _given(query, values).items():
        wire = normal_wire(_wire(param, text))
        assert wire is not None
        bound[name] = wire
    return bound


def _given(query: StoredQuery, values: Mapping[str, object]) -> dict[str, tuple[Param, str]]:
    """Each bound parameter and its text: the given value, else the default; unknown names refused."""
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(values) - set(declared))
    if unknown:
        has = ", ".join(declared) or "none"
        raise XjkgError(f"query {query.name} has no parameter {unknown[0]!r} (its parameters: {has})", EXIT_BAD_INPUT)
    given: dict[str, tuple[Param, str]] = {}
    for name, param in declared.items():
        raw = values.get(name, param.default)
        if raw is None:
            continue
        given[name] = (param, str(raw).lower() if isinstance(raw, bool) else str(raw))
    return given


# -- running -------------------------------------------------------------------------------------------

_default: EmbeddedEngine | None = None


def default_engine() -> EmbeddedEngine:
    """The embedded store on the built graph, started once per process (notebooks reuse it)."""
    global _default
    if _default is None:
        _default = EmbeddedEngine(GRAPH_FILE)
        atexit.register(_default.close)
    return _default


def run_stored(name: str, engine: Engine | None = None, **params: object) -> QueryResult:
    """Run the stored query ``name`` with keyword parameters on ``engine`` (default: the embedded store).

    >>> run_stored("investment-by-fund-type").to_python()  # doctest: +SKIP
    """
    query = _get_stored(name)
    bindings = bind_params(query, params)
    return query.finish((engine or default_engine()).query(query.text, bindings, where=str(query.path)))


# -- command line --------------------------------------------------------------------------------------


def configure_queries(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("table", "json"), default="table", help="output format")


def run_queries(args: argparse.Namespace) -> int:
    queries = stored_queries()
    if args.format == "json":
        listing = [
            {
                "name": q.name,
                "summary": q.summary,
                "description": q.description,
                "tags": list(q.tags),
                "form": q.form,
                "params": [p._asdict() for p in q.params],
            }
            for q in queries.values()
        ]
        print(json.dumps(listing, ensure_ascii=False, indent=1))
        return EXIT_OK
    width = max((len(name) for name in queries), default=4)
    for query in queries.values():
        print(f"{query.name.ljust(width)}  {query.summary}")
        for param in query.params:
            default = f" = {param.default}" if param.default is not None else " (optional)"
            print(f"{''.ljust(width)}    --param {param.name}=<{param.type}>{default}: {param.description}")
    return EXIT_OK


def configure_query(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", metavar="NAME_OR_FILE", help="a stored query name (see `xjkg queries`), a file, or -")
    parser.add_argument(
        "-p",
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a parameter value (repeatable)",
    )
    parser.add_argument("-f", "--format", choices=QUERY_FORMATS, default="table", help="output format (table)")
    parser.add_argument("--endpoint", metavar="URL", help="run on this SPARQL 1.1 endpoint instead of the graph")
    parser.add_argument(
        "--default-graph",
        metavar="IRI",
        help="with --endpoint: query this graph of the store (sent as default-graph-uri)",
    )
    add_endpoint_options(parser)
    graph = parser.add_mutually_exclusive_group()
    graph.add_argument("--data", type=Path, metavar="FILE", help=f"the Turtle graph to query (default {GRAPH_FILE})")
    add_corpus_argument(graph, graph=True)
    add_limit_arguments(parser, what="the query")
    parser.add_argument("--max-rows", type=int, default=10_000, metavar="N", help="row limit (10000)")
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="write here (a file in an existing folder) instead of stdout"
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="parse the graph file again instead of using its cached store (README, 'The store cache')",
    )


def _resolve(spec: str, *, check: bool = True) -> StoredQuery:
    if spec == "-":
        text = read_stdin(MAX_QUERY_BYTES)  # capped: `xjkg query - < /dev/zero` is refused, not read until memory ends
        return parse_stored_query(Path("<stdin>"), text, require_header=False, check=check)
    if re.fullmatch(r"[a-z0-9][a-z0-9-]*", spec) and (QUERIES_DIR / f"{spec}.rq").is_file():
        return _get_stored(spec, check=check)
    path = Path(spec)
    if path.exists():  # a FIFO or a device is then refused by name, not called missing
        return parse_stored_query(path, require_header=False, check=check)
    if path.suffix or "/" in spec:
        raise XjkgError(f"{spec}: no such file")
    return _get_stored(spec, check=check)


def _parse_params(pairs: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise XjkgError(f"--param {pair!r}: write NAME=VALUE")
        values[name.strip()] = value
    return values


def _check_format(given: str, fmt: str, form: str) -> None:
    graph_result = form in ("CONSTRUCT", "DESCRIBE")
    if fmt not in ((*GRAPH_FORMATS, "table", "md", "xml") if graph_result else ROW_FORMATS):
        raise XjkgError(f"--format {given}: a {form} query gives {'a graph' if graph_result else 'rows'}")


def run_query(args: argparse.Namespace) -> int:
    check_limits(args)
    if args.max_rows <= 0:
        raise XjkgError("--max-rows must be positive")
    output: Path | None = None
    if args.output is not None:
        output = check_output_file(args.output)  # before the query runs: a refused name costs nothing
    if args.no_cache:  # read by xjkg.query.store_cache in the query worker, which inherits the environment
        os.environ["XJKG_STORE_CACHE"] = "0"
    fmt = FORMAT_ALIASES.get(args.format, args.format)
    ready: list[tuple[StoredQuery, dict[str, WireTerm]]] = []

    def get_ready() -> None:
        # On the graph, the text is checked and parsed only in the query worker (a parser crash or hang
        # costs that process); an endpoint's text is checked here, before it is sent.
        query = _resolve(args.query, check=bool(args.endpoint))
        bindings = bind_wires(query, _parse_params(args.param))
        if query.form:
            _check_format(args.format, fmt, query.form)
        ready.append((query, bindings))

    if args.endpoint and (args.data or args.corpus):
        raise XjkgError("--endpoint queries the store: --data and --corpus name a graph file instead")
    engine: Engine
    if args.endpoint:
        get_ready()
        # Here: the HTTP client and what it imports are a fifth of the command's start-up, for --endpoint only.
        from xjkg.query.remote import EndpointEngine

        engine = EndpointEngine(args.endpoint, timeout=args.timeout, user=args.user, default_graph=args.default_graph)
    elif args.user or args.default_graph:
        raise XjkgError("--user and --default-graph go with --endpoint")
    else:
        with stage("xjkg query: opening the graph"):  # a first query on a big graph builds its store
            # A worker forked from this process, not a new interpreter, and the query read and its
            # parameters bound while it loads the graph: the command pays no second start-up.
            engine = EmbeddedEngine(
                args.data or corpus_graph_file(args.corpus),
                fork=True,
                memory_mb=args.worker_memory,
                while_loading=get_ready,
            )
    query, bindings = ready[0]
    with engine:
        result = engine.query(query.text, bindings, timeout=args.timeout, max_rows=args.max_rows, where=str(query.path))
    _check_format(args.format, fmt, result.form)
    result = query.finish(result)
    data = result.serialize(fmt)
    logging.getLogger(__name__).info(
        "%s: %s in %.3f s",
        query.name,
        f"{result.row_count} rows" if result.row_count else result.form,
        result.elapsed,
    )
    if result.truncated and fmt != "table":
        print(f"xjkg query: warning: stopped at --max-rows {args.max_rows}", file=sys.stderr)
    emit(output, data)
    return EXIT_OK
