"""The ``xjkg`` command: a thin layer over the library.

Each sub-command lives in the module that does the work, as ``configure_<name>(parser)`` and
``run_<name>(args) -> int``. Only the module of the command being run is imported, so that
``xjkg query`` does not pay for pyshacl's start-up.

Exit codes: 0 ok; 1 data does not conform or a check found rows; 2 bad input or usage; 3 the run
could not finish (endpoint unreachable, time limit, another run holds the lock).
"""

from __future__ import annotations

import os
import sys

from xjkg import __version__
from xjkg.core.errors import EXIT_BAD_INPUT, EXIT_FAILED, XjkgError

TYPE_CHECKING = False  # not typing's: importing typing costs a one-shot `xjkg query` more than its work
if TYPE_CHECKING:  # imported where used: `xjkg query` forks its worker before them (issue 14)
    import argparse
    from collections.abc import Callable
    from pathlib import Path
    from typing import Any

__all__ = ["COMMANDS", "QUERY_FORMATS", "build_parser", "main"]

#: The output formats of ``xjkg query --format`` (:func:`xjkg.query.stored.configure_query`).
QUERY_FORMATS = ("table", "csv", "tsv", "json", "xml", "md", "ttl", "nt", "jsonld", "turtle", "ntriples", "rdfxml")

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


def _configure(subparsers: argparse._SubParsersAction, name: str) -> None:
    import argparse
    import importlib

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
    """The argument parser; with ``only`` just that sub-command is configured (fast start-up)."""
    import argparse

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
    argv = list(sys.argv[1:] if argv is None else argv)
    command = next((a for a in argv if not a.startswith("-")), None)
    if command == "query":
        plain = _early_query_worker(argv)
        if plain is not None:
            code = _fast_query(plain)
            if code is not None:
                return code
    try:
        return _main(argv, command)
    finally:
        if command == "query":
            from xjkg.query.worker import discard

            discard()


#: The options of `xjkg query` with which its query worker can be forked before the arguments are parsed.
_EARLY_OPTIONS = {"-f", "--format", "-p", "--param", "--timeout", "--max-rows", "-o", "--output", "--data", "--corpus"}
_EARLY_FLAGS = {"-q", "--quiet", "-v", "--verbose"}


def _early_query_worker(argv: list[str]) -> dict[str, Any] | None:
    """Fork `xjkg query`'s worker now, so the graph loads while the rest of the command imports and parses
    its arguments (issue 14). Only for a plain command line on the graph: any other option (an endpoint,
    --no-cache, --help, an abbreviation) leaves the worker to be forked later, as without this.

    Returns the plain command line's options (each option's last value, ``-p`` all of them, ``args`` the
    words that are not options), or None when it is not one or the graph file is not there.
    """

    data: str | None = None  # the default graph, xjkg.core.paths.GRAPH_FILE, when no --data is given
    at = argv.index("query")
    options: dict[str, Any] = {"before": argv[:at], "args": [], "-p": [], "flags": set()}
    rest = argv[at + 1 :]
    index = 0
    while index < len(rest):
        arg = rest[index]
        name, equals, value = arg.partition("=")
        if arg in _EARLY_FLAGS:
            options["flags"].add(arg)
            index += 1
            continue
        if arg == "-" or not arg.startswith("-"):
            options["args"].append(arg)
            index += 1
            continue
        if name not in _EARLY_OPTIONS:
            return None
        if not equals:
            index += 1
            if index >= len(rest) or rest[index].startswith("-"):
                return None  # argparse decides what a value that looks like an option means
            value = rest[index]
        if name == "--data":
            data = value
        elif name == "--corpus":
            from xjkg.core.options import GRAPH_FILE_NAME  # pathlib: imported only with --corpus, before the fork

            data = os.path.join(value, GRAPH_FILE_NAME)
        short = {"--format": "-f", "--param": "-p", "--output": "-o"}.get(name, name)
        if short == "-p":
            options["-p"].append(value)
        else:
            options[short] = value
        index += 1
    if "--data" in options and "--corpus" in options:
        return None  # refused by the full parser (one or the other)
    if data is None:
        from xjkg.core.paths import GRAPH_FILE  # pathlib: imported only when needed, before the fork

        data = str(GRAPH_FILE)
    if not os.path.isfile(data):
        return None
    from xjkg.query.worker import prefork

    prefork(data)
    options["--data"] = data
    return options


def _fast_query(plain: dict[str, Any]) -> int | None:
    """A plain `xjkg query NAME_OR_FILE [-f F] [-p N=V]... [--timeout S] [--max-rows N] [-o FILE]` on the graph,
    done by the worker :func:`_early_query_worker` forked (:func:`xjkg.query.stored.run_job`): this process only
    waits, with the deadline, and writes the bytes. None when the line needs the full parser (a usage error,
    ``--help``, ``-v``, standard input, an option before the command): that path gives its messages."""

    from xjkg.query.worker import run_job

    if plain["before"] not in ([], ["-q"], ["--quiet"]) or len(plain["args"]) != 1 or plain["args"][0] == "-":
        return None
    if plain["flags"] - {"-q", "--quiet"}:
        return None  # -v logs what the full path logs
    fmt = plain.get("-f", "table")
    try:
        timeout = float(plain.get("--timeout", "30"))
        max_rows = int(plain.get("--max-rows", "10000"))
    except ValueError:
        return None
    if fmt not in QUERY_FORMATS or not 0 < timeout < float("inf") or max_rows <= 0:
        return None
    if plain["before"] or plain["flags"]:
        from xjkg.core.progress import set_quiet

        set_quiet(True)
    spec = plain["args"][0]

    def run() -> int | None:
        output = None
        if "-o" in plain:
            from xjkg.core.atomic import check_output_file

            output = check_output_file(plain["-o"])  # before the query runs: a refused name costs nothing
        job = {"query": spec, "params": plain["-p"], "format": fmt, "max_rows": max_rows}
        done = run_job(plain["--data"], job, timeout, lambda: _where(spec))
        if done is None:
            return None
        data, warnings = done
        for warning in warnings:
            print(f"xjkg query: warning: {warning}", file=sys.stderr)
        emit(output, data)
        return 0

    return _guarded("query", run)


def emit(output: Path | None, data: bytes) -> None:
    """Write a command's answer: into the file ``output`` (atomically), or to standard output."""
    if output is not None:
        from xjkg.core.atomic import atomic_write_bytes

        atomic_write_bytes(output, data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()


def _guarded(command: str | None, run: Callable[[], int | None]) -> int | None:
    """Run a command: an error a user can act on is one line and its exit code, never a traceback."""
    try:
        return run()
    except XjkgError as exc:
        print(f"xjkg {command}: error: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("xjkg: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `xjkg query ... | head` is not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # else flushing at exit fails again
        return 0


def _where(spec: str) -> str:
    """How a crash's message names the query, as :func:`xjkg.query.stored._resolve` names it."""
    import re
    from pathlib import Path

    from xjkg.core.paths import QUERIES_DIR

    if re.fullmatch(r"[a-z0-9][a-z0-9-]*", spec) and (QUERIES_DIR / f"{spec}.rq").is_file():
        return str(QUERIES_DIR / f"{spec}.rq")
    return str(Path(spec)) if Path(spec).is_file() else spec


def _main(argv: list[str], command: str | None) -> int:
    parser = build_parser(command if command in COMMANDS else None)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    import logging

    from xjkg.core.progress import set_quiet

    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="xjkg: %(message)s",
        stream=sys.stderr,
    )
    if args.quiet:
        set_quiet(True)
    run = getattr(args, "_run", None)
    if run is None:
        parser.print_help()
        return EXIT_BAD_INPUT
    return int(_guarded(command, lambda: int(run(args))) or 0)


if __name__ == "__main__":
    sys.exit(main())
