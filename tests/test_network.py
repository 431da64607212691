"""Tests for network/projection.py and network/formats.py: projection, filters, measures, exchange files, pictures.

The graph is tests/data/network/: clauses 3, 8, 17, 18 and 19 of the seed declaration and
paragraphs 4 and 8 of the seed report, in the shape `normgraph build` writes.
"""
from __future__ import annotations

import io
import json
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from normgraph.cli import main
from normgraph.network import formats, projection
from normgraph.network.projection import Filters, Source
from normgraph.rdf.validate import load_graph

NETWORK = Path(__file__).resolve().parent / "data" / "network"
DECLARATION = "cn-ru-2025-international-law"
REPORT = "xinhua-2025-05-08-report"
UNCLOS = "instrument/unclos"
SANCTIONS = "practice/unilateral-sanctions"
SOVEREIGN_EQUALITY = "principle/sovereign-equality"


def _project(**filters) -> nx.MultiDiGraph:
    return projection.project(load_graph([NETWORK]), Filters(**filters))


def test_network_nodes_have_kind_label_iri(network_graph):
    unclos = network_graph.nodes[UNCLOS]
    assert unclos["kind"] == "instrument"
    assert unclos["label"] == "United Nations Convention on the Law of the Sea"
    assert unclos["iri"] == "https://w3id.org/normgraph/id/instrument/unclos"
    assert unclos["in_vocabulary"] is True
    assert unclos["alt_labels"] == ["UNCLOS"]
    assert network_graph.nodes["instrument/protocol-to-the-btwc"]["in_vocabulary"] is False
    assert network_graph.nodes["party/CHN"]["kind"] == "party"
    assert {k for _, k in network_graph.nodes(data="kind")} == set(projection.KINDS)


def test_network_stance_edge_carries_clause_and_words(network_graph):
    edge = network_graph.edges["party/CHN", UNCLOS, "stance:positive"]
    assert edge["polarity"] == "positive"
    assert edge["weight"] == 1
    assert edge["stance_types"] == ["Emphasize"]
    assert edge["sources"] == [Source(DECLARATION, "18", "emphasize the important role of the 1982 United "
                                                        "Nations Convention on the Law of the Sea")]


def test_network_stance_weight_counts_stances(network_graph):
    # clause 8 "oppose and condemn unilateral sanctions" is two stances; the report adds one
    edge = network_graph.edges["party/RUS", SANCTIONS, "stance:negative"]
    assert edge["weight"] == 3
    assert edge["stance_types"] == ["Condemn", "Oppose"]
    assert {(s.document, s.clause) for s in edge["sources"]} == {(DECLARATION, "8"), (REPORT, "8")}


def test_network_relations_from_norm_relation_nodes(network_graph):
    violates = network_graph.edges[SANCTIONS, SOVEREIGN_EQUALITY, "relation:violates"]
    assert violates["relation"] == "violates"
    assert violates["weight"] == 2
    assert Source(DECLARATION, "8", "unilateral sanctions that violate international law, in particular "
                                    "the principles of sovereign equality") in violates["sources"]
    keys = {k for _, _, k in network_graph.edges(keys=True) if k.startswith("relation:")}
    assert keys == {f"relation:{r}" for r in projection.RELATIONS}
    assert network_graph.has_edge("instrument/paris-agreement", "instrument/unfccc", "relation:partOf")
    assert network_graph.has_edge("instrument/ppwt", "party/CHN", "relation:proposedBy")


def test_network_co_invocation_weight_is_clause_count(network_graph):
    edge = network_graph.edges["principle/non-intervention", SOVEREIGN_EQUALITY, "co-invocation"]
    assert edge["weight"] == 3
    assert [s.cite() for s in edge["sources"]] == [f"{DECLARATION} §3", f"{DECLARATION} §8", f"{REPORT} §8"]
    # parties are mentioned too, but co-invocation links norms only
    assert not any(k == "co-invocation" and "party/" in a + b for a, b, k in network_graph.edges(keys=True))


def test_network_node_sources_cite_words_not_bare_mentions(network_graph):
    assert network_graph.nodes[UNCLOS]["sources"] == [
        Source(DECLARATION, "18", "emphasize the important role of the 1982 United Nations Convention on "
                                  "the Law of the Sea")]


def test_network_filter_document():
    g = _project(document=REPORT)
    documents = {s.document for _, _, d in g.edges(data=True) for s in d["sources"]}
    assert documents == {REPORT}
    assert UNCLOS not in g
    assert g.edges["party/CHN", SANCTIONS, "stance:negative"]["weight"] == 1


def test_network_filter_kind_polarity_weight():
    g = _project(kinds=("principle", "practice"))
    assert {k for _, k in g.nodes(data="kind")} == {"principle", "practice"}
    g = _project(polarity="negative")
    assert {d["polarity"] for _, _, d in g.edges(data=True) if d["link"] == "stance"} == {"negative"}
    g = _project(min_weight=2)
    assert g.number_of_edges() > 0
    assert min(w for _, _, w in g.edges(data="weight")) == 2
    assert UNCLOS not in g


def test_network_filter_party_keeps_its_stances_and_clauses():
    g = _project(party="RUS")
    assert not any(a == "party/CHN" for a, _ in g.edges())  # no stance of China's
    assert g.has_edge("instrument/ppwt", "party/CHN", "relation:proposedBy")  # read from clause 17
    assert g.has_edge("party/RUS", UNCLOS, "stance:positive")
    assert g.has_edge(SANCTIONS, SOVEREIGN_EQUALITY, "relation:violates")
    assert _project(party="USA").number_of_nodes() == 0


def test_network_filter_rejects_unknown_kind():
    with pytest.raises(ValueError, match="unknown node kind 'treaty'"):
        _project(kinds=("treaty",))


def test_network_measures_rank_norms(network_graph):
    rows = projection.measures(network_graph)
    assert {r["kind"] for r in rows} == {"instrument", "principle"}
    by_node = {r["node"]: r for r in rows}
    assert by_node[SOVEREIGN_EQUALITY]["degree"] == 11
    assert rows[0]["node"] in {SOVEREIGN_EQUALITY, "principle/non-intervention"}
    assert by_node["principle/non-intervention"]["betweenness"] > by_node[UNCLOS]["betweenness"]
    # the climate instruments share a community, the Charter is in another one
    assert by_node["instrument/paris-agreement"]["community"] == by_node["instrument/unfccc"]["community"]
    assert projection.measures(network_graph) == rows
    table = projection.format_measures(rows)
    assert table.splitlines()[0].split() == ["label", "kind", "degree", "weighted_degree", "betweenness",
                                             "community", "clauses"]
    assert "United Nations Convention on the Law of the Sea" in table


def test_network_layout_is_deterministic(network_graph):
    first = projection.layout(network_graph)
    assert first == projection.layout(network_graph)
    assert set(first) == set(network_graph)
    xs = [x for x, _ in first.values()]
    assert max(map(abs, xs)) <= 1.0 and len(set(first.values())) == len(first)


@pytest.mark.parametrize("suffix,read", [(".graphml", nx.read_graphml), (".gexf", nx.read_gexf)])
def test_formats_exchange_file_reads_back(network_graph, tmp_path, suffix, read):
    path = tmp_path / f"network{suffix}"
    formats.write(network_graph, path)
    back = read(path)
    expected = formats.exchange_graph(network_graph)
    assert set(back.nodes) == set(expected.nodes)
    assert {(a, b, k) for a, b, k in back.edges(keys=True)} == set(expected.edges(keys=True))
    for n, data in expected.nodes(data=True):
        assert back.nodes[n] == data
    for a, b, k, data in expected.edges(keys=True, data=True):
        got = {key: v for key, v in back.edges[a, b, k].items() if key != "id"}
        assert got == pytest.approx(data)
    edge = back.edges["party/CHN", UNCLOS, "stance:positive"]
    assert edge["clauses"] == f"{DECLARATION} §18"
    assert edge["evidence"].startswith("emphasize the important role of the 1982")


def test_formats_exchange_values_are_plain(network_graph):
    g = formats.exchange_graph(network_graph)
    values = [v for _, d in g.nodes(data=True) for v in d.values()]
    values += [v for _, _, d in g.edges(data=True) for v in d.values()]
    assert all(isinstance(v, (str, int, float, bool)) and v != "" for v in values)


def test_formats_cytoscape_json(network_graph, tmp_path):
    path = tmp_path / "network.json"
    formats.write(network_graph, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    nodes = {n["data"]["id"]: n for n in data["elements"]["nodes"]}
    assert set(nodes) == set(network_graph)
    assert set(nodes[UNCLOS]["position"]) == {"x", "y"}
    edges = [e["data"] for e in data["elements"]["edges"]]
    assert len(edges) == network_graph.number_of_edges()
    stance = next(e for e in edges if e["source"] == "party/CHN" and e["target"] == UNCLOS)
    assert stance["sources"] == [{"document": DECLARATION, "clause": "18", "evidence": "emphasize the important "
                                  "role of the 1982 United Nations Convention on the Law of the Sea"}]


def test_formats_png_is_drawn_and_deterministic(network_graph):
    from PIL import Image

    first = formats.draw(network_graph, "png")
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
    assert first == formats.draw(network_graph, "png")
    pixels = np.asarray(Image.open(io.BytesIO(first)).convert("L"), dtype=float)
    assert pixels.std() > 5  # not a blank image
    assert (pixels < 128).mean() > 0.005  # dark ink: edges, labels, legend


def test_formats_svg_is_deterministic_and_labelled(network_graph):
    first = formats.draw(network_graph, "svg")
    assert first == formats.draw(network_graph, "svg")
    text = first.decode("utf-8")
    assert text.lstrip().startswith("<?xml") and "<svg" in text
    assert "<dc:date>" not in text


def test_formats_rejects_unknown_suffix(network_graph, tmp_path):
    with pytest.raises(ValueError, match="unknown picture format .pdf"):
        formats.write(network_graph, tmp_path / "network.pdf")
    assert not list(tmp_path.iterdir())


def test_cli_viz_writes_format_from_suffix(tmp_path, capsys):
    out = tmp_path / "network.graphml"
    assert main(["viz", str(NETWORK), "-o", str(out), "--kind", "instrument", "--kind", "principle"]) == 0
    back = nx.read_graphml(out)
    assert {d["kind"] for _, d in back.nodes(data=True)} == {"instrument", "principle"}


def test_cli_viz_stats_prints_table(capsys):
    assert main(["viz", str(NETWORK), "--stats", "--document", DECLARATION]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("label")
    assert "sovereign equality" in out and "party" not in out.split()


def test_cli_viz_usage_errors(tmp_path, capsys):
    assert main(["viz", str(NETWORK), "-o", str(tmp_path / "network.pdf")]) == 2
    assert "network.pdf: unknown format" in capsys.readouterr().err
    assert main(["viz", str(NETWORK), "--party", "USA", "-o", str(tmp_path / "n.html")]) == 1
    assert "the network is empty" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())
