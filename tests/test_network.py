"""Tests for network/projection.py and network/formats.py: projection, filters, measures, exchange files, pictures.

The graph is tests/data/network/: clauses 3, 8, 17, 18 and 19 of the seed declaration and
paragraphs 4 and 8 of the seed report, in the shape `normgraph build` writes.
"""
from __future__ import annotations

import io
import json
import re
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from normgraph.cli import main
from normgraph.network import figure, formats, projection, timeline
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
    expected = formats.exchange_graph(network_graph, look=suffix == ".graphml")
    assert set(back.nodes) == set(expected.nodes)
    assert {(a, b, k) for a, b, k in back.edges(keys=True)} == set(expected.edges(keys=True))
    for n, data in expected.nodes(data=True):
        assert {k: v for k, v in back.nodes[n].items() if k != "viz"} == pytest.approx(data)
    for a, b, k, data in expected.edges(keys=True, data=True):
        got = {key: v for key, v in back.edges[a, b, k].items() if key not in ("id", "viz")}
        assert got == pytest.approx(data)
    edge = back.edges["party/CHN", UNCLOS, "stance:positive"]
    assert edge["clauses"] == f"{DECLARATION} §18"
    assert edge["evidence"].startswith("emphasize the important role of the 1982")


def _apart(a: tuple[float, float], b: tuple[float, float], ra: float, rb: float) -> bool:
    return float(np.hypot(a[0] - b[0], a[1] - b[1])) > ra + rb


def test_formats_gexf_carries_gephi_viz(network_graph, tmp_path):
    """Issue 11: Gephi opened a grey hairball; GEXF now holds viz colour, size and position."""
    path = tmp_path / "network.gexf"
    formats.write(network_graph, path)
    text = path.read_text(encoding="utf-8")
    assert 'xmlns:viz="http://www.gexf.net/1.2draft/viz"' in text and "<viz:position" in text
    back = nx.read_gexf(path)
    unclos, chn, rus = (back.nodes[n]["viz"] for n in (UNCLOS, "party/CHN", "party/RUS"))
    assert (unclos["color"]["r"], unclos["color"]["g"], unclos["color"]["b"]) == (0x1F, 0x77, 0xB4)
    assert chn["size"] > unclos["size"]  # China is better linked
    at = {n: (d["viz"]["position"]["x"], d["viz"]["position"]["y"]) for n, d in back.nodes(data=True)}
    assert len(set(at.values())) == len(at)
    assert _apart(at["party/CHN"], at["party/RUS"], chn["size"], rus["size"])  # not drawn on top of each other
    edges = re.findall(r'<edge source="party/RUS" target="practice/unilateral-sanctions"[^>]*>\s*'
                       r'<viz:color r="(\d+)" g="(\d+)" b="(\d+)"', text)
    assert ("200", "48", "44") in edges  # the negative stance is red


def test_formats_graphml_carries_position_size_colour(network_graph, tmp_path):
    path = tmp_path / "network.graphml"
    formats.write(network_graph, path)
    back = nx.read_graphml(path)
    chn = back.nodes["party/CHN"]
    assert (chn["r"], chn["g"], chn["b"], chn["color"]) == (0xFF, 0x7F, 0x0E, "#ff7f0e")
    assert {"x", "y", "size"} <= set(chn) and abs(chn["x"]) <= 500 and abs(chn["y"]) <= 500
    assert back.edges["party/CHN", UNCLOS, "stance:positive"]["color"] == "#2a9d4a"


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
    assert nodes[UNCLOS]["data"]["name"] == "United Nations Convention on the Law of the Sea"
    assert data["multigraph"] is True and data["directed"] is True
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
    with pytest.raises(ValueError, match="unknown picture format .tiff"):
        formats.write(network_graph, tmp_path / "network.tiff")
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
    assert main(["viz", str(NETWORK), "-o", str(tmp_path / "network.tiff")]) == 2
    assert "network.tiff: unknown format" in capsys.readouterr().err
    assert main(["viz", str(NETWORK), "-o", str(tmp_path / "n.pdf"), "--size", "180 by 120"]) == 2
    assert "--size: size '180 by 120': expected WIDTHxHEIGHT" in capsys.readouterr().err
    assert main(["viz", str(NETWORK), "-o", str(tmp_path / "n.pdf"), "--dpi", "0"]) == 2
    assert "--dpi" in capsys.readouterr().err
    assert main(["viz", str(NETWORK), "--party", "USA", "-o", str(tmp_path / "n.html")]) == 1
    assert "the network is empty" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("text,inches", [("180x120mm", (180 / 25.4, 120 / 25.4)), ("7x5in", (7, 5)), ("7x5", (7, 5)),
                                         ("1500x900px", (5, 3)), ("18 × 12 cm", (18 / 2.54, 12 / 2.54))])
def test_figure_parse_size(text, inches):
    assert figure.parse_size(text, dpi=300) == pytest.approx(inches)


def test_cli_viz_pdf_for_a_paper_has_its_size_and_labels_that_do_not_overlap(network_graph, tmp_path):
    """Issue 11: `viz -o fig.pdf --size 180x120mm --dpi 300` is a paper's figure: the page is 180 x 120 mm,
    the labels (boxes as matplotlib draws them) overlap neither each other, nor a labelled node, nor the legend."""
    out = tmp_path / "fig.pdf"
    assert main(["viz", str(NETWORK), "-o", str(out), "--size", "180x120mm", "--dpi", "300"]) == 0
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    box = re.search(rb"/MediaBox \[ ?0 0 ([\d.]+) ([\d.]+) ?\]", data)
    assert box and (float(box.group(1)), float(box.group(2))) == pytest.approx((180 / 25.4 * 72, 120 / 25.4 * 72),
                                                                               abs=0.5)
    assert data == formats.draw(network_graph, "pdf", size=figure.parse_size("180x120mm"), dpi=300)
    fig = figure.figure(network_graph, size=figure.parse_size("180x120mm"), dpi=300)
    placed = figure.labels(fig)
    assert len(placed) >= 12
    labelled = {"party/CHN", "party/RUS", SOVEREIGN_EQUALITY}
    assert labelled <= {n for n, _ in placed}
    boxes = [b for _, b in placed] + [fig.legends[0].get_window_extent(fig.canvas.get_renderer())]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.overlaps(b), (a, b)
    width, height = fig.canvas.get_width_height()
    assert all(0 <= b.x0 and b.x1 <= width and 0 <= b.y0 and b.y1 <= height for b in boxes)


def test_figure_legend_lists_only_what_is_shown(tmp_path):
    """Issue 11: with --kind the legend listed kinds that were not shown."""
    g = _project(kinds=("instrument", "principle"))
    fig = figure.figure(g)
    entries = [t.get_text() for t in fig.legends[0].get_texts()]
    assert entries == ["instrument", "principle", "relation between norms", "named in the same clause"]


QUERY = Path(__file__).resolve().parent / "data" / "query"


def test_timeline_stances_toward_a_target_by_date_party_polarity():
    found = timeline.stances_toward(load_graph([QUERY]), "unilateral sanctions")
    assert found.target == "unilateral sanctions" and found.undated == 0
    dates = sorted({m.date.isoformat() for m in found.marks})
    assert dates[0] == "2016-06-25" and dates[-1].startswith("2025")
    by_party = {(m.party, m.polarity) for m in found.marks}
    assert by_party == {("China", "negative"), ("Russia", "negative"), ("United States", "positive"),
                        ("United Kingdom", "positive")}
    first = [m for m in found.marks if m.date.isoformat() == "2016-06-25"]
    assert {m.party for m in first} == {"China", "Russia"}
    assert all(m.document == "cn-ru-2016-international-law" and m.stances == 1 for m in first)
    # the declaration's clause 8 opposes and condemns: two stances in one mark
    assert any(m.document == "cn-ru-2025-international-law" and m.stances == 2 for m in found.marks)


@pytest.mark.parametrize("name", ["practice/unilateral-sanctions", "Unilateral Sanctions", "unilateral-sanctions"])
def test_timeline_resolves_target_by_id_label_or_last_part(name):
    assert timeline.resolve_target(load_graph([NETWORK]), name).endswith("/practice/unilateral-sanctions")


def test_timeline_resolves_alternative_label():
    assert timeline.resolve_target(load_graph([NETWORK]), "UNCLOS").endswith("/instrument/unclos")


def test_cli_chart_writes_timeline_in_each_format(tmp_path, capsys):
    for suffix, magic in ((".png", b"\x89PNG"), (".svg", b"<?xml"), (".pdf", b"%PDF")):
        out = tmp_path / f"timeline{suffix}"
        assert main(["chart", "unilateral sanctions", str(QUERY), "-o", str(out), "--size", "160x90mm"]) == 0
        assert out.read_bytes().startswith(magic)
        assert "10 stances toward unilateral sanctions by 4 parties" in capsys.readouterr().err
    first = (tmp_path / "timeline.svg").read_bytes()
    assert main(["chart", "unilateral sanctions", str(QUERY), "-o", str(tmp_path / "again.svg"),
                 "--size", "160x90mm"]) == 0
    assert (tmp_path / "again.svg").read_bytes() == first


def test_cli_chart_draws_marks_coloured_by_polarity(tmp_path):
    from PIL import Image

    out = tmp_path / "timeline.png"
    assert main(["chart", "unilateral sanctions", str(QUERY), "-o", str(out)]) == 0
    pixels = np.asarray(Image.open(out).convert("RGB"), dtype=int)
    red = (abs(pixels[..., 0] - 0xC8) < 25) & (abs(pixels[..., 1] - 0x30) < 25) & (abs(pixels[..., 2] - 0x2C) < 25)
    green = (abs(pixels[..., 0] - 0x2A) < 25) & (abs(pixels[..., 1] - 0x9D) < 25) & (abs(pixels[..., 2] - 0x4A) < 25)
    assert red.sum() > 100 and green.sum() > 50  # China and Russia oppose, the US and the UK support


def test_cli_chart_unknown_target_says_what_it_knows(tmp_path, capsys):
    out = tmp_path / "timeline.png"
    assert main(["chart", "unilateral sanctionz", str(QUERY), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("normgraph: target: no principle, instrument, practice, concept or party is called")
    assert "did you mean 'unilateral sanctions'" in err
    assert main(["chart", "UNCLOS", str(QUERY), "-o", str(tmp_path / "t.gif")]) == 2
    assert not list(tmp_path.iterdir())


def test_cli_chart_target_without_stances_exits_1_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "timeline.png"
    assert main(["chart", "multipolar world", str(NETWORK), "-o", str(out)]) == 1
    assert "normgraph: no dated stance toward multipolar world" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())
