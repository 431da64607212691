"""Benchmark: extraction speed and memory over real corpora.

    python bench/extract_speed.py [--runs N] [--jobs J] [FOLDER ...]

Extracts every document of the given folders (default: the White House joint
statements and the UN General Assembly resolutions of ../shared/corpora) to
Turtle, in one process and in J worker processes, N times each, and prints the
median wall time, documents and kilobytes of text per second, and the peak
resident memory of the process (workers included). Reports the machine's core
count with the figures.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = [ROOT.parent / "shared" / "corpora" / "wh-joint-statements", ROOT.parent / "shared" / "corpora" / "unga-80"]


def main() -> int:
    from normgraph import pipeline
    from normgraph.extract.vocabulary import load_vocabulary

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="*", type=Path, default=DEFAULT)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    missing = [f for f in args.folders if not f.is_dir()]
    if missing:
        print(f"bench: no such folder: {missing[0]}", file=sys.stderr)
        return 2
    paths = pipeline.gather(args.folders)
    chars = sum(len(p.read_text(encoding="utf-8")) for p in paths)
    t0 = time.perf_counter()
    load_vocabulary()
    vocab_s = time.perf_counter() - t0
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")
    print(f"corpus: {len(paths)} documents, {chars / 1000:.0f} k characters; vocabulary loaded in {vocab_s:.2f} s")
    for jobs in sorted({1, args.jobs}):
        times, stances = [], 0
        for _ in range(args.runs):
            t = time.perf_counter()
            result = pipeline.extract_all(paths, jobs=jobs)
            times.append(time.perf_counter() - t)
            stances = result.stances
        med = statistics.median(times)
        print(f"jobs={jobs}: median {med:.1f} s over {args.runs} runs "
              f"(min {min(times):.1f}, max {max(times):.1f}); {len(paths) / med:.1f} documents/s, "
              f"{chars / 1000 / med:.0f} k characters/s; {stances} stances")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak resident memory: {own:.0f} MB (this process), {kids:.0f} MB (largest worker)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
