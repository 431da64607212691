"""Faults on the wire (loopback only): a real Oxigraph server killed mid-push, a hanging and a failing server.

Guards issue 10, finding 4 (readers of the union default graph saw a push's scratch graph; an
interrupted push left a `…/loading` graph behind) and finding 9 (a hanging endpoint took 310 s to
fail; errors that will not go away were retried; a password in a URL was echoed). The long
variants (many kills at random moments) are in test_stress.py.
"""
from __future__ import annotations

import http.server
import random
import threading
import time

import pytest
from rdflib import RDFS, Dataset, Literal, URIRef

from normgraph.cli import main
from normgraph.sparql.store import PushError, Target, push
from test_store import Oxigraph, oxigraph  # noqa: F401 - the fixture

GRAPHS = 120
TRIPLES = 40


def versioned_dataset(version: int, graphs: int = GRAPHS, triples: int = TRIPLES) -> Dataset:
    """`graphs` named graphs of `triples` triples each; version 2 has one more triple per graph."""
    ds = Dataset()
    for g in range(graphs):
        named = ds.graph(URIRef(f"https://example.org/graph/{g:04d}"))
        for t in range(triples):
            named.add((URIRef(f"https://example.org/s/{g}/{t}"), RDFS.label, Literal(f"label {g} {t}\f\u2028")))
        if version == 2:
            named.add((URIRef(f"https://example.org/s/{g}/0"), RDFS.comment, Literal("version 2")))
    return ds


def graph_counts(server: Oxigraph) -> dict[str, int]:
    rows = server.sparql("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {g: int(n) for g, n in rows}


def check_every_graph_old_or_new(counts: dict[str, int], graphs: int = GRAPHS) -> int:
    """Every graph is there, whole, in version 1 or 2, and no other graph exists; returns how many are new."""
    expected = {f"https://example.org/graph/{g:04d}" for g in range(graphs)}
    assert set(counts) == expected, sorted(set(counts) ^ expected)[:5]
    assert set(counts.values()) <= {TRIPLES, TRIPLES + 1}, sorted(set(counts.values()))
    return sum(1 for n in counts.values() if n == TRIPLES + 1)


def kill_mid_push(server: Oxigraph, seed: int) -> tuple[int, int]:
    """Push version 2 over version 1 and SIGKILL the server at a random moment while a reader polls.

    Returns (graphs the push reported loaded, reader polls made); asserts that the reader never
    saw a scratch graph or a half-replaced graph, and that after a restart every graph is whole.
    """
    rng = random.Random(seed)
    push(versioned_dataset(1), server.target)
    seen: list[dict[str, int]] = []
    stop = threading.Event()
    wanted = rng.randint(3, GRAPHS - 10)

    def reader() -> None:
        while not stop.is_set():
            try:
                counts = graph_counts(server)
            except Exception:  # noqa: BLE001 - the server is gone or busy
                continue
            seen.append(counts)
            if sum(1 for n in counts.values() if n == TRIPLES + 1) >= wanted:
                server.kill()
                return

    thread = threading.Thread(target=reader)
    thread.start()
    done: list[str] = []
    try:
        push(versioned_dataset(2), server.target)
    except PushError as failure:
        done = failure.done
        assert "cannot reach the endpoint" in str(failure)
    stop.set()
    thread.join()
    for counts in seen:
        check_every_graph_old_or_new(counts)
    restarted = Oxigraph(server.binary, server.location).start()
    try:
        new = check_every_graph_old_or_new(graph_counts(restarted))
        assert new >= len(done)  # what the push said was loaded is loaded
        server.proc, server.base = restarted.proc, restarted.base
    except BaseException:
        restarted.stop()
        raise
    return len(done), len(seen)


def test_oxigraph_killed_mid_push_leaves_every_graph_old_or_new_and_no_scratch(oxigraph):  # noqa: F811
    """Issue 10, finding 4: during a push readers saw the scratch graph; after a kill both versions stayed."""
    loaded, polls = kill_mid_push(oxigraph, seed=4)
    assert polls > 0
    push(versioned_dataset(2), oxigraph.target)  # a second push completes what the first began
    assert check_every_graph_old_or_new(graph_counts(oxigraph)) == GRAPHS


def test_union_default_graph_readers_never_see_a_push_half_done(oxigraph):  # noqa: F811
    """Issue 10, finding 4: with the union default graph, counts were wrong in 190 of 359 polls during a push."""
    push(versioned_dataset(1), oxigraph.target)
    base = int(oxigraph.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0][0])
    polls: list[tuple[int, int]] = []
    stop = threading.Event()

    def reader() -> None:
        text = ("SELECT (COUNT(*) AS ?n) (SUM(IF(?p = <http://www.w3.org/2000/01/rdf-schema#comment>, 1, 0)) AS ?v2)"
                " WHERE { ?s ?p ?o }")
        while not stop.is_set():
            n, v2 = oxigraph.sparql(text)[0]
            polls.append((int(n), int(v2)))

    thread = threading.Thread(target=reader)
    thread.start()
    push(versioned_dataset(2), oxigraph.target)
    stop.set()
    thread.join()
    assert len(polls) >= 3
    assert all(n == base + v2 for n, v2 in polls), [p for p in polls if p[0] != base + p[1]][:3]


def test_a_base_url_finds_oxigraphs_update_endpoint(oxigraph, capsys):  # noqa: F811
    """Issue 11: `push --endpoint http://127.0.0.1:PORT` answered "POST / is not supported" with no hint."""
    from conftest import ROOT

    assert main(["push", str(ROOT / "tests" / "data" / "query"), "--endpoint", oxigraph.base]) == 0
    assert f"-> {oxigraph.base}/update" in capsys.readouterr().out
    assert graph_counts(oxigraph)


# ---------------------------------------------------------------------------- hanging and failing servers


class _Server:
    """A loopback HTTP server whose handler does what the test asks; counts the requests."""

    def __init__(self, behave) -> None:
        self.requests = 0
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                outer.requests += 1
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                behave(self)

            do_PUT = do_POST  # noqa: N815

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/update"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _answer(status: int, body: bytes = b""):
    def behave(handler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
    return behave


def _hang(handler) -> None:
    time.sleep(20)


@pytest.fixture()
def server_factory():
    made = []

    def make(behave) -> _Server:
        made.append(_Server(behave))
        return made[-1]

    yield make
    for server in made:
        server.close()


def test_a_hanging_store_fails_within_the_timeout(server_factory, capsys):
    """Issue 10, finding 9: a hanging endpoint took 310 s to fail and there was no --timeout."""
    from conftest import ROOT

    server = server_factory(_hang)
    t0 = time.monotonic()
    code = main(["push", str(ROOT / "tests" / "data" / "query"), "--endpoint", server.url, "--timeout", "1"])
    elapsed = time.monotonic() - t0
    assert code == 2 and elapsed < 10
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "did not answer within 1 s" in err[0] and "loaded: none" in err[0]
    assert server.requests == 1  # a read timeout is not retried


def test_a_hanging_query_endpoint_fails_within_the_timeout(server_factory, capsys):
    """Issue 10, finding 9: `query --endpoint` has a --timeout too."""
    server = server_factory(_hang)
    t0 = time.monotonic()
    assert main(["query", "practices-opposed", "--endpoint", server.url, "--timeout", "1"]) == 2
    assert time.monotonic() - t0 < 10
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "in time" in err[0]


@pytest.mark.parametrize("status,body", [(500, b"SR186: No permission to execute procedure DB.DBA.SPARUL_RUN"),
                                         (400, b"Parse error"), (403, b"Forbidden")])
def test_errors_that_will_not_go_away_are_not_retried(server_factory, capsys, status, body):
    """Issue 10 finding 9 / issue 11: a permission error (HTTP 500 from Virtuoso) was retried as transient for 9 s."""
    server = server_factory(_answer(status, body))
    target = Target(update=server.url, retries=4, backoff=0.5)
    t0 = time.monotonic()
    with pytest.raises(PushError) as failure:
        push(versioned_dataset(1, graphs=2, triples=2), target)
    assert time.monotonic() - t0 < 2
    assert server.requests <= 2  # the probe and one push request, never retried
    assert f"HTTP {status}" in str(failure.value) and body.decode()[:20] in str(failure.value)


def test_a_busy_store_is_retried(server_factory):
    """Issue 10, finding 9: a 503 is transient and is retried with back-off."""
    answers = iter([503, 503, 204, 503, 204, 204])

    def behave(handler) -> None:
        _answer(next(answers))(handler)

    server = server_factory(behave)
    result = push(versioned_dataset(1, graphs=2, triples=2), Target(update=server.url, retries=3, backoff=0.01))
    assert len(result.graphs) == 2 and server.requests == 6


def test_a_password_in_the_url_is_never_echoed(server_factory, capsys):
    """Issue 10, finding 9: a URL with credentials in it had its password echoed in an error."""
    server = server_factory(_answer(403, b"no"))
    url = server.url.replace("http://", "http://alice:s3cret@")
    from conftest import ROOT

    assert main(["push", str(ROOT / "tests" / "data" / "query"), "--endpoint", url]) == 2
    assert main(["query", "practices-opposed", "--endpoint", url]) == 2
    captured = capsys.readouterr()
    assert "s3cret" not in captured.err + captured.out
    assert "HTTP 403" in captured.err


def test_an_unreadable_query_at_an_endpoint_is_one_line(server_factory, capsys):
    """Issue 10, finding 9: an endpoint's 400 answer becomes one line and exit 2."""
    server = server_factory(_answer(400, b"Parse error: unexpected token"))
    assert main(["query", "practices-opposed", "--endpoint", server.url]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "badly formed" in err[0] and "Parse error: unexpected token" in err[0]
