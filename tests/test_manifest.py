"""Tests for text/manifest.py: metadata per file from a TSV/CSV table instead of sidecars (issue 9, item 4)."""
from __future__ import annotations

import datetime as dt

import pytest

from conftest import DATA
from normgraph.errors import InputError
from normgraph.pipeline import extract_document
from normgraph.text.manifest import parse_columns, read_manifest

UNGDC = DATA / "ungdc"


def test_manifest_reads_the_general_debate_index_as_speeches_by_the_speaking_state(vocab):
    m = read_manifest(UNGDC / "index.tsv", party_ids=set(vocab.parties_by_id))
    row = m.for_file(UNGDC / "ungdc-speeches" / "1985" / "DDR_40_1985.txt")
    assert row == {"title": "Statement by DDR in the General Debate of the 40th session of the General Assembly (1985)",
                   "date": dt.date(1985, 1, 1), "genre": "speech", "parties": ("DDR",)}


def test_manifest_row_stands_for_the_sidecar(vocab):
    m = read_manifest(UNGDC / "index.tsv", party_ids=set(vocab.parties_by_id))
    path = UNGDC / "ungdc-speeches" / "1975" / "FIN_30_1975.txt"
    ex = extract_document(path, vocab, sidecar=m.for_file(path))
    assert ex.document.meta.parties == ("FIN",) and ex.document.meta.genre == "speech"
    assert not [w for w in ex.warnings if "no title" in w or "no parties" in w]


def test_manifest_csv_with_a_column_mapping_and_a_fixed_value(tmp_path, vocab):
    table = tmp_path / "meta.csv"
    table.write_text("file,country,name,when\na.txt,CHN;RUS,Joint statement,2025-05-08\n", encoding="utf-8")
    columns = parse_columns(["parties=country,title=name", "date=when", "genre==joint-statement"])
    row = read_manifest(table, columns, party_ids=set(vocab.parties_by_id)).for_file(tmp_path / "a.txt")
    assert row == {"parties": ("CHN", "RUS"), "title": "Joint statement", "date": dt.date(2025, 5, 8),
                   "genre": "joint-statement"}


@pytest.mark.parametrize("text, where, what", [
    ("name\tiso3\nx.txt\tUSA\n", ":1", "no file column"),
    ("path\tiso3\nx.txt\tUSA\nsub/x.txt\tFRA\n", ":3", "also on line 2"),
    ("path\tiso3\nx.txt\tUSA\ny.txt\tXXY\n", ":3", "unknown party id 'XXY'"),
    ("path\tgenre\nx.txt\tpoem\n", ":2", "unknown genre 'poem'"),
])
def test_manifest_errors_name_the_line(tmp_path, vocab, text, where, what):
    table = tmp_path / "index.tsv"
    table.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_manifest(table, party_ids=set(vocab.parties_by_id))
    assert e.value.where == f"{table}{where}" and what in e.value.what


def test_manifest_bad_column_mapping_is_an_input_error():
    with pytest.raises(InputError, match="unknown key 'author'"):
        parse_columns(["author=iso3"])
    with pytest.raises(InputError, match="expected KEY=COLUMN"):
        parse_columns(["parties"])
