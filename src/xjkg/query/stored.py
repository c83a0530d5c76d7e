"""Stored queries, typed parameters, and the ``xjkg queries`` / ``xjkg query`` commands (``xjkg load``: remote.py).

A stored query is one ``queries/NAME.rq`` file with a strict ``#+`` header (a flat subset of grlc's
keys, so the file stays valid SPARQL): ``summary`` (required), ``description``, ``tags`` and ``params``.
Parameters are bound as typed RDF terms in a ``VALUES`` block (:func:`xjkg.query.engines.values_block`, the
same text on every engine), never pasted into the text as written.

>>> result = run_stored("dataset-summary")  # doctest: +SKIP
>>> result.to_python()[:1]  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from xjkg.core.errors import EXIT_BAD_INPUT, EXIT_OK, XjkgError
from xjkg.core.options import add_corpus_argument, corpus_graph_file
from xjkg.core.paths import GRAPH_FILE, QUERIES_DIR
from xjkg.core.rdf import NAMES, WireTerm, sparql_term
from xjkg.core.sparql_safety import check_query, insert_values
from xjkg.query.results import FORMAT_ALIASES, GRAPH_FORMATS, ROW_FORMATS, QueryResult, format_decimal

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Mapping

    from rdflib.term import Identifier

    from xjkg.query.engines import EmbeddedEngine, Engine
    from xjkg.query.remote import EndpointEngine


__all__ = [
    "PARAM_TYPES",
    "EmbeddedEngine",
    "EndpointEngine",
    "Engine",
    "Param",
    "QueryResult",
    "StoredQuery",
    "bind_params",
    "check_query",
    "default_engine",
    "parse_stored_query",
    "run_stored",
    "stored_queries",
]


def __getattr__(name: str) -> Any:
    """The engines, imported on first use: the one-shot query worker imports this module, not them (issue 14)."""
    if name in ("EmbeddedEngine", "Engine"):
        from xjkg.query import engines

        return getattr(engines, name)
    if name == "EndpointEngine":
        from xjkg.query.remote import EndpointEngine

        return EndpointEngine
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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


# Named tuples, not dataclasses: importing dataclasses (and inspect) costs the one-shot command (issue 14).
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
    remembered = _HEADERS.get(source)
    if remembered is not None:
        return remembered, key_lines
    import yaml

    try:
        header = yaml.safe_load(source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise XjkgError(f"{where}: the #+ header is not valid YAML: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(header, dict):
        raise XjkgError(f"{path}:1: the #+ header must be 'key: value' lines")
    _HEADERS.put(source, header)
    return header, key_lines


class _HeaderCache:
    """Headers read before, by their text, in ``<cache dir>/query-headers.json``
    (:func:`xjkg.query.store_cache.cache_dir`).

    Importing PyYAML and reading a header costs a one-shot ``xjkg query`` more than loading the graph; the
    same header text always gives the same value, so it is read once. Only values that JSON gives back
    unchanged are kept (a YAML date is not); a file that cannot be read or written is no cache. Every value
    is still checked as a header read from YAML is.
    """

    _LIMIT = 500  # entries kept (the newest): the stored queries and what a person runs often

    def __init__(self) -> None:
        self._entries: dict[str, Any] | None = None

    def _file(self) -> Path:
        from xjkg.query.store_cache import cache_dir

        return cache_dir() / "query-headers.json"

    def _load(self) -> dict[str, Any]:
        if self._entries is None:
            import json

            try:
                entries = json.loads(self._file().read_text(encoding="utf-8"))
            except (OSError, ValueError):
                entries = {}
            self._entries = entries if isinstance(entries, dict) else {}
        return self._entries

    def get(self, source: str) -> dict[str, Any] | None:
        from xjkg.query.store_cache import cache_enabled

        if not cache_enabled():
            return None
        value = self._load().get(source)
        return value if isinstance(value, dict) else None

    def put(self, source: str, header: dict[str, Any]) -> None:
        import json

        from xjkg.query.store_cache import cache_enabled

        if not cache_enabled():
            return
        try:
            if json.loads(json.dumps(header)) != header:
                return
        except (TypeError, ValueError):  # a date, a set: not kept
            return
        entries = self._load()
        entries.pop(source, None)
        entries[source] = header
        while len(entries) > self._LIMIT:
            entries.pop(next(iter(entries)))
        file = self._file()
        temporary = file.with_name(f".{file.name}.{os.getpid()}.tmp")
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
            os.replace(temporary, file)
        except OSError:  # a read-only or full cache folder: the header is read again next time
            with contextlib.suppress(OSError):
                temporary.unlink()


_HEADERS = _HeaderCache()


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
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
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


def _term(param: Param, value: str) -> Identifier:
    """``value`` as an rdflib term of the parameter's type; XjkgError naming the parameter when it is not one."""
    from rdflib.term import Literal, URIRef

    wire = _wire(param, value)
    if wire[0] == "uri":
        return URIRef(wire[1])
    return Literal(wire[1], datatype=URIRef(wire[2])) if wire[2] else Literal(wire[1])


def _wire(param: Param, value: str) -> WireTerm:
    """``value`` as a wire term of the parameter's type (no rdflib: the one-shot command binds these)."""

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
        from datetime import date

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
    import pyoxigraph

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
    return {name: _term(param, text) for name, (param, text) in _given(query, values).items()}


def bind_wires(query: StoredQuery, values: Mapping[str, object]) -> dict[str, WireTerm]:
    """As :func:`bind_params`, as wire terms spelled as rdflib would spell them (no rdflib imported).

    >>> n = Param("n", "decimal", "1.50", "a share")
    >>> bind_wires(StoredQuery("q", Path("q.rq"), "s", "", (), (n,), "", "SELECT"), {})
    {'n': ('literal', '1.5', 'http://www.w3.org/2001/XMLSchema#decimal', '')}
    """
    from xjkg.core.rdf import normal_wire

    bound: dict[str, WireTerm] = {}
    for name, (param, text) in _given(query, values).items():
        wire = normal_wire(_wire(param, text))
        assert wire is not None
        bound[name] = wire
    return bound


def wire_values_block(bindings: Mapping[str, WireTerm]) -> str:
    """The ``VALUES`` block of :func:`xjkg.query.engines.values_block`, from wire terms."""
    names = sorted(bindings)
    terms = " ".join(sparql_term(bindings[name]) for name in names)
    return f"VALUES ({' '.join('?' + n for n in names)}) {{ ({terms}) }}"


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
        import atexit

        from xjkg.query.engines import EmbeddedEngine

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
        import json

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


from xjkg.cli import QUERY_FORMATS as _CLI_FORMATS  # noqa: E402 (kept with the fast path that checks it)
from xjkg.cli import emit  # noqa: E402


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
    parser.add_argument("-f", "--format", choices=_CLI_FORMATS, default="table", help="output format (table)")
    parser.add_argument("--endpoint", metavar="URL", help="run on this SPARQL 1.1 endpoint instead of the graph")
    parser.add_argument(
        "--default-graph",
        metavar="IRI",
        help="with --endpoint: query this graph of the store (sent as default-graph-uri)",
    )
    from xjkg.query.remote import add_endpoint_options

    add_endpoint_options(parser)
    graph = parser.add_mutually_exclusive_group()
    graph.add_argument("--data", type=Path, metavar="FILE", help=f"the Turtle graph to query (default {GRAPH_FILE})")
    add_corpus_argument(graph, graph=True)
    parser.add_argument("--timeout", type=float, default=30.0, metavar="S", help="time limit in seconds (30)")
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
        return parse_stored_query(Path("<stdin>"), sys.stdin.read(), require_header=False, check=check)
    if re.fullmatch(r"[a-z0-9][a-z0-9-]*", spec) and (QUERIES_DIR / f"{spec}.rq").is_file():
        return _get_stored(spec, check=check)
    path = Path(spec)
    if path.is_file():
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
    import math

    from xjkg.core.progress import stage
    from xjkg.query.engines import EmbeddedEngine
    from xjkg.query.remote import EndpointEngine

    if not 0 < args.timeout < math.inf or args.max_rows <= 0:  # NaN fails the comparison too
        raise XjkgError("--timeout and --max-rows must be positive")
    output: Path | None = None
    if args.output is not None:
        from xjkg.core.atomic import check_output_file

        output = check_output_file(args.output)  # before the query runs: a refused name costs nothing
    if args.no_cache:  # read by xjkg.query.store_cache in the query worker, which inherits the environment
        os.environ["XJKG_STORE_CACHE"] = "0"
    fmt = FORMAT_ALIASES.get(args.format, args.format)
    ready: list[tuple[StoredQuery, dict[str, Identifier]]] = []

    def get_ready() -> None:
        # On the graph, the text is checked and parsed only in the query worker (a parser crash or hang
        # costs that process); an endpoint's text is checked here, before it is sent.
        query = _resolve(args.query, check=bool(args.endpoint))
        bindings = bind_params(query, _parse_params(args.param))
        if query.form:
            _check_format(args.format, fmt, query.form)
        ready.append((query, bindings))

    if args.endpoint and (args.data or args.corpus):
        raise XjkgError("--endpoint queries the store: --data and --corpus name a graph file instead")
    engine: Engine
    if args.endpoint:
        get_ready()
        engine = EndpointEngine(args.endpoint, timeout=args.timeout, user=args.user, default_graph=args.default_graph)
    elif args.user or args.default_graph:
        raise XjkgError("--user and --default-graph go with --endpoint")
    else:
        with stage("xjkg query: opening the graph"):  # a first query on a big graph builds its store
            # A worker forked from this process, not a new interpreter, and the query read and its
            # parameters bound while it loads the graph: the one-shot command pays no second start-up.
            engine = EmbeddedEngine(args.data or corpus_graph_file(args.corpus), fork=True, while_loading=get_ready)
    query, bindings = ready[0]
    with engine:
        result = engine.query(query.text, bindings, timeout=args.timeout, max_rows=args.max_rows, where=str(query.path))
    _check_format(args.format, fmt, result.form)
    result = query.finish(result)
    data = result.serialize(fmt)
    import logging

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


# -- the one-shot command's job, done in its query worker ----------------------------------------------


def run_job(store: Any, job: Mapping[str, Any], parsed: Callable[[], None]) -> tuple[Any, ...]:
    """Do a plain ``xjkg query`` command's whole work in its query worker (issue 14), on the loaded ``store``.

    ``job`` holds the command's ``query`` (a stored query's name or a file), ``params`` (``NAME=VALUE``
    texts), ``format`` (as given) and ``max_rows``. The worker reads the query and its header, binds the
    parameters, checks and parses the text (then calls ``parsed``: a crash before it is the parser's), runs
    it and writes the answer in the format, so the command itself only waits, with its deadline, and writes
    bytes. Returns ``("done", data, warnings)``, or ``("refused", message, exit code)``, ``("syntax",
    message)``, ``("memory", "")`` or ``("error", message)`` as :func:`xjkg.query.worker.worker_main`.
    """
    import time

    from xjkg.query.worker import answering, evaluate

    def work() -> tuple[Any, ...]:
        given = str(job["format"])
        fmt = FORMAT_ALIASES.get(given, given)
        query = _resolve(str(job["query"]), check=False)
        where = str(query.path)
        bindings = bind_wires(query, _parse_params(list(job["params"])))
        form = check_query(query.text, where)
        _check_format(given, fmt, form)
        text = insert_values(query.text, wire_values_block(bindings)) if bindings else query.text
        parsed()
        started = time.perf_counter()
        answer = evaluate(store, text, int(job["max_rows"]))
        result = query.finish(QueryResult.from_answer(form, answer, time.perf_counter() - started))
        warnings = [f"stopped at --max-rows {job['max_rows']}"] if result.truncated and fmt != "table" else []
        return ("done", result.serialize(fmt), warnings)

    return answering(work)
