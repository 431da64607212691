"""The command line: build, extract, validate; bad input gives one line, exit 2, and loses nothing."""
from __future__ import annotations

import shutil

import pytest

from conftest import DECLARATION, REPORT
from normgraph.cli import main


@pytest.fixture()
def corpus(tmp_path):
    d = tmp_path / "docs"
    d.mkdir()
    for p in (DECLARATION, REPORT):
        shutil.copy(p, d / p.name)
        shutil.copy(p.with_suffix(".meta.toml"), d / p.with_suffix(".meta.toml").name)
    return d


def test_cli_build_writes_one_turtle_file_per_document(corpus, tmp_path, capsys):
    """One file per document, and the build's provenance record beside them (issue 11)."""
    out = tmp_path / "kg"
    assert main(["build", str(corpus), "-o", str(out), "-q"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["cn-ru-2025-international-law.ttl", "provenance.ttl",
                                                     "xinhua-2025-05-08-report.ttl"]
    assert main(["validate", str(out)]) == 0


def _existing_kg(tmp_path):
    out = tmp_path / "kg"
    out.mkdir()
    (out / "old.ttl").write_text("@prefix ng: <https://w3id.org/normgraph/ontology#> .\n<urn:a> ng:text 'old' .\n",
                                 encoding="utf-8")
    return out


@pytest.mark.parametrize("content,message", [
    (b"", "empty"),
    (b"\x00\x01\x02binary", "binary"),
    (b"caf\xe9 au lait\n", "UTF-8"),
])
def test_cli_build_bad_document_exits_2_and_keeps_kg(corpus, tmp_path, capsys, content, message):
    (corpus / "bad.txt").write_bytes(content)
    out = _existing_kg(tmp_path)
    assert main(["build", str(corpus), "-o", str(out), "-q"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "bad.txt" in err[0] and message.lower() in err[0].lower()
    assert [p.name for p in out.iterdir()] == ["old.ttl"]


@pytest.mark.parametrize("sidecar,message", [
    ('date = "8 May"\n', "date"),
    ('parties = ["CHN", "XYZ"]\n', "XYZ"),
    ('title = "unterminated\n', "line"),
])
def test_cli_build_bad_sidecar_exits_2_and_keeps_kg(corpus, tmp_path, capsys, sidecar, message):
    (corpus / "cn-ru-2025-international-law.meta.toml").write_text(sidecar, encoding="utf-8")
    out = _existing_kg(tmp_path)
    assert main(["build", str(corpus), "-o", str(out), "-q"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "meta.toml" in err[0] and message in err[0]
    assert [p.name for p in out.iterdir()] == ["old.ttl"]


def test_cli_missing_file_exits_2(tmp_path, capsys):
    assert main(["extract", str(tmp_path / "nope.txt")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "nope.txt" in err[0]


def test_cli_validate_malformed_graph_exits_2(tmp_path, capsys):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<urn:a> <urn:b> .\n", encoding="utf-8")
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "bad.ttl" in err[0]


def test_cli_extract_writes_trig_with_a_named_graph(capsys):
    assert main(["extract", str(DECLARATION), "-f", "trig"]) == 0
    from rdflib import Dataset

    graphs = {str(g.identifier) for g in Dataset().parse(data=capsys.readouterr().out, format="trig").graphs()
              if len(g)}
    assert graphs == {"https://w3id.org/normgraph/id/graph/cn-ru-2025-international-law"}
