"""Coverage-guided fuzzing of the RDF reader with atheris (libFuzzer): any bytes, only XjkgError.

    .venv/bin/python fuzz/fuzz_readers.py -atheris_runs=200000 fuzz/corpus/readers  (by hand; not in pytest)

The first byte picks the format; the rest is the file. rdflib's JSON-LD parser and our own checks are
Python, so atheris's coverage feedback steers into their branches; pyoxigraph (Rust) is not instrumented.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["xjkg", "rdflib.plugins.parsers.jsonld", "rdflib.plugins.shared"]):
    from xjkg.errors import XjkgError
    from xjkg.readers import read_rdf_text

FORMATS = ["turtle", "nt", "nquads", "trig", "json-ld", "xml"]


def one_input(data: bytes) -> None:
    if not data:
        return
    fmt = FORMATS[data[0] % len(FORMATS)]
    name = f"input.{fmt}"
    try:
        read_rdf_text(data[1:], fmt, name)
    except XjkgError as exc:
        if not exc.message.startswith(name) or "\n" in exc.message:
            raise AssertionError(f"badly formed message: {exc.message!r}") from None


def main() -> None:
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
