"""IRIs given on the command line (``--base-url``, ``--endpoint-url``, ``--base``) checked before use.

They end up in ``catalog.ttl``, in HTML pages and in the Host check, so a value must be an absolute
IRI that RDF accepts (RFC 3987, as pyoxigraph parses it: no quotes, angle brackets, spaces or braces)
with the scheme http or https, a host and no user name or password (it would be published).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pyoxigraph as ox

from xjkg.core.errors import EXIT_BAD_INPUT, XjkgError

__all__ = ["check_base_iri", "check_http_iri"]


def _printable(text: str) -> str:
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _shown(value: str) -> str:
    # The value may hold anything (line breaks, escapes): quoted with repr, shortened, one line.
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def check_http_iri(value: str, option: str, *, folder: bool = False) -> str:
    """``value`` if it is an absolute http(s) IRI valid in RDF; otherwise an XjkgError (exit 2) naming ``option``.

    ``folder=True`` also asks for a trailing ``/`` (files are published under it).

    >>> check_http_iri("https://example.org/sparql", "--endpoint-url")
    'https://example.org/sparql'
    >>> check_http_iri("javascript:alert(1)", "--endpoint-url")
    Traceback (most recent call last):
    xjkg.core.errors.XjkgError: --endpoint-url 'javascript:alert(1)': give an absolute http(s) IRI, ...
    """
    problem = _problem(value)
    if problem is None and folder and not value.endswith("/"):
        problem = "it must end with '/'"
    if problem is not None:
        example = "https://example.org/xjkg/" if folder else "https://example.org/sparql"
        raise XjkgError(
            f"{option} {_shown(value)}: give an absolute http(s) IRI, such as {example} ({problem})", EXIT_BAD_INPUT
        )
    return value


def check_base_iri(value: str, option: str = "--base") -> str:
    """``value`` if it is an absolute IRI RDF accepts, any scheme (relative IRIs are resolved against it)."""
    try:
        ox.NamedNode(value)
    except ValueError as exc:
        raise XjkgError(f"{option} {_shown(value)}: not a valid IRI ({_printable(str(exc))})", EXIT_BAD_INPUT) from None
    if ":" not in value or not value.split(":", 1)[0].isascii():
        raise XjkgError(f"{option} {_shown(value)}: give an absolute IRI, such as https://example.org/data/")
    return value


def _problem(value: str) -> str | None:
    try:
        ox.NamedNode(value)
    except ValueError as exc:
        return f"not a valid IRI: {_printable(str(exc))}"
    try:
        parts = urlsplit(value)
        port = parts.port  # raises on a port that is not a number
    except ValueError as exc:
        return f"not a valid IRI: {_printable(str(exc))}"
    del port
    if parts.scheme.lower() not in ("http", "https"):
        return "the scheme must be http or https"
    if not value.lower().startswith(f"{parts.scheme.lower()}://") or not parts.hostname:
        return "it has no host"
    if parts.username is not None or parts.password is not None:
        return "a user name or password would be published"
    if parts.fragment or "#" in value:
        return "it must not hold a fragment (#)"
    return None
