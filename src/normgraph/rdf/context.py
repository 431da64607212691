"""The JSON-LD context of normgraph graphs (ontology/context.jsonld) and how it is made from the ontology.

Owns: the term definitions `normgraph export -f jsonld` compacts with, so that a stance reads
{"@type": "Stance", "holder": "party:CHN", "stanceType": "Oppose", "evidence": "..."}: one term
per class, property and individual of the ontology (ontology/normgraph.ttl, the stance types
and polarities), object properties typed "@id" (their values are IRIs), the properties whose
values are ontology individuals (ng:stanceType, ng:polarity, ng:defaultPolarity) typed
"@vocab" (their values are terms), datatype properties typed with their XSD range where JSON
has no native form (xsd:decimal, xsd:gYear, xsd:date, xsd:dateTime; integers, booleans and
strings stay native JSON), the Web Annotation and PROV-O terms the graph uses, and the
prefixes of the resource namespaces.  The committed file is the one loaded at run time; a test
checks it is what `context_from_ontology()` makes of the ontology now
(`python -m normgraph.rdf.context > ontology/context.jsonld` rewrites it).
"""
from __future__ import annotations

import json
import sys
from functools import lru_cache

from rdflib import OWL, RDF, RDFS, XSD, Graph, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from normgraph.namespace import ID_IRI, NG, NG_IRI, OA
from normgraph.rdf.graph import PREFIXES
from normgraph.resources import resource_dir, resource_files

CONTEXT_FILE = "context.jsonld"
# individuals of these classes are terms: "@vocab"-typed values then read "Oppose", "Negative"; and the schemes
_INDIVIDUAL_CLASSES = (NG.StanceType, NG.Polarity, SKOS.ConceptScheme)
_VOCAB_RANGES = (NG.StanceType, NG.Polarity)
_TYPED_RANGES = (XSD.decimal, XSD.gYear, XSD.date, XSD.dateTime)  # no native JSON form
_PREFIXES = {**PREFIXES, "id": ID_IRI, "rdf": str(RDF), "rdfs": str(RDFS), "xsd": str(XSD), "owl": str(OWL),
             "oa": str(OA._NS)}
# terms of other vocabularies the graph uses: term -> (IRI, @type or None)
_OTHER_TERMS: dict[str, tuple[URIRef, str | None]] = {
    "label": (RDFS.label, None),
    "comment": (RDFS.comment, None),
    "prefLabel": (SKOS.prefLabel, None),
    "altLabel": (SKOS.altLabel, None),
    "notation": (SKOS.notation, None),
    "exactMatch": (SKOS.exactMatch, "@id"),
    "inScheme": (SKOS.inScheme, "@id"),
    "title": (DCTERMS.title, None),
    "date": (DCTERMS.date, "xsd:date"),
    "publisher": (DCTERMS.publisher, None),
    "language": (DCTERMS.language, None),
    "source": (DCTERMS.source, "@id"),
    "hasSource": (OA.hasSource, "@id"),
    "hasSelector": (OA.hasSelector, "@id"),
    "TextPositionSelector": (OA.TextPositionSelector, None),
    "TextQuoteSelector": (OA.TextQuoteSelector, None),
    "exact": (OA.exact, None),
    "prefix": (OA.prefix, None),
    "suffix": (OA.suffix, None),
    "Activity": (PROV.Activity, None),
    "Entity": (PROV.Entity, None),
    "SoftwareAgent": (PROV.SoftwareAgent, None),
    "used": (PROV.used, "@id"),
    "wasGeneratedBy": (PROV.wasGeneratedBy, "@id"),
    "wasDerivedFrom": (PROV.wasDerivedFrom, "@id"),
    "wasAssociatedWith": (PROV.wasAssociatedWith, "@id"),
    "startedAtTime": (PROV.startedAtTime, "xsd:dateTime"),
    "endedAtTime": (PROV.endedAtTime, "xsd:dateTime"),
}


def _compact(iri: URIRef) -> str:
    for prefix, ns in sorted(_PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if str(iri).startswith(ns) and len(str(iri)) > len(ns):
            return f"{prefix}:{str(iri)[len(ns):]}"
    return str(iri)


def _ontology() -> Graph:
    g = Graph()
    for path in resource_files("ontology", ".ttl"):
        g.parse(path, format="turtle")
    return g


def context_from_ontology(ontology: Graph | None = None) -> dict:
    """The @context for the ontology's terms (all of ontology/*.ttl when none is given)."""
    g = _ontology() if ontology is None else ontology
    terms: dict[str, object] = dict(_PREFIXES)
    names = {s for s in g.subjects(RDF.type, None) if isinstance(s, URIRef) and str(s).startswith(NG_IRI)}
    for node in sorted(names):
        name = str(node)[len(NG_IRI):]
        types = set(g.objects(node, RDF.type))
        ranges = set(g.objects(node, RDFS.range))
        if OWL.ObjectProperty in types:
            vocab = any(r in _VOCAB_RANGES for r in ranges)
            terms[name] = {"@id": f"ng:{name}", "@type": "@vocab" if vocab else "@id"}
        elif OWL.DatatypeProperty in types:
            typed = next((r for r in sorted(ranges) if r in _TYPED_RANGES), None)
            terms[name] = {"@id": f"ng:{name}", **({"@type": _compact(typed)} if typed is not None else {})}
        elif OWL.Class in types or RDFS.Class in types or any(t in _INDIVIDUAL_CLASSES for t in types):
            terms[name] = f"ng:{name}"
    for name, (iri, kind) in _OTHER_TERMS.items():
        terms.setdefault(name, {"@id": _compact(iri), "@type": kind} if kind else _compact(iri))
    return dict(sorted(terms.items()))


def context_text(context: dict) -> str:
    """The file's text: the context under "@context", keys sorted, two-space indent."""
    return json.dumps({"@context": context}, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


@lru_cache(maxsize=1)
def load_context() -> dict:
    """The committed context (ontology/context.jsonld), as export uses it."""
    path = resource_dir("ontology") / CONTEXT_FILE
    return json.loads(path.read_text(encoding="utf-8"))["@context"]


if __name__ == "__main__":
    sys.stdout.write(context_text(context_from_ontology()))
