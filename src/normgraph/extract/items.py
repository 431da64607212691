"""The items of a stance's object: where it splits, and which parts qualify rather than name.

Owns cutting the words of a stance's object into items at joiners ("," "and" "as well as"
"such as" ...), finding marker phrases (violation, exception, reversing, modifier) in it, the
regions a violation or exception marker qualifies, and telling a name inside a longer
capitalised or quoted title from a name standing on its own. The words come from
ontology/lexicon.ttl through cues.Lexicons.
"""
from __future__ import annotations

from dataclasses import dataclass

from normgraph.extract.cues import Lexicons
from normgraph.extract.vocabulary import Token


@dataclass
class Segment:
    start: int
    end: int
    joiner: str  # the joiner before the segment as written, e.g. ", in particular"
    jstart: int  # first token of the joiner before the segment

    @property
    def link(self) -> str:
        """The joiner without a leading comma: "in particular", "and", "as well as" ("," for a bare comma)."""
        bare = self.joiner.lstrip(", ").strip()
        return bare or self.joiner.strip()


def segments(tokens: list[Token], start: int, end: int, lex: Lexicons, covered: set[int]) -> list[Segment]:
    segs = []
    cur, joiner, jstart, i = start, "", start, start
    while i < end:
        hit = None if i in covered else lex.joiners.at(tokens, i)
        if hit and i + hit[0] <= end:
            if i > cur:
                segs.append(Segment(cur, i, joiner, jstart))
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
        segs.append(Segment(cur, end, joiner, jstart))
    return segs


def markers(index, tokens: list[Token], start: int, end: int, covered: set[int]) -> list[tuple[int, int]]:
    out, i = [], start
    while i < end:
        hit = None if i in covered or not index.opens(tokens[i]) else index.at(tokens, i)
        if hit and i + hit[0] <= end:
            out.append((i, hit[0]))
            i += hit[0]
        else:
            i += 1
    return out


def starts_action(tokens: list[Token], seg: Segment, lex: Lexicons) -> bool:
    i = seg.start
    if i < seg.end and tokens[i].norm == "to":
        i += 1
    return i < seg.end and lex.verbs.at(tokens, i) is not None and tokens[i].norm not in {"use"}


def qualified_regions(tokens: list[Token], segs: list[Segment], marks: list[tuple[int, int]], lex: Lexicons,
                      negators_before, mention_kind_at, mention_ends) -> list[tuple[int, int]]:
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
                    and not starts_action(tokens, s, lex):
                end = s.end
            else:
                break
        out.append((m, end))
    return out




def inside_name(tokens: list[Token], k: int, mention_end: int, end: int, lex: Lexicons) -> bool:
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


def in_quoted_title(text: str, sentence_start: int, at: int) -> bool:
    """The position is inside a quoted title: 'agenda item entitled “Prevention of an arms race ...”'."""
    before = text[sentence_start:at]
    opened = max(before.rfind("\u201c"), before.rfind('"') if before.count('"') % 2 else -1)
    return opened >= 0 and "\u201d" not in before[opened:] and before[opened + 1:opened + 2].isupper()
