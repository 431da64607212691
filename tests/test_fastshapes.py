"""The shapes compiled to SPARQL (rdf/fastshapes.py) find what pySHACL finds.

A build decides each document's conformance with the compiled queries, so they must fail the
same focus nodes on the same shapes as pySHACL: on every shape fixture, on real documents,
and on real documents with a triple taken away or a literal changed.
"""
from __future__ import annotations

import random
from pathlib import Path

import pytest
from rdflib import Graph, Literal

from normgraph.rdf import fastshapes
from normgraph.rdf.validate import shapes_graph, validate

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = sorted(p for p in (ROOT / "tests" / "data" / "shapes").glob("*.ttl") if p.stem != "malformed")
CHECKS = fastshapes.compile_shapes(shapes_graph())
MERGED = fastshapes.merged(CHECKS)


def _both(g: Graph) -> tuple[set, set]:
    """pySHACL's failures and the compiled checks' failures; the merged queries a build asks agree."""
    reference = {(str(v.focus), str(v.shape)) for v in validate(g).violations}
    store = fastshapes.document_store(g.serialize(format="nt", encoding="utf-8"))  # N-Triples are N-Quads
    fast = fastshapes.failing(store, CHECKS)
    assert fastshapes.store_conforms(store, MERGED) == (not fast)
    return reference, fast


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_fastshapes_fail_what_pyshacl_fails_on_each_fixture(fixture: Path) -> None:
    reference, fast = _both(Graph().parse(fixture))
    assert fast == reference


def test_fastshapes_fixtures_include_failures_of_every_kind() -> None:
    """The fixtures exercise core components and SPARQL constraints alike (so the comparison means something)."""
    failed = set()
    for fixture in FIXTURES:
        failed |= {shape for _, shape in _both(Graph().parse(fixture))[1]}
    assert any(s.endswith("Shape") for s in failed)  # a node shape: a SPARQL constraint failed
    assert sum(1 for s in failed if not s.endswith("Shape")) >= 20  # property shapes


def _document_graphs() -> list[Graph]:
    graphs = []
    for path in sorted((ROOT / "kg").glob("*.ttl")):
        if path.name != "provenance.ttl":
            graphs.append(Graph().parse(path))
    return graphs


def test_fastshapes_agree_on_real_documents_and_their_mutations() -> None:
    """The seed graphs conform for both; each of 40 mutations (a triple removed, or a literal changed)
    fails the same focus nodes on the same shapes for both."""
    rng = random.Random(12)
    for g in _document_graphs():
        reference, fast = _both(g)
        assert reference == fast == set()
        triples = sorted(g, key=str)
        for k in range(20):
            mutated = Graph()
            for t in triples:
                mutated.add(t)
            s, p, o = rng.choice(triples)
            mutated.remove((s, p, o))
            if k % 2 and isinstance(o, Literal):
                mutated.add((s, p, Literal(str(o) + " x", lang=o.language) if o.language else Literal(
                    str(o) + "1", datatype=o.datatype)))
            reference, fast = _both(mutated)
            assert fast == reference, (s, p, o)


def test_fastshapes_conforms_on_a_build_document() -> None:
    """`conforms` reads the N-Quads a build writes: a seed document conforms, and one whose stances have no
    holder does not."""
    g = _document_graphs()[0]
    nquads = g.serialize(format="nt", encoding="utf-8").decode()
    assert fastshapes.conforms(nquads)
    broken = "\n".join(line for line in nquads.splitlines() if "ontology#holder>" not in line) + "\n"
    assert not fastshapes.conforms(broken)
    assert not validate(Graph().parse(data=broken, format="nt")).conforms


def test_fastshapes_merge_checks_into_fewer_queries() -> None:
    """A build asks the value checks of one set of focus nodes, and the count checks of one path, in one query."""
    assert len(CHECKS) > 150
    assert len(MERGED) < len(CHECKS) * 0.6
    assert sum("UNION { ?this <https://w3id.org/normgraph/ontology#" in q for q in MERGED) >= 3


def test_fastshapes_refuse_a_component_they_do_not_compile() -> None:
    shapes = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:hasValue ex:v ] .
    """, format="turtle")
    with pytest.raises(fastshapes.UnsupportedShape, match="hasValue"):
        fastshapes.compile_shapes(shapes)
