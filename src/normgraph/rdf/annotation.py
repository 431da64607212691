"""W3C Web Annotation selectors for the text spans of the graph (clauses and stances).

Owns: the `oa:TextPositionSelector` (oa:start, oa:end) and `oa:TextQuoteSelector`
(oa:exact, oa:prefix, oa:suffix) written beside a span's `ng:start`/`ng:end`, so that
annotation tools (Hypothesis, Recogito, the W3C model's readers) find the words in the
document without knowing normgraph's own terms.  The span node itself is the
`oa:SpecificResource`: it names its document with `oa:hasSource` and its two selectors
with `oa:hasSelector`.  Offsets count Unicode code points, as the Web Annotation model
prescribes and as `ng:start`/`ng:end` do, so the position selector repeats them exactly.
"""
from __future__ import annotations

from typing import Protocol

from rdflib import RDF, XSD, Literal, URIRef

from normgraph.namespace import OA, selector_iri


class TripleSink(Protocol):
    """What the selectors are added to: an rdflib Graph, or graph.Triples."""

    def add(self, triple: tuple) -> object: ...

_TYPE, _OFFSET = RDF.type, XSD.nonNegativeInteger  # looked up once: rdflib makes a term at each lookup
CONTEXT_LENGTH = 32  # code points of prefix and suffix, as Hypothesis quotes them


def add_selectors(g: TripleSink, node: URIRef, document: URIRef, text: str, start: int, end: int) -> None:
    """Say where `node` lies in `document` (whose full text is `text`) with a position and a quote selector."""
    position, quote = selector_iri(node, "position"), selector_iri(node, "quote")
    g.add((node, OA.hasSource, document))
    g.add((node, OA.hasSelector, position))
    g.add((node, OA.hasSelector, quote))
    g.add((position, _TYPE, OA.TextPositionSelector))
    g.add((position, OA.start, Literal(start, datatype=_OFFSET)))
    g.add((position, OA.end, Literal(end, datatype=_OFFSET)))
    g.add((quote, _TYPE, OA.TextQuoteSelector))
    g.add((quote, OA.exact, Literal(text[start:end])))
    prefix, suffix = text[max(0, start - CONTEXT_LENGTH):start], text[end:end + CONTEXT_LENGTH]
    if prefix:  # none at the very beginning or end of the text
        g.add((quote, OA.prefix, Literal(prefix)))
    if suffix:
        g.add((quote, OA.suffix, Literal(suffix)))
