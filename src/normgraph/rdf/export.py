"""Serialising the built graph for other tools: Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML.

Owns: merging graph files into one graph (triple formats) or keeping one named graph per
document (N-Quads, TriG, JSON-LD; graph IRI `namespace.graph_iri(doc_id)`, a document's
triples being those of its kg/<doc-id>.ttl file), the readable JSON-LD context, and making
every format byte-for-byte deterministic: the same graph always gives the same bytes, whatever
the order rdflib happens to hold its triples in.
"""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from normgraph.errors import InputError
from normgraph.namespace import ID_IRI
from normgraph.rdf.context import load_context
from normgraph.rdf.graph import PREFIXES

EXPORT_FORMATS = ("turtle", "nt", "nquads", "trig", "jsonld", "xml")
QUAD_FORMATS = ("nquads", "trig", "jsonld")
SUFFIX = {"turtle": ".ttl", "nt": ".nt", "nquads": ".nq", "trig": ".trig", "jsonld": ".jsonld", "xml": ".rdf"}
_XML_NS = "http://www.w3.org/XML/1998/namespace"
_ALL_PREFIXES = {**PREFIXES, "id": ID_IRI, "rdf": str(RDF), "rdfs": str(RDFS), "xsd": str(XSD),
                 "skos": str(SKOS), "prov": str(PROV)}


def jsonld_context() -> dict:
    """The JSON-LD @context: the ontology's terms (rdf/context.py) and the prefixes, so IRIs read as party:CHN ..."""
    return load_context()


def _bound(g: Graph | Dataset) -> Graph | Dataset:
    for prefix, ns in _ALL_PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)
    return g


def _sort_key(triple: tuple) -> tuple[str, ...]:
    return tuple(term.n3() for term in triple)


def merged_graph(dataset: Dataset) -> Graph:
    """All triples of all graphs in one graph (each triple once), added in a stable order."""
    triples = {(s, p, o) for s, p, o, _g in dataset.quads((None, None, None, None))}
    graph = _bound(Graph())
    for triple in sorted(triples, key=_sort_key):
        graph.add(triple)
    return graph


def _named_graphs(dataset: Dataset) -> list[tuple[str, Graph]]:
    graphs: dict[str, set] = {}
    for s, p, o, g in dataset.quads((None, None, None, None)):
        name = g.identifier if isinstance(g, Graph) else g
        graphs.setdefault(str(name), set()).add((s, p, o))
    out = []
    for name in sorted(graphs):
        graph = _bound(Graph())
        for triple in sorted(graphs[name], key=_sort_key):
            graph.add(triple)
        out.append((name, graph))
    return out


def _sorted_lines(text: str) -> str:
    lines = sorted({line for line in text.splitlines() if line.strip()})
    return "\n".join(lines) + "\n"


def _trig(dataset: Dataset) -> str:
    """TriG written graph by graph from rdflib's (sorted) Turtle of each, prefixes once on top."""
    prefixes: set[str] = set()
    blocks = []
    for name, graph in _named_graphs(dataset):
        text = graph.serialize(format="turtle")
        head, _sep, body = text.partition("\n\n") if text.startswith("@prefix") else ("", "", text)
        prefixes.update(line for line in head.splitlines() if line.startswith("@prefix"))
        blocks.append(f"<{name}> {{\n{body.strip()}\n}}\n")  # not indented: literals may span lines
    return "\n".join(sorted(prefixes)) + "\n\n" + "\n".join(blocks)


def _canonical_json(value, under_list: bool = False):
    if isinstance(value, dict):
        return {k: _canonical_json(v, k == "@list") for k, v in sorted(value.items())}
    if isinstance(value, list):
        items = [_canonical_json(v) for v in value]
        return items if under_list else sorted(items, key=lambda v: json.dumps(v, sort_keys=True))
    return value


def _jsonld(dataset: Dataset) -> str:
    """JSON-LD with the readable context, one named graph per document, arrays in a stable order."""
    ds = _bound(Dataset())
    for name, graph in _named_graphs(dataset):
        named = ds.graph(name)
        for triple in graph:
            named.add(triple)
    data = json.loads(ds.serialize(format="json-ld", context=jsonld_context()))
    data = _canonical_json(data)
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _xml(graph: Graph) -> str:
    """RDF/XML with descriptions sorted by subject and properties by name and value."""
    root = ET.fromstring(graph.serialize(format="xml"))

    def key(el: ET.Element) -> tuple[str, ...]:
        return (el.tag, *(f"{k}={v}" for k, v in sorted(el.attrib.items())), el.text or "")

    for desc in root:
        desc[:] = sorted(desc, key=key)
    root[:] = sorted(root, key=key)
    used = sorted({uri for el in root.iter() for uri in (_ns(el.tag), *map(_ns, el.attrib)) if uri})
    known = {str(uri): prefix for prefix, uri in sorted(graph.namespaces())}
    prefixes = {uri: known.get(uri, f"ns{n}") for n, uri in enumerate(used)}
    prefixes[_XML_NS] = "xml"
    declared = "".join(f' xmlns:{prefixes[uri]}="{_escape(uri, True)}"' for uri in used if uri != _XML_NS)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + _write_element(root, prefixes, declared) + "\n"


def _escape(text: str, attr: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    if attr:
        text = text.replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
    return text


def _qname(name: str, prefixes: dict[str, str]) -> str:
    uri = _ns(name)
    return f"{prefixes[uri]}:{name.split('}', 1)[1]}" if uri else name


def _write_element(el: ET.Element, prefixes: dict[str, str], declared: str = "", depth: int = 0) -> str:
    tag = _qname(el.tag, prefixes)
    attrs = "".join(f' {_qname(k, prefixes)}="{_escape(v, True)}"' for k, v in sorted(el.attrib.items()))
    opening = f"{'  ' * depth}<{tag}{declared}{attrs}"
    if len(el):
        inner = "\n".join(_write_element(child, prefixes, depth=depth + 1) for child in el)
        return f"{opening}>\n{inner}\n{'  ' * depth}</{tag}>"
    if el.text:
        return f"{opening}>{_escape(el.text)}</{tag}>"
    return opening + "/>"


def _ns(name: str) -> str | None:
    return name[1:].split("}", 1)[0] if name.startswith("{") else None


def serialize(dataset: Dataset, fmt: str) -> str:
    """The dataset in `fmt` (one of EXPORT_FORMATS), as deterministic text."""
    if fmt not in EXPORT_FORMATS:
        raise InputError(f"-f {fmt}", f"unknown format; expected one of {', '.join(EXPORT_FORMATS)}")
    if fmt == "trig":
        return _trig(dataset)
    if fmt == "jsonld":
        return _jsonld(dataset)
    if fmt == "nquads":
        ds = _bound(Dataset())
        for name, graph in _named_graphs(dataset):
            named = ds.graph(name)
            for triple in graph:
                named.add(triple)
        return _sorted_lines(ds.serialize(format="nquads"))
    graph = merged_graph(dataset)
    if fmt == "nt":
        return _sorted_lines(graph.serialize(format="nt"))
    if fmt == "xml":
        return _xml(graph)
    return graph.serialize(format="turtle")


def export(paths: Iterable[str | Path], fmt: str) -> str:
    """Read graph files or folders (see validate.load_graph) and serialise them in `fmt`."""
    from normgraph.rdf.validate import load_graph

    return serialize(load_graph(paths), fmt)


def parse_back(text: str, fmt: str) -> Dataset:
    """Parse an export again (used to check that it round-trips)."""
    ds = Dataset()
    ds.parse(data=text, format={"turtle": "turtle", "nt": "nt", "nquads": "nquads", "trig": "trig",
                                "jsonld": "json-ld", "xml": "xml"}[fmt])
    return ds


__all__ = ["EXPORT_FORMATS", "export", "jsonld_context", "merged_graph", "parse_back", "serialize"]
