"""Time every stored query with rdflib and with pyoxigraph on the same graph.

Usage: python bench/query_engines.py [GRAPH_PATH ...] [--copies N] [--repeat R]

The graph (default kg/) is loaded once per engine; with --copies N each document graph is
repeated N times under new document IRIs, to see how the engines scale.  Prints the load
time, then per query the median of R runs for each engine, and the totals.
"""
from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from rdflib import Dataset, URIRef

from normgraph.namespace import ID_IRI
from normgraph.rdf.validate import load_graph
from normgraph.sparql import query as q

ROOT = Path(__file__).resolve().parents[1]


def replicate(dataset: Dataset, copies: int) -> Dataset:
    if copies <= 1:
        return dataset
    out = Dataset()
    doc = ID_IRI + "doc/"

    def rename(term, n: int):
        return URIRef(str(term).replace(doc, f"{doc}copy{n}-")) if isinstance(term, URIRef) else term

    for n in range(copies):
        for s, p, o, g in dataset.quads((None, None, None, None)):
            name = g.identifier if hasattr(g, "identifier") else g
            out.graph(URIRef(f"{name}-copy{n}")).add((rename(s, n), p, rename(o, n)))
    return out


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="*", type=Path, default=[ROOT / "kg"])
    ap.add_argument("--copies", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    dataset = replicate(load_graph(args.paths), args.copies)
    quads = len(list(dataset.quads((None, None, None, None))))
    print(f"cores: {os.cpu_count()}; graph: {quads} quads ({args.copies} cop{'y' if args.copies == 1 else 'ies'}) "
          f"from {', '.join(str(p) for p in args.paths)}; median of {args.repeat} runs")
    start = time.perf_counter()
    store = q.oxigraph_store(dataset)
    print(f"pyoxigraph load: {time.perf_counter() - start:.3f} s")
    params = {name: {} for name in q.stored_queries()}
    params["parties-agree"] = params["parties-differ"] = {"partyA": "CHN", "partyB": "RUS"}
    copy = "copy0-" if args.copies > 1 else ""
    params["changes-between-documents"] = {"docA": f"{copy}cn-ru-2025-international-law",
                                           "docB": f"{copy}xinhua-2025-05-08-report"}
    params["stances-toward-target"] = {"targetIri": "practice/unilateral-sanctions"}
    total_r = total_o = 0.0
    print(f"{'query':42} {'rows':>5} {'rdflib s':>9} {'oxigraph s':>10} {'ratio':>6}")
    for name, values in params.items():
        stored = q.load_query(name)
        bindings = q.bind_params(stored, values)
        rows = len(q.run_rdflib(dataset, stored, bindings).rows)
        r = median_time(lambda: q.run_rdflib(dataset, stored, bindings), args.repeat)  # noqa: B023
        o = median_time(lambda: q.run_oxigraph(store, stored, bindings), args.repeat)  # noqa: B023
        total_r, total_o = total_r + r, total_o + o
        print(f"{name:42} {rows:5} {r:9.4f} {o:10.4f} {r / o if o else float('inf'):6.1f}x")
    print(f"{'total':42} {'':5} {total_r:9.4f} {total_o:10.4f} {total_r / total_o:6.1f}x")


if __name__ == "__main__":
    main()
