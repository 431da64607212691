"""Align a report's clauses with the clauses of the document it reports on.

Owns: for each clause of a report (a document whose sidecar says `reports_on`),
the clause or clauses of the reported document that it summarises, with a
score in [0, 1]: the cosine similarity of their content words, weighted by how
rare each word is among the reported document's clauses (tf-idf), so that a
report's paraphrase ("The two countries reiterate their full commitment to the
UN Charter") finds its source ("... reaffirm their full commitment to the
United Nations Charter ...").
"""
from __future__ import annotations

import math
from collections import Counter

from normgraph.extract.vocabulary import fold, tokenize
from normgraph.records import Alignment, Clause, Document, Extraction

MIN_SCORE = 0.12  # below this a report clause is said to summarise nothing
SECOND_RATIO = 0.8  # a second source clause is kept when it scores this close to the best
STOP = frozenset("""a an and are as at be been by for from has have in into is it its of on or that the their
they this to was were which will with within also""".split())


def _bag(text: str, clause: Clause) -> Counter:
    words = [fold(t.norm) for t in tokenize(text, clause.start, clause.end)]
    return Counter(w for w in words if w.isalpha() and w not in STOP and len(w) > 2)


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def align_report(report: Extraction, source: Document, source_clauses: list[Clause]) -> list[Alignment]:
    """Each report clause's best-matching source clauses, in report order."""
    bags = [_bag(source.text, c) for c in source_clauses]
    df = Counter(w for bag in bags for w in bag)
    n = len(bags) or 1

    def weigh(bag: Counter) -> dict[str, float]:
        return {w: c * math.log((n + 1) / (df.get(w, 0) + 1)) + 0.0 for w, c in bag.items()}

    weighted = [weigh(b) for b in bags]
    out = []
    for clause in report.clauses:
        mine = weigh(_bag(report.document.text, clause))
        scored = sorted(((round(_cosine(mine, w), 3), k) for k, w in enumerate(weighted)),
                        key=lambda x: (-x[0], x[1]))
        if not scored or scored[0][0] < MIN_SCORE:
            continue
        best = scored[0][0]
        for score, k in scored[:2]:
            if score >= MIN_SCORE and score >= best * SECOND_RATIO:
                out.append(Alignment(clause.number, source.id, source_clauses[k].number, min(score, 1.0)))
    return out
