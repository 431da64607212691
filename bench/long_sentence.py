"""Benchmark: how extraction time grows with the length of one sentence (issue 10, finding 6).

    python bench/long_sentence.py [--runs N] [--words W ...]

Builds one numbered paragraph of W random words drawn from a sentence with instruments,
principles, parties and relation markers, extracts it N times, and prints for each length the
median CPU time of the whole extraction and of the relation finder alone (relations.py), and
the ratio to the previous length. CPU time, not wall time: the machine may be shared. Reports
the machine's core count.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

WORDS = ("We reaffirm the Charter of the United Nations and the principles enshrined therein such as "
         "sovereignty and its Paris Agreement proposed by China , the Treaty on the Non-Proliferation "
         "of Nuclear Weapons").split()


def main() -> int:
    from normgraph.extract import relations
    from normgraph.extract.vocabulary import load_vocabulary
    from normgraph.pipeline import extract_document

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--words", type=int, nargs="+", default=[5000, 10000, 20000, 40000])
    args = ap.parse_args()
    vocab = load_vocabulary()
    spent = [0.0]
    real = relations.sentence_relations

    def timed(*a, **k):
        t0 = time.process_time()
        try:
            return real(*a, **k)
        finally:
            spent[0] += time.process_time() - t0

    relations.sentence_relations = timed
    print(f"cores: {os.cpu_count()}; CPU seconds, median of {args.runs} runs")
    print(f"{'words':>7} {'chars':>8} {'extract s':>10} {'ratio':>6} {'relations s':>12} {'ratio':>6}")
    previous = None
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.words:
            rng = random.Random(1)
            text = " ".join(rng.choice(WORDS) for _ in range(n))
            path = Path(tmp) / f"s{n}.txt"
            path.write_text("1. " + text + "\n", encoding="utf-8")
            whole, rel = [], []
            for _ in range(args.runs):
                spent[0] = 0.0
                t0 = time.process_time()
                extract_document(path, vocab)
                whole.append(time.process_time() - t0)
                rel.append(spent[0])
            w, r = statistics.median(whole), statistics.median(rel)
            ratios = ("", "") if previous is None else (f"{w / previous[0]:.1f}", f"{r / previous[1]:.1f}")
            print(f"{n:>7} {len(text):>8} {w:>10.2f} {ratios[0]:>6} {r:>12.3f} {ratios[1]:>6}")
            previous = (w, max(r, 1e-9))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
