"""Stances: who takes which position toward which norm, from the exact words.

Owns the reading of each sentence into stances:
1. find the cue expressions (cues.py) and the subject phrases (parties.py);
2. keep the cues a holder governs ("main" cues): a cue right after its subject
   (adverbs and auxiliaries between), a cue coordinated with an earlier one
   ("oppose and condemn", "..., and therefore condemn"), or a cue that opens a
   clause with no subject (a resolution's "Reaffirming ...", "Condemns ...":
   the document's authors hold it). Other cues ("States shall refrain ...",
   "when undertaken ...") are nested: they can only turn a polarity. An
   obligation put on a party that is not an author ("Russia must comply with")
   is the authors' call on it; a sentence without a stance verb can still carry
   the authors' stance ("X is unacceptable", "the NPT must be upheld", "Iran's
   actions ... must stop", "X is a source of concern"); a holder's "will" before a verb that is no stance
   verb is a commitment ("We will establish a climate working group"); a
   participle clause after the subject's verb is the subject's ("The leaders
   discussed ..., underscoring ..."); in a speech or a one-party statement every
   cue no holder governs is the speaker's;
3. take each main cue's object (up to the next main cue) and find its targets
   (targets.py), with polarity from the cue type, negation and context;
4. one stance per (holders, type, target, clause), with the shortest evidence
   span that shows holder, verb and target.
Relations between norms stated in the same sentences are read by relations.py.
"""
from __future__ import annotations

from dataclasses import dataclass

from normgraph.extract import relations, targets
from normgraph.extract.cues import Cue, Lexicons, is_adverb, lexicons, skip_adverbs, with_deliverance
from normgraph.extract.parties import Holder, HolderFinder, document_authors, document_finder
from normgraph.extract.vocabulary import Token, Vocabulary, fold, span_tokens, tokens_within
from normgraph.records import Clause, Extraction, Mention, Stance
from normgraph.text.segment import sentences


@dataclass
class MainCue:
    i: int  # first token
    n: int  # token count
    cue: Cue
    holder: Holder | None  # None: the document's authors, implicitly
    negated: bool
    boundary: int  # first token of what joins it to the previous cue (coordinator), or i
    passive: tuple[int, int] | None = None  # "X is supported by Y": the object stands before the verb
    demand: bool = False  # "Russia must comply with ...": the authors' call on another party


def _skip_back(tokens: list[Token], j: int, lex: Lexicons) -> tuple[int, bool]:
    """Walk left over adverbs, auxiliaries and negators; return the index reached and whether negated."""
    negated = False
    while j >= 0:
        t = tokens[j]
        moved = False
        for back in (3, 2, 1):
            k = j - back + 1
            if k < 0:
                continue
            window = tokens[k:j + 1]
            hit = lex.negators.at(window, 0)
            if hit and hit[0] == back:
                negated = True
                j, moved = k - 1, True
                break
            hit = lex.fillers.at(window, 0)
            if hit and hit[0] == back:
                j, moved = k - 1, True
                break
        if moved:
            continue
        if is_adverb(t):
            j -= 1
            continue
        break
    return j, negated


def _is_clause_start(tokens: list[Token], j: int) -> bool:
    """Nothing before, or only a paragraph number ("1.", "(a)")."""
    return all(t.norm.isdigit() or len(t.norm) == 1 and not t.norm.isalpha() or
               (len(t.norm) <= 4 and t.norm.isalpha() and k < 3 and tokens[k + 1].norm in {")", "."})
               for k, t in enumerate(tokens[:j + 1]))


def find_main_cues(text: str, tokens: list[Token], lex: Lexicons, finder: HolderFinder,
                   covered: list[tuple[int, int]]) -> list[MainCue]:
    """The cues that a holder governs in one sentence, in text order."""
    found = with_deliverance(tokens, lex, lex.cues.scan(tokens))
    # the holders matter only to a cue or a "will" of commitment; a sentence with neither is read for
    # holders only when it may name a leader by title (the finder remembers who was named)
    if found or any(t.norm in lex.modal_commitments for t in tokens) or finder.may_name_leader(tokens):
        holders = finder.find(text, tokens)
    else:
        holders = []
    holder_end = {i + n - 1: (i, h) for i, n, h in holders}
    holder_start = {i: (n, h) for i, n, h in holders}
    mains: list[MainCue] = []
    subject: Holder | None = None
    subject_form = None
    main_forms: set[str] = set()  # the forms of the sentence's main cues: a coordinated verb takes one of them
    last_was_main = False
    modal = _modal_commitments(tokens, lex, found, holder_end)
    for i, n, cue in found:
        while modal and modal[0].i < i:  # "We will engage ... and work to detect ...": "work to" is coordinated
            mains.append(modal.pop(0))
            subject, subject_form, last_was_main = mains[-1].holder, "base", True
            main_forms.add("base")
        if any(s <= tokens[i].start < e for s, e in covered):
            continue  # a cue word inside a name ("refrain from the threat ..." as a principle's alias)
        j, negated = _skip_back(tokens, i - 1, lex)
        between = {t.norm for t in tokens[j + 1:i]}  # the adverbs, auxiliaries and negators skipped
        last, last_was_main = last_was_main, False
        by = i + n
        if cue.form == "ed" and by < len(tokens) and tokens[by].norm == "by" and (by + 1) in holder_start \
                and between & lex.be_forms:
            hn, holder = holder_start[by + 1]
            subject_start = next((c + 1 for c in range(j, -1, -1) if tokens[c].norm in {";", ":"}), 0)
            aux = min(x for x in range(j + 1, i) if tokens[x].norm in lex.be_forms)
            mains.append(MainCue(i, n, cue, holder, negated, i, passive=(subject_start, aux)))
            continue
        if j not in holder_end and j > 0 and tokens[j].norm == "," and j - 1 in holder_end and \
                holder_end[j - 1][0] <= 2:
            j -= 1  # "We, the Leaders of the G7, express deep concern ..."
        if j not in holder_end and j > 0 and tokens[j].norm == ",":
            # an apposition between subject and verb: "The United States, including proud Ukrainian-Americans, looks"
            k = next((x for x in range(j - 1, max(-1, j - 10), -1) if tokens[x].norm == ","), None)
            if k is not None and k - 1 in holder_end and tokens[k + 1].norm in lex.elaborations | {"including"}:
                j = k - 1
        if j in holder_end:
            hi, holder = holder_end[j]
            prev = tokens[hi - 1].norm if hi > 0 else ""
            nominative = tokens[hi].norm in lex.subject_pronouns  # "noted they continue to reject": a subject
            if prev in lex.prepositions | lex.subordinators or cue.form == "ing" and prev != "," or \
                    hi > 0 and not nominative and (lex.verbs.at(tokens, hi - 1) or lex.cues.at(tokens, hi - 1)):
                continue  # "help Ukraine defend itself": the party is an object, not the subject
            demand = bool(between & lex.deontic_modals) and \
                not set(holder.parties) <= set(finder.authors) and bool(finder.authors)
            if demand:  # "Russia must comply with its obligations": the authors demand it of Russia
                mains.append(MainCue(i, n, cue, None, negated, hi, demand=True))
                last_was_main = True
                continue
            subject, subject_form = holder, cue.form
            main_forms.add(cue.form)
            mains.append(MainCue(i, n, cue, holder, negated, hi))
            last_was_main = True
            continue
        if j < 0 or _is_clause_start(tokens, j):
            if cue.form in {"ing", "s", "adj", "ed"}:
                mains.append(MainCue(i, n, cue, None, negated, i))
                subject_form = cue.form
                main_forms.add(cue.form)
                last_was_main = True
            continue
        if subject is None and not mains:
            lead = holder_start.get(0) or holder_start.get(1)
            if cue.form == "ing" and j >= 0 and tokens[j].norm == "," and lead is not None:
                # "The leaders discussed ..., underscoring the principle of ...": the sentence's subject
                mains.append(MainCue(i, n, cue, lead[1], negated, j))
                subject, subject_form, last_was_main = lead[1], "ing", True
            continue
        if cue.form == "ing" and tokens[j].norm in lex.gerund_links and j > 0 and tokens[j - 1].norm == ",":
            # "we stand with the international community in condemning Russia's aggression"
            mains.append(MainCue(i, n, cue, subject if mains else None, negated, j - 1))
            last_was_main = True
            continue
        # coordination: "oppose and condemn", "..., and therefore condemn", ", reiterating"
        k = j
        coord = None
        for back in (3, 2, 1):
            start = k - back + 1
            if start < 0:
                continue
            hit = lex.coordinators.at(tokens[start:k + 1], 0)
            if hit and hit[0] == back:
                coord = start
                break
        if coord is None or not last and tokens[coord].norm != ",":
            continue  # "to comply with and strengthen": coordinated with a nested cue
        if cue.form == "ing" and tokens[k].norm != ",":
            continue
        if cue.form != "ing" and subject_form and cue.form not in main_forms and \
                not {cue.form, subject_form} <= {"adj", "base"}:
            continue  # "assert that ..., property ..., must be honored": not the subject's verb
        if cue.form == "ed" and between & lex.be_forms:
            continue  # a passive: "must be honored by States"
        if tokens[i].norm in {"support", "respect", "welcome", "note", "concern"} and i + 1 < len(tokens) \
                and tokens[i + 1].norm in {"for", "of"}:
            continue  # a noun: "support for", "respect for"
        mains.append(MainCue(i, n, cue, subject if mains else None, negated, coord))
        last_was_main = True
    mains = sorted(mains + modal, key=lambda m: m.i)
    if finder.single_voice:
        mains = sorted(mains + _speaker_cues(tokens, lex, found, covered, mains), key=lambda m: m.i)
    return mains + predicate_cues(tokens, lex, covered, bool(finder.authors), mains)


def _modal_commitments(tokens: list[Token], lex: Lexicons, found: list[tuple[int, int, Cue]],
                       holder_end: dict[int, tuple[int, Holder]]) -> list[MainCue]:
    """A holder's "will" before a verb that is no stance verb is a commitment: "We will establish a climate
    working group", "we will hold Russia to account" (the holder commits to what follows)."""
    cue_at = {i for i, _, _ in found}
    out = []
    for i, t in enumerate(tokens[:-1]):
        if t.norm not in lex.modal_commitments:
            continue
        v = skip_adverbs(tokens, i + 1, len(tokens))
        while v < len(tokens) and lex.fillers.at(tokens, v) and tokens[v].norm not in lex.be_forms | \
                lex.negators_words:
            v += lex.fillers.at(tokens, v)[0]
        if v >= len(tokens) or v in cue_at or not tokens[v].norm.isalpha() or not tokens[v].raw.islower() or \
                tokens[v].norm in lex.be_forms | lex.negators_words or i - 1 not in holder_end or \
                lex.uncommitted.at(tokens, v):
            continue  # "we will end up living on a pile of ruins", "we will face ...": no commitment
        hi, holder = holder_end[i - 1]
        out.append(MainCue(i, v - i, Cue("Commit", t.norm, "base"), holder, False, hi))
    return out


def _speaker_cues(tokens: list[Token], lex: Lexicons, found: list[tuple[int, int, Cue]],
                  covered: list[tuple[int, int]], mains: list[MainCue]) -> list[MainCue]:
    """A speech or a one-party statement speaks with one voice: a cue no holder governs ("institutions ...
    strong enough to take a stand against aggression") is the speaker's, unless it is asked of someone
    else ("urge Russia to withdraw") or is a noun ("support for")."""
    taken = {m.i for m in mains}
    out = []
    for i, n, cue in found:
        if i in taken or any(s <= tokens[i].start < e for s, e in covered):
            continue
        j, negated = _skip_back(tokens, i - 1, lex)
        if _addressed(tokens, j, lex) or i + 1 < len(tokens) and tokens[i + 1].norm in {"for", "of"} and \
                cue.form in {"base", "s"}:
            continue
        if cue.form == "adj" and not {t.norm for t in tokens[j + 1:i]} & (lex.be_forms | {"remain", "remains"}):
            continue  # "its aggression against Ukraine": an adjective cue is a predicate only after "is", "remain"
        out.append(MainCue(i, n, cue, None, negated, i))
    return out


def _addressed(tokens: list[Token], j: int, lex: Lexicons) -> bool:
    """The cue after token j is asked of someone else: "urge Russia to withdraw", "call on all States to"."""
    if j < 0 or tokens[j].norm != "to":
        return False
    return any((hit := lex.cues.at(tokens, k)) and hit[1].stance_type == "CallFor" for k in range(max(0, j - 8), j))


def _subject_start(tokens: list[Token], copula: int) -> int:
    """Where the subject of a sentence-level predicate starts: after a clause number or a ';'."""
    start = 0
    for k in range(copula):
        if tokens[k].norm in {";", ":"} or _is_clause_start(tokens, k):
            start = k + 1
    return start


def predicate_cues(tokens: list[Token], lex: Lexicons, covered: list[tuple[int, int]], has_authors: bool,
                   mains: list[MainCue]) -> list[MainCue]:
    """Stances the authors take without a stance verb of their own: "X is unacceptable" (they condemn X),
    "the NPT must be upheld" (they support it)."""
    if not has_authors:
        return []
    out = []
    taken = {m.i for m in mains}
    for c in range(1, len(tokens) - 1):
        if tokens[c].norm in lex.deontic_modals:
            v = skip_adverbs(tokens, c + 1, len(tokens))
            hit = lex.cessations.at(tokens, v) if v < len(tokens) else None
            start = _subject_start(tokens, c)
            transitive = hit is not None and v + hit[0] < len(tokens) and tokens[v + hit[0]].norm[:1].isalnum()
            if hit and start < c and (transitive or tokens[start].norm not in lex.subject_pronouns):
                # "Iran's destabilizing actions ... must stop": the authors oppose what must stop;
                # "The Russian Federation must stop its aggression": what it must stop
                cue = Cue("Oppose", " ".join(t.norm for t in tokens[v:v + hit[0]]), "base")
                after = v + hit[0]
                out.append(MainCue(v, hit[0], cue, None, False, v,
                                   passive=(after, len(tokens)) if transitive else (start, c)))
            continue
        if tokens[c].norm not in lex.be_forms | {"remain", "remains", "remained"}:
            continue
        k = c + 1
        while k < len(tokens) - 1 and tokens[k].norm not in lex.negative_predicates and (
                is_adverb(tokens[k]) or tokens[k].norm in {"and", ","}
                or tokens[k + 1].norm in {"and", ","}):  # "are dangerous and unacceptable"
            k += 1
        start = _subject_start(tokens, c)
        if start >= c or any(tokens[start].norm == w for w in ("we", "they")):
            continue
        if k < len(tokens) and tokens[k].norm in lex.negative_predicates:
            cue = Cue("Condemn", tokens[k].norm, "adj")
            out.append(MainCue(k, 1, cue, None, False, k, passive=(start, c)))
            continue
        concern = lex.concern_predicates.at(tokens, c + 1) if c + 1 < len(tokens) else None
        if concern and c + 1 not in taken:
            cue = Cue("Concern", concern[1], "adj")
            if tokens[start].norm == "it" and start == c - 1:  # "It is a matter of grave concern when ...": after
                out.append(MainCue(c + 1, concern[0], cue, None, False, c + 1))
            else:  # "The situation in the Sahel is a matter of grave concern": the subject
                out.append(MainCue(c + 1, concern[0], cue, None, False, c + 1, passive=(start, c)))
            continue
        modal = c > 0 and tokens[c - 1].norm in lex.deontic_modals and tokens[c].norm == "be"
        v = skip_adverbs(tokens, c + 1, len(tokens) - 1)  # "must be fully implemented"
        hit = lex.cues.at(tokens, v) if modal and v < len(tokens) else None
        if hit and hit[1].form in {"ed", "base"} and v not in taken and \
                not (v + hit[0] < len(tokens) and tokens[v + hit[0]].norm == "by") and \
                not any(s <= tokens[v].start < e for s, e in covered):
            # "The NPT must be upheld as the cornerstone ...": the authors support the NPT
            out.append(MainCue(v, hit[0], hit[1], None, False, v, passive=(start, c - 1)))
    return out


def _proposed_by(vocab: Vocabulary, iri: str, holders: tuple[str, ...]) -> bool:
    """The instrument is one the holders proposed (ng:proposedBy in the vocabulary)."""
    return any(s == iri and p == "proposedBy" and o in holders for s, p, o in vocab.relations)


def _dedupe(found: list[Stance]) -> list[Stance]:
    """One stance per (holders, type, target, clause); no party both for and against one target."""
    out: dict[tuple, Stance] = {}
    polarity: dict[tuple, str] = {}
    for st in sorted(found, key=lambda s: (s.start, s.end - s.start)):
        key = (st.holders, st.stance_type, st.target.iri, st.clause)
        pkey = (st.holders, st.target.iri, st.clause)
        if key in out or polarity.get(pkey, st.polarity) != st.polarity:
            continue
        out[key] = st
        polarity[pkey] = st.polarity
    return sorted(out.values(), key=lambda s: (s.start, s.end, s.stance_type, s.target.iri))


def clause_stances(ex: Extraction, clause: Clause, mentions: list[Mention], vocab: Vocabulary,
                   finder: HolderFinder, authors: tuple[str, ...]) -> list[Stance]:
    """The stances of one clause (and, into ex.relations, the relations it states)."""
    text = ex.document.text
    lex = lexicons(vocab)
    out: list[Stance] = []
    clause_tokens = span_tokens(text, clause.start, clause.end)
    starts = [t.start for t in clause_tokens]
    for sent in sentences(text, clause.start, clause.end):
        tokens = tokens_within(clause_tokens, starts, text, sent.start, sent.end)
        if not tokens:
            continue
        in_sentence = [m for m in mentions if sent.start <= m.start and m.end <= sent.end]
        covered = [(m.start, m.end) for m in in_sentence]
        mains = find_main_cues(text, tokens, lex, finder, covered)
        ex.relations.extend(relations.sentence_relations(text, tokens, in_sentence, clause, lex))
        for k, mc in enumerate(mains):
            scope_end = len(tokens)
            for later in mains[k + 1:]:
                if later.boundary > mc.i + mc.n:
                    scope_end = later.boundary
                    break
            holder = mc.holder
            holders = holder.parties if holder else authors
            if not holders:
                continue
            start = mc.i + mc.n
            if mc.passive:
                start, scope_end = mc.passive
            scope = targets.Scope(tokens=tokens, start=start, end=scope_end, cue=mc.cue,
                                  negated=mc.negated,
                                  neutral=tuple(fold(t.norm) for t in tokens[mc.i:mc.i + mc.n]) in lex.neutral_cues)
            default = vocab.stance_types[mc.cue.stance_type].default_polarity
            for tgt in targets.scope_targets(text, scope, in_sentence, default, lex, vocab, ex.relations,
                                             clause):
                if tgt.polarity == "Neutral" and _proposed_by(vocab, tgt.entity.iri, holders):
                    tgt = targets.Target(tgt.entity, "Positive", tgt.start, tgt.end)  # recalling one's own proposal
                ev_start = min(holder.start if holder else tokens[mc.i].start, tgt.start)
                ev_end = max(tokens[mc.i + mc.n - 1].end, tgt.end, holder.end if holder else 0)
                out.append(Stance(
                    clause=clause.number, holders=tuple(sorted(holders)),
                    stance_type="CallFor" if mc.demand else mc.cue.stance_type,
                    polarity=tgt.polarity, target=tgt.entity, start=ev_start, end=ev_end,
                    evidence=text[ev_start:ev_end], cue=" ".join(t.raw for t in tokens[mc.i:mc.i + mc.n]),
                    negated=mc.negated, holder_subset=bool(holder and holder.subset),
                ))
    return out


def extract_stances(ex: Extraction, vocab: Vocabulary) -> None:
    """Fill ex.stances and ex.relations from ex.clauses and ex.mentions."""
    authors, found_in, warnings = document_authors(ex.document, ex.clauses, vocab)
    ex.warnings.extend(warnings)
    ex.authors, ex.authors_found_in = authors, found_in
    finder = document_finder(ex.document, ex.clauses, vocab, authors)
    found: list[Stance] = []
    for clause in ex.clauses:
        found.extend(clause_stances(ex, clause, ex.mentions.get(clause.number, []), vocab, finder, authors))
    ex.stances = _dedupe(found)
    ex.relations = relations.dedupe(ex.relations)
