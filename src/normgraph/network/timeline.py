"""The stance timeline: who took which stance toward one target, document by document, over time.

`resolve_target` finds the target a user names (its id "practice/unilateral-sanctions", its last
part, its label or an alternative label, case aside); `stances_toward` reads, through SPARQL, every
stance toward it with its holder, polarity and the date of its document (dcterms:date); `figure`
draws them as parties (rows, the most active on top) by date, one mark per party, document and
polarity, coloured by polarity and sized by the number of stances; the legend lists the
polarities shown.  `figure.render` writes it as PNG, SVG or PDF.
"""
from __future__ import annotations

import difflib
import math
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from rdflib import Graph, URIRef

from normgraph.network.figure import DEFAULT_DPI, LABEL_POINTS
from normgraph.network.projection import node_id, read_entities, select, union_graph
from normgraph.network.style import POLARITIES, POLARITY_COLOURS

_TOWARD = """
SELECT ?s ?holder ?polarity ?doc ?date ?num WHERE {
  ?s a ng:Stance ; ng:target ?target ; ng:holder ?holder ; ng:polarity ?polarity ; ng:inClause ?clause .
  ?clause ng:number ?num ; ng:inDocument ?doc .
  OPTIONAL { ?doc dcterms:date ?date }
}"""
_POLARITY = {"Positive": "positive", "Negative": "negative", "Neutral": "neutral"}
MAX_PARTIES = 30
DEFAULT_SIZE = (8.0, 4.5)  # inches


@dataclass(frozen=True, order=True)
class Mark:
    """The stances of one party toward the target in one document, of one polarity."""

    date: date
    party: str  # its label
    polarity: str
    document: str
    stances: int


@dataclass(frozen=True)
class Timeline:
    target: str  # the target's label
    marks: list[Mark]
    undated: int  # stances left out: their document has no date


def resolve_target(graph: Graph, name: str) -> str:
    """The IRI of the entity `name` names; a ValueError with the nearest names if none does."""
    entities = read_entities(union_graph(graph))
    wanted = name.strip().casefold()
    for iri, e in sorted(entities.items()):
        names = {node_id(iri), node_id(iri).rsplit("/", 1)[-1], e["label"], *e["alt_labels"]}
        if wanted in {n.casefold() for n in names}:
            return iri
    known = sorted({e["label"] for e in entities.values()} | {node_id(i) for i in entities})
    near = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(repr(n) for n in near)}?" if near else ""
    raise ValueError(f"no principle, instrument, practice, concept or party is called {name!r}{hint}")


def stances_toward(graph: Graph, name: str) -> Timeline:
    """Every stance toward the target `name` names, as marks by date, party and polarity."""
    union = union_graph(graph)
    target = resolve_target(union, name)
    entities = read_entities(union)
    counts: Counter[tuple[date, str, str, str]] = Counter()
    undated = 0
    for row in select(union, _TOWARD, {"target": URIRef(target)}):
        polarity = _POLARITY.get(str(row.polarity).rsplit("#", 1)[-1])
        if polarity is None:
            continue
        if row.date is None:
            undated += 1
            continue
        holder = entities.get(str(row.holder), {}).get("label", node_id(row.holder))
        counts[(row.date.toPython(), holder, polarity, node_id(row.doc).removeprefix("doc/"))] += 1
    marks = sorted(Mark(d, party, pol, doc, n) for (d, party, pol, doc), n in counts.items())
    return Timeline(entities[target]["label"], marks, undated)


def figure(timeline: Timeline, size: tuple[float, float] = DEFAULT_SIZE, dpi: int = DEFAULT_DPI) -> Any:
    """The timeline drawn on a matplotlib Figure: parties by date, marks coloured by polarity."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.dates as mdates
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    per_party = Counter()
    for m in timeline.marks:
        per_party[m.party] += m.stances
    parties = sorted(per_party, key=lambda p: (-per_party[p], p))[:MAX_PARTIES]
    row = {p: i for i, p in enumerate(reversed(parties))}
    fig = Figure(figsize=size, dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    offset = {"positive": 0.18, "neutral": 0.0, "negative": -0.18}
    shown = [p for p in POLARITIES if any(m.polarity == p and m.party in row for m in timeline.marks)]
    for polarity in shown:
        marks = [m for m in timeline.marks if m.polarity == polarity and m.party in row]
        ax.scatter([m.date for m in marks], [row[m.party] + offset[polarity] for m in marks],
                   s=[(4 + 3 * math.sqrt(m.stances)) ** 2 for m in marks], c=POLARITY_COLOURS[polarity],
                   alpha=0.85, edgecolors="white", linewidths=0.4, zorder=2)
    ax.set_yticks(range(len(parties)), list(reversed(parties)), fontsize=LABEL_POINTS)
    ax.set_ylim(-0.7, len(parties) - 0.3)
    days = (timeline.marks[-1].date - timeline.marks[0].date).days if timeline.marks else 0
    ax.xaxis.set_major_locator(mdates.YearLocator() if days > 3 * 365 else mdates.AutoDateLocator(maxticks=6))
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
    ax.tick_params(axis="x", labelsize=LABEL_POINTS)
    ax.grid(axis="y", color="#e6e6e6", zorder=0)
    ax.spines[["top", "right"]].set_visible(False)
    more = len(per_party) - len(parties)
    title = f"Stances toward {timeline.target}" + (f" (the {len(parties)} most active of {len(per_party)} parties)"
                                                   if more > 0 else "")
    ax.set_title(title, fontsize=LABEL_POINTS + 2)
    handles = [Line2D([], [], marker="o", linestyle="", color=POLARITY_COLOURS[p], label=p) for p in shown]
    ax.legend(handles=handles, fontsize=LABEL_POINTS, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig


__all__ = ["Mark", "Timeline", "resolve_target", "stances_toward", "figure", "MAX_PARTIES", "DEFAULT_SIZE"]
