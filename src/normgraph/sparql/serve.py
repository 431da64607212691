"""A read-only SPARQL 1.1 Protocol endpoint over the built graph, for YASGUI or any SPARQL client.

Owns: the HTTP server behind `normgraph serve`.  The graph files are loaded into pyoxigraph
stores in worker processes (workers.py) whose default graph is the union of the document graphs
(named graphs stay queryable with GRAPH).  Queries come as GET ?query=..., POST form data or POST
application/sparql-query, at /sparql (and /query); results are negotiated from the Accept header
(SPARQL JSON, XML, CSV, TSV; Turtle, N-Triples or RDF/XML for CONSTRUCT and DESCRIBE), serialised
by pyoxigraph.

Safe to run on a machine with other services, also while a browser is open on other pages:
updates are refused; SERVICE reaches only the services given with --allow-service (none by
default, guard.py); no CORS header is sent unless --cors names the origins; a Host header that
is not an IP literal, localhost or a name given with --allow-host is refused (DNS rebinding);
every query has a time limit after which its worker process is stopped; requests are answered
by a bounded pool of threads behind a long listen backlog; and every malformed request gets an
HTTP answer that says what is wrong.  Binds to 127.0.0.1 unless told otherwise.
"""
from __future__ import annotations

import errno
import os
import sys
import tempfile
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

from normgraph.errors import InputError
from normgraph.sparql.guard import Refused, check_services, host_allowed
from normgraph.sparql.workers import Busy, Job, QueryPool, TimeLimit

PATHS = ("/sparql", "/query")
DEFAULT_PORT = 8642  # not 7878, Oxigraph's own
MAX_BODY = 1 << 20  # bytes of a POSTed query
_IRI = frozenset("<>\"{}|^`\\ ")


@dataclass(frozen=True)
class Policy:
    """What the endpoint lets in: time limit, federation, cross-origin pages, host names, threads."""

    time_limit: float = 30.0
    allow_service: tuple[str, ...] = ()
    cors: tuple[str, ...] = ()  # origins allowed to read answers ("*" only if given)
    allow_host: tuple[str, ...] = ()
    threads: int = 16
    workers: int = 2


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    server_version = "normgraph-sparql"
    protocol_version = "HTTP/1.0"  # one request per connection: no idle keep-alive holds a pool thread
    timeout = 30  # seconds a client may take to send its request

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        if self.server.verbose:
            super().log_message(format, *args)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Answers for what http.server itself rejects (a bad request line, headers too long)."""
        self.close_connection = True
        self.request_version = "HTTP/1.0"  # also to a request line so broken it reads as HTTP/0.9
        self._send(code, f"{message or HTTPStatus(code).phrase}\n".encode(), "text/plain; charset=utf-8")

    def _cors_headers(self) -> None:
        headers = getattr(self, "headers", None)
        origin = headers.get("Origin") if headers else None
        allowed = self.server.policy.cors
        if origin and (origin in allowed or "*" in allowed):
            self.send_header("Access-Control-Allow-Origin", "*" if "*" in allowed else origin)
            self.send_header("Vary", "Origin")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self._cors_headers()
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _fail(self, status: HTTPStatus, message: str) -> None:
        self._send(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    def _checked(self) -> bool:
        if not host_allowed(self.headers.get("Host"), self.server.policy.allow_host):
            self.close_connection = True
            self._fail(HTTPStatus.FORBIDDEN, f"Host {self.headers.get('Host')!r} is not one this endpoint answers "
                                             "to (start it with --allow-host NAME to add one)")
            return False
        if urllib.parse.urlsplit(self.path).path not in PATHS:
            self._fail(HTTPStatus.NOT_FOUND, f"the SPARQL endpoint is at {PATHS[0]}")
            return False
        return True

    def do_OPTIONS(self) -> None:  # noqa: N802 - http.server's name
        if not self._checked():
            return
        self.send_response(HTTPStatus.NO_CONTENT)
        self._cors_headers()
        if self.server.policy.cors:
            self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        if self._checked():
            self._answer(self._params(urllib.parse.urlsplit(self.path).query))

    do_HEAD = do_GET  # noqa: N815

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        if not self._checked():
            return
        try:
            length = int(self.headers.get("Content-Length") or "")
        except ValueError:
            self.close_connection = True
            return self._fail(HTTPStatus.LENGTH_REQUIRED, "send a Content-Length header with the query")
        if length < 0 or length > MAX_BODY:
            self.close_connection = True
            return self._fail(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"a query may be at most {MAX_BODY} bytes")
        try:
            body = self.rfile.read(length).decode("utf-8")
        except UnicodeDecodeError:
            return self._fail(HTTPStatus.BAD_REQUEST, "the request body is not UTF-8")
        query_string = urllib.parse.urlsplit(self.path).query
        kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if kind == "application/sparql-query":
            params = self._params(query_string)
            if params is not None:
                params["query"] = [body, *params.get("query", [])]
        elif kind == "application/x-www-form-urlencoded":
            params = self._params(query_string + "&" + body)
        elif kind == "application/sparql-update":
            return self._fail(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL Update is refused")
        else:
            return self._fail(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                              "send application/sparql-query or application/x-www-form-urlencoded")
        self._answer(params)

    def _params(self, text: str) -> dict[str, list[str]] | None:
        try:
            return urllib.parse.parse_qs(text, errors="strict", max_num_fields=1000)
        except (UnicodeDecodeError, ValueError) as error:
            self._fail(HTTPStatus.BAD_REQUEST, f"cannot read the parameters: {error}")
            return None

    def _answer(self, params: dict[str, list[str]] | None) -> None:
        if params is None:
            return None
        if "update" in params:
            return self._fail(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL Update is refused")
        texts = params.get("query") or []
        if len(texts) != 1:
            return self._fail(HTTPStatus.BAD_REQUEST, "give exactly one query parameter")
        graphs = params.get("default-graph-uri", []) + params.get("named-graph-uri", [])
        bad = next((g for g in graphs if not g or _IRI & set(g) or ":" not in g), None)
        if bad is not None:
            return self._fail(HTTPStatus.BAD_REQUEST, f"not an IRI: {bad!r} (default-graph-uri, named-graph-uri)")
        try:
            check_services(texts[0], self.server.policy.allow_service)
        except Refused as refused:
            return self._fail(HTTPStatus.FORBIDDEN, str(refused))
        job = Job(texts[0], tuple(params.get("default-graph-uri", [])), tuple(params.get("named-graph-uri", [])),
                  self.headers.get("Accept") or "")
        try:
            result = self.server.pool.run(job)
        except TimeLimit:
            return self._fail(HTTPStatus.SERVICE_UNAVAILABLE,
                              f"the query was stopped after its time limit of {self.server.policy.time_limit:g} s")
        except Busy:
            return self._fail(HTTPStatus.SERVICE_UNAVAILABLE, "all query workers are busy; try again later")
        self._send(result.status, result.body, result.media)


class SparqlServer(HTTPServer):
    """An HTTP server answering SPARQL queries over one read-only graph, by the rules of `Policy`."""

    request_queue_size = 1024  # the listen backlog: bursts wait instead of being refused

    def __init__(self, dataset: Dataset | ox.Store, host: str = "127.0.0.1", port: int = DEFAULT_PORT,
                 verbose: bool = False, policy: Policy | None = None) -> None:
        self.verbose = verbose
        self.policy = policy or Policy()
        self._data = tempfile.TemporaryDirectory(prefix="normgraph-serve-")
        nquads = Path(self._data.name) / "graph.nq"
        if isinstance(dataset, ox.Store):  # a corpus store (build --store): dumped as it is, without rdflib
            dataset.dump(str(nquads), ox.RdfFormat.N_QUADS)
        else:
            nquads.write_bytes(dataset.serialize(format="nquads", encoding="utf-8"))
        self.pool = QueryPool(nquads, self.policy.workers, self.policy.time_limit)
        self.threads = ThreadPoolExecutor(max_workers=self.policy.threads, thread_name_prefix="sparql")
        try:
            super().__init__((host, port), _Handler)
        except OSError as error:
            self.pool.close()
            self._data.cleanup()
            if error.errno == errno.EADDRINUSE:
                raise InputError(f"{host}:{port}", "address already in use: another server listens on this port; "
                                                   "choose another with --port") from None
            raise InputError(f"{host}:{port}", f"cannot listen here: {error.strerror or error}") from None

    def process_request(self, request, client_address) -> None:
        self.threads.submit(self._handle, request, client_address)

    def _handle(self, request, client_address) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:  # noqa: BLE001 - one client's broken connection must not stop the server
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)

    def handle_error(self, request, client_address) -> None:
        if self.verbose:
            super().handle_error(request, client_address)

    def server_close(self) -> None:
        super().server_close()
        self.threads.shutdown(wait=False, cancel_futures=True)
        self.pool.close()
        self._data.cleanup()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}{PATHS[0]}"


def serve(dataset: Dataset, host: str = "127.0.0.1", port: int = DEFAULT_PORT, verbose: bool = False,
          policy: Policy | None = None) -> None:
    """Answer SPARQL queries until interrupted."""
    with SparqlServer(dataset, host, port, verbose, policy) as server:
        limits = f"time limit {server.policy.time_limit:g} s, {server.policy.workers} workers, pid {os.getpid()}"
        print(f"SPARQL endpoint (read-only): {server.url} ({limits})", file=sys.stderr, flush=True)
        server.serve_forever()
