"""Relations between norms that a sentence states (SPEC §3).

Owns reading, from the mentions of one sentence:
- ng:enshrines: "the principles enshrined therein, such as A, B", "the principle
  of the UN Charter that prohibits ..." (instrument -> principle);
- ng:partOf: "the UNFCCC and its Paris Agreement" (instrument -> instrument);
- ng:supplements: an instrument found by its shape as "a protocol to X";
- ng:proposedBy: "the Chinese-Russian proposal of the draft Treaty ...",
  "... proposed by X" (instrument -> party).
ng:violates is read with the targets of a stance (targets.py). The marker
phrases come from ontology/lexicon.ttl.
"""
from __future__ import annotations

import re

from normgraph.extract.cues import Lexicons
from normgraph.extract.vocabulary import Token
from normgraph.records import Clause, Mention, Relation

WINDOW = 8  # tokens between a marker and the instrument it points to


def _token_at(tokens: list[Token], offset: int) -> int:
    return next((k for k, t in enumerate(tokens) if t.start >= offset), len(tokens))


def _rel(subj: Mention, pred: str, obj: Mention, clause: Clause) -> Relation:
    return Relation(subj.entity, pred, obj.entity, clause.number, min(subj.start, obj.start), max(subj.end, obj.end))


def sentence_relations(text: str, tokens: list[Token], mentions: list[Mention], clause: Clause,
                       lex: Lexicons) -> list[Relation]:
    out: list[Relation] = []
    instruments = [m for m in mentions if m.entity.kind == "instrument"]
    principles = [m for m in mentions if m.entity.kind == "principle"]
    parties = [m for m in mentions if m.entity.kind == "party"]
    covered = {k for m in mentions for k, t in enumerate(tokens) if m.start <= t.start < m.end}

    # enshrines: a marker followed closely by an instrument, and the principles of the sentence
    i = 0
    while i < len(tokens):
        hit = None if i in covered else lex.enshrine.at(tokens, i)
        if not hit:
            i += 1
            continue
        after = tokens[i + hit[0]].start if i + hit[0] < len(tokens) else tokens[-1].end
        inst = [m for m in instruments if m.start >= tokens[i].start and _token_at(tokens, m.start) - i <= WINDOW]
        if inst and (inst[0].start <= after + 6 or text[after:inst[0].start].strip().lower() in {"the", ""}):
            for p in principles:
                if not (inst[0].start <= p.start < inst[0].end):
                    out.append(_rel(inst[0], "enshrines", p, clause))
        i += hit[0]

    # partOf: "X and its Y"
    for m in instruments:
        k = _token_at(tokens, m.start)
        if k > 0 and tokens[k - 1].norm == "its":
            earlier = [x for x in instruments if x.end <= tokens[k - 1].start and x.entity != m.entity]
            if earlier:
                out.append(_rel(m, "partOf", earlier[-1], clause))

    # supplements: "an additional protocol to <X>" found by its shape
    for m in instruments:
        if m.entity.in_vocabulary:
            continue
        link = re.search(r"\b(?:protocol|amendment|annex)\s+to\s+(?:the\s+)?(.+)$", m.entity.label, re.IGNORECASE)
        if not link:
            continue
        for x in instruments:
            if x.entity != m.entity and x.entity.label.lower() == link.group(1).lower():
                out.append(_rel(m, "supplements", x, clause))
                break

    # proposedBy: "the Chinese-Russian proposal of X", "X proposed by Y"
    for i, n, _ in lex.proposal.scan(tokens):
        if i in covered:
            continue
        marker = " ".join(t.norm for t in tokens[i:i + n])
        if marker.endswith("by"):
            inst = [m for m in instruments if m.end <= tokens[i].start]
            who = [p for p in parties if p.start >= tokens[i + n - 1].end
                   and _token_at(tokens, p.start) - (i + n) <= 4]
            inst = inst[-1:]
        else:
            inst = [m for m in instruments if m.start >= tokens[i + n - 1].end
                    and _token_at(tokens, m.start) - (i + n) <= 3][:1]
            who = [p for p in parties if p.end <= tokens[i].start and i - _token_at(tokens, p.end) <= 4]
        for x in inst:
            for p in who:
                out.append(_rel(x, "proposedBy", p, clause))
    return out


def dedupe(relations: list[Relation]) -> list[Relation]:
    """One relation per (subject, predicate, object, clause), the first in the text."""
    seen: dict[tuple, Relation] = {}
    for r in sorted(relations, key=lambda r: (r.start, r.end)):
        seen.setdefault((r.subject.iri, r.predicate, r.object.iri, r.clause), r)
    return sorted(seen.values(), key=lambda r: (r.start, r.end, r.predicate, r.subject.iri, r.object.iri))
