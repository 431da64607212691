"""Tests for extract/symbols.py: instruments cited by UN document symbol, one node per symbol (issue 12)."""
from __future__ import annotations

import pytest

from conftest import CORPORA, DATA
from normgraph.extract.symbols import symbol_mentions
from normgraph.pipeline import extract_document

UNGA = CORPORA / "unga-80"


def _symbols(text: str, vocab, series: str | None = "A/RES/") -> list[tuple[str, str]]:
    return [(m.surface, m.entity.notation or m.entity.label)
            for m in symbol_mentions(text, 0, len(text), vocab, series)]


def test_symbols_enumeration_of_resolutions_and_a_decision(vocab):
    # A/RES/80/4, preamble: "Recalling its resolutions 47/19 of 24 November 1992, 48/16 of 3 November 1993 ..."
    text = ("Recalling its resolutions 47/19 of 24 November 1992, 48/16 of 3 November 1993 and 79/7 of "
            "30 October 2024 and its decision 76/563 of 11 May 2022,")
    assert _symbols(text, vocab) == [("resolutions 47/19", "A/RES/47/19"), ("48/16", "A/RES/48/16"),
                                     ("79/7", "A/RES/79/7"), ("decision 76/563", "A/DEC/76/563")]


@pytest.mark.parametrize("text,symbol", [
    ("consistent with Security Council resolution 1701 (2006)", None),  # in the vocabulary: its own entity
    ("General Assembly resolution 60/180", "A/RES/60/180"),
    ("Human Rights Council resolution 31/1", "A/HRC/RES/31/1"),
    ("Economic and Social Council resolution 1980/67 of 25 July 1980", "E/RES/1980/67"),
    ("resolution 2200 A (XXI), annex", "A/RES/2200A(XXI)"),
    ("its resolutions 54/54 B of 1 December 1999", "A/RES/54/54B"),
    ("resolution ES-11/1", "A/RES/ES-11/1"),
    ("as set out in A/RES/77/7", "A/RES/77/7"),
    ("resolution 2417 (2018) of the Council", "S/RES/2417(2018)"),
])
def test_symbols_shapes(vocab, text, symbol):
    found = symbol_mentions(text, 0, len(text), vocab, "A/RES/")
    assert len(found) == 1
    if symbol is None:
        assert found[0].entity.in_vocabulary and found[0].entity.label == "Security Council resolution 1701 (2006)"
    else:
        assert found[0].entity.notation == symbol and found[0].entity.kind == "instrument"


def test_symbols_not_a_symbol(vocab):
    for text in ("resolution 1, annexes I and II", "the report A/80/534, para. 7", "decision-making processes"):
        assert symbol_mentions(text, 0, len(text), vocab, "A/RES/") == []


def test_symbols_one_node_per_symbol_in_every_document(vocab, tmp_path):
    a = symbol_mentions("Recalling its resolution 47/19,", 0, 31, vocab, "A/RES/")
    b = symbol_mentions("General Assembly resolution 47/19", 0, 33, vocab, None)
    assert a[0].entity.iri == b[0].entity.iri == "https://w3id.org/normgraph/id/instrument/symbol/A/RES/47/19"


# counted by hand in the texts: every resolution or decision cited, reports (A/80/534) and drafts left out
HAND_COUNTED = {
    # 32 resolutions 47/19 ... 79/7 (a list cut by a page header) and decision 76/563
    "A_RES_80_4": 33,
    # resolutions 53/199 and 61/185, Economic and Social Council resolution 1980/67
    "A_RES_80_10": 3,
    # 45/55 B, 47/51, 48/74 A, 72/250, 77/250, 79/19 and decision 79/512 (S-10/2 stands in a footnote)
    "A_RES_80_19": 7,
}


@pytest.mark.parametrize("name,count", sorted(HAND_COUNTED.items()))
def test_symbols_every_symbol_of_a_resolution_is_one_node(vocab, name, count):
    path = UNGA / f"{name}.txt"
    if not path.exists():
        path = DATA / "corpus-sample" / f"{name}.txt"
    ex = extract_document(path, vocab)
    cited = {m.entity.iri for ms in ex.mentions.values() for m in ms
             if m.entity.notation and ("/RES/" in m.entity.notation or "/DEC/" in m.entity.notation)}
    assert len(cited) == count
