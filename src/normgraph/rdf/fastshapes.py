"""Fast validation: the packaged SHACL shapes compiled into SPARQL, run by pyoxigraph.

A build validates every document on its own. pySHACL (validate.py) takes about a second
for a General Debate speech, most of it evaluating each SPARQL constraint once per focus
node in rdflib. Here each constraint of each shape becomes one SELECT query that returns,
for all focus nodes at once, those that fail it; the queries run over the document's
graphs and the ontology's terms in an in-memory pyoxigraph store.

Compiled are the constraint components the packaged shapes use: targets (sh:targetClass,
with rdfs:subClassOf, and sh:targetObjectsOf), property paths (a property or its
sh:inversePath), sh:minCount, sh:maxCount, sh:class, sh:datatype (with the lexical form
checked for the numeric and date types), sh:nodeKind, sh:in, sh:pattern, sh:minLength,
sh:minInclusive, sh:maxInclusive, sh:lessThan, sh:or of class shapes, sh:qualifiedValueShape
(a class or an sh:in) with its counts, and SPARQL constraints (sh:select with sh:prefixes).
Oxigraph stores an xsd:nonNegativeInteger as an xsd:integer, so for that datatype the check
is an integer of at least 0.
A shape that uses any other component is refused when the shapes are compiled, so that a
new rule can never be skipped without notice.

`conforms` answers whether a document conforms; a build asks pySHACL again for a document
that does not, for the report in words. tests/test_fastshapes.py checks that the queries
find the same failing focus nodes and shapes as pySHACL on every shape fixture.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH, XSD
from rdflib.term import Node

from normgraph.namespace import NG_IRI

_SUBCLASS = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/<http://www.w3.org/2000/01/rdf-schema#subClassOf>*"
# lexical forms the datatypes allow (rdflib marks other forms ill-typed, and pySHACL reports them)
_LEXICAL = {
    XSD.integer: r"^[+-]?[0-9]+$",
    XSD.nonNegativeInteger: r"^[+]?[0-9]+$",
    XSD.decimal: r"^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)$",
    XSD.boolean: r"^(true|false|1|0)$",
    XSD.date: r"^-?[0-9]{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(Z|[+-][0-9]{2}:[0-9]{2})?$",
    XSD.dateTime: r"^-?[0-9]{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?"
                  r"(Z|[+-][0-9]{2}:[0-9]{2})?$",
}
# Oxigraph keeps the integer types derived by restriction as xsd:integer: for them the check is the
# restriction itself on an xsd:integer
_STORED_AS = {XSD.nonNegativeInteger: (XSD.integer, "?v >= 0"), XSD.positiveInteger: (XSD.integer, "?v > 0")}
# what a shape may say besides its constraints
_DESCRIPTIVE = {SH.message, SH.name, SH.description, SH.order, SH.group, SH.targetClass, SH.targetObjectsOf,
                SH.property, SH.sparql, SH.path}
_COMPILED = {SH.minCount, SH.maxCount, SH["class"], SH.datatype, SH.nodeKind, SH["in"], SH.pattern, SH.flags,
             SH.minLength, SH.minInclusive, SH.maxInclusive, SH.lessThan, SH["or"], SH.qualifiedValueShape,
             SH.qualifiedMinCount, SH.qualifiedMaxCount}


class UnsupportedShape(ValueError):
    """A shape uses a SHACL feature the compiler does not translate."""


@dataclass(frozen=True)
class Check:
    """One compiled constraint: the shape it belongs to and the query that returns the failing ?this."""

    shape: str  # the property shape, or the node shape of a SPARQL constraint (pySHACL's sh:sourceShape)
    query: str
    # how the check is made, so that checks on the same focus nodes can be asked in one query
    focus: str = ""  # the group that binds the focus nodes ?this
    path: str = ""  # the pattern that binds their values ?v
    condition: str = ""  # a value check: a value fails when this holds
    having: str = ""  # a count check: a focus node fails when this holds of its values


def _term(node: Node) -> str:
    """A node in SPARQL syntax."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        text = str(node).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        if node.language:
            return f'"{text}"@{node.language}'
        return f'"{text}"^^<{node.datatype or XSD.string}>'
    raise UnsupportedShape(f"a blank node as a constraint value: {node}")


def _list(shapes: Graph, head: Node) -> list[Node]:
    return list(Collection(shapes, head))


def _target(shapes: Graph, node_shape: Node) -> str:
    parts = [f"{{ ?this {_SUBCLASS} {_term(c)} . }}" for c in sorted(shapes.objects(node_shape, SH.targetClass))]
    parts += [f"{{ ?_subject {_term(p)} ?this . }}" for p in sorted(shapes.objects(node_shape, SH.targetObjectsOf))]
    if not parts:
        raise UnsupportedShape(f"a node shape without sh:targetClass or sh:targetObjectsOf: {node_shape}")
    return "SELECT DISTINCT ?this WHERE { " + " UNION ".join(parts) + " }"


def _path(shapes: Graph, shape: Node) -> str:
    path = shapes.value(shape, SH.path)
    if isinstance(path, URIRef):
        return f"?this {_term(path)} ?v ."
    inverse = shapes.value(path, SH.inversePath) if isinstance(path, BNode) else None
    if isinstance(inverse, URIRef):
        return f"?v {_term(inverse)} ?this ."
    raise UnsupportedShape(f"a property path other than a property or its inverse: {shape}")


def _value_test(shapes: Graph, value_shape: Node) -> str:
    """A SPARQL condition that holds when ?v conforms to a small value shape ([sh:class X], [sh:in (...)])."""
    said = {p for p in shapes.predicates(value_shape) if p != RDF.type}
    if said == {SH["class"]}:
        return " && ".join(f"EXISTS {{ ?v {_SUBCLASS} {_term(c)} }}" for c in shapes.objects(value_shape, SH["class"]))
    if said == {SH["in"]}:
        members = _list(shapes, shapes.value(value_shape, SH["in"]))
        return "(" + " || ".join(f"sameTerm(?v, {_term(x)})" for x in members) + ")"
    raise UnsupportedShape(f"a value shape other than sh:class or sh:in: {value_shape}")


def _property_checks(shapes: Graph, target: str, shape: Node) -> list[Check]:
    said = set(shapes.predicates(shape)) - {RDF.type} - _DESCRIPTIVE
    unknown = {p for p in said if str(p).startswith(str(SH))} - _COMPILED
    if unknown:
        raise UnsupportedShape(f"{shape} uses {', '.join(sorted(str(u) for u in unknown))}")
    path = _path(shapes, shape)
    name = str(shape)
    focus = f"{{ {target} }}"
    checks: list[Check] = []

    def values(condition: str) -> None:
        checks.append(Check(name, f"SELECT DISTINCT ?this WHERE {{ {focus} {path} FILTER ({condition}) }}",
                            focus, path, condition=condition))

    def count(having: str, condition: str | None = None) -> None:
        inner = f"{path} FILTER ({condition})" if condition else path
        checks.append(Check(name, f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ {inner} }} }} "
                                  f"GROUP BY ?this HAVING ({having})", focus, inner, having=having))

    for n in shapes.objects(shape, SH.minCount):
        count(f"COUNT(DISTINCT ?v) < {int(n)}")
    for n in shapes.objects(shape, SH.maxCount):
        count(f"COUNT(DISTINCT ?v) > {int(n)}")
    for c in shapes.objects(shape, SH["class"]):
        values(f"NOT EXISTS {{ ?v {_SUBCLASS} {_term(c)} }}")
    for d in shapes.objects(shape, SH.datatype):
        lexical = f' && REGEX(STR(?v), "{_LEXICAL[d]}")' if d in _LEXICAL else ""
        if d in _STORED_AS:
            stored, restriction = _STORED_AS[d]
            lexical = f' && REGEX(STR(?v), "{_LEXICAL[stored]}") && {restriction}'
            d = stored
        values(f"!(isLiteral(?v) && sameTerm(DATATYPE(?v), {_term(d)}){lexical})")
    for kind in shapes.objects(shape, SH.nodeKind):
        tests = {SH.IRI: "isIRI(?v)", SH.Literal: "isLiteral(?v)", SH.BlankNode: "isBlank(?v)",
                 SH.BlankNodeOrIRI: "(isBlank(?v) || isIRI(?v))", SH.IRIOrLiteral: "(isIRI(?v) || isLiteral(?v))",
                 SH.BlankNodeOrLiteral: "(isBlank(?v) || isLiteral(?v))"}
        values(f"!{tests[kind]}")
    for head in shapes.objects(shape, SH["in"]):
        values("!(" + " || ".join(f"sameTerm(?v, {_term(x)})" for x in _list(shapes, head)) + ")")
    for pattern in shapes.objects(shape, SH.pattern):
        flags = shapes.value(shape, SH.flags)
        text = str(pattern).replace("\\", "\\\\").replace('"', '\\"')
        flag_arg = f', "{flags}"' if flags else ""
        values(f'isBlank(?v) || !REGEX(STR(?v), "{text}"{flag_arg})')
    for n in shapes.objects(shape, SH.minLength):
        values(f"isBlank(?v) || STRLEN(STR(?v)) < {int(n)}")
    for n in shapes.objects(shape, SH.minInclusive):
        values(f"!COALESCE(?v >= {_term(n)}, false)")
    for n in shapes.objects(shape, SH.maxInclusive):
        values(f"!COALESCE(?v <= {_term(n)}, false)")
    for other in shapes.objects(shape, SH.lessThan):
        checks.append(Check(name, f"SELECT DISTINCT ?this WHERE {{ {focus} {path} ?this {_term(other)} ?w . "
                                  f"FILTER (!COALESCE(?v < ?w, false)) }}"))
    for head in shapes.objects(shape, SH["or"]):
        values(" && ".join(f"!({_value_test(shapes, alt)})" for alt in _list(shapes, head)))
    for q in shapes.objects(shape, SH.qualifiedValueShape):
        test = _value_test(shapes, q)
        for n in shapes.objects(shape, SH.qualifiedMinCount):
            count(f"COUNT(DISTINCT ?v) < {int(n)}", test)
        for n in shapes.objects(shape, SH.qualifiedMaxCount):
            count(f"COUNT(DISTINCT ?v) > {int(n)}", test)
    return checks


def _prefixes(shapes: Graph, constraint: Node) -> str:
    out = []
    for holder in shapes.objects(constraint, SH.prefixes):
        for declaration in shapes.objects(holder, SH.declare):
            prefix, namespace = shapes.value(declaration, SH.prefix), shapes.value(declaration, SH.namespace)
            out.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(sorted(set(out)))


def _sparql_check(shapes: Graph, target: str, node_shape: Node, constraint: Node) -> Check:
    select = str(shapes.value(constraint, SH.select))
    if "$" in select.replace("$this", ""):
        raise UnsupportedShape(f"a SPARQL constraint with pre-bound variables other than $this: {constraint}")
    where = re.search(r"\bWHERE\s*\{", select, re.IGNORECASE)
    if where is None:
        raise UnsupportedShape(f"a SPARQL constraint without WHERE: {constraint}")
    body = select.replace("$this", "?this")
    at = where.end()
    query = f"{_prefixes(shapes, constraint)}\n{body[:at]} {{ {target} }} {body[at:]}"
    return Check(str(node_shape), query)


def compile_shapes(shapes: Graph) -> list[Check]:
    """The checks of every node shape of `shapes`, in a fixed order."""
    checks: list[Check] = []
    for node_shape in sorted(shapes.subjects(RDF.type, SH.NodeShape)):
        said = set(shapes.predicates(node_shape)) - {RDF.type} - _DESCRIPTIVE
        unknown = {p for p in said if str(p).startswith(str(SH))}
        if unknown:
            raise UnsupportedShape(f"{node_shape} uses {', '.join(sorted(str(u) for u in unknown))}")
        target = _target(shapes, node_shape)
        for prop in sorted(shapes.objects(node_shape, SH.property)):
            checks += _property_checks(shapes, target, prop)
        for constraint in sorted(shapes.objects(node_shape, SH.sparql)):
            checks.append(_sparql_check(shapes, target, node_shape, constraint))
    return checks


@functools.lru_cache(maxsize=2)
def _packaged() -> tuple[tuple[Check, ...], bytes, tuple[str, ...]]:
    from normgraph.rdf.validate import ontology_terms, shapes_graph

    checks = tuple(compile_shapes(shapes_graph()))
    queries = merged(checks)
    return checks, _read_terms(ontology_terms(), checks, queries).serialize(format="nt", encoding="utf-8"), queries


# predicates of the ontology's terms that carry words for the extractor, not structure for the shapes
_WORDS = (URIRef(NG_IRI + "term"), URIRef(NG_IRI + "cueExpression"), RDFS.comment)


def _read_terms(terms: Graph, checks: tuple[Check, ...], queries: tuple[str, ...]) -> Graph:
    """The ontology's terms without the triples of the word-list predicates (`_WORDS`: the lexicons'
    terms, the cue expressions, comments; most of the terms' bytes), unless a query names that
    predicate, so no check can see the difference. The queries never have a variable predicate
    outside a SPARQL constraint, and those name theirs (tests/test_fastshapes.py compares the
    outcome with pySHACL's over all the terms)."""
    text = "\n".join((*(c.query for c in checks), *queries))
    unread = {p for p in _WORDS if f"<{p}>" not in text and not re.search(rf":{re.escape(_local(p))}\b", text)}
    out = Graph()
    for triple in terms:
        if triple[1] not in unread:
            out.add(triple)
    return out


def _local(iri: URIRef) -> str:
    return re.split(r"[#/]", str(iri))[-1]


def merged(checks: tuple[Check, ...] | list[Check]) -> tuple[str, ...]:
    """Queries that find a failure exactly when one of the checks does, fewer of them: the value checks
    of one set of focus nodes are asked together (their paths as a UNION, the conditions of one path
    joined by ||), so are the plain counts of one set of focus nodes (a table of property, least and
    most number of values), and the other count checks of one path; every other check is asked as it
    is. A query
    gives a row when something fails, without saying which check it was (`failing` says that)."""
    values: dict[str, dict[str, list[str]]] = {}
    counts: dict[tuple[str, str], list[str]] = {}
    queries: list[str] = []
    for c in checks:
        if c.condition:
            values.setdefault(c.focus, {}).setdefault(c.path, []).append(c.condition)
        elif c.having:
            counts.setdefault((c.focus, c.path), []).append(c.having)
        else:
            queries.append(c.query)
    for focus, paths in values.items():
        union = " UNION ".join(f"{{ {path} FILTER ({' || '.join(f'({x})' for x in conditions)}) }}"
                               for path, conditions in paths.items())
        queries.append(f"SELECT ?this WHERE {{ {focus} {union} }} LIMIT 1")
    bounds: dict[str, dict[str, list[int]]] = {}  # focus -> property -> [min, max] of plain counts
    for (focus, path), havings in counts.items():
        plain = _DIRECT.fullmatch(path)
        limits = [_COUNT.fullmatch(h) for h in havings]
        if plain and all(limits):
            pair = bounds.setdefault(focus, {}).setdefault(plain.group(1), [0, _UNBOUNDED])
            for m in limits:
                if m.group(1) == "<":
                    pair[0] = max(pair[0], int(m.group(2)))
                else:
                    pair[1] = min(pair[1], int(m.group(2)))
            continue
        queries.append(f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ {path} }} }} GROUP BY ?this "
                       f"HAVING ({' || '.join(f'({h})' for h in havings)}) LIMIT 1")
    for focus, table in bounds.items():  # the plain counts of one set of focus nodes, a property a row
        rows = " ".join(f"({p} {lo} {hi})" for p, (lo, hi) in table.items())
        queries.append(f"SELECT ?this WHERE {{ {focus} VALUES (?p ?min ?max) {{ {rows} }} "
                       "OPTIONAL { ?this ?p ?v } } GROUP BY ?this ?p ?min ?max "
                       "HAVING (COUNT(DISTINCT ?v) < ?min || COUNT(DISTINCT ?v) > ?max) LIMIT 1")
    return tuple(queries)


_DIRECT = re.compile(r"\?this (<[^>\s]+>) \?v \.")  # a path that is one property, with no condition
_COUNT = re.compile(r"COUNT\(DISTINCT \?v\) ([<>]) ([0-9]+)")
_UNBOUNDED = 1 << 62


def packaged_checks() -> tuple[Check, ...]:
    """The checks of the packaged shapes (compiled once per process)."""
    return _packaged()[0]


def failing(store: ox.Store, checks: tuple[Check, ...] | list[Check]) -> set[tuple[str, str]]:
    """(focus node, shape) of every failure the checks find in the store (its graphs as one)."""
    out: set[tuple[str, str]] = set()
    for check in checks:
        for row in store.query(check.query, use_default_graph_as_union=True):
            focus = row["this"]
            out.add((focus.value if isinstance(focus, ox.NamedNode) else str(focus), check.shape))
    return out


def document_store(*nquads: str | bytes) -> ox.Store:
    """An in-memory store with the ontology's terms and the given N-Quads texts (loaded in one
    transaction each: for a document's few thousand quads the bulk loader's set-up costs more)."""
    store = ox.Store()
    store.load(_packaged()[1], ox.RdfFormat.N_TRIPLES)
    for text in nquads:
        if text:
            store.load(text.encode("utf-8") if isinstance(text, str) else text, ox.RdfFormat.N_QUADS)
    return store


def conforms(*nquads: str | bytes) -> bool:
    """Whether the graphs given as N-Quads texts (one document's own graph and what it describes)
    conform to the packaged shapes."""
    return store_conforms(document_store(*nquads))


def store_conforms(store: ox.Store, queries: tuple[str, ...] | None = None) -> bool:
    """Whether nothing in the store (its graphs as one) fails the packaged shapes, or the checks
    `merged` made of other shapes."""
    queries = _packaged()[2] if queries is None else queries
    return not any(next(iter(store.query(q, use_default_graph_as_union=True)), None) is not None
                   for q in queries)
