"""What the linked-data layer (Web Annotation selectors, build provenance) costs in triples and validation time.

Usage: python bench/linked_data_cost.py [GRAPH_PATH ...] [--repeat R]

Reads the graph (default kg/), counts its triples, the selector triples (oa:hasSource,
oa:hasSelector and the selector nodes) and the provenance graph's triples, then validates it
R times (default 3) in two ways and prints the median CPU and wall time of each:
"before" — without selector and provenance triples, against shapes/normgraph-shapes.ttl only
(the graph and shapes as they were before the layer); "after" — the whole graph against every
packaged shape.  Both runs happen in this one process, so their ratio is fairer than their
absolute times on a shared machine.
"""
from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from rdflib import Dataset, Graph

from normgraph.namespace import OA, graph_iri
from normgraph.rdf.provenance import GRAPH_NAME
from normgraph.rdf.validate import load_graph, validate
from normgraph.resources import resource_dir

ROOT = Path(__file__).resolve().parents[1]
OA_NS = str(OA._NS)


def _is_selector_triple(s, p, o) -> bool:
    return str(p).startswith(OA_NS) or str(s).endswith(("/position", "/quote"))


def without_linked_data(dataset: Dataset) -> Dataset:
    """The dataset as it was before the layer: no selector triples, no provenance graph."""
    out = Dataset()
    skip = graph_iri(GRAPH_NAME)
    for s, p, o, g in dataset.quads((None, None, None, None)):
        name = g.identifier if isinstance(g, Graph) else g
        if name != skip and not _is_selector_triple(s, p, o):
            out.graph(name).add((s, p, o))
    return out


def timed(fn, repeat: int) -> tuple[float, float, object]:
    cpu, wall, result = [], [], None
    for _ in range(repeat):
        c0, w0 = time.process_time(), time.perf_counter()
        result = fn()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return statistics.median(cpu), statistics.median(wall), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graphs", nargs="*", type=Path, default=[ROOT / "kg"])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    dataset = load_graph(args.graphs)
    before = without_linked_data(dataset)
    quads = list(dataset.quads((None, None, None, None)))
    selectors = sum(1 for s, p, o, _g in quads if _is_selector_triple(s, p, o))
    provenance = len(dataset.graph(graph_iri(GRAPH_NAME)))
    core = Graph().parse(resource_dir("shapes") / "normgraph-shapes.ttl")

    print(f"cores: {os.cpu_count()}; runs: {args.repeat} (median)")
    print(f"triples: {len(quads)} in all; {selectors} selector triples; {provenance} in the provenance graph; "
          f"{len(list(before.quads((None, None, None, None))))} without them")
    cpu_b, wall_b, rep_b = timed(lambda: validate(before, shapes=core), args.repeat)
    cpu_a, wall_a, rep_a = timed(lambda: validate(dataset), args.repeat)
    print(f"validate before: {cpu_b:.2f} s CPU, {wall_b:.2f} s wall (conforms: {rep_b.conforms})")
    print(f"validate after:  {cpu_a:.2f} s CPU, {wall_a:.2f} s wall (conforms: {rep_a.conforms})")
    print(f"ratio after/before (CPU): {cpu_a / cpu_b:.2f}")


if __name__ == "__main__":
    main()
