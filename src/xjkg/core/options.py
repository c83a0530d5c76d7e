"""``--corpus DIR``: the one command-line option every command that reads a corpus, or its built graph, shares.

Commands that read the corpus itself (build, coverage, release, report) take the folder; commands that read
the graph built from it (query, validate, serve, export, docs) take the same folder and read ``DIR/xjkg.ttl``,
where ``xjkg build --corpus DIR`` writes it. Light on imports: ``xjkg query`` configures it on its fast path.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from xjkg.core import paths
from xjkg.core.errors import EXIT_BAD_INPUT, XjkgError
from xjkg.core.paths import DATA_DIR, GRAPH_FILE

if TYPE_CHECKING:
    import argparse

__all__ = ["GRAPH_FILE_NAME", "add_corpus_argument", "corpus_graph_file"]

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
