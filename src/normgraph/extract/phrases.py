"""Targets found by their shape where a stance's object names no known norm.

Owns reading a noun phrase out of an item of a stance's object ("the system of arms control,
disarmament and non-proliferation treaties"): the openers, addressees and verbs it starts
with are dropped, it stops where a qualifying clause starts, and it becomes a new
ng:Practice or ng:Concept node with a normalised label (one node for "interventions" and
"intervention"); a harm names its source ("the threat posed by the proliferation of ...");
a conduct of two things is two conducts ("the proliferation of unmanned aerial systems and
cruise missiles"); and the rights a that-clause asserts ("States have the right to ...").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from normgraph.extract.cues import Lexicons, deliverance_at, is_adverb, skip_adverbs
from normgraph.extract.items import Segment, starts_action
from normgraph.extract.vocabulary import Token, Vocabulary, fold
from normgraph.namespace import NG, entity_iri, extracted_iri
from normgraph.records import Entity

MAX_WORDS = 12
SUPPORTIVE_TYPES = {"Support", "Commit", "Respect", "Reaffirm", "Emphasize", "Welcome", "CallFor"}


@dataclass(frozen=True)
class Target:
    entity: Entity
    polarity: str
    start: int
    end: int


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


def singular(word: str) -> str:
    """The singular of an English plural noun ("interventions", "approaches", "activities")."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes", "zes")):
        return word[:-2]
    if len(word) >= 4 and word.endswith("s") and not word.endswith(("ss", "us", "is", "ics", "ness", "'s")):
        return word[:-1]
    return word


def _numbered_body(tokens: list[Token], i: int, number: int, lex: Lexicons) -> bool:
    """The number at token `number` ends the name of a body: "Task Force 59", "Working Group 2"."""
    return any((hit := lex.body_heads.at(tokens, k)) and k + hit[0] == number
               for k in range(max(i, number - 3), number))


def noun_phrase(text: str, tokens: list[Token], a: int, b: int, lex: Lexicons,
                addressee: bool = False) -> tuple[int, int, bool] | None:
    """The noun phrase of an item: (first token, end token, reversed), or None for an action or a pronoun."""
    i, reversed_ = a, False
    for _ in range(8):
        moved = False
        for index in (lex.openers, lex.joiners):
            hit = index.at(tokens, i) if i < b else None
            if hit and i + hit[0] < b:
                i += hit[0]
                moved = True
        if i < b - 1 and is_adverb(tokens[i]):
            i = skip_adverbs(tokens, i, b - 1)  # "promptly", "jointly"
            moved = True
        k = i - 1
        while k > 0 and (is_adverb(tokens[k]) or tokens[k].norm in lex.adverbs):
            k -= 1
        after_to = i < b and k >= 0 and tokens[k].norm == "to" and tokens[i].norm not in lex.determiners \
            and tokens[i].norm.isalpha() and not tokens[i].raw[:1].isupper()
        if after_to and not (lex.reversers.at(tokens, i) or lex.cues.at(tokens, i)):
            return None  # "pledge to respond to ...", "look forward to working ...": an action, not a norm
        if i < b and (hit := deliverance_at(tokens, i, lex)) is not None and hit[0] < b:
            i = hit[0]  # "to protect its citizens from terrorism": against terrorism
            reversed_ = moved = True
        elif i < b and (hit := lex.reversers.at(tokens, i)) and i + hit[0] < b:
            i += hit[0]
            reversed_ = moved = True
        elif i + 1 < b and tokens[i].raw.islower() and tokens[i].norm.isalpha() and \
                tokens[i].norm not in lex.function_words and (hit := lex.reversers.at(tokens, i + 1)) and \
                tokens[i + hit[0]].norm in {"of", "to", "on"} and i + 1 + hit[0] < b:
            i += 1 + hit[0]  # "the immediate cessation of violence", "a complete ban on": against what follows
            reversed_ = moved = True
        elif i < b and (hit := lex.cues.at(tokens, i)) and hit[1].stance_type in SUPPORTIVE_TYPES \
                and i + hit[0] < b:
            i += hit[0]
            moved = True
        if not moved:
            break
    after_article = i > 0 and tokens[i - 1].norm in {"the", "a", "an"}  # "the report": a noun, not a verb
    if i >= b or lex.verbs.at(tokens, i) and not after_article or \
            tokens[i].norm in lex.pronouns | lex.prepositions or not tokens[i].norm[:1].isalpha():
        return None
    if i + 3 < b and tokens[i].raw[:1].isupper() and tokens[i + 1].norm == "from" and \
            tokens[i + 2].norm.endswith("ing") and tokens[i + 2].raw.islower():
        # "prevent Iran from developing a nuclear weapon": the conduct is Iran's developing one
        j = i + 3
        while j < b and tokens[j].norm not in {",", ";", ":", ".", "("} and not lex.qualifiers.at(tokens, j) \
                and j - i < MAX_WORDS:
            j += 1
        return i, j, reversed_
    j = i
    generic = False
    in_list = False
    relative = None
    while j < b:
        t = tokens[j].norm
        hyphened = j > i and text[tokens[j - 1].end:tokens[j].start] in {"-", "\u2010", "\u2011"}
        if t in lex.clause_words and j > i and not hyphened:
            break  # "the measures we take together are ...": a clause, not a noun phrase
        if t in {"that", "which", "who"} and j > i and tokens[j - 1].norm in lex.generic_heads and not generic:
            generic = True  # "actions that violate ...": the relative clause says which actions
            relative = j
            j += 1
            continue
        if t == "," and (_adjective_list(tokens, j, b) or
                         in_list and j + 1 < b and tokens[j + 1].norm in {"and", "or"}):
            in_list = True  # "engaging in active, constructive, pragmatic, and focused discussions": one phrase
            j += 1
            continue
        if t == "." and (text[tokens[j].end:tokens[j].end + 1].isalpha() or
                         j > i and len(tokens[j - 1].raw) == 1 and tokens[j - 1].raw.isupper()):
            j += 1  # the dots of "U.S." do not end the phrase
            continue
        if t in {",", ";", "(", ":", ".", '"', "\u201c"} or (lex.qualifiers.at(tokens, j) or
                                                        lex.violations.at(tokens, j)) and not generic or \
                lex.exceptions.at(tokens, j):
            break
        if t in {"and", "or"} and j + 1 < b and ((lex.verbs.at(tokens, j + 1) or lex.cues.at(tokens, j + 1))
                                                 and tokens[j + 1].raw.islower()
                                                 or tokens[j + 1].norm in lex.prepositions):
            break  # "... and address ...", "from the use of force and from economic storms"
        if t in {"and", "or"} and j + 1 < b and fold(tokens[j + 1].norm) in lex.practice_heads and \
                tokens[j + 1].norm.endswith("s") and any(fold(x.norm) in lex.practice_heads for x in tokens[i:j]):
            break  # "Putin's war of choice and attacks on the sovereign nation": two conducts
        if j > i and t.endswith("ing") and tokens[j].raw.islower() and \
                (lex.cues.at(tokens, j) or lex.reversers.at(tokens, j)):
            break  # "the Glasgow Climate Pact urging developed countries ...": a participle clause
        if j > i and t == "by" and j + 1 < b and tokens[j + 1].norm.endswith("ing") and tokens[j + 1].raw.islower():
            break  # "hunger by using all available tools": the means, not the thing
        if j > i and t == "from" and j + 1 < b and (tokens[j + 1].norm.endswith("ing") or
                                                   tokens[j + 1].norm in {"ever", "further", "again"}):
            break  # "prevent such a war from ever happening again": the war, not its happening
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
        v = skip_adverbs(tokens, k + 1, j - 1)  # "to immediately cease"
        rev = lex.reversers.at(tokens, v)
        cue = lex.cues.at(tokens, v)
        if not (rev or cue or lex.verbs.at(tokens, v)):
            continue  # "transparency with regard to nuclear weapons": "to" is a preposition here
        if rev or cue and cue[1].stance_type in SUPPORTIVE_TYPES:
            if not addressee and tokens[k - 1].norm not in lex.addressee_nouns:
                j = k
                break
            got = noun_phrase(text, tokens, v + (rev or cue)[0], j, lex) if v + (rev or cue)[0] < j else None
            return (got[0], got[1], got[2] != bool(rev)) if got else None
        if addressee or tokens[k - 1].norm in lex.addressee_nouns:
            return None  # "urge Russia to withdraw ...": an action asked for, not a norm
        j = k
        break
    words = [k for k in range(past_harm(tokens, i, j, lex), j) if tokens[k].norm.isalnum() and not (
        k > i and text[tokens[k - 1].end:tokens[k].start] in {"-", "\u2010", "\u2011"})]  # "well-being": one word
    if len(words) > MAX_WORDS:
        limit = words[MAX_WORDS]  # cut before the last preposition that keeps it short enough
        j = max((k for k in range(i + 2, limit + 1) if tokens[k].norm in lex.prepositions), default=limit)
    while j > i and (tokens[j - 1].norm in lex.prepositions | lex.determiners | {"and", "or"} or
                     tokens[j - 1].norm.isdigit() and len(tokens[j - 1].norm) <= 2 and tokens[j - 2].norm != "/"
                     and not _numbered_body(tokens, i, j - 1, lex)):
        j -= 1  # trailing function words, and footnote numbers ("... by a number of States 4", not "Task Force 59")
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
    if j < b and tokens[j].norm == "," and tokens[j - 1].raw.islower() and \
            tokens[j - 1].norm.endswith(("al", "ic", "ive", "ous", "ful", "ary", "ible", "able")):
        return None  # "our nations' medical, scientific, ... capabilities": cut inside a list of adjectives
    clause_word = any(tokens[k].norm in lex.clause_words and not (k > i and text[tokens[k - 1].end:tokens[k].start]
                                                              in {"-", "\u2010", "\u2011"}) for k in range(i, j))
    lone_conduct = j - i == 1 and reversed_ and fold(tokens[i].norm) in lex.practice_heads  # "a cessation of violence"
    if j - i < 2 and not lone_conduct or clause_word or tokens[i].norm in lex.non_target_heads \
            or tokens[j - 1].raw.endswith(("'s", "\u2019s")):
        return None  # one word says too little ("opportunities"); a pronoun or finite verb is a clause
    return i, j, reversed_


def phrase_entity(text: str, tokens: list[Token], i: int, j: int, polarity: str, lex: Lexicons,
                  vocab: Vocabulary, skip: tuple[int, int] = (0, 0)) -> Entity:
    """A practice or concept named by the words tokens[i:j] (without tokens[skip[0]:skip[1]], the other
    conjunct of a distributed "of"), with a normalised label."""
    cut = next((k for k in range(i, j) if tokens[k].norm in lex.prepositions | {"that", "which"}), j)
    head = max(cut - 1, i)
    generic = tokens[head].norm in lex.generic_heads
    parts = []
    prev = None
    for k in range(i, j):
        if k == i + 1 and tokens[k].norm == "from" and k + 1 < j and tokens[k + 1].norm.endswith("ing"):
            continue  # "Iran from developing a nuclear weapon" is named "Iran developing a nuclear weapon"
        if skip[0] <= k < skip[1]:
            continue
        raw = text[tokens[k].start:tokens[k].end]
        if k == head and raw.islower() and not generic and raw.lower() not in lex.plural_heads:
            raw = singular(raw)  # "interventions" and "intervention" are one node ("labour standards" stay)
        if prev is not None:
            gap = text[tokens[prev].end:tokens[k].start] if prev == k - 1 else " "
            parts.append(re.sub(r"\s+", " ", gap))
        parts.append(raw)
        prev = k
    label = "".join(parts)

    kind = "practice" if polarity == "Negative" and fold(tokens[head].norm) in lex.practice_heads else "concept"
    for k in (kind, "practice" if kind == "concept" else "concept"):
        iri = str(entity_iri(k, label))
        if iri in vocab.entities:
            return vocab.entities[iri]
    cls = NG.Practice if kind == "practice" else NG.Concept
    return Entity(iri=str(extracted_iri(kind, label)), kind=kind, label=label, types=(str(cls),),
                  in_vocabulary=False)


def established_body(text: str, tokens: list[Token], a: int, b: int, lex: Lexicons) -> Target | None:
    """A body the holders set up or a document they have made: "establish a vaccine expert working group",
    "launching this coming week a transatlantic task force" (an organisation named by what it is), "to
    prepare a report on the implementation of the present resolution" (an instrument)."""
    v = a + (tokens[a].norm == "to")
    for verbs, heads, kind in ((lex.establishing, lex.body_heads, "party"),
                               (lex.producing, lex.document_heads, "instrument")):
        hit = verbs.at(tokens, v) if v < b else None
        if not hit:
            continue
        w = v + hit[0]
        for k in range(w, min(b, w + 12)):
            head = heads.at(tokens, k)
            if not head:
                continue
            end = k + head[0]
            while end < b and tokens[end].norm.isdigit():
                end += 1  # "Task Force 59"
            first = max((x + 1 for x in range(w, k) if tokens[x].norm in lex.determiners), default=w)
            if kind == "instrument":  # "a report on the implementation of the present resolution"
                got = noun_phrase(text, tokens, first, b, lex)
                end = max(end, got[1]) if got and got[0] == first else end
            if first >= end:
                return None
            label = text[tokens[first].start:tokens[end - 1].end]
            types = (str(NG.Organization), str(NG.Party)) if kind == "party" else (str(NG.Instrument),)
            entity = Entity(iri=str(extracted_iri(kind, label)), kind=kind, label=label, types=types,
                            in_vocabulary=False)
            return Target(entity, "Positive", tokens[first].start, tokens[end - 1].end)
    return None


def _gerund_conduct(text: str, tokens: list[Token], a: int, b: int, lex: Lexicons,
                    vocab: Vocabulary) -> Target | None:
    """A conduct named by a gerund in a negative stance's object: "We must stop taking the easy way out,
    blaming institutions for our own political or domestic failures" opposes the blaming."""
    first = tokens[a] if a < b else None
    if first is None or not (first.norm.endswith("ing") and first.raw.islower() and first.norm.isalpha()) or \
            lex.reversers.at(tokens, a) or lex.cues.at(tokens, a):
        return None
    j = a + 1
    while j < b and tokens[j].norm not in {",", ";", ":", ".", "(", "\u2014"} and not lex.qualifiers.at(tokens, j) \
            and j - a < MAX_WORDS:
        j += 1
    while j > a + 1 and tokens[j - 1].norm in lex.prepositions | lex.determiners | {"and", "or"}:
        j -= 1
    if j - a < 2:
        return None
    return Target(phrase_entity(text, tokens, a, j, "Negative", lex, vocab), "Negative",
                  tokens[a].start, tokens[j - 1].end)


def _reversed_object(text: str, tokens: list[Token], a: int, b: int, lex: Lexicons, vocab: Vocabulary,
                     neg_scope: bool, regions: list[tuple[int, int]]) -> list[Target]:
    """What a reversing word inside a verb phrase turns against: "take appropriate measures with a view to
    preventing any dumping of nuclear or radioactive wastes", "taking measures to limit the sale of
    citizenship"."""
    for r in range(a + 1, b - 1):
        hit = lex.reversers.at(tokens, r)
        if not hit or r + hit[0] >= b or any(x <= r < y for x, y in regions):
            continue
        got = noun_phrase(text, tokens, r + hit[0], b, lex)
        if not got:
            return []
        i, j, rev = got
        return phrase_targets(text, tokens, i, j, "Negative" if neg_scope == rev else "Positive", lex, vocab)
    return []


def phrase_targets(text: str, tokens: list[Token], i: int, j: int, polarity: str, lex: Lexicons,
                   vocab: Vocabulary) -> list[Target]:
    """The targets a new noun phrase tokens[i:j] gives: what a harm comes from, each thing of a conduct of two
    things; a practice is never the target of a positive stance."""
    if polarity == "Negative":
        i = past_harm(tokens, i, j, lex)
    out = []
    for skip in of_conjuncts(tokens, i, j, lex) or [(0, 0)]:
        ent = phrase_entity(text, tokens, i, j, polarity, lex, vocab, skip)
        if not (ent.kind == "practice" and polarity == "Positive"):
            out.append(Target(ent, polarity, tokens[i].start, tokens[j - 1].end))
    return out


NOMINAL_ENDINGS = ("tion", "sion", "ment", "ance", "ence", "ing")


def past_harm(tokens: list[Token], i: int, j: int, lex: Lexicons) -> int:
    """Where a phrase that opens with a harm ("the increasing threat posed by the proliferation of ...", "the
    scourge of war") names its source; i when it opens with none."""
    for k in range(i, min(i + 3, j)):
        hit = lex.harms.at(tokens, k)
        if hit and k + hit[0] < j:
            after = k + hit[0]
            while after < j - 1 and tokens[after].norm in lex.determiners:
                after += 1
            # "the threat posed by the proliferation of ...": the conduct; "the threats posed by the DPRK": an
            # agent's conduct, named with the harm
            return after if tokens[after].raw[:1].islower() else i
        if not (tokens[k].raw.islower() and tokens[k].norm.isalpha()) or tokens[k].norm in lex.function_words | \
                lex.prepositions | lex.determiners | {"and", "or"}:
            break  # only adjectives stand before the harm: "the increasing threat posed by"
    return i


def of_conjuncts(tokens: list[Token], i: int, j: int, lex: Lexicons) -> list[tuple[int, int]] | None:
    """A conduct or act of two things distributes: "the proliferation of unmanned aerial systems and cruise
    missiles" names the proliferation of each, "the establishment of Combined Task Force 153 and Task Force
    59" each establishment. Returns the token ranges to leave out for each reading, or None."""
    of = next((k for k in range(i + 1, j) if tokens[k].norm == "of"), None)
    if of is None:
        return None
    head = tokens[of - 1]
    if not head.raw.islower() or not (fold(head.norm) in lex.practice_heads or head.norm.endswith(NOMINAL_ENDINGS)):
        return None
    joins = [k for k in range(of + 1, j) if tokens[k].norm in {"and", "or"}]
    if len(joins) != 1:
        return None
    c = joins[0]
    first, second = tokens[of + 1:c], tokens[c + 1:j]
    if not (1 <= len(first) <= 5 and 1 <= len(second) <= 5):
        return None
    if any(t.norm in lex.prepositions | lex.determiners or not t.norm.replace("-", "").isalnum()
           for t in first[1:] + second):
        return None  # "of weapons ... and their means of delivery": not two objects of one head
    last = first[-1]
    if len(second) > len(first) + 1:
        return None  # "the partial mobilisation of reservists and irresponsible nuclear rhetoric": two things
    if not (last.raw.islower() and last.norm.endswith("s") and not last.norm.endswith(("ss", "us", "is")) or
            last.norm.isdigit() or last.raw.isupper() and len(last.raw) > 1):
        return None  # "the use of chemical and biological weapons", "the establishment of a fair and efficient
        # carbon pricing trajectory", "the Olympic and Paralympic Winter Games": modifiers of one noun
    return [(c, j), (of + 1, c + 1)]


def free_targets(text, tokens, segs, start, end, lex, vocab, neg_scope, that_clause, regions,
                  exception_regions, reversed_at, callfor=False, neutral=False) -> list[Target]:
    """Targets found by their shape where the object names no known norm."""
    out: list[Target] = []
    if that_clause:
        for k in range(start, end - 2):
            if tokens[k].norm in {"right", "rights"} and tokens[k + 1].norm in {"to", "of"}:
                got = noun_phrase(text, tokens, k, end, lex)
                if got:
                    i, j, _ = got
                    ent = phrase_entity(text, tokens, i, j, "Positive", lex, vocab)
                    out.append(Target(ent, "Positive", tokens[i].start, tokens[j - 1].end))
                break
        return out
    relative = next((k for k in range(start, end - 1) if tokens[k].norm == "," and
                     tokens[k + 1].norm in {"which", "who", "whose"}), None)
    if relative is not None and relative > start:
        end = relative  # "welcomed the establishment of Task Force 59, which will enhance ...": what it does
        segs = [x for x in segs if x.start < end]  # is said of it, not welcomed
    items: list[tuple[int, int]] = []
    cur = start
    parties = [m for m in vocab.match(text, tokens[start].start, tokens[end - 1].end, tokens=tokens[start:end])
               if m.entity.kind == "party"]
    party_starts = {m.start for m in parties}
    party_ends = {m.end for m in parties}
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
    bodies = [body for a, b in items if (body := established_body(text, tokens, a, b, lex)) is not None]
    if bodies:
        return bodies
    if neg_scope:  # "stop taking the easy way out, blaming institutions": conducts named by gerunds
        for s in segs:
            if s.link in {"", ",", "and", "or"} and (t := _gerund_conduct(text, tokens, s.start, s.end, lex, vocab)):
                out.append(t)
    if items and noun_phrase(text, tokens, items[0][0], items[0][1], lex, addressee=callfor) is None and (
            tokens[items[0][0]].norm == "to" or tokens[items[0][0] - 1].norm == "to"
            or starts_action(tokens, Segment(items[0][0], items[0][1], "", items[0][0]), lex)):
        # the object is a verb phrase ("commit to adapt our approaches ..."), not noun phrases; a reversing
        # verb inside it names what is opposed: "take appropriate measures with a view to preventing any dumping
        # of nuclear or radioactive wastes", "taking measures to limit the sale of citizenship"
        reversed_object = _reversed_object(text, tokens, items[0][0], items[0][1], lex, vocab, neg_scope,
                                           regions + exception_regions)
        return out + reversed_object
    k_item = 0
    while k_item < len(items):
        n_item, (a, b) = k_item, items[k_item]
        k_item += 1
        got_split = noun_phrase(text, tokens, a, b, lex, addressee=callfor) if neg_scope else None
        if got_split and got_split[1] + 1 < b and tokens[got_split[1]].norm in {"and", "or"} and \
                fold(tokens[got_split[1] + 1].norm) in lex.practice_heads:
            items.insert(k_item, (got_split[1] + 1, b))  # the next conduct of "X and attacks on Y"
        for x, y in regions + exception_regions:
            if x <= a < y:
                a = y  # "condemn as a violation of this principle any interference ...": after the qualifier
        if a >= b:
            continue
        got = noun_phrase(text, tokens, a, b, lex, addressee=callfor)
        if not got:
            # "their commitment to cooperate ... to enhance their capabilities against the increasing threat
            # posed by the proliferation of unmanned aerial systems": what the item reverses
            reversed_object = _reversed_object(text, tokens, a, b, lex, vocab, neg_scope,
                                               regions + exception_regions)
            out += [t for t in reversed_object if t.polarity == "Negative"]
            continue
        i, j, rev = got
        if lex.holder_anaphora.at(tokens, a) or lex.holder_anaphora.at(tokens, i):
            continue  # "..., and the two leaders discussed ...": a new clause, not a noun phrase
        words = [t for t in tokens[i:j] if t.norm.isalpha() and t.norm not in lex.function_words]
        if n_item and (all(t.raw[:1].isupper() for t in words) or tokens[i].norm == "other" and not neg_scope):
            continue  # a name listed after the first item ("the report by the BCBS, the CPMI and IOSCO")
        named = vocab.match(text, tokens[i].start, tokens[j - 1].end, tokens=tokens[i:j])
        if named and named[0].start == tokens[i].start and named[0].end == tokens[j - 1].end:
            continue  # the phrase is a name the vocabulary knows in another role ("the Conference on Disarmament")
        rev = rev or reversed_at(i)
        polarity = "Negative" if neg_scope != rev else ("Neutral" if neutral else "Positive")
        out += phrase_targets(text, tokens, i, j, polarity, lex, vocab)
    return out
