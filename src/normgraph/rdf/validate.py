"""Validation: reading graph files, checking them against normgraph's SHACL shapes, and the report.

`load_graph` reads Turtle, N-Triples, N-Quads, TriG, JSON-LD and RDF/XML files into one
`Dataset` (each triples file in the named graph of its document, id:graph/<file stem>).
`validate` runs pySHACL with the packaged shapes (shapes/*.ttl) over the union of all
graphs, with the terms of the packaged ontology (ontology/*.ttl) mixed in so that
subclasses count for sh:class.  `format_report` says each violation in words that name
the document and clause it concerns, so that a person can find the clause and fix it;
`report_turtle` gives pySHACL's report graph itself (sh:ValidationReport, blank nodes
labelled canonically so the same report gives the same bytes) and `report_json` the same
results as JSON.  `load_stdin` reads one graph from standard input.
"""
from __future__ import annotations

import json
import xml.sax
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import RDF, BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import SH, XSD, NamespaceManager
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from normgraph.errors import InputError
from normgraph.namespace import ID_IRI, NG, NG_IRI, graph_iri
from normgraph.resources import resource_files

FORMATS = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".nq": "nquads",
    ".trig": "trig",
    ".jsonld": "json-ld",
    ".rdf": "xml",
}
FORMAT_NAMES = {
    "turtle": "Turtle",
    "nt": "N-Triples",
    "nquads": "N-Quads",
    "trig": "TriG",
    "json-ld": "JSON-LD",
    "xml": "RDF/XML",
}
_LINE_FORMATS = ("nt", "nquads")
_DOC_PREFIX = ID_IRI + "doc/"
_QUOTE_MAX = 80


@dataclass(frozen=True)
class Violation:
    """One SHACL result, located in the document and clause it concerns."""

    focus: Node
    path: URIRef | str | None  # the property, or a SPARQL path ("^ng:clause") for a complex SHACL path
    value: Node | None
    message: str
    severity: str  # "Violation", "Warning" or "Info"
    shape: Node | None  # sh:sourceShape: the shape whose rule failed
    constraint: Node | None  # sh:sourceConstraint (a SPARQL constraint) or the constraint component
    clause: URIRef | None  # the clause the result concerns (a stance's ng:inClause), if any
    where: str  # "clause 12 of cn-ru-2025-international-law", "document ...", "id:principle/..."

    @property
    def rule(self) -> str:
        """The name of the rule that failed: the SPARQL constraint, else the shape (e.g. "Stance-target")."""
        node = self.constraint if _is_sparql_constraint(self.constraint) else self.shape
        return str(node).rsplit("#", 1)[-1].rsplit("/", 1)[-1] if node is not None else ""


@dataclass
class Report:
    """The outcome of `validate`: whether the graph conforms, and what is wrong if not."""

    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    triples: int = 0
    graph: Graph | None = None  # pySHACL's report graph


# ---------------------------------------------------------------------------- loading

STDIN = "<stdin>"


def _graph_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix in FORMATS and p.is_file())
            if not found:
                raise InputError(str(path), f"no graph files ({', '.join(FORMATS)}) in this folder")
            yield from found
        elif path.is_file():
            if path.suffix not in FORMATS:
                raise InputError(str(path), f"unknown graph format: name it {', '.join(FORMATS)}")
            yield path
        else:
            raise InputError(str(path), "no such file or folder")


def _error_line(path: Path, fmt: str, error: Exception) -> int | None:
    """The 1-based line of `path` that `error` points at, where the parser says it."""
    return _error_line_in(None, fmt, error, path)


def _error_line_in(text: str | None, fmt: str, error: Exception, path: Path | None = None) -> int | None:
    if isinstance(error, BadSyntax):
        return error.lines + 1
    if isinstance(error, json.JSONDecodeError):
        return error.lineno
    if isinstance(error, xml.sax.SAXParseException):
        return error.getLineNumber()
    if fmt in _LINE_FORMATS:
        lines = text if text is not None else path.read_text(encoding="utf-8") if path else ""
        for number, line in enumerate(lines.splitlines(), 1):
            try:
                Dataset().parse(data=line + "\n", format=fmt)
            except Exception:  # noqa: BLE001 - any failure locates the line
                return number
    return None


def _error_text(error: Exception) -> str:
    if isinstance(error, BadSyntax):
        return f"bad syntax ({getattr(error, '_why', 'see the line')})"
    if isinstance(error, json.JSONDecodeError):
        return f"bad JSON ({error.msg}, column {error.colno})"
    if isinstance(error, xml.sax.SAXParseException):
        return f"bad XML ({error.getMessage()}, column {error.getColumnNumber()})"
    text = str(error).strip().splitlines()[0].rstrip(":") if str(error).strip() else type(error).__name__
    return text[:200]


def load_graph(paths: Iterable[str | Path]) -> Dataset:
    """Read graph files (or folders of them) into one Dataset.

    The format comes from the suffix (.ttl .nt .nq .trig .jsonld .rdf).  Triples outside any
    named graph go into the named graph of their file's document, id:graph/<file stem>;
    quads keep their graph.  A missing path or a malformed file raises `InputError` whose
    `where` is "path: line N" when the parser says the line.
    """
    dataset = Dataset()
    for path in _graph_files(paths):
        fmt = FORMATS[path.suffix]
        scratch = Dataset()
        try:
            scratch.parse(path, format=fmt)
        except UnicodeDecodeError as error:
            raise InputError(str(path), f"not UTF-8 text (byte {error.start})") from error
        except Exception as error:  # noqa: BLE001 - parsers raise many kinds; each becomes one line
            line = _error_line(path, fmt, error)
            where = f"{path}: line {line}" if line else str(path)
            raise InputError(where, f"not valid {FORMAT_NAMES[fmt]}: {_error_text(error)}") from error
        _merge(scratch, dataset, graph_iri(path.stem))
    return dataset


def load_stdin(text: str, fmt: str = "trig", into: Dataset | None = None) -> Dataset:
    """Parse `text` (standard input's, in rdflib format `fmt`; TriG also reads Turtle) into `into`
    or a new Dataset, triples outside any named graph in id:graph/stdin.  A malformed text
    raises `InputError` whose `where` is "<stdin>: line N" when the parser says the line."""
    dataset = into if into is not None else Dataset()
    scratch = Dataset()
    try:
        scratch.parse(data=text, format=fmt)
    except Exception as error:  # noqa: BLE001 - parsers raise many kinds; each becomes one line
        line = _error_line_in(text, fmt, error)
        name = "Turtle or TriG" if fmt == "trig" else FORMAT_NAMES.get(fmt, fmt)
        where = f"{STDIN}: line {line}" if line else STDIN
        raise InputError(where, f"not valid {name}: {_error_text(error)}") from error
    return _merge(scratch, dataset, graph_iri("stdin"))


def _merge(scratch: Dataset, dataset: Dataset, home: URIRef) -> Dataset:
    """Add the quads of `scratch` to `dataset`, those of its default graph to the named graph `home`."""
    for s, p, o, g in scratch.quads((None, None, None, None)):
        dataset.graph(home if g is None or g == scratch.default_graph.identifier else g).add((s, p, o))
    return dataset


# ---------------------------------------------------------------------------- validating


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """The packaged SHACL shapes (shapes/*.ttl) as one graph."""
    return _shapes_graph()


def ontology_terms() -> Graph:
    """The ontology's terms that validation mixes into the data (see `_ontology_terms`)."""
    return _ontology_terms()


def _shapes_graph() -> Graph:
    shapes = Graph()
    for path in resource_files("shapes", ".ttl"):
        shapes.parse(path, format="turtle")
    return shapes


@lru_cache(maxsize=1)
def _ontology_terms() -> Graph:
    """The terms of the packaged ontology: triples about ng: IRIs and the blank nodes they use.

    The vocabularies beside the ontology (parties, principles ...) are left out: each
    document graph already carries the triples of the entities it names, and their
    vocabulary form (skos:prefLabel@en ...) is not the graph form the shapes check.
    """
    source = Graph()
    for path in resource_files("ontology", ".ttl"):
        source.parse(path, format="turtle")
    terms = Graph()
    todo: list[Node] = [s for s in set(source.subjects()) if isinstance(s, URIRef) and s.startswith(NG_IRI)]
    seen: set[Node] = set(todo)
    while todo:
        subject = todo.pop()
        for _, p, o in source.triples((subject, None, None)):
            terms.add((subject, p, o))
            if isinstance(o, BNode) and o not in seen:
                seen.add(o)
                todo.append(o)
    return terms


@lru_cache(maxsize=256)
def _prepared(text: str, namespaces: tuple, base: str | None) -> Query:
    """A SPARQL text parsed once per process (a build validates each document on its own)."""
    return prepareQuery(text, initNs=dict(namespaces), base=base)


class _PreparedQueryGraph(Graph):
    """A graph that parses each distinct SPARQL text once.

    pySHACL runs a SHACL-SPARQL constraint once per focus node, with the same text and
    $this pre-bound; parsing the text costs tens of milliseconds, evaluating it far less.
    Keeping the parsed query makes the evidence checks of a few hundred stances take
    a fraction of a second instead of half a minute.
    """

    def query(self, query_object, processor="sparql", result="sparql", initNs=None,  # noqa: N803
              initBindings=None, use_store_provided=True, **kwargs):  # noqa: N803
        if isinstance(query_object, str) and processor == "sparql":
            query_object = _prepared(query_object, tuple(sorted((initNs or {}).items())), kwargs.get("base"))
        return super().query(
            query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs
        )


def _union(data: Graph) -> Graph:
    """One plain graph holding every triple of `data`, whatever graph it is in."""
    union = _PreparedQueryGraph()
    if isinstance(data, Dataset) or data.context_aware:
        union.addN((s, p, o, union) for s, p, o, _ in data.quads((None, None, None, None)))
    else:
        union.addN((s, p, o, union) for s, p, o in data)
    return union


def validate(
    data: Graph | Dataset,
    *,
    shapes: Graph | None = None,
    ontology: bool = True,
    inference: str | None = None,
) -> Report:
    """Check `data` (all its named graphs together) against the normgraph SHACL shapes.

    `shapes` replaces the packaged shapes; `ontology=False` leaves the ontology's terms out
    (then ng:State counts as ng:Party only where the graph says so); `inference` is passed
    to pySHACL ("rdfs", "owlrl", "both" or None) and is not needed for graphs that
    normgraph writes, which state the general class of every entity.
    """
    graph = _union(data)
    triples = len(graph)
    if ontology:
        graph += _ontology_terms()
    conforms, results, _ = shacl_validate(
        graph,
        shacl_graph=shapes if shapes is not None else _shapes_graph(),
        inference=inference,
        inplace=True,
        abort_on_first=False,
        allow_warnings=True,
        meta_shacl=False,
        advanced=False,
        js=False,
        debug=False,
    )
    found: dict[tuple, Violation] = {}
    for node in results.subjects(RDF.type, SH.ValidationResult):
        violation = _violation(graph, results, node)
        # one line per failed rule and value, even where several SHACL components fail on it
        key = (violation.focus, violation.path, violation.value, violation.message, violation.shape)
        if key not in found or str(violation.constraint) < str(found[key].constraint):
            found[key] = violation
    violations = sorted(found.values(), key=_sort_key(graph))
    return Report(conforms=bool(conforms), violations=violations, triples=triples, graph=results)


def _violation(data: Graph, results: Graph, node: Node) -> Violation:
    focus = results.value(node, SH.focusNode)
    messages = sorted(str(m) for m in results.objects(node, SH.resultMessage))
    severity = results.value(node, SH.resultSeverity)
    constraint = results.value(node, SH.sourceConstraint) or results.value(node, SH.sourceConstraintComponent)
    clause = _clause_of(data, focus)
    return Violation(
        focus=focus,
        path=_path(results, results.value(node, SH.resultPath)),
        value=results.value(node, SH.value),
        message="; ".join(messages) or "does not conform",
        severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
        shape=results.value(node, SH.sourceShape),
        constraint=constraint,
        clause=clause,
        where=_where(data, focus, clause),
    )


def _path(results: Graph, path: Node | None) -> URIRef | str | None:
    """A SHACL path as the property it is, or as SPARQL path text when it is not a plain property."""
    if path is None or isinstance(path, URIRef):
        return path
    inverse = results.value(path, SH.inversePath)
    if isinstance(inverse, URIRef):
        return "^" + _short(inverse)
    for kind, mark in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        inner = results.value(path, kind)
        if isinstance(inner, URIRef):
            return _short(inner) + mark
    return "(a complex path)"


def _is_sparql_constraint(node: Node | None) -> bool:
    """True for an sh:sparql constraint node; false for a SHACL Core constraint component."""
    return node is not None and not (isinstance(node, URIRef) and node.startswith(str(SH)))


def _clause_of(data: Graph, focus: Node) -> URIRef | None:
    """The clause a result concerns: the focus itself, or the clause a stance was read from."""
    if (focus, RDF.type, NG.Clause) in data:
        return focus if isinstance(focus, URIRef) else None
    for prop in (NG.inClause, NG.alignedClause):
        clause = data.value(focus, prop, any=True)
        if isinstance(clause, URIRef):
            return clause
    text = str(focus)
    if isinstance(focus, URIRef) and text.startswith(_DOC_PREFIX) and "/clause/" in text:
        head, tail = text.split("/clause/", 1)
        return URIRef(f"{head}/clause/{tail.split('/', 1)[0]}")  # id:doc/<d>/clause/<n>/stance/<h>
    return None


def _document_id(document: Node) -> str:
    text = str(document)
    return text[len(_DOC_PREFIX):] if text.startswith(_DOC_PREFIX) else text


def _where(data: Graph, focus: Node, clause: URIRef | None) -> str:
    """The place of a result in words: "clause 12 of <document id>", "document <id>", ..."""
    if clause is not None:
        number = data.value(clause, NG.number, any=True)
        document = data.value(clause, NG.inDocument, any=True)
        document = document or data.value(None, NG.clause, clause, any=True)
        text = str(clause)
        if number is None and "/clause/" in text:
            number = text.rsplit("/clause/", 1)[1].split("/", 1)[0]
        if document is None and text.startswith(_DOC_PREFIX) and "/clause/" in text:
            document = URIRef(text.split("/clause/", 1)[0])
        label = f"clause {number}" if number is not None else f"clause {_short(clause)}"
        return f"{label} of {_document_id(document)}" if document is not None else label
    if (focus, RDF.type, NG.Document) in data:
        return f"document {_document_id(focus)}"
    return _short(focus)


def _sort_key(data: Graph):
    def key(v: Violation) -> tuple:
        ordinal = data.value(v.clause, NG.ordinal, any=True) if v.clause is not None else None
        position = int(ordinal) if isinstance(ordinal, Literal) and isinstance(ordinal.value, int) else 0
        document = v.where.split(" of ", 1)[1] if " of " in v.where else v.where
        return (document, position, v.where, str(v.focus), str(v.path), v.message)

    return key


# ---------------------------------------------------------------------------- wording

_PREFIXES = (
    ("ng", NG_IRI),
    ("id", ID_IRI),
    ("rdf", str(RDF)),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("xsd", str(XSD)),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("dcterms", "http://purl.org/dc/terms/"),
    ("prov", "http://www.w3.org/ns/prov#"),
    ("oa", "http://www.w3.org/ns/oa#"),
    ("sh", str(SH)),
)


@lru_cache(maxsize=1)
def _names() -> NamespaceManager:
    names = NamespaceManager(Graph(), bind_namespaces="none")
    for prefix, iri in _PREFIXES:
        names.bind(prefix, iri)
    return names


def _short(node: Node | None) -> str:
    """A node as a person reads it: ng:evidence, id:party/CHN, "text", 12."""
    if node is None:
        return ""
    if isinstance(node, Literal):
        text = str(node)
        if len(text) > _QUOTE_MAX:
            text = text[: _QUOTE_MAX - 25] + " … " + text[-20:]
        text = text.replace("\r\n", "⏎").replace("\n", "⏎")
        if node.datatype in (None, XSD.string) and node.language is None:
            return f'"{text}"'
        if node.language is not None:
            return f'"{text}"@{node.language}'
        if node.datatype in (XSD.integer, XSD.decimal, XSD.boolean):
            return text
        return f'"{text}"^^{node.datatype.n3(_names())}'
    if isinstance(node, BNode):
        return f"_:{node}"
    text = str(node)
    if text.startswith(_DOC_PREFIX) and "/clause/" in text:
        return "…/clause/" + text.split("/clause/", 1)[1]
    if text.startswith(ID_IRI):
        return "id:" + text[len(ID_IRI):]
    try:
        return node.n3(_names())
    except Exception:  # noqa: BLE001 - an IRI that cannot be abbreviated is shown whole
        return f"<{text}>"


def format_violation(violation: Violation) -> str:
    """One line: where, which node, and what to change."""
    head = f"{violation.where} ({_short(violation.focus)})"
    if violation.where == _short(violation.focus):
        head = violation.where
    if violation.severity != "Violation":
        head = f"{violation.severity.lower()}: {head}"
    found = ""
    if not _is_sparql_constraint(violation.constraint) and violation.path is not None:
        path = violation.path
        found = f" [{_short(path) if isinstance(path, URIRef) else path}"
        found += f" {_short(violation.value)}]" if violation.value is not None else "]"
    return f"{head}: {violation.message}{found}"


def format_report(report: Report) -> str:
    """The report in lines a person can act on, one per violation, then a count."""
    if not report.violations:
        return f"conforms: {report.triples} triples, no violations"
    lines = [format_violation(v) for v in report.violations]
    count = sum(1 for v in report.violations if v.severity == "Violation")
    others = len(report.violations) - count
    summary = "conforms" if report.conforms else "does not conform"
    summary += f": {count} violation{'s' if count != 1 else ''}"
    if others:
        summary += f", {others} warning{'s' if others != 1 else ''} or note{'s' if others != 1 else ''}"
    lines.append(f"{summary} in {report.triples} triples")
    return "\n".join(lines)


def report_turtle(report: Report) -> str:
    """pySHACL's report graph as Turtle, its blank nodes labelled canonically (rdflib.compare)."""
    from rdflib.compare import to_canonical_graph

    graph = Graph(bind_namespaces="none")
    graph += to_canonical_graph(report.graph if report.graph is not None else Graph())
    for prefix, iri in _PREFIXES:
        graph.bind(prefix, iri)
    return graph.serialize(format="turtle")


def report_json(report: Report) -> str:
    """The report as JSON: conforms, the triples checked, and one object per result with full IRIs."""
    def iri(node: Node | None) -> str | None:
        return None if node is None else str(node) if not isinstance(node, Literal) else None

    results = [{"severity": v.severity, "where": v.where, "focus": iri(v.focus),
                "path": str(v.path) if v.path is not None else None,
                "value": (str(v.value) if v.value is not None else None), "message": v.message, "rule": v.rule,
                "shape": iri(v.shape), "constraint": iri(v.constraint), "clause": iri(v.clause),
                "text": format_violation(v)} for v in report.violations]
    counts = {"violations": sum(1 for v in report.violations if v.severity == "Violation")}
    counts["warnings"] = len(report.violations) - counts["violations"]
    return json.dumps({"conforms": report.conforms, "triples": report.triples, **counts, "results": results},
                      ensure_ascii=False, indent=1) + "\n"


REPORT_FORMATS = {"human": format_report, "turtle": report_turtle, "ttl": report_turtle, "json": report_json}
