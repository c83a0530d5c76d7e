"""``xjkg serve``: the SPARQL 1.1 endpoint, the stored queries as a web API, resource pages and the web page.

One Starlette app (:func:`create_app`) over one :class:`xjkg.query.engines.Engine`, in rooms by concern:

- :mod:`.protocol`: the SPARQL 1.1 Protocol, media types, content negotiation, request decoding;
- :mod:`.api`: the stored queries as a web API and its OpenAPI description;
- :mod:`.pages`: resource pages, the ontology, the home page;
- :mod:`.state`: limits, the shared state, admission (deadline, queue, per-client share), running a query;
- :mod:`.app`: routes and middleware (log, security headers, cross-site rule, Host check, CORS);
- :mod:`.lifecycle`: the command line, uvicorn, connection limits, stopping.

Every query is checked (no SERVICE, LOAD, updates or FROM; bounded nesting and repetition) and parsed in a
worker process under the request's deadline, so no text a stranger sends stops or freezes the server.
Safe by default: read-only, bound to 127.0.0.1, a ``Host`` check against DNS rebinding, cross-site
requests refused, request size and time limits, CORS off unless ``--cors``, one log line per request.
"""

from __future__ import annotations

from xjkg.server.app import allowed_hosts, create_app
from xjkg.server.lifecycle import configure_serve, run_serve
from xjkg.server.protocol import CONTENT_TYPES, GRAPH_TYPES, RESULT_TYPES, negotiate
from xjkg.server.state import GRAPH_NAME, ServerConfig

__all__ = [
    "CONTENT_TYPES",
    "GRAPH_NAME",
    "GRAPH_TYPES",
    "RESULT_TYPES",
    "ServerConfig",
    "allowed_hosts",
    "configure_serve",
    "create_app",
    "negotiate",
    "run_serve",
]
