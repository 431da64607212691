# ruff: noqa: E501  (the table below holds document text, a line per clause part)
"""Writes the small hand-made graph the query tests run on (one Turtle file per document).

Four documents: a 2016 and a 2025 China-Russia declaration, a news report on the 2025 one,
and a 2025 US-UK statement.  Offsets are computed here from the texts, so the files follow
the graph conventions exactly.  Run `python tests/data/query/make_fixture.py` to rewrite them.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from rdflib import RDF, RDFS, SKOS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV

from normgraph.rdf.graph import new_graph, to_turtle
from normgraph.namespace import (
    NG,
    alignment_iri,
    clause_iri,
    document_iri,
    entity_iri,
    relation_iri,
    stance_iri,
)

HERE = Path(__file__).resolve().parent

ENTITIES = {
    ("party", "CHN"): ([NG.State, NG.Party], "China"),
    ("party", "RUS"): ([NG.State, NG.Party], "Russia"),
    ("party", "USA"): ([NG.State, NG.Party], "United States"),
    ("party", "GBR"): ([NG.State, NG.Party], "United Kingdom"),
    ("principle", "sovereign-equality"): ([NG.Principle], "sovereign equality"),
    ("principle", "non-interference"): ([NG.Principle], "non-interference in internal affairs"),
    ("instrument", "charter-of-the-united-nations"): ([NG.Treaty, NG.Instrument], "Charter of the United Nations"),
    ("instrument", "friendly-relations-declaration"): (
        [NG.Declaration, NG.Instrument], "Declaration on Principles of International Law concerning Friendly Relations"),
    ("instrument", "inf-treaty"): ([NG.Treaty, NG.Instrument], "Intermediate-Range Nuclear Forces Treaty"),
    ("instrument", "unfccc"): ([NG.Treaty, NG.Instrument], "United Nations Framework Convention on Climate Change"),
    ("instrument", "paris-agreement"): ([NG.Treaty, NG.Instrument], "Paris Agreement"),
    ("instrument", "convention-on-plastics"): ([NG.Treaty, NG.Instrument], "Convention on Plastics"),
    ("practice", "unilateral-sanctions"): ([NG.Practice], "unilateral sanctions"),
    ("practice", "long-arm-jurisdiction"): ([NG.Practice], "long-arm jurisdiction"),
}
OUT_OF_VOCABULARY = {("instrument", "convention-on-plastics")}
WIKIDATA = {("party", "CHN"): "Q148", ("party", "RUS"): "Q159",
            ("instrument", "charter-of-the-united-nations"): "Q171328"}
POLARITY = {NG.Reaffirm: NG.Positive, NG.Support: NG.Positive, NG.Welcome: NG.Positive,
            NG.CallFor: NG.Positive, NG.Emphasize: NG.Positive, NG.Oppose: NG.Negative,
            NG.Condemn: NG.Negative, NG.Concern: NG.Negative}

# doc id -> (metadata, header, [(number, text, [stances], [relations])], alignments)
# a stance: (holders, type, target key, evidence); a relation: (subject, predicate, object, evidence)
CN_RU = ("party", "CHN"), ("party", "RUS")
DOCS = {
    "cn-ru-2016-international-law": (
        {"title": "Declaration of China and Russia on the Promotion of International Law",
         "date": "2016-06-25", "genre": "declaration", "authors": CN_RU},
        "Declaration on the Promotion of International Law\n\n",
        [("1", "1.\u2002China and Russia reaffirm the Charter of the United Nations.",
          [(CN_RU, NG.Reaffirm, ("instrument", "charter-of-the-united-nations"),
            "reaffirm the Charter of the United Nations")], []),
         ("2", "2.\u2002China and Russia support the principle of sovereign equality enshrined in the "
               "Charter of the United Nations.",
          [(CN_RU, NG.Support, ("principle", "sovereign-equality"), "support the principle of sovereign equality")],
          [(("instrument", "charter-of-the-united-nations"), NG.enshrines, ("principle", "sovereign-equality"),
            "sovereign equality enshrined in the Charter of the United Nations")]),
         ("3", "3.\u2002China and Russia welcome the Convention on Plastics.",
          [(CN_RU, NG.Welcome, ("instrument", "convention-on-plastics"), "welcome the Convention on Plastics")], []),
         ("4", "4.\u2002China and Russia support the Intermediate-Range Nuclear Forces Treaty.",
          [(CN_RU, NG.Support, ("instrument", "inf-treaty"),
            "support the Intermediate-Range Nuclear Forces Treaty")], []),
         ("5", "5.\u2002China and Russia oppose unilateral sanctions.",
          [(CN_RU, NG.Oppose, ("practice", "unilateral-sanctions"), "oppose unilateral sanctions")], [])],
        [],
    ),
    "cn-ru-2025-international-law": (
        {"title": "Joint Declaration of the People\u2019s Republic of China and the Russian Federation on Further "
                  "Strengthening Cooperation to Uphold the Authority of International Law",
         "date": "2025-05-08", "genre": "declaration", "authors": CN_RU},
        "Joint Declaration on the Authority of International Law\n\n",
        [("3", "3.\u2002The People\u2019s Republic of China and the Russian Federation reaffirm their full commitment to "
               "the United Nations Charter, the 1970 Declaration on principles of international law concerning "
               "friendly relations and cooperation among States in accordance with the Charter of the United Nations.",
          [(CN_RU, NG.Reaffirm, ("instrument", "charter-of-the-united-nations"),
            "reaffirm their full commitment to the United Nations Charter"),
           (CN_RU, NG.Reaffirm, ("instrument", "friendly-relations-declaration"),
            "reaffirm their full commitment to the United Nations Charter, the 1970 Declaration on principles "
            "of international law concerning friendly relations")], []),
         ("8", "8.\u2002The People\u2019s Republic of China and the Russian Federation oppose and condemn unilateral "
               "sanctions that violate international law, in particular the principles of sovereign equality of "
               "States, State immunity and non-interference in internal affairs of States, as well as long-arm "
               "jurisdiction.",
          [(CN_RU, NG.Oppose, ("practice", "unilateral-sanctions"), "oppose and condemn unilateral sanctions"),
           (CN_RU, NG.Condemn, ("practice", "unilateral-sanctions"), "oppose and condemn unilateral sanctions"),
           (CN_RU, NG.Condemn, ("practice", "long-arm-jurisdiction"), "long-arm jurisdiction")],
          [(("practice", "unilateral-sanctions"), NG.violates, ("principle", "sovereign-equality"),
            "unilateral sanctions that violate international law, in particular the principles of sovereign "
            "equality"),
           (("practice", "unilateral-sanctions"), NG.violates, ("principle", "non-interference"),
            "unilateral sanctions that violate international law, in particular the principles of sovereign "
            "equality of States, State immunity and non-interference in internal affairs")]),
         ("16", "16.\u2002China and Russia express concern over the collapse of the Intermediate-Range Nuclear "
                "Forces Treaty.",
          [(CN_RU, NG.Concern, ("instrument", "inf-treaty"),
            "express concern over the collapse of the Intermediate-Range Nuclear Forces Treaty")], []),
         ("19", "19.\u2002They consider that the United Nations Framework Convention on Climate Change and its Paris "
                "Agreement serve as the basis of climate change cooperation, and call for the implementation of "
                "the Paris Agreement.",
          [(CN_RU, NG.CallFor, ("instrument", "paris-agreement"), "call for the implementation of the Paris Agreement")],
          [(("instrument", "paris-agreement"), NG.partOf, ("instrument", "unfccc"),
            "United Nations Framework Convention on Climate Change and its Paris Agreement")])],
        [],
    ),
    "xinhua-2025-05-08-report": (
        {"title": "China, Russia vow to strengthen cooperation to safeguard authority of international law",
         "date": "2025-05-08", "genre": "report", "authors": CN_RU, "reportsOn": "cn-ru-2025-international-law"},
        "",
        [("1", "China and Russia oppose and condemn unilateral sanctions that violate international law.",
          [(CN_RU, NG.Condemn, ("practice", "unilateral-sanctions"), "oppose and condemn unilateral sanctions")],
          [])],
        [("1", "cn-ru-2025-international-law", "8", "0.81")],
    ),
    "us-gb-2025-statement": (
        {"title": "Joint Statement of the United States and the United Kingdom", "date": "2025-06-01",
         "genre": "joint-statement", "authors": (("party", "USA"), ("party", "GBR"))},
        "Joint Statement\n\n",
        [("1", "1.\u2002The United States and the United Kingdom reaffirm the Charter of the United Nations.",
          [((("party", "USA"), ("party", "GBR")), NG.Reaffirm, ("instrument", "charter-of-the-united-nations"),
            "reaffirm the Charter of the United Nations")], []),
         ("2", "2.\u2002They support unilateral sanctions against those who violate sovereign equality.",
          [((("party", "USA"), ("party", "GBR")), NG.Support, ("practice", "unilateral-sanctions"),
            "support unilateral sanctions")], [])],
        [],
    ),
}


def _iri(key: tuple[str, str]) -> URIRef:
    return entity_iri(*key)


def _describe(g: Graph, key: tuple[str, str]) -> URIRef:
    node = _iri(key)
    types, label = ENTITIES[key]
    for cls in types:
        g.add((node, RDF.type, cls))
    g.add((node, RDFS.label, Literal(label)))
    if key in WIKIDATA:
        g.add((node, SKOS.exactMatch, URIRef(f"http://www.wikidata.org/entity/{WIKIDATA[key]}")))
    if key in OUT_OF_VOCABULARY:
        g.add((node, NG.inVocabulary, Literal(False)))
    return node


def document_graph(doc_id: str) -> Graph:
    meta, header, clauses, alignments = DOCS[doc_id]
    full = header + "\n\n".join(text for _n, text, _s, _r in clauses) + "\n"
    g = new_graph()
    doc = document_iri(doc_id)
    g.add((doc, RDF.type, NG.Document))
    g.add((doc, DCTERMS.title, Literal(meta["title"])))
    g.add((doc, DCTERMS.date, Literal(meta["date"], datatype=XSD.date)))
    g.add((doc, NG.genre, Literal(meta["genre"])))
    g.add((doc, NG.fullText, Literal(full)))
    for author in meta["authors"]:
        g.add((doc, NG.author, _describe(g, author)))
    if "reportsOn" in meta:
        g.add((doc, NG.reportsOn, document_iri(meta["reportsOn"])))
    cursor = 0
    for ordinal, (number, text, stances, relations) in enumerate(clauses, 1):
        start = full.index(text, cursor)
        cursor = start + len(text)
        clause = clause_iri(doc_id, number)
        g.add((doc, NG.clause, clause))
        for p, o in ((RDF.type, NG.Clause), (NG.inDocument, doc), (NG.number, Literal(number)),
                     (NG.ordinal, Literal(ordinal, datatype=XSD.integer)), (NG.text, Literal(text)),
                     (NG.clauseKind, Literal("numbered" if text[0].isdigit() else "paragraph")),
                     (NG.start, Literal(start, datatype=XSD.integer)),
                     (NG.end, Literal(cursor, datatype=XSD.integer))):
            g.add((clause, p, o))
        for holders, stype, target, evidence in stances:
            s0 = start + text.index(evidence)
            node = stance_iri(doc_id, number, f"{stype}|{target}")
            g.add((node, RDF.type, NG.Stance))
            for holder in holders:
                g.add((node, NG.holder, _describe(g, holder)))
                g.add((clause, NG.mentions, _iri(holder)))
            g.add((node, NG.stanceType, stype))
            g.add((node, NG.polarity, POLARITY[stype]))
            g.add((node, NG.target, _describe(g, target)))
            g.add((clause, NG.mentions, _iri(target)))
            g.add((node, NG.inClause, clause))
            g.add((node, NG.evidence, Literal(evidence)))
            g.add((node, NG.start, Literal(s0, datatype=XSD.integer)))
            g.add((node, NG.end, Literal(s0 + len(evidence), datatype=XSD.integer)))
        for subject, predicate, obj, evidence in relations:
            s0 = start + text.index(evidence)
            g.add((_describe(g, subject), predicate, _describe(g, obj)))
            g.add((clause, NG.mentions, _iri(subject)))
            g.add((clause, NG.mentions, _iri(obj)))
            node = relation_iri(doc_id, number, f"{subject}|{predicate}|{obj}")
            for p, o in ((RDF.type, NG.NormRelation), (RDF.subject, _iri(subject)), (RDF.predicate, predicate),
                         (RDF.object, _iri(obj)), (NG.inClause, clause), (NG.evidence, Literal(evidence)),
                         (NG.start, Literal(s0, datatype=XSD.integer)),
                         (NG.end, Literal(s0 + len(evidence), datatype=XSD.integer))):
                g.add((node, p, o))
    for number, source_doc, source_number, score in alignments:
        mine, theirs = clause_iri(doc_id, number), clause_iri(source_doc, source_number)
        node = alignment_iri(doc_id, number, str(theirs))
        g.add((node, RDF.type, NG.Alignment))
        g.add((node, NG.alignedClause, mine))
        g.add((node, NG.sourceClause, theirs))
        g.add((node, NG.score, Literal(Decimal(score), datatype=XSD.decimal)))
        g.add((mine, PROV.wasDerivedFrom, theirs))
    return g


def main() -> None:
    for doc_id in DOCS:
        (HERE / f"{doc_id}.ttl").write_text(to_turtle(document_graph(doc_id)), encoding="utf-8")


if __name__ == "__main__":
    main()
