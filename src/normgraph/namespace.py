"""The IRIs normgraph uses: the ontology namespace `ng:` and the resource namespace.

Every term of the ontology is declared here once, so that a typo in a term is an
AttributeError at import time rather than a silent new IRI.  Code never spells an
IRI string of its own; it goes through `NG`, `ID` and the helpers below.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import quote

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

NG_IRI = "https://w3id.org/normgraph/ontology#"
ID_IRI = "https://w3id.org/normgraph/id/"


class NG(DefinedNamespace):
    """The normgraph ontology (ontology/normgraph.ttl)."""

    _fail = True
    _NS = Namespace(NG_IRI)

    # classes
    Document: URIRef
    Clause: URIRef
    Stance: URIRef
    Party: URIRef
    State: URIRef
    Organization: URIRef
    Norm: URIRef
    Principle: URIRef
    Instrument: URIRef
    Treaty: URIRef
    Declaration: URIRef
    Resolution: URIRef
    DraftInstrument: URIRef
    Practice: URIRef
    Concept: URIRef
    StanceType: URIRef
    Polarity: URIRef
    NormRelation: URIRef
    Alignment: URIRef

    # polarities
    Positive: URIRef
    Negative: URIRef
    Neutral: URIRef

    # stance types
    Reaffirm: URIRef
    Support: URIRef
    Commit: URIRef
    Respect: URIRef
    Welcome: URIRef
    CallFor: URIRef
    Emphasize: URIRef
    Recall: URIRef
    Recognize: URIRef
    Oppose: URIRef
    Condemn: URIRef
    Concern: URIRef

    # concept schemes
    StanceTypes: URIRef
    Principles: URIRef
    Instruments: URIRef
    Parties: URIRef
    Practices: URIRef
    Concepts: URIRef

    # document and clause properties
    clause: URIRef
    inDocument: URIRef
    number: URIRef
    ordinal: URIRef
    text: URIRef
    fullText: URIRef
    start: URIRef
    end: URIRef
    section: URIRef
    subClauseOf: URIRef
    clauseKind: URIRef
    mentions: URIRef
    author: URIRef
    genre: URIRef
    place: URIRef
    symbol: URIRef
    sourceFile: URIRef
    contentHash: URIRef
    reportsOn: URIRef

    # stance properties
    holder: URIRef
    holderSubset: URIRef
    stanceType: URIRef
    polarity: URIRef
    target: URIRef
    inClause: URIRef
    evidence: URIRef
    cue: URIRef
    negated: URIRef

    # relations between norms
    enshrines: URIRef
    basedOn: URIRef
    partOf: URIRef
    supplements: URIRef
    violates: URIRef
    proposedBy: URIRef
    relation: URIRef

    # report alignment
    alignedClause: URIRef
    sourceClause: URIRef
    score: URIRef

    # vocabulary data
    defaultPolarity: URIRef
    cueExpression: URIRef
    abbreviation: URIRef
    adoptionYear: URIRef
    formed: URIRef
    dissolved: URIRef
    demonym: URIRef
    metonym: URIRef
    inVocabulary: URIRef
    adverse: URIRef
    adjective: URIRef
    caseSensitive: URIRef

    # leaders (ontology/leaders.ttl) and how a document's authors were found
    Leader: URIRef
    surname: URIRef
    leaderOf: URIRef
    post: URIRef
    servedFrom: URIRef
    servedUntil: URIRef
    authorsFoundIn: URIRef
    resolutionSeries: URIRef
    decisionSeries: URIRef

    # extraction lexicon (ontology/lexicon.ttl)
    Lexicon: URIRef
    term: URIRef

    # build provenance (rdf/provenance.py)
    sha256: URIRef
    softwareVersion: URIRef
    vocabularySha256: URIRef


class OA(DefinedNamespace):
    """The terms of the W3C Web Annotation vocabulary that normgraph writes (text selectors)."""

    _fail = True
    _NS = Namespace("http://www.w3.org/ns/oa#")

    hasSource: URIRef
    hasSelector: URIRef
    TextPositionSelector: URIRef
    TextQuoteSelector: URIRef
    start: URIRef
    end: URIRef
    exact: URIRef
    prefix: URIRef
    suffix: URIRef


def _made_once(namespace: type[DefinedNamespace]) -> None:
    """Each declared term of `namespace` as a plain class attribute: a DefinedNamespace otherwise makes
    (and checks) a new URIRef at every lookup, and the emitters look terms up for every triple."""
    for name in namespace.__annotations__:
        type.__setattr__(namespace, name, namespace._NS[name])


_made_once(NG)
_made_once(OA)

ID = Namespace(ID_IRI)


def slug(text: str) -> str:
    """A lower-case ASCII slug of `text`, stable across runs and platforms."""
    text = unicodedata.normalize("NFKD", text)
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"['\u2019]", "", text)
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text[:80].rstrip("-") or "x"


def short_hash(*parts: str) -> str:
    """Eight hex digits that identify a tuple of strings deterministically."""
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:8]


# what may stand unescaped in an IRI path segment besides letters and digits (RFC 3987 iunreserved
# and sub-delims, without "'" and "&" that would need escaping again in XML and SPARQL)
_SEGMENT_SAFE = frozenset("-._~!$()*+,;=@")
_NOT_IN_IRI = frozenset(("Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"))


# Turtle's PN_CHARS_BASE above ASCII, cut to RFC 3987's ucschar: the letters a segment keeps as they are, so
# that serialisers may write the IRI as a prefixed name (doc:中文) and every parser reads it back
_KEPT = ((0xC0, 0xD6), (0xD8, 0xF6), (0xF8, 0x2FF), (0x370, 0x37D), (0x37F, 0x1FFF), (0x2070, 0x218F),
         (0x2C00, 0x2FEF), (0x3001, 0xD7FF), (0xF900, 0xFDCF), (0xFDF0, 0xFFEF))


def _is_kept(cp: int) -> bool:
    if cp >= 0x10000:  # the supplementary planes, without each plane's last two code points and plane 14's tags
        return (cp & 0xFFFF) < 0xFFFE and (cp < 0xE0000 or 0xE1000 <= cp < 0xEFFFE) and cp < 0xF0000
    return any(lo <= cp <= hi for lo, hi in _KEPT)


def iri_segment(text: str) -> str:
    """`text` as one IRI path segment that keeps every character: letters of any script stay as they
    are, everything else (space, "/", "%", controls, format characters, signs such as "ª" that
    Turtle's prefixed names cannot start with) is percent-encoded as UTF-8.
    Distinct texts give distinct segments, and `urllib.parse.unquote` gives the text back."""
    out = []
    for ch in text:
        if (ch.isascii() and (ch.isalnum() or ch in _SEGMENT_SAFE)) or (
                _is_kept(ord(ch)) and unicodedata.category(ch) not in _NOT_IN_IRI):
            out.append(ch)
        else:
            out.append(quote(ch, safe="", errors="surrogatepass"))
    return "".join(out)


def document_iri(doc_id: str) -> URIRef:
    """The document's IRI: its id (the file stem) with every character kept, IRI-escaped."""
    return ID[f"doc/{iri_segment(doc_id)}"]


def graph_iri(doc_id: str) -> URIRef:
    """The named graph that holds one document's triples."""
    return ID[f"graph/{iri_segment(doc_id)}"]


def _number(number: str) -> str:
    """A clause number as an IRI segment: kept as written ("3.2", "3(a)", "1-2"), so distinct numbers stay distinct."""
    return quote(number, safe="()-.")


def clause_iri(doc_id: str, number: str) -> URIRef:
    return ID[f"doc/{iri_segment(doc_id)}/clause/{_number(number)}"]


def stance_iri(doc_id: str, number: str, key: str) -> URIRef:
    return ID[f"doc/{iri_segment(doc_id)}/clause/{_number(number)}/stance/{short_hash(key)}"]


def relation_iri(doc_id: str, number: str, key: str) -> URIRef:
    return ID[f"doc/{iri_segment(doc_id)}/clause/{_number(number)}/relation/{short_hash(key)}"]


def alignment_iri(doc_id: str, number: str, key: str) -> URIRef:
    return ID[f"doc/{iri_segment(doc_id)}/clause/{_number(number)}/alignment/{short_hash(key)}"]


def selector_iri(node: URIRef, kind: str) -> URIRef:
    """The Web Annotation selector of a clause or stance: kind is "position" or "quote"."""
    return URIRef(f"{node}/{kind}")


def build_iri(digest: str) -> URIRef:
    """A build (prov:Activity), named by the hash of what it read and the software that ran."""
    return ID[f"build/{digest[:16]}"]


def input_iri(digest: str) -> URIRef:
    """A file a build read (prov:Entity), named by the sha256 of its bytes."""
    return ID[f"input/{digest}"]


def software_iri(version: str) -> URIRef:
    """normgraph at one version, the prov:SoftwareAgent of a build."""
    return ID[f"software/normgraph/{quote(version, safe='.')}"]


def entity_iri(kind: str, key: str) -> URIRef:
    """A vocabulary entity: kind is party, principle, instrument, practice or concept."""
    return ID[f"{kind}/{key if kind == 'party' else slug(key)}"]


def symbol_iri(symbol: str) -> URIRef:
    """An instrument cited by its UN document symbol ("A/RES/47/19"): the same IRI in every document."""
    return ID[f"instrument/symbol/{quote(symbol, safe='/()')}"]


def extracted_iri(kind: str, label: str) -> URIRef:
    """An entity the extractor found outside the vocabulary: one IRI per exact label, in any document."""
    return ID[f"{kind}/{slug(label)[:60].rstrip('-')}-{short_hash(label)[:6]}"]
