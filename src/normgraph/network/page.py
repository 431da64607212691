"""The interactive picture of the network: one self-contained HTML file that opens offline.

The page holds its data as JSON in `<script type="application/json" id="ng-data">` and draws it
on a canvas with a small renderer of its own (no script or style from the network).  Positions
are computed here by `projection.layout`, so nothing moves unless the reader drags it.  The reader
can zoom (wheel), pan (drag the background), drag a node, search a node by name, hover for its
label and kind, and click a node or an edge to list the clauses (document and clause number) and
the exact words it was read from.  Labels show only for the best-linked nodes until zoomed in.

The page exposes `window.normgraphView` ({nodeCount, edgeCount, drawnNodes, firstDrawMs,
search(text), select(id), panelText()}); with `#test=TEXT` in its address it searches TEXT,
selects what it found and writes the outcome as JSON into `<pre id="ng-test">`, so that a
headless browser's DOM dump says what was drawn and shown.
"""
from __future__ import annotations

import html
import json
from typing import Any

import networkx as nx

from normgraph.network.projection import layout
from normgraph.network.style import CO_INVOCATION_COLOUR, KIND_COLOURS, POLARITY_COLOURS, RELATION_COLOUR

_SCALE = 1000.0

_STYLE = """
html,body{margin:0;height:100%;font:13px system-ui,sans-serif;color:#222;overflow:hidden}
#ng-canvas{position:absolute;left:0;top:0;width:100%;height:100%;cursor:grab;background:#fff}
#ng-bar{position:absolute;left:8px;top:8px;background:#fffe;border:1px solid #ccc;padding:6px;border-radius:4px}
#ng-bar input{width:16em}
#ng-legend{position:absolute;left:8px;bottom:8px;background:#fffe;border:1px solid #ccc;padding:6px;
 border-radius:4px;line-height:1.5}
#ng-legend i{display:inline-block;width:10px;height:10px;border-radius:5px;margin-right:5px}
#ng-legend b{display:inline-block;width:16px;height:3px;margin-right:5px;vertical-align:middle}
#ng-tip{position:absolute;pointer-events:none;background:#333;color:#fff;padding:3px 6px;border-radius:3px;
 display:none;white-space:nowrap}
#ng-panel{position:absolute;right:0;top:0;bottom:0;width:min(420px,40%);overflow:auto;background:#fafafa;
 border-left:1px solid #ccc;padding:10px;box-sizing:border-box;display:none}
#ng-panel li{margin-bottom:6px}#ng-panel q{background:#fff3b0}
#ng-panel button{float:right}
#ng-test{display:none}
"""

_SCRIPT = r"""
(function () {
"use strict";
const t0 = performance.now();
const D = JSON.parse(document.getElementById("ng-data").textContent);
const canvas = document.getElementById("ng-canvas"), ctx = canvas.getContext("2d");
const tip = document.getElementById("ng-tip"), panel = document.getElementById("ng-panel");
const nodes = D.nodes, edges = D.edges, byId = new Map();
nodes.forEach((n, i) => { n.i = i; byId.set(n.id, n); });
edges.forEach(e => { e.a = byId.get(e.source); e.b = byId.get(e.target); });
const rank = nodes.map(n => n).sort((p, q) => q.degree - p.degree || (p.label < q.label ? -1 : 1));
rank.forEach((n, r) => { n.rank = r; });
let scale = 1, tx = 0, ty = 0, selected = null, hover = null, drawnNodes = 0, pending = false;
function colourOf(e) {
  if (e.link === "stance") return D.polarityColours[e.polarity];
  return e.link === "relation" ? D.relationColour : D.coColour;
}
const big = nodes.length > 500;
function radius(n) {
  const r = big ? 2 + Math.min(Math.sqrt(n.degree), 8) : 3 + Math.min(Math.sqrt(n.degree) * 1.6, 14);
  return r * Math.min(Math.max(Math.sqrt(scale / (D.baseScale || scale)), 1), 3);
}
function sx(n) { return n.x * scale + tx; }
function sy(n) { return n.y * scale + ty; }
function size() {
  const r = window.devicePixelRatio || 1, w = canvas.clientWidth || 800, h = canvas.clientHeight || 600;
  canvas.width = Math.round(w * r); canvas.height = Math.round(h * r);
  ctx.setTransform(r, 0, 0, r, 0, 0);
  return [w, h];
}
function fit() {
  const [w, h] = size();
  const xs = nodes.map(n => n.x).sort((p, q) => p - q), ys = nodes.map(n => n.y).sort((p, q) => p - q);
  const cut = nodes.length > 200 ? Math.floor(nodes.length * 0.01) : 0, last = nodes.length - 1 - cut;
  let x0 = xs[cut], x1 = xs[last], y0 = ys[cut], y1 = ys[last];
  if (!nodes.length) { x0 = y0 = -1; x1 = y1 = 1; }
  scale = Math.min(w / (x1 - x0 + 1e-9), h / (y1 - y0 + 1e-9)) * 0.85;
  tx = w / 2 - (x0 + x1) / 2 * scale; ty = h / 2 - (y0 + y1) / 2 * scale;
}
function linked(e) { return selected && (selected === e || selected === e.a || selected === e.b); }
function draw() {
  pending = false;
  const w = canvas.clientWidth || 800, h = canvas.clientHeight || 600;
  ctx.clearRect(0, 0, w, h);
  for (const e of edges) {
    const on = linked(e);
    ctx.globalAlpha = selected ? (on ? 0.95 : 0.12) : (e.link === "co-invocation" ? 0.35 : 0.7);
    ctx.strokeStyle = colourOf(e);
    ctx.lineWidth = Math.min(0.8 + Math.sqrt(e.weight), 5) * (on && selected === e ? 2 : 1);
    ctx.beginPath(); ctx.moveTo(sx(e.a), sy(e.a)); ctx.lineTo(sx(e.b), sy(e.b)); ctx.stroke();
  }
  ctx.globalAlpha = 1; drawnNodes = 0;
  const labels = Math.max(25, Math.round(25 * (scale / D.baseScale) ** 2));
  ctx.font = "12px system-ui,sans-serif"; ctx.textBaseline = "middle";
  for (const n of nodes) {
    const x = sx(n), y = sy(n), r = radius(n);
    drawnNodes += 1;
    if (x < -r || y < -r || x > w + r || y > h + r) continue;
    ctx.beginPath(); ctx.arc(x, y, r, 0, 2 * Math.PI);
    ctx.fillStyle = D.kindColours[n.kind]; ctx.globalAlpha = selected && selected !== n ? 0.55 : 1; ctx.fill();
    ctx.lineWidth = n === selected ? 3 : 1; ctx.strokeStyle = n === selected ? "#000" : "#fff"; ctx.stroke();
  }
  ctx.globalAlpha = 1; ctx.fillStyle = "#111";
  // labels: the selected and hovered node, then the best-linked ones whose label does not overlap another
  const boxes = [], forced = [selected, hover].filter(n => n && !n.a), done = new Set();
  for (const n of forced.concat(rank.slice(0, labels))) {
    const x = sx(n) + radius(n) + 3, y = sy(n);
    if (done.has(n) || x < -200 || y < -10 || x > w || y > h + 10) continue;
    const box = [x - 1, y - 8, x + ctx.measureText(n.label).width + 1, y + 8];
    const hit = b => b[0] < box[2] && box[0] < b[2] && b[1] < box[3] && box[1] < b[3];
    if (!forced.includes(n) && boxes.some(hit)) continue;
    done.add(n); boxes.push(box);
    ctx.fillText(n.label, x, y);
  }
  canvas.dataset.drawnNodes = String(drawnNodes);
}
function redraw() { if (!pending) { pending = true; requestAnimationFrame(draw); } }
function nodeAt(px, py) {
  let best = null, bd = Infinity;
  for (const n of nodes) {
    const d = Math.hypot(sx(n) - px, sy(n) - py);
    if (d <= radius(n) + 3 && d < bd) { best = n; bd = d; }
  }
  return best;
}
function edgeAt(px, py) {
  let best = null, bd = 5;
  for (const e of edges) {
    const x1 = sx(e.a), y1 = sy(e.a), dx = sx(e.b) - x1, dy = sy(e.b) - y1, l2 = dx * dx + dy * dy;
    const t = l2 ? Math.max(0, Math.min(1, ((px - x1) * dx + (py - y1) * dy) / l2)) : 0;
    const d = Math.hypot(px - x1 - t * dx, py - y1 - t * dy);
    if (d < bd) { best = e; bd = d; }
  }
  return best;
}
function el(tag, text, parent) {
  const x = document.createElement(tag);
  if (text !== undefined) x.textContent = text;
  parent.appendChild(x); return x;
}
function show(item) {
  selected = item; panel.textContent = "";
  if (!item) { panel.style.display = "none"; redraw(); return; }
  el("button", "×", panel).onclick = () => show(null);
  if (item.a) {
    const types = item.stance_types ? ": " + item.stance_types.join(", ") : "";
    const what = item.link === "stance" ? "stance (" + item.polarity + types + ")"
      : item.link === "relation" ? item.relation : "named in the same clause";
    el("h3", item.a.label + " → " + item.b.label, panel);
    el("p", what + " · weight " + item.weight, panel);
  } else {
    el("h3", item.label, panel);
    el("p", item.kind + " · " + item.id + (item.in_vocabulary === false ? " · not in the vocabulary" : ""), panel);
  }
  const list = el("ol", undefined, panel);
  for (const [doc, clause, words] of item.sources) {
    const li = el("li", undefined, list);
    li.dataset.document = doc; li.dataset.clause = clause;
    el("b", doc + " §" + clause, li);
    if (words) { li.appendChild(document.createTextNode(" ")); el("q", words, li); }
  }
  panel.style.display = "block"; redraw();
}
function centre(n) {
  const w = (canvas.clientWidth || 800) - (panel.offsetWidth || 0), h = canvas.clientHeight || 600;
  scale = Math.max(scale, D.baseScale * 2); tx = w / 2 - n.x * scale; ty = h / 2 - n.y * scale;
}
function search(text) {
  const q = String(text).trim().toLowerCase(); if (!q) return null;
  const score = n => { const l = n.label.toLowerCase(), alt = (n.alt || "").toLowerCase();
    return l === q || alt.split("; ").includes(q) || n.id.toLowerCase() === q
      || n.id.split("/").pop().toLowerCase() === q ? 0
      : l.startsWith(q) ? 1 : l.includes(q) || alt.includes(q) ? 2 : 9; };
  let best = null, bs = 9;
  for (const n of rank) { const s = score(n); if (s < bs) { best = n; bs = s; } }
  if (best) { show(best); centre(best); }
  return best ? best.id : null;
}
function select(id) { const n = byId.get(id); if (n) { show(n); return true; } return false; }
let drag = null, moved = false;
canvas.addEventListener("mousedown", ev => {
  drag = { n: nodeAt(ev.offsetX, ev.offsetY), x: ev.offsetX, y: ev.offsetY }; moved = false;
});
window.addEventListener("mouseup", ev => {
  if (drag && !moved && ev.target === canvas) show(nodeAt(ev.offsetX, ev.offsetY) || edgeAt(ev.offsetX, ev.offsetY));
  drag = null;
});
canvas.addEventListener("mousemove", ev => {
  const px = ev.offsetX, py = ev.offsetY;
  if (drag) {
    const dx = px - drag.x, dy = py - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 2) moved = true;
    if (drag.n) { drag.n.x += dx / scale; drag.n.y += dy / scale; } else { tx += dx; ty += dy; }
    drag.x = px; drag.y = py; redraw(); return;
  }
  const n = nodeAt(px, py);
  if (n !== hover) { hover = n; redraw(); }
  if (n) {
    tip.textContent = n.label + " (" + n.kind + ")";
    tip.style.left = (px + 12) + "px"; tip.style.top = (py + 12) + "px"; tip.style.display = "block";
  } else tip.style.display = "none";
});
canvas.addEventListener("wheel", ev => {
  ev.preventDefault();
  const k = Math.exp(-ev.deltaY * 0.0015), px = ev.offsetX, py = ev.offsetY;
  tx = px - (px - tx) * k; ty = py - (py - ty) * k; scale *= k; redraw();
}, { passive: false });
window.addEventListener("resize", () => { size(); redraw(); });
const box = document.getElementById("ng-search");
box.addEventListener("keydown", ev => {
  if (ev.key === "Enter") { const id = search(box.value); box.style.background = id ? "" : "#fdd"; }
});
const labels = document.getElementById("ng-labels");
nodes.slice().sort((p, q) => p.label < q.label ? -1 : 1)
  .forEach(n => { el("option", undefined, labels).value = n.label; });
fit(); D.baseScale = scale; draw();
const firstDrawMs = performance.now();
window.normgraphView = {
  nodeCount: nodes.length, edgeCount: edges.length, get drawnNodes() { return drawnNodes; },
  firstDrawMs: firstDrawMs, scriptMs: firstDrawMs - t0, search: search, select: select,
  panelText: () => panel.innerText,
};
document.body.dataset.nodeCount = String(nodes.length);
document.body.dataset.firstDrawMs = firstDrawMs.toFixed(1);
const m = /[#&]test=([^&]*)/.exec(location.hash);
if (m) {
  const query = decodeURIComponent(m[1]), found = search(query);
  const items = Array.from(panel.querySelectorAll("li")).map(li => ({ document: li.dataset.document,
    clause: li.dataset.clause, evidence: (li.querySelector("q") || {}).textContent || "" }));
  draw();
  document.getElementById("ng-test").textContent = JSON.stringify({ query: query, found: found,
    nodeCount: nodes.length, edgeCount: edges.length, drawnNodes: drawnNodes, firstDrawMs: firstDrawMs,
    scriptMs: firstDrawMs - t0, panel: items });
}
})();
"""


def _sources(sources: list[Any]) -> list[list[str]]:
    return [[s.document, s.clause, s.evidence] for s in sources]


def page_data(g: nx.MultiDiGraph) -> dict[str, Any]:
    """What the page draws: nodes with positions (y grows downward), edges, colours."""
    pos = layout(g)
    degree = dict(nx.Graph(g.to_undirected()).degree())
    nodes = []
    for n, data in sorted(g.nodes(data=True)):
        x, y = pos[n]
        item = {"id": n, "label": data["label"], "kind": data["kind"], "x": round(x * _SCALE, 1),
                "y": round(-y * _SCALE, 1), "degree": degree[n], "sources": _sources(data["sources"])}
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


def _legend() -> str:
    rows = [f'<div><i style="background:{c}"></i>{html.escape(k)}</div>' for k, c in KIND_COLOURS.items()]
    rows += [f'<div><b style="background:{c}"></b>stance: {html.escape(p)}</div>'
             for p, c in POLARITY_COLOURS.items()]
    rows.append(f'<div><b style="background:{RELATION_COLOUR}"></b>relation between norms</div>')
    rows.append(f'<div><b style="background:{CO_INVOCATION_COLOUR}"></b>named in the same clause</div>')
    return "\n".join(rows)


def render(g: nx.MultiDiGraph, title: str = "normgraph: the network of instrument links") -> str:
    """The whole page as one string."""
    data = json.dumps(page_data(g), ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>{_STYLE}</style>
</head>
<body>
<canvas id="ng-canvas" aria-label="{html.escape(title)}"></canvas>
<div id="ng-bar"><input id="ng-search" type="search" list="ng-labels" placeholder="Find a node by name, Enter">
<datalist id="ng-labels"></datalist> <span>{g.number_of_nodes()} nodes · {g.number_of_edges()} edges</span></div>
<div id="ng-legend">{_legend()}</div>
<div id="ng-tip"></div>
<aside id="ng-panel"></aside>
<pre id="ng-test"></pre>
<script type="application/json" id="ng-data">{data}</script>
<script>{_SCRIPT}</script>
</body>
</html>
"""


__all__ = ["render", "page_data"]
