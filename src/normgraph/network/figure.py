"""Static pictures of the network for papers: PNG, SVG or PDF at a given size and resolution.

`parse_size` reads a figure size as a user writes it ("180x120mm", "7x5in", "1600x1000px", or
"18x12cm"); `figure` draws the network on a matplotlib Figure of that size: nodes placed by
`projection.layout` (ForceAtlas2), sized by degree, coloured by kind; edges coloured by polarity
or kind of link; the best-linked nodes labelled where their label overlaps no other label, no
labelled node and not the legend; the legend, right of the drawing, lists only the node kinds and
links the picture holds, and the drawing takes the width it leaves.  `render` writes it with fixed
metadata (and SVG hash salt), so the same graph gives the same bytes.  matplotlib's Agg backend
is chosen inside, never at import.
"""
from __future__ import annotations

import io
import math
import re
from typing import Any

import networkx as nx

from normgraph.network.projection import layout
from normgraph.network.style import KIND_COLOURS, KINDS, edge_colour, legend_entries, shown

FORMATS = ("png", "svg", "pdf")
DEFAULT_SIZE = (12.0, 9.0)  # inches
DEFAULT_DPI = 100
_UNITS = {"in": 1.0, "mm": 1 / 25.4, "cm": 1 / 2.54, "px": None}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[x×]\s*(\d+(?:\.\d+)?)\s*(in|mm|cm|px)?\s*$", re.I)
LABEL_POINTS = 7.0


def parse_size(text: str, dpi: int = DEFAULT_DPI) -> tuple[float, float]:
    """A size "WxH[unit]" (unit in, mm, cm or px; default in) as (width, height) in inches."""
    found = _SIZE.match(text)
    if not found:
        raise ValueError(f"size {text!r}: expected WIDTHxHEIGHT with a unit in, mm, cm or px (e.g. 180x120mm)")
    w, h, unit = float(found.group(1)), float(found.group(2)), (found.group(3) or "in").lower()
    factor = _UNITS[unit] or 1 / dpi
    width, height = w * factor, h * factor
    if not (0.5 <= width <= 100 and 0.5 <= height <= 100):
        raise ValueError(f"size {text!r}: expected between 0.5 and 100 inches a side")
    return width, height


def _overlaps(a: Any, b: Any) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def figure(g: nx.MultiDiGraph, size: tuple[float, float] = DEFAULT_SIZE, dpi: int = DEFAULT_DPI,
           title: str | None = None, max_labels: int | None = None) -> Any:
    """The network drawn on a matplotlib Figure of `size` inches at `dpi`, labels already placed."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    width, height = size
    fig = Figure(figsize=size, dpi=dpi)
    FigureCanvasAgg(fig)
    top = 0.93 if title else 0.99
    handles = [Line2D([], [], marker="o", linestyle="", color=colour, label=text) if mark == "node"
               else Line2D([], [], color=colour, label=text) for mark, colour, text in legend_entries(*shown(g))]
    legend = fig.legend(handles=handles, loc="upper right", bbox_to_anchor=(0.995, top),
                        fontsize=LABEL_POINTS, frameon=False, borderaxespad=0.2)
    left_of_legend = legend.get_window_extent(fig.canvas.get_renderer()).x0 / (width * dpi)
    ax = fig.add_axes((0.01, 0.01, max(left_of_legend - 0.02, 0.3), top - 0.01))
    ax.set_axis_off()
    if title:
        fig.suptitle(title, fontsize=LABEL_POINTS + 3, y=0.995, va="top")
    pos = layout(g)
    degree = dict(nx.Graph(g.to_undirected()).degree())
    n = max(g.number_of_nodes(), 1)
    scale = min(1.0, 6 / math.sqrt(n)) * math.sqrt(width * height / 50)  # marker size by nodes per area
    thin = min(1.0, 10 / math.sqrt(n))  # a large network's edges are hairlines, or they hide the nodes
    for a, b, data in sorted(g.edges(data=True), key=lambda e: (e[2]["link"] != "co-invocation", e[0], e[1])):
        (x1, y1), (x2, y2) = pos[a], pos[b]
        ax.plot([x1, x2], [y1, y2], color=edge_colour(data),
                linewidth=max(min(0.3 + 0.25 * data["weight"], 2.5) * thin, 0.1),
                alpha=(0.4 if data["link"] == "co-invocation" else 0.75) * (0.5 + thin / 2), zorder=1,
                solid_capstyle="round")
    markers: dict[str, float] = {}
    for kind in KINDS:
        members = sorted(v for v, k in g.nodes(data="kind") if k == kind)
        for v in members:
            markers[v] = max((4 + 2.2 * math.sqrt(degree[v])) * scale, 1.5)  # diameter in points
        if members:
            ax.scatter([pos[v][0] for v in members], [pos[v][1] for v in members],
                       s=[markers[v] ** 2 for v in members], c=KIND_COLOURS[kind],
                       edgecolors="white", linewidths=0.5 * thin, zorder=2)
    ax.set_xlim(-1.08, 1.08)
    ax.set_ylim(-1.08, 1.08)
    budget = max_labels if max_labels is not None else max(12, round(width * height * 0.8))
    _place_labels(fig, ax, g, pos, degree, markers, budget, legend)
    return fig


def _place_labels(fig: Any, ax: Any, g: nx.MultiDiGraph, pos: dict[str, tuple[float, float]],
                  degree: dict[str, int], markers: dict[str, float], budget: int, legend: Any) -> None:
    """Label the best-linked nodes first, each at the first of eight places around it where the label
    stays inside the drawing and overlaps no other label, not the legend, and no mark of a labelled
    node or of the `budget` best-linked ones; a node whose mark lies under a label stays unlabelled."""
    from matplotlib.transforms import Bbox

    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    taken = [legend.get_window_extent(renderer)]
    to_px = fig.dpi / 72
    candidates = sorted(g.nodes, key=lambda v: (-degree[v], v))[:3 * budget]
    circles = {}
    for v in candidates:
        x, y = ax.transData.transform(pos[v])
        r = markers[v] / 2 * to_px
        circles[v] = Bbox.from_extents(x - r, y - r, x + r, y + r)
    first = set(candidates[:budget])
    labels_at: list[Any] = []
    placed = 0
    for v in candidates:
        if placed >= budget:
            break
        circle = circles[v]
        if any(_overlaps(circle, other) for other in labels_at):
            continue
        marks = [c for u, c in circles.items() if u in first and u != v]
        label = g.nodes[v]["label"]
        text = label if len(label) <= 40 else label[:38] + "…"
        gap = markers[v] / 2 + 1.5
        for dx, dy, ha, va in ((gap, 0, "left", "center"), (-gap, 0, "right", "center"),
                               (0, gap, "center", "bottom"), (0, -gap, "center", "top"),
                               (gap, gap, "left", "bottom"), (-gap, gap, "right", "bottom"),
                               (gap, -gap, "left", "top"), (-gap, -gap, "right", "top")):
            artist = ax.annotate(text, pos[v], xytext=(dx, dy), textcoords="offset points", ha=ha, va=va,
                                 fontsize=LABEL_POINTS, zorder=3, annotation_clip=False,
                                 bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.75})
            box = artist.get_window_extent(renderer)
            inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
            if inside and not any(_overlaps(box, other) for other in taken) and not any(
                    _overlaps(box, c) for c in marks):
                taken += [box, circle]
                labels_at.append(box)
                artist.set_gid(f"label:{v}")
                placed += 1
                break
            artist.remove()


def labels(fig: Any) -> list[tuple[str, Any]]:
    """The node labels of a figure made by `figure`: (node, its box in pixels), as drawn."""
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    return [(t.get_gid().removeprefix("label:"), t.get_window_extent(renderer))
            for t in ax.texts if (t.get_gid() or "").startswith("label:")]


def render(fig: Any, fmt: str) -> bytes:
    """The figure's bytes as PNG, SVG or PDF, without dates or a software version in them."""
    import matplotlib

    buffer = io.BytesIO()
    if fmt == "svg":
        with matplotlib.rc_context({"svg.hashsalt": "normgraph", "svg.fonttype": "path"}):
            fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    elif fmt == "png":
        fig.savefig(buffer, format="png", metadata={"Software": None})
    elif fmt == "pdf":
        with matplotlib.rc_context({"pdf.fonttype": 42}):
            fig.savefig(buffer, format="pdf", metadata={"Creator": None, "Producer": None, "CreationDate": None})
    else:
        raise ValueError(f"unknown picture format {fmt!r}; expected {', '.join(FORMATS)}")
    return buffer.getvalue()


__all__ = ["FORMATS", "DEFAULT_SIZE", "DEFAULT_DPI", "parse_size", "figure", "labels", "render"]
