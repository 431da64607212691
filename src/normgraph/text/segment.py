"""Clauses and sentences: the second pipeline stage (SPEC §2, Clauses).

`segment` cuts a document's body (``doc.text[doc.body_start:doc.body_end]``) into
clauses with exact offsets; `sentences` cuts a span into sentences.  Paragraph
splitting and the shapes of lines come from documents.py.

Clause numbers (all unique within a document):

* A paragraph that starts with a number (``1.``, ``1)``, ``(1)``, ``(a)``, ``a.``,
  ``(iv)``, ``IV.``, ``A.``, followed by any Unicode space, or ``24.We``) is a
  clause with that number, written without punctuation ("1", "a").  An item of a
  deeper list style under a numbered clause is numbered after it: ``(a)`` under
  ``3.`` is "3(a)", ``(i)`` under it "3(a)(i)".  ``(i)`` after ``(h)`` is the letter.
* A text with top-level numbered paragraphs (arabic, or capital letters/roman
  numerals that are not headings): unnumbered paragraphs before the first number
  are preamble clauses "p1", "p2", ...; an unnumbered paragraph after a numbered
  one is a sub-clause of it, "5.1", "5.2" (kind "sub", parent "5").
* A text without them: each paragraph is a clause "1", "2", ... in order; a
  lettered item ``(a)`` after paragraph 4 is "4(a)".
* A heading is not a clause; it sets `section` for what follows and closes open
  lettered lists.  A heading is one line of <= 12 words (or a Title Case line of
  <= 30) without final . ; : ! ? , that does not start with an arabic number or a
  lower-case letter; a line under a capital letter or roman numeral ("I. Introduction",
  "B. Information and maritime awareness") without final punctuation is one too.
  A heading glued before a paragraph number by PDF extraction ("Partnerships and
  support 17. We invite ...") is split off when the number is one of the next three.
* Numbers stay unique.  A top-level number not greater than the one before it
  (an annex numbered from 1 again, a list restarting under the next heading)
  opens a new numbering run, and every number of the k-th run carries "-k": the
  second run reads "1-2", "2-2", ..., with "1-2(a)" and "1-2.1" under them.  A
  number that would still repeat gets the next free "-k".
* Noise is dropped: paragraphs without letters or digits (``***``), running page
  headers (document symbols, page and job numbers such as "A/RES/80/19",
  "25-12345 3/5"), a repeated title line, meeting lines and stray footnotes.
* A paragraph cut by a page break is joined to the paragraph it continues (the
  previous one ends without sentence punctuation and the next starts lower-case
  or with a number and a comma ("1996, 52/10 of ..."), or the previous ends with
  a short lower-case word such as "of the"); the clause
  then spans both, noise between them included, so `text == doc.text[start:end]`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from normgraph.records import Clause, Document, Sentence
from normgraph.text.layout import (
    Block,
    Marker,
    ends_sentence,
    is_furniture,
    looks_like_heading,
    normal_words,
    paragraphs,
    parse_marker,
    trim,
)

_TOP_STYLES = ("arabic", "paren-arabic", "upper", "upper-roman")
_HEADING_STYLES = ("upper", "upper-roman")
_PAGE_TOKEN = re.compile(r"(?:\d{1,4}|\d{1,4}/\d{1,4}|\d{2}-\d{5}[A-Z]?|\(E\)|[-–—]|Page"
                         r"|[A-Z]{1,3}(?:/[A-Z0-9][A-Za-z0-9.\-]*){1,6})$")
_SYMBOL_PREFIX = re.compile(r"^\d{1,3}/\d{1,4}\.\s+")
_SHORT_NUMBER = 3  # a longer paragraph number must continue the numbering before it
_GLUED_HEADING = re.compile(r"\s(?P<num>\d+)\.\s+(?=[A-Z“‘\"(])")
_LIST_END = re.compile(r"[;,]\s*(?:and|or)$")
_INVISIBLE = "\ufeff\u200b\u2060"
_CLOSERS = "\"'”’»)]"

# Sentence splitting: words whose final period does not end a sentence (lower case).
_ABBREVIATIONS = frozenset(
    "mr mrs ms messrs dr prof st jr sr hon rev gen gov amb no nos art arts para paras sec secs ch "
    "vol vols p pp cf fig op cit ibid inc ltd co corp vs v approx dept est govt rep res "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split())
_BOUNDARY = re.compile(r"[.?!]+[\"'”’)\]]*(?=\s)")
_NEXT_WORD = re.compile(r"\s+(\S)(\S?)")
_PAIRS = {"(": ")", "[": "]", "“": "”"}
_BRACKET = re.compile(r"[(\[“)\]”\"]")  # the characters _protected reads


@dataclass
class _Unit:
    start: int
    end: int
    marker: Marker | None = None
    heading: str | None = None


# ---------------------------------------------------------------------------
# Paragraph classes


def _title_lines(doc: Document) -> list[str]:
    """The title and the front-matter lines, normalised, to recognise running headers."""
    lines = [doc.meta.title or ""]
    for block in paragraphs(doc.text[: doc.body_start]):
        lines += [_SYMBOL_PREFIX.sub("", line) for line in block.lines]
    return [n for n in map(normal_words, lines) if n]


def _is_noise(block: Block, titles: list[str]) -> bool:
    text = block.text.strip(_INVISIBLE).strip()
    if is_furniture(text):
        return True
    tokens = text.split()
    if len(tokens) <= 6 and all(_PAGE_TOKEN.match(t) for t in tokens):
        return True
    if len(tokens) >= 3 and not ends_sentence(text):
        norm = normal_words(text)
        return any(t == norm or t.startswith(norm + " ") for t in titles)
    return False


def _continues(prev: str, text: str) -> bool:
    """Does paragraph `text` continue `prev`, cut in two by a page break?"""
    prev = prev.rstrip().rstrip(_INVISIBLE)
    if not prev or not text or ends_sentence(prev) or _LIST_END.search(prev):
        return False
    if text[0].islower() or re.match(r"\d+,\s", text):
        return True  # "... of 12 November" / "1996, 52/10 of ...": a number and a comma never open a clause
    if prev.endswith(","):
        return False
    last = re.search(r"([^\W\d_]+)$", prev)
    return bool(last) and last[1].islower() and len(last[1]) <= 3


def _units(doc: Document) -> list[_Unit]:
    """Body paragraphs as clause candidates and headings, with noise dropped and cut paragraphs joined."""
    text = doc.text
    titles = _title_lines(doc)
    units: list[_Unit] = []
    last_arabic = 0
    for block in paragraphs(text):
        if block.start < doc.body_start or block.end > doc.body_end:
            continue
        if _is_noise(block, titles):
            continue
        marker = parse_marker(block.text)
        if (marker is not None and marker.styles[0] == "arabic" and len(marker.label) > _SHORT_NUMBER
                and not last_arabic < int(marker.label) <= last_arabic + 3):
            marker = None  # "2024. That year ..." is a year; paragraph 1000 follows paragraph 999
        if marker is None or marker.styles[0] in _HEADING_STYLES:
            glued = _GLUED_HEADING.search(block.text, 0, 250)
            rest = block.text[glued.end():] if glued else ""
            if glued and last_arabic < int(glued["num"]) <= last_arabic + 3 and not looks_like_heading(rest):
                head = block.text[: glued.start()].strip()
                if looks_like_heading(head) or (marker and not head[marker.length:].strip(" .")):
                    units.append(_Unit(block.start, block.start + len(head), heading=head))
                    start = block.start + glued.start() + 1
                    marker = parse_marker(text[start:block.end])
                    last_arabic = int(glued["num"])
                    units.append(_Unit(start, block.end, marker=marker))
                    continue
        if marker is None and units and units[-1].heading is None:
            prev = units[-1]
            if _continues(text[prev.start:prev.end], block.text):
                prev.end = block.end
                continue
        marker_only = marker is not None and not block.text[marker.length:].strip()
        lettered_heading = (marker is not None and marker.styles[0] in _HEADING_STYLES
                            and not ends_sentence(block.text) and len(block.text.split()) <= 30)
        if (marker is None or marker.styles[0] in _HEADING_STYLES) and (
                looks_like_heading(block.text) or marker_only or lettered_heading):
            units.append(_Unit(block.start, block.end, heading=" ".join(block.text.split())))
            continue
        if marker is not None and marker.styles[0] == "arabic":
            last_arabic = int(marker.label)
        units.append(_Unit(block.start, block.end, marker=marker))
    return units


# ---------------------------------------------------------------------------
# Numbering


def _roman(label: str) -> int:
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
    digits = [values[c] for c in label.lower()]
    return sum(-d if i + 1 < len(digits) and d < digits[i + 1] else d for i, d in enumerate(digits))


def _follows(prev: str, label: str, style: str) -> bool:
    if style.endswith("roman"):
        return _roman(label) == _roman(prev) + 1
    return len(label) == len(prev) and ord(label[-1]) == ord(prev[-1]) + 1


def _style(marker: Marker, stack: list[tuple[str, str, str]]) -> str:
    """The numbering style of `marker`: "(i)" after "(h)" is a letter, after "(iii)" ... a roman."""
    if len(marker.styles) > 1:
        for style in marker.styles:
            prev = next((label for s, label, _ in stack if s == style), None)
            if prev is not None and _follows(prev, marker.label, style):
                return style
    return marker.styles[0]


class _Numbers:
    """Hands out unique clause numbers.

    A top-level number not greater than the one before it ("1." after "24.", or a
    list that starts again under the next heading) opens a new numbering run; the
    k-th run's numbers carry "-k": "1-2", "2-2", ... and so do the numbers under
    them ("1-2(a)", "1-2.1").  A number that still repeats gets the next free "-k".
    """

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.run = 1
        self.last: dict[str, int] = {}

    def top(self, label: str, style: str) -> str:
        value = int(label) if label.isdigit() else _roman(label) if "roman" in style else ord(label[-1])
        if value <= self.last.get(style, 0):
            self.run += 1
        self.last[style] = value
        return self.take(label if self.run == 1 else f"{label}-{self.run}")

    def take(self, base: str) -> str:
        number, k = base, 1
        while number in self.used:
            k += 1
            number = f"{base}-{k}"
        self.used.add(number)
        return number


def segment(doc: Document) -> list[Clause]:
    """The clauses of `doc`'s body, in text order, numbered as the module docstring says."""
    units = _units(doc)
    numbered = any(u.marker is not None and u.marker.styles[0] in _TOP_STYLES for u in units)
    numbers = _Numbers()
    clauses: list[Clause] = []
    stack: list[tuple[str, str, str]] = []  # (style, label, clause number), outermost first
    section: str | None = None
    last: str | None = None  # number of the last numbered clause (parent of sub-clauses)
    subs = preamble = paragraph = ordinal = 0

    def add(number: str, unit: _Unit, kind: str, parent: str | None) -> None:
        nonlocal ordinal
        ordinal += 1
        clauses.append(Clause(number=number, start=unit.start, end=unit.end,
                              text=doc.text[unit.start:unit.end], ordinal=ordinal, kind=kind,
                              section=section, parent=parent))

    for unit in units:
        if unit.heading is not None:  # a heading closes lettered lists (and, in plain text, the paragraph)
            section = unit.heading
            stack = stack[:1] if numbered else []
            continue
        marker = unit.marker
        if marker is not None and (numbered or stack):
            style = _style(marker, stack)
            if numbered or style not in _TOP_STYLES:
                styles = [s for s, _, _ in stack]
                if style in styles:
                    stack = stack[: styles.index(style)]
                elif style in _TOP_STYLES and stack and stack[0][0] not in _TOP_STYLES:
                    stack = []
                parent = stack[-1][2] if stack else None
                if parent:
                    number = numbers.take(f"{parent}({marker.label})")
                else:
                    number = numbers.top(marker.label, style)
                stack.append((style, marker.label, number))
                add(number, unit, "numbered", parent)
                last, subs = number, 0
                continue
        if not numbered:
            paragraph += 1
            number = numbers.take(str(paragraph))
            stack = [("paragraph", number, number)]
            add(number, unit, "paragraph", None)
        elif last is None:
            preamble += 1
            add(numbers.take(f"p{preamble}"), unit, "preamble", None)
        else:
            subs += 1
            add(numbers.take(f"{last}.{subs}"), unit, "sub", last)
    return clauses


# ---------------------------------------------------------------------------
# Sentences


def _protected(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(open, close) offsets of matched brackets and double quotes in text[start:end]."""
    regions: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    straight = -1
    for m in _BRACKET.finditer(text, start, end):  # only the brackets and quotes, not every character
        i, c = m.start(), m.group()
        if c in _PAIRS:
            stack.append((c, i))
        elif c in (")", "]", "”"):
            for j in range(len(stack) - 1, -1, -1):
                if _PAIRS[stack[j][0]] == c:
                    regions.append((stack[j][1], i))
                    del stack[j:]
                    break
        elif c == '"':
            if straight < 0:
                straight = i
            else:
                regions.append((straight, i))
                straight = -1
    return regions


def _no_break_after(text: str, span_start: int, dot: int) -> bool:
    """Is the period at `dot` part of an abbreviation, an initial or a paragraph number?"""
    before = re.search(r"(\S+)$", text[span_start:dot])
    if before is None:
        return True
    word = before[1].lstrip("(“\"‘[")
    if "." in word or word.lower() in _ABBREVIATIONS:
        return True  # U.S. e.g. i.e. No. Art. para.
    if len(word) == 1 and word.isupper():
        return True  # an initial: Joseph R. Biden
    head = text[span_start:span_start + before.start()]
    if re.fullmatch(r"\(?[0-9A-Za-z]{1,5}\)?", before[1]) and (not head.strip() or head[-1] in "\r\n"):
        return True  # the paragraph's own number: "1. The People's ..."
    return False


def sentences(text: str, start: int, end: int) -> list[Sentence]:
    """Split text[start:end] into sentences with exact offsets (each `text == text[s.start:s.end]`).

    A sentence ends at "." followed by a space and a capital letter (or an opening
    quote or bracket), and at "?" or "!" followed by a space; closing quotes and
    brackets after the mark stay with the sentence.  No break after abbreviations
    (U.S., U.N., e.g., i.e., No., Art., para., Mr.), initials ("Joseph R. Biden"),
    a paragraph's own number, inside decimals, nor inside parentheses or quotes;
    "; " is not a break.
    """
    regions = _protected(text, start, end)
    out: list[Sentence] = []
    begin = start
    for m in _BOUNDARY.finditer(text, start, end):
        last = m.end() - 1
        if any(o < last < c for o, c in regions):
            continue
        nxt = _NEXT_WORD.match(text, m.end(), end)
        if nxt is None:
            continue
        if "." in m.group().rstrip("\"'”’)]") and not ("?" in m.group() or "!" in m.group()):
            first, second = nxt[1], nxt[2]
            if not (first.isupper() or (first in "“\"‘([" and second[:1].isupper())):
                continue
            if _no_break_after(text, begin, m.start()):
                continue
        _append(out, text, begin, m.end())
        begin = m.end()
    _append(out, text, begin, end)
    return out


def _append(out: list[Sentence], text: str, start: int, end: int) -> None:
    start, end = trim(text, start, end)
    if start < end:
        out.append(Sentence(start, end, text[start:end]))
