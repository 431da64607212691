"""The endpoint cannot be turned against the machine: SERVICE, CORS, Host, time limit, load, malformed requests.

Guards issue 10, finding 2: `serve` forwarded SERVICE to any URL, answered with
`Access-Control-Allow-Origin: *`, did not check the Host header (DNS rebinding), had no query
time limit, a listen backlog of 5, and dropped the connection on a bad `default-graph-uri`.
Everything runs on 127.0.0.1.
"""
from __future__ import annotations

import http.client
import http.server
import json
import socket
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from normgraph.cli import main, parser
from normgraph.rdf.validate import load_graph
from normgraph.sparql.guard import service_targets
from normgraph.sparql.serve import Policy, SparqlServer

FIXTURE = Path(__file__).resolve().parent / "data" / "query"
CARTESIAN = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
LABEL = "SELECT ?l WHERE { <https://w3id.org/normgraph/id/party/GBR> <http://www.w3.org/2000/01/rdf-schema#label> ?l }"


class Running:
    def __init__(self, policy: Policy) -> None:
        self.server = SparqlServer(load_graph([FIXTURE]), host="127.0.0.1", port=0, policy=policy)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def request(self, method: str = "GET", path: str = "/sparql", body: bytes | None = None,
                headers: dict[str, str] | None = None, query: str | None = None,
                timeout: float = 30) -> tuple[int, dict[str, str], bytes]:
        if query is not None:
            path += "?" + urllib.parse.urlencode({"query": query})
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            conn.close()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def endpoint():
    running = Running(Policy(time_limit=2.0, workers=2))
    yield running
    running.close()


class _Counting(http.server.BaseHTTPRequestHandler):
    """Another service on the machine: counts who reaches it, answers an empty SPARQL result."""

    hits = 0

    def log_message(self, *args) -> None:
        pass

    def _reply(self) -> None:
        type(self).hits += 1
        body = json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": []}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self._reply()

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._reply()


@pytest.fixture()
def other_service():
    _Counting.hits = 0
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/sparql"
    httpd.shutdown()
    httpd.server_close()


def test_service_to_another_host_or_port_is_refused(endpoint, other_service):
    """Issue 10, finding 2: SERVICE <http://127.0.0.1:PORT/...> was forwarded to any URL."""
    for text in (f"SELECT * {{ SERVICE <{other_service}> {{ ?s ?p ?o }} }}",
                 f"select * {{ service silent <{other_service}> {{ ?s ?p ?o }} }}",
                 f"PREFIX x: <{other_service}#> SELECT * {{ SERVICE x:y {{ ?s ?p ?o }} }}",
                 "SELECT * { BIND(<http://127.0.0.1:1/> AS ?u) SERVICE ?u { ?s ?p ?o } }",
                 f"SELECT * {{ #comment\n SERVICE\t<{other_service}>{{ ?s ?p ?o }} }}"):
        status, _headers, body = endpoint.request(query=text)
        assert status == 403 and b"SERVICE" in body, (text, body)
    assert _Counting.hits == 0


def test_service_is_not_seen_in_literals_iris_or_names(endpoint):
    """Issue 10, finding 2: the SERVICE check reads the query's syntax, not its words."""
    text = ('PREFIX service: <https://example.org/> SELECT ?service WHERE { ?service <https://example.org/SERVICE> '
            '"SERVICE <http://127.0.0.1:1/>" . # SERVICE <http://x/>\n }')
    assert list(service_targets(text)) == []
    status, _headers, _body = endpoint.request(query=text)
    assert status == 200


def test_service_on_the_allow_list_is_reached(other_service):
    """Issue 10, finding 2: --allow-service lets a query federate with the services it names, and no others."""
    running = Running(Policy(time_limit=10.0, workers=1, allow_service=(other_service,)))
    try:
        status, _headers, body = running.request(query=f"SELECT * {{ SERVICE <{other_service}> {{ ?x ?p ?o }} }}")
        assert status == 200, body
        assert _Counting.hits >= 1
        elsewhere = other_service.rsplit(":", 1)[0] + ":1/sparql"
        assert running.request(query=f"SELECT * {{ SERVICE <{elsewhere}> {{ ?x ?p ?o }} }}")[0] == 403
    finally:
        running.close()


def test_no_permissive_cors_header_by_default(endpoint):
    """Issue 10, finding 2: every answer carried Access-Control-Allow-Origin: *."""
    status, headers, _body = endpoint.request(query=LABEL, headers={"Origin": "https://evil.example"})
    assert status == 200 and "access-control-allow-origin" not in headers
    status, headers, _body = endpoint.request("OPTIONS", headers={"Origin": "https://evil.example",
                                                                  "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in headers


def test_cors_only_for_the_origins_given():
    """Issue 10, finding 2: --cors ORIGIN allows that origin's pages, and only those."""
    running = Running(Policy(workers=1, cors=("https://yasgui.org",)))
    try:
        _s, headers, _b = running.request(query=LABEL, headers={"Origin": "https://yasgui.org"})
        assert headers["access-control-allow-origin"] == "https://yasgui.org"
        _s, headers, _b = running.request(query=LABEL, headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in headers
    finally:
        running.close()


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8642", "attacker.com:80", "127.0.0.1.evil.example"])
def test_a_foreign_host_header_is_refused(endpoint, host):
    """Issue 10, finding 2: the Host header was not checked, so a DNS-rebinding page could read the graph."""
    status, _headers, body = endpoint.request(query=LABEL, headers={"Host": host})
    assert status == 403 and b"Host" in body and b"United Kingdom" not in body


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost:8642", "[::1]:8642", "127.0.0.1:1"])
def test_loopback_host_headers_are_answered(endpoint, host):
    """Issue 10, finding 2: IP literals and localhost are what local clients send; they are answered."""
    status, _headers, body = endpoint.request(query=LABEL, headers={"Host": host})
    assert status == 200 and b"United Kingdom" in body


def test_a_runaway_query_is_stopped_within_its_time_limit(endpoint):
    """Issue 10, finding 2: a cartesian product burned a core after the client had gone; no time limit."""
    t0 = time.monotonic()
    status, _headers, body = endpoint.request(query=CARTESIAN, timeout=60)
    elapsed = time.monotonic() - t0
    assert status == 503 and b"time limit of 2 s" in body
    assert elapsed < 10
    assert endpoint.server.pool.stopped_queries >= 1
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # a fresh worker takes the stopped one's place
        status, _headers, body = endpoint.request(query=LABEL)
        if status == 200:
            break
    assert status == 200 and b"United Kingdom" in body


@pytest.mark.parametrize("params,status", [
    ({"query": LABEL, "default-graph-uri": "not an iri"}, 400),
    ({"query": LABEL, "named-graph-uri": "<x>"}, 400),
    ({"query": "SELECT ?x WHERE { ?x"}, 400),
    ({"query": [LABEL, LABEL]}, 400),
    ({}, 400),
    ({"update": "DROP ALL"}, 403),
])
def test_every_malformed_query_gets_an_answer(endpoint, params, status):
    """Issue 10, finding 2: a bad default-graph-uri dropped the connection without an answer."""
    query_string = urllib.parse.urlencode(params, doseq=True)
    got, headers, body = endpoint.request(path=f"/sparql?{query_string}")
    assert got == status and headers["content-type"].startswith("text/plain") and body.strip()


@pytest.mark.parametrize("raw,expected", [
    (b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
     b"Content-Length: abc\r\n\r\n", 411),
    (b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
     b"Content-Length: 99999999999\r\n\r\n", 413),
    (b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
     b"Content-Length: 2\r\n\r\n\xff\xfe", 400),
    (b"GET /sparql?query=%FF HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 400),
    (b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 1\r\n\r\nx", 415),
    (b"GARBAGE\r\n\r\n", 400),
    (b"GET /sparql HTTP/1.1\r\n" + b"X: " + b"a" * 70000 + b"\r\n\r\n", 431),
    (b"GET /elsewhere HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 404),
])
def test_every_malformed_request_gets_an_http_answer(endpoint, raw, expected):
    """Issue 10, finding 2: whatever arrives on the socket, the client gets a status line, not a dropped connection."""
    with socket.create_connection(("127.0.0.1", endpoint.port), timeout=10) as sock:
        sock.sendall(raw)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    status_line = answer.split(b"\r\n", 1)[0]
    assert status_line.startswith(b"HTTP/1.") and int(status_line.split()[1]) in {expected, 400}, answer[:200]


def test_many_concurrent_requests_are_all_answered(endpoint):
    """Issue 10, finding 2: with a listen backlog of 5, 5 of 200 concurrent requests timed out (p95 30 s)."""
    def one(_i: int) -> int:
        return endpoint.request(query=LABEL, timeout=60)[0]

    with ThreadPoolExecutor(max_workers=100) as pool:
        statuses = list(pool.map(one, range(200)))
    assert statuses == [200] * 200


def test_serve_listens_on_a_port_of_its_own_and_names_a_busy_one(capsys):
    """Issue 11: `serve` defaulted to 7878 (Oxigraph's); "normgraph: : Address already in use" named nothing."""
    serve_help = parser()._subparsers._group_actions[0].choices["serve"]
    assert serve_help.get_default("port") not in {7878, 3030, 8890, 7200}
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["serve", str(FIXTURE), "--port", str(port)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"127.0.0.1:{port}" in err[0] and "already in use" in err[0] and "--port" in err[0]
