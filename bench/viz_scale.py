"""Benchmark: the network picture of a large graph.

    python bench/viz_scale.py [FOLDER] [--runs N]

Builds the graph of every document in FOLDER (default: the White House joint statements of
../shared/corpora) into a temporary folder, then, N times each, projects it onto the
network and writes the interactive page, and opens the page in headless Chromium (Debian's
`chromium`) to read its node count and the time from navigation start to the first draw
(`performance.now()`, as the page records it) and how many labels the first screen shows and how
many pairs of them overlap (Cytoscape's own label boxes). Prints medians and the machine's cores.
Times are wall clock on a machine that may be shared: compare runs made together.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "corpora" / "wh-joint-statements"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def main() -> int:
    from normgraph import pipeline
    from normgraph.network import page, projection
    from normgraph.rdf.validate import load_graph

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    browser = shutil.which("chromium")
    if not args.folder.is_dir() or browser is None:
        print(f"bench: needs {args.folder} and chromium on the PATH", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="normgraph-viz-"))
    try:
        paths = pipeline.gather([args.folder])
        t = time.perf_counter()
        result = pipeline.extract_all(paths, jobs=os.cpu_count() or 1)
        pipeline.write_graph_dir(result.files, work / "kg")
        print(f"machine: {os.cpu_count()} cores; {len(paths)} documents extracted in {time.perf_counter() - t:.1f} s")
        load, project, render, render_cpu, draws, nodes, labels, overlaps = [], [], [], [], [], 0, 0, 0
        for run in range(args.runs):
            t = time.perf_counter()
            ds = load_graph([work / "kg"])
            load.append(time.perf_counter() - t)
            t = time.perf_counter()
            g = projection.project(ds)
            project.append(time.perf_counter() - t)
            t, cpu = time.perf_counter(), time.process_time()
            html_path = work / "network.html"
            html_path.write_text(page.render(g), encoding="utf-8")
            render.append(time.perf_counter() - t)
            render_cpu.append(time.process_time() - cpu)
            dom = subprocess.run([browser, *FLAGS, f"--user-data-dir={work / f'profile{run}'}",
                                  "--window-size=1280,800", "--dump-dom",
                                  f"{html_path.as_uri()}#test=Paris Agreement"],
                                 capture_output=True, text=True, timeout=300, check=True).stdout
            outcome = json.loads(re.search(r'<pre id="ng-test">(.*?)</pre>', dom, re.S).group(1)
                                 .replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))
            draws.append(outcome["firstDrawMs"])
            print(f"run {run + 1}: first draw {outcome['firstDrawMs']:.0f} ms (data parsed "
                  f"{outcome['timings']['parsed']:.0f}, Cytoscape ready {outcome['timings']['cytoscape']:.0f}, "
                  f"labels placed {outcome['timings']['labels']:.0f}); load average {os.getloadavg()[0]:.1f}")
            nodes = outcome["nodeCount"]
            boxes = [b["box"] for b in outcome["firstScreen"]]
            labels = len(boxes)
            overlaps = sum(p[0] < q[2] and q[0] < p[2] and p[1] < q[3] and q[1] < p[3]
                           for i, p in enumerate(boxes) for q in boxes[i + 1:])
        size = html_path.stat().st_size / 1e6
        print(f"network: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges; page {size:.1f} MB; "
              f"{nodes} nodes drawn; first screen (1280x800) {labels} labels, {overlaps} overlapping pairs")
        print(f"median of {args.runs}: load {statistics.median(load):.1f} s, projection "
              f"{statistics.median(project):.1f} s, page {statistics.median(render):.1f} s "
              f"({statistics.median(render_cpu):.1f} s CPU, most of it the ForceAtlas2 layout), "
              f"first draw in Chromium {statistics.median(draws):.0f} ms after navigation start")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
