"""The command-line options several commands share: ``--corpus DIR``, ``--user``, ``--timeout``, ``--worker-memory``.

Commands that read the corpus itself (build, coverage, release, report) take the folder; commands that read
the graph built from it (query, validate, serve, export, docs) take the same folder and read ``DIR/xjkg.ttl``,
where ``xjkg build --corpus DIR`` writes it. The limits are those of a command that runs a user's text in a
killable child (:mod:`xjkg.core.bounded`, the query worker). Here, apart from the child's machinery, so that
the commands import only what they use.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

from xjkg.core import paths
from xjkg.core.errors import EXIT_BAD_INPUT, XjkgError
from xjkg.core.paths import DATA_DIR, GRAPH_FILE

if TYPE_CHECKING:
    import argparse

__all__ = [
    "DEFAULT_MEMORY_MB",
    "DEFAULT_TIMEOUT",
    "GRAPH_FILE_NAME",
    "PASSWORD_VARIABLE",
    "add_corpus_argument",
    "add_endpoint_options",
    "add_limit_arguments",
    "check_limits",
    "corpus_graph_file",
]

#: Where ``xjkg build`` writes a corpus's graph, inside the corpus folder.
GRAPH_FILE_NAME = "xjkg.ttl"


def add_corpus_argument(parser: argparse._ActionsContainer, *, graph: bool = False) -> None:
    """Add ``--corpus DIR``; ``graph=True`` for a command that reads the corpus's built graph."""
    what = (
        f"read the graph built from the corpus folder DIR (DIR/{GRAPH_FILE_NAME}, written by "
        f"`xjkg build --corpus DIR`; default: {GRAPH_FILE})"
        if graph
        else f"the corpus folder: vocab/, reports/<id>/ (default: the project's {DATA_DIR.name}/ folder)"
    )
    parser.add_argument("--corpus", type=Path, metavar="DIR", help=what)


def corpus_graph_file(corpus: Path | None, *, required: bool = True) -> Path:
    """The built graph of the corpus folder ``corpus`` (default: the project's graph).

    A folder that is not there, or (with ``required``) a corpus not built yet, is refused naming it and the
    command that builds it.

    >>> corpus_graph_file(None) == GRAPH_FILE
    True
    """
    if corpus is None:
        return paths.GRAPH_FILE  # read when called: tests point it elsewhere
    if not corpus.is_dir():
        raise XjkgError(f"{corpus}: --corpus names no folder", EXIT_BAD_INPUT)
    graph_file = corpus / GRAPH_FILE_NAME
    if required and not graph_file.is_file():
        raise XjkgError(
            f"{graph_file}: the corpus is not built yet; run `xjkg build --corpus {corpus}`", EXIT_BAD_INPUT
        )
    return graph_file


#: The environment variable holding the password for ``--user`` (never a command-line option).
PASSWORD_VARIABLE = "XJKG_ENDPOINT_PASSWORD"


def add_endpoint_options(parser: argparse.ArgumentParser) -> None:
    """``--user``: the account on the store (its password never on the command line); ``xjkg load`` and
    ``xjkg query --endpoint`` (:mod:`xjkg.query.remote_http` reads it)."""
    parser.add_argument(
        "--user",
        metavar="NAME",
        help=f"log in as NAME (HTTP basic or digest); the password comes from ${PASSWORD_VARIABLE} or ~/.netrc",
    )


# -- the limits of a command that runs untrusted work in a killable child (xjkg.core.bounded, the query worker)

DEFAULT_TIMEOUT = 30.0
#: As ``xjkg serve --worker-memory``: enough for a query on a million-triple graph, and far below a machine.
DEFAULT_MEMORY_MB = 2048
MIN_MEMORY_MB = 256  # below this a worker cannot load pyoxigraph and a graph


def add_limit_arguments(parser: argparse.ArgumentParser, *, what: str, timeout: float = DEFAULT_TIMEOUT) -> None:
    """``--timeout S`` and ``--worker-memory MB`` of a command that runs ``what`` in a killable worker."""
    parser.add_argument(
        "--timeout", type=float, default=timeout, metavar="S", help=f"time limit of {what} in seconds ({timeout:g})"
    )
    parser.add_argument(
        "--worker-memory",
        type=int,
        default=DEFAULT_MEMORY_MB,
        metavar="MB",
        help=f"memory {what} may take, in MB (default {DEFAULT_MEMORY_MB}; 0: no limit)",
    )


def check_limits(args: argparse.Namespace) -> None:
    """Refuse a time limit that is not a positive number and a memory limit too small to start a worker."""
    if not 0 < args.timeout < math.inf:  # NaN fails the comparison too
        raise XjkgError("--timeout must be a positive number of seconds", EXIT_BAD_INPUT)
    if args.worker_memory and args.worker_memory < MIN_MEMORY_MB:
        raise XjkgError(f"--worker-memory must be at least {MIN_MEMORY_MB} (MB), or 0 for no limit", EXIT_BAD_INPUT)
