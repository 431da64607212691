"""Regression test on stances read by hand on texts by other authors (tests/golden/README.md)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from normgraph.pipeline import extract_document

HERE = Path(__file__).resolve().parent
REVIEW = [json.loads(line) for line in (HERE / "golden" / "corpus-stances-reviewed.jsonl")
          .read_text(encoding="utf-8").splitlines() if line.strip()]
DOCS = sorted({r["doc"] for r in REVIEW})


def _key(doc, clause, stance_type, polarity, target):
    return doc, clause, stance_type, polarity, target


def _norm(label: str) -> str:
    words = re.findall(r"\w+", label.casefold())
    return " ".join(re.sub(r"(ies|s)$", lambda m: "y" if m.group(1) == "ies" else "", w) for w in words)


def _same_target(a: str, b: str) -> bool:
    """The same target, its label cut or extended by a few words ("... mines placed" / "... mines")."""
    a, b = _norm(a), _norm(b)
    return a == b or (a.startswith(b) or b.startswith(a)) and min(len(a), len(b)) >= 0.6 * max(len(a), len(b))


def _found(produced, row):
    return any(p[:4] == (row["doc"], row["clause"], row["stance_type"], row["polarity"])
               and _same_target(p[4], row["target"]) for p in produced)


@pytest.fixture(scope="module")
def produced(vocab):
    out = set()
    for doc in DOCS:
        ex = extract_document(HERE / "data" / "corpus-sample" / f"{doc}.txt", vocab)
        for s in ex.stances:
            out.add(_key(doc, s.clause, s.stance_type, s.polarity, s.target.label))
    return out


def test_stances_review_sample_is_large_enough():
    assert len(REVIEW) >= 60
    assert {r["verdict"] for r in REVIEW} <= {"correct", "incorrect"}


@pytest.mark.parametrize("row", [r for r in REVIEW if r["verdict"] == "correct"],
                         ids=lambda r: f"{r['doc'][:24]}-{r['clause']}-{r['target'][:30]}")
def test_stances_review_correct_stance_is_still_extracted(produced, row):
    assert _found(produced, row), f"no longer extracted: {row['evidence']!r}"


def test_stances_review_precision_at_least_85_percent(produced):
    still = [r for r in REVIEW if _found(produced, r)]
    correct = sum(1 for r in still if r["verdict"] == "correct")
    assert correct / len(still) >= 0.85
