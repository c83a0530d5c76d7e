"""The W3C SPARQL 1.1 Protocol suite (``shared/w3c/sparql/sparql11/protocol/``) against ``xjkg serve``.

Each test's requests are sent as the manifest describes them (method, path and query string, headers,
body in its encoding) to a real server on 127.0.0.1, and the expected status class, result format and
boolean are checked. ``xjkg serve`` is read-only: the update tests are answered as such a service must
(403, and a following query shows the data unchanged). Tests we cannot pass are listed with the reason
in ``known_failures/w3c_protocol.tsv`` and run as strict xfails.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection

from conftest import known_failures, shared_dir
from server_graph import LiveServer, live_server, write_fixture

pytestmark = [
    pytest.mark.server,
    pytest.mark.slow,
]  # each test takes seconds (./dev test-fast leaves them to ./dev test)

SUITE = "w3c/sparql/sparql11/protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
RESULT_TYPES = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated",
)
RDF_TYPES = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml",
             "application/ld+json": "json-ld"}  # fmt: skip


@dataclass(frozen=True)
class Step:
    """One HTTP request of a test and what its response must be."""

    method: str
    path: str
    headers: tuple[tuple[str, str], ...]
    body: bytes | None
    statuses: frozenset[int]  # status classes: 2, 3, 4
    expected_format: str | None
    expected_boolean: bool | None


@dataclass(frozen=True)
class ProtocolTest:
    name: str
    title: str
    steps: tuple[Step, ...]

    @property
    def is_update(self) -> bool:
        """An update test that a conforming read-write service answers with 2xx."""
        first = self.steps[0]
        content_type = dict(first.headers).get("content-type", "")
        return self.name.startswith("update_") and (
            content_type == "application/sparql-update" or (first.body or b"").startswith(b"update=")
        )


def _steps(graph: Graph, action: URIRef) -> tuple[Step, ...]:
    requests = Collection(graph, graph.value(action, HT.requests))
    steps = []
    for request in requests:
        headers = []
        header_list = graph.value(request, HT.headers)
        if header_list is not None:
            for header in Collection(graph, header_list):
                headers.append((str(graph.value(header, HT.fieldName)), str(graph.value(header, HT.fieldValue))))
        body_node = graph.value(request, HT.body)
        body = None
        if body_node is not None:
            encoding = str(graph.value(body_node, CNT.characterEncoding) or "UTF-8")
            body = str(graph.value(body_node, CNT.chars)).encode(encoding.lower())
        response = graph.value(request, HT.resp)
        statuses = frozenset(int(str(s)[len(HTS)]) for s in graph.objects(response, MF.expectedStatus))
        expected_format = graph.value(response, MF.expectedFormat)
        expected_boolean = graph.value(response, MF.expectedBoolean)
        steps.append(
            Step(
                method=str(graph.value(request, HT.methodName)),
                path=str(graph.value(request, HT.absolutePath)),
                headers=tuple(headers),
                body=body,
                statuses=statuses,
                expected_format=str(expected_format) if expected_format is not None else None,
                expected_boolean=expected_boolean.toPython() if expected_boolean is not None else None,
            )
        )
    return tuple(steps)


def _load() -> list[ProtocolTest]:
    shared = shared_dir()
    if shared is None:
        return []
    manifest = shared / SUITE / "manifest.ttl"
    graph = Graph().parse(manifest, format="turtle")
    root = next(graph.subjects(MF.entries, None))
    tests = []
    for entry in Collection(graph, graph.value(root, MF.entries)):
        name = str(entry).rsplit("#", 1)[-1]
        tests.append(ProtocolTest(name, str(graph.value(entry, MF.name)), _steps(graph, graph.value(entry, MF.action))))
    return tests


TESTS = _load()
KNOWN = known_failures("w3c_protocol")


def _params() -> list[object]:
    if not TESTS:
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"../shared/{SUITE} is not available"))]
    return [
        pytest.param(
            t,
            id=t.name,
            marks=[pytest.mark.xfail(reason=KNOWN[t.name], strict=True)] if t.name in KNOWN else [],
        )
        for t in TESTS
    ]


@pytest.fixture(scope="module")
def server(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("w3c-protocol")
    graph_file, queries = write_fixture(folder)
    with live_server(graph_file, folder / "serve.log", queries=queries) as live:
        yield live


def _boolean(response: httpx.Response) -> bool:
    media = response.headers["content-type"]
    if "json" in media:
        value = json.loads(response.text)["boolean"]
        assert isinstance(value, bool)
        return value
    assert "xml" in media, media
    assert "<boolean>" in response.text
    return "<boolean>true</boolean>" in response.text


def _check(step: Step, response: httpx.Response, read_only_update: bool) -> None:
    where = f"{step.method} {step.path}: {response.status_code} {response.text[:200]!r}"
    if read_only_update:
        assert response.status_code == 403, where
        return
    assert response.status_code // 100 in step.statuses, where
    if step.expected_format == "boolean":
        answer = _boolean(response)
        if step.expected_boolean is not None:
            assert answer is step.expected_boolean, where
    elif step.expected_format == "tabular":
        assert response.headers["content-type"].startswith(RESULT_TYPES), where
    elif step.expected_format == "RDF":
        media = response.headers["content-type"].split(";")[0]
        assert media in RDF_TYPES, where
        Graph().parse(data=response.content, format=RDF_TYPES[media])


@pytest.mark.parametrize("test", _params())
def test_protocol(server: LiveServer, test: ProtocolTest) -> None:
    assert len(TESTS) == 34, "the manifest lists 34 tests"
    with httpx.Client(base_url=server.url.rstrip("/"), timeout=30) as client:
        for index, step in enumerate(test.steps):
            # The manifest's host is www.example; we talk to 127.0.0.1 (our Host check refuses others).
            response = client.request(step.method, step.path, headers=dict(step.headers), content=step.body)
            read_only_update = test.is_update and index == 0
            if test.is_update and index > 0:
                # The update was refused, so the query that checks its effect must find nothing.
                assert response.status_code == 200, response.text
                assert _boolean(response) is False
                continue
            _check(step, response, read_only_update)


def test_suite_counts() -> None:
    """The pass counts the README states: tests, listed exceptions, update tests answered read-only."""
    if not TESTS:
        pytest.skip(f"../shared/{SUITE} is not available")
    updates = [t for t in TESTS if t.is_update]
    assert (len(TESTS), len(updates), len(KNOWN)) == (34, 7, 6)
    assert set(KNOWN) <= {t.name for t in TESTS}
