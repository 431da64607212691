"""Export: every format parses back to the same graph, one named graph per document, the same bytes every run."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from normgraph.cli import main
from normgraph.namespace import graph_iri
from normgraph.rdf.export import EXPORT_FORMATS, QUAD_FORMATS, merged_graph, parse_back, serialize
from normgraph.rdf.validate import load_graph

FIXTURE = Path(__file__).resolve().parent / "data" / "query"
DOCS = sorted(p.stem for p in FIXTURE.glob("*.ttl"))


@pytest.fixture(scope="module")
def dataset():
    return load_graph([FIXTURE])


def _same(expected: Graph, actual: Graph, what: str) -> None:
    if not isomorphic(expected, actual):
        _both, only_expected, only_actual = graph_diff(to_isomorphic(expected), to_isomorphic(actual))
        lines = [f"- {t}" for t in sorted(only_expected)[:5]] + [f"+ {t}" for t in sorted(only_actual)[:5]]
        raise AssertionError(f"{what} does not round-trip:\n" + "\n".join(lines))


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_export_parses_back_isomorphic(dataset, fmt):
    back = parse_back(serialize(dataset, fmt), fmt)
    _same(merged_graph(dataset), merged_graph(back), fmt)


@pytest.mark.parametrize("fmt", QUAD_FORMATS)
def test_export_one_named_graph_per_document_holding_its_file(dataset, fmt):
    back = parse_back(serialize(dataset, fmt), fmt)
    names = {str(g.identifier) for g in back.graphs() if len(g)}
    assert names == {str(graph_iri(doc)) for doc in DOCS}
    for doc in DOCS:
        _same(Graph().parse(FIXTURE / f"{doc}.ttl"), back.graph(graph_iri(doc)), f"{fmt} graph of {doc}")


def test_export_jsonld_context_is_readable(dataset):
    data = json.loads(serialize(dataset, "jsonld"))
    assert data["@context"]["ng"] == "https://w3id.org/normgraph/ontology#"
    text = json.dumps(data)
    assert '"party:CHN"' in text and '"ng:evidence"' in text


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_export_bytes_are_the_same_across_runs(fmt, tmp_path):
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"{seed}.{fmt}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "normgraph", "export", str(FIXTURE), "-f", fmt, "-o", str(out)],
                       check=True, env=env)
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


def test_export_cli_to_stdout_and_bad_path(capsys, tmp_path):
    assert main(["export", str(FIXTURE), "-f", "nt"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == sorted(lines) and any('"oppose unilateral sanctions"' in line for line in lines)
    assert main(["export", str(tmp_path / "missing")]) == 2
    assert "no such file or folder" in capsys.readouterr().err
