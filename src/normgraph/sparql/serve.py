"""A read-only SPARQL 1.1 Protocol endpoint over the built graph, for YASGUI or any SPARQL client.

Owns: the HTTP server behind `normgraph serve`.  The graph files are loaded once into an
in-memory pyoxigraph store whose default graph is the union of the document graphs (named
graphs stay queryable with GRAPH).  Queries come as GET ?query=..., POST form data or POST
application/sparql-query, at /sparql (and /query); results are negotiated from the Accept
header (SPARQL JSON, XML, CSV, TSV; Turtle or N-Triples for CONSTRUCT and DESCRIBE).  Updates
are refused: nothing a client sends can change the graph.  Binds to 127.0.0.1 unless told otherwise.
"""
from __future__ import annotations

import sys
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pyoxigraph as ox
from rdflib import Dataset

from normgraph.sparql.query import oxigraph_store

PATHS = ("/sparql", "/query")
_RESULTS = (("application/sparql-results+json", ox.QueryResultsFormat.JSON),
            ("application/json", ox.QueryResultsFormat.JSON),
            ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
            ("text/csv", ox.QueryResultsFormat.CSV),
            ("text/tab-separated-values", ox.QueryResultsFormat.TSV))
_GRAPHS = (("text/turtle", ox.RdfFormat.TURTLE), ("application/n-triples", ox.RdfFormat.N_TRIPLES))


def _negotiate(accept: str, offers: tuple) -> tuple[str, object]:
    wanted = [part.split(";")[0].strip().lower() for part in accept.split(",") if part.strip()]
    for media in wanted:
        for offer in offers:
            if offer[0] == media:
                return offer
    return offers[0]


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    server_version = "normgraph-sparql"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        if self.server.verbose:
            super().log_message(format, *args)

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()
        self.wfile.write(body)

    def _fail(self, status: HTTPStatus, message: str) -> None:
        self._send(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        url = urllib.parse.urlsplit(self.path)
        if url.path not in PATHS:
            return self._fail(HTTPStatus.NOT_FOUND, f"the SPARQL endpoint is at {PATHS[0]}")
        params = urllib.parse.parse_qs(url.query)
        self._answer(params)

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        url = urllib.parse.urlsplit(self.path)
        if url.path not in PATHS:
            return self._fail(HTTPStatus.NOT_FOUND, f"the SPARQL endpoint is at {PATHS[0]}")
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8")
        kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if kind == "application/sparql-query":
            params = {"query": [body], **urllib.parse.parse_qs(url.query)}
        elif kind == "application/x-www-form-urlencoded":
            params = {**urllib.parse.parse_qs(url.query), **urllib.parse.parse_qs(body)}
        elif kind == "application/sparql-update":
            return self._fail(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL Update is refused")
        else:
            return self._fail(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                              "send application/sparql-query or application/x-www-form-urlencoded")
        self._answer(params)

    def _answer(self, params: dict[str, list[str]]) -> None:
        if "update" in params:
            return self._fail(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL Update is refused")
        texts = params.get("query") or []
        if len(texts) != 1:
            return self._fail(HTTPStatus.BAD_REQUEST, "give exactly one query parameter")
        options: dict = {"use_default_graph_as_union": True}
        if params.get("default-graph-uri"):
            options = {"default_graph": [ox.NamedNode(g) for g in params["default-graph-uri"]]}
        if params.get("named-graph-uri"):
            options["named_graphs"] = [ox.NamedNode(g) for g in params["named-graph-uri"]]
        try:
            result = self.server.store.query(texts[0], **options)
        except (SyntaxError, ValueError, OSError) as error:
            return self._fail(HTTPStatus.BAD_REQUEST, f"bad query: {error}")
        accept = self.headers.get("Accept") or ""
        if isinstance(result, ox.QueryTriples):
            media, fmt = _negotiate(accept, _GRAPHS)
        else:
            media, fmt = _negotiate(accept, _RESULTS)
        self._send(HTTPStatus.OK, result.serialize(format=fmt), f"{media}; charset=utf-8")


class SparqlServer(ThreadingHTTPServer):
    """An HTTP server answering SPARQL queries over one read-only in-memory store."""

    daemon_threads = True

    def __init__(self, dataset: Dataset, host: str = "127.0.0.1", port: int = 7878, verbose: bool = False) -> None:
        self.store = oxigraph_store(dataset)
        self.verbose = verbose
        super().__init__((host, port), _Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}{PATHS[0]}"


def serve(dataset: Dataset, host: str = "127.0.0.1", port: int = 7878, verbose: bool = False) -> None:
    """Answer SPARQL queries until interrupted."""
    with SparqlServer(dataset, host, port, verbose) as server:
        print(f"SPARQL endpoint (read-only): {server.url}", file=sys.stderr, flush=True)
        server.serve_forever()
