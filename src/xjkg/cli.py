"""The ``xjkg`` command: a thin layer over the library.

Each sub-command lives in the module that does the work, as ``configure_<name>(parser)`` and
``run_<name>(args) -> int``. Only the module of the command being run is imported (``xjkg query`` does not
load pySHACL, ``xjkg validate`` not the server), so each command starts with what it uses.

Exit codes: 0 ok; 1 data does not conform or a check found rows; 2 bad input or usage; 3 the run
could not finish (endpoint unreachable, time limit, memory limit, another run holds the lock).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import logging
import sys
from collections.abc import Callable

from xjkg import __version__
from xjkg.core.errors import EXIT_BAD_INPUT, EXIT_FAILED, XjkgError
from xjkg.core.output import guarded
from xjkg.core.progress import set_quiet

__all__ = ["COMMANDS", "build_parser", "main"]

#: name → (module, one-line help). The module defines configure_<name> and run_<name>.
COMMANDS: dict[str, tuple[str, str]] = {
    "build": ("xjkg.build.build", "build the graph from the report and write data/xjkg.ttl"),
    "coverage": ("xjkg.build.coverage", "list every quantity in the report body and what it became"),
    "validate": ("xjkg.validation.validate", "validate RDF files against the shapes"),
    "queries": ("xjkg.query.stored", "list the stored queries"),
    "query": ("xjkg.query.stored", "run a stored or ad-hoc SPARQL query"),
    "load": ("xjkg.query.remote", "put the graph into a SPARQL store over the Graph Store Protocol"),
    "export": ("xjkg.publish.export", "write the graph, ontology, shapes or metadata in any RDF format"),
    "release": ("xjkg.publish.release", "build, validate and write a release folder"),
    "docs": ("xjkg.publish.docs", "write HTML documentation of the ontology, shapes and queries"),
    "serve": ("xjkg.server", "serve the SPARQL endpoint, query API, resource pages and web page"),
    "report": (
        "xjkg.mapping.drafting",
        "add a report to the corpus with a draft mapping (new), or list the reports (list)",
    ),
}


def _configure(subparsers: argparse._SubParsersAction[argparse.ArgumentParser], name: str) -> None:
    module_name, help_text = COMMANDS[name]
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        # Said in --help and on running the command, never dropped: a broken install must show.
        why = f"cannot load {module_name} ({type(exc).__name__}: {exc}); reinstall xjkg"
        sub = subparsers.add_parser(name, help=f"{help_text} [UNAVAILABLE: {why}]", description=why)
        sub.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
        sub.set_defaults(_run=_unavailable(why))
        return
    sub = subparsers.add_parser(name, help=help_text, description=help_text)
    getattr(module, f"configure_{name}")(sub)
    sub.set_defaults(_run=getattr(module, f"run_{name}"))


def _unavailable(why: str) -> Callable[[argparse.Namespace], int]:
    def run(_args: argparse.Namespace) -> int:
        raise XjkgError(why, EXIT_FAILED)

    return run


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; with ``only`` just that sub-command is configured (its module alone imported)."""
    parser = argparse.ArgumentParser(
        prog="xjkg",
        description="A knowledge graph of poverty alleviation in Xinjiang, built from the 2009 IPRCC report.",
        epilog="Exit codes: 0 ok, 1 does not conform / check found rows, 2 bad input, 3 run failed.",
    )
    parser.add_argument("--version", action="version", version=f"xjkg {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress display on the terminal")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for name in [only] if only else COMMANDS:
        _configure(subparsers, name)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code.

    >>> main(["--version"])  # doctest: +SKIP
    """
    from_command_line = argv is None
    argv = list(sys.argv[1:] if argv is None else argv)
    command = next((a for a in argv if not a.startswith("-")), None)
    parser = build_parser(command if command in COMMANDS else None)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="xjkg: %(message)s",
        stream=sys.stderr,
    )
    if args.quiet:
        set_quiet(True)
    if from_command_line:
        # This process is the command, run once: what it has loaded so far (modules, classes, functions)
        # lives until it exits, so the collector stops walking it: in each collection, at exit, and in a
        # forked worker, whose collections would otherwise copy the pages it shares with this process.
        # (A caller passing ``argv``, a test or a notebook, keeps its collector as it was.)
        gc.freeze()
    run = getattr(args, "_run", None)
    if run is None:
        parser.print_help()
        return EXIT_BAD_INPUT
    return guarded(command, lambda: int(run(args)))


if __name__ == "__main__":
    sys.exit(main())
