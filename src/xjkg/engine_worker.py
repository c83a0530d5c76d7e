"""The query worker process of :class:`xjkg.engines.EmbeddedEngine`: ``python -m xjkg.engine_worker GRAPH``.

Kept apart from :mod:`xjkg.engines` so that a worker imports only pyoxigraph and the pipe protocol
(no rdflib, no result formats, no tokenizer): starting one is most of the cost of opening a small graph.
:class:`Channel` is the pipe protocol (length-prefixed pickles): ``multiprocessing.connection`` would
do the same but importing it costs more than the rest of the worker's start-up.
Queries reach it already checked by :func:`xjkg.sparql_safety.check_query`.
"""

from __future__ import annotations

import os
import pickle
import select
import struct
import sys
from typing import Any

__all__ = ["Channel", "evaluate", "ox_wire", "worker_main"]

_HEADER = struct.Struct("!Q")


class Channel:
    """One end of a pipe carrying pickled messages (both ends are ours: a worker and its engine)."""

    def __init__(self, fd: int) -> None:
        self.fd: int | None = fd

    @property
    def closed(self) -> bool:
        return self.fd is None

    def _fd(self) -> int:
        if self.fd is None:
            raise OSError("the channel is closed")
        return self.fd

    def send(self, message: object) -> None:
        fd = self._fd()
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(_HEADER.pack(len(data)) + data)
        while view:
            view = view[os.write(fd, view) :]

    def _read(self, size: int) -> bytes:
        fd = self._fd()
        chunks: list[bytes] = []
        while size:
            chunk = os.read(fd, min(size, 1 << 20))
            if not chunk:
                raise EOFError("the other end closed the channel")
            chunks.append(chunk)
            size -= len(chunk)
        return b"".join(chunks)

    def recv(self) -> Any:
        (size,) = _HEADER.unpack(self._read(_HEADER.size))
        return pickle.loads(self._read(size))

    def poll(self, timeout: float) -> bool:
        """Whether a message (or the end of the pipe) is there to read within ``timeout`` seconds."""
        poller = select.poll()  # not select.select: a server's descriptors can exceed FD_SETSIZE
        poller.register(self._fd(), select.POLLIN)
        return bool(poller.poll(max(0.0, timeout) * 1000))

    def close(self) -> None:
        if self.fd is not None:
            fd, self.fd = self.fd, None
            os.close(fd)


def ox_wire(term: Any) -> tuple[str, ...] | None:
    """A pyoxigraph term as a wire tuple (:data:`xjkg.results.WireTerm`)."""
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return ("bnode", term.value)
    if isinstance(term, ox.Literal):
        return ("literal", term.value, term.datatype.value, term.language or "")
    return ("literal", str(term), "", "")  # an RDF-star triple term: shown as text


def evaluate(store: Any, text: str, max_rows: int) -> tuple[Any, ...]:
    """Run one query in the worker; the answer is plain data (it crosses a pipe)."""
    import pyoxigraph as ox

    result = store.query(text)
    if isinstance(result, ox.QueryBoolean):
        return ("ASK", bool(result))
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows: list[list[tuple[str, ...] | None]] = []
        truncated = False
        for solution in result:
            if len(rows) >= max_rows:
                truncated = True
                break
            rows.append([ox_wire(solution[name]) for name in variables])
        return ("SELECT", variables, rows, truncated)
    triples: list[Any] = []
    truncated = False
    for triple in result:
        if len(triples) >= max_rows:
            truncated = True
            break
        triples.append(triple)
    return ("GRAPH", ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"", truncated)


def worker_main(requests: Channel, answers: Channel, graph_file: str) -> None:
    """Load the graph once, then answer queries until told to stop (``None``) or the pipe closes."""
    from .store_cache import open_graph

    try:
        store, triples = open_graph(graph_file)  # a persistent store for big files (issue 14), else in memory
    except (OSError, SyntaxError, ValueError) as exc:
        answers.send(("error", f"{graph_file}: {exc}"))
        return
    answers.send(("ready", triples))
    while True:
        try:
            request = requests.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        text, max_rows = request
        try:
            answer: tuple[Any, ...] = ("ok", evaluate(store, text, max_rows))
        except SyntaxError as exc:
            answer = ("syntax", str(exc))
        except Exception as exc:
            answer = ("error", f"{type(exc).__name__}: {exc}")
        answers.send(answer)


def _worker_process(graph_file: str) -> None:
    """Our channel is stdin/stdout; fd 1 then points at stderr (a stray print must not corrupt it)."""
    requests = Channel(os.dup(0))
    answers = Channel(os.dup(1))
    os.dup2(2, 1)
    worker_main(requests, answers, graph_file)


if __name__ == "__main__":
    _worker_process(sys.argv[1])
