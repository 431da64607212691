"""The controlled vocabularies of ontology/: principles, instruments, parties, practices, concepts.

These files are data the extractor reads at run time, so the tests hold them to one schema:
every entry typed, in its scheme, with one label; no name shared by two entries; every norm
relation pointing at a declared entry; every UN Member State present; and every name, read
through the extractor's own matcher, finding the entry it belongs to.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib import namespace as rdf_namespaces

from normgraph.extract.vocabulary import build_vocabulary
from normgraph.namespace import ID, NG, NG_IRI, slug

ONTOLOGY = Path(__file__).resolve().parents[1] / "ontology"
FILES = ("principles", "instruments", "parties", "practices", "concepts")

# file -> (general class, scheme, namespace of its entries)
SCHEMA = {
    "principles": (NG.Principle, NG.Principles, ID["principle/"]),
    "instruments": (NG.Instrument, NG.Instruments, ID["instrument/"]),
    "parties": (NG.Party, NG.Parties, ID["party/"]),
    "practices": (NG.Practice, NG.Practices, ID["practice/"]),
    "concepts": (NG.Concept, NG.Concepts, ID["concept/"]),
}
INSTRUMENT_KINDS = {NG.Treaty, NG.Declaration, NG.Resolution, NG.DraftInstrument}
NAME_PROPERTIES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel, NG.demonym, NG.metonym)
WIKIDATA_ITEM = re.compile(r"http://www\.wikidata\.org/entity/Q[1-9][0-9]*")


@functools.cache
def graph_of(name: str) -> Graph:
    return Graph().parse(ONTOLOGY / f"{name}.ttl", format="turtle")


@functools.cache
def all_graph() -> Graph:
    g = Graph()
    for name in FILES:
        g += graph_of(name)
    return g


def entries(name: str) -> list[URIRef]:
    general, _scheme, _ns = SCHEMA[name]
    return sorted(set(graph_of(name).subjects(RDF.type, general)))


def names(g: Graph, node: URIRef) -> list[str]:
    return [str(o) for p in NAME_PROPERTIES for o in g.objects(node, p)]


def normalise(name: str) -> str:
    """What matching ignores: case, curly versus straight quotes, hyphens and dashes, spacing."""
    name = unicodedata.normalize("NFC", name).lower()
    name = name.translate(str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'}))
    name = re.sub(r"[\-\u2010-\u2015]", " ", name)
    return " ".join(name.split())


def is_all_capitals(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and not any(c.islower() for c in letters)


@pytest.mark.parametrize("name", FILES)
def test_vocabulary_data_files_parse(name):
    text = (ONTOLOGY / f"{name}.ttl").read_text(encoding="utf-8")
    assert text.startswith("#"), f"{name}.ttl should open with a comment block saying what it holds"
    assert len(graph_of(name)) > 0


def test_vocabulary_data_counts():
    g = all_graph()
    states = set(g.subjects(RDF.type, NG.State))
    organisations = set(g.subjects(RDF.type, NG.Organization))
    counts = {name: len(entries(name)) for name in FILES}
    assert counts["principles"] >= 40
    assert counts["instruments"] >= 100
    assert counts["practices"] >= 40
    assert counts["concepts"] >= 35
    assert len(states) >= 193
    assert len(organisations) >= 30


@pytest.mark.parametrize("name", FILES)
def test_vocabulary_data_entries_have_one_label_their_class_and_scheme(name):
    general, scheme, namespace = SCHEMA[name]
    g = all_graph()
    problems = []
    for node in entries(name):
        types = set(g.objects(node, RDF.type))
        labels = list(g.objects(node, RDFS.label))
        prefs = list(g.objects(node, SKOS.prefLabel))
        if not str(node).startswith(str(namespace)):
            problems.append(f"{node}: not in {namespace}")
        if SKOS.Concept not in types:
            problems.append(f"{node}: not a skos:Concept")
        if set(g.objects(node, SKOS.inScheme)) != {scheme}:
            problems.append(f"{node}: skos:inScheme should be {scheme} only")
        if len(labels) != 1 or labels[0].language or labels[0].datatype:
            problems.append(f"{node}: needs exactly one plain rdfs:label, has {labels}")
        elif prefs != [Literal(str(labels[0]), lang="en")]:
            problems.append(f"{node}: skos:prefLabel should be the rdfs:label with @en, is {prefs}")
        for alt in g.objects(node, SKOS.altLabel):
            if alt.language != "en":
                problems.append(f"{node}: altLabel {alt!r} needs @en")
        if len(list(g.objects(node, RDFS.comment))) != 1:
            problems.append(f"{node}: needs one rdfs:comment")
        if name == "instruments" and len(types & INSTRUMENT_KINDS) != 1:
            problems.append(f"{node}: needs exactly one instrument kind of {sorted(INSTRUMENT_KINDS)}")
        if name == "parties" and len(types & {NG.State, NG.Organization}) != 1:
            problems.append(f"{node}: needs exactly one of ng:State, ng:Organization")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", ["principles", "instruments", "practices", "concepts"])
def test_vocabulary_data_local_names_are_label_slugs(name):
    g = graph_of(name)
    _general, _scheme, namespace = SCHEMA[name]
    wrong = [(str(node), str(g.value(node, RDFS.label))) for node in entries(name)
             if str(node) != str(namespace) + slug(str(g.value(node, RDFS.label)))]
    assert not wrong, f"local name should be slug(rdfs:label): {wrong}"


def test_vocabulary_data_no_name_is_shared_by_two_entries():
    g = all_graph()
    owners: dict[str, set[str]] = defaultdict(set)  # normalised name -> entries
    abbreviations: dict[str, set[str]] = defaultdict(set)  # exact abbreviation -> entries
    for name in FILES:
        for node in entries(name):
            for form in names(g, node):
                owners[normalise(form)].add(str(node))
            for abbreviation in g.objects(node, NG.abbreviation):
                abbreviations[str(abbreviation)].add(str(node))
    shared = {form: sorted(nodes) for form, nodes in owners.items() if len(nodes) > 1}
    for abbreviation, nodes in abbreviations.items():
        everyone = nodes | owners.get(normalise(abbreviation), set())
        if len(everyone) > 1:
            shared[abbreviation] = sorted(everyone)
    assert not shared, f"names shared by several entries: {shared}"


def test_vocabulary_data_all_capital_forms_are_abbreviations():
    g = all_graph()
    misplaced = [(str(node), str(alt)) for name in FILES for node in entries(name)
                 for alt in g.objects(node, SKOS.altLabel) if is_all_capitals(str(alt))]
    assert not misplaced, f"all-capital altLabels belong in ng:abbreviation: {misplaced}"


def test_vocabulary_data_every_name_finds_its_own_entry():
    """Each name, read alone through the extractor's matcher, resolves to the entry that declares it."""
    vocab = build_vocabulary([ONTOLOGY / f"{name}.ttl" for name in FILES])
    g = vocab.graph
    name_properties = (RDFS.label, SKOS.prefLabel, SKOS.altLabel, NG.abbreviation, NG.demonym)
    lost = []
    for name in FILES:
        for node in entries(name):
            forms = [(str(o), False) for p in name_properties for o in g.objects(node, p)]
            forms += [(str(o), True) for o in g.objects(node, NG.metonym)]
            for form, metonym in forms:
                found = vocab.match(form, metonyms=metonym)
                if [(m.start, m.end, m.entity.iri) for m in found] != [(0, len(form), str(node))]:
                    lost.append((str(node), form, [(form[m.start:m.end], m.entity.iri) for m in found]))
    assert not lost, "names that do not find their own entry:\n" + "\n".join(map(str, lost))


def test_vocabulary_data_norm_relations_point_to_declared_entries():
    g = all_graph()
    principles = set(entries("principles"))
    instruments = set(entries("instruments"))
    parties = set(entries("parties"))
    targets = {NG.enshrines: principles, NG.partOf: instruments, NG.supplements: instruments,
               NG.basedOn: instruments, NG.proposedBy: parties}
    dangling = []
    for prop, allowed in targets.items():
        for s, o in g.subject_objects(prop):
            if s not in instruments or o not in allowed:
                dangling.append((str(s), prop.split("#")[-1], str(o)))
    assert not dangling, f"relations to undeclared entries: {dangling}"
    assert set(g.subjects(NG.enshrines, None)), "some instrument should enshrine a principle"


def test_vocabulary_data_adoption_years_are_gyears():
    g = graph_of("instruments")
    bad = [(str(s), o) for s, o in g.subject_objects(NG.adoptionYear)
           if o.datatype != rdf_namespaces.XSD.gYear or not re.fullmatch(r"\d{4}", str(o))]
    assert not bad
    assert len(set(g.subjects(NG.adoptionYear, None))) >= 100


def test_vocabulary_data_un_members_are_present_by_iso_code():
    g = graph_of("parties")
    states = set(g.subjects(RDF.type, NG.State))
    for code in ("CHN", "RUS", "USA", "FRA", "GBR"):
        node = ID[f"party/{code}"]
        assert node in states, code
        assert str(g.value(node, SKOS.notation)) == code
    codes = {str(g.value(s, SKOS.notation)) for s in states}
    assert all(re.fullmatch(r"[A-Z]{3}", c) for c in codes)
    assert len(codes) >= 193
    assert str(g.value(ID["party/CHN"], RDFS.label)) == "People's Republic of China"
    assert "Russia" in {str(a) for a in g.objects(ID["party/RUS"], SKOS.altLabel)}


def test_vocabulary_data_party_notations_are_unique_and_name_the_party():
    g = graph_of("parties")
    notations = defaultdict(list)
    for node in entries("parties"):
        values = [str(v) for v in g.objects(node, SKOS.notation)]
        assert values == [str(node).rsplit("/", 1)[-1]], f"{node}: skos:notation should be its local name"
        notations[values[0]].append(node)
    assert all(len(nodes) == 1 for nodes in notations.values())


def test_vocabulary_data_wikidata_links_are_item_iris():
    g = all_graph()
    bad = [(str(s), str(o)) for s, o in g.subject_objects(SKOS.exactMatch)
           if not WIKIDATA_ITEM.fullmatch(str(o))]
    assert not bad
    links = defaultdict(list)
    for s, o in g.subject_objects(SKOS.exactMatch):
        links[o].append(s)
    assert all(len(v) == 1 for v in links.values()), "two entries linked to one Wikidata item"


def test_vocabulary_data_uses_only_declared_ontology_terms():
    g = all_graph()
    used = {t for triple in g for t in triple if isinstance(t, URIRef) and str(t).startswith(NG_IRI)}
    unknown = sorted(str(t) for t in used if t not in NG)
    assert not unknown, f"terms missing from normgraph.namespace.NG: {unknown}"


def test_vocabulary_data_key_relations_hold():
    g = graph_of("instruments")
    inst, prin, party = ID["instrument/"], ID["principle/"], ID["party/"]
    frd = next(g.subjects(SKOS.altLabel, Literal("Friendly Relations Declaration", lang="en")))
    seven = {URIRef(prin + s) for s in (
        "sovereign-equality", "non-use-of-force", "peaceful-settlement-of-disputes", "non-intervention",
        "duty-to-cooperate", "good-faith", "equal-rights-and-self-determination-of-peoples")}
    assert seven <= set(g.objects(frd, NG.enshrines))
    charter = URIRef(inst + "charter-of-the-united-nations")
    assert (charter, SKOS.exactMatch, URIRef("http://www.wikidata.org/entity/Q171328")) in g
    unfccc = URIRef(inst + "united-nations-framework-convention-on-climate-change")
    assert (URIRef(inst + "paris-agreement"), NG.partOf, unfccc) in g
    assert (URIRef(inst + "kyoto-protocol"), NG.supplements, unfccc) in g
    ppwt = next(g.subjects(NG.abbreviation, Literal("PPWT")))
    assert (ppwt, RDF.type, NG.DraftInstrument) in g
    assert set(g.objects(ppwt, NG.proposedBy)) == {URIRef(party + "CHN"), URIRef(party + "RUS")}
