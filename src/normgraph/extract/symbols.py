"""Instruments cited by UN document symbol: one node per symbol, the same in every document.

Owns reading the citation shapes of the United Nations' documents:
- "resolution 2625 (XXV)", "resolution 47/19", "decision 76/563" and enumerations of them
  ("its resolutions 47/19 of 24 November 1992, 48/16 of 3 November 1993 ... and 79/7");
- "Security Council resolution 1701 (2006)", "Human Rights Council resolution 31/1",
  "Economic and Social Council resolution 1980/67": the organ named before the word
  "resolution" gives the symbol's series; without one, a number "N (YYYY)" is the Security
  Council's and "N/M" or "N (XXV)" the General Assembly's (in a resolution, "its
  resolutions" are the author's own series);
- special and emergency special sessions: "resolution S-10/2", "resolution ES-11/1";
- symbols as written: "A/RES/77/7", "S/RES/2231 (2015)".
Each citation becomes the canonical symbol ("A/RES/47/19", "S/RES/1701(2006)", "A/DEC/76/563");
where the vocabulary names the same symbol ("resolution 2625 (XXV)" is the Friendly Relations
Declaration) that entity is used, otherwise a new `ng:Resolution` with the IRI of its symbol.
The organs and their series are data: `ng:resolutionSeries` and `ng:decisionSeries` on the
organ's party in ontology/parties.ttl.
"""
from __future__ import annotations

import functools
import re

from normgraph.extract.vocabulary import Vocabulary
from normgraph.namespace import NG, symbol_iri
from normgraph.records import Entity, Mention

_NUMBER = (r"(?:E?S-)?\d{1,5}(?:/\d{1,5}(?:\s?[A-Z](?![\w/]))?|\s[A-Z](?=\s*\([IVXLC]))?"
           r"(?:\s*\((?:[IVXLC]{1,8}|\d{4})\))?")
_DATE = r"(?:\s+of\s+\d{1,2}\s+[A-Z][a-z]+\s+\d{4})?"
_SEP = r"(?:\s*,\s*(?:and\s+)?|\s+and\s+)"
_WRITTEN = re.compile(r"\b(?P<symbol>(?:A|S|E)(?:/HRC)?/RES/(?:E?S-)?\d{1,5}(?:/\d{1,5})?"
                      r"(?:\s*\((?:\d{4}|[IVXLC]+)\))?)")
_ROMAN = re.compile(r"^[IVXLC]+$")
_DIGIT = re.compile(r"\d")
_DATED = re.compile(r"(?<![\w/])(?P<number>\d{1,5}/\d{1,5})\s+of\s+\d{1,2}\s+[A-Z][a-z]+\s+\d{4}")


@functools.lru_cache(maxsize=4)
def _organs(vocab: Vocabulary) -> tuple[re.Pattern, dict[str, tuple[str, str]], dict[str, Entity]]:
    """The pattern of citations, organ name (lower case) -> (resolution series, decision series),
    and canonical symbol -> the vocabulary entity that names it."""
    series: dict[str, tuple[str, str]] = {}
    default = ("A/RES/", "A/DEC/")
    for node, res in vocab.graph.subject_objects(NG.resolutionSeries):
        entity = vocab.entities.get(str(node))
        if entity is None:
            continue
        dec = vocab.graph.value(node, NG.decisionSeries)
        for name in (entity.label, *entity.alt_labels):
            if " " in name:
                series[name.lower()] = (str(res), str(dec) if dec is not None else "")
    names = sorted(series, key=len, reverse=True)
    organ = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names) or "(?!)"
    pattern = re.compile(
        rf"(?:\b(?P<organ>{organ}|Council)\s+)?\b(?P<kind>[Rr]esolutions?|[Dd]ecisions?)\s+"
        rf"(?P<list>{_NUMBER}{_DATE}(?:{_SEP}(?:its\s+)?{_NUMBER}{_DATE})*)", re.IGNORECASE)
    known: dict[str, Entity] = {}
    for entity in vocab.entities.values():
        if entity.kind != "instrument":
            continue
        for name in (entity.label, *entity.alt_labels):
            for m in pattern.finditer(name):
                if m.start() == 0 and m.end() == len(name) and not re.search(_SEP, m.group("list")):
                    sym = canonical(m.group("organ"), m.group("kind"), m.group("list"), series, default)
                    if sym:
                        known.setdefault(sym, entity)
    return pattern, series | {"": default}, known


def canonical(organ: str | None, kind: str, number: str, series: dict[str, tuple[str, str]],
              default: tuple[str, str]) -> str | None:
    """The UN symbol a citation names: ("Security Council", "resolution", "1701 (2006)") -> "S/RES/1701(2006)"."""
    number = re.sub(r"\s+", "", number)
    paren = re.search(r"\((.+)\)$", number)
    if organ is None or organ.lower() == "council":
        if organ is not None and "/" in number:
            return None  # "Council resolution 1980/67": which council is not said
        # "resolution 1701 (2006)" is the Security Council's; "47/19", "2625 (XXV)" the General Assembly's
        chosen = series.get("security council", default) if paren and not _ROMAN.match(paren.group(1)) \
            else default
    else:
        chosen = series.get(re.sub(r"\s+", " ", organ.lower()), default)
    prefix = chosen[0] if kind.lower().startswith("resolution") else chosen[1]
    if not prefix or ("/" not in number and not paren):
        return None  # a bare number ("resolution 5") is no symbol
    return prefix + number


def _entity(symbol: str, kind: str, organ_label: str | None) -> Entity:
    word = "resolution" if kind.lower().startswith("resolution") else "decision"
    readable = re.sub(r"^.*?/(?:RES|DEC)/", "", symbol)
    readable = re.sub(r"\(", " (", re.sub(r"(\d)([A-Z])$", r"\1 \2", readable))
    label = f"{organ_label} {word} {readable}" if organ_label else f"{word} {readable}"
    types = (str(NG.Resolution), str(NG.Instrument)) if word == "resolution" else (str(NG.Instrument),)
    return Entity(iri=str(symbol_iri(symbol)), kind="instrument", label=label, types=types,
                  alt_labels=tuple(dict.fromkeys((f"{word} {readable}", symbol))), notation=symbol,
                  in_vocabulary=False)


@functools.lru_cache(maxsize=4)
def _organ_labels(vocab: Vocabulary) -> tuple[tuple[str, str], ...]:
    """(symbol prefix, the organ's short name) for every series, longest prefix first: ("S/RES/", "Security
    Council")."""
    out = []
    for node, res in vocab.graph.subject_objects(NG.resolutionSeries):
        entity = vocab.entities.get(str(node))
        if entity is None:
            continue
        name = next((a for a in entity.alt_labels if " " in a and not a.startswith(("UN ", "U.N."))), entity.label)
        dec = vocab.graph.value(node, NG.decisionSeries)
        out += [(str(prefix), name) for prefix in (res, dec) if prefix is not None]
    return tuple(sorted(out, key=lambda x: (-len(x[0]), x[0])))


def _organ_label(symbol: str, vocab: Vocabulary) -> str | None:
    return next((name for prefix, name in _organ_labels(vocab) if symbol.startswith(prefix)), None)


def symbol_mentions(text: str, start: int, end: int, vocab: Vocabulary, author_series: str | None = None,
                    taken: list[tuple[int, int]] | None = None) -> list[Mention]:
    """The instruments cited by symbol in text[start:end], one mention per symbol, in text order.

    `author_series` is the resolution series of the document's own author ("A/RES/" in a General
    Assembly resolution), used for "its resolutions"."""
    if not _DIGIT.search(text, start, end):
        return []  # every symbol has a number
    pattern, series, known = _organs(vocab)
    default = series[""]
    own_series = (author_series, author_series.replace("/RES/", "/DEC/")) if author_series else default
    taken = taken or []
    out: list[Mention] = []

    def add(symbol: str | None, kind: str, a: int, b: int) -> None:
        if symbol is None or any(x < b and a < y for x, y in taken):
            return
        taken.append((a, b))
        entity = known.get(symbol) or _entity(symbol, kind, _organ_label(symbol, vocab))
        out.append(Mention(entity, a, b, text[a:b]))

    for m in pattern.finditer(text, start, end):
        organ = m.group("organ")
        own = text[max(start, m.start() - 4):m.start()].lower().endswith("its ")
        base = own_series if own else default
        for k, item in enumerate(re.finditer(_NUMBER, m.group("list"))):
            a, b = m.start("list") + item.start(), m.start("list") + item.end()
            preceding = m.group("list")[:item.start()]
            if k and not re.search(rf"{_SEP}(?:its\s+)?$", preceding):
                continue  # a day of a date ("of 24 November 1992"), not a symbol
            if k and re.search(r"\bof\s+\d{1,2}\s+[A-Z][a-z]+\s*$", text[m.start("list"):a]):
                continue
            symbol = canonical(organ, m.group("kind"), item.group(), series, base)
            add(symbol, m.group("kind"), m.start() if k == 0 else a, b)
    # a list cut by a page header or a footnote goes on as "1996, 52/10 of 5 November 1997, ...": a
    # number "N/M of <date>" after a citation of the same clause continues that citation
    if out:
        cited = sorted(out, key=lambda x: x.start)
        for m in _DATED.finditer(text, cited[0].end, end):
            before = [x for x in cited if x.end <= m.start()]
            if not before:
                continue
            kind = "decision" if "/DEC/" in (before[-1].entity.notation or "") else "resolution"
            add(canonical(None, kind, m.group("number"), series, own_series),
                kind, m.start("number"), m.end("number"))
    for m in _WRITTEN.finditer(text, start, end):
        symbol = re.sub(r"\s+", "", m.group("symbol"))
        kind = "resolution"
        add(symbol, kind, m.start(), m.end())
    out.sort(key=lambda x: x.start)
    return out
