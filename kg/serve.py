"""A local, read-only SPARQL 1.1 Protocol endpoint over one exported graph.

The standard library's http.server is enough for a single-user tool on loopback and adds no
dependency; the protocol part (query by GET or POST, results by Accept, updates and choices of
dataset refused) is small.
"""

from __future__ import annotations

import io
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from kg.errors import KgError
from kg.query import KnowledgeBase, QueryResult, is_update, serialize_graph, write_result

__all__ = ["ENDPOINT", "make_server"]

ENDPOINT = "/sparql"

#: Protocol parameters that choose the RDF dataset. A kg graph is a single default graph, so a
#: request that names graphs is refused (400) rather than answered from a different dataset
#: than the one it asked for; FROM / FROM NAMED in the query text are refused the same way.
DATASET_PARAMS = ("default-graph-uri", "named-graph-uri")

#: media type -> kg.query format, for SELECT/ASK results; the first is the default.
RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
}
#: media type -> format, for CONSTRUCT/DESCRIBE results; the first is the default.
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "xml",
    "text/plain": "nt",
}


def _negotiate(accept: str, offered: dict[str, str]) -> str | None:
    """The offered media type the Accept header likes best (q-values honoured), or None."""
    default = next(iter(offered))
    if not accept.strip():
        return default
    choices = []
    for order, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        mtype, q = fields[0].lower(), 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            choices.append((-q, order, mtype))
    for _, _, mtype in sorted(choices):
        if mtype in offered:
            return mtype
        if mtype in ("*/*", "application/*", "text/*"):
            major = mtype.split("/")[0]
            for m in offered:
                if major == "*" or m.startswith(major + "/"):
                    return m
    return None


class _Handler(BaseHTTPRequestHandler):
    kb: KnowledgeBase
    lock: threading.Lock
    server_version = "kg-sparql/1"

    def log_message(self, format: str, *args) -> None:
        pass  # quiet: the CLI prints where it serves, tests need no access log

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path != ENDPOINT:
            return self._send_text(HTTPStatus.NOT_FOUND, f"Not found - the endpoint is {ENDPOINT}")
        self._answer_form(parse_qs(url.query, keep_blank_values=True), "parameter - ?query=SELECT...")

    def _answer_form(self, form: dict[str, list[str]], how: str) -> None:
        """A query sent as a URL query string or a form body: both are read the same way."""
        if "update" in form:
            return self._refuse_update()
        if _names_a_dataset(form):
            return self._refuse_dataset()
        queries = form.get("query", [])
        if len(queries) != 1:
            return self._send_text(HTTPStatus.BAD_REQUEST, f"Give exactly one query {how}")
        self._answer(queries[0])

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        if url.path != ENDPOINT:
            return self._send_text(HTTPStatus.NOT_FOUND, f"Not found - the endpoint is {ENDPOINT}")
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if ctype == "application/sparql-update":
            return self._refuse_update()
        if _names_a_dataset(parse_qs(url.query, keep_blank_values=True)):
            return self._refuse_dataset()
        if ctype == "application/sparql-query":
            return self._answer(body)
        if ctype == "application/x-www-form-urlencoded":
            return self._answer_form(parse_qs(body, keep_blank_values=True), "field - query=SELECT...")
        self._send_text(
            HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
            "Send application/sparql-query or application/x-www-form-urlencoded",
        )

    def do_PUT(self) -> None:
        self._refuse_update()

    do_DELETE = do_PATCH = do_PUT

    def _refuse_update(self) -> None:
        self._send_text(HTTPStatus.FORBIDDEN, "This endpoint is read-only: updates are refused")

    def _refuse_dataset(self) -> None:
        self._send_text(
            HTTPStatus.BAD_REQUEST,
            "This endpoint serves one graph (the default graph): default-graph-uri and "
            "named-graph-uri are not supported - drop them",
        )

    def _answer(self, text: str) -> None:
        if is_update(text):
            return self._refuse_update()
        try:
            if self.kb.engine == "oxigraph":
                result = self.kb.query(text)
            else:
                with self.lock:  # rdflib's graph is not meant for concurrent readers
                    result = self.kb.query(text)
        except KgError as exc:
            return self._send_text(HTTPStatus.BAD_REQUEST, str(exc))
        offered = GRAPH_TYPES if result.kind == "graph" else RESULT_TYPES
        mtype = _negotiate(self.headers.get("Accept", ""), offered)
        if mtype is None:
            return self._send_text(
                HTTPStatus.NOT_ACCEPTABLE, "Acceptable types: " + ", ".join(offered)
            )
        self._send(HTTPStatus.OK, mtype, _render(result, offered[mtype]))

    def _send_text(self, status: HTTPStatus, message: str) -> None:
        self._send(status, "text/plain", (message + "\n").encode("utf-8"))

    def _send(self, status: HTTPStatus, mtype: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", f"{mtype}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def _names_a_dataset(form: dict[str, list[str]]) -> bool:
    """Whether a request picks graphs (SPARQL Protocol 2.1.4); empty values pick nothing."""
    return any(v.strip() for k in DATASET_PARAMS for v in form.get(k, []))


def _render(result: QueryResult, fmt: str) -> bytes:
    if result.kind == "graph":
        assert result.graph is not None  # a graph result always holds its graph
        return serialize_graph(result.graph, fmt).encode("utf-8")
    out = io.StringIO()
    if result.kind == "ask" and fmt in ("csv", "tsv"):
        out.write("_askResult\n" if fmt == "csv" else "?_askResult\n")
    write_result(result, fmt, out)
    return out.getvalue().encode("utf-8")


def make_server(
    kb: KnowledgeBase, host: str = "127.0.0.1", port: int = 7878
) -> ThreadingHTTPServer:
    """A server bound to host:port (port 0: a free one); call serve_forever() to run it."""
    handler = type("Handler", (_Handler,), {"kb": kb, "lock": threading.Lock()})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server
