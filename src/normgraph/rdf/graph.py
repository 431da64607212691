"""Emit RDF for one document's extraction (SPEC §3).

Owns: turning an `Extraction` (document, clauses, mentions, stances, relations,
alignments) into an rdflib Graph with deterministic IRIs and no blank nodes, the
description of every entity the document refers to (so that a document's graph
stands alone), and byte-stable serialisation. A document's triples can be put in
a named graph of their own (`add_to_dataset`). For a corpus store the two halves
are kept apart (`split_graphs`): the document's named graph holds only what the
document says, and the entity descriptions go to the one vocabulary graph, so a
label is stored once, not once per document that names the entity.
"""
from __future__ import annotations

import functools

from rdflib import RDF, RDFS, SKOS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV
from rdflib.plugins.serializers.nt import _quoteLiteral

from normgraph.extract.vocabulary import Vocabulary
from normgraph.namespace import (
    ID,
    NG,
    alignment_iri,
    clause_iri,
    document_iri,
    graph_iri,
    relation_iri,
    stance_iri,
)
from normgraph.rdf.annotation import TripleSink, add_selectors
from normgraph.records import Entity, Extraction

VOCABULARY_GRAPH = ID["graph/vocabulary"]  # the entity descriptions of a corpus store, each once

PREFIXES = {
    "ng": "https://w3id.org/normgraph/ontology#",
    "doc": "https://w3id.org/normgraph/id/doc/",
    "party": "https://w3id.org/normgraph/id/party/",
    "principle": "https://w3id.org/normgraph/id/principle/",
    "instrument": "https://w3id.org/normgraph/id/instrument/",
    "practice": "https://w3id.org/normgraph/id/practice/",
    "concept": "https://w3id.org/normgraph/id/concept/",
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "wd": "http://www.wikidata.org/entity/",
    "oa": "http://www.w3.org/ns/oa#",
}


def new_graph() -> Graph:
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)
    return g


class Triples:
    """A set of triples with the one method the emitters use (`add`), for graphs that are only
    serialised as N-Quads: the same triples as an rdflib Graph, without the cost of its indexes."""

    __slots__ = ("triples",)

    def __init__(self) -> None:
        self.triples: set[tuple] = set()

    def add(self, triple: tuple) -> None:
        self.triples.add(triple)

    def __iter__(self):
        return iter(self.triples)

    def __len__(self) -> int:
        return len(self.triples)

    def graph(self) -> Graph:
        """The triples as an rdflib Graph (for pySHACL's report)."""
        g = new_graph()
        for triple in self.triples:
            g.add(triple)
        return g


_INTEGER = XSD.integer  # looked up once: rdflib makes the term anew at each lookup


def _int(value: int) -> Literal:
    return Literal(value, datatype=_INTEGER)


def describe_entity(g: TripleSink, entity: Entity, vocab: Vocabulary | None = None) -> URIRef:
    """Add an entity's types, label, aliases and identifiers to g."""
    node = URIRef(entity.iri)
    for cls in entity.types:
        g.add((node, RDF.type, URIRef(cls)))
    g.add((node, RDFS.label, Literal(entity.label)))
    for alt in entity.alt_labels:
        if alt != entity.label:
            g.add((node, SKOS.altLabel, Literal(alt, lang="en")))
    for wd in entity.exact_match:
        g.add((node, SKOS.exactMatch, URIRef(wd)))
    if entity.notation:
        g.add((node, SKOS.notation, Literal(entity.notation)))
    if not entity.in_vocabulary:
        g.add((node, NG.inVocabulary, Literal(False)))
    if vocab is not None and entity.iri in vocab.entities:
        year = vocab.graph.value(node, NG.adoptionYear)
        if year is not None:
            g.add((node, NG.adoptionYear, year))
    return node


def extraction_graph(ex: Extraction, vocab: Vocabulary) -> Graph:
    """The RDF graph of one document, standing alone: what it says and the entities it refers to."""
    g, entities = _statements(ex, vocab)
    for iri in sorted(entities):
        describe_entity(g, entities[iri], vocab)
    return g


def split_graphs(ex: Extraction, vocab: Vocabulary) -> tuple[Triples, Triples]:
    """One document as a corpus store holds it: (what the document says, the descriptions of the
    entities it refers to). The second belongs in the one vocabulary graph (`VOCABULARY_GRAPH`),
    where each entity is described once however many documents name it."""
    g, entities = _statements(ex, vocab, Triples())
    described = Triples()
    for iri in sorted(entities):
        described.triples.update(_description(entities[iri], vocab))
    return g, described


@functools.lru_cache(maxsize=1 << 12)
def _description(entity: Entity, vocab: Vocabulary) -> frozenset[tuple]:
    """The triples that describe an entity (most documents name the same few hundred entities)."""
    out: set[tuple] = set()
    describe_entity(out, entity, vocab)
    return frozenset(out)


def _statements(ex: Extraction, vocab: Vocabulary, g: TripleSink | None = None
                ) -> tuple[TripleSink, dict[str, Entity]]:
    """The document's own triples (added to g, a new Graph when None), and the entities they refer to."""
    g = new_graph() if g is None else g
    doc = ex.document
    meta = doc.meta
    d = document_iri(doc.id)
    g.add((d, RDF.type, NG.Document))
    g.add((d, RDFS.label, Literal(meta.title or doc.id)))
    g.add((d, NG.fullText, Literal(doc.text)))
    g.add((d, NG.sourceFile, Literal(doc.path.name)))
    if meta.title:
        g.add((d, DCTERMS.title, Literal(meta.title)))
    if meta.date:
        g.add((d, DCTERMS.date, Literal(meta.date.isoformat(), datatype=XSD.date)))
    for prop, value in ((NG.place, meta.place), (NG.genre, meta.genre), (DCTERMS.publisher, meta.publisher),
                        (DCTERMS.language, meta.language), (NG.symbol, meta.symbol)):
        if value:
            g.add((d, prop, Literal(value)))
    if meta.source:
        g.add((d, DCTERMS.source, URIRef(meta.source)))
    if meta.reports_on:
        g.add((d, NG.reportsOn, document_iri(meta.reports_on)))
    entities: dict[str, Entity] = {}
    authors = [vocab.entities[iri] for iri in ex.authors if iri in vocab.entities] if ex.authors else \
        [p for p in (vocab.party(pid) for pid in meta.parties) if p is not None]
    for party in authors:
        g.add((d, NG.author, URIRef(party.iri)))
        entities[party.iri] = party
    if authors:
        g.add((d, NG.authorsFoundIn, Literal(ex.authors_found_in or "sidecar")))

    for clause in ex.clauses:
        c = clause_iri(doc.id, clause.number)
        g.add((d, NG.clause, c))
        g.add((c, RDF.type, NG.Clause))
        g.add((c, NG.inDocument, d))
        g.add((c, NG.number, Literal(clause.number)))
        g.add((c, NG.ordinal, _int(clause.ordinal)))
        g.add((c, NG.text, Literal(clause.text)))
        g.add((c, NG.start, _int(clause.start)))
        g.add((c, NG.end, _int(clause.end)))
        g.add((c, NG.clauseKind, Literal(clause.kind)))
        add_selectors(g, c, d, doc.text, clause.start, clause.end)
        if clause.section:
            g.add((c, NG.section, Literal(clause.section)))
        if clause.parent:
            g.add((c, NG.subClauseOf, clause_iri(doc.id, clause.parent)))
        for m in ex.mentions.get(clause.number, ()):
            g.add((c, NG.mentions, URIRef(m.entity.iri)))
            entities.setdefault(m.entity.iri, m.entity)

    for st in ex.stances:
        key = "|".join((",".join(sorted(st.holders)), st.stance_type, st.target.iri, st.polarity))
        s = stance_iri(doc.id, st.clause, key)
        g.add((s, RDF.type, NG.Stance))
        for h in st.holders:
            g.add((s, NG.holder, URIRef(h)))
            if h in vocab.entities:
                entities.setdefault(h, vocab.entities[h])
        g.add((s, NG.stanceType, NG[st.stance_type]))
        g.add((s, NG.polarity, NG[st.polarity]))
        g.add((s, NG.target, URIRef(st.target.iri)))
        entities.setdefault(st.target.iri, st.target)
        g.add((s, NG.inClause, clause_iri(doc.id, st.clause)))
        g.add((s, NG.evidence, Literal(st.evidence)))
        g.add((s, NG.start, _int(st.start)))
        g.add((s, NG.end, _int(st.end)))
        add_selectors(g, s, d, doc.text, st.start, st.end)
        if st.cue:
            g.add((s, NG.cue, Literal(st.cue)))
        if st.negated:
            g.add((s, NG.negated, Literal(True)))
        if st.holder_subset:
            g.add((s, NG.holderSubset, Literal(True)))

    for rel in ex.relations:
        subj, obj = URIRef(rel.subject.iri), URIRef(rel.object.iri)
        g.add((subj, NG[rel.predicate], obj))
        entities.setdefault(rel.subject.iri, rel.subject)
        entities.setdefault(rel.object.iri, rel.object)
        r = relation_iri(doc.id, rel.clause, f"{rel.subject.iri}|{rel.predicate}|{rel.object.iri}")
        g.add((r, RDF.type, NG.NormRelation))
        g.add((r, RDF.subject, subj))
        g.add((r, RDF.predicate, NG[rel.predicate]))
        g.add((r, RDF.object, obj))
        g.add((r, NG.inClause, clause_iri(doc.id, rel.clause)))
        g.add((r, NG.evidence, Literal(doc.text[rel.start:rel.end])))
        g.add((r, NG.start, _int(rel.start)))
        g.add((r, NG.end, _int(rel.end)))
        add_selectors(g, r, d, doc.text, rel.start, rel.end)

    for al in ex.alignments:
        mine = clause_iri(doc.id, al.clause)
        theirs = clause_iri(al.source_document, al.source_clause)
        a = alignment_iri(doc.id, al.clause, f"{al.source_document}|{al.source_clause}")
        g.add((a, RDF.type, NG.Alignment))
        g.add((a, NG.alignedClause, mine))
        g.add((a, NG.sourceClause, theirs))
        g.add((a, NG.score, Literal(f"{al.score:.3f}", datatype=XSD.decimal)))
        g.add((mine, PROV.wasDerivedFrom, theirs))

    return g, entities


def to_turtle(g: Graph) -> str:
    """Turtle serialisation; the same graph always gives the same bytes."""
    return g.serialize(format="turtle")


def to_nquads(g: Graph | Triples, graph: URIRef) -> bytes:
    """The triples of g as N-Quads lines in the named graph `graph`, sorted (for bulk loading); each
    line as rdflib's N-Triples serialiser writes it."""
    tail = f" {graph.n3()} .\n"
    return "".join(sorted([f"<{s}> <{p}> {_nt_object(o)}{tail}" for s, p, o in g])).encode("utf-8")


def _nt_object(o: URIRef | Literal) -> str:
    """An object in N-Triples, as rdflib's serialiser writes it (subjects and predicates are IRIs made
    by namespace.py and checked when they were made; there are no blank nodes)."""
    return _quoteLiteral(o) if isinstance(o, Literal) else f"<{o}>"


def add_to_dataset(ds: Dataset, doc_id: str, g: Graph) -> None:
    """Put one document's triples in a named graph of its own."""
    named = ds.graph(graph_iri(doc_id))
    for triple in g:
        named.add(triple)
