"""Reading a document (SPEC §2): its text exactly as stored, its sidecar, where its body lies.

`read_document` reads ``NAME.txt`` and the optional ``NAME.meta.toml``, checks both,
infers what the sidecar does not say (title, date, place, genre; warnings for the
rest) and bounds the body between front and back matter.  The layout primitives it
reads with (paragraphs, paragraph numbers, headings) are in layout.py.

The text is the raw bytes decoded with the strict ``utf-8`` codec, i.e. what
``open(path, encoding="utf-8", newline="")`` returns: CR characters are kept and a
byte-order mark stays as U+FEFF at offset 0.  Offsets are code points into it.

Front and back matter are found by the shape of lines, not by wording: front
matter is the leading run of lines without sentence punctuation that carries a
header signal (a date line, a header block, a bracketed line, an ``80/19. Title``
line, a ``Place, Country`` dateline, a title); back matter is the trailing run of
closing formulas (``Done at ...``, ``On behalf of ...``), short signature lines,
end marks (``###``), meeting lines and ``[1]`` footnotes.  The few English phrases
that mark dates and closings are layout grammar, kept here as patterns.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
from collections.abc import Collection
from pathlib import Path

from normgraph.errors import InputError
from normgraph.records import Document, DocumentMeta
from normgraph.text.layout import (
    _FOOTNOTE,
    _LINE_BREAK,
    Block,
    ends_sentence,
    is_blank,
    is_furniture,
    looks_like_heading,
    normal_words,
    paragraphs,
    parse_marker,
)

GENRES = ("declaration", "joint-statement", "communique", "resolution", "statement", "readout", "report", "speech")
SIDECAR_KEYS = ("title", "date", "place", "genre", "parties", "publisher", "source", "language",
                "reports_on", "symbol")
SIDECAR_SUFFIX = ".meta.toml"
# Size guards: extraction runs at tens of thousands of characters per second (bench/extract_speed.py), so
# a 16 MiB document already takes minutes, and it grows faster than linearly within one very long
# paragraph (bench/long_sentence.py), so a document and a paragraph have a limit.
MAX_TEXT_BYTES = 16 * 1024 * 1024
MAX_PARAGRAPH_CHARS = 200_000

# Characters that count as blank besides str.isspace(): BOM, zero-width space, word joiner.
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december")
_MONTH_NUMBER = {**{m: i + 1 for i, m in enumerate(_MONTHS)},
                 **{m[:3]: i + 1 for i, m in enumerate(_MONTHS)}, "sept": 9}
_DATE_DMY = re.compile(r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:day\s+of\s+(?:the\s+)?|of\s+)?"
                       r"(?P<m>[A-Za-z]{3,9})\.?,?\s+(?P<y>\d{4})\b")
_DATE_MDY = re.compile(r"\b(?P<m>[A-Za-z]{3,9})\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})\b")
_DATE_ISO = re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")
_TIME = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\b")

_DONE_AT = re.compile(r"(?m)^[^\S\r\n]*(?:Done|Signed)\b[^\r\n.]{0,40}?\b(?:at|in)\s+"
                      r"(?P<place>[A-Z][^,\r\n]*?)"
                      r"(?=\s*,|\s+on\b|\s+this\b|\s+\d|\s*\.?[^\S\r\n]*$)")
_UPDATED = re.compile(r"(?mi)^[^\S\r\n]*(?:updated|published|released|date)\s*:\s*(?P<rest>[^\r\n]*)")
_ADOPTED = re.compile(r"(?m)\badopted\s+by\s+the\s+[A-Z][^\r\n]{0,60}?\s+on\s+(?P<rest>[^\r\n]*)")
_DISTR = re.compile(r"\bDistr\.:")
_SYMBOL_TITLE = re.compile(r"^\d{1,3}/\d{1,4}\.\s+(?P<title>\S.*)$")
_DATELINE_PLACE = re.compile(r"^(?P<place>[A-Z][\w’'.\-]*(?: [A-Z][\w’'.\-]*){0,3}, [A-Z][\w’'.\-]*"
                             r"(?: [A-Z][\w’'.\-]*){0,3})$")
_ADDRESS = re.compile(r"^The(?: [A-Z][\w’'\-]*){1,4},?$")
_GENRE_TITLE = re.compile(r"(?i)\b(?:joint\s+)?(?:declaration|statement|communiqu[eé]|resolution)\b")
_GENRE_WORDS = (("communique", re.compile(r"(?i)\bcommuniqu[eé]")),
                ("declaration", re.compile(r"(?i)\bdeclaration\b")),
                ("resolution", re.compile(r"(?i)\bresolution\b")),
                ("joint-statement", re.compile(r"(?i)\bstatement\b")))
_CLOSING = re.compile(r"(?i)^(?:done|signed)\s+(?:at|in)\b")
_SIGNATORY = re.compile(r"(?i)^(?:on\s+behalf\s+of|for\s+the\s+government\s+of)\b")


def find_date(s: str) -> dt.date | None:
    """The first calendar date written in `s` ("8 May, 2025", "May 09, 2025", "2025-05-08")."""
    found: list[tuple[int, dt.date]] = []
    for pattern in (_DATE_DMY, _DATE_MDY, _DATE_ISO):
        for m in pattern.finditer(s):
            month = m["m"]
            number = int(month) if month.isdigit() else _MONTH_NUMBER.get(month.lower())
            if number is None:
                continue
            try:
                found.append((m.start(), dt.date(int(m["y"]), number, int(m["d"]))))
            except ValueError:
                continue
    return min(found, key=lambda f: f[0])[1] if found else None


def _is_date_line(s: str) -> bool:
    """A line that holds a date and little else: "September 29, 2021", "Distr.: General 3 ..."."""
    rest = _DATE_MDY.sub("", _DATE_DMY.sub("", _DATE_ISO.sub("", s)))
    return rest != s and len(rest.split()) <= 6


def _dateline_place(line: str) -> str | None:
    """The place of a dateline: "Jeddah, Saudi Arabia", "Hiroshima, 20 May 2023", "31 May 2023, Luleå"."""
    rest = line
    if _is_date_line(line):
        rest = _DATE_MDY.sub("", _DATE_DMY.sub("", _DATE_ISO.sub("", line)))
        rest = re.sub(r"\b\d{1,2}\s*[-–]\s*$|\b\d{1,2}\s*[-–]\s*(?=,)", "", rest.strip()).strip(" ,;–-")
        if _DATELINE_PLACE.match(rest) or re.fullmatch(r"[A-Z][\w’'.\-]*(?: [A-Z][\w’'.\-]*){0,3}", rest):
            return rest
        return None
    m = _DATELINE_PLACE.match(rest)
    return m["place"] if m else None


# ---------------------------------------------------------------------------
# Front and back matter


def _is_header_signal(block: Block, previous_signal: bool, title: str | None) -> bool:
    lines = [line for line in block.lines if line]
    if len(lines) > 1:  # a header block: no line ends a sentence or starts lower-case (wrapped prose)
        return all(not ends_sentence(line) and not line[0].islower() for line in lines)
    line = lines[0]
    if (_UPDATED.match(line) or _ADOPTED.search(line) or _DISTR.search(line) or _is_date_line(line)
            or _SYMBOL_TITLE.match(line) or _DATELINE_PLACE.match(line)
            or (line.startswith("[") and line.endswith("]"))):
        return True
    if title and normal_words(line) == normal_words(title):
        return True
    if _GENRE_TITLE.search(line) and looks_like_heading(line):
        return True
    return previous_signal and bool(_ADDRESS.match(line))


def _front_matter_end(blocks: list[Block], title: str | None) -> int:
    """How many leading blocks are front matter."""
    last_signal = -1
    for i, block in enumerate(blocks[:12]):
        text = block.text
        marker = parse_marker(block.lines[0])
        if marker is not None and marker.styles[0] in ("arabic", "paren-arabic"):
            break
        if ends_sentence(text) and not (text.startswith("[") and text.rstrip().endswith("]")):
            break
        if text.rstrip().endswith(",") and not _ADDRESS.match(text.strip()):
            break
        if _is_header_signal(block, last_signal == i - 1 and i > 0, title):
            last_signal = i
    return last_signal + 1


def _is_back_shaped(block: Block) -> bool:
    first = block.lines[0]
    if is_furniture(block.text) or (_CLOSING.match(first) and len(block.text.split()) <= 40):
        return True
    if _SIGNATORY.match(first) and not ends_sentence(block.text):  # "On behalf of ..." signature block
        return True
    if parse_marker(first) is not None:
        return False
    lines = [line for line in block.lines if line]
    # signature lines, names and dates: short, no sentence punctuation ("Jr." and initials allowed)
    return all(len(line.split()) <= 16 and not ends_sentence(re.sub(r"\b(?:[A-Z]|[JS]r)\.$", "", line))
               for line in lines)


def _back_matter_start(blocks: list[Block], first_body: int) -> int:
    """Index of the first back-matter block (len(blocks) when there is none).

    A paragraph that continues a footnote cut by a page break ("[10] Report ..., Cairo,
    5–13 September" + "[1994] (United Nations publication ...)") is back matter too.
    """
    i = len(blocks)
    while i > first_body:
        prev = blocks[i - 2] if i - 2 >= first_body else None
        cut_note = prev is not None and _FOOTNOTE.match(prev.text) and not ends_sentence(prev.text)
        if not (_is_back_shaped(blocks[i - 1]) or cut_note):
            break
        i -= 1
    return i


def read_text(path: Path, allow_empty: bool = False) -> str:
    """The file's text exactly as stored (strict UTF-8, CR and BOM kept); InputError if unusable."""
    where = str(path)
    if not path.exists():
        raise InputError(where, "no such file")
    if path.is_dir():
        raise InputError(where, "is a directory, expected a UTF-8 text file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(where, f"cannot be read: {exc.strerror or exc}") from exc
    if len(data) > MAX_TEXT_BYTES:
        raise InputError(where, f"too large: {len(data):,} bytes, beyond the limit of {MAX_TEXT_BYTES:,} bytes "
                                "per document; split it into several files")
    utf16 = _utf16(data)
    if utf16:
        raise InputError(where, f"{utf16} text, expected UTF-8; re-save the file as UTF-8 "
                                "(e.g. iconv -f UTF-16 -t UTF-8)")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(where, f"binary file (NUL byte at byte offset {nul}), expected UTF-8 text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = f"0x{data[exc.start]:02x}"
        raise InputError(where, f"not UTF-8: invalid byte {bad} at byte offset {exc.start}; "
                                "re-save the file as UTF-8") from exc
    if is_blank(text) and not allow_empty:
        raise InputError(where, "empty file: no text to read")
    return text


def _check_paragraph_sizes(path: Path, text: str, blocks: list[Block]) -> None:
    longest = max(blocks, key=lambda b: b.end - b.start, default=None)
    if longest is not None and longest.end - longest.start > MAX_PARAGRAPH_CHARS:
        line = 1 + len(_LINE_BREAK.findall(text, 0, longest.start))
        raise InputError(str(path), f"the paragraph at line {line} is {longest.end - longest.start:,} characters "
                                    f"long, beyond the limit of {MAX_PARAGRAPH_CHARS:,}; break it into paragraphs "
                                    "(blank lines between them)")


def _utf16(data: bytes) -> str | None:
    """"UTF-16LE"/"UTF-16BE" when the bytes look like UTF-16 (a byte-order mark, or every other byte NUL)."""
    if data.startswith(b"\xff\xfe"):
        return "UTF-16LE"
    if data.startswith(b"\xfe\xff"):
        return "UTF-16BE"
    head = data[:512]
    if len(head) >= 4 and len(head) % 2 == 0:
        if head[1::2].count(0) >= len(head) // 2 * 0.9 and head[0::2].count(0) == 0:
            return "UTF-16LE (no byte-order mark)"
        if head[0::2].count(0) >= len(head) // 2 * 0.9 and head[1::2].count(0) == 0:
            return "UTF-16BE (no byte-order mark)"
    return None


def _sidecar_date(value: object, where: str) -> dt.date:
    expected = "expected a TOML date (date = 2025-05-08) or a 'YYYY-MM-DD' string"
    if isinstance(value, dt.datetime):
        raise InputError(where, f"bad date {value.isoformat()}: a date and time; {expected}")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise InputError(where, f"bad date {value!r}: {expected}")


_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`\x00-\x1f\x7f]+")


def _is_iri(value: str) -> bool:
    """An absolute IRI: a scheme, a colon and no character that may not stand in an IRI."""
    return bool(_IRI.fullmatch(value))


def read_sidecar(meta_path: Path, party_ids: Collection[str] | None = None) -> dict[str, object]:
    """The checked content of a sidecar: keys of SPEC §2 only, dates as `datetime.date`."""
    where = str(meta_path)
    text = read_text(meta_path, allow_empty=True)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(where, f"not valid TOML: {exc}") from exc
    return check_sidecar(raw, where, party_ids)


def check_sidecar(raw: dict[str, object], where: str, party_ids: Collection[str] | None = None) -> dict[str, object]:
    """Sidecar values (from a TOML sidecar or a manifest row at `where`) checked as SPEC §2 says."""
    out: dict[str, object] = {}
    for key, value in raw.items():
        if key not in SIDECAR_KEYS:
            hint = difflib.get_close_matches(key, SIDECAR_KEYS, n=1)
            did_you = f" (did you mean '{hint[0]}'?)" if hint else ""
            raise InputError(where, f"unknown key '{key}'{did_you}; allowed keys: {', '.join(SIDECAR_KEYS)}")
        if key == "date":
            out[key] = _sidecar_date(value, where)
        elif key == "parties":
            if not isinstance(value, list) or not all(isinstance(p, str) and p.strip() for p in value):
                example = '["CHN", "RUS"]'
                raise InputError(where, f"bad parties {value!r}: expected a list of party ids: {example}")
            if party_ids is not None:
                for party in value:
                    if party not in party_ids:
                        hint = difflib.get_close_matches(party, list(party_ids), n=3)
                        also = f"; did you mean {', '.join(hint)}?" if hint else ""
                        raise InputError(where, f"unknown party id '{party}' in parties: expected an "
                                                f"ISO 3166-1 alpha-3 code or an organisation id{also}")
            out[key] = tuple(value)
        elif not isinstance(value, str) or not value.strip():
            raise InputError(where, f"bad {key} {value!r}: expected a non-empty string")
        elif key == "source" and not _is_iri(value.strip()):
            raise InputError(where, f"bad source {value.strip()!r}: expected the URL the text was taken from "
                                    "(e.g. https://...); a citation in words belongs in the title or publisher")
        else:
            out[key] = value.strip()
    genre = out.get("genre")
    if genre is not None and genre not in GENRES:
        raise InputError(where, f"unknown genre '{genre}': expected one of {' | '.join(GENRES)}")
    return out


def _infer_title(front_lines: list[str], body: list[Block]) -> str | None:
    """A resolution's "80/19. Title" line, else a front-matter or early heading naming a genre."""
    for line in front_lines:
        if m := _SYMBOL_TITLE.match(line):
            return m["title"].strip()
    for line in front_lines:
        if _GENRE_TITLE.search(line) and not (_ADOPTED.search(line) or _UPDATED.match(line)
                                              or _DISTR.search(line)):
            return line
    return next((" ".join(b.text.split()) for b in body[:4]
                 if looks_like_heading(b.text) and _GENRE_TITLE.search(b.text)), None)


def _infer_date(text: str, done: re.Match[str] | None, front_lines: list[str]) -> dt.date | None:
    """Adoption before publication: "Done at X, on DATE", "adopted ... on DATE", a dateline,
    "Updated: DATE", "Distr.: General DATE"."""
    candidates = [_LINE_BREAK.split(text[done.end():], maxsplit=1)[0]] if done else []
    candidates += [m["rest"] for line in front_lines if (m := _ADOPTED.search(line))]
    candidates += [line for line in front_lines
                   if _is_date_line(line) and not _DISTR.search(line) and not _UPDATED.match(line)]
    candidates += [_TIME.sub("", m["rest"]) for line in front_lines if (m := _UPDATED.match(line))]
    candidates += [line for line in front_lines if _DISTR.search(line)]
    return next((d for c in candidates if (d := find_date(c))), None)


def _infer(text: str, front: list[Block], body: list[Block], known: dict[str, object],
           has_sidecar: bool) -> tuple[dict[str, object], list[str]]:
    """Title, date, place and genre from the text, for the keys `known` lacks; and warnings."""
    found: dict[str, object] = {}
    warnings: list[str] = []
    front_lines = [line for block in front for line in block.lines if line]
    done = ([*_DONE_AT.finditer(text)] or [None])[-1]

    def missing(key: str, why: str) -> None:
        source = f"the sidecar has no '{key}'" if has_sidecar else "no sidecar"
        warnings.append(f"no {key}: {source} and {why}")

    if "title" not in known:
        if title := _infer_title(front_lines, body):
            found["title"] = title
        else:
            missing("title", "no heading naming the document ('Joint Statement ...', '80/19. Title')")
    if "date" not in known:
        if date := _infer_date(text, done, front_lines):
            found["date"] = date
        else:
            missing("date", "no 'Done at ... on DATE', 'adopted ... on DATE', dateline or 'Updated:' line")
    if "place" not in known:
        place = done["place"].strip() if done else None
        if place := place or next((p for line in front_lines if (p := _dateline_place(line))), None):
            found["place"] = place
        else:
            missing("place", "no 'Done at PLACE' line or dateline")
    if "genre" not in known:
        title = str(known.get("title") or found.get("title") or "")
        genre = next((g for g, pattern in _GENRE_WORDS if pattern.search(title)), None)
        if genre is None and any(_ADOPTED.search(line) and "Resolution" in line for line in front_lines):
            genre = "resolution"
        if genre:
            found["genre"] = genre
        else:
            missing("genre", "the title names none (declaration, joint statement, communiqué, resolution)")
    return found, warnings


def read_document(path: Path, meta_path: Path | None = None,
                  party_ids: Collection[str] | None = None,
                  sidecar: dict[str, object] | None = None) -> Document:
    """Read a document and its sidecar; infer missing metadata; bound its body.

    `meta_path` defaults to ``NAME.meta.toml`` beside the text (optional there; an
    explicit `meta_path` must exist).  `party_ids`, when given, are the party ids of
    the vocabulary; a sidecar party outside them is an error.  Raises `InputError`
    with the file and the problem for unreadable or malformed input.  What cannot be
    inferred is listed in `Document.warnings`, never guessed.  `sidecar`, when given, stands
    for the sidecar file: checked values (`check_sidecar`) from a manifest row.
    """
    path = Path(path)
    text = read_text(path)
    explicit = meta_path is not None
    meta_file = Path(meta_path) if explicit else path.with_name(path.stem + SIDECAR_SUFFIX)
    has_sidecar = sidecar is not None or explicit or meta_file.exists()
    known = dict(sidecar) if sidecar is not None else read_sidecar(meta_file, party_ids) if has_sidecar else {}

    blocks = paragraphs(text)
    _check_paragraph_sizes(path, text, blocks)
    n_front = _front_matter_end(blocks, str(known.get("title") or "") or None)
    n_back = _back_matter_start(blocks, n_front)
    if n_back <= n_front:  # nothing would be left: keep everything as body
        n_front, n_back = 0, len(blocks)
    front, body = blocks[:n_front], blocks[n_front:n_back]

    found, warnings = _infer(text, front, body, known, has_sidecar)
    values = {**found, **known}
    meta = DocumentMeta(**{k: values[k] for k in SIDECAR_KEYS if k in values})
    body_start = body[0].start if body else 0
    body_end = body[-1].end if body else 0
    return Document(id=path.stem, path=path, text=text, meta=meta, body_start=body_start,
                    body_end=body_end, warnings=tuple(f"{path}: {w}" for w in warnings))
