"""Differential fuzzing of the query safety check (issue 8, part 4): what it accepts never reaches the network.

:func:`xjkg.core.sparql_safety.check_query` tokenises a query itself to refuse ``SERVICE`` and ``LOAD``
before pyoxigraph, which would run them, sees the text. Queries are assembled from tokens that could
hide a keyword from a tokenizer (strings, comments, IRIs, escapes, ``<`` comparisons, line ends);
every query the check accepts is then run on pyoxigraph with a listener on a loopback port as the
SERVICE target. The listener must never be called. (The test shows the listener does catch an
unchecked SERVICE, so it cannot pass vacuously.)
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from fuzzing import corpus_files, fuzz_settings
from xjkg.core.errors import XjkgError
from xjkg.core.sparql_safety import check_query

pytestmark = pytest.mark.slow  # each test takes seconds (./dev test-fast leaves them to ./dev test)


@dataclass
class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections it gets."""

    port: int
    calls: list[int] = field(default_factory=list)


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    found = Listener(server.getsockname()[1])

    def accept() -> None:
        while True:
            try:
                connection, _ = server.accept()
            except OSError:
                return
            found.calls.append(1)
            connection.close()

    threading.Thread(target=accept, daemon=True).start()
    yield found
    server.close()


def run_on_pyoxigraph(text: str) -> None:
    """Evaluate ``text`` on an empty store (what would happen if the check let it through)."""
    try:
        result = ox.Store().query(text)
        if not isinstance(result, ox.QueryBoolean):
            list(result)
    except (OSError, SyntaxError, ValueError, RuntimeError):
        pass


def test_the_listener_catches_an_unchecked_service(listener: Listener) -> None:
    before = len(listener.calls)
    run_on_pyoxigraph(f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/s> {{ ?s ?p ?o }} }}")
    assert len(listener.calls) > before, "pyoxigraph did not call the listener: this test would prove nothing"


# Pieces that break a query's structure, spliced in anywhere.
PIECES = [
    "SELECT", "*", "WHERE", "{", "}", "?s", "SERVICE", "service", "SILENT", "#", "\n", "\r", '"', "'", '"""', "'''",
    "<", ">", "\\", "\\u0053", "\\U00000053", "FILTER(", ")", "?a<?b", "&&", "?c>?d", "LOAD", ".", ";", "(", "[",
    "]", "<x:", "x:y>", "\t", "\u00a0", "\ufeff", "\u2028", "\u0085", "ex:SERVICE", "_:b",
]  # fmt: skip
TEMPLATES = ["SELECT * WHERE {{ {} }}", "ASK {{ ?s ?p ?o {} }}", "CONSTRUCT WHERE {{ {} }}", "{}"]
# Well-formed group members, with SERVICE where a tokenizer could lose track of strings, comments and
# IRIs. "@" stands for the listener's IRI.
CLAUSES = [
    "?s ?p ?o .",
    "OPTIONAL { ?s ?p ?o }",
    "{ ?s ?p ?o } UNION { ?s ?p ?o }",
    "VALUES ?v { 1 2 }",
    "FILTER(?a<?b&&?c>?d)",
    'FILTER(?o != "} SERVICE @ { }")',
    "FILTER(?o != '#')",
    "FILTER(?o != '''SERVICE @ {}''')",
    'FILTER(?o != """\\"SERVICE""")',
    "# SERVICE @ { }\n",
    "# a comment\r",
    "# a comment\u2028",
    "FILTER(?o = @)",
    "FILTER(ISIRI(<x:SERVICE>))",
    "SERVICE @ { ?s ?p ?o }",
    "SERVICE SILENT @ { }",
    "SERVICE@{}",
    "sErViCe ?s { }",
    "GRAPH ?g { ?s ?p ?o }",
    "MINUS { ?s ?p ?o }",
]


@fuzz_settings(300)
@given(data=st.data(), template=st.sampled_from(TEMPLATES), glue=st.sampled_from([" ", "", "\n", "\r"]))
def test_an_accepted_query_never_reaches_the_network(
    listener: Listener, data: st.DataObject, template: str, glue: str
) -> None:
    iri = f"<http://127.0.0.1:{listener.port}/s>"
    clauses = [clause.replace("@", iri) for clause in CLAUSES]
    body = data.draw(st.lists(st.sampled_from(clauses), max_size=6), label="clauses")
    for _ in range(data.draw(st.integers(0, 2), label="odd pieces")):  # a breaker or two, anywhere
        body.insert(data.draw(st.integers(0, len(body))), data.draw(st.sampled_from([*PIECES, iri])))
    accepted = check_one(listener, template.format(glue.join(body)))
    event("accepted, then run on pyoxigraph" if accepted else "refused")


def check_one(listener: Listener, text: str) -> bool:
    """Refused by the check (False), or run on pyoxigraph without a call to the listener (True)."""
    try:
        check_query(text)
    except XjkgError:
        return False
    before = len(listener.calls)
    run_on_pyoxigraph(text)
    assert len(listener.calls) == before, f"check_query accepted a query that reached the network: {text!r}"
    return True


@pytest.mark.parametrize("path", corpus_files("sparql"), ids=lambda p: p.name)
def test_corpus(listener: Listener, path: Path) -> None:
    """Kept queries (``@`` is the listener's IRI): each once got past the check and reached the network."""
    text = path.read_bytes().decode("utf-8").replace("@", f"<http://127.0.0.1:{listener.port}/s>")
    with pytest.raises(XjkgError, match="SERVICE is refused"):
        check_query(text)
    assert not check_one(listener, text)


def test_the_fast_spelling_of_the_high_characters_is_the_plain_one() -> None:
    """The tokenizer spells ``[\\u00c0-\\uffff]`` as a complement (quick to compile, issue 14): every code
    point, and every token of the hostile corpus and the stored queries, comes out as with the plain spelling."""
    import re

    from xjkg.core import sparql_safety
    from xjkg.core.paths import QUERIES_DIR

    fast, plain = re.compile(sparql_safety.HIGH_CHARS), re.compile(r"[\u00c0-\uffff]")
    differ = [c for c in range(0x110000) if bool(fast.fullmatch(chr(c))) != bool(plain.fullmatch(chr(c)))]
    assert differ == []
    source, flags = sparql_safety._TOKEN_SOURCE
    assert sparql_safety.HIGH_CHARS in source
    slow = re.compile(source.replace(sparql_safety.HIGH_CHARS, r"[\u00c0-\uffff]"), flags)
    quick = sparql_safety._token_pattern()
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(QUERIES_DIR.glob("*.rq"))]
    texts += [p.read_text(encoding="utf-8", errors="replace") for p in corpus_files("sparql")]
    texts.append("PREFIX é:<x> SELECT * { é:ÿ\u00c0\uffff é:a\U00010000 _:bÀ ?v€ ; é\U0001f600:x }")
    assert len(texts) > 10
    for text in texts:
        assert [m.group() for m in quick.finditer(text)] == [m.group() for m in slow.finditer(text)]
        assert [m.lastgroup for m in quick.finditer(text)] == [m.lastgroup for m in slow.finditer(text)]
