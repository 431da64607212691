"""The network of instrument links: the RDF graph projected onto a networkx graph, and its measures.

`project` reads the graph through SPARQL and returns a `networkx.MultiDiGraph` whose nodes are
the instruments, principles, practices, concepts and parties the graph names, and whose edges are

- typed relations between norms (enshrines, partOf, supplements, basedOn, violates, proposedBy),
  one per ng:NormRelation node, keyed "relation:<name>";
- co-invocation: two norms mentioned (ng:mentions) in the same clause, keyed "co-invocation",
  weighted by the number of clauses;
- stances: party -> target, keyed "stance:<polarity>", weighted by the number of stances.

Every node and edge carries `sources`: the (document, clause, evidence) triples it was read from,
so that each line of a picture can be checked against the clause it comes from.  Nodes are named by
their IRI relative to the resource namespace ("instrument/unclos", "party/CHN").

`Filters` narrows the projection (document, party, node kind, polarity, minimum weight); `measures`
gives degree, betweenness and community of instruments and principles as table rows; `layout`
places the nodes deterministically (networkx's ForceAtlas2, seeded).
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
from rdflib import DCTERMS, RDF, RDFS, SKOS, Dataset, Graph, Literal, URIRef
from rdflib.query import ResultRow

from normgraph.namespace import ID_IRI, NG, document_iri, entity_iri
from normgraph.network.style import KINDS, NORM_KINDS, POLARITIES, RELATIONS

_CLASSES = {"instrument": NG.Instrument, "principle": NG.Principle, "practice": NG.Practice,
            "concept": NG.Concept, "party": NG.Party}
_POLARITY = {NG.Positive: "positive", NG.Negative: "negative", NG.Neutral: "neutral"}
_NS = {"ng": NG._NS, "rdf": RDF, "rdfs": RDFS, "skos": SKOS, "dcterms": DCTERMS}

_ENTITIES = """
SELECT ?e ?class ?label ?invoc WHERE {
  ?e a ?class .
  OPTIONAL { ?e rdfs:label ?label }
  OPTIONAL { ?e ng:inVocabulary ?invoc }
}"""
_ALT_LABELS = """
SELECT ?e ?alt WHERE { ?e skos:altLabel ?alt }"""
_STANCES = """
SELECT ?s ?holder ?target ?polarity ?type ?clause ?num ?doc ?evidence WHERE {
  ?s a ng:Stance ; ng:holder ?holder ; ng:target ?target ; ng:polarity ?polarity ;
     ng:inClause ?clause ; ng:evidence ?evidence .
  OPTIONAL { ?s ng:stanceType ?type }
  ?clause ng:number ?num ; ng:inDocument ?doc .
}"""
_RELATIONS = """
SELECT ?r ?subject ?predicate ?object ?clause ?num ?doc ?evidence WHERE {
  ?r a ng:NormRelation ; rdf:subject ?subject ; rdf:predicate ?predicate ; rdf:object ?object ;
     ng:inClause ?clause .
  OPTIONAL { ?r ng:evidence ?evidence }
  ?clause ng:number ?num ; ng:inDocument ?doc .
}"""
_MENTIONS = """
SELECT ?clause ?num ?doc ?entity WHERE {
  ?clause ng:mentions ?entity .
  ?clause ng:number ?num ; ng:inDocument ?doc .
}"""


@dataclass(frozen=True, order=True)
class Source:
    """Where a node or an edge was read: the document id, the clause number and the exact words."""

    document: str
    clause: str
    evidence: str = ""

    def cite(self) -> str:
        return f"{self.document} §{self.clause}"


@dataclass(frozen=True)
class Filters:
    """What part of the network to keep.  Empty means everything."""

    document: str | None = None  # a document id (file stem), e.g. "cn-ru-2025-international-law"
    party: str | None = None  # a party id, e.g. "CHN": its stances, and the clauses it takes them in
    kinds: tuple[str, ...] = ()  # node kinds to keep (see KINDS)
    polarity: str | None = None  # stance edges of this polarity only (see POLARITIES)
    min_weight: int = 1  # edges of at least this weight


@dataclass
class _Acc:
    sources: set[Source] = field(default_factory=set)
    weight: int = 0
    extra: set[str] = field(default_factory=set)
    members: set[str] = field(default_factory=set)


def node_id(iri: URIRef | str) -> str:
    """The short, stable name of an entity node: its IRI relative to the resource namespace."""
    text = str(iri)
    return text[len(ID_IRI):] if text.startswith(ID_IRI) else text


def _doc_id(iri: URIRef) -> str:
    return node_id(iri).removeprefix("doc/")


def union_graph(data: Graph) -> Graph:
    """One Graph of every triple of `data` (a Dataset's named graphs merged), or `data` itself."""
    if isinstance(data, Dataset) or data.context_aware:
        union = Graph()
        union.addN((s, p, o, union) for s, p, o, _ in data.quads((None, None, None, None)))
        return union
    return data


def select(graph: Graph, query: str, bindings: dict[str, URIRef]) -> list[ResultRow]:
    """The rows of a SELECT query (prefixes ng, rdf, rdfs, skos, dcterms bound) over `graph`."""
    return list(graph.query(query, initNs=_NS, initBindings=bindings))  # type: ignore[arg-type]


def project(data: Graph, filters: Filters | None = None) -> nx.MultiDiGraph:
    """The network of `data` (a Graph or a Dataset of document graphs), narrowed by `filters`."""
    f = filters or Filters()
    for kind in f.kinds:
        if kind not in KINDS:
            raise ValueError(f"unknown node kind {kind!r}; expected one of {', '.join(KINDS)}")
    if f.polarity is not None and f.polarity not in POLARITIES:
        raise ValueError(f"unknown polarity {f.polarity!r}; expected one of {', '.join(POLARITIES)}")
    graph = union_graph(data)
    bindings = {"doc": document_iri(f.document)} if f.document else {}
    entities = read_entities(graph)
    party = str(entity_iri("party", f.party)) if f.party else None

    edges: dict[tuple[str, str, str], _Acc] = defaultdict(_Acc)
    node_sources: dict[str, set[Source]] = defaultdict(set)
    party_clauses: set[tuple[str, str]] = set()
    for row in select(graph, _STANCES, bindings):
        holder, target = str(row.holder), str(row.target)
        polarity = _POLARITY.get(row.polarity)
        src = Source(_doc_id(row.doc), str(row.num), str(row.evidence))
        if party is not None:
            if holder != party:
                continue
            party_clauses.add((src.document, src.clause))
        if polarity is None or (f.polarity and polarity != f.polarity):
            continue
        acc = edges[(holder, target, f"stance:{polarity}")]
        acc.sources.add(src)
        acc.members.add(str(row.s))
        acc.weight = len(acc.members)
        acc.extra.add(node_id(row.type).rsplit("#", 1)[-1] if row.type is not None else "")
        node_sources[holder].add(src)
        node_sources[target].add(src)
    for row in select(graph, _RELATIONS, bindings):
        name = str(row.predicate).rsplit("#", 1)[-1]
        src = Source(_doc_id(row.doc), str(row.num), str(row.evidence or ""))
        if name not in RELATIONS or (party and (src.document, src.clause) not in party_clauses):
            continue
        acc = edges[(str(row.subject), str(row.object), f"relation:{name}")]
        acc.sources.add(src)
        acc.weight = len(acc.sources)
        node_sources[str(row.subject)].add(src)
        node_sources[str(row.object)].add(src)
    by_clause: dict[Source, set[str]] = defaultdict(set)
    for row in select(graph, _MENTIONS, bindings):
        entity = str(row.entity)
        if entities.get(entity, {}).get("kind") in NORM_KINDS:
            by_clause[Source(_doc_id(row.doc), str(row.num))].add(entity)
    for src, norms in by_clause.items():
        if party and (src.document, src.clause) not in party_clauses:
            continue
        ordered = sorted(norms)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1:]:
                acc = edges[(a, b, "co-invocation")]
                acc.sources.add(src)
                acc.weight = len(acc.sources)
            node_sources[a].add(src)
    return _assemble(entities, edges, node_sources, f)


def read_entities(graph: Graph) -> dict[str, dict[str, Any]]:
    """Every entity of a node kind by IRI: its kind, label, IRI, alternative labels, in_vocabulary."""
    rank = {str(cls): i for i, cls in enumerate(_CLASSES.values())}
    kinds = {str(cls): kind for kind, cls in _CLASSES.items()}
    found: dict[str, dict[str, Any]] = {}
    for row in select(graph, _ENTITIES, {}):
        cls = str(row["class"])
        if cls not in kinds:
            continue
        iri = str(row.e)
        old = found.get(iri)
        if old is None or rank[cls] < rank[old["_class"]]:
            invoc = row.invoc.toPython() if isinstance(row.invoc, Literal) else True
            label = str(row.label) if row.label is not None else node_id(iri).rsplit("/", 1)[-1]
            found[iri] = {"_class": cls, "kind": kinds[cls], "label": label, "iri": iri,
                          "in_vocabulary": bool(invoc), "alt_labels": []}
    for row in select(graph, _ALT_LABELS, {}):
        if str(row.e) in found:
            found[str(row.e)]["alt_labels"].append(str(row.alt))
    for entity in found.values():
        entity["alt_labels"] = sorted(set(entity["alt_labels"]))
    return found


def _assemble(entities: dict[str, dict[str, Any]], edges: dict[tuple[str, str, str], _Acc],
              node_sources: dict[str, set[Source]], f: Filters) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for (a, b, key), acc in sorted(edges.items()):
        if acc.weight < f.min_weight or a not in entities or b not in entities:
            continue
        if f.kinds and (entities[a]["kind"] not in f.kinds or entities[b]["kind"] not in f.kinds):
            continue
        kind, _, sub = key.partition(":")
        for n in (a, b):
            if node_id(n) not in g:
                attrs = {k: v for k, v in entities[n].items() if not k.startswith("_")}
                g.add_node(node_id(n), **attrs, sources=_cited(node_sources[n]))
        attrs: dict[str, Any] = {"link": kind, "weight": acc.weight, "sources": sorted(acc.sources)}
        if kind == "relation":
            attrs["relation"] = sub
        elif kind == "stance":
            attrs["polarity"] = sub
            attrs["stance_types"] = sorted(t for t in acc.extra if t)
        g.add_edge(node_id(a), node_id(b), key=key, **attrs)
    return g


def _cited(sources: set[Source]) -> list[Source]:
    """The sources, without a bare mention of a clause whose words are cited anyway."""
    worded = {(s.document, s.clause) for s in sources if s.evidence}
    return sorted(s for s in sources if s.evidence or (s.document, s.clause) not in worded)


def simple(g: nx.MultiDiGraph) -> nx.Graph:
    """The undirected simple graph under `g`: one edge per linked pair, weights summed."""
    s = nx.Graph()
    s.add_nodes_from(sorted(g.nodes))
    for a, b, w in g.edges(data="weight"):
        if a != b:
            s.add_edge(a, b, weight=(s[a][b]["weight"] if s.has_edge(a, b) else 0) + w)
    return s


def communities(g: nx.MultiDiGraph, seed: int = 0) -> dict[str, int]:
    """Community number of each node (Louvain, seeded): 0 is the largest community."""
    s = simple(g)
    if s.number_of_edges() == 0:
        return {n: i for i, n in enumerate(sorted(s))}
    found = nx.community.louvain_communities(s, weight="weight", seed=seed)
    ordered = sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))
    return {n: i for i, c in enumerate(ordered) for n in c}


def measures(g: nx.MultiDiGraph, kinds: tuple[str, ...] = ("instrument", "principle")) -> list[dict[str, Any]]:
    """One row per node of `kinds`: degree, weighted degree, betweenness, community; by degree."""
    s = simple(g)
    between = nx.betweenness_centrality(s, normalized=True)
    community = communities(g)
    rows = []
    for n, data in g.nodes(data=True):
        if data["kind"] not in kinds:
            continue
        rows.append({"node": n, "label": data["label"], "kind": data["kind"], "degree": s.degree(n),
                     "weighted_degree": int(s.degree(n, weight="weight")),
                     "betweenness": round(between[n], 4), "community": community[n],
                     "clauses": len({(x.document, x.clause) for x in data["sources"]})})
    return sorted(rows, key=lambda r: (-r["degree"], -r["betweenness"], r["node"]))


def format_measures(rows: list[dict[str, Any]]) -> str:
    """The measures as an aligned text table."""
    cols = ["label", "kind", "degree", "weighted_degree", "betweenness", "community", "clauses"]
    cells = [cols] + [[str(r[c]) for c in cols] for r in rows]
    widths = [min(max(len(row[i]) for row in cells), 60) for i in range(len(cols))]
    lines = ["  ".join(cell[:60].ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
             for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def layout(g: nx.MultiDiGraph, seed: int = 7, iterations: int | None = None) -> dict[str, tuple[float, float]]:
    """Positions in [-1, 1]², the same for the same graph: networkx's ForceAtlas2, seeded.

    The undirected simple graph is laid out with edge weights as attraction and each node's degree
    as its size (ForceAtlas2's overlap prevention), for `iterations` rounds (default 100, 60 above
    1,000 nodes, where each round costs more), then centred, scaled and rounded to 4 decimals.
    """
    s = simple(g)
    n = s.number_of_nodes()
    if n <= 1:
        return {v: (0.0, 0.0) for v in s}
    rounds = iterations if iterations is not None else (100 if n <= 1000 else 60)
    sizes = {v: 1.0 + math.sqrt(d) for v, d in s.degree()}
    found = nx.forceatlas2_layout(s, max_iter=rounds, weight="weight", node_size=sizes, seed=seed)
    pos = np.array([found[v] for v in s], dtype=float)
    pos -= (pos.max(axis=0) + pos.min(axis=0)) / 2
    pos /= max(float(np.abs(pos).max()), 1e-9)
    return {v: (round(float(x), 4), round(float(y), 4)) for v, (x, y) in zip(s, pos, strict=True)}


__all__ = ["Filters", "Source", "project", "union_graph", "select", "read_entities",
           "measures", "format_measures", "communities", "layout", "simple",
           "node_id", "KINDS", "POLARITIES", "RELATIONS"]
