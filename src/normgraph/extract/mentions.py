"""Find the parties, principles, instruments, practices and concepts each clause names.

Owns three things, all with exact offsets:
- vocabulary mentions (labels, aliases, abbreviations, demonyms; see vocabulary.py);
- instruments the vocabulary does not know, found by their shape: a capitalised
  title headed by an instrument noun ("the 1994 Convention on Nuclear Safety",
  "Treaty on ...", "Protocol to ...") or a generic instrument being made
  ("a legally binding instrument on plastic pollution", "an additional protocol
  to the Convention"); these become `ng:Instrument` entities marked as not in the
  vocabulary;
- instruments cited by UN document symbol (symbols.py), named frameworks and
  initiatives ("the Indo-Pacific Economic Framework"), principles named in quotes
  ('the principle of "nothing about Ukraine without Ukraine"');
- principles named by a coordination that leaves out the head ("freedom of
  navigation and overflight") and by adjectives of a State ("a sovereign and
  independent nation");
- coreference of instrument and principle anaphora ("the Convention", "this
  universal treaty", "therein", "this principle") to the entity meant, within the
  clause and from earlier clauses.
The head nouns, modifiers and anaphora are read from ontology/lexicon.ttl.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from rdflib import URIRef

from normgraph.extract.symbols import symbol_mentions
from normgraph.extract.vocabulary import Vocabulary, span_tokens
from normgraph.namespace import NG, extracted_iri
from normgraph.records import Clause, Document, Entity, Mention

INSTRUMENT_TYPES = (str(NG.Instrument),)
FUNCTION_WORDS = r"(?:of|the|and|on|in|for|against|to|with|from|by|between|concerning|their|at|under|a|an|or)"
TITLE_WORD = r"(?:[A-Z](?:[\w'\u2019\-]|\.(?=[\w\-]))*|\([A-Z][\w\-]*\)|\d{4})"


def _alternation(terms: tuple[str, ...]) -> str:
    ordered = sorted(terms, key=len, reverse=True)
    return "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in ordered)


@dataclass
class _Patterns:
    title: re.Pattern
    generic: re.Pattern
    anaphora: re.Pattern
    principle_anaphora: re.Pattern
    self_reference: re.Pattern
    named: re.Pattern | None = None
    # what every match of `title` and of `named` contains: a clause without it is not scanned with them
    title_gate: re.Pattern | None = None
    named_gate: re.Pattern | None = None


@functools.lru_cache(maxsize=8)
def _patterns(vocab_id: int, heads: tuple[str, ...], generic_heads: tuple[str, ...],
              modifiers: tuple[str, ...], anaphora: tuple[str, ...], principle_anaphora: tuple[str, ...],
              self_ref: tuple[str, ...], named_heads: tuple[str, ...] = ()) -> _Patterns:
    link = r"(?P<link>on|of|for|against|to|concerning|relating\s+to|between|establishing|regarding)\s+"
    title = re.compile(
        r"(?:\b(?:19|20)\d\d\s+)?(?:\b[Dd]raft\s+)?"
        rf"(?:(?:{TITLE_WORD})\s+){{0,4}}\b(?P<head>{_alternation(heads)})\s+" + link +
        rf"(?P<rest>(?:(?:{TITLE_WORD}|{FUNCTION_WORDS}),?\s+)*{TITLE_WORD})"
        r"(?![\w'\u2019])"
    )
    generic = re.compile(
        rf"\b(?P<det>an?|the)\s+(?P<mods>(?:(?:{_alternation(modifiers)})[\s,]+)+|(?=(?:treaty|convention)\s+"
        r"(?:banning|prohibiting)\b))"
        rf"(?P<head>{_alternation(generic_heads)})\s+(?P<link>to|on|banning|prohibiting)\s+"
        r"(?P<obj>(?:the\s+)?[\w'\u2019\-]+"
        r"(?:\s+(?!that\b|which\b|including\b|to\b|and\b|addressing\b|providing\b)[\w'\u2019\-]+){0,5})",
        re.IGNORECASE,
    )
    return _Patterns(
        title=title,
        generic=generic,
        anaphora=re.compile(rf"\b(?:{_alternation(anaphora)})\b", re.IGNORECASE),
        principle_anaphora=re.compile(rf"\b(?:{_alternation(principle_anaphora)})\b", re.IGNORECASE),
        self_reference=re.compile(rf"\b(?:{_alternation(self_ref)})\b", re.IGNORECASE),
        named=re.compile(
            r"(?<![\w'\u2019\-])(?P<name>(?:(?:19|20)\d\d\s+)?"
            rf"(?!(?:The|A|An|This|That|These|Those|Our|Its|Their|We|In|On|At|By|For|With)\b){TITLE_WORD}\s+"
            rf"(?:(?:{TITLE_WORD}|of|for|on|and|the)\s+){{0,5}}(?:{_alternation(named_heads)}))(?![\w'\u2019\-])"
        ) if named_heads else None,
        title_gate=re.compile(rf"\b(?:{_alternation(heads)})\s+" + link),
        named_gate=re.compile(rf"(?:{_alternation(named_heads)})(?![\w'\u2019\-])") if named_heads else None,
    )


def patterns_for(vocab: Vocabulary) -> _Patterns:
    return _patterns(
        id(vocab), vocab.terms("InstrumentHeads"), vocab.terms("GenericInstrumentHeads"),
        vocab.terms("GenericInstrumentModifiers"), vocab.terms("InstrumentAnaphora"),
        vocab.terms("PrincipleAnaphora"), vocab.terms("DocumentSelfReference"),
        vocab.terms("NamedInstrumentHeads"),
    )


def new_instrument(label: str, alt: str | None = None) -> Entity:
    """An instrument found by its shape, not in the vocabulary."""
    label = re.sub(r"\s+", " ", label).strip()
    alts = (alt,) if alt and alt != label else ()
    return Entity(iri=str(extracted_iri("instrument", label)), kind="instrument", label=label,
                  types=INSTRUMENT_TYPES, alt_labels=alts, in_vocabulary=False)


@dataclass
class Discourse:
    """What earlier clauses of the document named, for coreference."""

    instruments: list[Entity] = field(default_factory=list)
    principles: list[Entity] = field(default_factory=list)

    def note(self, entity: Entity) -> None:
        bucket = self.instruments if entity.kind == "instrument" else (
            self.principles if entity.kind == "principle" else None)
        if bucket is None:
            return
        if entity in bucket:
            bucket.remove(entity)
        bucket.append(entity)


def _overlaps(a: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(a[0] < e and s < a[1] for s, e in spans)


def _resolve_instrument(phrase: str, candidates: list[Entity], here: int = 0) -> Entity | None:
    """The most recent instrument whose name has the anaphor's head noun ('the Convention')."""
    words = phrase.lower().split()
    head = words[-1] if words else ""
    if head in {"therein", "thereof", "thereto", "its"}:
        return candidates[-1] if candidates else None
    if head in {"treaty", "instrument"} and here:  # "this universal treaty": the one named just before
        return candidates[-1]
    for ent in reversed(candidates):  # the most recent instrument whose name has the head noun
        if any(re.search(rf"\b{re.escape(head)}\b", n, re.IGNORECASE) for n in [ent.label, *ent.alt_labels]):
            return ent
    if head in {"treaty", "instrument"} and candidates:  # "this universal treaty": any instrument
        return candidates[-1]
    return None


_QUOTED_PRINCIPLE = re.compile(r"\b[Pp]rinciples?\s+of\s+[\u201c\"](?P<name>[^\u201d\"\n]{3,80})[\u201d\"]")
_ELLIPSIS = re.compile(r"\s*,?\s+(?:and|or|as well as)\s+(?P<rest>[\w\-\u2011]+(?:\s+[\w\-\u2011]+){0,2})")


def elliptic_mentions(text: str, found: list[Mention], vocab: Vocabulary, end: int) -> list[Mention]:
    """Principles named by a coordination that leaves out their head: "freedom of navigation and overflight"
    names the freedom of overflight too, "freedom of trade and navigation" the freedom of navigation."""
    out = []
    for m in found:
        if m.entity.kind != "principle":
            continue
        head = re.match(r"(?P<head>.+?\bof)\s+\S", m.surface)
        follow = _ELLIPSIS.match(text, m.end, end)
        if not head or not follow:
            continue
        words = follow.group("rest").split()
        for n in range(len(words), 0, -1):
            phrase = f"{head.group('head')} {' '.join(words[:n])}"
            hit = vocab.match(phrase)
            if hit and hit[0].start == 0 and hit[0].end == len(phrase) and hit[0].entity.kind == "principle":
                a = follow.start("rest")
                b = a + len(" ".join(words[:n])) if n == 1 else text.index(words[n - 1], a) + len(words[n - 1])
                out.append(Mention(hit[0].entity, a, b, text[a:b]))
                break
    return out


@functools.lru_cache(maxsize=4)
def _adjectives(vocab: Vocabulary) -> tuple[dict[str, Entity], re.Pattern | None, re.Pattern | None]:
    """The adjectives that name principles, the pattern of a list of them before a noun for a State,
    and a pattern of the adjectives alone (a text without one cannot match)."""
    found = {str(a).lower(): vocab.entities[str(p)] for p, a in vocab.graph.subject_objects(NG.adjective)
             if str(p) in vocab.entities}
    nouns = vocab.terms("StateNouns")
    if not found or not nouns:
        return found, None, None
    word = r"[a-z][a-z\-]+"
    return found, re.compile(rf"\b(?P<list>(?:{word},?\s+){{1,5}}(?:and|or)\s+{word}|{word},\s+{word})\s+"
                             rf"(?:{_alternation(nouns)})\b", re.IGNORECASE), \
        re.compile(rf"(?<![A-Za-z\-])(?:{_alternation(tuple(found))})(?![A-Za-z\-])", re.IGNORECASE)


def adjective_mentions(text: str, start: int, end: int, vocab: Vocabulary) -> list[Mention]:
    """Principles attributed by adjectives: "a sovereign and independent nation" names State sovereignty
    and political independence (two adjectives or more before a noun for a State)."""
    adjectives, pattern, gate = _adjectives(vocab)
    if pattern is None or gate is None or not gate.search(text, start, end):
        return []
    out = []
    for m in pattern.finditer(text, start, end):
        for w in re.finditer(r"[A-Za-z\-]+", m.group("list")):
            entity = adjectives.get(w.group().lower())
            if entity is not None:
                a = m.start("list") + w.start()
                out.append(Mention(entity, a, a + len(w.group()), w.group()))
    return out


def author_series(doc: Document, vocab: Vocabulary) -> str | None:
    """The resolution series of the organ that authors the document ("A/RES/" for the General Assembly)."""
    for pid in doc.meta.parties:
        party = vocab.party(pid)
        series = vocab.graph.value(URIRef(party.iri), NG.resolutionSeries) if party else None
        if series is not None:
            return str(series)
    return None


def clause_mentions(doc: Document, clause: Clause, vocab: Vocabulary, discourse: Discourse,
                    series: str | None = None) -> list[Mention]:
    """The mentions of one clause; updates `discourse` with what it names."""
    text = doc.text
    pats = patterns_for(vocab)
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for m in vocab.match(text, clause.start, clause.end, tokens=list(span_tokens(text, clause.start, clause.end))):
        found.append(Mention(m.entity, m.start, m.end, text[m.start:m.end]))
        taken.append((m.start, m.end))
    # instruments cited by UN symbol; they replace the organ named inside them ("Security Council resolution")
    vocab_instruments = [t for t, x in zip(taken, found, strict=True) if x.entity.kind == "instrument"]
    for m in symbol_mentions(text, clause.start, clause.end, vocab, series, vocab_instruments):
        inside = [x for x in found if m.start <= x.start and x.end <= m.end]
        if any(x.start < m.end and m.start < x.end for x in found if x not in inside):
            continue
        found = [x for x in found if x not in inside]
        taken = [t for t in taken if not (m.start <= t[0] and t[1] <= m.end)]
        found.append(m)
        taken.append((m.start, m.end))
    for m in [*elliptic_mentions(text, found, vocab, clause.end),
              *adjective_mentions(text, clause.start, clause.end, vocab)]:
        if not _overlaps((m.start, m.end), taken):
            found.append(m)
            taken.append((m.start, m.end))
    self_refs = [(m.start(), m.end()) for m in pats.self_reference.finditer(text, clause.start, clause.end)]

    def antecedents(before: int, local: bool = False) -> list[Entity]:
        here = [x.entity for x in sorted(found, key=lambda x: x.start)
                if x.entity.kind == "instrument" and x.end <= before]
        return here if local else discourse.instruments + here

    def in_clause(before: int) -> int:
        return sum(1 for x in found if x.entity.kind == "instrument" and x.end <= before)

    # capitalised titles the vocabulary does not know
    titled = pats.title_gate is None or pats.title_gate.search(text, clause.start, clause.end)
    for m in pats.title.finditer(text, clause.start, clause.end) if titled else ():
        span = (m.start(), m.end())
        inside = [x for x in found if span[0] <= x.start and x.end <= span[1]]
        if any(x.entity.kind == "instrument" for x in inside) or _overlaps(span, self_refs) or \
                _overlaps(span, [(x.start, x.end) for x in found if x not in inside]):
            continue
        found = [x for x in found if x not in inside]  # "Declaration of the People's Republic of China ..."
        taken = [t for t in taken if not (span[0] <= t[0] and t[1] <= span[1])]
        found.append(Mention(new_instrument(m.group()), span[0], span[1], m.group()))
        taken.append(span)

    # named frameworks, partnerships and initiatives: "the Indo-Pacific Economic Framework", "the Five Point Consensus"
    named = pats.named and (pats.named_gate is None or pats.named_gate.search(text, clause.start, clause.end))
    for m in pats.named.finditer(text, clause.start, clause.end) if named else ():
        span = (m.start("name"), m.end("name"))
        possessive = [w for w in re.finditer(r"[\w\-]+['\u2019]s\s+", m.group("name"))]
        if possessive:  # "President Biden's Indo-Pacific Economic Framework": the name starts after the owner
            span = (m.start("name") + possessive[-1].end(), span[1])
        if not re.search(r"\s", text[span[0]:span[1]]):
            continue
        if _overlaps(span, [(x.start, x.end) for x in found if x.entity.kind != "party" or
                            not (span[0] <= x.start and x.end <= span[1])]) or _overlaps(span, self_refs):
            continue
        found = [x for x in found if not (span[0] <= x.start and x.end <= span[1])]  # "ASEAN" in "ASEAN Outlook"
        taken = [t for t in taken if not (span[0] <= t[0] and t[1] <= span[1])]
        found.append(Mention(new_instrument(text[span[0]:span[1]]), span[0], span[1], text[span[0]:span[1]]))
        taken.append(span)

    # principles named in quotes: 'the principle of "nothing about Ukraine without Ukraine"'
    for m in _QUOTED_PRINCIPLE.finditer(text, clause.start, clause.end):
        name = m.group("name").strip().rstrip(".,;")
        span = (m.start("name"), m.start("name") + len(name))
        inside = [x for x in found if span[0] <= x.start and x.end <= span[1]]
        if not name or _overlaps(span, [(x.start, x.end) for x in found if x not in inside]):
            continue
        found = [x for x in found if x not in inside]  # "Ukraine" inside "nothing about Ukraine without Ukraine"
        taken = [t for t in taken if not (span[0] <= t[0] and t[1] <= span[1])]
        entity = Entity(iri=str(extracted_iri("principle", name)), kind="principle", label=name,
                        types=(str(NG.Principle),), in_vocabulary=False)
        found.append(Mention(entity, span[0], span[1], text[span[0]:span[1]]))
        taken.append(span)

    # generic instruments being made: "a legally binding protocol to the BTWC"
    for m in pats.generic.finditer(text, clause.start, clause.end):
        first = m.start("mods") if m.group("mods") else m.start("head")
        span = (first, m.end())
        if any(x.entity.kind == "instrument" and x.start < m.start("obj") and x.end > span[0] for x in found):
            continue  # the vocabulary or a title already names it ("the draft Treaty on ...")
        obj = m.group("obj")
        label = text[first:m.end()]
        if m.group("link").lower() == "to":
            inner = [x for x in found if m.start("obj") <= x.start < m.end("obj") + 40
                     and x.entity.kind == "instrument"]
            target = inner[0].entity if inner else _resolve_instrument(obj, antecedents(m.start()))
            if target is None:
                continue
            obj_end = max(m.end(), inner[0].end) if inner else m.end()
            article = "the " if obj.lower().startswith("the ") else ""
            label_full = f"{text[first:m.start('obj')]}{article}{target.label}"
            ent = new_instrument(label_full, re.sub(r"\s+", " ", text[first:obj_end]))
            span = (first, obj_end)
        else:
            ent = new_instrument(label)
        found = [x for x in found if not (span[0] <= x.start and x.end <= span[1] and x.entity.kind != "instrument")]
        found.append(Mention(ent, span[0], span[1], text[span[0]:span[1]]))
        taken.append(span)

    # anaphora: "the Convention", "this universal treaty", "therein"
    for m in pats.anaphora.finditer(text, clause.start, clause.end):
        span = (m.start(), m.end())
        if _overlaps(span, taken) or _overlaps(span, self_refs) or m.group().lower() == "its":
            continue
        local = m.group().lower() in {"therein", "thereof", "thereto"}  # within the clause only
        ent = _resolve_instrument(m.group(), antecedents(m.start(), local), in_clause(m.start()))
        if ent is not None:
            found.append(Mention(ent, span[0], span[1], m.group()))
            taken.append(span)
    for m in pats.principle_anaphora.finditer(text, clause.start, clause.end):
        span = (m.start(), m.end())
        if _overlaps(span, taken):
            continue
        here = [x.entity for x in sorted(found, key=lambda x: x.start)
                if x.entity.kind == "principle" and x.end <= m.start()]
        cands = discourse.principles + here  # "this principle": the most recent principle
        if cands:
            found.append(Mention(cands[-1], span[0], span[1], m.group()))
            taken.append(span)
    found.sort(key=lambda x: (x.start, x.end))
    for x in found:
        discourse.note(x.entity)
    return found


def find_mentions(doc: Document, clauses: list[Clause], vocab: Vocabulary) -> dict[str, list[Mention]]:
    """Clause number -> the mentions in that clause, in text order."""
    discourse = Discourse()
    series = author_series(doc, vocab)
    return {c.number: clause_mentions(doc, c, vocab, discourse, series) for c in clauses}
