"""SPARQL questions: every stored query's answer on the fixture graph and on kg/, safe parameters, formats."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from normgraph.cli import main
from normgraph.namespace import entity_iri
from normgraph.rdf.validate import load_graph
from normgraph.sparql import query as q

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "data" / "query"
KG = HERE.parent / "kg"
INJECTION = 'CHN" } ; DROP ALL ; #'
DECLARATION_2016 = "cn-ru-2016-international-law"
DECLARATION_2025 = "cn-ru-2025-international-law"


@pytest.fixture(scope="module")
def fixture_ds():
    return load_graph([FIXTURE])


@pytest.fixture(scope="module")
def kg_ds():
    assert any(KG.glob("*.ttl")), "kg/ has no graph files: run `make kg`"
    return load_graph([KG])


def rows(ds, name: str, **params: str) -> list[dict[str, str | None]]:
    stored = q.load_query(name)
    answer = q.run_rdflib(ds, stored, q.bind_params(stored, params))
    return [dict(zip(answer.variables, (None if c is None else str(c) for c in row), strict=True))
            for row in answer.rows]


def test_query_every_stored_query_has_a_plain_words_header():
    for name in q.stored_queries():
        text = q.load_query(name).text
        assert text.startswith("# Question: "), name
        assert "# Parameters:" in text and "# Example answer" in text, name


def test_query_instruments_supported_with_clause_and_evidence(fixture_ds):
    found = rows(fixture_ds, "instruments-supported", party="RUS")
    assert {"holder": "RUS", "instrument": "Paris Agreement", "type": "CallFor", "document": DECLARATION_2025,
            "clause": "19", "evidence": "call for the implementation of the Paris Agreement"} in found
    assert {r["holder"] for r in found} == {"RUS"}
    assert "Convention on Plastics" not in {r["instrument"] for r in found}  # welcomed, not supported


def test_query_practices_opposed_names_unilateral_sanctions_in_clause_8(fixture_ds):
    found = rows(fixture_ds, "practices-opposed")
    for party in ("CHN", "RUS"):
        assert {"holder": party, "practice": "unilateral sanctions", "type": "Condemn", "document": DECLARATION_2025,
                "clause": "8", "evidence": "oppose and condemn unilateral sanctions"} in found
    assert not any(r["holder"] == "USA" for r in found)  # the US supports them


def test_query_principles_most_invoked_first_with_enshrining_instrument(fixture_ds):
    found = rows(fixture_ds, "principles-most-invoked")
    assert found[0] == {"principle": "sovereign equality", "clauses": "2",
                        "enshrinedIn": "Charter of the United Nations"}
    assert {"principle": "non-interference in internal affairs", "clauses": "1", "enshrinedIn": None} in found


def test_query_parties_agree_and_differ(fixture_ds):
    agree = rows(fixture_ds, "parties-agree", partyA="CHN", partyB="USA")
    assert agree == [{"holderA": "CHN", "holderB": "USA", "target": "Charter of the United Nations",
                      "polarity": "Positive"}]
    differ = rows(fixture_ds, "parties-differ", partyA="CHN", partyB="USA")
    assert {(r["target"], r["polarityA"], r["polarityB"]) for r in differ} == {
        ("unilateral sanctions", "Negative", "Positive")}
    evidence = {r["evidenceA"] for r in differ}
    assert {"oppose unilateral sanctions", "oppose and condemn unilateral sanctions"} <= evidence
    # CHN supported the INF Treaty in 2016 and RUS voiced concern in 2025, but both did both: no difference
    assert not rows(fixture_ds, "parties-differ", partyA="CHN", partyB="RUS")


def test_query_changes_between_documents_added_dropped_reversed(fixture_ds):
    found = rows(fixture_ds, "changes-between-documents", docA=DECLARATION_2016, docB=DECLARATION_2025)
    chn = {(r["change"], r["target"]) for r in found if r["holder"] == "CHN"}
    assert ("added", "Paris Agreement") in chn
    assert ("dropped", "Convention on Plastics") in chn
    assert ("reversed", "Intermediate-Range Nuclear Forces Treaty") in chn
    assert not any(t == "unilateral sanctions" for _c, t in chn)  # opposed in both: no change
    reversed_ = [r for r in found if r["change"] == "reversed" and r["holder"] == "CHN"]
    assert reversed_[0]["polarityA"] == "Positive" and reversed_[0]["polarityB"] == "Negative"


def test_query_instruments_co_invoked_counts_clauses(fixture_ds):
    found = rows(fixture_ds, "instruments-co-invoked")
    assert {"instrumentA": "Paris Agreement", "instrumentB": "United Nations Framework Convention on Climate Change",
            "clauses": "1"} in found


def test_query_practices_violate_principles_with_clause(fixture_ds):
    found = rows(fixture_ds, "practices-violate-principles")
    assert {(r["practice"], r["principle"], r["clause"]) for r in found} == {
        ("unilateral sanctions", "sovereign equality", "8"),
        ("unilateral sanctions", "non-interference in internal affairs", "8")}


def test_query_instruments_out_of_vocabulary_is_the_worklist(fixture_ds):
    found = rows(fixture_ds, "instruments-out-of-vocabulary")
    assert [(r["instrument"], r["document"], r["clause"]) for r in found] == [
        ("Convention on Plastics", DECLARATION_2016, "3")]


def test_query_stances_toward_target_in_date_order(fixture_ds):
    found = rows(fixture_ds, "stances-toward-target", targetIri="practice/unilateral-sanctions")
    dates = [r["date"] for r in found]
    assert dates == sorted(dates) and dates[0] == "2016-06-25" and dates[-1] == "2025-06-01"
    assert {"USA", "GBR", "CHN", "RUS"} == {r["holder"] for r in found}


def test_query_report_claims_name_their_source_clause(fixture_ds):
    found = rows(fixture_ds, "report-claims", reportIri="xinhua-2025-05-08-report")
    assert [(r["clause"], r["source"], r["sourceClause"], r["score"]) for r in found] == [
        ("1", DECLARATION_2025, "8", "0.81")]


@pytest.mark.parametrize("name", [n for n in q.stored_queries() if n.endswith("-violation")])
def test_query_violation_checks_find_nothing_on_the_fixture(fixture_ds, name):
    assert rows(fixture_ds, name) == []


@pytest.mark.parametrize("name", [n for n in q.stored_queries() if n.endswith("-violation")])
def test_query_violation_checks_find_nothing_on_kg(kg_ds, name):
    assert rows(kg_ds, name) == []


def test_query_violation_checks_catch_a_broken_graph(tmp_path):
    text = (FIXTURE / f"{DECLARATION_2016}.ttl").read_text(encoding="utf-8")
    broken = text.replace('ng:evidence "oppose unilateral sanctions"', 'ng:evidence "oppose unilateral sanction"')
    broken = broken.replace("ng:polarity ng:Positive", "ng:polarity ng:Positive, ng:Negative", 1)
    assert broken != text
    (tmp_path / f"{DECLARATION_2016}.ttl").write_text(broken, encoding="utf-8")
    ds = load_graph([tmp_path])
    assert rows(ds, "stance-evidence-outside-clause-violation")
    assert rows(ds, "conflicting-stances-violation")


def test_query_kg_practices_condemned_by_both_parties_in_clause_8(kg_ds):
    found = rows(kg_ds, "practices-opposed")
    for party in ("CHN", "RUS"):
        assert any(r["holder"] == party and r["practice"] == "unilateral sanctions" and r["type"] == "Condemn"
                   and r["document"] == DECLARATION_2025 and r["clause"] == "8"
                   and "oppose and condemn unilateral sanctions" in r["evidence"] for r in found), party


def test_query_kg_report_claims_summarise_declaration_clauses(kg_ds):
    found = rows(kg_ds, "report-claims")
    assert any(r["source"] == DECLARATION_2025 and r["sourceClause"] == "8"
               and "unilateral sanctions" in r["text"] for r in found)


def test_query_rdflib_and_oxigraph_agree_on_every_query(fixture_ds):
    store = q.oxigraph_store(fixture_ds)
    for name, params in example_params().items():
        stored = q.load_query(name)
        bindings = q.bind_params(stored, params)
        assert q.run_rdflib(fixture_ds, stored, bindings).values() == \
            q.run_oxigraph(store, stored, bindings).values(), name


def example_params() -> dict[str, dict[str, str]]:
    """Every stored query with parameters that give it something to find on the fixture."""
    params: dict[str, dict[str, str]] = {name: {} for name in q.stored_queries()}
    params["parties-agree"] = params["parties-differ"] = {"partyA": "CHN", "partyB": "USA"}
    params["changes-between-documents"] = {"docA": DECLARATION_2016, "docB": DECLARATION_2025}
    params["stances-toward-target"] = {"targetIri": "practice/unilateral-sanctions"}
    params["instruments-supported"] = params["practices-opposed"] = {"party": "CHN"}
    return params


# ---------------------------------------------------------------------------- parameters stay values


def test_query_injected_value_is_one_party_iri_that_matches_nothing(fixture_ds):
    stored = q.load_query("practices-opposed")
    before = len(fixture_ds)
    bindings = q.bind_params(stored, {"party": INJECTION})
    assert isinstance(bindings["party"], URIRef) and " " not in bindings["party"] and '"' not in bindings["party"]
    assert q.run_rdflib(fixture_ds, stored, bindings).rows == []
    assert q.run_oxigraph(q.oxigraph_store(fixture_ds), stored, bindings).rows == []
    assert len(fixture_ds) == before


def test_query_values_block_keeps_a_quote_and_brace_inside_the_literal():
    stored = q.StoredQuery("t", "SELECT ?x WHERE { ?s ?p ?x }", {"x": "string"})
    text = q.with_values(stored.text, q.bind_params(stored, {"x": INJECTION}))
    assert text.count("DROP ALL") == 1
    assert 'VALUES (?x) { ("CHN\\" } ; DROP ALL ; #") }' in text
    import pyoxigraph as ox

    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://a/s"), ox.NamedNode("http://a/p"), ox.Literal(INJECTION)))
    answer = list(store.query(text))
    assert [s[0].value for s in answer] == [INJECTION]
    assert len(store) == 1


def test_query_values_block_goes_into_the_outer_where_group():
    text = "# where { not here\nPREFIX ng: <https://w3id.org/normgraph/ontology#>\nSELECT ?a WHERE { ?a ng:x ?b }"
    out = q.with_values(text, {"b": Literal(1)})
    one = '"1"^^<http://www.w3.org/2001/XMLSchema#integer>'
    assert out.endswith(f"SELECT ?a WHERE {{ VALUES (?b) {{ ({one}) }}  ?a ng:x ?b }}")


def test_query_values_block_goes_into_the_sub_queries_that_project_the_parameter():
    text = ("PREFIX ex: <http://a/>\nSELECT ?a ?n WHERE {\n"
            " { SELECT ?a ?x WHERE { ?a ex:select ?x } }\n"  # projects ?a: bound inside too
            " { SELECT ?a (COUNT(?y) AS ?n) WHERE { ?a ex:p ?y } GROUP BY ?a }\n"  # grouped: left alone
            " { SELECT ?x WHERE { { SELECT ?a ?x WHERE { ?a ex:q ?x } } } }\n"  # inner ?a is another variable
            " { SELECT ?a WHERE { ?a ex:r ?z } LIMIT 5 }\n"  # a slice: left alone
            " FILTER(?a != \"SELECT ?a WHERE {\") }")
    out = q.with_values(text, {"a": URIRef("http://a/one")})
    block = "VALUES (?a) { (<http://a/one>) }"
    assert out.count(block) == 2
    assert out.index(block) < out.index("{ SELECT ?a ?x WHERE {") < out.rindex(block) < out.index("?a ex:select")
    assert "{ SELECT ?a ?x WHERE { ?a ex:q ?x } }" in out and "{ SELECT ?a WHERE { ?a ex:r ?z } LIMIT 5 }" in out


def test_query_values_in_sub_queries_change_no_answer(fixture_ds):
    """The pair queries read each party's side in a sub-query; with the parameters bound inside them or
    only outside, every pair of parties gets the same rows."""
    store = q.oxigraph_store(fixture_ds)
    for name, sides in (("parties-agree", 2), ("parties-differ", 4)):  # differ: each side and its MINUS
        stored = q.load_query(name)
        found = 0
        for a, b in [("CHN", "USA"), ("USA", "CHN"), ("CHN", "RUS"), ("RUS", "USA")]:
            bindings = q.bind_params(stored, {"partyA": a, "partyB": b})
            assert q.with_values(stored.text, bindings).count("VALUES") == 1 + sides
            inside = q.run_oxigraph(store, stored, bindings).values()
            at = stored.text.index("{", stored.text.index("WHERE"))
            block = f"VALUES (?partyA ?partyB) {{ ({bindings['partyA'].n3()} {bindings['partyB'].n3()}) }}"
            outside = q.StoredQuery(name, stored.text[:at + 1] + block + stored.text[at + 1:])
            assert inside == q.run_oxigraph(store, outside, {}).values(), (name, a, b)
            found += len(inside)
        assert found


def test_query_param_kinds_make_the_expected_terms():
    assert q.param_term("party", "CHN") == entity_iri("party", "CHN")
    assert q.param_term("entity", "practice/unilateral-sanctions") == entity_iri("practice", "unilateral-sanctions")
    assert q.param_term("string", "x") == Literal("x")
    assert q.param_term("party", "<https://example.org/p>") == URIRef("https://example.org/p")


# ---------------------------------------------------------------------------- command line and formats


def test_query_cli_tsv_csv_json_and_exit_codes(capsys):
    args = ["query", "practices-opposed", "--graph", str(FIXTURE), "--param", "party=RUS"]
    assert main([*args, "-f", "tsv"]) == 0
    tsv = list(csv.reader(io.StringIO(capsys.readouterr().out), delimiter="\t"))
    assert tsv[0] == ["holder", "practice", "type", "document", "clause", "evidence"]
    assert ["RUS", "long-arm jurisdiction", "Condemn", DECLARATION_2025, "8", "long-arm jurisdiction"] in tsv
    assert main([*args, "-f", "csv"]) == 0
    assert "RUS,unilateral sanctions,Oppose" in capsys.readouterr().out
    assert main([*args, "-f", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["head"]["vars"][0] == "holder" and data["results"]["bindings"][0]["holder"]["value"] == "RUS"
    assert main([*args, "-f", "table"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].startswith("holder | practice") and set(table[1]) <= {"-", "+"}
    assert main(["query", "practices-opposed", "--graph", str(FIXTURE), "--param", f"party={INJECTION}"]) == 1


def test_query_cli_errors_are_one_line_exit_2(capsys):
    assert main(["query", "no-such-query", "--graph", str(FIXTURE)]) == 2
    assert "no such stored query" in capsys.readouterr().err
    assert main(["query", "practices-opposed", "--graph", str(FIXTURE), "--param", "nation=CHN"]) == 2
    assert "has no such parameter (takes: party)" in capsys.readouterr().err
    assert main(["query", "practices-opposed", "--endpoint", "http://127.0.0.1:9/query"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot reach the endpoint" in err


def test_query_cli_runs_a_query_file(tmp_path, capsys):
    rq = tmp_path / "labels.rq"
    rq.write_text("# Question: labels\n# Parameters:\n#   ?party (party) a party\n"
                  "SELECT ?label WHERE { ?party <http://www.w3.org/2000/01/rdf-schema#label> ?label }\n")
    assert main(["query", str(rq), "--graph", str(FIXTURE), "--param", "party=GBR", "-f", "csv"]) == 0
    assert capsys.readouterr().out == "label\nUnited Kingdom\n"


def test_query_cli_violation_check_exits_0_when_it_finds_nothing(capsys):
    from conftest import KG

    assert main(["query", "stance-without-evidence-violation", "--graph", str(KG)]) == 0
    bad = FIXTURE.parent / "no-such-dir"
    assert main(["query", "stance-without-evidence-violation", "--graph", str(bad)]) == 2


# ---------------------------------------------------------------------------- expected answers on kg/
REPORT = "xinhua-2025-05-08-report"


def test_query_kg_instruments_supported_by_china(kg_ds):
    found = rows(kg_ds, "instruments-supported", party="CHN")
    assert {r["holder"] for r in found} == {"CHN"}
    assert any(r["instrument"] == "Biological Weapons Convention" and r["clause"] == "17"
               and r["type"] == "CallFor" and r["document"] == DECLARATION_2025 for r in found)
    assert "United Nations Convention on the Law of the Sea" not in {r["instrument"] for r in found}  # emphasized
    assert any(r["instrument"] == "Charter of the United Nations" and r["type"] == "Reaffirm" for r in found)


def test_query_kg_principles_most_invoked_with_the_instruments_enshrining_them(kg_ds):
    found = rows(kg_ds, "principles-most-invoked")
    top = {r["principle"] for r in found[:6]}
    assert {"sovereign equality", "non-intervention"} <= top
    assert any(r["principle"] == "sovereign equality" and "Friendly Relations" in (r["enshrinedIn"] or "")
               for r in found)


def test_query_kg_parties_agree_and_do_not_differ(kg_ds):
    agree = rows(kg_ds, "parties-agree", partyA="CHN", partyB="RUS")
    assert {"target": "Charter of the United Nations", "polarity": "Positive"}.items() <= next(
        r for r in agree if r["target"] == "Charter of the United Nations").items()
    assert any(r["target"] == "unilateral sanctions" and r["polarity"] == "Negative" for r in agree)
    assert rows(kg_ds, "parties-differ", partyA="CHN", partyB="RUS") == []


def test_query_kg_changes_from_declaration_to_report(kg_ds):
    found = rows(kg_ds, "changes-between-documents", docA=DECLARATION_2025, docB=REPORT)
    dropped = {(r["holder"], r["target"]) for r in found if r["change"] == "dropped"}
    assert ("CHN", "United Nations Convention on the Law of the Sea") in dropped
    assert not [r for r in found if r["change"] == "reversed"]


def test_query_kg_instruments_co_invoked(kg_ds):
    found = rows(kg_ds, "instruments-co-invoked")
    assert any({r["instrumentA"], r["instrumentB"]} == {"Biological Weapons Convention",
                                                          "Protocol to the Biological Weapons Convention"}
               for r in found)


def test_query_kg_practices_violate_principles(kg_ds):
    found = {(r["practice"], r["principle"], r["document"], r["clause"])
             for r in rows(kg_ds, "practices-violate-principles")}
    assert ("unilateral sanctions", "State immunity", DECLARATION_2025, "8") in found
    assert ("extraterritorial application of national law", "non-intervention", DECLARATION_2025, "9") in found


def test_query_kg_instruments_out_of_vocabulary_is_the_worklist(kg_ds):
    found = rows(kg_ds, "instruments-out-of-vocabulary")
    assert [r["instrument"] for r in found] == ["additional protocol to the United Nations Convention against "
                                                "Cybercrime"]


def test_query_kg_stances_toward_unilateral_sanctions_in_date_order(kg_ds):
    found = rows(kg_ds, "stances-toward-target", targetIri="practice/unilateral-sanctions")
    assert len(found) == 8 and {r["polarity"] for r in found} == {"Negative"}
    assert {r["document"] for r in found} == {DECLARATION_2025, REPORT}


@pytest.fixture(scope="module")
def resolutions_ds(vocab):
    """Two General Assembly resolutions of the 80th session (tests/data/corpus-sample, from ../shared/corpora)."""
    from rdflib import Dataset

    from normgraph.pipeline import extract_document
    from normgraph.rdf.graph import add_to_dataset, extraction_graph

    ds = Dataset()
    for name in ("A_RES_80_19", "A_RES_80_35"):
        ex = extract_document(HERE / "data" / "corpus-sample" / f"{name}.txt", vocab)
        add_to_dataset(ds, ex.document.id, extraction_graph(ex, vocab))
    return ds


def test_query_instruments_cited_by_symbol_in_resolutions(resolutions_ds):
    """Issue 12: the instruments a resolution cites, resolutions by their UN symbol, one row per instrument."""
    found = [dict(r, document=r["document"].upper().replace("-", "_"))
             for r in rows(resolutions_ds, "instruments-cited")]
    cited = {(r["document"], r["symbol"]) for r in found if r["symbol"]}
    # "Recalling, in this context, its previous resolutions, in particular resolutions 45/55 B of 4 December 1990,
    # 47/51 of 9 December 1992, 48/74 A of 16 December 1993 ..." (A/RES/80/19, preamble)
    assert {("A_RES_80_19", "A/RES/45/55B"), ("A_RES_80_19", "A/RES/47/51"),
            ("A_RES_80_19", "A/RES/48/74A")} <= cited
    labels = {r["instrument"] for r in found if r["document"] == "A_RES_80_35"}
    assert "Anti-Personnel Mine Ban Convention" in labels or any("Anti-Personnel" in x for x in labels)
    assert all(int(r["clauses"]) >= 1 for r in found)
