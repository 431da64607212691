"""Regression test on stances read by hand on texts by other authors (tests/golden/README.md)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from normgraph.pipeline import extract_document

HERE = Path(__file__).resolve().parent
REVIEW = [json.loads(line) for line in (HERE / "golden" / "corpus-stances-reviewed.jsonl")
          .read_text(encoding="utf-8").splitlines() if line.strip()]
DOCS = sorted({r["doc"] for r in REVIEW})


def _key(doc, clause, stance_type, polarity, target):
    return doc, clause, stance_type, polarity, target


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
    key = _key(row["doc"], row["clause"], row["stance_type"], row["polarity"], row["target"])
    assert key in produced, f"no longer extracted: {row['evidence']!r}"


def test_stances_review_precision_at_least_85_percent(produced):
    still = [r for r in REVIEW
             if _key(r["doc"], r["clause"], r["stance_type"], r["polarity"], r["target"]) in produced]
    correct = sum(1 for r in still if r["verdict"] == "correct")
    assert correct / len(still) >= 0.85
