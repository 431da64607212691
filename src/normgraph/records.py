"""The small typed records that pipeline stages hand to each other.

Data flows one way: documents -> segment -> mentions -> stances -> graph.  Every
record that points into a text carries code-point offsets into the document text
exactly as it was read (`text[start:end]`), end exclusive.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class DocumentMeta:
    """What a sidecar says (or what was inferred) about a document; SPEC §2."""

    title: str | None = None
    date: dt.date | None = None
    place: str | None = None
    genre: str | None = None
    parties: tuple[str, ...] = ()
    publisher: str | None = None
    source: str | None = None
    language: str | None = None
    reports_on: str | None = None
    symbol: str | None = None


@dataclass(frozen=True)
class Document:
    """A text as read from disk, with its metadata.

    `body_start`/`body_end` bound the part of the text that holds clauses: what
    lies before is front matter (ministry, title, "Updated:"), what lies after is
    back matter (the closing formula, signatures).
    """

    id: str
    path: Path
    text: str
    meta: DocumentMeta
    body_start: int = 0
    body_end: int = 0
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Clause:
    """A numbered paragraph, preamble paragraph, sub-clause or plain paragraph."""

    number: str  # "1", "24", "3(a)", "p1", "5.1"
    start: int
    end: int
    text: str  # == document.text[start:end]
    ordinal: int  # 1-based position among the document's clauses
    kind: str = "paragraph"  # numbered | preamble | sub | paragraph | footnote
    section: str | None = None  # the heading the clause stands under
    parent: str | None = None  # number of the clause a sub-clause belongs to


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Entity:
    """A party, principle, instrument, practice or concept, as the graph names it."""

    iri: str
    kind: str  # party | principle | instrument | practice | concept
    label: str
    types: tuple[str, ...]  # class IRIs, most specific and general (e.g. ng:Treaty, ng:Instrument)
    alt_labels: tuple[str, ...] = ()
    exact_match: tuple[str, ...] = ()
    notation: str | None = None
    in_vocabulary: bool = True


@dataclass(frozen=True)
class Mention:
    """A stretch of text that names an entity."""

    entity: Entity
    start: int
    end: int
    surface: str  # == document.text[start:end]


@dataclass(frozen=True)
class Stance:
    """One (holders, type, target, clause) stance with its evidence span."""

    clause: str
    holders: tuple[str, ...]  # party entity IRIs
    stance_type: str  # local name of the ng:StanceType individual, e.g. "CallFor"
    polarity: str  # Positive | Negative | Neutral
    target: Entity
    start: int
    end: int
    evidence: str  # == document.text[start:end]
    cue: str = ""
    negated: bool = False
    holder_subset: bool = False  # "some States": a subset of the holders, not all of them


@dataclass(frozen=True)
class Relation:
    """A relation between norms stated in a clause (enshrines, partOf, violates, ...)."""

    subject: Entity
    predicate: str  # local name of the ng: property
    object: Entity
    clause: str
    start: int
    end: int


@dataclass(frozen=True)
class Alignment:
    """A report clause matched to the clause of the reported document it summarises."""

    clause: str
    source_document: str
    source_clause: str
    score: float


@dataclass
class Extraction:
    """Everything extracted from one document; the input of graph.py."""

    document: Document
    clauses: list[Clause] = field(default_factory=list)
    mentions: dict[str, list[Mention]] = field(default_factory=dict)  # clause number -> mentions
    stances: list[Stance] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    alignments: list[Alignment] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    authors: tuple[str, ...] = ()  # party IRIs of the authors the stances were read with
    authors_found_in: str = ""  # where they were found: sidecar, title, opening words ...
