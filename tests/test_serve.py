"""`normgraph serve`: a read-only SPARQL 1.1 Protocol endpoint answering as the local engine does."""
from __future__ import annotations

import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from SPARQLWrapper import JSON, SPARQLWrapper

from normgraph.rdf.validate import load_graph
from normgraph.sparql import query as q
from normgraph.sparql.serve import SparqlServer

FIXTURE = Path(__file__).resolve().parent / "data" / "query"


@pytest.fixture(scope="module")
def local():
    return load_graph([FIXTURE])


@pytest.fixture(scope="module")
def endpoint(local):
    server = SparqlServer(load_graph([FIXTURE]), host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.url
    server.shutdown()
    server.server_close()


def test_serve_binds_loopback_and_answers_every_query_as_locally(endpoint, local):
    from test_query import example_params

    assert endpoint.startswith("http://127.0.0.1:")
    for name, params in example_params().items():
        stored = q.load_query(name)
        bindings = q.bind_params(stored, params)
        there = q.run_remote(endpoint, stored, bindings).values()
        assert there == q.run_rdflib(local, stored, bindings).values(), name


def test_serve_sparqlwrapper_get_request(endpoint):
    client = SPARQLWrapper(endpoint)
    client.setReturnFormat(JSON)
    client.setQuery("SELECT ?label WHERE { <https://w3id.org/normgraph/id/party/GBR> "
                    "<http://www.w3.org/2000/01/rdf-schema#label> ?label }")
    data = client.queryAndConvert()
    assert [b["label"]["value"] for b in data["results"]["bindings"]] == ["United Kingdom"]


def test_serve_refuses_updates_and_keeps_the_graph(endpoint):
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    before = q.run_remote(endpoint, q.StoredQuery("n", count)).values()
    for body, kind in ((b"update=DROP+ALL", "application/x-www-form-urlencoded"),
                       (b"DROP ALL", "application/sparql-update")):
        req = urllib.request.Request(endpoint, data=body, headers={"Content-Type": kind}, method="POST")
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(req, timeout=10)
        assert refused.value.code == 403
    assert q.run_remote(endpoint, q.StoredQuery("n", count)).values() == before
