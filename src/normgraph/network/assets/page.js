/* normgraph's interactive network page, drawn by Cytoscape.js (inlined before this script).
   Reads the JSON of the element #ng-data; positions come from the page's writer (ForceAtlas2),
   so nothing moves unless the reader drags a node.  See network/page.py for the test interface. */
(function () {
"use strict";
const t0 = performance.now();
const D = JSON.parse(document.getElementById("ng-data").textContent);
const timings = { parsed: performance.now() };  // ms since navigation start, for bench/viz_scale.py
const panel = document.getElementById("ng-panel"), box = document.getElementById("ng-search");
const big = D.nodes.length > 500, FONT = 12, FONT_CSS = FONT + "px system-ui,sans-serif";
const colourOf = e => e.link === "stance" ? D.polarityColours[e.polarity]
  : e.link === "relation" ? D.relationColour : D.coColour;
const elements = [];
for (const n of D.nodes) {
  elements.push({ group: "nodes", data: { id: n.id, label: n.label, colour: D.kindColours[n.kind],
    size: Math.min(8 + 3 * Math.sqrt(n.degree), 60), n: n }, position: { x: n.x, y: n.y } });
}
D.edges.forEach((e, i) => {
  elements.push({ group: "edges", data: { id: "e" + i, source: e.source, target: e.target, colour: colourOf(e),
    width: Math.min(1 + Math.sqrt(e.weight), 6), opacity: e.link === "co-invocation" ? 0.35 : 0.7, e: e } });
});
const cy = cytoscape({
  container: document.getElementById("ng-cy"), elements: elements, layout: { name: "preset" },
  minZoom: 0.02, maxZoom: 20, textureOnViewport: big, hideEdgesOnViewport: big, motionBlur: false,
  boxSelectionEnabled: false, autoungrabify: false, pixelRatio: big ? 1 : "auto",
  style: [
    { selector: "node", style: { "background-color": "data(colour)", width: "data(size)", height: "data(size)",
      "border-width": 1, "border-color": "#fff", label: "" } },
    { selector: "node.labelled", style: { label: "data(label)", "font-size": FONT, "font-family": "system-ui,sans-serif",
      "text-valign": "center", "text-halign": "right", "text-margin-x": 3, color: "#111",
      "min-zoomed-font-size": 0, "text-background-color": "#fff", "text-background-opacity": 0.8,
      "text-background-padding": 1 } },
    { selector: "node.labelled.left", style: { "text-halign": "left", "text-margin-x": -3 } },
    { selector: "edge", style: { "line-color": "data(colour)", width: "data(width)", opacity: "data(opacity)",
      "curve-style": big ? "haystack" : "straight" } },
    { selector: "node:selected", style: { "border-width": 3, "border-color": "#000" } },
    { selector: "edge:selected", style: { opacity: 1, width: 6 } },
    { selector: ".faded", style: { opacity: 0.12 } },
    { selector: ".hidden", style: { display: "none" } },
  ],
});
timings.cytoscape = performance.now();
const rank = cy.nodes().sort((p, q) => q.data("n").degree - p.data("n").degree
  || (p.data("label") < q.data("label") ? -1 : 1));
const ctx = document.createElement("canvas").getContext("2d"), widths = new Map();
ctx.font = FONT_CSS;
function textWidth(label) {
  if (!widths.has(label)) widths.set(label, ctx.measureText(label).width);
  return widths.get(label);
}
let baseZoom = 1, forced = null, labelTimer = null;
// Labels, by degree and zoom: the selected node, then the best-linked nodes on screen, at most
// BUDGET·(zoom/first zoom)² of them, each right or else left of its node where its box stays on
// screen and overlaps no other label and no labelled node; a label's white ground keeps it legible
// over unlabelled nodes and edges.  Only the 3·budget best-linked nodes on screen are tried.
const BUDGET = 30;
function placeLabels() {
  labelTimer = null;
  const zoom = cy.zoom(), h = cy.height(), boxes = [];
  const w = cy.width() - (panel.style.display === "block" ? panel.offsetWidth : 0);  // not under the panel
  const budget = Math.max(BUDGET, Math.round(BUDGET * (zoom / baseZoom) ** 2));
  const overlaps = (o, b) => o[0] < b[2] && b[0] < o[2] && o[1] < b[3] && b[1] < o[3];
  const visible = rank.filter(n => !n.hasClass("hidden") && !n.hasClass("faded"));
  const order = forced && visible.contains(forced) ? [forced].concat(visible.difference(forced).toArray())
    : visible.toArray();
  const right = [], left = [];
  let tried = 0;
  for (const n of order) {
    if (right.length + left.length >= budget || tried >= 3 * budget) break;
    const p = n.renderedPosition(), r = n.renderedWidth() / 2;
    if (p.x < 0 || p.y < 0 || p.x > w || p.y > h) continue;
    tried += 1;
    const tw = textWidth(n.data("label")), gap = r + 3 * zoom, circle = [p.x - r, p.y - r, p.x + r, p.y + r];
    const sides = [[p.x + gap - 2, p.x + gap + tw + 2, right], [p.x - gap - tw - 2, p.x - gap + 2, left]];
    for (const [x0, x1, side] of sides) {
      const b = [x0, p.y - FONT * 0.75, x1, p.y + FONT * 0.75];
      const inside = b[0] >= 0 && b[2] <= w && b[1] >= 0 && b[3] <= h;
      if (n !== forced && (!inside || boxes.some(o => overlaps(o, b) || overlaps(o, circle)))) continue;
      boxes.push(b, circle); side.push(n); break;
    }
  }
  cy.batch(() => {
    cy.nodes(".labelled").removeClass("labelled left");
    for (const n of right) n.addClass("labelled").style("font-size", FONT / zoom);
    for (const n of left) n.addClass("labelled left").style("font-size", FONT / zoom);
  });
}
function scheduleLabels() { if (labelTimer === null) labelTimer = setTimeout(placeLabels, 60); }
function el(tag, text, parent) {
  const x = document.createElement(tag);
  if (text !== undefined) x.textContent = text;
  parent.appendChild(x); return x;
}
function show(ele) {
  panel.textContent = "";
  if (!ele) { panel.style.display = "none"; cy.elements().removeClass("faded"); return; }
  const close = el("button", "×", panel); close.onclick = () => { cy.elements().unselect(); show(null); };
  let item, sources;
  if (ele.isEdge()) {
    item = ele.data("e"); sources = item.sources;
    const types = item.stance_types ? ": " + item.stance_types.join(", ") : "";
    const what = item.link === "stance" ? "stance (" + item.polarity + types + ")"
      : item.link === "relation" ? item.relation : "named in the same clause";
    el("h3", ele.source().data("label") + " → " + ele.target().data("label"), panel);
    el("p", what + " · weight " + item.weight, panel);
  } else {
    item = ele.data("n"); sources = item.sources;
    el("h3", item.label, panel);
    el("p", item.kind + " · " + item.id + (item.in_vocabulary === false ? " · not in the vocabulary" : ""), panel);
  }
  const list = el("ol", undefined, panel);
  for (const [doc, clause, words] of sources) {
    const li = el("li", undefined, list);
    li.dataset.document = doc; li.dataset.clause = clause;
    el("b", doc + " §" + clause, li);
    if (words) { li.appendChild(document.createTextNode(" ")); el("q", words, li); }
  }
  panel.style.display = "block";
  const near = ele.isEdge() ? ele.connectedNodes().union(ele) : ele.closedNeighborhood();
  cy.batch(() => { cy.elements().addClass("faded"); near.removeClass("faded"); });
}
function select(id) {
  const n = cy.getElementById(id);
  if (!n.length) return false;
  cy.elements().unselect(); n.select(); forced = n; show(n); placeLabels(); return true;
}
function search(text) {
  const q = String(text).trim().toLowerCase(); if (!q) return null;
  const score = n => { const d = n.data("n"), l = d.label.toLowerCase(), alt = (d.alt || "").toLowerCase();
    return l === q || alt.split("; ").includes(q) || d.id.toLowerCase() === q
      || d.id.split("/").pop().toLowerCase() === q ? 0
      : l.startsWith(q) ? 1 : l.includes(q) || alt.includes(q) ? 2 : 9; };
  let best = null, bs = 9;
  rank.forEach(n => { if (n.hasClass("hidden")) return; const s = score(n); if (s < bs) { best = n; bs = s; } });
  if (!best) return null;
  cy.zoom({ level: Math.max(cy.zoom(), baseZoom * 2), position: best.position() });
  cy.center(best); select(best.id());
  cy.panBy({ x: -panel.offsetWidth / 2, y: 0 }); placeLabels();  // centred in the part the panel leaves
  return best.id();
}
const shown = elements => elements.not(".hidden");  // what the filters keep
// Filters: node kinds, stance polarities, links, one document, one party (its stances and the
// clauses it takes them in); a node stays if its kind is kept and, under a document or party
// filter, one of its edges does.
const filters = { kinds: new Set(Object.keys(D.kindColours)), links: new Set(["positive", "negative", "neutral",
  "relation", "co-invocation"]), document: "", party: "" };
function applyFilters() {
  const f = filters, partyClauses = new Set();
  if (f.party) cy.getElementById(f.party).connectedEdges().forEach(e => {
    const d = e.data("e"); if (d.link === "stance" && d.source === f.party) d.sources.forEach(s => partyClauses.add(s[0] + "§" + s[1]));
  });
  cy.batch(() => {
    cy.nodes().forEach(n => { n.toggleClass("hidden", !f.kinds.has(n.data("n").kind)); });
    cy.edges().forEach(e => {
      const d = e.data("e"), kind = d.link === "stance" ? d.polarity : d.link;
      let keep = f.links.has(kind) && !e.source().hasClass("hidden") && !e.target().hasClass("hidden");
      if (keep && f.document) keep = d.sources.some(s => s[0] === f.document);
      if (keep && f.party) keep = d.link === "stance" ? d.source === f.party
        : d.sources.some(s => partyClauses.has(s[0] + "§" + s[1]));
      e.toggleClass("hidden", !keep);
    });
    if (f.document || f.party) cy.nodes().forEach(n => {
      if (!n.hasClass("hidden") && !n.connectedEdges().some(e => !e.hasClass("hidden"))) n.addClass("hidden");
    });
  });
  document.getElementById("ng-count").textContent = shown(cy.nodes()).length + " nodes · "
    + shown(cy.edges()).length + " edges";
  placeLabels();
}
function filterForm() {
  const form = document.getElementById("ng-filters");
  const check = (set, value, text, colour) => {
    const label = el("label", undefined, form), input = el("input", undefined, label);
    input.type = "checkbox"; input.checked = true; input.onchange = () => {
      if (input.checked) set.add(value); else set.delete(value); applyFilters(); };
    const mark = el("i", undefined, label); mark.style.background = colour;
    label.appendChild(document.createTextNode(text));
  };
  const kinds = new Set(D.nodes.map(n => n.kind)), links = new Set(D.edges.map(e => e.link === "stance" ? e.polarity : e.link));
  for (const [k, c] of Object.entries(D.kindColours)) if (kinds.has(k)) check(filters.kinds, k, k, c);
  for (const [p, c] of Object.entries(D.polarityColours)) if (links.has(p)) check(filters.links, p, "stance: " + p, c);
  if (links.has("relation")) check(filters.links, "relation", "relation between norms", D.relationColour);
  if (links.has("co-invocation")) check(filters.links, "co-invocation", "named in the same clause", D.coColour);
  const choose = (name, all, values) => {
    const s = el("select", undefined, form); s.name = name; el("option", all, s).value = "";
    for (const [v, t] of values) el("option", t, s).value = v;
    s.onchange = () => { filters[name] = s.value; applyFilters(); };
  };
  const docs = new Set(); D.edges.forEach(e => e.sources.forEach(s => docs.add(s[0])));
  choose("document", "every document", [...docs].sort().map(d => [d, d]));
  choose("party", "every party", D.nodes.filter(n => n.kind === "party").sort((p, q) => p.label < q.label ? -1 : 1)
    .map(n => [n.id, n.label]));
}
cy.on("tap", "node, edge", ev => { forced = ev.target.isNode() ? ev.target : null; show(ev.target); placeLabels(); });
cy.on("tap", ev => { if (ev.target === cy) { forced = null; show(null); placeLabels(); } });
cy.on("viewport", scheduleLabels);
cy.on("dragfree", "node", scheduleLabels);
box.addEventListener("keydown", ev => {
  if (ev.key === "Enter") { const id = search(box.value); box.style.background = id ? "" : "#fdd"; }
});
const datalist = document.getElementById("ng-labels");
D.nodes.slice().sort((p, q) => p.label < q.label ? -1 : 1).forEach(n => { el("option", undefined, datalist).value = n.label; });
filterForm();
cy.fit(undefined, 30); baseZoom = cy.zoom();
placeLabels();
timings.labels = performance.now();
// Draw now rather than at the next animation frame, so that the time of the first draw and the
// test hook below need no waiting (a headless browser's DOM dump does not wait for a frame).
cy.renderer().render();
const firstDrawMs = performance.now(), firstScreen = labelBoxes();  // the labels of the first screen
function labelBoxes() {  // Cytoscape's own rendered boxes of the labels it draws
  return cy.nodes(".labelled").map(n => { const b = n.renderedBoundingBox({ includeNodes: false, includeEdges: false,
    includeLabels: true }); return { id: n.id(), box: [b.x1, b.y1, b.x2, b.y2] }; });
}
window.normgraphView = {
  cy: cy, timings: timings, nodeCount: D.nodes.length, edgeCount: D.edges.length,
  get drawnNodes() { return shown(cy.nodes()).length; }, firstDrawMs: firstDrawMs,
  scriptMs: firstDrawMs - t0,
  search: search, select: select, panelText: () => panel.innerText, labelBoxes: labelBoxes,
  filter: (changes) => { Object.assign(filters, changes); applyFilters(); },
};
const m = /[#&]test=([^&]*)/.exec(location.hash);
if (m) {
  const params = new URLSearchParams(location.hash.slice(1)), changes = {};
  if (params.has("kinds")) changes.kinds = new Set(params.get("kinds").split(","));
  if (params.has("links")) changes.links = new Set(params.get("links").split(","));
  for (const k of ["document", "party"]) if (params.has(k)) changes[k] = params.get(k);
  {
    if (Object.keys(changes).length) window.normgraphView.filter(changes);
    const query = decodeURIComponent(m[1]), found = search(query);
    const items = Array.from(panel.querySelectorAll("li")).map(li => ({ document: li.dataset.document,
      clause: li.dataset.clause, evidence: (li.querySelector("q") || {}).textContent || "" }));
    const visibleEdges = shown(cy.edges()).map(e => e.data("e").source + "|" + e.data("e").target + "|" + e.data("e").key);
    document.getElementById("ng-test").textContent = JSON.stringify({ query: query, found: found,
      nodeCount: D.nodes.length, edgeCount: D.edges.length, drawnNodes: shown(cy.nodes()).length,
      firstDrawMs: firstDrawMs, scriptMs: firstDrawMs - t0, panel: items, firstScreen: firstScreen,
      viewport: [cy.width(), cy.height()], visibleEdges: visibleEdges, timings: timings });
  }
}
})();
