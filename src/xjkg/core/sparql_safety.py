"""Query safety, decided before any engine sees the text.

rdflib fetches ``SERVICE``, ``LOAD`` and ``FROM`` IRIs; pyoxigraph runs ``SERVICE`` and ``LOAD`` with no
switch to turn them off, and crashes the process on a query nested ~5,000 brackets deep
(``tests/test_query_engine.py`` holds such a query). Its ``FROM``/``FROM NAMED`` only choose graphs of the
store, never fetch: they are allowed, as queries run on pyoxigraph or an endpoint, never on rdflib.
So we tokenise the query ourselves (strings, IRIs and comments cannot hide a keyword from us), refuse
updates, ``SERVICE``, ``LOAD``, deep nesting and long repetitions (:func:`precheck`,
linear: pyoxigraph's recursive parser crashes or hangs on them), and only then let pyoxigraph
parse it (on an empty store, never evaluated) for a syntax error with line and column.

The same tokens tell where a ``VALUES`` block binding the parameters goes (:func:`insert_values`) and
whether the query may read a named graph (:func:`uses_named_graphs`). The verdicts depend on the text alone,
so accepted texts are remembered (a bounded LRU): a stored or repeated query is tokenised and parsed once per
process, not once per run. Refusals are not cached (their message names the caller's ``where``).
"""

from __future__ import annotations

import functools
import re
import threading
from collections import OrderedDict
from typing import NamedTuple

from xjkg.core.errors import EXIT_BAD_INPUT, XjkgError

__all__ = [
    "CACHE_SIZE",
    "MAX_DEPTH",
    "MAX_QUERY_CHARS",
    "REPEAT_LIMITS",
    "Token",
    "check_query",
    "checked_form",
    "clear_caches",
    "insert_values",
    "precheck",
    "prepare",
    "refuse_from",
    "tokenize",
    "uses_named_graphs",
]

#: Brackets ``{ ( [`` deeper than this are refused (real queries stay under 15; pyoxigraph dies near 5,000).
MAX_DEPTH = 100
#: A query longer than this is refused (a stored query is a few KB).
MAX_QUERY_CHARS = 200_000
#: How many of each repeated construct one query may hold. pyoxigraph's parser recurses on each of them
#: and backtracks: measured (0.5.13), a query segfaults near ~12 KB of one kind and its parse time grows about
#: eightfold when a group's items double (docs/robustness.md, "Parse bombs").
#: These bounds keep any accepted text's parse under about a second; real queries stay far below (the stored
#: queries: at most 32 items in a query, 4 path steps, 8 OPTIONALs).
REPEAT_LIMITS: dict[str, int] = {
    "group items": 64,  # triples, ";" and "," items in one { } or [ ] group
    "group patterns": 64,  # OPTIONAL, MINUS, FILTER, BIND, UNION, GRAPH, VALUES, { } in one group
    "list items": 256,  # "," items in one ( ) list (function arguments, IN lists)
    "path steps": 64,  # "/" in the whole query (sequence paths, divisions)
    "alternatives": 256,  # "|" in the whole query
    "operators": 256,  # "||", "&&", "+", "-", "*", "=", "!=", "<", ">", "<=", ">=" of each kind in the query
    "unary chain": 8,  # "!", "^", "+", "-" in a row
}
_GROUP_WORDS = {"OPTIONAL", "MINUS", "FILTER", "BIND", "UNION", "GRAPH", "VALUES", "SERVICE"}
_BINARY = {"||", "&&", "+", "-", "*", "=", "!=", "<", ">", "<=", ">="}
_PREFIX_OPERATORS = {"!", "^", "+", "-"}

#: How many accepted query texts (and VALUES positions) are remembered; longer texts are not.
CACHE_SIZE = 512
_CACHE_CHARS = 20_000  # 512 x 20k characters bounds the caches at ~20 MB

_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_UPDATE_WORDS = {"INSERT", "DELETE", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH", "INTO"}
_OPEN = {"{": "}", "(": ")", "[": "]"}

#: U+00C0 to U+FFFF as a class: ``[\u00c0-\uffff]`` spelled as its complement, which ``re`` compiles far faster
#: (a range ending at U+FFFF makes it build a 64K-entry bitmap), and every query command compiles it.
#: ``tests/test_fuzz_sparql_safety.py`` checks every code point against the plain spelling.
HIGH_CHARS = r"[^\x00-\xbf\U00010000-\U0010ffff]"

# One alternative per token kind; order matters (long strings before short ones, IRIs before "<").
# Compiled on first use, or by prepare() while a worker loads.
_TOKEN_SOURCE = (
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\r\n]*)  # a comment ends at CR or LF (SPARQL 1.1, 19.4)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
  | (?P<name>(?:(?:[A-Za-z]|HIGH)(?:[\w.\-\u00b7]|HIGH)*)?:
              (?:[\w.\-:%\u00b7]|HIGH|\\[_~.\-!$&'()*+,;=/?\#@%])*
              |_:(?:[\w.\-\u00b7]|HIGH)+)
  | (?P<word>[A-Za-z_][\w\-]*)
  | (?P<number>[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?))
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<punct>\^\^|\|\||&&|!=|<=|>=|[{}()\[\].,;*=<>!+\-/|^?a])
    """,
    re.VERBOSE,
)
_TOKEN_SOURCE = (_TOKEN_SOURCE[0].replace("HIGH", HIGH_CHARS), _TOKEN_SOURCE[1])


@functools.cache
def _token_pattern() -> re.Pattern[str]:
    return re.compile(*_TOKEN_SOURCE)


def prepare() -> None:
    """Do the one-off work of the first check now (compile the tokenizer, import pyoxigraph).

    :class:`xjkg.query.engines.EmbeddedEngine` calls it while its worker loads the graph, on the other core.
    """
    import pyoxigraph  # noqa: F401

    _token_pattern()


class Token(NamedTuple):
    """One lexical token: its kind (``string``, ``iri``, ``var``, ``name``, ``word``, ``punct`` …)."""

    kind: str
    text: str
    start: int


def _position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset``."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _refuse(text: str, offset: int, message: str, where: str) -> XjkgError:
    line, column = _position(text, offset)
    return XjkgError(f"{where}: line {line}, column {column}: {message}", EXIT_BAD_INPUT)


def tokenize(text: str, where: str = "query") -> list[Token]:
    """The tokens of a SPARQL query, without whitespace and comments.

    >>> [t.text for t in tokenize('SELECT ?x { ?x <p> "}" } # {')]
    ['SELECT', '?x', '{', '?x', '<p>', '"}"', '}']
    """
    tokens: list[Token] = []
    pos = 0
    match_at = _token_pattern().match
    while pos < len(text):
        match = match_at(text, pos)
        if match is None or match.end() == pos:
            char = text[pos]
            if char == "\\":
                raise _refuse(text, pos, "a codepoint escape (\\u…) outside a string or IRI is refused", where)
            raise _refuse(text, pos, f"unexpected character {char!r}", where)
        kind = match.lastgroup or "punct"
        if kind not in ("ws", "comment"):
            tokens.append(Token(kind, match.group(0), pos))
        pos = match.end()
    return tokens


class _Lru:
    """A small thread-safe LRU of text → value (the server checks from several threads)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[str, object] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> object | None:
        with self.lock:
            value = self.items.get(key)
            if value is not None:
                self.items.move_to_end(key)
            return value

    def put(self, key: str, value: object) -> None:
        if len(key) > _CACHE_CHARS:
            return
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


_accepted = _Lru(CACHE_SIZE)  # query text → its form, for texts check_query accepted
_cuts = _Lru(CACHE_SIZE)  # query text → where insert_values puts the VALUES block
_graph_words = _Lru(CACHE_SIZE)  # query text → whether it has a FROM or GRAPH keyword


def clear_caches() -> None:
    """Forget every remembered verdict (tests; a changed MAX_DEPTH)."""
    _accepted.clear()
    _cuts.clear()
    _graph_words.clear()


def check_query(text: str, where: str = "query") -> str:
    """Refuse what a read-only query must not do, then check the syntax; returns the form (``SELECT`` …).

    ``where`` names the query in messages (a file name). Raises :class:`XjkgError` (exit 2) with line
    and column.

    >>> check_query("PREFIX ex: <http://example.org/> SELECT ?s WHERE { ?s ex:p 1 }")
    'SELECT'
    >>> check_query("SELECT * WHERE { SERVICE <http://evil.example/> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    xjkg.core.errors.XjkgError: query: line 1, column 18: SERVICE is refused: a query may not reach the network
    """
    known = _accepted.get(text)
    if known is not None:
        return str(known)
    form = _check_uncached(text, where)
    _accepted.put(text, form)
    return form


def checked_form(text: str) -> str | None:
    """The form of ``text`` if :func:`check_query` accepted it in this process (and still remembers it)."""
    known = _accepted.get(text)
    return None if known is None else str(known)


def uses_named_graphs(text: str) -> bool:
    """Whether a checked query may read a named graph: a ``FROM`` (``FROM NAMED``) or ``GRAPH`` keyword.

    Read on the tokens: the words in a comment or a string (a stored query's header says "from" and "graph" in
    prose) do not count, as adding the report graphs to a store (:func:`xjkg.core.report_graphs.add_report_graphs`)
    costs about as much as loading the file. Remembered per text, as the other verdicts.

    >>> uses_named_graphs("# figures from every graph\\nSELECT * WHERE { ?s ?p 'graph' }")
    False
    >>> uses_named_graphs("SELECT * { graph ?g { ?s ?p ?o } }"), uses_named_graphs("SELECT * FROM <x:g> { ?s ?p ?o }")
    (True, True)
    """
    known = _graph_words.get(text)
    if known is None:
        known = any(token.kind == "word" and token.text.upper() in ("FROM", "GRAPH") for token in tokenize(text))
        _graph_words.put(text, known)
    return bool(known)


def _check_uncached(text: str, where: str) -> str:
    if len(text) > MAX_QUERY_CHARS:
        raise XjkgError(f"{where}: the query is {len(text):,} characters long (limit {MAX_QUERY_CHARS:,})")
    tokens = tokenize(text, where)
    precheck(text, tokens, where)
    form: str | None = None
    depth = 0
    for token in tokens:
        upper = token.text.upper()
        if token.kind == "word":
            if upper == "SERVICE":
                raise _refuse(text, token.start, "SERVICE is refused: a query may not reach the network", where)
            if upper == "LOAD":
                raise _refuse(text, token.start, "LOAD is refused: a query may not read the network or disk", where)
            if upper in _UPDATE_WORDS:
                raise _refuse(text, token.start, f"{upper} is refused: only read-only queries run here", where)
            if form is None and upper in _FORMS:
                form = upper
        elif token.kind == "punct":
            if token.text in _OPEN:
                depth += 1
                if depth > MAX_DEPTH:
                    raise _refuse(text, token.start, f"nesting deeper than {MAX_DEPTH} brackets is refused", where)
            elif token.text in ("}", ")", "]"):
                depth -= 1
    if form is None:
        raise XjkgError(f"{where}: not a query: no SELECT, ASK, CONSTRUCT or DESCRIBE", EXIT_BAD_INPUT)
    _check_syntax(text, where)
    return form


def refuse_from(text: str, tokens: list[Token], where: str = "query") -> None:
    """Refuse ``FROM``/``FROM NAMED`` in a text that rdflib may run (a SHACL-SPARQL constraint: pySHACL runs it on
    rdflib, which fetches a FROM IRI); queries on pyoxigraph or an endpoint may use them."""
    for index, token in enumerate(tokens):
        if token.kind == "word" and token.text.upper() == "FROM":
            named = index + 1 < len(tokens) and tokens[index + 1].text.upper() == "NAMED"
            raise _refuse(
                text,
                token.start,
                f"FROM{' NAMED' if named else ''} is refused here: rdflib fetches its IRI from the network or disk",
                where,
            )


def precheck(text: str, tokens: list[Token], where: str = "query") -> None:
    """Refuse, in one linear pass, any nesting or repetition past :data:`REPEAT_LIMITS` or :data:`MAX_DEPTH`.

    What passes parses in about a second at most, without a crash (the parse bombs of tests/test_hostile_server.py).

    >>> precheck("", tokenize("ASK { ?s <p> " + ", ?o" * 100 + " }"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    xjkg.core.errors.XjkgError: query: line 1, column 270: more than 64 group items (triples, ";" and "," items ...
    """
    stack: list[list[int]] = [[0, 0]]  # per open bracket: [items, patterns]
    kinds: list[str] = ["{"]
    totals: dict[str, int] = {}
    run = 0
    previous = ""
    limits = REPEAT_LIMITS

    def refuse(token: Token, what: str) -> XjkgError:
        notes = {
            "group items": 'triples, ";" and "," items in one { } or [ ] group',
            "group patterns": "OPTIONAL, MINUS, FILTER, BIND, UNION, GRAPH, VALUES or { } in one group",
            "list items": "items in one ( ) list",
            "path steps": '"/" path steps or divisions',
            "alternatives": '"|" path alternatives',
            "unary chain": "prefix operators in a row",
        }
        note = notes.get(what, f'"{token.text}" operators')
        return _refuse(text, token.start, f"more than {limits[what]} {what} ({note}) are refused", where)

    for token in tokens:
        value = token.text
        if token.kind == "punct":
            if value in _OPEN:
                if value == "{":
                    stack[-1][1] += 1
                    if stack[-1][1] > limits["group patterns"]:
                        raise refuse(token, "group patterns")
                stack.append([0, 0])
                kinds.append(value)
                if len(stack) > MAX_DEPTH + 1:
                    raise _refuse(text, token.start, f"nesting deeper than {MAX_DEPTH} brackets is refused", where)
            elif value in ("}", ")", "]"):
                if len(stack) > 1:
                    stack.pop()
                    kinds.pop()
            elif value in (".", ";", ","):
                what = "list items" if kinds[-1] == "(" else "group items"
                stack[-1][0] += 1
                if stack[-1][0] > limits[what]:
                    raise refuse(token, what)
            key = None
            if value == "/":
                key = "path steps"
            elif value == "|":
                key = "alternatives"
            elif value in _BINARY:
                key = value
            if key is not None:
                totals[key] = totals.get(key, 0) + 1
                if totals[key] > limits.get(key, limits["operators"]):
                    raise refuse(token, key if key in limits else "operators")
            # A prefix operator follows an operator or an opening bracket, not a term.
            prefix = value in _PREFIX_OPERATORS and (
                previous == ""
                or previous in _PREFIX_OPERATORS
                or previous in _BINARY
                or previous in _OPEN
                or previous in (",", "|", "/")
            )
            run = run + 1 if prefix else 0
            if run > limits["unary chain"]:
                raise refuse(token, "unary chain")
        else:
            run = 0
            if token.kind == "word" and value.upper() in _GROUP_WORDS:
                stack[-1][1] += 1
                if stack[-1][1] > limits["group patterns"]:
                    raise refuse(token, "group patterns")
        previous = value if token.kind == "punct" else "term"


def _check_syntax(text: str, where: str) -> None:
    """Let pyoxigraph parse the text; its message "error at L:C: …" becomes ours with the name."""
    import pyoxigraph

    try:
        # An empty store: parsing happens here, evaluation (lazy for SELECT/CONSTRUCT) meets no data.
        pyoxigraph.Store().query(text)
    except SyntaxError as exc:
        message = str(exc)
        found = re.match(r"error at (\d+):(\d+): (.*)", message, re.DOTALL)
        if found:
            line, column, rest = found.groups()
            rest = " ".join(rest.split())  # one line, like every other message
            if len(rest) > 300:
                rest = rest[:300] + "…"
            raise XjkgError(f"{where}: line {line}, column {column}: syntax error: {rest}", EXIT_BAD_INPUT) from None
        raise XjkgError(f"{where}: syntax error: {message}", EXIT_BAD_INPUT) from None


def insert_values(text: str, values_block: str) -> str:
    """Put ``values_block`` (``VALUES (?a) { (…) }``) first inside the query's WHERE group.

    There the parameters are bound before any join, filter or aggregate (a trailing VALUES would
    come after GROUP BY).

    >>> insert_values("SELECT ?x WHERE { ?x ?p ?o }", "VALUES ?x { <http://a> }")
    'SELECT ?x WHERE { VALUES ?x { <http://a> } ?x ?p ?o }'
    """
    cut = _cuts.get(text)
    if cut is None:
        cut = _values_cut(text)
        _cuts.put(text, cut)
    assert isinstance(cut, int)
    return f"{text[:cut]} {values_block}{text[cut:]}"


def _values_cut(text: str) -> int:
    """The offset just after the ``{`` that opens the WHERE group."""
    tokens = tokenize(text)
    depth = 0
    top_braces: list[Token] = []
    where_seen = False
    form = next((t.text.upper() for t in tokens if t.kind == "word" and t.text.upper() in _FORMS), "SELECT")
    for token in tokens:
        if depth == 0 and token.kind == "word" and token.text.upper() == "WHERE":
            where_seen = True
        if token.text in _OPEN:
            if depth == 0 and token.text == "{":
                top_braces.append(token)
                if where_seen:
                    break
            depth += 1
        elif token.text in ("}", ")", "]"):
            depth -= 1
    if where_seen:
        brace = top_braces[-1]
    elif form == "CONSTRUCT" and len(top_braces) > 1:
        brace = top_braces[1]
    elif top_braces:
        brace = top_braces[0]
    else:
        raise XjkgError("query: no WHERE group to bind the parameters in", EXIT_BAD_INPUT)
    return brace.start + 1
