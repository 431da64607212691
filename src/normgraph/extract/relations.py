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
from bisect import bisect_left, bisect_right
from collections.abc import Callable

from normgraph.extract.cues import Lexicons
from normgraph.extract.vocabulary import Token
from normgraph.records import Clause, Mention, Relation

WINDOW = 8  # tokens between a marker and the instrument it points to


class _Positions:
    """Where things lie in one sentence, for lookups in O(log n): the time taken by a sentence
    grows with its length, not with its square (issue 10, finding 6)."""

    def __init__(self, tokens: list[Token], mentions: list[Mention]) -> None:
        self.starts = [t.start for t in tokens]
        self.covered = bytearray(len(tokens))  # 1 where a mention covers the token's start
        for m in mentions:
            lo, hi = bisect_left(self.starts, m.start), bisect_left(self.starts, m.end)
            self.covered[lo:hi] = b"\x01" * (hi - lo)

    def token_at(self, offset: int) -> int:
        """The index of the first token starting at or after `offset` (len(tokens) if none)."""
        return bisect_left(self.starts, offset)


class _Sorted:
    """Mentions (in text order) with their starts and ends, searchable by position."""

    def __init__(self, mentions: list[Mention]) -> None:
        self.items = mentions
        self.starts = [m.start for m in mentions]
        self.ends = [m.end for m in mentions]
        self.ends_sorted = all(a <= b for a, b in zip(self.ends, self.ends[1:], strict=False))
        self.previous_other: list[int | None] = []  # the last earlier mention of another entity
        for k, m in enumerate(mentions):
            if k == 0:
                self.previous_other.append(None)
            elif mentions[k - 1].entity != m.entity:
                self.previous_other.append(k - 1)
            else:
                self.previous_other.append(self.previous_other[k - 1])

    def first_starting_at_or_after(self, offset: int) -> int:
        return bisect_left(self.starts, offset)

    def last_ending_by(self, offset: int) -> int | None:
        """The last mention (in text order) that ends at or before `offset`."""
        if self.ends_sorted:
            k = bisect_right(self.ends, offset) - 1
            return k if k >= 0 else None
        return next((k for k in range(len(self.ends) - 1, -1, -1) if self.ends[k] <= offset), None)

    def last_other_ending_by(self, offset: int, entity: object) -> Mention | None:
        """The last mention that ends at or before `offset` and names another entity than `entity`."""
        if not self.ends_sorted:
            return next((m for m in reversed(self.items) if m.end <= offset and m.entity != entity), None)
        k = self.last_ending_by(offset)
        if k is not None and self.items[k].entity == entity:
            k = self.previous_other[k]
        return None if k is None else self.items[k]

    def ending_near(self, offset: int, near: Callable[[int], bool]) -> list[Mention]:
        """The mentions (in text order) that end at or before `offset` with `near(end)` true, where
        `near` is true for the ends closest to `offset` and false from some point backwards."""
        if not self.ends_sorted:
            return [m for m in self.items if m.end <= offset and near(m.end)]
        found = []
        k = self.last_ending_by(offset)
        while k is not None and k >= 0 and near(self.ends[k]):
            found.append(self.items[k])
            k -= 1
        return found[::-1]


def _rel(subj: Mention, pred: str, obj: Mention, clause: Clause) -> Relation:
    return Relation(subj.entity, pred, obj.entity, clause.number, min(subj.start, obj.start), max(subj.end, obj.end))


def _closest_outside(inst: Mention, mentions: list[Mention], starts: list[int],
                     suffix_min_end: list[int]) -> Mention | None:
    """Of one principle's mentions (text order), the one `dedupe` would keep beside `inst`: outside it, with
    the earliest (start, end) of the pair's span; None if all lie inside the instrument's words."""
    if starts[0] < inst.start:
        return mentions[0]
    k = bisect_left(starts, inst.end)
    if k == len(mentions):
        return None
    best_end = suffix_min_end[k]
    return next(m for m in mentions[k:] if m.end == best_end)


def _enshrines(text: str, tokens: list[Token], pos: _Positions, instruments: _Sorted,
               principles: list[Mention], clause: Clause, lex: Lexicons) -> list[Relation]:
    """A marker followed closely by an instrument, and the principles of the sentence."""
    hit_instruments: dict[int, Mention] = {}
    i = 0
    while i < len(tokens):
        hit = None if pos.covered[i] or not lex.enshrine.opens(tokens[i]) else lex.enshrine.at(tokens, i)
        if not hit:
            i += 1
            continue
        after = tokens[i + hit[0]].start if i + hit[0] < len(tokens) else tokens[-1].end
        k = instruments.first_starting_at_or_after(tokens[i].start)
        if k < len(instruments.items) and pos.token_at(instruments.starts[k]) - i <= WINDOW:
            inst = instruments.items[k]
            if inst.start <= after + 6 or text[after:inst.start].strip().lower() in {"the", ""}:
                hit_instruments.setdefault(k, inst)
        i += hit[0]
    if not hit_instruments or not principles:
        return []
    by_entity: dict[str, list[Mention]] = {}
    for p in principles:
        by_entity.setdefault(p.entity.iri, []).append(p)
    tables = []
    for ms in by_entity.values():
        suffix, low = [0] * len(ms), None
        for j in range(len(ms) - 1, -1, -1):
            low = ms[j].end if low is None else min(low, ms[j].end)
            suffix[j] = low
        tables.append((ms, [m.start for m in ms], suffix))
    out = []
    for inst in hit_instruments.values():
        for ms, starts, suffix in tables:
            p = _closest_outside(inst, ms, starts, suffix)
            if p is not None:
                out.append(_rel(inst, "enshrines", p, clause))
    return out


def sentence_relations(text: str, tokens: list[Token], mentions: list[Mention], clause: Clause,
                       lex: Lexicons) -> list[Relation]:
    """The relations one sentence states, in time linear in its length (up to log factors)."""
    pos = _Positions(tokens, mentions)
    instruments = _Sorted([m for m in mentions if m.entity.kind == "instrument"])
    principles = [m for m in mentions if m.entity.kind == "principle"]
    parties = _Sorted([m for m in mentions if m.entity.kind == "party"])
    out = _enshrines(text, tokens, pos, instruments, principles, clause, lex)

    # partOf: "X and its Y"
    for m in instruments.items:
        k = pos.token_at(m.start)
        if k > 0 and tokens[k - 1].norm == "its":
            other = instruments.last_other_ending_by(tokens[k - 1].start, m.entity)
            if other is not None:
                out.append(_rel(m, "partOf", other, clause))

    # supplements: "an additional protocol to <X>" found by its shape
    by_label: dict[str, list[Mention]] = {}
    for x in instruments.items:
        firsts = by_label.setdefault(x.entity.label.lower(), [])
        if len(firsts) < 2 and all(f.entity != x.entity for f in firsts):
            firsts.append(x)  # the first mention of the first two entities with this label
    for m in instruments.items:
        if m.entity.in_vocabulary:
            continue
        link = re.search(r"\b(?:protocol|amendment|annex)\s+to\s+(?:the\s+)?(.+)$", m.entity.label, re.IGNORECASE)
        if link:
            x = next((f for f in by_label.get(link.group(1).lower(), ()) if f.entity != m.entity), None)
            if x is not None:
                out.append(_rel(m, "supplements", x, clause))

    # proposedBy: "the Chinese-Russian proposal of X", "X proposed by Y"
    for i, n, _ in lex.proposal.scan(tokens):
        if pos.covered[i]:
            continue
        marker = " ".join(t.norm for t in tokens[i:i + n])
        if marker.endswith("by"):
            last = instruments.last_ending_by(tokens[i].start)
            inst = [] if last is None else [instruments.items[last]]
            who = []
            for k in range(parties.first_starting_at_or_after(tokens[i + n - 1].end), len(parties.items)):
                if pos.token_at(parties.starts[k]) - (i + n) > 4:
                    break
                who.append(parties.items[k])
        else:
            k = instruments.first_starting_at_or_after(tokens[i + n - 1].end)
            near = k < len(instruments.items) and pos.token_at(instruments.starts[k]) - (i + n) <= 3
            inst = [instruments.items[k]] if near else []
            who = parties.ending_near(tokens[i].start, lambda end, i=i: i - pos.token_at(end) <= 4)
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
