"""HTTP for remote stores: one deadline for a whole exchange, credentials that stay secret.

:func:`remote` checks a store's URL and finds its credentials (``--user`` with the password from
``XJKG_ENDPOINT_PASSWORD`` or ``~/.netrc``, or the URL's own); :func:`exchange` sends one request with
httpx (basic or digest, whichever the store asks for) over a deadline-aware httpcore network backend, so
connecting, sending, the headers and the body all share one deadline. What is sent and how an answer is
read as SPARQL results or RDF is :mod:`xjkg.query.remote`.
"""

from __future__ import annotations

import logging
import netrc
import os
import re
import socket
import time
import urllib.parse
from collections.abc import Generator, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xjkg.core.errors import EXIT_BAD_INPUT, EXIT_FAILED, XjkgError
from xjkg.core.options import PASSWORD_VARIABLE, add_endpoint_options

if TYPE_CHECKING:
    import httpx

__all__ = [
    "PASSWORD_VARIABLE",
    "Answer",
    "MalformedError",
    "Remote",
    "add_endpoint_options",
    "exchange",
    "refusal",
    "remote",
    "store_words",
]

log = logging.getLogger(__name__)

_MAX_HEADERS = 100  # as Python's http.client: more is a broken or hostile server
_MAX_SAID = 300  # characters of a store's own error text in our message
_MAX_BODY = 512 * 1024 * 1024  # bytes of an answer we keep (as `--max-bytes` for files)


class MalformedError(Exception):
    """The store's answer is not what the protocol promises."""


# -- who and where --------------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class Remote:
    """A store's URL without user information, how to show it, and the credentials to send."""

    url: str
    shown: str
    user: str | None = None
    password: str | None = None

    def __repr__(self) -> str:  # the password never reaches a log or a traceback
        return f"Remote({self.shown!r}, user={self.user!r})"


def _netrc_password(host: str, user: str) -> str | None:
    path = Path(os.environ.get("NETRC") or Path.home() / ".netrc")
    if not path.is_file():
        return None
    try:
        entry = netrc.netrc(str(path)).authenticators(host)
    except (netrc.NetrcParseError, OSError) as exc:
        line = f":{exc.lineno}" if isinstance(exc, netrc.NetrcParseError) else ""
        raise XjkgError(f"{path}{line}: cannot read the netrc file", EXIT_BAD_INPUT) from None
    if entry is None:
        return None
    login, _, password = entry
    return password if login in (user, "", None) else None


def remote(url: str, what: str, user: str | None = None) -> Remote:
    """Check ``url`` (absolute http(s)) and find the credentials: ``user`` with its password, or the URL's own.

    >>> remote("http://dba:secret@127.0.0.1:8890/sparql", "endpoint")
    Remote('http://127.0.0.1:8890/sparql', user='dba')
    """
    if not isinstance(url, str) or any(ord(c) < 0x21 or ord(c) == 0x7F for c in url):
        raise XjkgError(f"{what} URL holds spaces or control characters", EXIT_BAD_INPUT)
    try:
        parsed = urllib.parse.urlsplit(url)
        port = parsed.port
    except ValueError:
        parsed, port = None, None
    if parsed is None or parsed.scheme not in ("http", "https") or not parsed.hostname:
        shown = url if parsed is None or "@" not in parsed.netloc else "(a URL with user information)"
        raise XjkgError(f"{what} {shown!r} is not an http(s) URL", EXIT_BAD_INPUT)
    host = parsed.hostname
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc += f":{port}"
    clean = urllib.parse.urlunsplit((parsed.scheme, netloc, parsed.path or "/", parsed.query, ""))
    password: str | None = None
    if parsed.username is not None:
        url_user = urllib.parse.unquote(parsed.username)
        if user is not None and user != url_user:
            raise XjkgError(f"--user {user!r} and the user in the {what} URL differ", EXIT_BAD_INPUT)
        user = url_user
        if parsed.password is not None:
            password = urllib.parse.unquote(parsed.password)
    if user is not None and password is None:
        password = os.environ.get(PASSWORD_VARIABLE)
        if password is None:
            password = _netrc_password(host, user)
        if password is None:
            raise XjkgError(
                f"--user {user}: no password: set {PASSWORD_VARIABLE} or add "
                f"'machine {host} login {user} password …' to ~/.netrc",
                EXIT_BAD_INPUT,
            )
    return Remote(clean, clean, user, password)


# -- HTTP with one deadline -----------------------------------------------------------------------------


def _backend(deadline: float) -> Any:
    """An httpcore network backend whose every connect, read and write ends by ``deadline``."""
    import httpcore

    def left(timeout: float | None, kind: type[Exception]) -> float:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise kind("the deadline has passed")
        return remaining if timeout is None else min(timeout, remaining)

    class Stream(httpcore.NetworkStream):
        def __init__(self, inner: httpcore.NetworkStream) -> None:
            self.inner = inner

        def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
            return self.inner.read(max_bytes, left(timeout, httpcore.ReadTimeout))

        def write(self, buffer: bytes, timeout: float | None = None) -> None:
            for start in range(0, len(buffer), 65_536):  # a slow reader cannot stretch one big send
                self.inner.write(buffer[start : start + 65_536], left(timeout, httpcore.WriteTimeout))

        def close(self) -> None:
            self.inner.close()

        def start_tls(self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None) -> Any:
            return Stream(self.inner.start_tls(ssl_context, server_hostname, left(timeout, httpcore.ConnectTimeout)))

        def get_extra_info(self, info: str) -> Any:
            return self.inner.get_extra_info(info)

    class Backend(httpcore.NetworkBackend):
        def __init__(self) -> None:
            self.inner = httpcore.SyncBackend()

        def connect_tcp(
            self,
            host: str,
            port: int,
            timeout: float | None = None,
            local_address: str | None = None,
            socket_options: Iterable[Any] | None = None,
        ) -> httpcore.NetworkStream:
            limit = left(timeout, httpcore.ConnectTimeout)
            return Stream(self.inner.connect_tcp(host, port, limit, local_address, socket_options))

        def connect_unix_socket(
            self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
        ) -> httpcore.NetworkStream:
            raise httpcore.ConnectError("unix sockets are not used")

        def sleep(self, seconds: float) -> None:
            time.sleep(min(seconds, max(0.0, deadline - time.monotonic())))

    return Backend()


def _transport(deadline: float) -> httpx.BaseTransport:
    import httpcore
    import httpx

    pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(), network_backend=_backend(deadline), max_connections=1, retries=0
    )

    class Body(httpx.SyncByteStream):
        """httpcore's response stream as httpx wants it."""

        def __init__(self, answer: Any) -> None:
            self.answer = answer

        def __iter__(self) -> Generator[bytes, None, None]:
            yield from self.answer.stream

        def close(self) -> None:
            self.answer.close()

    class Transport(httpx.BaseTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            answer = pool.handle_request(
                httpcore.Request(
                    method=request.method,
                    url=httpcore.URL(
                        scheme=request.url.raw_scheme,
                        host=request.url.raw_host,
                        port=request.url.port,
                        target=request.url.raw_path,
                    ),
                    headers=request.headers.raw,
                    content=request.stream,
                    extensions=request.extensions,
                )
            )
            if len(answer.headers) > _MAX_HEADERS:
                answer.close()
                raise MalformedError(f"sent {len(answer.headers)} headers (more than {_MAX_HEADERS})")
            return httpx.Response(
                status_code=answer.status,
                headers=answer.headers,
                stream=Body(answer),
                extensions=answer.extensions,
            )

        def close(self) -> None:
            pool.close()

    return Transport()


def _auth(who: Remote) -> httpx.Auth | None:
    """Basic or digest, as the store's challenge asks; nothing is sent before it asks."""
    import httpx

    if who.user is None:
        return None
    user, password = who.user, who.password or ""

    class Either(httpx.Auth):
        def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
            response = yield request
            if response.status_code != 401:
                return
            challenge = response.headers.get("www-authenticate", "")
            if challenge.lower().startswith("digest"):
                flow = httpx.DigestAuth(user, password).auth_flow(request)
                next(flow)
                try:
                    yield flow.send(response)
                except StopIteration:
                    return
            elif challenge.lower().startswith("basic"):
                yield httpx.BasicAuth(user, password).sync_auth_flow(request).__next__()

    return Either()


@dataclass
class Answer:
    status: int
    reason: str
    content_type: str
    body: bytes
    #: The store says the answer is cut short: Virtuoso, past its time limit, answers "200 OK" with the rows found
    #: so far and ``X-SQL-State: S1TAT`` (its "anytime" results); the message it gives, else "".
    incomplete: str = ""


def _incomplete(headers: httpx.Headers) -> str:
    """Why the store's answer is incomplete (its own message, trimmed), or "" when it is whole."""
    if headers.get("x-sql-state", "").strip().upper() != "S1TAT":
        return ""
    message = re.sub(r"\s+", " ", headers.get("x-sql-message", "")).strip()
    return message.split(" Activity:", 1)[0][:200] or "incomplete results"


def exchange(
    who: Remote,
    method: str,
    *,
    timeout: float,
    target: str = "",
    data: Mapping[str, str | list[str]] | None = None,
    content: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    what: str,
) -> Answer:
    """One HTTP exchange under one deadline; every failure becomes an :class:`XjkgError` (exit 3)."""
    import httpcore
    import httpx

    deadline = time.monotonic() + timeout
    late = XjkgError(f"{what} {who.shown} did not answer within {timeout:g} s", EXIT_FAILED)
    try:
        with httpx.Client(
            transport=_transport(deadline), auth=_auth(who), follow_redirects=False, timeout=timeout
        ) as client:
            with client.stream(method, who.url + target, data=data, content=content, headers=headers) as response:
                chunks = []
                size = 0
                for chunk in response.iter_raw():
                    chunks.append(chunk)
                    size += len(chunk)
                    if time.monotonic() > deadline:
                        raise late
                    if size > _MAX_BODY:
                        raise MalformedError(f"sent an answer larger than {_MAX_BODY // 2**20} MB")
                body = b"".join(chunks)
            return Answer(
                response.status_code,
                response.reason_phrase,
                response.headers.get("content-type", ""),
                _decode_body(body, response.headers.get("content-encoding", "")),
                _incomplete(response.headers),
            )
    except XjkgError:
        raise
    except MalformedError as exc:
        raise XjkgError(f"{what} {who.shown} {exc}", EXIT_FAILED) from None
    except (httpx.TimeoutException, httpcore.TimeoutException, TimeoutError):
        raise late from None
    except (httpx.ConnectError, httpcore.ConnectError, ConnectionError, socket.gaierror) as exc:
        raise XjkgError(
            f"cannot reach {what} {who.shown}: {store_words(str(exc), who) or 'no connection'}", EXIT_FAILED
        ) from None
    except (httpx.HTTPError, httpcore.ProtocolError, httpcore.NetworkError, OSError, ValueError) as exc:
        why = store_words(str(exc), who) or type(exc).__name__
        raise XjkgError(f"{what} {who.shown} sent a broken HTTP answer: {why}", EXIT_FAILED) from None


def _decode_body(body: bytes, encoding: str) -> bytes:
    """Undo gzip/deflate (we ask for none, but a store may send it anyway)."""
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return body
    import zlib

    if encoding in ("gzip", "x-gzip", "deflate"):
        try:
            inflater = zlib.decompressobj(47 if encoding != "deflate" else zlib.MAX_WBITS)
            return inflater.decompress(body, 1 << 30)
        except zlib.error:
            raise MalformedError(f"sent a body that is not valid {encoding}") from None
    raise MalformedError(f"sent a body in an unknown encoding {encoding[:40]!r}")


def store_words(text: str, who: Remote | None = None) -> str:
    """Outside text fit for one line: tags dropped, control characters escaped, secrets removed, trimmed."""
    text = re.sub(r"<(script|style)\b.*?</\1\s*>", " ", text, flags=re.S | re.I)
    text = re.sub(r"<[^>]{0,2000}>", " ", text)
    import html

    text = html.unescape(text)
    text = " ".join(text.split())
    if who is not None and who.password:
        text = text.replace(who.password, "***")
    text = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" if ord(c) < 256 else f"\\u{ord(c):04x}" for c in text)
    return text if len(text) <= _MAX_SAID else text[: _MAX_SAID - 1] + "…"


def refusal(answer: Answer, who: Remote, what: str, hint: str = "") -> str:
    said = store_words(answer.body.decode("utf-8", "replace"), who)
    reason = store_words(answer.reason)
    text = f"{what} {who.shown} answered HTTP {answer.status}{' ' + reason if reason else ''}"
    if answer.status == 401:
        text += " (wrong or missing --user / password)" if who.user else " (give --user NAME)"
    return text + (f": {said}" if said else "") + hint
