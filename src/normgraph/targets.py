"""The targets of one stance: what its object names, and with which polarity.

Owns the reading of a stance's object (the words after its cue, up to the next
cue of the same holder):
- enumerations distribute: the object is cut into items at joiners (",", "and",
  "as well as", "such as", "in particular" ...), and the first norm each item
  names is a target;
- qualifications are not targets: what follows "that violate", "in violation
  of" (a norm the target is said to violate: an ng:violates relation) or "not
  based on", "under a false pretense of" (an exception);
- norms attached by "based on", "in accordance with" support the stance's norm;
- polarity comes from the cue type, negation ("do not recognize"), and
  reversing heads ("call for the prevention of an arms race": negative toward
  the arms race); practices are only ever targets of a negative stance;
- where the object names no known norm, its noun phrases become new
  ng:Practice or ng:Concept nodes with normalised labels.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from normgraph.cues import Cue, Lexicons
from normgraph.namespace import NG, entity_iri, extracted_iri
from normgraph.records import Clause, Entity, Mention, Relation
from normgraph.vocabulary import Token, Vocabulary, fold

MAX_WORDS = 12
SUPPORTIVE_TYPES = {"Support", "Commit", "Respect", "Reaffirm", "Emphasize", "Welcome", "CallFor"}


@dataclass
class Scope:
    tokens: list[Token]
    start: int  # first token of the object
    end: int  # token after the object
    cue: Cue
    negated: bool
    neutral: bool


@dataclass(frozen=True)
class Target:
    entity: Entity
    polarity: str
    start: int
    end: int


@dataclass
class _Segment:
    start: int
    end: int
    joiner: str  # the joiner before the segment as written, e.g. ", in particular"
    jstart: int  # first token of the joiner before the segment

    @property
    def link(self) -> str:
        """The joiner without a leading comma: "in particular", "and", "as well as" ("," for a bare comma)."""
        bare = self.joiner.lstrip(", ").strip()
        return bare or self.joiner.strip()


def _segments(tokens: list[Token], start: int, end: int, lex: Lexicons, covered: set[int]) -> list[_Segment]:
    segs = []
    cur, joiner, jstart, i = start, "", start, start
    while i < end:
        hit = None if i in covered else lex.joiners.at(tokens, i)
        if hit and i + hit[0] <= end:
            if i > cur:
                segs.append(_Segment(cur, i, joiner, jstart))
            jstart = i
            joiner = " ".join(t.norm for t in tokens[i:i + hit[0]])
            # ", and", ", as well as": one joiner
            while i + hit[0] < end and (nxt := lex.joiners.at(tokens, i + hit[0])) and (i + hit[0]) not in covered:
                joiner += " " + " ".join(t.norm for t in tokens[i + hit[0]:i + hit[0] + nxt[0]])
                i += hit[0]
                hit = nxt
            i += hit[0]
            cur = i
        else:
            i += 1
    if cur < end:
        segs.append(_Segment(cur, end, joiner, jstart))
    return segs


def _markers(index, tokens: list[Token], start: int, end: int, covered: set[int]) -> list[tuple[int, int]]:
    out, i = [], start
    while i < end:
        hit = None if i in covered else index.at(tokens, i)
        if hit and i + hit[0] <= end:
            out.append((i, hit[0]))
            i += hit[0]
        else:
            i += 1
    return out


def _starts_action(tokens: list[Token], seg: _Segment, lex: Lexicons) -> bool:
    i = seg.start
    if i < seg.end and tokens[i].norm == "to":
        i += 1
    return i < seg.end and lex.verbs.at(tokens, i) is not None and tokens[i].norm not in {"use"}


def _regions(tokens, segs, marks, lex, negators_before, mention_kind_at, mention_ends) -> list[tuple[int, int]]:
    """Token ranges qualified by a violation or exception marker: the marker and the norm it names
    (with the norms enumerated after it), or else the rest of its item."""
    out = []
    for m, n in marks:
        if negators_before(m):
            continue
        k = next((x for x, s in enumerate(segs) if s.start <= m < s.end), None)
        if k is None:
            continue
        named = [e for b, e in mention_ends if m + n <= b <= m + n + 4]
        end = named[0] if named else segs[k].end
        for s in segs[k + 1:]:
            first_kind = mention_kind_at(s)
            if (s.link in lex.elaborations or s.link in {",", "and", "or"}) and \
                    first_kind in {"principle", "instrument", "party"} | ({None} if not named else set()) \
                    and not _starts_action(tokens, s, lex):
                end = s.end
            else:
                break
        out.append((m, end))
    return out




def _inside_name(tokens: list[Token], k: int, mention_end: int, end: int, lex: Lexicons) -> bool:
    """A mention that is part of a longer capitalised name: "... International Cooperation for Combating ...",
    "the Ad Hoc Committee on the Prevention of an Arms Race in Outer Space"."""
    p = k - 1
    while p > 0 and tokens[p].norm in lex.function_words:
        p -= 1
    before = p >= 1 and tokens[p].raw[:1].isupper() and tokens[p].norm not in lex.function_words
    j = next((x for x in range(k, end) if tokens[x].start >= mention_end), end)
    while j < end and tokens[j].norm in lex.function_words:
        j += 1
    after = j < end and tokens[j].raw[:1].isupper()
    titled = tokens[k].raw[:1].isupper()
    return before and (after or titled)


def _adjective_list(tokens: list[Token], comma: int, b: int) -> bool:
    """After a comma: single lower-case words between commas, closed by 'and'/'or' + word + more words
    ("active, constructive, pragmatic, and focused discussions")."""
    k = comma
    count = 0
    while k + 2 < b and tokens[k].norm == "," and tokens[k + 1].raw.islower() and tokens[k + 1].norm.isalpha():
        if tokens[k + 2].norm == ",":
            k += 2
            count += 1
            continue
        break
    k += 1 if k < b and tokens[k].norm == "," else 0
    return count >= 1 and k + 2 < b and tokens[k].norm in {"and", "or"} and tokens[k + 1].raw.islower() \
        and tokens[k + 2].raw.islower() and tokens[k + 2].norm.isalpha()


def _in_quoted_title(text: str, sentence_start: int, at: int) -> bool:
    """The position is inside a quoted title: 'agenda item entitled “Prevention of an arms race ...”'."""
    before = text[sentence_start:at]
    opened = max(before.rfind("\u201c"), before.rfind('"') if before.count('"') % 2 else -1)
    return opened >= 0 and "\u201d" not in before[opened:] and before[opened + 1:opened + 2].isupper()


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if len(word) >= 4 and word.endswith("s") and not word.endswith(("ss", "us", "is", "ics", "ness", "'s")):
        return word[:-1]
    return word


def _np(text: str, tokens: list[Token], a: int, b: int, lex: Lexicons,
        addressee: bool = False) -> tuple[int, int, bool] | None:
    """The noun phrase of an item: (first token, end token, reversed), or None for an action or a pronoun."""
    i, reversed_ = a, False
    for _ in range(8):
        moved = False
        for index in (lex.joiners, lex.openers):
            hit = index.at(tokens, i) if i < b else None
            if hit and i + hit[0] < b:
                i += hit[0]
                moved = True
        while i < b - 1 and tokens[i].norm.endswith("ly") and tokens[i].norm.isalpha() and len(tokens[i].norm) > 4:
            i += 1  # "promptly", "jointly"
            moved = True
        k = i - 1
        while k > 0 and (tokens[k].norm.endswith("ly") or tokens[k].norm in lex.adverbs):
            k -= 1
        after_to = i < b and k >= 0 and tokens[k].norm == "to" and tokens[i].norm not in lex.determiners \
            and tokens[i].norm.isalpha() and not tokens[i].raw[:1].isupper()
        if after_to and not (lex.reversers.at(tokens, i) or lex.cues.at(tokens, i)):
            return None  # "pledge to respond to ...", "look forward to working ...": an action, not a norm
        if i < b and (hit := lex.reversers.at(tokens, i)) and i + hit[0] < b:
            i += hit[0]
            reversed_ = moved = True
        elif i < b and (hit := lex.cues.at(tokens, i)) and hit[1].stance_type in SUPPORTIVE_TYPES \
                and i + hit[0] < b:
            i += hit[0]
            moved = True
        if not moved:
            break
    if i >= b or lex.verbs.at(tokens, i) or tokens[i].norm in lex.pronouns | lex.prepositions or \
            not tokens[i].norm[:1].isalpha():
        return None
    j = i
    generic = False
    in_list = False
    relative = None
    while j < b:
        t = tokens[j].norm
        hyphened = j > i and text[tokens[j - 1].end:tokens[j].start] in {"-", "\u2010", "\u2011"}
        if t in lex.clause_words and j > i and not hyphened:
            break  # "the measures we take together are ...": a clause, not a noun phrase
        if t in {"that", "which"} and j > i and tokens[j - 1].norm in lex.generic_heads and not generic:
            generic = True  # "actions that violate ...": the relative clause says which actions
            relative = j
            j += 1
            continue
        if t == "," and (_adjective_list(tokens, j, b) or
                         in_list and j + 1 < b and tokens[j + 1].norm in {"and", "or"}):
            in_list = True  # "engaging in active, constructive, pragmatic, and focused discussions": one phrase
            j += 1
            continue
        if t in {",", ";", "(", ":", ".", '"', "\u201c"} or (lex.qualifiers.at(tokens, j) or
                                                        lex.violations.at(tokens, j)) and not generic or \
                lex.exceptions.at(tokens, j):
            break
        if t in {"and", "or"} and j + 1 < b and (lex.verbs.at(tokens, j + 1) or tokens[j + 1].norm == "to"):
            break
        if j > i and t.endswith("ing") and tokens[j].raw.islower() and \
                (lex.cues.at(tokens, j) or lex.reversers.at(tokens, j)):
            break  # "the Glasgow Climate Pact urging developed countries ...": a participle clause
        if j > i and t == "to" and tokens[j - 1].norm in lex.generic_heads:
            return None  # "the importance to accelerate ...": an infinitive, not a noun phrase
        j += 1
    if relative is not None and j - relative < 4:
        j = relative  # the relative clause was cut short: keep the head alone
    # "X to <verb> Y": an addressee asked to act ("invite all States to uphold these principles": the object
    # follows the verb), or a purpose ("fair competition to foster trade": the phrase ends before "to")
    for k in range(i + 1, j - 1):
        if tokens[k].norm != "to" or not tokens[k + 1].norm.isalpha() or tokens[k + 1].norm in lex.determiners \
                or tokens[k - 1].norm in lex.generic_heads or not tokens[k + 1].raw.islower():
            continue
        v = k + 1
        while v < j - 1 and tokens[v].norm.endswith("ly") and len(tokens[v].norm) > 4:
            v += 1  # "to immediately cease"
        rev = lex.reversers.at(tokens, v)
        cue = lex.cues.at(tokens, v)
        if not (rev or cue or lex.verbs.at(tokens, v)):
            continue  # "transparency with regard to nuclear weapons": "to" is a preposition here
        if rev or cue and cue[1].stance_type in SUPPORTIVE_TYPES:
            if not addressee and tokens[k - 1].norm not in lex.addressee_nouns:
                j = k
                break
            got = _np(text, tokens, v + (rev or cue)[0], j, lex) if v + (rev or cue)[0] < j else None
            return (got[0], got[1], got[2] != bool(rev)) if got else None
        if addressee or tokens[k - 1].norm in lex.addressee_nouns:
            return None  # "urge Russia to withdraw ...": an action asked for, not a norm
        j = k
        break
    words = [k for k in range(i, j) if tokens[k].norm.isalnum() and not (
        k > i and text[tokens[k - 1].end:tokens[k].start] in {"-", "\u2010", "\u2011"})]  # "well-being": one word
    if len(words) > MAX_WORDS:
        limit = words[MAX_WORDS]  # cut before the last preposition that keeps it short enough
        j = max((k for k in range(i + 2, limit + 1) if tokens[k].norm in lex.prepositions), default=limit)
    while j > i and (tokens[j - 1].norm in lex.prepositions | lex.determiners | {"and", "or"} or
                     tokens[j - 1].norm.isdigit() and len(tokens[j - 1].norm) <= 2):
        j -= 1  # trailing function words, and footnote numbers ("... by a number of States 4")
    if j <= i or tokens[j - 1].norm.endswith("ing") and (lex.verbs.at(tokens, j - 1) or lex.cues.at(tokens, j - 1)):
        return None  # "the importance of strengthening": cut before its object
    last = tokens[j - 1]
    if lex.cues.at(tokens, j - 1) or lex.reversers.at(tokens, j - 1) or lex.verbs.at(tokens, j - 1):
        return None  # "coordination to prevent": cut before the object of its verb
    if last.norm in lex.generic_heads and not any(t.norm in lex.prepositions | {"that", "which"} for t in tokens[i:j]):
        return None  # "the key role", "concrete actions": a generic noun with nothing to say which
    if tokens[i].norm in {"both", "either", "neither"}:
        return None  # "both bilateral and multilateral": modifiers without their noun
    if j - i >= 2 and tokens[j - 2].norm in {"a", "an", "the"} and j < b and tokens[j].norm == ",":
        return None  # "progress on a transparent, evidence-based ... study": cut inside a noun phrase
    clause_word = any(tokens[k].norm in lex.clause_words and not (k > i and text[tokens[k - 1].end:tokens[k].start]
                                                              in {"-", "\u2010", "\u2011"}) for k in range(i, j))
    if j - i < 2 or clause_word or tokens[i].norm in lex.non_target_heads \
            or tokens[j - 1].raw.endswith(("'s", "\u2019s")):
        return None  # one word says too little ("opportunities"); a pronoun or finite verb is a clause
    return i, j, reversed_


def _np_entity(text: str, tokens: list[Token], i: int, j: int, polarity: str, lex: Lexicons,
               vocab: Vocabulary) -> Entity:
    """A practice or concept named by the words tokens[i:j], with a normalised label."""
    cut = next((k for k in range(i, j) if tokens[k].norm in lex.prepositions | {"that", "which"}), j)
    head = max(cut - 1, i)
    generic = tokens[head].norm in lex.generic_heads
    parts = []
    for k in range(i, j):
        raw = text[tokens[k].start:tokens[k].end]
        if k == head and raw.islower() and not generic:
            raw = _singular(raw)  # "interventions" and "intervention" are one node
        if k > i:
            parts.append(re.sub(r"\s+", " ", text[tokens[k - 1].end:tokens[k].start]))
        parts.append(raw)
    label = "".join(parts)

    kind = "practice" if polarity == "Negative" and fold(tokens[head].norm) in lex.practice_heads else "concept"
    for k in (kind, "practice" if kind == "concept" else "concept"):
        iri = str(entity_iri(k, label))
        if iri in vocab.entities:
            return vocab.entities[iri]
    cls = NG.Practice if kind == "practice" else NG.Concept
    return Entity(iri=str(extracted_iri(kind, label)), kind=kind, label=label, types=(str(cls),),
                  in_vocabulary=False)


def scope_targets(text: str, scope: Scope, mentions: list[Mention], default: str, lex: Lexicons,
                  vocab: Vocabulary, relations: list[Relation], clause: Clause) -> list[Target]:
    """The targets of one stance's object, with their polarities; adds the violates relations it states."""
    tokens = scope.tokens
    start, end = scope.start, scope.end
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
    segs = _segments(tokens, start, end, lex, covered)
    neg_scope = (default == "Negative") != scope.negated
    if scope.cue.expression in lex.addressee_cues:
        # "Urges States ..., as well as States ..., to keep ...": the addressees are not targets
        k = next((x for x in range(start, end - 1) if tokens[x].norm == "to" and tokens[x + 1].norm.isalpha()
                  and tokens[x + 1].norm not in lex.determiners and tokens[x + 1].raw.islower()), None)
        if k is not None:
            addressees = [m for m in ms if tok_of.get(id(m), end) < k and m.entity.kind != "instrument"]
            ms = [m for m in ms if m not in addressees]
            segs = [x for x in segs if x.end > k + 1]
            if segs:
                segs[0] = _Segment(max(segs[0].start, k + 1), segs[0].end, "", max(segs[0].start, k + 1))
    for k, s in enumerate(segs[1:], 1):
        if neg_scope and _starts_action(tokens, s, lex) and ("and" in s.joiner or "," in s.joiner) \
                and not tokens[s.start].norm.endswith("ing") \
                and tokens[segs[k - 1].end - 1].norm not in lex.prepositions:
            end = segs[k - 1].end  # "..., and address climate change": a new verb phrase, not an object
            segs = segs[:k]
            ms = [m for m in ms if id(m) in tok_of and tok_of[id(m)] < end]
            break

    def negators_before(k: int) -> bool:
        return any(lex.negators.at(tokens, x) for x in range(max(start, k - 2), k))

    def seg_mentions(s: _Segment) -> list[Mention]:
        return [m for m in ms if id(m) in tok_of and s.start <= tok_of[id(m)] < s.end]

    def first_kind(s: _Segment) -> str | None:
        found = seg_mentions(s)
        return found[0].entity.kind if found else None

    mention_ends = []
    for m in ms:
        if id(m) in tok_of:
            last = max(x for x in range(tok_of[id(m)], end) if tokens[x].start < m.end)
            mention_ends.append((tok_of[id(m)], last + 1))
    violation_marks = _markers(lex.violations, tokens, start, end, covered)
    regions = _regions(tokens, segs, violation_marks, lex, negators_before, first_kind, mention_ends)
    exception_regions = _regions(tokens, segs, _markers(lex.exceptions, tokens, start, end, covered), lex,
                                 lambda k: False, first_kind, mention_ends)

    def in_region(k: int, rs) -> bool:
        return any(a <= k < b for a, b in rs)

    # reversal: a reversing head turns what follows it in its item, and the items enumerated after it
    rev_from = []
    for r, _ in _markers(lex.reversers, tokens, start, end, covered):
        k = next((x for x, s in enumerate(segs) if s.start <= r < s.end), None)
        if k is None:
            continue
        stop = segs[k].end
        for s in segs[k + 1:]:
            if _starts_action(tokens, s, lex) or lex.cues.at(tokens, s.start) or s.link in {";", "as well as"} or \
                    first_kind(s) in {"principle", "instrument"}:
                break
            stop = s.end
        rev_from.append((r, stop))

    def reversed_at(k: int) -> bool:
        return any(a < k < b for a, b in rev_from)

    modifier_marks = _markers(lex.modifiers, tokens, start, end, covered)
    harm_marks = _markers(lex.harms, tokens, start, end, covered)

    def after_modifier(k: int, s: _Segment) -> bool:
        return any(a + n <= k and k - (a + n) <= 6 for a, n in modifier_marks)

    reverser_at = {r for r, _ in _markers(lex.reversers, tokens, start, end, covered)}
    party_tokens = {k for m in ms if m.entity.kind == "party" and id(m) in tok_of
                    for k in range(tok_of[id(m)], end) if tokens[k].start < m.end}
    parties_only = bool(party_tokens) and all(
        k in party_tokens or tokens[k].norm in lex.determiners or not tokens[k].norm.isalnum()
        for s in segs for k in range(s.start, s.end))
    found: list[Target] = []
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
            kind = m.entity.kind
            modifier = after_modifier(k, s) and not neg_scope
            before = [t.norm for t in tokens[s.start:k]]
            if picked_in_seg and not modifier and not any(last_pick <= r < k for r in reverser_at):
                continue
            if kind in {"principle", "practice", "concept"} and (_inside_name(tokens, k, m.end, end, lex) or
                                                                  _in_quoted_title(text, tokens[0].start, m.start)):
                continue  # "Strengthening International Cooperation for Combating ...": part of a title
            if not modifier:
                if depth_carry + sum(1 for w in before if w in lex.prepositions) > 2:
                    continue
                tail = " ".join(before[-4:])
                if kind == "instrument" and re.search(r"\b(principles?|provisions?) of( the)?$", tail):
                    continue
                last = max(x for x in range(k, end) if tokens[x].start < m.end) + 1
                if kind == "principle" and last + 1 < end and tokens[last].norm == "to" and \
                        tokens[last + 1].norm not in lex.determiners:
                    continue  # "international cooperation to address ...": an activity, not the principle
            if kind == "party" and not parties_only:
                continue  # a party is a target only when the object names parties alone: "We support Ukraine"
            rev = reversed_at(k)
            harmed = any(k - 5 <= a and a + n <= k for a, n in harm_marks)
            if harmed:  # "the challenges posed by climate change", "the impact of Russia's war"
                found.append(Target(m.entity, "Negative", m.start, m.end))
                picked_in_seg = True
                last_pick = k + 1
                continue
            if neg_scope and kind != "practice" and \
                    any(fold(t.norm) in lex.practice_heads for t in tokens[s.start:k]):
                continue  # "concerned by attacks on human rights": the attacks are the target, not the rights
            if kind == "practice":
                if not (neg_scope or rev):
                    continue
                polarity = "Positive" if neg_scope and rev else "Negative"
            elif neg_scope:
                if not (first_seg and not picked_in_seg) or rev:
                    continue
                polarity = "Negative"
            else:
                polarity = "Negative" if rev else ("Neutral" if scope.neutral else "Positive")
            found.append(Target(m.entity, polarity, m.start, m.end))
            picked_in_seg = True
            last_pick = k + 1
        after = max([r + 1 for r in reverser_at if s.start <= r < s.end], default=s.start)
        depth_carry = (depth_carry if after == s.start else 0) + \
            sum(1 for t in tokens[after:s.end] if t.norm in lex.prepositions)
        first_seg = False

    that_clause = tokens[start].norm == "that" or scope.cue.expression.endswith("that") or \
        scope.cue.expression.startswith(("share the", "express"))
    if not found:
        found = _free_targets(text, tokens, segs, segs[0].start if segs else start, end, lex, vocab, neg_scope,
                              that_clause, regions,
                              exception_regions, reversed_at, callfor=scope.cue.stance_type == "CallFor",
                              neutral=scope.neutral)

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


def _free_targets(text, tokens, segs, start, end, lex, vocab, neg_scope, that_clause, regions,
                  exception_regions, reversed_at, callfor=False, neutral=False) -> list[Target]:
    """Targets found by their shape where the object names no known norm."""
    out: list[Target] = []
    if that_clause:
        for k in range(start, end - 2):
            if tokens[k].norm in {"right", "rights"} and tokens[k + 1].norm in {"to", "of"}:
                got = _np(text, tokens, k, end, lex)
                if got:
                    i, j, _ = got
                    ent = _np_entity(text, tokens, i, j, "Positive", lex, vocab)
                    out.append(Target(ent, "Positive", tokens[i].start, tokens[j - 1].end))
                break
        return out
    items: list[tuple[int, int]] = []
    cur = start
    party_starts = {m.start for m in vocab.match(text, tokens[start].start, tokens[end - 1].end)
                    if m.entity.kind == "party"}
    party_ends = {m.end for m in vocab.match(text, tokens[start].start, tokens[end - 1].end)
                  if m.entity.kind == "party"}
    for s in segs[1:]:
        nxt = tokens[s.start].norm if s.start < end else ""
        first_word = s.start + (nxt in lex.determiners)
        if first_word < end and tokens[first_word].start in party_starts and \
                tokens[s.jstart - 1].end in party_ends:
            continue  # "progress made by the United States and the EU toward ...": one item
        if s.link in {";", "as well as"} or nxt in lex.determiners:
            items.append((cur, s.jstart))
            cur = s.start
    items.append((cur, end))
    if items and _np(text, tokens, items[0][0], items[0][1], lex, addressee=callfor) is None and (
            tokens[items[0][0]].norm == "to" or tokens[items[0][0] - 1].norm == "to"
            or _starts_action(tokens, _Segment(items[0][0], items[0][1], "", items[0][0]), lex)):
        return out  # the object is a verb phrase ("commit to adapt our approaches ..."), not noun phrases
    for n_item, (a, b) in enumerate(items):
        for x, y in regions + exception_regions:
            if x <= a < y:
                a = y  # "condemn as a violation of this principle any interference ...": after the qualifier
        if a >= b:
            continue
        got = _np(text, tokens, a, b, lex, addressee=callfor)
        if not got:
            continue
        i, j, rev = got
        words = [t for t in tokens[i:j] if t.norm.isalpha() and t.norm not in lex.function_words]
        if n_item and (all(t.raw[:1].isupper() for t in words) or tokens[i].norm == "other"):
            continue  # a name listed after the first item ("the report by the BCBS, the CPMI and IOSCO")
        named = vocab.match(text, tokens[i].start, tokens[j - 1].end)
        if named and named[0].start == tokens[i].start and named[0].end == tokens[j - 1].end:
            continue  # the phrase is a name the vocabulary knows in another role ("the Conference on Disarmament")
        rev = rev or reversed_at(i)
        polarity = "Negative" if neg_scope != rev else ("Neutral" if neutral else "Positive")
        ent = _np_entity(text, tokens, i, j, polarity, lex, vocab)
        if ent.kind == "practice" and polarity == "Positive":
            continue
        out.append(Target(ent, polarity, tokens[i].start, tokens[j - 1].end))
    return out
