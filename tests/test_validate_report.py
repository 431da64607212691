"""Tests for `normgraph validate`'s input and report formats: `-` for standard input, `-f human|turtle|json`.

Guards issue 11: `validate -` did not read standard input, and the SHACL report could not be had as RDF
(pySHACL's `-f turtle`) or as JSON.
"""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SH

from normgraph.cli import main

ROOT = Path(__file__).resolve().parents[1]
SHAPES = Path(__file__).resolve().parent / "data" / "shapes"
BROKEN = [SHAPES / "context.ttl", SHAPES / "clause-start-after-end.ttl"]
CLAUSE_3 = URIRef("https://w3id.org/normgraph/id/doc/test-declaration/clause/3")


def _stdin(monkeypatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def test_validate_reads_standard_input(monkeypatch, capsys):
    _stdin(monkeypatch, "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "kg").glob("*.ttl"))))
    assert main(["validate", "-"]) == 0
    assert capsys.readouterr().out.startswith("conforms: ")


def test_validate_standard_input_with_files(monkeypatch, capsys):
    _stdin(monkeypatch, BROKEN[1].read_text(encoding="utf-8"))
    assert main(["validate", str(BROKEN[0]), "-"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("clause 3 of test-declaration (…/clause/3): a clause needs exactly one ng:start")


def test_validate_standard_input_trig_and_nquads(monkeypatch, capsys):
    _stdin(monkeypatch, "<urn:a> <urn:b> <urn:c> <urn:g> .\n")
    assert main(["validate", "-", "--input-format", "nquads"]) == 0
    assert capsys.readouterr().out.startswith("conforms: 1 triples")


def test_validate_malformed_standard_input_exits_2(monkeypatch, capsys):
    _stdin(monkeypatch, "@prefix ng: <urn:x#> .\nng:a ng:b .\n")
    assert main(["validate", "-"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("normgraph: <stdin>: line 2: not valid Turtle or TriG")


def test_validate_report_as_turtle_is_pyshacl_report_graph(capsys):
    assert main(["validate", *map(str, BROKEN), "-f", "turtle"]) == 1
    text = capsys.readouterr().out
    report = Graph().parse(data=text, format="turtle")
    (node,) = report.subjects(RDF.type, SH.ValidationReport)
    assert report.value(node, SH.conforms) == Literal(False)
    (result,) = report.objects(node, SH.result)
    assert report.value(result, SH.focusNode) == CLAUSE_3
    assert report.value(result, SH.resultSeverity) == SH.Violation
    assert report.value(result, SH.sourceConstraintComponent) == SH.LessThanConstraintComponent
    assert main(["validate", *map(str, BROKEN), "-f", "ttl"]) == 1
    assert capsys.readouterr().out == text  # blank nodes labelled canonically: the same bytes


def test_validate_report_as_json(capsys):
    assert main(["validate", *map(str, BROKEN), "-f", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["conforms"] is False and report["violations"] == 1 and report["triples"] > 0
    (result,) = report["results"]
    assert result["rule"] == "Clause-start" and result["focus"] == str(CLAUSE_3)
    assert result["where"] == "clause 3 of test-declaration"
    assert result["path"] == "https://w3id.org/normgraph/ontology#start" and result["value"] == "236"
    assert result["text"].startswith("clause 3 of test-declaration")


@pytest.mark.parametrize("fmt", ["human", "turtle", "json"])
def test_validate_conforming_report_in_each_format(fmt, capsys):
    assert main(["validate", str(ROOT / "kg"), "-f", fmt]) == 0
    out = capsys.readouterr().out
    if fmt == "json":
        assert json.loads(out)["conforms"] is True
    elif fmt == "turtle":
        assert "sh:conforms true" in out
    else:
        assert out.startswith("conforms: ")
