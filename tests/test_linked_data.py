"""The linked-data layer (issue 11, item 3): Web Annotation selectors, build provenance, the JSON-LD
context, the ontology's documentation, and the shapes that check selectors and provenance.

Every fixture in tests/data/linked/ is read together with tests/data/shapes/context.ttl, as
test_validate.py reads its own: a `-valid` fixture conforms, every other fails for the reason
its shape exists.
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from rdflib import OWL, RDF, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV, SH, SKOS

from conftest import DECLARATION, KG, REPORT, ROOT, SEEDS
from normgraph.cli import main
from normgraph.namespace import ID, NG, OA, graph_iri, selector_iri
from normgraph.rdf import context, provenance
from normgraph.rdf.export import serialize
from normgraph.rdf.validate import format_report, load_graph, validate

DATA = Path(__file__).resolve().parent / "data"
LINKED = DATA / "linked"
CONTEXT = DATA / "shapes" / "context.ttl"
STANCE = "doc/test-declaration/clause/2/stance/"
BUILD = "build/0123456789abcdef"
SHAPES = ROOT / "shapes" / "linked-data-shapes.ttl"

VALID = ["selectors-valid", "build-valid"]
# fixture: (focus under id:, the one rule that fails, words of its message)
INVALID = {
    "selector-quote-not-evidence": (STANCE + "bad30001", "QuoteSelectorIsText",
                                    'is "oppose unilateral sanctions", but the ng:evidence is "firmly oppose'),
    "selector-clause-quote-not-text": ("doc/test-declaration/clause/3", "QuoteSelectorIsText", "but the ng:text is"),
    "selector-position-not-offsets": (STANCE + "bad30002", "PositionSelectorIsOffsets",
                                      "says [152, 186), but ng:start and ng:end say [153, 187)"),
    "selector-no-quote": (STANCE + "bad30003", "Span-quoteSelector", "oa:TextQuoteSelector"),
    "selector-no-position": (STANCE + "bad30004", "Span-positionSelector", "oa:TextPositionSelector"),
    "selector-no-source": (STANCE + "bad30005", "Span-hasSource", "exactly one oa:hasSource"),
    "selector-other-source": (STANCE + "bad30006", "SourceIsItsDocument",
                              "oa:hasSource is id:doc/other, but the document of this span is id:doc/test-declaration"),
    "selector-position-not-integer": (STANCE + "bad30007/position", "PositionSelector-start", "xsd:nonNegativeInteger"),
    "build-no-version": (BUILD, "Build-softwareVersion", "ng:softwareVersion"),
    "build-no-software": (BUILD, "Build-software", "prov:SoftwareAgent"),
    "build-vocabulary-hash-short": (BUILD, "Build-vocabularySha256", "64 lower-case hex digits"),
    "build-no-start": (BUILD, "Build-startedAtTime", "prov:startedAtTime"),
    "build-end-not-datetime": (BUILD, "Build-endedAtTime", "xsd:dateTime"),
    "build-ends-before-start": (BUILD, "BuildEndsAfterItStarts",
                                "2025-05-08T09:59:00+00:00 is before prov:startedAtTime 2025-05-08T10:00:00+00:00"),
    "build-input-no-sha256": ("input/" + "cd" * 32, "Input-sha256", "ng:sha256"),
    "build-input-sha256-upper-case": ("input/" + "cd" * 32, "Input-sha256", "lower-case hex"),
    "build-document-graph-not-generated": ("doc/test-declaration", "DocumentGraphGeneratedByBuild",
                                           "this document's graph id:graph/test-declaration"),
}
# fixtures that break two rules at once, both for the reason they exist
TWO_RULES = {
    "selector-start-after-end": {"PositionSelector-start", "PositionSelectorIsOffsets"},
    "selector-two-exacts": {"QuoteSelector-exact", "QuoteSelectorIsText"},
}


def check(*fixtures: str):
    return validate(load_graph([CONTEXT, *(LINKED / f"{name}.ttl" for name in fixtures)]))


# --- the shapes: a valid and an invalid fixture each -----------------------------------------


def test_linked_data_fixture_folder_is_covered() -> None:
    assert {p.stem for p in LINKED.glob("*.ttl")} == set(VALID) | set(INVALID) | set(TWO_RULES)


@pytest.mark.parametrize("fixture", VALID)
def test_linked_data_valid_fixture_conforms(fixture: str) -> None:
    report = check(fixture)
    assert report.conforms, format_report(report)


@pytest.mark.parametrize("fixture", sorted(INVALID))
def test_linked_data_invalid_fixture_fails_for_its_reason(fixture: str) -> None:
    focus, rule, words = INVALID[fixture]
    report = check(fixture)
    assert {v.rule for v in report.violations} == {rule}, format_report(report)
    assert [v for v in report.violations if v.focus == ID[focus] and words in v.message], format_report(report)


@pytest.mark.parametrize("fixture", sorted(TWO_RULES))
def test_linked_data_fixture_breaking_two_rules(fixture: str) -> None:
    assert {v.rule for v in check(fixture).violations} == TWO_RULES[fixture]


def test_linked_data_every_shape_rule_has_an_invalid_fixture() -> None:
    shapes = Graph().parse(SHAPES)
    rules = {str(s).rsplit("#", 1)[1] for s in shapes.subjects(RDF.type, SH.PropertyShape)}
    rules |= {str(s).rsplit("#", 1)[1] for s in shapes.subjects(RDF.type, SH.SPARQLConstraint)}
    tested = {rule for _, rule, _ in INVALID.values()} | set().union(*TWO_RULES.values())
    # optional strings whose only constraints are a count and a datatype, like those tested above
    assert rules - tested == {"QuoteSelector-prefix", "QuoteSelector-suffix", "PositionSelector-end",
                              "Build-used", "Input-label"}


# --- selectors on the seeds' graphs -----------------------------------------------------------


@pytest.mark.parametrize("which", ["declaration_graph", "report_graph"])
def test_linked_data_every_stance_and_clause_has_selectors_that_quote_it(request, which: str) -> None:
    g = request.getfixturevalue(which)
    doc = next(g.subjects(RDF.type, NG.Document))
    text = str(g.value(doc, NG.fullText))
    spans = [(c, NG.text) for c in g.subjects(RDF.type, NG.Clause)] + [
        (s, NG.evidence) for s in g.subjects(RDF.type, NG.Stance)]
    assert len(spans) > 30
    for node, words in spans:
        start, end = int(g.value(node, NG.start)), int(g.value(node, NG.end))
        position, quote = selector_iri(node, "position"), selector_iri(node, "quote")
        assert set(g.objects(node, OA.hasSelector)) == {position, quote}
        assert g.value(node, OA.hasSource) == doc
        assert (position, RDF.type, OA.TextPositionSelector) in g
        assert (int(g.value(position, OA.start)), int(g.value(position, OA.end))) == (start, end)
        assert str(g.value(quote, OA.exact)) == str(g.value(node, words)) == text[start:end]
        prefix, suffix = g.value(quote, OA.prefix), g.value(quote, OA.suffix)
        assert text[:start].endswith(str(prefix or "")) and len(str(prefix or "")) == min(32, start)
        assert text[end:].startswith(str(suffix or "")) and len(str(suffix or "")) == min(32, len(text) - end)


# --- provenance -------------------------------------------------------------------------------


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _build(out: Path, *paths: Path, validate_too: bool = False) -> Graph:
    flags = [] if validate_too else ["--no-validate"]
    assert main(["build", "-q", *flags, *map(str, paths or [SEEDS]), "-o", str(out)]) == 0
    return Graph().parse(out / "provenance.ttl")


@pytest.fixture(scope="module")
def seeds_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One validated build of seeds/, as `make kg` makes it."""
    out = tmp_path_factory.mktemp("build") / "kg"
    _build(out, validate_too=True)
    return out


def test_linked_data_build_records_its_activity(seeds_build: Path) -> None:
    g = Graph().parse(seeds_build / "provenance.ttl")
    [activity] = list(g.subjects(RDF.type, PROV.Activity))
    assert str(g.value(activity, NG.softwareVersion)) == "0.1.0"
    assert str(g.value(activity, NG.vocabularySha256)) == provenance.vocabulary_sha256()
    started, ended = g.value(activity, PROV.startedAtTime).toPython(), g.value(activity, PROV.endedAtTime).toPython()
    assert started <= ended and started.tzinfo is not None
    used = {str(g.value(i, NG.sha256)): str(g.value(i, URIRef("http://www.w3.org/2000/01/rdf-schema#label")))
            for i in g.objects(activity, PROV.used)}
    seeds = sorted(p for p in SEEDS.iterdir() if p.suffix in (".txt", ".toml"))
    ontology = sorted((ROOT / "ontology").glob("*.ttl"))
    assert used == {**{_sha(p): p.name for p in seeds}, **{_sha(p): f"ontology/{p.name}" for p in ontology}}
    for doc in (DECLARATION, REPORT):
        named = graph_iri(doc.stem)
        assert g.value(named, PROV.wasGeneratedBy) == activity
        assert str(g.value(g.value(named, PROV.wasDerivedFrom), NG.sha256)) == _sha(doc)
    assert validate(load_graph([seeds_build])).conforms


def test_linked_data_rebuild_of_the_same_input_is_byte_identical(seeds_build: Path) -> None:
    """Deterministic output: the times of the first build stay when nothing it read has changed."""
    first = {p.name: p.read_bytes() for p in seeds_build.iterdir()}
    _build(seeds_build)
    assert {p.name: p.read_bytes() for p in seeds_build.iterdir()} == first


def test_linked_data_changed_input_is_a_new_activity(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for p in SEEDS.iterdir():
        (docs / p.name).write_bytes(p.read_bytes())
    before = set(_build(tmp_path / "kg", docs).subjects(RDF.type, PROV.Activity))
    with (docs / REPORT.name).open("a", encoding="utf-8") as handle:
        handle.write("\nThe two sides also oppose unilateral sanctions.\n")
    after = set(_build(tmp_path / "kg", docs).subjects(RDF.type, PROV.Activity))
    assert len(after) == 1 and after != before


def test_linked_data_source_date_epoch_fixes_the_times(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1746662400")  # 2025-05-08T00:00:00Z
    g = _build(tmp_path / "kg")
    [activity] = list(g.subjects(RDF.type, PROV.Activity))
    assert str(g.value(activity, PROV.startedAtTime).toPython()) == "2025-05-08 00:00:00+00:00"
    assert g.value(activity, PROV.endedAtTime) == g.value(activity, PROV.startedAtTime)


def test_linked_data_document_named_like_the_provenance_graph_is_refused(tmp_path: Path, capsys) -> None:
    (tmp_path / "provenance.txt").write_text("1. The Parties reaffirm the Charter of the United Nations.\n",
                                             encoding="utf-8")
    assert main(["build", "-q", str(tmp_path), "-o", str(tmp_path / "kg")]) == 2
    assert "provenance graph" in capsys.readouterr().err
    assert not (tmp_path / "kg").exists()


def test_linked_data_kg_provenance_is_fresh() -> None:
    """kg/provenance.ttl records a build of seeds/ as it is now (all but the times); `make kg` rewrites it."""
    committed = Graph().parse(KG / "provenance.ttl")
    [activity] = list(committed.subjects(RDF.type, PROV.Activity))
    times = committed.value(activity, PROV.startedAtTime).toPython(), committed.value(activity, PROV.endedAtTime)
    now = provenance.provenance_graph({p.stem: p for p in (DECLARATION, REPORT)}, times[0], times[1].toPython())
    for g in (committed, now):
        g.remove((None, PROV.startedAtTime, None))
        g.remove((None, PROV.endedAtTime, None))
    assert isomorphic(committed, now), "kg/provenance.ttl is stale: run `make kg`"


# --- the JSON-LD context ----------------------------------------------------------------------


def test_linked_data_jsonld_context_is_fresh() -> None:
    """ontology/context.jsonld is what the ontology gives now; `make context` rewrites it."""
    committed = (ROOT / "ontology" / context.CONTEXT_FILE).read_text(encoding="utf-8")
    assert committed == context.context_text(context.context_from_ontology())


def test_linked_data_jsonld_context_defines_every_ontology_term() -> None:
    ctx = context.load_context()
    for name in NG.__annotations__:
        if name in ("Lexicon", "term"):
            continue
        assert name in ctx, name
    assert ctx["holder"] == {"@id": "ng:holder", "@type": "@id"}
    assert ctx["stanceType"] == {"@id": "ng:stanceType", "@type": "@vocab"}
    assert ctx["score"] == {"@id": "ng:score", "@type": "xsd:decimal"}
    assert ctx["start"] == {"@id": "ng:start"}  # integers stay JSON numbers
    assert ctx["Oppose"] == "ng:Oppose"


def test_linked_data_jsonld_export_reads_with_the_terms() -> None:
    data = json.loads(serialize(load_graph([KG]), "jsonld"))
    nodes = [n for g in data["@graph"] for n in g.get("@graph", [])]
    stances = [n for n in nodes if n.get("@type") == "Stance"]
    assert stances
    for stance in stances:
        assert stance["stanceType"] in {"Reaffirm", "Support", "Commit", "Respect", "Welcome", "CallFor", "Emphasize",
                                        "Recall", "Recognize", "Oppose", "Condemn", "Concern"}
        assert stance["polarity"] in {"Positive", "Negative", "Neutral"}
        assert isinstance(stance["start"], int) and isinstance(stance["evidence"], str)
    assert any(n.get("@type") == "Activity" for n in nodes)
    assert data["@context"] == context.load_context()


# --- the ontology's documentation -------------------------------------------------------------


def test_linked_data_pylode_documents_every_term(tmp_path: Path) -> None:
    """`make docs` runs pyLODE on the ontology; every class and property gets its section."""
    from pylode import OntPub

    out = tmp_path / "index.html"
    OntPub(ontology=str(ROOT / "ontology" / "normgraph.ttl")).make_html(destination=out)
    html = out.read_text(encoding="utf-8")
    ontology = Graph().parse(ROOT / "ontology" / "normgraph.ttl")
    terms = {s for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
             for s in ontology.subjects(RDF.type, kind) if str(s).startswith(str(NG._NS))}
    labels = {str(ontology.value(s, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))) for s in terms}
    assert len(labels) > 60
    missing = [label for label in labels if label not in html]
    assert missing == []
    assert "normgraph ontology" in html


# --- Wikidata links of the instruments and principles ------------------------------------------

WIKIDATA_ITEM = re.compile(r"^http://www\.wikidata\.org/entity/Q[1-9][0-9]*$")
SOURCED = re.compile(r"skos:exactMatch\s+wd:(Q[1-9][0-9]*)\s*[;.]\s*#\s*sources:\s*(.+)$")
UNCONFIRMED = re.compile(r"skos:exactMatch\s+wd:(Q[1-9][0-9]*)\s*[;.]\s*#\s*unconfirmed\b")
# links that predate the two-source rule (issue 11) and are not yet confirmed twice; none may be added
UNCONFIRMED_BEFORE = {"Q171328", "Q186444", "Q47359", "Q21707860", "Q7813"}


def _vocabulary(name: str) -> Graph:
    return Graph().parse(ROOT / "ontology" / f"{name}.ttl")


@pytest.mark.parametrize("name", ["instruments", "principles", "parties", "practices", "concepts"])
def test_linked_data_wikidata_links_are_item_iris_each_used_once(name: str) -> None:
    """Every skos:exactMatch is a Wikidata item IRI, and no two entities of the vocabularies share one."""
    owners: dict[str, set] = {}
    for other in ("instruments", "principles", "parties", "practices", "concepts"):
        for entity, item in _vocabulary(other).subject_objects(SKOS.exactMatch):
            owners.setdefault(str(item), set()).add(entity)
    mine = [str(item) for item in _vocabulary(name).objects(None, SKOS.exactMatch)]
    assert [item for item in mine if not WIKIDATA_ITEM.match(item)] == []
    assert {item: sorted(owners[item]) for item in mine if len(owners[item]) > 1} == {}


@pytest.mark.parametrize("name", ["instruments", "principles"])
def test_linked_data_every_wikidata_link_names_two_sources(name: str) -> None:
    """Each exactMatch line of instruments.ttl and principles.ttl says where the item was confirmed (issue 11)."""
    lines = [line for line in (ROOT / "ontology" / f"{name}.ttl").read_text(encoding="utf-8").splitlines()
             if "skos:exactMatch" in line and not line.lstrip().startswith("#")]
    in_graph = {str(item).rsplit("/", 1)[1] for item in _vocabulary(name).objects(None, SKOS.exactMatch)}
    in_lines: set[str] = set()
    for line in lines:
        sourced, unconfirmed = SOURCED.search(line), UNCONFIRMED.search(line)
        assert sourced or unconfirmed, f"{name}.ttl: no sources comment: {line.strip()}"
        if sourced:
            sources = [s.strip() for s in sourced.group(2).split("|") if s.strip()]
            assert len(set(sources)) >= 2, f"{name}.ttl: fewer than two sources: {line.strip()}"
            in_lines.add(sourced.group(1))
        else:
            assert unconfirmed.group(1) in UNCONFIRMED_BEFORE, f"{name}.ttl: a new unconfirmed link: {line.strip()}"
            in_lines.add(unconfirmed.group(1))
    assert in_lines == in_graph  # one link a line, each with its comment
