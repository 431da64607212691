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
