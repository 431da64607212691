"""Load the Turtle vocabularies of ontology/ into fast matchers.

Owns: reading every ontology/*.ttl file once per process; the entities they
declare (parties, principles, instruments, practices, concepts) as
`records.Entity`; the stance types with their cue expressions; the extraction
lexicon (lexicon.ttl); and `Vocabulary.match()`, a leftmost-longest matcher of
labels and aliases over a text that returns exact code-point offsets.

Matching works on tokens, so it is insensitive to the things real texts vary
in: case (except for abbreviations and all-capital labels, which must match
exactly, so that "SCO" never matches "disco"), curly versus straight
apostrophes, hyphens and dashes ("non-intervention" = "non intervention"),
and runs of any Unicode space.
"""
from __future__ import annotations

import functools
import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from rdflib import RDF, RDFS, SKOS, Graph, URIRef

from normgraph.namespace import NG
from normgraph.records import Entity
from normgraph.resources import resource_files

KIND_CLASSES = (
    ("party", (NG.Party, NG.State, NG.Organization)),
    ("instrument", (NG.Instrument, NG.Treaty, NG.Declaration, NG.Resolution, NG.DraftInstrument)),
    ("principle", (NG.Principle,)),
    ("practice", (NG.Practice,)),
    ("concept", (NG.Concept,)),
)
GENERAL_CLASS = {"party": NG.Party, "instrument": NG.Instrument, "principle": NG.Principle,
                 "practice": NG.Practice, "concept": NG.Concept}
RELATION_PROPERTIES = ("enshrines", "basedOn", "partOf", "supplements", "violates", "proposedBy")

_TOKEN = re.compile(r"\w+(?:['\u2019]\w+)*|[^\w\s\-\u2010-\u2015]")
_APOS = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})
_CURLY = ("\u2019", "\u2018", "`")
_KEYS: dict[str, str] = {}  # a word's matching key (fold), worked out once per process


class Token(NamedTuple):
    start: int
    end: int
    norm: str  # lower-cased, apostrophes straightened
    raw: str
    key: str  # the matching key, fold(norm), worked out once


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Word and punctuation tokens of text[start:end]; hyphens, dashes and spaces are separators."""
    end = len(text) if end is None else end
    out = []
    curly = any(text.find(c, start, end) >= 0 for c in _CURLY)
    keys = _KEYS
    for m in _TOKEN.finditer(text, start, end):
        a, b = m.span()
        raw = text[a:b]
        if curly:
            raw = raw.translate(_APOS)
        norm = raw.lower()
        key = keys.get(norm)
        if key is None:
            key = keys[norm] = fold(norm)
        out.append(Token(a, b, norm, raw, key))
    return out


@functools.lru_cache(maxsize=512)
def span_tokens(text: str, start: int, end: int) -> tuple[Token, ...]:
    """tokenize(text, start, end), worked out once for a span that several stages read (a clause)."""
    return tuple(tokenize(text, start, end))


def tokens_within(tokens: tuple[Token, ...] | list[Token], starts: list[int], text: str, start: int,
                  end: int) -> list[Token]:
    """tokenize(text, start, end) for a range inside a span whose tokens (and their starts) are known:
    taken from them when no token crosses either end of the range, else worked out again."""
    a, b = bisect_left(starts, start), bisect_left(starts, end)
    if a > 0 and tokens[a - 1].end > start or b > a and tokens[b - 1].end > end:
        return tokenize(text, start, end)
    return list(tokens[a:b])


def _possessives_apart(tokens: list[Token]) -> list[Token]:
    """A possessive is matched without its "'s": "Saudi Arabia's leading role" names Saudi Arabia. A name
    that goes on with a capitalised word ("People's Republic") keeps it."""
    if not any(t.norm.endswith("'s") for t in tokens):
        return tokens
    out = []
    for k, t in enumerate(tokens):
        following = tokens[k + 1].raw if k + 1 < len(tokens) else ""
        if len(t.norm) > 3 and t.norm.endswith("'s") and not following[:1].isupper():
            out.append(Token(t.start, t.end - 2, t.norm[:-2], t.raw[:-2], fold(t.norm[:-2])))
            out.append(Token(t.end - 2, t.end, "'s", "'s", "'s"))
        else:
            out.append(t)
    return out


def _in_parenthetical(tokens: list[Token], k: int) -> bool:
    """Token k is inside, or is a bracket of, "(ABBR)": an upper-case abbreviation in parentheses."""
    for a in range(max(0, k - 2), k + 1):
        if tokens[a].raw == "(" and a + 2 < len(tokens) and tokens[a + 2].raw == ")" and \
                is_exact_case(tokens[a + 1].raw) and a <= k <= a + 2:
            return True
    return False


_POSSESSIVES = {"its", "their", "his", "her", "our", "your", "my"}


def fold(word: str) -> str:
    """A token's matching key: possessive determiners are one word, and a plural 's' is dropped,
    so that "choose its development paths" matches "choose their development path"."""
    if word in _POSSESSIVES:
        return "<poss>"
    if len(word) >= 4 and word.endswith("s") and not word.endswith(("ss", "us", "is", "'s")):
        return word[:-1]
    return word


def is_exact_case(label: str) -> bool:
    """Abbreviations and all-capital labels ("SCO", "U.S.") are matched with their case."""
    letters = [c for c in label if c.isalpha()]
    return bool(letters) and not any(c.islower() for c in letters)


@dataclass(frozen=True)
class Match:
    entity: Entity
    start: int
    end: int
    form: str  # "label", "demonym" or "metonym"


@dataclass(frozen=True)
class StanceTypeInfo:
    name: str  # local name: "CallFor"
    notation: str  # "call_for"
    default_polarity: str  # Positive | Negative | Neutral
    cues: tuple[str, ...]


class PhraseIndex:
    """Token sequences (folded) -> a value; leftmost-longest scan over tokens."""

    def __init__(self, folded: bool = True) -> None:
        self.items: dict[tuple[str, ...], object] = {}
        self.lengths: dict[str, tuple[int, ...]] = {}  # first word -> phrase lengths, longest first
        self.folded = folded  # unfolded: "condemns" and "condemn" stay apart

    def _key(self, t: Token) -> str:
        return t.key if self.folded else t.norm

    def add(self, phrase: str | tuple[str, ...], value: object) -> None:
        key = tuple(self._key(t) for t in tokenize(phrase)) if isinstance(phrase, str) else phrase
        if key:
            self.items.setdefault(key, value)
            self.lengths[key[0]] = tuple(sorted({*self.lengths.get(key[0], ()), len(key)}, reverse=True))

    def all_at(self, tokens: list[Token], i: int) -> Iterator[tuple[int, object]]:
        """Every phrase starting at token i, longest first, as (token count, value)."""
        for length in self.lengths.get(self._key(tokens[i]), ()):
            if i + length <= len(tokens):
                value = self.items.get(tuple(self._key(t) for t in tokens[i:i + length]))
                if value is not None:
                    yield length, value

    def at(self, tokens: list[Token], i: int) -> tuple[int, object] | None:
        """The longest phrase starting at token i, as (token count, value)."""
        lengths = self.lengths.get(tokens[i].key if self.folded else tokens[i].norm)
        if lengths is None:  # most tokens start no phrase
            return None
        items, n = self.items, len(tokens)
        for length in lengths:
            if i + length <= n:
                span = tokens[i:i + length]
                value = items.get(tuple([t.key for t in span] if self.folded else [t.norm for t in span]))
                if value is not None:
                    return length, value
        return None

    def opens(self, t: Token) -> bool:
        """Whether some phrase starts with token t (a cheap test before `at`)."""
        return (t.key if self.folded else t.norm) in self.lengths

    def scan(self, tokens: list[Token]) -> list[tuple[int, int, object]]:
        out, i = [], 0
        lengths, folded = self.lengths, self.folded
        while i < len(tokens):
            t = tokens[i]
            hit = self.at(tokens, i) if (t.key if folded else t.norm) in lengths else None
            if hit:
                out.append((i, hit[0], hit[1]))
                i += hit[0]
            else:
                i += 1
        return out


class _Index:
    """Token n-grams -> entity, for case-folded and exact-case forms."""

    def __init__(self) -> None:
        self.folded: dict[tuple[str, ...], tuple[Entity, str]] = {}
        self.exact: dict[tuple[str, ...], tuple[Entity, str]] = {}
        self.lengths: dict[str, tuple[int, ...]] = {}  # first token (folded) -> n-gram lengths, longest first

    def add(self, form: str, entity: Entity, kind: str) -> None:
        toks = tokenize(form)
        if not toks:
            return
        if is_exact_case(form):
            key = tuple(t.raw for t in toks)
            self.exact.setdefault(key, (entity, kind))
        else:
            key = tuple(t.key for t in toks)
            self.folded.setdefault(key, (entity, kind))
        first = toks[0].key
        self.lengths[first] = tuple(sorted({*self.lengths.get(first, ()), len(toks)}, reverse=True))

    def scan(self, tokens: list[Token]) -> Iterator[tuple[int, int, Entity, str]]:
        """Leftmost-longest matches as (first token index, token count, entity, form)."""
        i, n = 0, len(tokens)
        lengths = self.lengths
        raws = [t.raw for t in tokens]
        keys = [t.key for t in tokens]  # each token folded once, when it was made
        while i < n:
            hit = None
            for length in lengths.get(keys[i], ()):
                if i + length > n:
                    continue
                found = self.exact.get(tuple(raws[i:i + length]))
                if found is None:
                    found = self.folded.get(tuple(keys[i:i + length]))
                if found is not None:
                    hit = (i, length, *found)
                    break
            if hit:
                yield hit
                i += hit[1]
            else:
                i += 1


@dataclass(frozen=True)
class Leader:
    """A head of State or Government as ontology/leaders.ttl knows them."""

    iri: str
    label: str
    party: str  # party IRI
    surnames: tuple[str, ...]
    served_from: int | None = None
    served_until: int | None = None

    def served_in(self, year: int | None) -> bool:
        if year is None or self.served_from is None:
            return True
        return self.served_from - 1 <= year <= (self.served_until or self.served_from) + 1


@dataclass(eq=False)
class Vocabulary:
    """Everything the extractor knows from ontology/*.ttl."""

    graph: Graph
    entities: dict[str, Entity] = field(default_factory=dict)
    parties_by_id: dict[str, Entity] = field(default_factory=dict)
    stance_types: dict[str, StanceTypeInfo] = field(default_factory=dict)
    lexicon: dict[str, tuple[str, ...]] = field(default_factory=dict)
    relations: list[tuple[str, str, str]] = field(default_factory=list)  # (subject, property, object) IRIs
    adverse: frozenset[str] = frozenset()  # concepts texts treat as harms (ng:adverse true)
    leaders: dict[str, tuple[Leader, ...]] = field(default_factory=dict)  # surname (lower case) -> leaders
    _names: _Index = field(default_factory=_Index)
    _aliases: _Index = field(default_factory=_Index)

    def match(self, text: str, start: int = 0, end: int | None = None,
              *, metonyms: bool = False, tokens: list[Token] | None = None) -> list[Match]:
        """Every entity named in text[start:end], leftmost-longest, non-overlapping. `tokens`, when the
        caller has them, are tokenize(text, start, end) already (a range that starts and ends at tokens)."""
        tokens = tokenize(text, start, end) if tokens is None else tokens
        out = [Match(e, tokens[i].start, tokens[i + n - 1].end, form)
               for i, n, e, form in self._names.scan(tokens)]
        apart = _possessives_apart(tokens)
        if len(apart) > len(tokens):  # "Saudi Arabia's leading role": the name before the possessive
            for i, n, e, form in self._names.scan(apart):
                s, t = apart[i].start, apart[i + n - 1].end
                inside = [m for m in out if s <= m.start and m.end <= t]
                if i + n < len(apart) and apart[i + n].norm == "'s" and \
                        not any(m.start < t and s < m.end for m in out if m not in inside):
                    out = [m for m in out if m not in inside]  # "Saudi" inside "Kingdom of Saudi Arabia's"
                    out.append(Match(e, s, t, form))
            out.sort(key=lambda m: m.start)
        # names with a parenthetical abbreviation inside: "the United Nations (UN) at its core"
        in_paren = [_in_parenthetical(tokens, k) for k in range(len(tokens))] \
            if any(t.raw == "(" for t in tokens) else [False] * len(tokens)
        bare = [t for t, inside in zip(tokens, in_paren, strict=True) if not inside]
        if len(bare) < len(tokens):
            paren_starts = [x.start for x, inside in zip(tokens, in_paren, strict=True) if inside]
            for i, n, e, form in self._names.scan(bare):
                s, t = bare[i].start, bare[i + n - 1].end
                spans_paren = any(s < x < t for x in paren_starts)
                crossing = any(m.start < s < m.end or m.start < t < m.end for m in out)
                if n > 1 and spans_paren and not crossing:
                    out = [m for m in out if not (s <= m.start and m.end <= t)]
                    out.append(Match(e, s, t, form))
            out.sort(key=lambda m: m.start)
        if metonyms:
            taken = [(m.start, m.end) for m in out]
            for i, n, e, form in self._aliases.scan(tokens):
                s, t = tokens[i].start, tokens[i + n - 1].end
                if not any(a < t and s < b for a, b in taken):
                    out.append(Match(e, s, t, form))
            out.sort(key=lambda m: m.start)
        return out

    def terms(self, lexicon: str) -> tuple[str, ...]:
        """The strings of one lexicon of lexicon.ttl (e.g. "HolderAnaphora")."""
        try:
            return self.lexicon[lexicon]
        except KeyError:
            raise KeyError(f"lexicon {lexicon!r} is not declared in ontology/lexicon.ttl") from None

    def party(self, party_id: str) -> Entity | None:
        return self.parties_by_id.get(party_id)


def _kind_of(graph: Graph, node: URIRef) -> tuple[str, tuple[URIRef, ...]] | None:
    types = set(graph.objects(node, RDF.type))
    for kind, classes in KIND_CLASSES:
        hits = [c for c in classes if c in types]
        if hits:
            general = GENERAL_CLASS[kind]
            ordered = sorted({*hits, general}, key=lambda c: (c == general, str(c)))
            return kind, tuple(ordered)
    return None


def _literals(graph: Graph, node: URIRef, prop: URIRef) -> list[str]:
    return sorted(str(o) for o in graph.objects(node, prop))


def build_vocabulary(files: list[Path]) -> Vocabulary:
    """Read the given Turtle files into a Vocabulary."""
    graph = Graph()
    for path in files:
        graph.parse(path, format="turtle")
    vocab = Vocabulary(graph=graph)
    for node in sorted(set(graph.subjects(RDF.type, None)), key=str):
        if not isinstance(node, URIRef):
            continue
        kind = _kind_of(graph, node)
        if kind is None:
            continue
        labels = _literals(graph, node, RDFS.label) or _literals(graph, node, SKOS.prefLabel)
        if not labels:
            continue
        alts = [a for a in _literals(graph, node, SKOS.altLabel) if a != labels[0]]
        abbrevs = _literals(graph, node, NG.abbreviation)
        notation = graph.value(node, SKOS.notation)
        entity = Entity(
            iri=str(node), kind=kind[0], label=labels[0], types=tuple(str(c) for c in kind[1]),
            alt_labels=tuple(dict.fromkeys(alts + abbrevs)),
            exact_match=tuple(_literals(graph, node, SKOS.exactMatch)),
            notation=str(notation) if notation is not None else None,
        )
        vocab.entities[entity.iri] = entity
        if kind[0] == "party" and entity.notation:
            vocab.parties_by_id[entity.notation] = entity
        for form in [labels[0], *_literals(graph, node, SKOS.prefLabel), *alts, *abbrevs]:
            vocab._names.add(form, entity, "label")
        for form in _literals(graph, node, NG.demonym):
            vocab._names.add(form, entity, "demonym")
        for form in _literals(graph, node, NG.metonym):
            vocab._aliases.add(form, entity, "metonym")
    for prop in RELATION_PROPERTIES:
        for s, o in graph.subject_objects(NG[prop]):
            if str(s) in vocab.entities and str(o) in vocab.entities:
                vocab.relations.append((str(s), prop, str(o)))
    vocab.relations.sort()
    vocab.adverse = frozenset(str(n) for n, v in graph.subject_objects(NG.adverse) if v.toPython() is True)
    for node in graph.subjects(RDF.type, NG.StanceType):
        name = str(node).rsplit("#", 1)[-1]
        pol = graph.value(node, NG.defaultPolarity)
        vocab.stance_types[name] = StanceTypeInfo(
            name=name,
            notation=str(graph.value(node, SKOS.notation) or name.lower()),
            default_polarity=str(pol).rsplit("#", 1)[-1] if pol is not None else "Neutral",
            cues=tuple(_literals(graph, node, NG.cueExpression)),
        )
    by_surname: dict[str, list[Leader]] = defaultdict(list)
    for node in sorted(graph.subjects(RDF.type, NG.Leader), key=str):
        party = graph.value(node, NG.leaderOf)
        label = graph.value(node, RDFS.label)
        if party is None or label is None:
            continue
        years = [graph.value(node, p) for p in (NG.servedFrom, NG.servedUntil)]
        leader = Leader(str(node), str(label), str(party), tuple(_literals(graph, node, NG.surname)),
                        *(int(str(y)[:4]) if y is not None else None for y in years))
        for name in leader.surnames:
            by_surname[name.lower()].append(leader)
    vocab.leaders = {k: tuple(v) for k, v in sorted(by_surname.items())}
    for node in graph.subjects(RDF.type, NG.Lexicon):
        name = str(node).rsplit("#", 1)[-1]
        vocab.lexicon[name] = tuple(_literals(graph, node, NG.term))
    return vocab


@functools.cache
def _load_default() -> Vocabulary:
    return build_vocabulary([p for p in resource_files("ontology", ".ttl")])


def load_vocabulary(files: list[Path] | None = None) -> Vocabulary:
    """The vocabulary of the packaged ontology/ (read once per process), or of the given files."""
    if files is None:
        return _load_default()
    return build_vocabulary(list(files))
