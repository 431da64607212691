"""Writing the network of instrument links: GraphML, GEXF, Cytoscape.js JSON, and static PNG/SVG pictures.

Exchange files hold only attribute values Gephi and Cytoscape accept: strings, numbers and
booleans.  A list becomes one string ("doc §3; doc §8" for the clauses, the evidence joined by
" | "), None is left out.  Pictures are drawn with matplotlib's Agg backend (chosen inside
`draw`, never at import), laid out by `projection.layout`, with fixed metadata and hash salt so
that the same graph gives the same bytes.
"""
from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import networkx as nx

from normgraph.network.page import render
from normgraph.network.projection import Source, layout
from normgraph.network.style import (
    CO_INVOCATION_COLOUR,
    KIND_COLOURS,
    KINDS,
    POLARITIES,
    POLARITY_COLOURS,
    RELATION_COLOUR,
    edge_colour,
)

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


def exchange_graph(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of `g` whose attributes are all strings, numbers or booleans."""
    out = nx.MultiDiGraph()
    for n, data in g.nodes(data=True):
        out.add_node(n, **_flat(data))
    for a, b, key, data in g.edges(keys=True, data=True):
        out.add_edge(a, b, key=key, **_flat(data))
    return out


def write_graphml(g: nx.MultiDiGraph, path: Path) -> None:
    nx.write_graphml(exchange_graph(g), path, named_key_ids=True)


def write_gexf(g: nx.MultiDiGraph, path: Path) -> None:
    nx.write_gexf(exchange_graph(g), path)


def _source_dict(s: Source) -> dict[str, str]:
    return {"document": s.document, "clause": s.clause, "evidence": s.evidence}


def cytoscape(g: nx.MultiDiGraph, positions: dict[str, tuple[float, float]] | None = None) -> dict[str, Any]:
    """The network as Cytoscape.js elements, with positions and the sources as lists of objects."""
    pos = positions if positions is not None else layout(g)
    nodes = []
    for n, data in g.nodes(data=True):
        d = {k: v for k, v in data.items() if k != "sources" and v is not None}
        d["sources"] = [_source_dict(s) for s in data["sources"]]
        x, y = pos[n]
        nodes.append({"data": {"id": n, **d}, "position": {"x": round(x * 1000, 1), "y": round(-y * 1000, 1)}})
    edges = []
    for a, b, key, data in g.edges(keys=True, data=True):
        d = {k: v for k, v in data.items() if k != "sources" and v is not None}
        d["sources"] = [_source_dict(s) for s in data["sources"]]
        edges.append({"data": {"id": f"{a}|{b}|{key}", "source": a, "target": b, "key": key, **d}})
    return {"elements": {"nodes": nodes, "edges": edges}}


def write_cytoscape(g: nx.MultiDiGraph, path: Path) -> None:
    path.write_text(json.dumps(cytoscape(g), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def draw(g: nx.MultiDiGraph, fmt: str = "png", title: str | None = None, max_labels: int = 40) -> bytes:
    """A static picture of the network (fmt "png" or "svg"), the same bytes for the same graph."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    pos = layout(g)
    degree = dict(g.degree(weight="weight"))
    fig = Figure(figsize=(12, 9), dpi=100)
    ax = fig.add_subplot()
    ax.set_axis_off()
    for a, b, data in sorted(g.edges(data=True), key=lambda e: (e[2]["link"] != "co-invocation", e[0], e[1])):
        (x1, y1), (x2, y2) = pos[a], pos[b]
        width = min(0.6 + 0.5 * data["weight"], 4)
        ax.plot([x1, x2], [y1, y2], color=edge_colour(data), linewidth=width,
                alpha=0.45 if data["link"] == "co-invocation" else 0.8, zorder=1)
    for kind in KINDS:
        members = sorted(n for n, k in g.nodes(data="kind") if k == kind)
        if members:
            ax.scatter([pos[n][0] for n in members], [pos[n][1] for n in members],
                       s=[40 + 12 * degree[n] ** 0.8 for n in members], c=KIND_COLOURS[kind],
                       edgecolors="white", linewidths=0.8, zorder=2)
    labelled = sorted(g.nodes, key=lambda n: (-degree[n], n))[:max_labels]
    for n in sorted(labelled):
        label = g.nodes[n]["label"]
        ax.annotate(label if len(label) <= 40 else label[:38] + "…", pos[n], fontsize=8, zorder=3,
                    xytext=(5, 4), textcoords="offset points")
    handles = [Line2D([], [], marker="o", linestyle="", color=KIND_COLOURS[k], label=k) for k in KINDS]
    handles += [Line2D([], [], color=POLARITY_COLOURS[p], label=f"stance: {p}") for p in POLARITIES]
    handles += [Line2D([], [], color=RELATION_COLOUR, label="relation between norms"),
                Line2D([], [], color=CO_INVOCATION_COLOUR, label="named in the same clause")]
    ax.legend(handles=handles, loc="lower left", fontsize=8, frameon=True)
    if title:
        ax.set_title(title)
    ax.margins(0.08)
    buffer = io.BytesIO()
    if fmt == "svg":
        with matplotlib.rc_context({"svg.hashsalt": "normgraph", "svg.fonttype": "path"}):
            fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    elif fmt == "png":
        fig.savefig(buffer, format="png", bbox_inches="tight", metadata={"Software": None})
    else:
        raise ValueError(f"unknown picture format {fmt!r}; expected png or svg")
    return buffer.getvalue()


SUFFIXES = (".html", ".png", ".svg", ".graphml", ".gexf", ".json")


def write(g: nx.MultiDiGraph, path: Path) -> None:
    """Write `g` in the format its suffix names (see SUFFIXES), through a temporary file and a rename."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ValueError(f"{path}: unknown picture format {suffix or '(none)'}; expected {', '.join(SUFFIXES)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        if suffix == ".html":
            tmp.write_text(render(g), encoding="utf-8")
        elif suffix in (".png", ".svg"):
            tmp.write_bytes(draw(g, suffix[1:]))
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
