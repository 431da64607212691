"""Who holds a stance: the authors of a document and the subjects of its sentences.

Owns: the document's authors (from the sidecar, else inferred from the title
or the opening words, with a warning when nothing names them), and resolving a
subject phrase to holder parties: parties named in full or short ("The People's
Republic of China and the Russian Federation", "China and Russia", "Beijing"),
anaphora ("they", "the two countries", "both sides", "we", "the Parties"),
collective authors ("We, the Leaders of the G7", "The General Assembly") and
partial subjects ("some States", "most members": a subset of the authors).
The expressions are read from ontology/lexicon.ttl.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from normgraph.extract.vocabulary import PhraseIndex, Token, Vocabulary, tokenize
from normgraph.records import Clause, Document

AUTHORS = "authors"  # stands for the document's authors in a group of holders ("President Biden and ...")


@dataclass(frozen=True)
class Holder:
    """A subject phrase resolved to parties."""

    parties: tuple[str, ...]  # party entity IRIs
    start: int
    end: int
    subset: bool = False
    anaphoric: bool = False


@functools.lru_cache(maxsize=64)
def _phrases(vocab: Vocabulary, lexicon: str) -> PhraseIndex:
    """The lexicon's phrases indexed by first token, so a lookup costs the phrases that can start there."""
    index = PhraseIndex(folded=False)
    for term in vocab.terms(lexicon):
        index.add(tuple(t.norm for t in tokenize(term)), True)
    return index


def document_authors(doc: Document, clauses: list[Clause], vocab: Vocabulary) -> tuple[tuple[str, ...], list[str]]:
    """The parties who author the document (IRIs), and warnings about how they were found."""
    ids = [vocab.party(p) for p in doc.meta.parties]
    found = tuple(p.iri for p in ids if p is not None)
    if found:
        return found, []
    # a collective author opening the text: "The General Assembly,", "We, the Leaders of the G7"
    organs = _phrases(vocab, "CollectiveOrgans")
    opening_end = clauses[0].start + 300 if clauses else doc.body_start
    tokens = tokenize(doc.text, 0, min(len(doc.text), max(doc.body_start, opening_end)))
    for k in range(len(tokens)):
        for length, _ in organs.all_at(tokens, k):
            tail = doc.text[tokens[k].start:tokens[min(k + length + 6, len(tokens) - 1)].end]
            parties = [m.entity.iri for m in vocab.match(tail) if m.entity.kind == "party"]
            if parties:
                names = vocab.entities[parties[-1]].label if length < 4 else ", ".join(
                    vocab.entities[p].label for p in parties)
                chosen = (parties[-1],) if length < 4 else tuple(dict.fromkeys(parties))
                return chosen, [f"{doc.path}: no parties in the sidecar; took {names} from the opening words"]
    sources = []
    if doc.meta.title:
        sources.append(("title", doc.meta.title, 0, len(doc.meta.title)))
    sources.append(("front matter", doc.text, 0, doc.body_start))
    if clauses:
        first = clauses[0]
        sources.append(("opening words", doc.text, first.start, min(first.end, first.start + 300)))
    for where, text, start, end in sources:
        parties = tuple(dict.fromkeys(m.entity.iri for m in vocab.match(text, start, end, metonyms=True)
                                      if m.entity.kind == "party"))
        if parties:
            names = ", ".join(vocab.entities[p].label for p in parties)
            return parties, [f"{doc.path}: no parties in the sidecar; took {names} from the {where}"]
    return (), [f"{doc.path}: no parties in the sidecar and none named in the title or opening words; "
                "stances whose holder is 'we' or 'the two sides' get no holder"]


class HolderFinder:
    """Finds subject phrases in a sentence and resolves them to parties."""

    def __init__(self, vocab: Vocabulary, authors: tuple[str, ...]) -> None:
        self.vocab = vocab
        self.authors = authors
        self.anaphora = _phrases(vocab, "HolderAnaphora")
        self.subsets = _phrases(vocab, "SubsetHolders")
        self.collective = _phrases(vocab, "CollectiveOrgans")
        self.titles = _phrases(vocab, "LeaderTitles")

    def _phrase_at(self, tokens: list[Token], i: int, phrases: PhraseIndex) -> int:
        hit = phrases.at(tokens, i)
        return hit[0] if hit else 0

    def find(self, text: str, tokens: list[Token]) -> list[tuple[int, int, Holder]]:
        """Holder phrases as (first token, token count, holder), left to right, not overlapping."""
        if not tokens:
            return []
        party_at: dict[int, tuple[int, str]] = {}
        by_start: dict[int, int] = {}
        by_end: dict[int, int] = {}
        for k, t in enumerate(tokens):
            by_start.setdefault(t.start, k)
            by_end.setdefault(t.end, k)
        for m in self.vocab.match(text, tokens[0].start, tokens[-1].end, metonyms=True):
            if m.entity.kind != "party" or m.form == "demonym":
                continue
            first = by_start[m.start]
            last = by_end[m.end]
            party_at[first] = (last - first + 1, m.entity.iri)
        for start, (length, iri) in self._titled(tokens, party_at).items():
            party_at.setdefault(start, (length, iri))
        out = []
        i = 0
        while i < len(tokens):
            n = self._phrase_at(tokens, i, self.collective)
            if n:
                j = i + n
                named = []
                while j in party_at:  # "We, the Leaders of the G7"
                    length, iri = party_at[j]
                    named.append(iri)
                    j += length
                    if j < len(tokens) and tokens[j].norm in {"and", ","}:
                        j += 1
                parties = tuple(named) or self._organ(tokens, i, n) or self.authors
                out.append((i, max(j, i + n) - i, Holder(parties, tokens[i].start, tokens[max(j, i + n) - 1].end)))
                i = max(j, i + n)
                continue
            if i in party_at:
                j, parties = i, []
                while j in party_at:
                    length, iri = party_at[j]
                    parties.append(iri)
                    j += length
                    k = j
                    while k < len(tokens) and k - j < 3 and tokens[k].norm in {",", "and", "the"}:
                        k += 1
                    joined_by = {tokens[x].norm for x in range(j, k)}
                    after_prep = i > 1 and "of" in {tokens[i - 1].norm, tokens[i - 2].norm}
                    if k > j and k in party_at and ("and" in joined_by or "," in joined_by and not after_prep):
                        j = k
                if i > 0 and tokens[i - 1].norm == "the":
                    i -= 1
                parties = [a for p in parties for a in (self.authors if p == AUTHORS else (p,))]
                out.append((i, j - i, Holder(tuple(dict.fromkeys(parties)), tokens[i].start, tokens[j - 1].end)))
                i = j
                continue
            n = self._phrase_at(tokens, i, self.subsets)
            if n:
                out.append((i, n, Holder(self.authors, tokens[i].start, tokens[i + n - 1].end, subset=True)))
                i += n
                continue
            n = self._phrase_at(tokens, i, self.anaphora)
            if n:
                out.append((i, n, Holder(self.authors, tokens[i].start, tokens[i + n - 1].end, anaphoric=True)))
                i += n
                continue
            i += 1
        return [h for h in out if h[2].parties]

    def _titled(self, tokens: list[Token], party_at: dict[int, tuple[int, str]]) -> dict[int, tuple[int, str]]:
        """Leaders named by title: "the Prime Minister of the Kingdom of Cambodia" (that party),
        "President Biden", "Prime Minister Kishida" (one of the authors: the document's authors)."""
        out: dict[int, tuple[int, str]] = {}
        i = 0
        while i < len(tokens):
            n = self._phrase_at(tokens, i, self.titles)
            if not n:
                i += 1
                continue
            j = i + n
            if j < len(tokens) and tokens[j].norm == "of":
                k = j + 1 + (j + 1 < len(tokens) and tokens[j + 1].norm == "the")
                if k in party_at:
                    out[i] = (k + party_at[k][0] - i, party_at[k][1])
                    i = k + party_at[k][0]
                    continue
            names = 0
            while j + names < len(tokens) and names < 3 and tokens[j + names].raw[:1].isupper() \
                    and tokens[j + names].norm.isalpha() and (j + names) not in party_at:
                names += 1
            if names and self.authors:
                out[i] = (j + names - i, AUTHORS)
            i = j + names
        return out

    def _organ(self, tokens: list[Token], i: int, n: int) -> tuple[str, ...]:
        """'The General Assembly' names an organ that the vocabulary knows as a party."""
        phrase = " ".join(t.raw for t in tokens[i:i + n])
        phrase = re.sub(r"^(the|we,?)\s+", "", phrase, flags=re.IGNORECASE)
        parties = [m.entity.iri for m in self.vocab.match(phrase) if m.entity.kind == "party"]
        return tuple(parties)
