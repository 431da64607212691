"""The targets of one stance: what its object names, and with which polarity.

Owns the reading of a stance's object (the words after its cue, up to the next
cue of the same holder):
- enumerations distribute: the object is cut into items at joiners (",", "and",
  "as well as", "such as", "in particular" ...), and the first norm each item
  names is a target; a list of verb phrases after an infinitive ("commitment to
  preserve X, support Y, ... and ensure Z") is read one verb's object at a time;
- qualifications are not targets: what follows "that violate", "in violation
  of" (a norm the target is said to violate: an ng:violates relation) or "not
  based on", "under a false pretense of" (an exception);
- norms attached by "based on", "in accordance with" support the stance's norm;
- polarity comes from the cue type, negation ("do not recognize"), and
  reversing heads ("call for the prevention of an arms race": negative toward
  the arms race); practices are only ever targets of a negative stance;
- a party is a target when the object names parties alone, or as the agent or
  owner of an effort ("the efforts by the US, Qatar and Egypt", "Saudi Arabia's
  leading role"); a violation that is itself the object ("deplored the violation
  of the territorial integrity of Ukraine") is a practice;
- where the object names no known norm, its noun phrases become new
  ng:Practice or ng:Concept nodes with normalised labels; a verb-phrase object
  gives the body it sets up ("establish a climate working group"), the document
  it asks for ("prepare a report on ...") or what a reversing verb in it turns
  against ("take measures to limit the sale of citizenship").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from normgraph.extract.cues import Cue, Lexicons
from normgraph.extract.items import (
    Segment,
    in_quoted_title,
    inside_name,
    markers,
    qualified_regions,
    segments,
    starts_action,
)
from normgraph.extract.phrases import SUPPORTIVE_TYPES as SUPPORTIVE
from normgraph.extract.phrases import Target, established_body, free_targets, phrase_entity
from normgraph.extract.vocabulary import Token, Vocabulary, fold
from normgraph.namespace import NG, extracted_iri
from normgraph.records import Clause, Entity, Mention, Relation


@dataclass
class Scope:
    """The object of one main cue: tokens[start:end] of its sentence."""

    tokens: list[Token]
    start: int  # first token of the object
    end: int  # token after the object
    cue: Cue
    negated: bool
    neutral: bool


def _longer_name(text: str, tokens: list[Token], k: int, end: int, lex: Lexicons) -> int | None:
    """Where a capitalised name that goes on after a party's name ends: "United Nations | Interim Force in
    Lebanon" ends after "Lebanon"; None when the party's name stands alone."""
    j, last = k, None
    while j < end and (tokens[j].raw[:1].isupper() and tokens[j].norm.isalpha() or
                       tokens[j].norm in {"of", "for", "in", "on", "and"} and last is not None):
        if tokens[j].raw[:1].isupper():
            last = j
        j += 1
    return tokens[last].end if last is not None and last > k else None


def _possessive_agent(tokens: list[Token], last: int, end: int, lex: Lexicons) -> bool:
    """The party whose name ends at token `last` owns an effort: "the Kingdom of Saudi Arabia's leading role"."""
    return tokens[last].norm.endswith("'s") and any(
        tokens[x].norm in lex.effort_nouns for x in range(last + 1, min(end, last + 4)))


def _agent_of_effort(tokens: list[Token], seg_start: int, k: int, lex: Lexicons) -> bool:
    """The party at token k is the agent of an effort named before it in the same item: "the efforts by
    the US, Qatar and Egypt", "the leadership of ASEAN", "the role of the United Nations"."""
    for x in range(max(seg_start, k - 12), k):
        if tokens[x].norm in lex.effort_nouns and x + 1 < len(tokens) and tokens[x + 1].norm in {"by", "of"}:
            between = tokens[x + 2:k]
            return all(t.norm in {"the", ",", "and"} or t.raw[:1].isupper() for t in between)
    return False


def _violation_targets(text: str, tokens: list[Token], segs: list[Segment], regions: list[tuple[int, int]],
                       end: int, lex: Lexicons, vocab: Vocabulary) -> list[Target]:
    """A violation that is itself the object: "They deplored the violation of the territorial integrity of
    Ukraine by Russia" is negative toward that violation (a practice), not toward the norm violated."""
    out = []
    for s in segs:
        a = s.start
        while a < s.end and tokens[a].norm in lex.determiners:
            a += 1
        region = next(((x, y) for x, y in regions if x == a), None)
        hit = lex.violations.at(tokens, a) if region else None
        if not hit or hit[0] < 2 or fold(tokens[a].norm) not in lex.practice_heads:
            continue  # "violation of X" opens a noun phrase; "violate X", "as a violation of X" do not
        b = region[1]
        if b + 1 < end and tokens[b].norm == "of" and tokens[b + 1].raw[:1].isupper():
            b = next((k for k in range(b + 1, end) if not (tokens[k].raw[:1].isupper() or
                                                          tokens[k].norm in lex.function_words)), end)
        while b > a and tokens[b - 1].norm in lex.function_words:
            b -= 1
        entity = phrase_entity(text, tokens, a, b, "Negative", lex, vocab)
        if entity.kind == "practice":
            out.append(Target(entity, "Negative", tokens[a].start, tokens[b - 1].end))
    return out


def _verb_at(tokens: list[Token], k: int, lex: Lexicons) -> bool:
    """A verb in its base form opens the words at token k ("support diplomacy", "ensure the freedom")."""
    t = tokens[k]
    if not (t.raw.islower() and t.norm.isalpha()) or t.norm.endswith(("ing", "ed")) or \
            k + 1 < len(tokens) and tokens[k + 1].norm in {"for", "of"}:
        return False  # "support for", "respect of": nouns
    return bool(lex.verbs.at(tokens, k) or lex.cues.at(tokens, k) or lex.reversers.at(tokens, k))


def verb_phrases(tokens: list[Token], segs: list[Segment], lex: Lexicons) -> list[tuple[int, int]]:
    """The verb phrases of an object that lists them after an infinitive: "commitment to preserve regional
    security, support diplomacy ..., and ensure the freedom and security of waterways" gives one token range
    per verb, each starting at its object (a reversing verb stays, to turn what follows); [] otherwise."""
    if not segs:
        return []
    first = segs[0]
    to = max((k for k in range(first.start, first.end - 1) if tokens[k].norm == "to" and
              _verb_at(tokens, k + 1, lex)), default=None)  # the infinitive the later verbs are listed with
    if to is None:
        return []
    heads = [to + 1] + [s.start for s in segs[1:] if s.link in {",", "and", ", and"} and _verb_at(tokens, s.start, lex)]
    if len(heads) < 2:
        return []
    bounds = [s.jstart for s in segs[1:] if s.start in heads[1:]] + [segs[-1].end]
    parts = [(first.start, to)] if to > first.start else []  # what leads to them: "establish a task force"
    for head, b in zip(heads, bounds, strict=True):
        keep = lex.reversers.at(tokens, head) or lex.cues.at(tokens, head) or lex.establishing.at(tokens, head) or \
            lex.producing.at(tokens, head)  # what turns, backs or sets up its object stays with it
        a = head if keep else head + 1
        b = next((k for k in range(a + 1, b) if tokens[k].norm in lex.subordinators | lex.adverbial_subordinators
                  and tokens[k - 1].norm == ","), b)  # "..., while developing deeper ties": another clause
        if a < b:
            parts.append((a, b))
    return parts


def scope_targets(text: str, scope: Scope, mentions: list[Mention], default: str, lex: Lexicons,
                  vocab: Vocabulary, relations: list[Relation], clause: Clause, split: bool = True) -> list[Target]:
    """The targets of one stance's object, with their polarities; adds the violates relations it states."""
    tokens = scope.tokens
    start, end = scope.start, scope.end
    if scope.cue.expression in lex.modal_commitments and start < end and not (
            lex.establishing.at(tokens, start) or lex.reversers.at(tokens, start)):
        start += 1  # "we will combine our capabilities": the verb's object
    while end > start and tokens[end - 1].norm in {".", ",", ";", ":"}:
        end -= 1
    if end <= start:
        return []
    lo, hi = tokens[start].start, tokens[end - 1].end
    ms = sorted((m for m in mentions if lo <= m.start and m.end <= hi), key=lambda m: m.start)
    tok_of = {}
    covered: set[int] = set()
    for m in ms:
        idx = [k for k in range(start, end) if m.start <= tokens[k].start < m.end]
        if idx:
            tok_of[id(m)] = idx[0]
            covered.update(idx)
    segs = segments(tokens, start, end, lex, covered)
    neg_scope = (default == "Negative") != scope.negated
    if split and not neg_scope and not scope.neutral and scope.cue.expression not in lex.addressee_cues:
        parts = verb_phrases(tokens, segs, lex)
        if parts:  # "their commitment to preserve X, support Y, ... and ensure Z": each verb's object
            found = []
            for a, b in parts:
                sub = Scope(tokens, a, b, scope.cue, scope.negated, scope.neutral)
                found += scope_targets(text, sub, mentions, default, lex, vocab, relations, clause, split=False)
            return found
    if scope.cue.expression in lex.addressee_cues:
        # "Urges States ..., as well as States ..., to keep ...": the addressees are not targets
        k = next((x for x in range(start, end - 1) if tokens[x].norm == "to" and tokens[x + 1].norm.isalpha()
                  and tokens[x + 1].norm not in lex.determiners and tokens[x + 1].raw.islower()), None)
        if k is not None:
            addressees = [m for m in ms if tok_of.get(id(m), end) < k and m.entity.kind != "instrument"]
            ms = [m for m in ms if m not in addressees]
            segs = [x for x in segs if x.end > k + 1]
            if segs:
                segs[0] = Segment(max(segs[0].start, k + 1), segs[0].end, "", max(segs[0].start, k + 1))
    for k, s in enumerate(segs[1:], 1):
        if neg_scope and starts_action(tokens, s, lex) and ("and" in s.joiner or "," in s.joiner) \
                and not tokens[s.start].norm.endswith("ing") \
                and tokens[segs[k - 1].end - 1].norm not in lex.prepositions:
            end = segs[k - 1].end  # "..., and address climate change": a new verb phrase, not an object
            segs = segs[:k]
            ms = [m for m in ms if id(m) in tok_of and tok_of[id(m)] < end]
            break

    def negators_before(k: int) -> bool:
        return any(lex.negators.at(tokens, x) for x in range(max(start, k - 2), k))

    def seg_mentions(s: Segment) -> list[Mention]:
        return [m for m in ms if id(m) in tok_of and s.start <= tok_of[id(m)] < s.end]

    def first_kind(s: Segment) -> str | None:
        found = seg_mentions(s)
        return found[0].entity.kind if found else None

    def last_tok(m: Mention) -> int:
        return max(x for x in range(tok_of[id(m)], end) if tokens[x].start < m.end)

    mention_ends = [(tok_of[id(m)], last_tok(m) + 1) for m in ms if id(m) in tok_of]
    violation_marks = markers(lex.violations, tokens, start, end, covered)
    exception_marks = markers(lex.exceptions, tokens, start, end, covered)
    regions = qualified_regions(tokens, segs, violation_marks, lex, negators_before, first_kind, mention_ends)
    exception_regions = qualified_regions(tokens, segs, exception_marks, lex, lambda k: False, first_kind,
                                          mention_ends)

    def in_region(k: int, rs) -> bool:
        return any(a <= k < b for a, b in rs)

    # reversal: a reversing head turns what follows it in its item, and the items enumerated after it
    rev_from = []
    for r, rn in markers(lex.reversers, tokens, start, end, covered):
        if r + rn + 1 < end and tokens[r + rn].norm == "to" and (hit := lex.cues.at(tokens, r + rn + 1)) and \
                hit[1].stance_type in SUPPORTIVE:
            continue  # "the fight to defend their sovereignty": fighting for it, not against it
        k = next((x for x, s in enumerate(segs) if s.start <= r < s.end), None)
        if k is None:
            continue
        stop = segs[k].end
        for s in segs[k + 1:]:
            if starts_action(tokens, s, lex) or lex.cues.at(tokens, s.start) or s.link in {";", "as well as"} or \
                    first_kind(s) in {"principle", "instrument"}:
                break
            stop = s.end
        rev_from.append((r, stop))

    def reversed_at(k: int) -> bool:
        return any(a < k < b for a, b in rev_from)

    modifier_marks = markers(lex.modifiers, tokens, start, end, covered)
    harm_marks = markers(lex.harms, tokens, start, end, covered)

    def after_modifier(k: int, s: Segment) -> bool:
        return any(a + n <= k and k - (a + n) <= 6 for a, n in modifier_marks)

    reverser_at = {r for r, _ in markers(lex.reversers, tokens, start, end, covered)}
    party_tokens = {k for m in ms if m.entity.kind == "party" and id(m) in tok_of
                    for k in range(tok_of[id(m)], end) if tokens[k].start < m.end}
    parties_only = bool(party_tokens) and all(
        k in party_tokens or tokens[k].norm in lex.determiners or not tokens[k].norm.isalnum()
        for s in segs for k in range(s.start, s.end))
    in_that = tokens[start].norm == "that" or scope.cue.expression.endswith("that")
    found: list[Target] = []
    headed = False  # a target that is not only a modifier ("... under the Quad Vaccine Partnership")
    first_seg = True
    depth_carry = 0
    for s in segs:
        picked_in_seg = False
        bare = s.joiner in {"and", "or"} and tokens[s.start].norm not in lex.determiners  # no comma
        depth_carry = depth_carry if bare else 0
        last_pick = s.start
        for m in seg_mentions(s):
            k = tok_of[id(m)]
            if in_region(k, regions) or in_region(k, exception_regions):
                continue
            kind = "practice" if m.entity.iri in vocab.adverse else m.entity.kind  # a harm behaves like a practice
            modifier = after_modifier(k, s) and not neg_scope
            before = [t.norm for t in tokens[s.start:k]]
            if picked_in_seg and not modifier and not any(last_pick <= r < k for r in reverser_at):
                continue
            if kind in {"principle", "practice", "concept"} and (inside_name(tokens, k, m.end, end, lex) or
                                                                  in_quoted_title(text, tokens[0].start, m.start)):
                continue  # "Strengthening International Cooperation for Combating ...": part of a title
            if not modifier:
                if depth_carry + sum(1 for w in before if w in lex.prepositions) > 2 and not (
                        in_that and kind == "instrument" and not neg_scope):
                    continue  # (an instrument anywhere in a that-clause the holders hope or affirm is backed)
                tail = " ".join(before[-4:])
                if kind == "instrument" and re.search(r"\b(principles?|provisions?) of( the)?$", tail):
                    continue
                last = max(x for x in range(k, end) if tokens[x].start < m.end) + 1
                if kind == "principle" and last + 1 < end and tokens[last].norm == "to" and \
                        tokens[last + 1].norm not in lex.determiners:
                    continue  # "international cooperation to address ...": an activity, not the principle
            if kind == "party" and not parties_only and not _agent_of_effort(tokens, start, k, lex) and \
                    not _possessive_agent(tokens, last_tok(m), end, lex):
                continue  # a party is a target only when the object names parties alone: "We support Ukraine",
                # or as the agent of an effort: "we endorse the efforts by the US, Qatar and Egypt"
            if kind == "party" and (named := _longer_name(text, tokens, last_tok(m) + 1, end, lex)):
                # "the role of the United Nations Interim Force in Lebanon (UNIFIL)": that body, not the UN
                m = Mention(Entity(iri=str(extracted_iri("party", text[m.start:named])), kind="party",
                                   label=text[m.start:named], types=(str(NG.Organization), str(NG.Party)),
                                   in_vocabulary=False), m.start, named, text[m.start:named])
            rev = reversed_at(k) and not modifier and not after_modifier(k, s)
            harmed = any(k - 5 <= a and a + n <= k for a, n in harm_marks)
            if harmed:  # "the challenges posed by climate change", "the impact of Russia's war"
                found.append(Target(m.entity, "Negative", m.start, m.end))
                picked_in_seg = headed = True
                last_pick = k + 1
                continue
            if neg_scope and kind != "practice" and \
                    any(fold(t.norm) in lex.practice_heads for t in tokens[s.start:k]):
                continue  # "concerned by attacks on human rights": the attacks are the target, not the rights
            if kind == "practice":
                denial = next((x for x in range(last_tok(m) + 1, min(end, last_tok(m) + 6))
                               if lex.negators.at(tokens, x)), None)  # "a nuclear war cannot be won"
                if not (neg_scope or rev or denial is not None):
                    continue
                polarity = "Positive" if neg_scope and rev else "Negative"
                if not (neg_scope or rev):  # the evidence shows the denial too
                    found.append(Target(m.entity, polarity, m.start, tokens[min(denial + 2, end - 1)].end))
                    picked_in_seg = headed = True
                    last_pick = k + 1
                    continue
            elif neg_scope:
                if not (first_seg and not picked_in_seg) or rev:
                    continue
                polarity = "Negative"
            else:
                polarity = "Negative" if rev else ("Neutral" if scope.neutral and not modifier else "Positive")
            found.append(Target(m.entity, polarity, m.start, m.end))
            if not modifier:
                headed = True
            picked_in_seg = True
            last_pick = k + 1
        after = max([r + 1 for r in reverser_at if s.start <= r < s.end], default=s.start)
        depth_carry = (depth_carry if after == s.start else 0) + \
            sum(1 for t in tokens[after:s.end] if t.norm in lex.prepositions)
        first_seg = False

    if neg_scope and segs:
        found += _violation_targets(text, tokens, segs, regions, end, lex, vocab)
    if found and not neg_scope:  # "we will establish a climate working group to strengthen climate actions"
        found += [b for s in segs if (b := established_body(text, tokens, s.start, s.end, lex)) is not None]
    that_clause = tokens[start].norm == "that" or scope.cue.expression.endswith("that") or \
        scope.cue.expression.startswith(("share the", "express"))
    if not found or not headed and not neg_scope:
        found += free_targets(text, tokens, segs, segs[0].start if segs else start, end, lex, vocab, neg_scope,
                              that_clause, regions,
                              exception_regions, reversed_at, callfor=scope.cue.stance_type == "CallFor",
                              neutral=scope.neutral)
    elif neg_scope and not that_clause:
        # an enumeration of conducts mixes known and new names: "a stand against aggression and a disregard
        # of international rules"; an item that names nothing known and is headed by a conduct is a target
        for n_seg, s in enumerate(segs):
            if n_seg and s.link not in {"and", "or", ",", "as well as"} or \
                    any(m.entity.kind != "party" for m in seg_mentions(s)) or \
                    any(tokens[s.start].start <= t.start < tokens[s.end - 1].end for t in found) or \
                    in_region(s.start, regions) or in_region(s.start, exception_regions):
                continue  # "condemned the coup in Myanmar and ... attacks on civilians": the coup too
            extra = free_targets(text, tokens, [s], s.start, s.end, lex, vocab, neg_scope, False, regions,
                                 exception_regions, reversed_at)
            found += [t for t in extra if t.entity.kind == "practice"]

    # violates: the practice targeted before (or right after) a violation marker, and the principles it names
    for m0, r_end in regions:
        objs = [m for m in ms if id(m) in tok_of and m0 <= tok_of[id(m)] < r_end
                and m.entity.kind in {"principle", "instrument"}]
        practices = [t for t in found if t.entity.kind == "practice"]
        seg = next((x for x in segs if x.start <= m0 < x.end), None)
        if seg is None:
            continue
        prev = segs[segs.index(seg) - 1] if segs.index(seg) > 0 else None
        opens = m0 == seg.start or m0 == seg.start + 1 and tokens[seg.start].norm in {"that", "which"}
        lo = prev.start if opens and prev is not None and seg.link not in {"as well as", ";"} else seg.start
        before = [t for t in practices if tokens[lo].start <= t.start < tokens[m0].start]
        after = [t for t in practices if t.start >= tokens[r_end - 1].end and t.start < tokens[seg.end - 1].end]
        subj = before[-1] if before else (after[0] if after else None)
        for o in objs:
            if subj is not None:
                a, b = min(subj.start, o.start), max(subj.end, o.end)
                relations.append(Relation(subj.entity, "violates", o.entity, clause.number, a, b))
    return found
