"""Mentions: vocabulary names, instruments found by their shape, coreference, and the matcher's case rules."""
from __future__ import annotations

from pathlib import Path

import pytest

from normgraph.extract.mentions import find_mentions
from normgraph.text.documents import read_document
from normgraph.text.segment import segment


def _labels(vocab, text):
    return [(m.entity.kind, m.entity.label) for m in vocab.match(text)]


def test_mentions_abbreviations_match_with_their_case_only(vocab):
    assert ("party", "Shanghai Cooperation Organization") in _labels(vocab, "the SCO summit")
    found = _labels(vocab, "a disco in Moscow, a sco score")
    assert ("party", "Shanghai Cooperation Organization") not in found
    assert ("instrument", "United Nations Convention on the Law of the Sea") in _labels(vocab, "under UNCLOS")
    assert not _labels(vocab, "the unclos")


def test_mentions_longest_match_wins(vocab):
    found = _labels(vocab, "the Charter of the United Nations and the United Nations")
    assert found == [("instrument", "Charter of the United Nations"), ("party", "United Nations")]


def test_mentions_variants_of_spelling_match(vocab):
    for text in ("non-intervention", "non intervention", "Non-Intervention", "non‑intervention"):
        assert ("principle", "non-intervention") in _labels(vocab, text), text
    assert ("party", "People's Republic of China") in _labels(vocab, "The People’s Republic of China")


def test_mentions_parenthetical_abbreviation_inside_a_name(vocab):
    found = _labels(vocab, "the international system with the United Nations (UN) at its core")
    assert found and found[0][0] == "concept" and "international system" in found[0][1]


@pytest.fixture(scope="module")
def seed_mentions(vocab):
    path = Path(__file__).resolve().parents[1] / "seeds" / "cn-ru-2025-international-law.txt"
    doc = read_document(path, party_ids=set(vocab.parties_by_id))
    return find_mentions(doc, segment(doc), vocab)


def test_mentions_seed_clause_5_names_the_three_conventions(seed_mentions):
    labels = {m.entity.label for m in seed_mentions["5"]}
    assert {"United Nations Convention on the Law of the Sea", "Vienna Convention on the Law of Treaties",
            "Vienna Convention on Diplomatic Relations"} <= labels


def test_mentions_no_spurious_instrument_in_the_declaration(seed_mentions):
    found = {m.entity.label for ms in seed_mentions.values() for m in ms if m.entity.kind == "instrument"}
    assert found == {
        "Charter of the United Nations", "Biological Weapons Convention", "Paris Agreement",
        "Declaration of the People's Republic of China and the Russian Federation on the Promotion of "
        "International Law",
        "Declaration on Principles of International Law concerning Friendly Relations and Cooperation among "
        "States in accordance with the Charter of the United Nations",
        "Protocol to the Biological Weapons Convention",
        "Treaty on Prevention of the Placement of Weapons in Outer Space and of the Threat or Use of Force "
        "against Outer Space Objects",
        "United Nations Convention against Cybercrime", "United Nations Convention on the Law of the Sea",
        "United Nations Framework Convention on Climate Change", "Vienna Convention on Diplomatic Relations",
        "Vienna Convention on the Law of Treaties",
        "additional protocol to the United Nations Convention against Cybercrime",
        "international legally binding instrument on plastic pollution",
    }


def test_mentions_anaphora_resolve_to_the_instrument_meant(seed_mentions):
    c18 = {m.surface: m.entity.label for m in seed_mentions["18"]}
    assert c18["this universal treaty"] == "United Nations Convention on the Law of the Sea"
    assert c18["the Convention"] == "United Nations Convention on the Law of the Sea"
    c9 = {m.surface: m.entity.label for m in seed_mentions["9"]}
    assert c9["this principle"] == "non-intervention"


def test_mentions_unknown_titled_instrument_is_added_outside_the_vocabulary(vocab, tmp_path):
    doc_path = tmp_path / "d.txt"
    doc_path.write_text("1. The parties welcome the 1994 Convention on Nuclear Safety Culture in Small Reactors.\n",
                        encoding="utf-8")
    doc = read_document(doc_path)
    ms = find_mentions(doc, segment(doc), vocab)["1"]
    shaped = [m for m in ms if not m.entity.in_vocabulary]
    assert [m.surface for m in shaped] == ["1994 Convention on Nuclear Safety Culture in Small Reactors"]
    assert "http://www.w3.org" not in shaped[0].entity.iri and shaped[0].entity.kind == "instrument"


def test_mentions_vocabulary_is_loaded_once_per_process():
    from normgraph.extract.vocabulary import load_vocabulary

    assert load_vocabulary() is load_vocabulary()
