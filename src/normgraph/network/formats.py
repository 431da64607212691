"""Writing the network of instrument links: GraphML, GEXF, Cytoscape.js JSON, and PNG/SVG/PDF pictures.

Exchange files hold only attribute values Gephi and Cytoscape accept: strings, numbers and
booleans.  A list becomes one string ("doc §3; doc §8" for the clauses, the evidence joined by
" | "), None is left out.  GEXF carries each node's position, size and colour and each edge's
colour and thickness in Gephi's viz namespace; GraphML carries them as the x, y, size, r, g, b
attributes Gephi's importer reads (and a `color` in #rrggbb that yEd's property mapper takes).
Positions come from `projection.layout`; pictures are drawn by `figure`.
"""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import networkx as nx

from normgraph.network import figure
from normgraph.network.page import render
from normgraph.network.projection import Source, layout
from normgraph.network.style import KIND_COLOURS, edge_colour

SEP_CLAUSES = "; "
SEP_EVIDENCE = " | "


def _flat(attrs: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in attrs.items():
        if value is None or value == "":
            continue
        if key == "sources":
            out["clauses"] = SEP_CLAUSES.join(dict.fromkeys(s.cite() for s in value))
            evidence = SEP_EVIDENCE.join(dict.fromkeys(s.evidence for s in value if s.evidence))
            if evidence:
                out["evidence"] = evidence
        elif isinstance(value, (list, tuple, set)):
            if value:
                out[key] = SEP_CLAUSES.join(str(v) for v in value)
        else:
            out[key] = value
    return out


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _look(g: nx.MultiDiGraph) -> tuple[dict[str, tuple[float, float]], dict[str, float]]:
    """The positions (y up, ±500 units) and sizes the exchange files carry for Gephi and yEd."""
    degree = dict(nx.Graph(g.to_undirected()).degree())
    pos = layout(g)
    return ({n: (round(x * 500, 1), round(y * 500, 1)) for n, (x, y) in pos.items()},
            {n: round(4 + 2 * math.sqrt(d), 2) for n, d in degree.items()})


def exchange_graph(g: nx.MultiDiGraph, look: bool = False) -> nx.MultiDiGraph:
    """A copy of `g` whose attributes are all strings, numbers or booleans; with `look`, each node
    also has x, y, size, r, g, b and color (#rrggbb), and each edge r, g, b, color and weight:
    the attributes Gephi's GraphML importer reads as position, size and colour."""
    out = nx.MultiDiGraph()
    pos, size = _look(g) if look else ({}, {})
    for n, data in g.nodes(data=True):
        attrs = _flat(data)
        if look:
            colour = KIND_COLOURS[data["kind"]]
            attrs.update(x=pos[n][0], y=pos[n][1], size=size[n], color=colour, **dict(zip("rgb", _rgb(colour),
                                                                                          strict=True)))
        out.add_node(n, **attrs)
    for a, b, key, data in g.edges(keys=True, data=True):
        attrs = _flat(data)
        if look:
            colour = edge_colour(data)
            attrs.update(color=colour, **dict(zip("rgb", _rgb(colour), strict=True)))
        out.add_edge(a, b, key=key, **attrs)
    return out


def write_graphml(g: nx.MultiDiGraph, path: Path) -> None:
    """GraphML with the plain attributes and the look (see `exchange_graph`)."""
    nx.write_graphml(exchange_graph(g, look=True), path, named_key_ids=True)


def write_gexf(g: nx.MultiDiGraph, path: Path) -> None:
    """GEXF 1.2 with the plain attributes, and position, size and colour in Gephi's viz namespace."""
    out = exchange_graph(g)
    pos, size = _look(g)
    for n, data in out.nodes(data=True):
        r, gr, b = _rgb(KIND_COLOURS[data["kind"]])
        data["viz"] = {"color": {"r": r, "g": gr, "b": b, "a": 1.0}, "size": size[n],
                       "position": {"x": pos[n][0], "y": pos[n][1], "z": 0.0}}
    for _, _, data in out.edges(data=True):
        r, gr, b = _rgb(edge_colour(data))
        data["viz"] = {"color": {"r": r, "g": gr, "b": b, "a": 1.0},
                       "thickness": round(min(1 + math.sqrt(data["weight"]), 6), 2)}
    nx.write_gexf(out, path, version="1.2draft")


def _source_dict(s: Source) -> dict[str, str]:
    return {"document": s.document, "clause": s.clause, "evidence": s.evidence}


def cytoscape(g: nx.MultiDiGraph, positions: dict[str, tuple[float, float]] | None = None) -> dict[str, Any]:
    """The network as Cytoscape.js JSON (networkx's `cytoscape_data`), with positions (y down) and
    the sources as lists of {document, clause, evidence}."""
    pos = positions if positions is not None else layout(g)
    plain = nx.MultiDiGraph()
    for n, data in g.nodes(data=True):
        plain.add_node(n, **{k: v for k, v in data.items() if k != "sources" and v is not None},
                       sources=[_source_dict(s) for s in data["sources"]])
    for a, b, key, data in g.edges(keys=True, data=True):
        plain.add_edge(a, b, key=key, id=f"{a}|{b}|{key}", **{k: v for k, v in data.items()
                                                             if k != "sources" and v is not None},
                       sources=[_source_dict(s) for s in data["sources"]])
    out = nx.cytoscape_data(plain, name="label")
    for node in out["elements"]["nodes"]:
        x, y = pos[node["data"]["id"]]
        node["position"] = {"x": round(x * 1000, 1), "y": round(-y * 1000, 1)}
    return out


def write_cytoscape(g: nx.MultiDiGraph, path: Path) -> None:
    path.write_text(json.dumps(cytoscape(g), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def draw(g: nx.MultiDiGraph, fmt: str = "png", title: str | None = None,
         size: tuple[float, float] = figure.DEFAULT_SIZE, dpi: int = figure.DEFAULT_DPI) -> bytes:
    """A static picture of the network (fmt "png", "svg" or "pdf") of `size` inches at `dpi`,
    the same bytes for the same graph."""
    if fmt not in figure.FORMATS:
        raise ValueError(f"unknown picture format {fmt!r}; expected {', '.join(figure.FORMATS)}")
    return figure.render(figure.figure(g, size=size, dpi=dpi, title=title), fmt)


SUFFIXES = (".html", ".png", ".svg", ".pdf", ".graphml", ".gexf", ".json")


def write(g: nx.MultiDiGraph, path: Path, size: tuple[float, float] = figure.DEFAULT_SIZE,
          dpi: int = figure.DEFAULT_DPI) -> None:
    """Write `g` in the format its suffix names (see SUFFIXES), through a temporary file and a rename;
    `size` (inches) and `dpi` are those of a PNG, SVG or PDF picture."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ValueError(f"{path}: unknown picture format {suffix or '(none)'}; expected {', '.join(SUFFIXES)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        if suffix == ".html":
            tmp.write_text(render(g), encoding="utf-8")
        elif suffix[1:] in figure.FORMATS:
            tmp.write_bytes(draw(g, suffix[1:], size=size, dpi=dpi))
        elif suffix == ".graphml":
            write_graphml(g, tmp)
        elif suffix == ".gexf":
            write_gexf(g, tmp)
        else:
            write_cytoscape(g, tmp)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


__all__ = ["write", "SUFFIXES", "exchange_graph", "write_graphml", "write_gexf", "cytoscape", "write_cytoscape", "draw"]
