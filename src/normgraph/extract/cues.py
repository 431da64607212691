"""Cue expressions of the stance types, in every inflection, as a token matcher.

Owns: deriving the inflected forms of the cue expressions that
ontology/stance-types.ttl lists in their base form ("call for" -> "calls for",
"called for", "calling for"; "be concerned" -> "concerned"), the verbs of
deliverance read as opposition to what follows "from" ("protect the innocent
from terrorism"), and the lexicons of ontology/lexicon.ttl as phrase indexes
over tokens.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

from normgraph.extract.vocabulary import PhraseIndex, Token, Vocabulary, fold, tokenize

VOWELS = set("aeiou")


@dataclass(frozen=True)
class Cue:
    """One inflected form of a cue expression."""

    stance_type: str  # local name, e.g. "CallFor"
    expression: str  # the base form in the vocabulary, e.g. "call for"
    form: str  # base | s | ed | ing | adj


def is_adverb(token: Token) -> bool:
    """A manner adverb by its shape: "firmly", "jointly", "promptly" (words of five letters or more in -ly)."""
    return token.norm.endswith("ly") and token.norm.isalpha() and len(token.norm) > 4


def skip_adverbs(tokens: list[Token], i: int, stop: int) -> int:
    """The first token from i on (before stop) that is not an adverb: "must be fully implemented"."""
    while i < stop and is_adverb(tokens[i]):
        i += 1
    return i


def inflect(verb: str) -> dict[str, set[str]]:
    """The regular forms of an English verb: base, third person -s, past -ed, -ing."""
    v = verb.lower()
    forms = {"base": {v}, "s": set(), "ed": set(), "ing": set()}
    if v.endswith("ee"):  # agree -> agreed, agreeing
        forms["s"].add(v + "s")
        forms["ed"].add(v + "d")
        forms["ing"].add(v + "ing")
    elif v.endswith("e"):
        forms["s"].add(v + "s")
        forms["ed"].add(v + "d")
        forms["ing"].add(v[:-1] + "ing")
    elif v.endswith("y") and len(v) > 2 and v[-2] not in VOWELS:
        forms["s"].add(v[:-1] + "ies")
        forms["ed"].add(v[:-1] + "ied")
        forms["ing"].add(v + "ing")
    else:
        forms["s"].add(v + ("es" if v.endswith(("s", "sh", "ch", "x", "z", "o")) else "s"))
        forms["ed"].add(v + "ed")
        forms["ing"].add(v + "ing")
        if (len(v) >= 3 and v[-1] not in VOWELS | {"w", "x", "y"} and v[-2] in VOWELS
                and v[-3] not in VOWELS):  # commit -> committed, regret -> regretted
            forms["ed"].add(v + v[-1] + "ed")
            forms["ing"].add(v + v[-1] + "ing")
    return forms


def cue_forms(expression: str) -> list[tuple[str, str]]:
    """(form kind, phrase) for every inflection of a cue expression."""
    words = expression.split()
    if words[0] == "be" and len(words) > 1:
        return [("adj", " ".join(words[1:]))]
    if words[0] == "will" or words[0] == "not" or words[0] == "need":
        return [("base", expression)]
    rest = " ".join(words[1:])
    out = []
    for kind, verbs in inflect(words[0]).items():
        for v in verbs:
            out.append((kind, f"{v} {rest}".strip()))
    return out


@dataclass
class Lexicons:
    cues: PhraseIndex
    fillers: PhraseIndex
    coordinators: PhraseIndex
    negators: PhraseIndex
    reversers: PhraseIndex
    violations: PhraseIndex
    exceptions: PhraseIndex
    qualifiers: PhraseIndex
    joiners: PhraseIndex
    modifiers: PhraseIndex
    enshrine: PhraseIndex
    proposal: PhraseIndex
    verbs: PhraseIndex
    openers: PhraseIndex
    neutral_cues: frozenset[tuple[str, ...]]
    practice_heads: frozenset[str]
    generic_heads: frozenset[str]
    non_target_heads: frozenset[str]
    addressee_cues: frozenset[str]
    harms: PhraseIndex
    prepositions: frozenset[str]
    determiners: frozenset[str]
    pronouns: frozenset[str]
    elaborations: frozenset[str]
    addressee_nouns: frozenset[str]
    adverbs: frozenset[str]
    clause_words: frozenset[str]
    function_words: frozenset[str]
    be_forms: frozenset[str]
    subordinators: frozenset[str]
    gerund_links: frozenset[str]
    deontic_modals: frozenset[str]
    negative_predicates: frozenset[str]
    holder_anaphora: PhraseIndex
    effort_nouns: frozenset[str]
    subject_pronouns: frozenset[str]
    cessations: PhraseIndex
    modal_commitments: frozenset[str]
    uncommitted: PhraseIndex
    establishing: PhraseIndex
    body_heads: PhraseIndex
    producing: PhraseIndex
    document_heads: PhraseIndex
    plural_heads: frozenset[str]
    negators_words: frozenset[str]
    deliverance: PhraseIndex
    adverbial_subordinators: frozenset[str]
    concern_predicates: PhraseIndex


def _index(vocab: Vocabulary, name: str, inflected: bool = False) -> PhraseIndex:
    idx = PhraseIndex()
    for term in vocab.terms(name):
        idx.add(term, term)
        if inflected and " " not in term:
            for forms in inflect(term).values():
                for form in forms:
                    idx.add(form, term)
    return idx


def _words(vocab: Vocabulary, name: str) -> frozenset[str]:
    return frozenset(t.lower() for t in vocab.terms(name))


@functools.lru_cache(maxsize=4)
def _lexicons(vocab: Vocabulary) -> Lexicons:
    cues = PhraseIndex(folded=False)
    for name in sorted(vocab.stance_types):
        info = vocab.stance_types[name]
        for expression in info.cues:
            for kind, phrase in cue_forms(expression):
                cues.add(phrase, Cue(name, expression, kind))
    return Lexicons(
        cues=cues,
        fillers=_index(vocab, "VerbGroupFillers"),
        coordinators=_index(vocab, "Coordinators"),
        negators=_index(vocab, "Negators"),
        reversers=_index(vocab, "Reversers"),
        violations=_index(vocab, "ViolationMarkers"),
        exceptions=_index(vocab, "ExceptionMarkers"),
        qualifiers=_index(vocab, "Qualifiers"),
        joiners=_index(vocab, "Continuers"),
        modifiers=_index(vocab, "ModifierPrepositions"),
        enshrine=_index(vocab, "EnshrineMarkers"),
        proposal=_index(vocab, "ProposalMarkers"),
        verbs=_index(vocab, "VerbHeads", inflected=True),
        openers=_index(vocab, "ObjectOpeners"),
        neutral_cues=frozenset(tuple(fold(t.norm) for t in tokenize(x)) for x in vocab.terms("NeutralCues")),
        practice_heads=frozenset(fold(t.lower()) for t in vocab.terms("PracticeHeads")),
        generic_heads=frozenset(t.lower() for t in vocab.terms("GenericHeads")),
        non_target_heads=frozenset(t.lower() for t in vocab.terms("NonTargetHeads")),
        addressee_cues=frozenset(t.lower() for t in vocab.terms("AddresseeCues")),
        harms=_index(vocab, "HarmMarkers"),
        prepositions=_words(vocab, "Prepositions"),
        determiners=_words(vocab, "Determiners"),
        pronouns=_words(vocab, "Pronouns"),
        elaborations=_words(vocab, "Elaborations"),
        addressee_nouns=_words(vocab, "AddresseeNouns"),
        adverbs=_words(vocab, "Adverbs"),
        clause_words=_words(vocab, "ClauseWords"),
        function_words=_words(vocab, "FunctionWords"),
        be_forms=_words(vocab, "BeForms"),
        subordinators=_words(vocab, "Subordinators"),
        gerund_links=_words(vocab, "GerundLinks"),
        deontic_modals=_words(vocab, "DeonticModals"),
        negative_predicates=_words(vocab, "NegativePredicates"),
        holder_anaphora=_index(vocab, "HolderAnaphora"),
        effort_nouns=_words(vocab, "EffortNouns"),
        subject_pronouns=_words(vocab, "SubjectPronouns"),
        cessations=_index(vocab, "CessationPredicates"),
        modal_commitments=_words(vocab, "ModalCommitments"),
        uncommitted=_index(vocab, "UncommittedVerbs", inflected=True),
        establishing=_index(vocab, "EstablishingVerbs", inflected=True),
        body_heads=_index(vocab, "BodyHeads"),
        producing=_index(vocab, "ProducingVerbs", inflected=True),
        document_heads=_index(vocab, "DocumentHeads"),
        plural_heads=_words(vocab, "PluralHeads"),
        negators_words=frozenset(t.lower() for t in vocab.terms("Negators") if " " not in t),
        deliverance=_index(vocab, "DeliveranceVerbs", inflected=True),
        adverbial_subordinators=_words(vocab, "AdverbialSubordinators"),
        concern_predicates=_index(vocab, "ConcernPredicates"),
    )


def lexicons(vocab: Vocabulary) -> Lexicons:
    """The lexicons of a vocabulary, built once per vocabulary."""
    return _lexicons(vocab)


def deliverance_at(tokens: list[Token], i: int, lex: Lexicons) -> tuple[int, str] | None:
    """A verb of deliverance at token i: where its object begins, after its short object and "from"
    ("protect | people from | terrorism"), and the verb's base form; or None."""
    hit = lex.deliverance.at(tokens, i) if lex.deliverance.opens(tokens[i]) else None
    if not hit:
        return None
    for f in range(i + hit[0], min(len(tokens) - 1, i + hit[0] + 5)):
        if tokens[f].norm == "from":
            return (f + 1, hit[1]) if tokens[f + 1].norm[:1].isalnum() else None
        if not tokens[f].norm.replace("'", "").isalnum() or lex.cues.at(tokens, f) or \
                tokens[f].norm in {"and", "or", "that", "which", "who"}:
            return None  # a clause or a list, not the verb's short object
    return None


def with_deliverance(tokens: list[Token], lex: Lexicons,
                     found: list[tuple[int, int, Cue]]) -> list[tuple[int, int, Cue]]:
    """The cues of a sentence with its verbs of deliverance read as opposition to what follows "from":
    "protect people from terrorism", "sheltering us from the use of force" (an Oppose cue that spans the
    verb, its short object and "from", in place of any cue of the verb alone)."""
    extra: list[tuple[int, int, Cue]] = []
    for i in range(len(tokens) - 2):
        hit = deliverance_at(tokens, i, lex)
        if hit is None:
            continue
        end, verb = hit
        word = tokens[i].norm
        form = next((kind for kind, forms in inflect(verb).items() if word in forms and kind != "base"), "base")
        extra.append((i, end - i, Cue("Oppose", f"{verb} from", form)))
    if not extra:
        return found
    spans = [(i, i + n) for i, n, _ in extra]
    kept = [c for c in found if not any(a <= c[0] < b for a, b in spans)]
    return sorted(kept + extra, key=lambda c: c[0])
