"""Score the extractor against the gold stances: the seeds and the texts by other authors.

    python eval/run_eval.py [--gold ../shared/gold] [--json OUT.json] [--show STEM]

Each document is extracted as it stands, with its sidecar as it is, and scored by the project's
scorer (`../shared/tools/score_stances.py`, rules in `../shared/gold/README.md`), placing each
predicted stance in a gold clause by where its words stand in the text.  Prints, per document and
micro-averaged over the texts by other authors, core precision, recall and F1 at the polarity
level (clause, target, polarity) and at the holder level (the holder set must be right too).
`--show STEM` lists the false positives and the misses of one document (a prefix of its name).
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
LEVELS = ("polarity", "holder")


def load_scorer(path: Path):
    spec = importlib.util.spec_from_file_location("score_stances", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def cases(gold: Path) -> list[tuple[str, Path, Path]]:
    """(set name, text file, gold directory) for the seeds and every document of gold/others/."""
    seeds = [("seeds", ROOT / "seeds" / "cn-ru-2025-international-law.txt", gold / "000_86ec5f805214359d"),
             ("seeds", ROOT / "seeds" / "xinhua-2025-05-08-report.txt", gold / "001_b066999d66536598")]
    others = [("others", p.with_name(p.name.replace(".stances.jsonl", ".txt")),
               p.with_name(p.name.replace(".stances.jsonl", "")))
              for p in sorted((gold / "others").glob("*.stances.jsonl"))]
    return seeds + others


def score_document(sc, vocab, text_path: Path, gold_stem: Path) -> dict:
    from normgraph.pipeline import extract_document
    from normgraph.rdf.graph import extraction_graph

    ex = extract_document(text_path, vocab)
    g = extraction_graph(ex, vocab)
    text = text_path.read_text(encoding="utf-8")
    anchors = json.loads(gold_stem.with_name(gold_stem.name + ".clauses.json").read_text(encoding="utf-8"))
    gold = [json.loads(line) for line in
            gold_stem.with_name(gold_stem.name + ".stances.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    preds = sc.predictions(g, text, sc.clause_locator(text, anchors))
    out = {}
    for level in LEVELS:
        metrics, fp, fn = sc.score(preds, gold, level)
        out[level] = {"core": metrics["core"], "concept": metrics["concept"],
                      "fp": [_row(p) for p in fp if p["ttype"] != "concept" and p["ttype"] != "other"],
                      "fn": [_row(g) for g in fn if g["target_type"] != "concept"]}
    return out


def _row(item: dict) -> str:
    holders = item.get("holders")
    if holders and isinstance(holders[0], tuple):
        held = ",".join(h[0] for h in holders)
    else:
        held = "|".join(",".join(alt) for alt in holders) if holders else "-"
    return f"{item['clause']:>5} {item['polarity']:<8} {item['labels'][0][:50]:<50} [{held}]"


def micro(rows: list[dict], level: str) -> dict:
    tp = sum(r[level]["core"]["tp"] for r in rows)
    fp = sum(r[level]["core"]["fp"] for r in rows)
    fn = sum(r[level]["core"]["fn"] for r in rows)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 3),
            "tp": tp, "fp": fp, "fn": fn}


def evaluate(gold: Path) -> dict:
    from normgraph.extract.vocabulary import load_vocabulary

    sc = load_scorer(SHARED / "tools" / "score_stances.py")
    vocab = load_vocabulary()
    docs = {}
    for group, text_path, gold_stem in cases(gold):
        docs[text_path.stem] = {"set": group, **score_document(sc, vocab, text_path, gold_stem)}
    summary = {}
    for group in ("seeds", "others"):
        rows = [d for d in docs.values() if d["set"] == group]
        summary[group] = {level: micro(rows, level) for level in LEVELS}
    return {"documents": docs, "micro": summary}


def table(result: dict) -> str:
    head = f"{'document':<52} {'pol P':>6} {'R':>6} {'F1':>6}   {'hold P':>6} {'R':>6} {'F1':>6}"
    lines = [head, "-" * len(head)]

    def line(name: str, m: dict) -> str:
        a, b = m["polarity"], m["holder"]
        return (f"{name[:52]:<52} {a['precision']:6.3f} {a['recall']:6.3f} {a['f1']:6.3f}   "
                f"{b['precision']:6.3f} {b['recall']:6.3f} {b['f1']:6.3f}")

    for group in ("seeds", "others"):
        for name, d in result["documents"].items():
            if d["set"] == group:
                lines.append(line(name, {lv: d[lv]["core"] for lv in LEVELS}))
        lines.append(line(f"micro-average, {group}", result["micro"][group]))
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=SHARED / "gold")
    ap.add_argument("--json", type=Path, help="write the scores as JSON here")
    ap.add_argument("--show", action="append", default=[], help="list misses of documents starting with this")
    args = ap.parse_args(argv)
    result = evaluate(args.gold)
    print("core targets (principles, instruments, practices, parties)")
    print(table(result))
    for name, d in result["documents"].items():
        if any(name.startswith(s) or s == "all" for s in args.show):
            for level in LEVELS:
                print(f"\n{name} [{level}]")
                print("\n".join(f"  FP {r}" for r in d[level]["fp"]))
                print("\n".join(f"  FN {r}" for r in d[level]["fn"]))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, sort_keys=True, default=str) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
