"""Real triple stores on loopback ports, with throw-away databases: the tests use them, and so can you.

    .venv/bin/python tests/stores.py virtuoso      # starts Virtuoso 7 (Debian's virtuoso-opensource),
    .venv/bin/python tests/stores.py oxigraph      # or Oxigraph server; loads data/xjkg.ttl with `xjkg load`,
                                                   # prints the commands to query it, stops on Ctrl-C

The database lives in a temporary folder that is removed when the store stops. Virtuoso runs as
``virtuoso-t +foreground +configfile INI`` with its SQL and HTTP ports on free loopback ports and the
fresh database's ``dba``/``dba`` account; its writable Graph Store endpoint is ``/sparql-graph-crud-auth``
(HTTP digest). Oxigraph server runs ``oxigraph serve --location DIR --bind 127.0.0.1:PORT``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["GRAPH_IRI", "Store", "StoreUnavailableError", "running", "start_oxigraph", "start_virtuoso"]

#: The named graph the stores are loaded into (Virtuoso keeps its own system graphs beside it).
GRAPH_IRI = "https://w3id.org/xjkg/graph/data"
VIRTUOSO = shutil.which("virtuoso-t") or "/usr/bin/virtuoso-t"
_START_TIMEOUT = 60.0


class StoreUnavailableError(RuntimeError):
    """The store's program is not installed here (the tests skip, saying so)."""


@dataclass
class Store:
    """A running store: where to load (Graph Store Protocol) and where to query, and how to stop it."""

    name: str
    query_url: str
    store_url: str
    process: subprocess.Popen[bytes]
    folder: Path
    user: str | None = None
    password: str | None = None
    log: Path | None = None
    load_args: list[str] = field(default_factory=list)
    query_args: list[str] = field(default_factory=list)

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL) and remove its database folder."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        shutil.rmtree(self.folder, ignore_errors=True)


def _libc() -> object | None:
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


_LIBC: object | None = _libc()  # loaded here: the child of a fork should only call into it


def _die_with_parent() -> None:
    """In the child: on Linux, be sent SIGTERM when the process that started us dies (even by SIGKILL)."""
    if _LIBC is not None:
        _LIBC.prctl(1, signal.SIGTERM)  # type: ignore[attr-defined]  # PR_SET_PDEATHSIG


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_http(url: str, process: subprocess.Popen[bytes], what: str, log: Path | None = None) -> None:
    deadline = time.monotonic() + _START_TIMEOUT
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                answer.read()
                return
        except urllib.error.HTTPError:
            return  # it answers: up
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            said = ""
            if log is not None and log.is_file():
                said = ": " + " | ".join(log.read_text(errors="replace").splitlines()[-5:])
            raise RuntimeError(f"{what} did not start{said}")
        time.sleep(0.2)  # polling a port that is not open yet, under a deadline


_VIRTUOSO_INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = {d}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
ServerThreads = 4
MaxKeepAlives = 4
Charset = UTF-8
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime = 60
"""


def start_virtuoso(folder: Path | None = None) -> Store:
    """Virtuoso 7 on free loopback ports with a fresh database in ``folder`` (a new temp folder by default)."""
    if not Path(VIRTUOSO).is_file():
        raise StoreUnavailableError(f"{VIRTUOSO} is not installed (Debian: apt-get install virtuoso-opensource)")
    folder = Path(folder or tempfile.mkdtemp(prefix="xjkg-virtuoso-"))
    sql, http = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(_VIRTUOSO_INI.format(d=folder, sql=sql, http=http), encoding="utf-8")
    process = subprocess.Popen(
        [VIRTUOSO, "+foreground", "+configfile", str(ini)],
        cwd=folder,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # Ctrl-C in a terminal reaches us, and we stop it in order
        preexec_fn=_die_with_parent,
    )
    base = f"http://127.0.0.1:{http}"
    store = Store(
        name="virtuoso",
        query_url=f"{base}/sparql",
        store_url=f"{base}/sparql-graph-crud-auth",
        process=process,
        folder=folder,
        user="dba",
        password="dba",
        log=folder / "virtuoso.log",
        load_args=["--user", "dba", "--graph", GRAPH_IRI],
        query_args=["--default-graph", GRAPH_IRI],
    )
    try:
        _wait_http(f"{base}/sparql?query=ASK%7B%7D", process, "Virtuoso", store.log)
    except BaseException:
        store.stop()
        raise
    return store


def start_oxigraph(folder: Path | None = None) -> Store:
    """Oxigraph server (pip package ``oxigraph``) on a free loopback port, its store in ``folder``."""
    program = Path(sys.executable).with_name("oxigraph")
    if not program.is_file():
        found = shutil.which("oxigraph")
        if found is None:
            raise StoreUnavailableError("the oxigraph server is not installed (pip install oxigraph)")
        program = Path(found)
    folder = Path(folder or tempfile.mkdtemp(prefix="xjkg-oxigraph-"))
    port = free_port()
    process = subprocess.Popen(
        [str(program), "serve", "--location", str(folder / "store"), "--bind", f"127.0.0.1:{port}"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        preexec_fn=_die_with_parent,
    )
    base = f"http://127.0.0.1:{port}"
    store = Store("oxigraph", f"{base}/query", f"{base}/store", process, folder)
    try:
        _wait_http(f"{base}/query?query=ASK%7B%7D", process, "Oxigraph server")
    except BaseException:
        store.stop()
        raise
    return store


STARTERS = {"virtuoso": start_virtuoso, "oxigraph": start_oxigraph}


@contextlib.contextmanager
def running(name: str) -> Iterator[Store]:
    """The store ``name`` (virtuoso | oxigraph) while the block runs; stopped and removed after, even on error."""
    store = STARTERS[name]()
    try:
        yield store
    finally:
        store.stop()


def load_command(store: Store, graph_file: Path | None = None) -> list[str]:
    """The ``xjkg load`` arguments that fill ``store`` (the password comes from XJKG_ENDPOINT_PASSWORD)."""
    args = ["load", "--endpoint", store.store_url, *store.load_args]
    return args + (["--file", str(graph_file)] if graph_file else [])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", choices=sorted(STARTERS))
    parser.add_argument("--no-load", action="store_true", help="start the store empty")
    args = parser.parse_args(argv)
    xjkg = str(Path(sys.executable).with_name("xjkg"))
    try:
        store = STARTERS[args.store]()
    except (StoreUnavailableError, RuntimeError) as exc:
        print(f"stores.py: {exc}", file=sys.stderr)
        return 3
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started with SIGINT ignored
    env = dict(os.environ)
    if store.password:
        env["XJKG_ENDPOINT_PASSWORD"] = store.password
    try:
        if not args.no_load:
            subprocess.run([xjkg, *load_command(store)], env=env, check=True)
        pw = f"XJKG_ENDPOINT_PASSWORD={store.password} " if store.password else ""
        print(f"{store.name} is running; its database is in {store.folder} (removed on exit)")
        print(f"  load:   {pw}xjkg load --endpoint {store.store_url} {' '.join(store.load_args)}")
        print(f"  query:  xjkg query consistency --endpoint {store.query_url} {' '.join(store.query_args)}")
        print("Ctrl-C stops it.", flush=True)
        while store.process.poll() is None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                store.process.wait(3600)
        return 3
    except (KeyboardInterrupt, SystemExit):
        return 0
    except subprocess.CalledProcessError as exc:
        return exc.returncode
    finally:
        store.stop()


if __name__ == "__main__":
    sys.exit(main())
