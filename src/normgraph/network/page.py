"""The interactive picture of the network: one self-contained HTML file that opens offline.

The page holds its data as JSON in `<script type="application/json" id="ng-data">` and draws it
with Cytoscape.js, vendored from the npm registry into `vendor/` (pinned in `VENDORED`, licence
kept beside it) and inlined with the page's own script (`assets/page.js`) and style
(`assets/page.css`): nothing is loaded from the network.  Positions are computed here by
`projection.layout` (ForceAtlas2), so the picture converges before it is written and stays put
unless the reader drags a node.  The reader zooms and pans, searches a node by name, clicks a
node or an edge to list the clauses (document and clause number) and the exact words it was read
from, and filters by node kind, link (stance polarity, relation, co-invocation), document and
party.  Labels show for the best-linked nodes whose label overlaps no other, more as one zooms in.

The page exposes `window.normgraphView` ({cy, nodeCount, edgeCount, drawnNodes, firstDrawMs,
search(text), select(id), filter({kinds, links, document, party}), labelBoxes(), panelText()});
with `#test=TEXT` in its address (and optionally `&kinds=a,b&links=a,b&document=D&party=ID`) it
applies the filters after the first draw (made at once, not at the next animation frame, so that
the hook has run when a headless browser dumps the DOM), searches TEXT, selects what it found
and writes the outcome as JSON into `<pre id="ng-test">`, so that the DOM dump says what was
drawn and shown, including Cytoscape's own boxes of the labels of the first screen.
"""
from __future__ import annotations

import html
import json
import math
from importlib import resources
from typing import Any

import networkx as nx

from normgraph.network.projection import layout
from normgraph.network.style import (
    CO_INVOCATION_COLOUR,
    KIND_COLOURS,
    POLARITY_COLOURS,
    RELATION_COLOUR,
    legend_entries,
    shown,
)

VENDORED = {"package": "cytoscape", "version": "3.35.0", "file": "vendor/cytoscape.min.js",
            "licence": "vendor/cytoscape.LICENSE",
            "integrity": "sha512-sMvBIXiGMnhkCaWz2R06FwF/27MNlS+Tqvi17foO9UhnUg3XGZccKjxsv"
                         "EqQFAQYMSSZmN5SxYzUYlQ0DOJJ3g=="}  # of the npm tarball


def _asset(name: str) -> str:
    return resources.files("normgraph.network").joinpath(name).read_text(encoding="utf-8")


def _sources(sources: list[Any]) -> list[list[str]]:
    return [[s.document, s.clause, s.evidence] for s in sources]


def page_data(g: nx.MultiDiGraph) -> dict[str, Any]:
    """What the page draws: nodes with positions (y grows downward), edges, colours.

    The picture spans max(600, 60·√n) model units, so that at the first screen a large network's
    nodes are a few pixels wide and a small one's are not huge.
    """
    pos = layout(g)
    span = max(600.0, 60.0 * math.sqrt(max(g.number_of_nodes(), 1))) / 2
    degree = dict(nx.Graph(g.to_undirected()).degree())
    nodes = []
    for n, data in sorted(g.nodes(data=True)):
        x, y = pos[n]
        item = {"id": n, "label": data["label"], "kind": data["kind"], "x": round(x * span, 1),
                "y": round(-y * span, 1), "degree": degree[n], "sources": _sources(data["sources"])}
        if data.get("alt_labels"):
            item["alt"] = "; ".join(data["alt_labels"])
        if not data.get("in_vocabulary", True):
            item["in_vocabulary"] = False
        nodes.append(item)
    edges = []
    for a, b, key, data in sorted(g.edges(keys=True, data=True)):
        item = {"source": a, "target": b, "key": key, "link": data["link"], "weight": data["weight"],
                "sources": _sources(data["sources"])}
        for extra in ("relation", "polarity", "stance_types"):
            if data.get(extra):
                item[extra] = data[extra]
        edges.append(item)
    return {"nodes": nodes, "edges": edges, "kindColours": KIND_COLOURS, "polarityColours": POLARITY_COLOURS,
            "relationColour": RELATION_COLOUR, "coColour": CO_INVOCATION_COLOUR}


def _legend(g: nx.MultiDiGraph) -> str:
    """The legend of what `g` holds: its node kinds and its kinds of link, nothing else."""
    tags = {"node": "i", "line": "b"}
    return "\n".join(f'<div><{tags[mark]} style="background:{colour}"></{tags[mark]}>{html.escape(text)}</div>'
                     for mark, colour, text in legend_entries(*shown(g)))


def render(g: nx.MultiDiGraph, title: str = "normgraph: the network of instrument links") -> str:
    """The whole page as one string."""
    data = json.dumps(page_data(g), ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    library = _asset(VENDORED["file"])
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="normgraph; Cytoscape.js {VENDORED["version"]} (MIT licence)">
<title>{html.escape(title)}</title>
<style>{_asset("assets/page.css")}</style>
</head>
<body>
<div id="ng-cy" aria-label="{html.escape(title)}"></div>
<div id="ng-bar"><input id="ng-search" type="search" list="ng-labels" placeholder="Find a node by name, Enter">
<datalist id="ng-labels"></datalist>
<span id="ng-count">{g.number_of_nodes()} nodes · {g.number_of_edges()} edges</span>
<details><summary>Filter</summary><form id="ng-filters" onsubmit="return false"></form></details></div>
<div id="ng-legend">{_legend(g)}</div>
<aside id="ng-panel"></aside>
<pre id="ng-test"></pre>
<script type="application/json" id="ng-data">{data}</script>
<script>{library}</script>
<script>{_asset("assets/page.js")}</script>
</body>
</html>
"""


__all__ = ["render", "page_data", "VENDORED"]
