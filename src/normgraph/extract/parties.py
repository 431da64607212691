"""Who holds a stance: the authors of a document and the subjects of its sentences.

Owns: the document's authors (from the sidecar, else inferred from the title
or the opening words, with a warning when nothing names them), and resolving a
subject phrase to holder parties: parties named in full or short ("The People's
Republic of China and the Russian Federation", "China and Russia", "Beijing"),
anaphora ("they", "the two countries", "both sides", "we", "the Parties"),
collective authors ("We, the Leaders of the G7", "The General Assembly") and
partial subjects ("some States", "most members": a subset of the authors).
Beyond the authors' "we", a sentence's subject can name one party alone:
- a leader by title and name ("President Biden underscored ...", "Prime Minister
  Modi of India", "Chinese President Xi Jinping") holds the stance for that
  leader's State only: the State comes from the words themselves ("of India",
  "Chinese"), from the document's own introductions of its leaders, from the
  leaders vocabulary (ontology/leaders.ttl, by surname and year), or, in a
  document by one party, is that party; "he"/"she" and a bare title ("The
  President") refer back to the leader last named;
- the speaker's first person ("I", "my delegation", "my country") is the
  speaking or publishing party;
- joint subjects ("the leaders", "both sides", "they") are every participant:
  in a readout the publisher and the parties its title says were met
  ("Call with Prime Minister Narendra Modi of India"), elsewhere the authors.
The expressions are read from ontology/lexicon.ttl.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from normgraph.extract.vocabulary import PhraseIndex, Token, Vocabulary, tokenize
from normgraph.namespace import NG
from normgraph.records import Clause, Document


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


def document_authors(doc: Document, clauses: list[Clause],
                     vocab: Vocabulary) -> tuple[tuple[str, ...], str, list[str]]:
    """The parties who author the document (IRIs), where they were found ("sidecar", "opening words",
    "title" ...), and warnings that say how they were found when no sidecar names them."""
    ids = [vocab.party(p) for p in doc.meta.parties]
    found = tuple(p.iri for p in ids if p is not None)
    if found:
        return found, "sidecar", []
    # a collective author opening the text: "The General Assembly,", "We, the Leaders of the G7"
    organs = _phrases(vocab, "CollectiveOrgans")
    opening_end = clauses[0].start + 400 if clauses else doc.body_start
    tokens = tokenize(doc.text, 0, min(len(doc.text), max(doc.body_start, opening_end)))
    finder = HolderFinder(vocab, ())
    for k in range(len(tokens)):
        for length, _ in organs.all_at(tokens, k):
            if length >= 4:  # "We, the leaders of the European Commission, France, ... and the United States"
                held = [h for i, n, h in finder.find(doc.text, tokens[k:]) if i == 0]
                parties = list(held[0].parties) if held else []
            else:  # "The General Assembly,": the organ itself
                tail = doc.text[tokens[k].start:tokens[min(k + length + 6, len(tokens) - 1)].end]
                parties = [m.entity.iri for m in vocab.match(tail) if m.entity.kind == "party"][-1:]
            if parties:
                chosen = tuple(dict.fromkeys(parties))
                names = ", ".join(vocab.entities[p].label for p in chosen)
                return chosen, "opening words", [
                    f"{doc.path}: no parties in the sidecar; took {names} from the opening words"]
    sources = []
    if doc.meta.title:
        sources.append(("title", doc.meta.title, 0, len(doc.meta.title)))
    sources.append(("front matter", doc.text, 0, doc.body_start))
    if clauses:
        first = clauses[0]
        sources.append(("opening words", doc.text, first.start, min(first.end, first.start + 300)))
    for where, text, start, end in sources:
        parties = _named_parties(finder, vocab, text[:end], start, doc.meta.genre)
        if parties:
            names = ", ".join(vocab.entities[p].label for p in parties)
            return parties, where, [f"{doc.path}: no parties in the sidecar; took {names} from the {where}"]
    return (), "", [f"{doc.path}: no parties in the sidecar and none named in the title or opening words; "
                "stances whose holder is 'we' or 'the two sides' get no holder"]


def _named_parties(finder: HolderFinder, vocab: Vocabulary, text: str, start: int,
                   genre: str | None) -> tuple[str, ...]:
    """The parties a title or an opening names as its authors: by name or by a leader's title and name
    ("Joint Statement by President Biden and Prime Minister Kishida"). In a readout the parties met
    ("Call with Prime Minister Modi of India") are not authors; a speech is the speaking State's alone,
    not the Assembly's it was delivered to."""
    tokens = tokenize(text, start)
    if not tokens:
        return ()
    party_at, demonyms = finder._parties(text, tokens)
    for k, hit in finder._titled(tokens, party_at, demonyms).items():
        party_at.setdefault(k, hit)
    met = next((k for k, t in enumerate(tokens) if t.norm == "with"), len(tokens)) if genre == "readout" \
        else len(tokens)
    found = [iri for k, (_, iri) in sorted(party_at.items()) if k < met]
    if genre == "speech":
        states = [iri for iri in found if str(NG.State) in vocab.entities[iri].types]
        found = states or found
    finder.last_leader, finder.last_by_title = None, {}
    return tuple(dict.fromkeys(found))


def document_finder(doc: Document, clauses: list[Clause], vocab: Vocabulary,
                    authors: tuple[str, ...]) -> HolderFinder:
    """The holder finder of one document: its authors, the leaders it introduces, and, for a
    readout, the parties its leader met (named in the title or the opening sentence by a leader's
    title, or after "with")."""
    year = doc.meta.date.year if doc.meta.date else None
    finder = HolderFinder(vocab, authors, year=year)
    met: list[str] = []
    openings = [doc.meta.title or ""]
    if clauses:
        first = clauses[0]
        openings.append(doc.text[first.start:min(first.end, first.start + 400)])
    for text in openings:
        tokens = tokenize(text)
        if not tokens:
            continue
        party_at, demonyms = finder._parties(text, tokens)
        met += [iri for _, iri in finder._titled(tokens, party_at, demonyms).values()]
        met += [iri for k, (_, iri) in party_at.items() if k > 0 and tokens[k - 1].norm == "with"
                or k > 1 and tokens[k - 1].norm == "the" and tokens[k - 2].norm == "with"]
    finder.last_leader, finder.last_by_title = None, {}
    finder.single_voice = len(authors) == 1 and doc.meta.genre in {"speech", "statement"}
    if doc.meta.genre == "readout" or (doc.meta.title or "").lower().startswith("readout"):
        finder.participants = tuple(dict.fromkeys([*authors, *met]))
    return finder


class HolderFinder:
    """Finds subject phrases in a sentence and resolves them to parties.

    It reads a document's sentences in order and remembers the leader last named as a subject,
    so that "He also underscored ..." is held by that leader's State."""

    def __init__(self, vocab: Vocabulary, authors: tuple[str, ...], participants: tuple[str, ...] = (),
                 year: int | None = None) -> None:
        self.vocab = vocab
        self.authors = authors
        self.participants = participants or authors
        self.known_leaders: dict[str, str] = {}  # surname (lower case) -> party IRI, from the document itself
        self.year = year
        self.anaphora = _phrases(vocab, "HolderAnaphora")
        self.speaker = _phrases(vocab, "SpeakerHolders")
        self.joint = _phrases(vocab, "JointHolders")
        self.pronouns = _phrases(vocab, "LeaderPronouns")
        self.subsets = _phrases(vocab, "SubsetHolders")
        self.collective = _phrases(vocab, "CollectiveOrgans")
        self.titles = _phrases(vocab, "LeaderTitles")
        self.plural_titles = _phrases(vocab, "LeaderTitlesPlural")
        # the words a collective or pronominal holder phrase can start with: other tokens are passed over at once
        self.opening_words = frozenset().union(*(index.lengths for index in (
            self.collective, self.subsets, self.speaker, self.pronouns, self.joint, self.anaphora)))
        self.single_voice = False  # a speech or a statement by one party: every unattributed cue is the speaker's
        self.last_leader: str | None = None  # party of the leader last named as a subject
        self.last_by_title: dict[tuple[str, ...], str] = {}

    def may_name_leader(self, tokens: list[Token]) -> bool:
        """Whether a leader's title can start in the tokens: only then does `find` learn who was named."""
        return any(self.titles.opens(t) or self.plural_titles.opens(t) for t in tokens)

    def _phrase_at(self, tokens: list[Token], i: int, phrases: PhraseIndex) -> int:
        hit = phrases.at(tokens, i)
        return hit[0] if hit else 0

    def leader_party(self, surnames: list[str]) -> str | None:
        """The party of a leader named by surname: the document's own introductions first, then the
        leaders vocabulary (in office in the document's year), then the one author of a one-party text."""
        for name in surnames:
            if name.lower() in self.known_leaders:
                return self.known_leaders[name.lower()]
        for name in reversed(surnames):
            found = {x.party for x in self.vocab.leaders.get(name.lower(), ()) if x.served_in(self.year)}
            if len(found) == 1:
                return found.pop()
        return self.authors[0] if len(self.authors) == 1 else None

    def find(self, text: str, tokens: list[Token]) -> list[tuple[int, int, Holder]]:
        """Holder phrases as (first token, token count, holder), left to right, not overlapping."""
        if not tokens:
            return []
        party_at, demonyms = self._parties(text, tokens)
        titled = self._titled(tokens, party_at, demonyms)
        for start, (length, iri) in titled.items():
            party_at.setdefault(start, (length, iri))
        out = []
        i = 0
        while i < len(tokens):
            if i not in party_at and tokens[i].norm not in self.opening_words:
                i += 1
                continue
            n = self._phrase_at(tokens, i, self.collective)
            if n:
                j = i + n
                named = []
                while True:  # "We, the Leaders of the G7", "We, the leaders of the European Commission, France, ..."
                    if j + 1 < len(tokens) and tokens[j].norm == "the" and j + 1 in party_at:
                        j += 1
                    if j not in party_at:
                        break
                    length, iri = party_at[j]
                    named.append(iri)
                    j += length
                    while j < len(tokens) and tokens[j].norm in {"and", ","} and \
                            (j + 1 in party_at or j + 2 < len(tokens) and tokens[j + 1].norm in {"and", "the"}):
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
                if len(parties) == 1 and i in titled:
                    self.last_leader = parties[0]
                if i > 0 and tokens[i - 1].norm == "the":
                    i -= 1
                out.append((i, j - i, Holder(tuple(dict.fromkeys(parties)), tokens[i].start, tokens[j - 1].end)))
                i = j
                continue
            hit = self._pronominal(tokens, i)
            if hit:
                n, parties, kind = hit
                out.append((i, n, Holder(parties, tokens[i].start, tokens[i + n - 1].end,
                                         subset=kind == "subset", anaphoric=kind == "anaphoric")))
                i += n
                continue
            i += 1
        return [h for h in out if h[2].parties]

    def _pronominal(self, tokens: list[Token], i: int) -> tuple[int, tuple[str, ...], str] | None:
        """A subject that names no party itself: (token count, parties, kind) for "some States" (a subset
        of the authors), "my delegation" (the speaker), "he" (the leader last named), "the leaders" (every
        participant), "we" (the authors)."""
        for phrases, parties, kind in ((self.subsets, self.authors, "subset"),
                                       (self.speaker, self.authors, "speaker"),
                                       (self.pronouns, (self.last_leader,) if self.last_leader else (), "leader"),
                                       (self.joint, self.participants, "anaphoric"),
                                       (self.anaphora, self.authors, "anaphoric")):
            n = self._phrase_at(tokens, i, phrases)
            if n:
                return n, parties, kind
        return None

    def _parties(self, text: str, tokens: list[Token]) -> tuple[dict[int, tuple[int, str]], dict[int, str]]:
        """Parties named in the sentence (first token -> token count, IRI), and demonyms (last token -> IRI)."""
        party_at: dict[int, tuple[int, str]] = {}
        demonyms: dict[int, str] = {}
        first_of = {t.start: k for k, t in enumerate(tokens)}
        last_of = {t.end: k for k, t in enumerate(tokens)}
        for m in self.vocab.match(text, tokens[0].start, tokens[-1].end, metonyms=True, tokens=tokens):
            if m.entity.kind != "party" or m.start not in first_of or m.end not in last_of:
                continue
            if m.form == "demonym":
                demonyms[last_of[m.end]] = m.entity.iri
                continue
            party_at[first_of[m.start]] = (last_of[m.end] - first_of[m.start] + 1, m.entity.iri)
        return party_at, demonyms

    def _name_end(self, tokens: list[Token], j: int, party_at: dict[int, tuple[int, str]]) -> int:
        """The token after a personal name that starts at j: "Joseph R. Biden, Jr.", "Narendra Modi"."""
        k = j
        while k < len(tokens) and k - j < 6 and k not in party_at:
            t = tokens[k]
            if t.raw[:1].isupper() and t.norm.isalpha():
                k += 1
                if len(t.norm) == 1 and k < len(tokens) and tokens[k].norm == ".":
                    k += 1  # an initial: "R."
                continue
            if t.raw[:1].isupper() and t.norm.endswith("'s") and t.norm[:-2].isalpha():
                return k + 1  # a possessive ends the name: "President Biden's call"
            if t.norm == "," and k + 1 < len(tokens) and tokens[k + 1].norm in {"jr", "sr"} and k > j:
                k += 2 + (k + 2 < len(tokens) and tokens[k + 2].norm == ".")
                continue
            break
        return k

    def _titled(self, tokens: list[Token], party_at: dict[int, tuple[int, str]],
                demonyms: dict[int, str]) -> dict[int, tuple[int, str]]:
        """Leaders named by title, as (first token -> token count, party IRI): "the Prime Minister of the
        Kingdom of Cambodia", "Prime Minister Narendra Modi of India", "Chinese President Xi Jinping",
        "President Biden" (by surname); a bare "The President" is the leader last named with that title."""
        out: dict[int, tuple[int, str]] = {}
        i = 0
        while i < len(tokens):
            if not (self.plural_titles.opens(tokens[i]) or self.titles.opens(tokens[i])):
                i += 1
                continue
            n = self._phrase_at(tokens, i, self.plural_titles)
            if n and tokens[i].raw[:1].isupper():  # "Presidents Biden and Lula": one leader a name
                j, first = i + n, i
                while j < len(tokens):
                    end = self._name_end(tokens, j, party_at)
                    party = self.leader_party([t.raw for t in tokens[j:end] if t.norm.isalpha()]) \
                        if end > j else None
                    if party is None:
                        break
                    out[first] = (end - first, party)
                    j = end + (end < len(tokens) and tokens[end].norm in {"and", ","})
                    j += j < len(tokens) and tokens[j].norm == "and"
                    first = j
                i = max(j, i + n)
                continue
            n = self._phrase_at(tokens, i, self.titles)
            if not n or not tokens[i].raw[:1].isupper():
                i += 1
                continue
            title = tuple(t.norm for t in tokens[i:i + n])
            j = self._name_end(tokens, i + n, party_at)
            surnames = [t.raw.removesuffix("'s") for t in tokens[i + n:j]
                        if t.norm.removesuffix("'s").isalpha() and len(t.norm) > 1 and t.norm not in {"jr", "sr"}]
            first, end, party = i, j, None
            k = j + (j < len(tokens) and tokens[j].norm == ",")
            if k < len(tokens) and tokens[k].norm == "of":
                k += 1 + (k + 1 < len(tokens) and tokens[k + 1].norm == "the")
                if k in party_at:
                    party, end = party_at[k][1], k + party_at[k][0]
                    for name in surnames:  # the text introduces this leader: later "Prime Minister Modi"
                        self.known_leaders.setdefault(name.lower(), party)
            if party is None and i - 1 in demonyms:
                party, first = demonyms[i - 1], i - 1
            if party is None and surnames:
                party = self.leader_party(surnames)
            if party is None and not surnames and i > 0 and tokens[i - 1].norm == "the":
                party = self.last_by_title.get(title) or (self.authors[0] if len(self.authors) == 1 else None)
            if party is not None:
                out[first] = (end - first, party)
                self.last_by_title[title] = party
            i = max(end, i + n)
        return out

    def _organ(self, tokens: list[Token], i: int, n: int) -> tuple[str, ...]:
        """'The General Assembly' names an organ that the vocabulary knows as a party."""
        phrase = " ".join(t.raw for t in tokens[i:i + n])
        phrase = re.sub(r"^(the|we,?)\s+", "", phrase, flags=re.IGNORECASE)
        parties = [m.entity.iri for m in self.vocab.match(phrase) if m.entity.kind == "party"]
        return tuple(parties)
