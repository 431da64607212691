"""Serialising the built graph for other tools: Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML.

Owns: the format names users type (rdflib's: `ttl`, `turtle`, `nt`, `ntriples`, `nquads`, `trig`,
`json-ld`, `jsonld`, `xml`), merging graph files into one graph (triple formats) or keeping one
named graph per document (N-Quads, TriG, JSON-LD; graph IRI `namespace.graph_iri(doc_id)`, a
document's triples being those of its kg/<doc-id>.ttl file), the readable JSON-LD context, and
making every format byte-for-byte deterministic: the quads are put in one canonical order
(their N-Triples terms, sorted) and written by the engines' own serialisers (pyoxigraph for
N-Triples, N-Quads, TriG and RDF/XML; rdflib for Turtle and JSON-LD), so every character is
escaped as its syntax requires.  RDF/XML cannot hold the characters XML 1.0 forbids (a form
feed from pdftotext, other C0 controls, U+FFFE/U+FFFF): such a graph is refused with one line
that names the character and the triple, never written broken.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from normgraph.errors import InputError
from normgraph.namespace import ID_IRI
from normgraph.rdf.context import load_context
from normgraph.rdf.graph import PREFIXES

EXPORT_FORMATS = ("turtle", "nt", "nquads", "trig", "jsonld", "xml")
FORMAT_NAMES = {"turtle": "turtle", "ttl": "turtle", "nt": "nt", "ntriples": "nt", "n-triples": "nt",
                "nquads": "nquads", "n-quads": "nquads", "trig": "trig", "jsonld": "jsonld",
                "json-ld": "jsonld", "xml": "xml", "rdf/xml": "xml", "pretty-xml": "xml"}
QUAD_FORMATS = ("nquads", "trig", "jsonld")
SUFFIX = {"turtle": ".ttl", "nt": ".nt", "nquads": ".nq", "trig": ".trig", "jsonld": ".jsonld", "xml": ".rdf"}
_OX_FORMAT = {"nt": ox.RdfFormat.N_TRIPLES, "nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG,
              "xml": ox.RdfFormat.RDF_XML, "turtle": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD}
_RDFLIB_FORMAT = {"turtle": "turtle", "nt": "nt", "nquads": "nquads", "trig": "trig", "jsonld": "json-ld",
                  "xml": "xml"}
_ALL_PREFIXES = {**PREFIXES, "id": ID_IRI, "rdf": str(RDF), "rdfs": str(RDFS), "xsd": str(XSD),
                 "skos": str(SKOS), "prov": str(PROV)}
# what XML 1.0 (and so RDF/XML) cannot carry, not even as a character reference
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def format_name(name: str) -> str:
    """The export format a name stands for (rdflib's names and ours); InputError for an unknown one."""
    fmt = FORMAT_NAMES.get(name.lower())
    if fmt is None:
        raise InputError(f"-f {name}", f"unknown format; expected one of {', '.join(sorted(FORMAT_NAMES))}")
    return fmt


def jsonld_context() -> dict:
    """The JSON-LD @context: the ontology's terms (rdf/context.py) and the prefixes, so IRIs read as party:CHN ..."""
    return load_context()


def _bound(g: Graph | Dataset) -> Graph | Dataset:
    for prefix, ns in _ALL_PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)
    return g


# ---------------------------------------------------------------------------- canonical order


def _ox_term(term):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)) if term.datatype else None)
    raise TypeError(f"not an RDF term: {term!r}")


def _graph_name(g) -> str:
    return str(g.identifier if isinstance(g, Graph) else g)


def sorted_quads(dataset: Dataset) -> list[ox.Quad]:
    """Every quad of the dataset once, as pyoxigraph quads, in their N-Quads order (deterministic)."""
    quads = {ox.Quad(_ox_term(s), _ox_term(p), _ox_term(o), ox.NamedNode(_graph_name(g)))
             for s, p, o, g in dataset.quads((None, None, None, None))}
    return sorted(quads, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))


def sorted_triples(dataset: Dataset) -> list[ox.Triple]:
    """All triples of all graphs in one graph (each triple once), in their N-Triples order."""
    triples = {q.triple for q in sorted_quads(dataset)}
    return sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def ntriples(triples: Iterable[tuple]) -> str:
    """rdflib triples as canonical N-Triples, one line each, sorted (also valid inside SPARQL INSERT DATA)."""
    items = sorted({ox.Triple(*map(_ox_term, t)) for t in triples},
                   key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    return ox.serialize(items, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")


def merged_graph(dataset: Dataset) -> Graph:
    """All triples of all graphs in one rdflib graph (each triple once)."""
    triples = {(s, p, o) for s, p, o, _g in dataset.quads((None, None, None, None))}
    graph = _bound(Graph())
    for triple in sorted(triples, key=lambda t: tuple(term.n3() for term in t)):
        graph.add(triple)
    return graph


# ---------------------------------------------------------------------------- writers


def _check_xml_characters(triples: Iterable[ox.Triple]) -> None:
    for t in triples:
        for term in (t.subject, t.predicate, t.object):
            bad = _NOT_XML.search(term.value)
            if bad:
                raise InputError("-f xml", f"RDF/XML cannot hold the character U+{ord(bad.group()):04X} in "
                                           f"{_short(t)}; export as Turtle, N-Triples, TriG or JSON-LD instead")


def _short(t: ox.Triple) -> str:
    text = f"{t.subject} {t.predicate}"
    return text if len(text) <= 160 else text[:157] + "..."


def _jsonld(dataset: Dataset) -> str:
    """JSON-LD with the readable context, one named graph per document, arrays in a stable order."""
    ds = _bound(Dataset())
    for s, p, o, g in dataset.quads((None, None, None, None)):
        ds.graph(_graph_name(g)).add((s, p, o))
    data = json.loads(ds.serialize(format="json-ld", context=jsonld_context()))
    return json.dumps(_canonical_json(data), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _canonical_json(value, under_list: bool = False):
    if isinstance(value, dict):
        return {k: _canonical_json(v, k == "@list") for k, v in sorted(value.items())}
    if isinstance(value, list):
        items = [_canonical_json(v) for v in value]
        return items if under_list else sorted(items, key=lambda v: json.dumps(v, sort_keys=True))
    return value


def _prefixes() -> dict[str, str]:
    return dict(sorted(_ALL_PREFIXES.items()))


def serialize(dataset: Dataset, fmt: str) -> str:
    """The dataset in `fmt` (an export format or one of its names), as deterministic text."""
    fmt = format_name(fmt)
    if fmt == "jsonld":
        return _jsonld(dataset)
    if fmt == "turtle":
        return merged_graph(dataset).serialize(format="turtle")
    if fmt in QUAD_FORMATS:
        items: list = sorted_quads(dataset)
    else:
        items = sorted_triples(dataset)
    if fmt == "xml":
        _check_xml_characters(items)
    prefixes = None if fmt in ("nt", "nquads") else _prefixes()
    text = ox.serialize(items, format=_OX_FORMAT[fmt], prefixes=prefixes).decode("utf-8")
    if fmt == "xml":  # a raw CR would reach a conforming XML parser as LF: write it as a character reference
        text = text.replace("\r", "&#13;")
    return text


def export(paths: Iterable[str | Path], fmt: str) -> str:
    """Read graph files or folders (see validate.load_graph) and serialise them in `fmt`."""
    from normgraph.rdf.validate import load_graph

    fmt = format_name(fmt)
    return serialize(load_graph(paths), fmt)


def parse_back(text: str, fmt: str) -> Dataset:
    """Parse an export again with rdflib (used to check that it round-trips)."""
    ds = Dataset()
    ds.parse(data=text, format=_RDFLIB_FORMAT[format_name(fmt)])
    return ds


def parse_back_oxigraph(text: str, fmt: str) -> Iterator[ox.Quad]:
    """Parse an export again with pyoxigraph: a second, independent parser of every format."""
    return ox.parse(text.encode("utf-8"), format=_OX_FORMAT[format_name(fmt)])


__all__ = ["EXPORT_FORMATS", "FORMAT_NAMES", "export", "format_name", "jsonld_context", "merged_graph", "ntriples",
           "parse_back", "parse_back_oxigraph", "serialize", "sorted_quads", "sorted_triples"]
