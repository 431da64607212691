"""The bad-input catalogue: each input gives one line saying what and where, the right exit code, and loses nothing.

For every case `normgraph build INPUT -o kg` is run over a folder holding a good document and
the bad one, with an earlier kg/ in place; afterwards kg/ and the input folder are byte-identical
to what they were. Inputs that are odd but fine (BOM, CRLF, odd file names) build, and leave the
input folder as it was. Guards issue 10 (findings 6, 9, 11 and the first audit's catalogue).
"""
from __future__ import annotations

import pytest

from conftest import count, tree
from normgraph.cli import main
from normgraph.text.documents import MAX_PARAGRAPH_CHARS, MAX_TEXT_BYTES

GOOD = "1. We reaffirm the Charter of the United Nations.\n\n2. We oppose unilateral sanctions.\n"



@pytest.fixture()
def setup(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "good.txt").write_text(GOOD, encoding="utf-8")
    kg = tmp_path / "kg"
    assert main(["build", str(docs), "-o", str(kg), "-q", "--no-validate"]) == 0
    return docs, kg


def _utf16(text: str) -> bytes:
    return text.encode("utf-16")


BAD = {  # name: (files to add {relative path: bytes}, words the one line must hold)
    "empty": ({"bad.txt": b""}, ["bad.txt", "empty"]),
    "blank": ({"bad.txt": b" \n\t\n\xef\xbb\xbf\n"}, ["bad.txt", "empty"]),
    "binary": ({"bad.txt": b"\x00\x01\x02\x03binary"}, ["bad.txt", "binary", "NUL"]),
    "latin-1": ({"bad.txt": "café au lait".encode("latin-1")}, ["bad.txt", "not UTF-8", "0xe9"]),
    "utf-16": ({"bad.txt": _utf16(GOOD)}, ["bad.txt", "UTF-16", "UTF-8"]),
    "utf-16 without bom": ({"bad.txt": GOOD.encode("utf-16-le")}, ["bad.txt", "UTF-16LE"]),
    "one long paragraph": ({"bad.txt": ("1. " + "word " * (MAX_PARAGRAPH_CHARS // 5 + 1)).encode()},
                           ["bad.txt", "paragraph at line 1", "limit"]),
    "huge": ({"bad.txt": b"1. We reaffirm the Charter.\n\n" * (MAX_TEXT_BYTES // 29 + 1)}, ["bad.txt", "too large"]),
    "sidecar not toml": ({"bad.txt": GOOD.encode(), "bad.meta.toml": b'title = "unterminated\n'},
                         ["bad.meta.toml", "not valid TOML"]),
    "sidecar unknown key": ({"bad.txt": GOOD.encode(), "bad.meta.toml": b'titel = "A"\n'},
                            ["bad.meta.toml", "unknown key", "title"]),
    "sidecar bad date": ({"bad.txt": GOOD.encode(), "bad.meta.toml": b'date = "8 May"\n'},
                         ["bad.meta.toml", "bad date"]),
    "sidecar unknown party": ({"bad.txt": GOOD.encode(), "bad.meta.toml": b'parties = ["CHN", "XYZ"]\n'},
                              ["bad.meta.toml", "XYZ"]),
    "sidecar source not a url": ({"bad.txt": GOOD.encode(),
                                  "bad.meta.toml": b'source = "UN General Debate Corpus, x/y.txt"\n'},
                                 ["bad.meta.toml", "bad source"]),
    "sidecar binary": ({"bad.txt": GOOD.encode(), "bad.meta.toml": b"\x00\x01"}, ["bad.meta.toml", "binary"]),
    "same stem twice": ({"a/twice.txt": GOOD.encode(), "b/twice.txt": GOOD.encode()},
                        ["twice.txt", "document id 'twice'"]),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_is_one_line_exit_2_and_loses_nothing(setup, capsys, case):
    """Issue 10: each bad input of the catalogue gives one line (what and where), exit 2, kg/ and inputs intact."""
    docs, kg = setup
    files, words = BAD[case]
    for name, data in files.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_bytes(data)
    before_docs, before_kg = tree(docs), tree(kg)
    capsys.readouterr()
    assert main(["build", str(docs), "-o", str(kg), "-q", "--no-validate"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert all(w in err[0] for w in words), (err[0], words)
    assert tree(docs) == before_docs and tree(kg) == before_kg
    count("bad inputs refused with one line, nothing lost")


def test_a_missing_input_is_one_line(setup, capsys):
    """Issue 10: a path that does not exist."""
    docs, kg = setup
    before = tree(kg)
    assert main(["build", str(docs / "missing.txt"), "-o", str(kg), "-q"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "missing.txt" in err[0] and "no such file" in err[0]
    assert tree(kg) == before


FINE = {
    "bom": "\ufeff" + GOOD,
    "crlf": GOOD.replace("\n", "\r\n"),
    "cr only": GOOD.replace("\n", "\r"),
    "form feeds": GOOD.replace("\n\n", "\n\f\n"),
    "unicode separators": GOOD.replace("\n\n", "\u2029").replace(".", ".\u2028"),
}
NAMES = ["a b", "中文 文件", "-starts-with-dash", "quote's \"name\"", "semi;colon&amp", "50%", "#hash?", "Ünïcödé"]


@pytest.mark.parametrize("case", sorted(FINE))
def test_odd_but_fine_text_builds_and_leaves_the_input_alone(setup, case):
    """Issue 10: a BOM, CRLF, CR, form feeds and Unicode separators are read, and the input is untouched."""
    docs, kg = setup
    (docs / "odd.txt").write_bytes(FINE[case].encode("utf-8"))
    before = tree(docs)
    assert main(["build", str(docs), "-o", str(kg), "-q"]) == 0
    assert tree(docs) == before
    assert main(["validate", str(kg)]) == 0
    count("odd but valid inputs built")


def test_odd_file_names_build_and_stay_distinct(setup):
    """Issue 10, finding 7: odd file names give distinct documents and graph files named as the inputs."""
    docs, kg = setup
    for name in NAMES:
        (docs / f"{name}.txt").write_text(GOOD, encoding="utf-8")
    before = tree(docs)
    assert main(["build", str(docs), "-o", str(kg), "-q"]) == 0
    assert tree(docs) == before
    assert {p.stem for p in kg.iterdir()} == {*NAMES, "good", "provenance"}
    assert main(["validate", str(kg)]) == 0
