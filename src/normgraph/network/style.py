"""What every picture of the network shares: the node kinds, the polarities, and their colours.

The projection names the kinds and polarities it produces; the exchange files, the static
pictures and the HTML page colour them the same way.  All of them import this module and
nothing here imports them.
"""
from __future__ import annotations

from typing import Any

KINDS = ("instrument", "principle", "practice", "concept", "party")
NORM_KINDS = ("instrument", "principle", "practice", "concept")
POLARITIES = ("positive", "negative", "neutral")
RELATIONS = ("enshrines", "partOf", "supplements", "basedOn", "violates", "proposedBy")

KIND_COLOURS = {"instrument": "#1f77b4", "principle": "#2ca02c", "practice": "#d62728",
                "concept": "#9467bd", "party": "#ff7f0e"}
POLARITY_COLOURS = {"positive": "#2a9d4a", "negative": "#c8302c", "neutral": "#8c8c8c"}
RELATION_COLOUR = "#1f3b73"
CO_INVOCATION_COLOUR = "#b8b8b8"


def edge_colour(data: dict[str, Any]) -> str:
    """The colour of an edge of the projection: its polarity for a stance, else its kind of link."""
    if data["link"] == "stance":
        return POLARITY_COLOURS[data["polarity"]]
    return RELATION_COLOUR if data["link"] == "relation" else CO_INVOCATION_COLOUR


def legend_entries(kinds: set[str], links: set[str]) -> list[tuple[str, str, str]]:
    """The legend of a picture holding these node `kinds` and `links` (a polarity for a stance,
    "relation" or "co-invocation"): (mark, colour, text) rows, mark "node" or "line", in a fixed order."""
    rows = [("node", KIND_COLOURS[k], k) for k in KINDS if k in kinds]
    rows += [("line", POLARITY_COLOURS[p], f"stance: {p}") for p in POLARITIES if p in links]
    if "relation" in links:
        rows.append(("line", RELATION_COLOUR, "relation between norms"))
    if "co-invocation" in links:
        rows.append(("line", CO_INVOCATION_COLOUR, "named in the same clause"))
    return rows


def shown(g: Any) -> tuple[set[str], set[str]]:
    """The node kinds and the links (see `legend_entries`) a network graph holds."""
    kinds = {k for _, k in g.nodes(data="kind")}
    links = {d["polarity"] if d["link"] == "stance" else d["link"] for _, _, d in g.edges(data=True)}
    return kinds, links
