"""Corpus metadata from a table instead of sidecars: `normgraph build DIR --manifest FILE.tsv|csv`.

Owns reading a manifest (tab- or comma-separated, with a header row), matching its rows to text
files by file name, and turning each row into the values a sidecar would give (SPEC §2, checked
by `documents.check_sidecar`), so that a document described by a manifest row reads exactly as if
it had a `NAME.meta.toml` beside it.

Columns are found by name: `path` (or `file`, `filename`) for the file; any sidecar key (`title`,
`date`, `genre`, `parties` ...) as itself; `parties` also from `party` or `iso3`, several ids
separated by `;` or `|`; `date` also from `year` (a year alone is read as 1 January of that year,
since a sidecar's date is a day).  A column mapping (`key=column`) names the column of a key for
tables that use other names; `key==value` gives a key one value for every row.  A table with the
General Debate layout (`iso3`, `session`, `year`, as `ungdc/index.tsv`) is read as speeches, each
authored by the speaking State, titled from its row.
"""
from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from normgraph.errors import InputError
from normgraph.text.documents import SIDECAR_KEYS, check_sidecar, read_text

FILE_COLUMNS = ("path", "file", "filename", "file_name")
ALIASES = {"parties": ("parties", "party", "iso3"), "date": ("date", "year")}
GENERAL_DEBATE = ("iso3", "session", "year")  # the layout of the UN General Debate corpus index


@dataclass
class Manifest:
    """Rows of a manifest, by file name, as checked sidecar values."""

    source: Path
    rows: dict[str, dict[str, object]] = field(default_factory=dict)  # file name -> sidecar values
    lines: dict[str, int] = field(default_factory=dict)  # file name -> line of the table
    raw: dict[str, str] = field(default_factory=dict)  # file name -> the row as read (for content hashes)

    def for_file(self, path: Path) -> dict[str, object] | None:
        """The sidecar values of a text file, or None when the manifest has no row for it."""
        return self.rows.get(Path(path).name)

    def row_text(self, path: Path) -> str:
        return self.raw.get(Path(path).name, "")


def parse_columns(pairs: Iterable[str]) -> dict[str, str]:
    """`key=column` (take key from that column) and `key==value` (key is value in every row)."""
    out: dict[str, str] = {}
    for pair in pairs:
        for item in (p.strip() for p in pair.split(",") if p.strip()):
            key, sep, column = item.partition("=")
            if not sep or not key or not column:
                raise InputError("--manifest-columns", f"bad mapping {item!r}: expected KEY=COLUMN or KEY==VALUE")
            if key not in SIDECAR_KEYS:
                raise InputError("--manifest-columns",
                                 f"unknown key {key!r}: expected one of {', '.join(SIDECAR_KEYS)}")
            out[key] = column
    return out


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _value(key: str, text: str, where: str) -> object:
    text = text.strip()
    if key == "parties":
        return [p.strip() for p in text.replace("|", ";").split(";") if p.strip()]
    if key == "date" and text.isdigit() and len(text) == 4:
        return dt.date(int(text), 1, 1)
    return text


def read_manifest(path: Path, columns: dict[str, str] | None = None,
                  party_ids: Collection[str] | None = None) -> Manifest:
    """Read a manifest table; InputError (file and line) for a malformed one."""
    path = Path(path)
    text = read_text(path)
    dialect = "excel-tab" if path.suffix.lower() in (".tsv", ".tab") or "\t" in text.split("\n", 1)[0] else "excel"
    reader = csv.DictReader(text.splitlines(), dialect=dialect)
    header = [h.strip() for h in reader.fieldnames or []]
    file_column = next((c for c in FILE_COLUMNS if c in header), None)
    if file_column is None:
        raise InputError(f"{path}:1", f"no file column: expected one of {', '.join(FILE_COLUMNS)}")
    mapping = dict(columns or {})
    for key in SIDECAR_KEYS:
        if key not in mapping:
            found = next((c for c in ALIASES.get(key, (key,)) if c in header), None)
            if found:
                mapping[key] = found
    debate = all(c in header for c in GENERAL_DEBATE)
    if debate:
        mapping.setdefault("genre", "=speech")
    for key, column in mapping.items():
        if not column.startswith("=") and column not in header:
            raise InputError(f"{path}:1", f"no column {column!r} for {key}; the columns are {', '.join(header)}")
    manifest = Manifest(source=path)
    for number, row in enumerate(reader, start=2):
        where = f"{path}:{number}"
        row = {(k or "").strip(): (v or "") for k, v in row.items()}
        name = PurePosixPath(row[file_column].strip().replace("\\", "/")).name
        if not name:
            raise InputError(where, f"empty {file_column}")
        if name in manifest.rows:
            raise InputError(where, f"{name} is also on line {manifest.lines[name]}: one row per file")
        values: dict[str, object] = {}
        for key, column in mapping.items():
            cell = column[1:] if column.startswith("=") else row.get(column, "")
            if cell.strip():
                values[key] = _value(key, cell, where)
        if debate and "title" not in values and row["session"].strip().isdigit():
            session, year = _ordinal(int(row["session"])), row["year"].strip()
            values["title"] = (f"Statement by {row['iso3'].strip()} in the General Debate of the {session} "
                               f"session of the General Assembly ({year})")
        manifest.rows[name] = check_sidecar(values, where, party_ids)
        manifest.lines[name] = number
        manifest.raw[name] = "\t".join(f"{k}={values[k]}" for k in sorted(values))
    return manifest
