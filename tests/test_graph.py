"""The RDF of one document: core vocabulary, exact offsets, deterministic bytes, freshness of kg/."""
from __future__ import annotations

import subprocess
import sys

from rdflib import RDF, Graph, Literal
from rdflib.compare import graph_diff, isomorphic

from conftest import DECLARATION, KG, REPORT, ROOT
from normgraph.namespace import NG, clause_iri, document_iri


def test_graph_clauses_carry_exact_offsets(declaration_graph):
    g = declaration_graph
    text = str(g.value(document_iri("cn-ru-2025-international-law"), NG.fullText))
    clauses = list(g.subjects(RDF.type, NG.Clause))
    assert len(clauses) == 24
    for c in clauses:
        start, end = int(g.value(c, NG.start)), int(g.value(c, NG.end))
        assert text[start:end] == str(g.value(c, NG.text))


def test_graph_stance_evidence_is_the_slice_of_the_text(declaration_graph):
    g = declaration_graph
    text = str(g.value(document_iri("cn-ru-2025-international-law"), NG.fullText))
    stances = list(g.subjects(RDF.type, NG.Stance))
    assert stances
    for s in stances:
        start, end = int(g.value(s, NG.start)), int(g.value(s, NG.end))
        assert text[start:end] == str(g.value(s, NG.evidence))
        clause = g.value(s, NG.inClause)
        assert int(g.value(clause, NG.start)) <= start < end <= int(g.value(clause, NG.end))


def test_graph_report_clauses_are_aligned_to_their_source(report_graph):
    g = report_graph
    src = clause_iri("cn-ru-2025-international-law", "3")
    mine = clause_iri("xinhua-2025-05-08-report", "4")  # "The two countries reiterate their full commitment ..."
    sources = {s for a in g.subjects(NG.alignedClause, mine) for s in g.objects(a, NG.sourceClause)}
    assert src in sources
    aligned = set(g.objects(None, NG.alignedClause))
    assert len(aligned) >= 9  # nearly every paragraph of the report summarises a clause


def test_graph_turtle_is_byte_identical_across_processes():
    cmd = [sys.executable, "-m", "normgraph", "extract", str(DECLARATION)]
    env = {"PYTHONHASHSEED": "1"}
    import os

    first = subprocess.run(cmd, capture_output=True, check=True, env={**os.environ, **env}).stdout
    env = {"PYTHONHASHSEED": "2"}
    second = subprocess.run(cmd, capture_output=True, check=True, env={**os.environ, **env}).stdout
    assert first == second
    assert len(first) > 10_000


def test_graph_kg_is_fresh(declaration_graph, report_graph):
    """kg/ is what `normgraph build` makes of seeds/ now; rebuild it with `make kg`."""
    for name, g in (("cn-ru-2025-international-law", declaration_graph), ("xinhua-2025-05-08-report", report_graph)):
        committed = Graph().parse(KG / f"{name}.ttl")
        if not isomorphic(committed, g):
            _, only_committed, only_now = graph_diff(committed, g)
            lines = [f"- {t}" for t in sorted(only_committed)[:10]] + [f"+ {t}" for t in sorted(only_now)[:10]]
            raise AssertionError(f"kg/{name}.ttl is stale: run `make kg`\n" + "\n".join(lines))
    assert sorted(p.name for p in KG.glob("*.ttl")) == ["cn-ru-2025-international-law.ttl", "provenance.ttl",
                                                        "xinhua-2025-05-08-report.ttl"]
    assert (ROOT / "seeds").is_dir()


def test_graph_document_metadata_from_sidecar(declaration_graph):
    from rdflib.namespace import DCTERMS

    d = document_iri("cn-ru-2025-international-law")
    assert declaration_graph.value(d, DCTERMS.date) == Literal("2025-05-08", datatype=
                                                              "http://www.w3.org/2001/XMLSchema#date")
    authors = {str(a).rsplit("/", 1)[-1] for a in declaration_graph.objects(d, NG.author)}
    assert authors == {"CHN", "RUS"}
    assert (REPORT.with_suffix(".meta.toml")).read_text(encoding="utf-8").count("reports_on") == 1


def test_graph_report_has_eleven_paragraph_clauses(report_graph):
    numbers = sorted(int(str(n)) for n in report_graph.objects(None, NG.number))
    assert numbers == list(range(1, 12))


def test_graph_committed_kg_conforms_to_the_shapes():
    from normgraph.rdf.validate import load_graph, validate

    report = validate(load_graph([KG]))
    assert report.conforms, [v.message for v in report.violations][:5]


def test_graph_store_quads_are_the_document_graph_split_in_two(declaration, report, vocab):
    """What a corpus build loads (the document's own quads and its entity descriptions, written without an
    rdflib Graph) is the document's graph as kg/ holds it, split between its named graph and the vocabulary
    graph, and each line is an N-Quads line rdflib reads back to the same triples."""
    from rdflib import Dataset

    from normgraph.namespace import graph_iri
    from normgraph.rdf import graph

    for ex in (declaration, report):
        own, described = graph.split_graphs(ex, vocab)
        name = graph_iri(ex.document.id)
        quads = graph.to_nquads(own, name) + graph.to_nquads(described, graph.VOCABULARY_GRAPH)
        ds = Dataset()
        ds.parse(data=quads.decode("utf-8"), format="nquads")
        mine, vocabulary = Graph(), Graph()
        for s, p, o in ds.graph(name):
            mine.add((s, p, o))
        for s, p, o in ds.graph(graph.VOCABULARY_GRAPH):
            vocabulary.add((s, p, o))
        whole = graph.extraction_graph(ex, vocab)
        assert len(mine) == len(own) and len(vocabulary) == len(described)
        assert isomorphic(mine + vocabulary, whole)
        assert set(mine) & set(vocabulary) == set()
        assert (document_iri(ex.document.id), RDF.type, NG.Document) in mine
        assert quads.decode("utf-8").splitlines() == sorted(quads.decode("utf-8").splitlines()[:len(own)]) + \
            sorted(quads.decode("utf-8").splitlines()[len(own):])
