"""Pushing into a real SPARQL store (Oxigraph server, and Virtuoso where installed) and querying it there.

The Oxigraph fixture starts `oxigraph serve` on a free loopback port; when the binary is missing the
tests skip, except on CI (CI=true), where that is a failure.
"""
from __future__ import annotations

import base64
import http.server
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from rdflib import RDFS, Dataset, Graph, Literal

from normgraph.cli import main, parser
from normgraph.namespace import document_iri, graph_iri
from normgraph.rdf.validate import load_graph
from normgraph.sparql import query as q
from normgraph.sparql.store import PushError, Target, credentials, push, sparql_update

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "data" / "query"
KG = HERE.parent / "kg"
DOCS = sorted(p.stem for p in FIXTURE.glob("*.ttl"))
ON_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
INJECTION = 'CHN" } ; DROP ALL ; #'


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _binary(name: str) -> str | None:
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


class Oxigraph:
    """One `oxigraph serve` process over a folder, on a free loopback port."""

    def __init__(self, binary: str, location: Path) -> None:
        self.binary, self.location = binary, location
        self.proc: subprocess.Popen | None = None
        self.base = ""

    def start(self) -> Oxigraph:
        port = _free_port()
        self.base = f"http://127.0.0.1:{port}"
        self.proc = subprocess.Popen([self.binary, "serve", "--location", str(self.location),
                                      "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"oxigraph serve exited: {self.proc.stderr.read().decode()[:500]}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("oxigraph serve did not open its port within 20 s")

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    @property
    def target(self) -> Target:
        return Target(update=f"{self.base}/update", store=None, retries=1, backoff=0.05, timeout=10)

    def sparql(self, text: str) -> list[tuple]:
        answer = q.run_remote(f"{self.base}/query", q.StoredQuery("ad-hoc", text))
        return answer.values()

    def graph(self, name: str) -> Graph:
        req = urllib.request.Request(f"{self.base}/store?graph={urllib.request.quote(name, safe='')}",
                                     headers={"Accept": "application/n-triples"})
        with urllib.request.urlopen(req, timeout=10) as response:
            return Graph().parse(data=response.read().decode("utf-8"), format="nt")


@pytest.fixture()
def oxigraph(tmp_path):
    binary = _binary("oxigraph")
    if binary is None:
        message = "the oxigraph server binary is not installed (pip install oxigraph, the `test` extra)"
        if ON_CI:
            pytest.fail(message)
        pytest.skip(message)
    server = Oxigraph(binary, tmp_path / "store").start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def local():
    return load_graph([FIXTURE])


def _quads(server: Oxigraph) -> int:
    return int(server.sparql("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")[0][0])


def _example_params() -> dict[str, dict[str, str]]:
    from test_query import example_params

    return example_params()


def test_store_every_query_answers_the_same_in_oxigraph_as_locally(oxigraph, local):
    push(local, oxigraph.target)
    for name, params in _example_params().items():
        stored = q.load_query(name)
        bindings = q.bind_params(stored, params)
        here = q.run_rdflib(local, stored, bindings).values()
        there = q.run_remote(f"{oxigraph.base}/query", stored, bindings).values()
        assert sorted(there, key=repr) == sorted(here, key=repr), name
        if not name.endswith("-violation"):
            assert here, f"{name} finds nothing on the fixture: the comparison proves little"


def test_store_kg_pushed_and_queried_in_oxigraph_answers_as_locally(oxigraph):
    if not any(KG.glob("*.ttl")):
        pytest.skip("kg/ has no graph files yet: run `make kg`")
    kg = load_graph([KG])
    assert main(["push", str(KG), "--endpoint", f"{oxigraph.base}/update", "--store", f"{oxigraph.base}/store"]) == 0
    params = {name: {} for name in q.stored_queries()}
    params["parties-agree"] = params["parties-differ"] = {"partyA": "CHN", "partyB": "RUS"}
    params["changes-between-documents"] = {"docA": "cn-ru-2025-international-law", "docB": "xinhua-2025-05-08-report"}
    params["stances-toward-target"] = {"targetIri": "practice/unilateral-sanctions"}
    for name, values in params.items():
        stored = q.load_query(name)
        bindings = q.bind_params(stored, values)
        here = q.run_oxigraph(q.oxigraph_store(kg), stored, bindings).values()
        there = q.run_remote(f"{oxigraph.base}/query", stored, bindings).values()
        assert sorted(there, key=repr) == sorted(here, key=repr), name
        if name.endswith("-violation"):
            assert there == [], f"{name} finds problems in kg/"


def test_store_second_push_replaces_rather_than_duplicates(oxigraph, local):
    push(local, oxigraph.target)
    first = _quads(oxigraph)
    assert first == sum(len(Graph().parse(FIXTURE / f"{d}.ttl")) for d in DOCS)
    assert main(["push", str(FIXTURE), "--endpoint", f"{oxigraph.base}/update",
                 "--store", f"{oxigraph.base}/store"]) == 0
    assert _quads(oxigraph) == first
    graphs = {row[0] for row in oxigraph.sparql("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")}
    assert graphs == {str(graph_iri(d)) for d in DOCS}  # no scratch graph left behind


def test_store_push_into_one_named_graph(oxigraph, local):
    push(local, oxigraph.target, graph="https://example.org/all")
    graphs = [row[0] for row in oxigraph.sparql("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")]
    assert graphs == ["https://example.org/all"]
    assert len(oxigraph.graph("https://example.org/all")) == len(q.prepare_dataset(local))


def test_store_parameter_injection_changes_nothing_remotely(oxigraph, local):
    push(local, oxigraph.target)
    before = _quads(oxigraph)
    stored = q.load_query("practices-opposed")
    for kind_value in ({"party": INJECTION},):
        answer = q.run_remote(f"{oxigraph.base}/query", stored, q.bind_params(stored, kind_value))
        assert answer.rows == []
    text = q.StoredQuery("t", "SELECT ?x WHERE { ?s ?p ?x }", {"x": "string"})
    assert q.run_remote(f"{oxigraph.base}/query", text, q.bind_params(text, {"x": INJECTION})).rows == []
    assert _quads(oxigraph) == before


def _version2(local: Dataset) -> Dataset:
    """The fixture with one more triple in each document graph: a new version to push over the old."""
    new = Dataset()
    for s, p, o, g in local.quads((None, None, None, None)):
        new.graph(g.identifier if isinstance(g, Graph) else g).add((s, p, o))
    for doc in DOCS:
        new.graph(graph_iri(doc)).add((document_iri(doc), RDFS.comment, Literal("version 2")))
    return new


def test_store_killed_mid_push_leaves_old_or_new_graph_and_says_what_made_it(oxigraph, local, tmp_path):
    push(local, oxigraph.target)
    new = _version2(local)
    first_graph, second_graph = str(graph_iri(DOCS[0])), str(graph_iri(DOCS[1]))
    scratch = f"<{second_graph}/loading>"

    def kill_when_second_graph_half_loaded() -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                rows = oxigraph.sparql(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {scratch} {{ ?s ?p ?o }} }}")
            except Exception:  # noqa: BLE001 - the server is busy; ask again
                continue
            if int(rows[0][0]) >= 5:
                oxigraph.kill()
                return
            time.sleep(0.005)

    killer = threading.Thread(target=kill_when_second_graph_half_loaded)
    killer.start()
    with pytest.raises(PushError) as failure:
        push(new, oxigraph.target, batch=1)
    killer.join()
    message = str(failure.value)
    assert f"push of {DOCS[1]} failed" in message and "cannot reach the endpoint" in message
    assert f"loaded: {DOCS[0]};" in message
    assert failure.value.pending[0] == second_graph

    restarted = Oxigraph(oxigraph.binary, oxigraph.location).start()
    try:
        old_files = {d: Graph().parse(FIXTURE / f"{d}.ttl") for d in DOCS}
        assert len(restarted.graph(first_graph)) == len(old_files[DOCS[0]]) + 1  # the new version
        for doc in DOCS[1:]:
            stored = restarted.graph(str(graph_iri(doc)))
            assert len(stored) == len(old_files[doc])  # the old version, whole
            assert (document_iri(doc), RDFS.comment, Literal("version 2")) not in stored
    finally:
        restarted.stop()


def test_store_unreachable_endpoint_is_one_line_exit_2(capsys):
    port = _free_port()
    code = main(["push", str(FIXTURE), "--endpoint", f"http://127.0.0.1:{port}/update", "--retries", "0"])
    assert code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot reach the endpoint" in err and "loaded: none" in err


def test_store_credentials_from_environment_or_netrc_never_argv(tmp_path, monkeypatch):
    monkeypatch.delenv("NORMGRAPH_USER", raising=False)
    netrc = tmp_path / "netrc"
    netrc.write_text("machine store.example.org login alice password s3cret\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    assert credentials("https://store.example.org/update") == ("alice", "s3cret")
    assert credentials("https://other.example.org/update") == (None, None)
    monkeypatch.setenv("NORMGRAPH_USER", "bob")
    monkeypatch.setenv("NORMGRAPH_PASSWORD", "pw")
    assert credentials("https://store.example.org/update") == ("bob", "pw")
    push_help = parser()._subparsers._group_actions[0].choices["push"].format_help()
    assert "--password" not in push_help and "--user" not in push_help


# ---------------------------------------------------------------------------- Virtuoso


VIRTUOSO_INI = """[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
[Parameters]
ServerPort = 127.0.0.1:{isql}
DirsAllowed = ., {dir}
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {dir}
[SPARQL]
ResultSetMaxRows = 100000
"""


@pytest.mark.skipif(shutil.which("virtuoso-t") is None,
                    reason="Virtuoso is not installed (Debian package virtuoso-opensource provides virtuoso-t)")
def test_store_virtuoso_push_and_query_match_local(tmp_path, local):
    isql_binary = shutil.which("isql-vt") or shutil.which("isql")
    assert isql_binary, "virtuoso-t is installed but its isql client (isql-vt) is not"
    isql, http = _free_port(), _free_port()
    ini = tmp_path / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(dir=tmp_path, isql=isql, http=http))
    proc = subprocess.Popen(["virtuoso-t", "+foreground", "+configfile", str(ini)], cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", http), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.5)
        subprocess.run([isql_binary, str(isql), "dba", "dba", "exec=GRANT SPARQL_UPDATE TO \"SPARQL\";"],
                       check=True, capture_output=True, timeout=60)
        endpoint = f"http://127.0.0.1:{http}/sparql"
        target = Target(update=endpoint, retries=2, backoff=0.5)
        push(local, target)
        push(local, target)  # a second push replaces
        for name, params in _example_params().items():
            stored = q.load_query(name)
            bindings = q.bind_params(stored, params)
            here = q.run_rdflib(local, stored, bindings).values()
            there = q.run_remote(endpoint, stored, bindings).values()
            assert sorted(there, key=repr) == sorted(here, key=repr), name
    finally:
        proc.terminate()
        proc.wait(timeout=30)


# ---------------------------------------------------------------------------- retries and credentials over HTTP


class _Flaky(http.server.BaseHTTPRequestHandler):
    """Answers 503 to the first request, then asks for Basic credentials, then accepts."""

    seen: list[tuple[str, str | None]] = []

    def log_message(self, *args) -> None:
        pass

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.seen.append((self.command, self.headers.get("Authorization")))
        if len(self.seen) == 1:
            self.send_response(503)
        elif self.headers.get("Authorization") != "Basic " + base64.b64encode(b"carol:pw").decode():
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="store"')
        else:
            self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()


def test_store_retries_a_busy_store_and_answers_its_password_challenge(monkeypatch):
    monkeypatch.setenv("NORMGRAPH_USER", "carol")
    monkeypatch.setenv("NORMGRAPH_PASSWORD", "pw")
    _Flaky.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Flaky)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/update"
        sparql_update(Target(update=url, retries=2, backoff=0.01), "CLEAR SILENT GRAPH <https://example.org/g>")
    finally:
        server.shutdown()
        server.server_close()
    assert [auth is not None for _m, auth in _Flaky.seen] == [False, False, True]
