"""A persistent pyoxigraph store per graph file, so that a repeated ``xjkg query`` on a big, unchanged graph
opens an index on disk instead of parsing the Turtle again.

Where: ``$XJKG_CACHE_DIR``, else ``$XDG_CACHE_HOME/xjkg``, else ``~/.cache/xjkg`` (never beside the
user's file, never in ``data/``). Inside: ``stores/<sha256 of the file>-ox<pyoxigraph version>-g1/`` holds a
RocksDB store (the file's triples as its default graph, each report's statements again as the report's named
graph: :func:`xjkg.core.report_graphs.add_report_graphs`), and ``files/<sha256 of the file's real path>.json``
remembers the file's last seen identity (device, inode, size, modification and change times) and checksum, so an
unchanged file is not hashed again.

Invalidation: the store is named by the file's SHA-256; any change of the file's identity means hashing it
again, and a new content means a new store. A change that keeps size and both times is impossible
without root (the change time cannot be set back). The superseded store of that file is removed.

Concurrency: a store is built under a lock (:mod:`filelock`) in a temporary folder and published by one
``rename``; a second process waits on the lock and then opens the published store. Stores are opened
read-only (queries cannot write). If the file changes while its store is built, the store is not
published and the caller reads the file directly.

Small files (under :data:`MIN_BYTES`) are not cached: parsing them is as quick as opening a store.
``XJKG_STORE_CACHE=0`` (``xjkg query --no-cache``) turns the cache off.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import shutil
import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from xjkg.core.child import address_space
from xjkg.core.report_graphs import add_report_graphs

__all__ = ["MIN_BYTES", "cache_dir", "cache_enabled", "open_graph"]

#: Files smaller than this are parsed, not cached (a 100k-triple Turtle file is ~6 MB; 8k triples ~0.6 MB).
MIN_BYTES = 2 * 1024 * 1024
_ENV_DIR = "XJKG_CACHE_DIR"
_ENV_SWITCH = "XJKG_STORE_CACHE"  # "0" turns the store cache off (inherited by the query worker)
_ENV_MIN = "XJKG_STORE_CACHE_MIN_BYTES"
_LAYOUT = "g1"  # what a store holds beyond the file: g1 = each report's named graph (a new value, a new store)
_DONE = "xjkg-store-complete"  # written last into a store folder before it is published


def cache_dir() -> Path:
    """The cache folder: ``$XJKG_CACHE_DIR``, else ``$XDG_CACHE_HOME/xjkg``, else ``~/.cache/xjkg``."""
    explicit = os.environ.get(_ENV_DIR)
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base / "xjkg"


def cache_enabled() -> bool:
    """False when ``XJKG_STORE_CACHE=0`` (``--no-cache``)."""
    return os.environ.get(_ENV_SWITCH, "1").strip().lower() not in ("0", "no", "false", "off")


def _min_bytes() -> int:
    try:
        return int(os.environ.get(_ENV_MIN, MIN_BYTES))
    except ValueError:
        return MIN_BYTES


def open_graph(
    graph_file: str | os.PathLike[str],
    *,
    cache: Path | None = None,
    min_bytes: int | None = None,
    report_graphs: bool = True,
) -> tuple[Any, int]:
    """A pyoxigraph store holding ``graph_file`` (Turtle), and its number of triples: the cached store
    (built if needed) or a fresh one in memory. (Counting a store on disk walks it, so the count is kept
    beside the store.)

    A cached store holds each report's statements as its named graph too (built with it, once per file); a
    store in memory gets them now, or with ``report_graphs=False`` not at all (the query worker adds them when
    a query first needs them, :func:`xjkg.core.report_graphs.add_report_graphs`: most queries do not).

    Errors of the file itself (missing, bad Turtle) raise as :meth:`pyoxigraph.Store.bulk_load` raises
    them (OSError, SyntaxError, ValueError); a cache that cannot be used (read-only home, full disk) is
    skipped and the file is parsed into memory.
    """
    stat = os.stat(graph_file)
    limit = _min_bytes() if min_bytes is None else min_bytes
    if not cache_enabled() or stat.st_size < limit:
        return _in_memory(os.fspath(graph_file), stat.st_size, report_graphs)

    path = Path(graph_file)
    root = cache if cache is not None else cache_dir()
    try:
        found = _cached(path, stat, root, ox)
    except (OSError, RuntimeError, ValueError):  # the cache is unusable here (permissions, disk): never fatal
        found = None
    return found if found is not None else _in_memory(str(path), path.stat().st_size, report_graphs)


def _in_memory(path: str, size: int, report_graphs: bool) -> tuple[Any, int]:

    store = ox.Store()
    if size < MIN_BYTES and not _room_for_bulk_load():
        # The bulk loader reserves a 200 MB buffer first, which a tight memory cap (serve --worker-memory 256)
        # does not allow; for a small file the plain loader is only a little slower.
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    else:
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
    triples = len(store)  # the graph's own triples, before its statements are copied into report graphs
    if report_graphs:
        add_report_graphs(store)
    return store, triples


_BULK_ROOM = 1024 * 1024 * 1024  # address space left under the cap for the bulk loader's buffers and threads


def _room_for_bulk_load() -> bool:
    """Whether this process's address-space limit, if any, leaves the bulk loader room."""
    soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
    return soft == resource.RLIM_INFINITY or soft - address_space() > _BULK_ROOM


def _identity(stat: os.stat_result) -> list[int]:
    return [stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns]


def _checksum(path: Path, identity: list[int], index: Path) -> str:
    """The file's SHA-256, from the index when the file's identity is unchanged."""
    with contextlib.suppress(OSError, ValueError):
        known = json.loads(index.read_text(encoding="utf-8"))
        if known.get("identity") == identity and isinstance(known.get("sha256"), str):
            return str(known["sha256"])
    import hashlib  # as in _cached

    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _cached(path: Path, stat: os.stat_result, root: Path, ox: Any) -> tuple[Any, int] | None:
    import hashlib  # here, not at the top: OpenSSL's start-up would cost every small graph's query

    real = os.path.realpath(path)
    index = root / "files" / (hashlib.sha256(real.encode("utf-8", "surrogateescape")).hexdigest() + ".json")
    identity = _identity(stat)
    sha = _checksum(path, identity, index)
    version = getattr(ox, "__version__", "0")
    name = f"{sha}-ox{version}-{_LAYOUT}"
    stores = root / "stores"
    final = stores / name
    stores.mkdir(parents=True, exist_ok=True)
    index.parent.mkdir(parents=True, exist_ok=True)
    if not (final / _DONE).is_file():
        from filelock import FileLock  # only to build: a reopening takes no lock, so it need not import it

        with FileLock(str(stores / (name + ".lock")), timeout=600):
            # another process may have built it while we waited for the lock
            if not (final / _DONE).is_file() and not _build(path, identity, stores, final, ox):
                return None
    previous = _read_index(index)
    _write_index(index, {"path": real, "identity": identity, "sha256": sha, "store": name})
    if previous and previous != name:
        _remove_superseded(stores, previous, root)
    triples = json.loads((final / _DONE).read_text(encoding="utf-8"))["triples"]
    return ox.Store.read_only(str(final)), int(triples)


def _build(path: Path, identity: list[int], stores: Path, final: Path, ox: Any) -> bool:
    """Bulk-load the file into a new store folder and publish it by rename; False if the file changed meanwhile."""
    temporary = stores / f"{final.name}.tmp-{os.getpid()}-{time.monotonic_ns()}"
    try:
        store = ox.Store(str(temporary))
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
        triples = len(store)
        add_report_graphs(store, ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
        store.flush()
        del store  # closes the database before it is renamed
        if _identity(path.stat()) != identity:  # written to while we read it: not what we hashed
            return False
        (temporary / _DONE).write_text(json.dumps({"file": str(path), "triples": triples}), encoding="utf-8")
        if final.exists():  # an unfinished folder from a killed run (no completion mark)
            shutil.rmtree(final)
        os.rename(temporary, final)
        return True
    finally:
        if temporary.exists():
            shutil.rmtree(temporary, ignore_errors=True)


def _read_index(index: Path) -> str | None:

    try:
        found = json.loads(index.read_text(encoding="utf-8")).get("store")
    except (OSError, ValueError, AttributeError):
        return None
    return found if isinstance(found, str) else None


def _write_index(index: Path, entry: dict[str, Any]) -> None:

    temporary = index.with_name(f"{index.name}.tmp-{os.getpid()}")
    temporary.write_text(json.dumps(entry), encoding="utf-8")
    os.replace(temporary, index)


def _remove_superseded(stores: Path, name: str, root: Path) -> None:
    """Remove a store no file's index names any more (its file changed); kept if another path uses it."""
    from filelock import FileLock  # as in _build: only when a store is replaced

    for other in (root / "files").glob("*.json"):
        if _read_index(other) == name:
            return
    with FileLock(str(stores / (name + ".lock")), timeout=600):  # the lock file stays: others may wait on it
        shutil.rmtree(stores / name, ignore_errors=True)
