"""Tests for validate.py and the shapes and ontology it checks with.

Every fixture in tests/data/shapes/ is read together with context.ttl (a small valid
declaration with two clauses and its entities).  A `-valid` fixture must conform; every
other fixture must fail for the reason its shape exists: the expected rule, focus node,
path and words of the message, and no other rule.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SH, SKOS

from normgraph.errors import InputError
from normgraph.namespace import ID, NG, NG_IRI, graph_iri
from normgraph.rdf.validate import Report, format_report, load_graph, validate

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data" / "shapes"
CONTEXT = DATA / "context.ttl"
DECLARATION = ID["doc/test-declaration"]
CLAUSE_1 = ID["doc/test-declaration/clause/1"]
CLAUSE_2 = ID["doc/test-declaration/clause/2"]
CLAUSE = "doc/test-declaration/clause/"
STANCE = "doc/test-declaration/clause/2/stance/"
RELATION = "doc/test-declaration/clause/1/relation/"
ALIGNMENT = "doc/test-declaration/clause/1/alignment/"

VALID = ["stance-valid", "normrelation-valid", "alignment-valid", "entity-subclass-only"]

# fixture: (focus under id:, the one rule that fails, result path, words of the message)
INVALID: dict[str, tuple[str, str, URIRef | str | None, str]] = {
    "document-two-fulltexts": ("doc/other", "Document-fullText", NG.fullText, "exactly one ng:fullText"),
    "document-date-not-date": ("doc/other", "Document-date", DCTERMS.date, "xsd:date"),
    "document-two-titles": ("doc/other", "Document-title", DCTERMS.title, "one dcterms:title"),
    "document-author-not-party": ("doc/other", "Document-author", NG.author, "must be a party"),
    "document-clause-not-clause": ("doc/other", "Document-clause", NG.clause, "typed ng:Clause"),
    "clause-text-not-slice": (
        CLAUSE + "3",
        "ClauseTextIsSliceOfDocument",
        NG.text,
        "ng:text is not the text between ng:start 145 and ng:end 219 of its document",
    ),
    "clause-utf16-offsets": (
        CLAUSE + "3",
        "ClauseTextIsSliceOfDocument",
        NG.text,
        "ng:start 146 and ng:end 220",
    ),
    "clause-end-past-document": (
        CLAUSE + "3",
        "ClauseEndWithinDocument",
        NG.end,
        "ng:end 500 lies past the end",
    ),
    "clause-start-after-end": (CLAUSE + "3", "Clause-start", NG.start, "less than its ng:end"),
    "clause-no-document": (CLAUSE + "9", "Clause-inDocument", NG.inDocument, "exactly one ng:inDocument"),
    "clause-two-numbers": (CLAUSE + "1", "Clause-number", NG.number, "exactly one ng:number"),
    "clause-mentions-untyped": (CLAUSE + "2", "Clause-mentions", NG.mentions, "must be an entity"),
    "clause-kind-unknown": (CLAUSE + "3", "Clause-clauseKind", NG.clauseKind, '"preamble"'),
    "stance-two-targets": (STANCE + "bad00001", "Stance-target", NG.target, "exactly one ng:target"),
    "stance-no-evidence": (STANCE + "bad00002", "Evidence-evidence", NG.evidence, "exactly one ng:evidence"),
    "stance-evidence-not-slice": (
        STANCE + "bad00003",
        "EvidenceIsSliceOfDocument",
        NG.evidence,
        'ng:evidence "oppose unilateral sanctions firmly" is not the text between ng:start 153 and '
        "ng:end 187",
    ),
    "stance-utf16-offsets": (
        STANCE + "bad00004",
        "EvidenceIsSliceOfDocument",
        NG.evidence,
        'which has "irmly oppose unilateral sanctions "',
    ),
    "stance-evidence-outside-clause": (
        STANCE + "bad00005",
        "EvidenceInsideClause",
        NG.start,
        "[50, 94) lies outside its clause's span [145, 219)",
    ),
    "stance-polarity-outside-list": (
        STANCE + "bad00007",
        "Stance-polarity",
        NG.polarity,
        "ng:Positive, ng:Negative",
    ),
    "stance-unknown-type": (STANCE + "bad00008", "Stance-stanceType", NG.stanceType, "one of ng:Reaffirm"),
    "stance-two-types": (
        STANCE + "bad00009",
        "Stance-stanceType",
        NG.stanceType,
        "two types make two stances",
    ),
    "stance-no-holder": (STANCE + "bad00010", "Stance-holder", NG.holder, "at least one ng:holder"),
    "stance-holder-not-party": (STANCE + "bad00011", "Stance-holder", NG.holder, "each a party"),
    "stance-target-not-entity": (STANCE + "bad00012", "Stance-target", NG.target, "an entity typed"),
    "stance-no-clause": (STANCE + "bad00013", "Stance-inClause", NG.inClause, "exactly one ng:inClause"),
    "stance-start-after-end": (STANCE + "bad00014", "Evidence-start", NG.start, "less than ng:end"),
    "stance-offset-not-integer": (STANCE + "bad00015", "Evidence-start", NG.start, "an xsd:integer"),
    "stance-evidence-backslash": (
        STANCE + "bad00016",
        "EvidenceIsSliceOfDocument",
        NG.evidence,
        'ng:evidence "firmly oppose \\1 unilateral\\sanctions"',
    ),
    "entity-two-labels": ("principle/non-interference", "Entity-label", RDFS.label, "exactly one rdfs:label"),
    "entity-label-language": (
        "principle/non-interference",
        "Entity-label",
        RDFS.label,
        "without language tag",
    ),
    "entity-no-label": ("concept/common-future", "Entity-label", RDFS.label, "exactly one rdfs:label"),
    "entity-wikidata-page": (
        "party/CHN",
        "Entity-exactMatch",
        SKOS.exactMatch,
        "http://www.wikidata.org/entity/Q",
    ),
    "entity-wikidata-literal": ("party/RUS", "Entity-exactMatch", SKOS.exactMatch, "Wikidata item IRI"),
    "entity-two-kinds": ("principle/multilateralism", "Entity-kind", RDF.type, "of one kind only"),
    "normrelation-not-asserted": (
        RELATION + "bad10001",
        "NormRelationAsserted",
        RDF.predicate,
        "records id:instrument/charter-of-the-united-nations ng:enshrines id:principle/sovereign-equality",
    ),
    "normrelation-evidence-not-slice": (
        RELATION + "bad10002",
        "EvidenceIsSliceOfDocument",
        NG.evidence,
        "is not the text between ng:start 76",
    ),
    "normrelation-evidence-outside-clause": (
        RELATION + "bad10003",
        "EvidenceInsideClause",
        NG.start,
        "[76, 141) lies outside its clause's span [145, 219)",
    ),
    "normrelation-unknown-predicate": (
        RELATION + "bad10004",
        "NormRelation-predicate",
        RDF.predicate,
        "ng:enshrines",
    ),
    "normrelation-no-clause": (
        RELATION + "bad10005",
        "NormRelation-inClause",
        NG.inClause,
        "exactly one ng:inClause",
    ),
    "alignment-score-out-of-range": (
        ALIGNMENT + "bad20001",
        "Alignment-score",
        NG.score,
        "from 0 to 1",
    ),
    "alignment-score-not-decimal": (
        ALIGNMENT + "bad20002",
        "Alignment-score",
        NG.score,
        "an xsd:decimal",
    ),
    "alignment-no-source": (
        ALIGNMENT + "bad20003",
        "Alignment-sourceClause",
        NG.sourceClause,
        "ng:sourceClause",
    ),
}


def check(*fixtures: str, **options) -> Report:
    return validate(load_graph([CONTEXT, *(DATA / f"{name}.ttl" for name in fixtures)]), **options)


# --- fixtures: every shape has a valid and an invalid case ------------------------------------


def test_validate_fixture_folder_is_covered() -> None:
    names = {p.stem for p in DATA.glob("*.ttl")} - {"context", "malformed"}
    assert names == set(VALID) | set(INVALID) | set(TWO_RULES)


def test_validate_context_conforms() -> None:
    report = check()
    assert report.conforms, format_report(report)
    assert report.violations == []


@pytest.mark.parametrize("fixture", VALID)
def test_validate_valid_fixture_conforms(fixture: str) -> None:
    report = check(fixture)
    assert report.conforms, format_report(report)


@pytest.mark.parametrize("fixture", sorted(INVALID))
def test_validate_invalid_fixture_fails_for_its_reason(fixture: str) -> None:
    focus, rule, path, words = INVALID[fixture]
    report = check(fixture)
    assert not report.conforms
    assert {v.rule for v in report.violations} == {rule}, format_report(report)
    hits = [v for v in report.violations if v.focus == ID[focus] and v.path == path and words in v.message]
    assert hits, format_report(report)
    assert all(v.severity == "Violation" for v in hits)


def test_validate_every_shape_rule_has_an_invalid_fixture() -> None:
    shapes = Graph().parse(ROOT / "shapes" / "normgraph-shapes.ttl")
    rules = {str(s).rsplit("#", 1)[1] for s in shapes.subjects(RDF.type, SH.PropertyShape)}
    rules |= {str(s).rsplit("#", 1)[1] for s in shapes.subjects(RDF.type, SH.SPARQLConstraint)}
    untested = rules - {rule for _, rule, _, _ in INVALID.values()}
    # optional annotations whose only constraint is a datatype or a count like those tested above
    assert untested <= {
        "Document-genre",
        "Document-reportsOn",
        "Clause-listedOnce",
        "Clause-text",
        "Clause-end",
        "Clause-ordinal",
        "Clause-section",
        "Clause-subClauseOf",
        "Stance-cue",
        "Stance-negated",
        "Stance-holderSubset",
        "Evidence-end",
        "Entity-inVocabulary",
        "NormRelation-subject",
        "NormRelation-object",
        "Alignment-alignedClause",
        "ClauseListedByItsDocument",
    }, untested


# fixtures that break two rules at once, both for the reason they exist
TWO_RULES = {
    "clause-listed-by-other-document": {"Clause-listedOnce", "ClauseListedByItsDocument"},
    "stance-clause-relative-offsets": {"EvidenceIsSliceOfDocument", "EvidenceInsideClause"},
}


@pytest.mark.parametrize("fixture", sorted(TWO_RULES))
def test_validate_fixture_breaking_two_rules(fixture: str) -> None:
    assert {v.rule for v in check(fixture).violations} == TWO_RULES[fixture]


def test_validate_clause_listed_by_another_document() -> None:
    report = check("clause-listed-by-other-document")
    listed = next(v for v in report.violations if v.rule == "ClauseListedByItsDocument")
    assert listed.focus == CLAUSE_1
    assert "id:doc/other lists this clause" in listed.message
    assert "ng:inDocument is id:doc/test-declaration" in listed.message


def test_validate_subclass_counts_through_the_ontology() -> None:
    """ng:Organization is an ng:Party by the ontology, not by a triple of the graph."""
    assert check("entity-subclass-only").conforms
    without = check("entity-subclass-only", ontology=False)
    assert [v.rule for v in without.violations] == ["Stance-holder"]
    assert without.violations[0].value == ID["party/SCO"]


def test_validate_every_shape_constraint_has_a_message() -> None:
    shapes = Graph().parse(ROOT / "shapes" / "normgraph-shapes.ttl")
    constraints = set(shapes.subjects(RDF.type, SH.PropertyShape)) | set(
        shapes.subjects(RDF.type, SH.SPARQLConstraint)
    )
    assert constraints
    assert [c for c in constraints if (c, SH.message, None) not in shapes] == []


# --- offsets are code points ------------------------------------------------------------------


def test_validate_sparql_substr_counts_code_points_like_python() -> None:
    """rdflib's SUBSTR (which the shapes use) slices code points, also past a character outside the BMP."""
    graph = load_graph([CONTEXT])
    text = str(graph.graph(graph_iri("context")).value(DECLARATION, NG.fullText))
    assert any(ord(c) > 0xFFFF for c in text[:145])
    rows = list(
        graph.query(
            "SELECT (SUBSTR(?t, 146, 74) AS ?s) WHERE { GRAPH ?g { ?d ng:fullText ?t } }",
            initNs={"ng": NG_IRI},
        )
    )
    assert str(rows[0][0]) == text[145:219]
    assert str(rows[0][0]).startswith("2.\u2002They firmly oppose")


# --- the report in words ----------------------------------------------------------------------


def test_validate_format_report_names_document_and_clause() -> None:
    report = check("stance-evidence-not-slice")
    lines = format_report(report).splitlines()
    assert lines[0] == (
        "clause 2 of test-declaration (…/clause/2/stance/bad00003): "
        'ng:evidence "oppose unilateral sanctions firmly" is not the text between ng:start 153 and '
        'ng:end 187 of its document, which has "firmly oppose unilateral sanctions" there; correct the '
        "offsets or the evidence (offsets count code points from the beginning of the document)"
    )
    assert lines[-1].startswith("does not conform: 1 violation in ")
    violation = report.violations[0]
    assert violation.clause == CLAUSE_2
    assert violation.where == "clause 2 of test-declaration"


def test_validate_format_report_shows_the_value_found() -> None:
    report = check("stance-polarity-outside-list")
    assert format_report(report).splitlines()[0] == (
        "clause 2 of test-declaration (…/clause/2/stance/bad00007): a stance needs exactly one ng:polarity: "
        "ng:Positive, ng:Negative or ng:Neutral [ng:polarity ng:Ambivalent]"
    )


def test_validate_format_report_names_document_and_entity() -> None:
    assert (
        format_report(check("document-date-not-date"))
        .splitlines()[0]
        .startswith(
            "document other (id:doc/other): a document has at most one dcterms:date, an xsd:date such as"
        )
    )
    assert (
        format_report(check("entity-two-labels"))
        .splitlines()[0]
        .startswith("id:principle/non-interference: an entity needs exactly one rdfs:label")
    )


def test_validate_format_report_clause_from_stance_iri_when_it_has_no_clause() -> None:
    report = check("stance-no-clause")
    assert report.violations[0].where == "clause 2 of test-declaration"


def test_validate_format_report_conforms() -> None:
    report = check("stance-valid")
    assert format_report(report) == f"conforms: {report.triples} triples, no violations"
    assert report.triples == len(Graph().parse(CONTEXT)) + len(Graph().parse(DATA / "stance-valid.ttl"))


# --- loading ----------------------------------------------------------------------------------


def test_validate_load_graph_puts_each_file_in_its_document_graph() -> None:
    dataset = load_graph([CONTEXT, DATA / "stance-valid.ttl"])
    context = dataset.graph(graph_iri("context"))
    assert (DECLARATION, RDF.type, NG.Document) in context
    assert (ID[STANCE + "a1b2c3d4"], NG.polarity, NG.Negative) in dataset.graph(graph_iri("stance-valid"))


def test_validate_load_graph_keeps_named_graphs_of_quads(tmp_path: Path) -> None:
    trig = tmp_path / "both.trig"
    load_graph([CONTEXT]).serialize(trig, format="trig")
    dataset = load_graph([trig])
    assert (DECLARATION, NG.clause, CLAUSE_1) in dataset.graph(graph_iri("context"))
    assert validate(dataset).conforms


def test_validate_load_graph_reads_a_folder(tmp_path: Path) -> None:
    (tmp_path / "context.ttl").write_bytes(CONTEXT.read_bytes())
    (tmp_path / "notes.txt").write_text("not a graph", encoding="utf-8")
    dataset = load_graph([tmp_path])
    assert (DECLARATION, NG.fullText, None) in dataset.graph(graph_iri("context"))


def test_validate_load_graph_malformed_turtle_names_the_line() -> None:
    with pytest.raises(InputError) as caught:
        load_graph([DATA / "malformed.ttl"])
    assert caught.value.where == f"{DATA / 'malformed.ttl'}: line 5"
    assert caught.value.what == "not valid Turtle: bad syntax (newline found in string literal)"
    assert "\n" not in str(caught.value)


def test_validate_load_graph_malformed_ntriples_names_the_line() -> None:
    with pytest.raises(InputError) as caught:
        load_graph([DATA / "malformed.nt"])
    assert caught.value.where.endswith("malformed.nt: line 3")


@pytest.mark.parametrize(
    ("name", "content", "line"),
    [
        ("bad.trig", "@prefix ex: <http://example.org/> .\nex:g {\n ex:a ex:b ex:c\n ex:d ex:e ex:f . }", 4),
        ("bad.jsonld", '{"@id": "http://example.org/a",\n "http://example.org/b": }', 2),
        ("bad.rdf", '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
         "<rdf:Description>\n</rdf:RDF>\n", 4),
        ("bad.nq", "<http://ex.org/a> <http://ex.org/b> <http://ex.org/c> <http://ex.org/g> .\n"
         "<http://ex.org/a> <http://ex.org/b> .\n", 2),
    ],
)
def test_validate_load_graph_malformed_formats_name_the_line(
    tmp_path: Path, name: str, content: str, line: int
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_graph([path])
    assert caught.value.where == f"{path}: line {line}"
    assert caught.value.what.startswith("not valid ")
    assert "\n" not in str(caught.value)


def test_validate_load_graph_missing_path(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_graph([tmp_path / "absent.ttl"])


def test_validate_load_graph_unknown_suffix(tmp_path: Path) -> None:
    path = tmp_path / "graph.txt"
    path.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match=r"unknown graph format: name it \.ttl"):
        load_graph([path])


def test_validate_load_graph_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.ttl"
    path.write_bytes('<http://example.org/a> <http://example.org/b> "café" .\n'.encode("latin-1"))
    with pytest.raises(InputError, match="not"):
        load_graph([path])


# --- the ontology the shapes rely on ----------------------------------------------------------


def ontology() -> Graph:
    graph = Graph()
    for path in sorted((ROOT / "ontology").glob("*.ttl")):
        graph.parse(path)
    return graph


# the concept schemes are declared by the vocabularies, each in its own file
SCHEME_FILES = {
    "StanceTypes": "stance-types.ttl",
    "Principles": "principles.ttl",
    "Instruments": "instruments.ttl",
    "Parties": "parties.ttl",
    "Practices": "practices.ttl",
    "Concepts": "concepts.ttl",
}


def test_validate_ontology_declares_every_namespace_term() -> None:
    graph = ontology()
    declared = {s for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef) and s.startswith(NG_IRI)}
    pending = {name for name, file in SCHEME_FILES.items() if not (ROOT / "ontology" / file).exists()}
    missing = [t for t in NG.__annotations__ if NG[t] not in declared and t not in pending]
    assert missing == []


def test_validate_ontology_properties_have_label_comment_domain_range() -> None:
    graph = Graph().parse(ROOT / "ontology" / "normgraph.ttl")
    properties = set(graph.subjects(RDF.type, OWL.ObjectProperty))
    properties |= set(graph.subjects(RDF.type, OWL.DatatypeProperty))
    assert NG.evidence in properties and NG.holder in properties
    for prop in properties:
        for needed in (RDFS.label, RDFS.comment, RDFS.domain, RDFS.range):
            assert (prop, needed, None) in graph, (prop, needed)


def test_validate_ontology_structure() -> None:
    graph = Graph().parse(ROOT / "ontology" / "normgraph.ttl")
    assert (NG.clause, OWL.inverseOf, NG.inDocument) in graph
    assert (NG.abbreviation, RDFS.subPropertyOf, SKOS.altLabel) in graph
    assert (NG.State, RDFS.subClassOf, NG.Party) in graph
    for kind in (NG.Treaty, NG.Declaration, NG.Resolution, NG.DraftInstrument):
        assert (kind, RDFS.subClassOf, NG.Instrument) in graph
    for kind in (NG.Principle, NG.Instrument, NG.Practice):
        assert (kind, RDFS.subClassOf, NG.Norm) in graph
    assert (NG.Concept, RDFS.subClassOf, NG.Norm) not in graph
    for polarity in (NG.Positive, NG.Negative, NG.Neutral):
        assert (polarity, RDF.type, NG.Polarity) in graph
        assert (polarity, RDF.type, OWL.NamedIndividual) in graph
    assert (NG.Reaffirm, RDF.type, NG.StanceType) not in graph  # stance-types.ttl holds them


def test_validate_shapes_list_the_stance_types_of_the_ontology() -> None:
    shapes = Graph().parse(ROOT / "shapes" / "normgraph-shapes.ttl")
    listed = shapes.value(URIRef("https://w3id.org/normgraph/shapes#Stance-stanceType"), SH["in"])
    assert set(shapes.items(listed)) == set(ontology().subjects(RDF.type, NG.StanceType))
    assert len(set(shapes.items(listed))) == 12


def test_validate_literal_evidence_with_a_newline_is_shown_on_one_line() -> None:
    graph = load_graph([CONTEXT, DATA / "stance-valid.ttl"])
    stance = ID[STANCE + "a1b2c3d4"]
    context = graph.graph(graph_iri("stance-valid"))
    context.remove((stance, NG.evidence, None))
    context.add((stance, NG.evidence, Literal("firmly oppose\nunilateral sanctions")))
    quote = URIRef(f"{stance}/quote")  # its Web Annotation quote says the same words
    context.set((quote, URIRef("http://www.w3.org/ns/oa#exact"), Literal("firmly oppose\nunilateral sanctions")))
    text = format_report(validate(graph))
    assert 'ng:evidence "firmly oppose⏎unilateral sanctions" is not the text' in text
    assert len(text.splitlines()) == 2
