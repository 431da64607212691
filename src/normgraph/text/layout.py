"""The layout of a plain text: paragraphs, paragraph numbers, headings, sentence ends.

Owns the primitives that reading a document (documents.py) and cutting it into clauses
(segment.py) both stand on: `paragraphs` (blank-line separated blocks with exact offsets,
and the line-level breaks real texts use without a blank line), `parse_marker` (a paragraph
number: "1.", "1)", "(a)", "(iv)", "A." followed by any Unicode space), `looks_like_heading`
(a short line without final punctuation), `ends_sentence`, and the test for page furniture
(running headers, page numbers, document symbols).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_INVISIBLE = "\ufeff\u200b\u2060"
_CLOSERS = "\"'”’»)]"
# a footnote mark after punctuation: "Bodies,1", "2017;2", "Treaty.4", "[3]" (not a time "09:05")
_NOTE_MARK = re.compile(r"(?:(?<=[,;”’)])\s?\d{1,2}|(?<=[^\W\d][.!?])\d{1,2}|\[\d{1,3}\])$")
_NOTE_TAIL = 8  # characters at the end of a text that can hold a footnote mark and what precedes it
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_LONG_LINE = 150  # a line this long is a paragraph of its own, not a wrapped line

_MARKER = re.compile(
    r"""(?:\((?P<paren_num>\d+)\)
         |\((?P<paren_alpha>[a-z]{1,5}|[A-Z]{1,5})\)
         |(?P<num>\d+)[.)]
         |(?P<alpha>[a-z]{1,5})[.)]
         |(?P<upper>[A-Z]{1,6})\.)
       (?P<sep>[\s\u200b\u2060]+|$)""",
    re.VERBOSE,
)
_GLUED_NUMBER = re.compile(r"(?P<num>\d+)\.(?=[A-Z“‘\"(])")
_ROMAN = re.compile(r"(?i)^(?=[ivxlc])m{0,3}(c[md]|d?c{0,3})(x[cl]|l?x{0,3})(i[xv]|v?i{0,3})$")
_FOOTNOTE = re.compile(r"^\[\d{1,3}\]\s")
_MEETING = re.compile(r"^\d{1,4}(?:st|nd|rd|th)\s+(?:plenary\s+)?meeting\b")


@dataclass(frozen=True)
class Block:
    """A paragraph: `text[start:end]`, from its first to just after its last visible character."""

    start: int
    end: int
    text: str

    @property
    def lines(self) -> list[str]:
        return [line.strip(_INVISIBLE).strip() for line in _LINE_BREAK.split(self.text)]


@dataclass(frozen=True)
class Marker:
    """A paragraph number at the start of a paragraph, e.g. ``3.``, ``(a)``, ``iv)``, ``II.``.

    `styles` lists the numbering styles the label can belong to, most likely first:
    ``(i)`` may be a roman numeral or the letter after ``(h)``.  `length` is the
    number of characters of the marker including the space after it.
    """

    label: str
    styles: tuple[str, ...]
    length: int


def is_blank(s: str) -> bool:
    """True when `s` holds only whitespace and invisible characters (BOM, zero-width space)."""
    return all(c.isspace() or c in _INVISIBLE for c in s)


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """`(start, end)` moved inwards past whitespace and invisible characters."""
    while start < end and (text[start].isspace() or text[start] in _INVISIBLE):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _INVISIBLE):
        end -= 1
    return start, end


def _final(s: str) -> str:
    """`s` without trailing blanks, closing quotes/brackets and a footnote mark (",1", "[3]")."""
    s = s.rstrip().rstrip(_INVISIBLE)
    # the mark is at most five characters at the very end, seen after two: only the end is searched
    head, tail = s[:-_NOTE_TAIL], s[-_NOTE_TAIL:]
    return (head + _NOTE_MARK.sub("", tail)).rstrip(_CLOSERS)


def ends_sentence(s: str) -> bool:
    """True when `s` ends with . ; : ! or ? (then closing quotes, brackets, a footnote mark allowed)."""
    return _final(s)[-1:] in (".", ";", ":", "!", "?")


def parse_marker(s: str) -> Marker | None:
    """The paragraph number `s` starts with, or None.

    Numbers are ``1.``, ``1)``, ``(1)``, ``(a)``, ``a.``, ``a)``, ``(iv)``, ``iv.``,
    ``A.`` and ``IV.`` followed by any Unicode space (U+2002, U+202F, NBSP, tab, ...),
    or an arabic ``24.`` glued to a capital letter (``24.We``).  ``U.S.`` is not a
    number: a letter marker needs a space after it.
    """
    m = _MARKER.match(s)
    if m is None:
        g = _GLUED_NUMBER.match(s)
        return Marker(g["num"], ("arabic",), g.end()) if g else None
    if m["num"] is not None:
        return Marker(m["num"], ("arabic",), m.end())
    if m["paren_num"] is not None:
        return Marker(m["paren_num"], ("paren-arabic",), m.end())
    label = m["paren_alpha"] or m["alpha"] or m["upper"]
    paren = m["paren_alpha"] is not None
    case = "upper" if label.isupper() else "lower"
    kind = ("paren-" if paren else "") + case
    roman = bool(_ROMAN.match(label))
    if len(label) > 1 and not roman:
        if not (paren and len(set(label)) == 1):  # (aa), (bb) are letters
            return None
    if roman and len(label) > 1:
        return Marker(label, (kind + "-roman",), m.end())
    if roman:
        return Marker(label, (kind + "-roman", kind) if label in "iI" else (kind, kind + "-roman"), m.end())
    return Marker(label, (kind,), m.end())


def looks_like_heading(s: str) -> bool:
    """A heading: one short line (<= 12 words, or a Title Case line of <= 30 words) that
    does not end with sentence punctuation (. ; : ! ? ,), does not start with an arabic
    paragraph number and does not start with a lower-case letter."""
    s = s.strip().strip(_INVISIBLE)
    if not s or _LINE_BREAK.search(s) or not any(c.isalnum() for c in s):
        return False
    if ends_sentence(s) or _final(s).endswith(","):
        return False
    marker = parse_marker(s)
    if marker is not None and marker.styles[0] in ("arabic", "paren-arabic"):
        return False
    first = next(c for c in s if c.isalnum())
    if first.islower():
        return False
    words = s.split()
    if len(words) <= 12:
        return True
    content = [w for w in re.findall(r"[^\W\d_][\w’'\-]*", s) if len(w) > 3]
    return len(words) <= 30 and all(w[0].isupper() for w in content)


def _starts_new_paragraph(prev: str, line: str) -> bool:
    """A line that opens a paragraph although no blank line precedes it."""
    indented = line[:1].isspace() and not prev.lstrip(_INVISIBLE)[:1].isspace()
    line = line.strip().strip(_INVISIBLE)
    if re.match(r"\d{1,4}\.\t", line):
        return True
    if not ends_sentence(prev) or not line or line[0].islower():
        return False
    if indented:
        return True
    if re.match(r"\d{1,4}\.\s+\S", line):
        return True
    return len(prev.strip()) >= _LONG_LINE


def paragraphs(text: str) -> list[Block]:
    """Split `text` into paragraphs with exact offsets.

    A paragraph ends at a blank line (a line of whitespace only, NBSP and BOM
    included), before a line that opens with a number and a tab (``184.<TAB>``),
    and, when a line ends a sentence, before a next line that starts with a
    paragraph number or is indented (the previous one not), and after it if it is
    long (>= 150 characters); so texts with one paragraph a line, indented
    paragraphs and old files with CR line ends are split too.  Line ends are CR,
    LF or CRLF.
    """
    blocks: list[Block] = []
    start = end = -1
    prev = ""
    pos = 0
    for brk in [*_LINE_BREAK.finditer(text), None]:
        line_end = brk.start() if brk else len(text)
        line = text[pos:line_end]
        if is_blank(line) or (start >= 0 and _starts_new_paragraph(prev, line)):
            if start >= 0:
                blocks.append(Block(start, end, text[start:end]))
                start = -1
        if not is_blank(line):
            s, e = trim(text, pos, line_end)
            if start < 0:
                start = s
            end = e
            prev = line
        pos = brk.end() if brk else len(text)
    if start >= 0:
        blocks.append(Block(start, end, text[start:end]))
    return blocks


# ---------------------------------------------------------------------------
# Dates


def normal_words(s: str) -> str:
    """`s` case-folded, punctuation dropped, spaces collapsed: for comparing titles and headers."""
    return " ".join(re.sub(r"[^\w\s]", " ", s.casefold()).split())


def is_furniture(text: str) -> bool:
    """Page furniture that is never a clause: no letter or digit ("###"), a "[1] ..." footnote,
    a "52nd plenary meeting ..." line."""
    text = text.strip().strip(_INVISIBLE)
    return not any(c.isalnum() for c in text) or bool(_FOOTNOTE.match(text) or _MEETING.match(text))


# ---------------------------------------------------------------------------
# Reading
