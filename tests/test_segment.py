"""Tests for segment.py: clause numbering, headings, noise, offsets, sentences; and real corpora."""
from __future__ import annotations

import tarfile
from pathlib import Path

import pytest

from normgraph.records import Clause, Document
from normgraph.text.documents import read_document
from normgraph.text.segment import segment, sentences

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
DATA = Path(__file__).resolve().parent / "data" / "documents"
CORPORA = ROOT.parent / "shared" / "corpora"
UNGDC = CORPORA / "ungdc" / "ungdc-speeches.tar.xz"


def clauses_of(path: Path) -> tuple[Document, list[Clause]]:
    doc = read_document(path)
    return doc, segment(doc)


def clauses_in(tmp_path: Path, text: str, name: str = "doc.txt") -> list[Clause]:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return segment(read_document(path))


def assert_well_formed(doc: Document, clauses: list[Clause]) -> None:
    """Exact offsets, clauses in text order without overlap, unique numbers, ordinals 1..n."""
    assert clauses, f"{doc.path.name}: no clause"
    end = 0
    for i, c in enumerate(clauses, 1):
        assert c.text == doc.text[c.start:c.end], (doc.path.name, c.number)
        assert c.text and not c.text[0].isspace() and not c.text[-1].isspace(), (doc.path.name, c.number)
        assert end <= c.start < c.end, (doc.path.name, c.number)
        assert doc.body_start <= c.start and c.end <= doc.body_end
        assert c.ordinal == i
        end = c.end
    numbers = [c.number for c in clauses]
    assert len(set(numbers)) == len(numbers), (doc.path.name, numbers)


# --- seeds ----------------------------------------------------------------


def test_segment_seed_declaration_has_24_numbered_clauses() -> None:
    doc, clauses = clauses_of(SEEDS / "cn-ru-2025-international-law.txt")
    assert [c.number for c in clauses] == [str(n) for n in range(1, 25)]
    assert all(c.kind == "numbered" and c.text.startswith(f"{c.number}.") for c in clauses)
    assert clauses[0].text.startswith("1.\u2002The People’s Republic of China and the Russian Federation")
    assert clauses[23].text.endswith("as well as international fairness and justice.")
    assert clauses[12].text.endswith("must be honored by States at all times.")  # no trailing U+2002
    assert_well_formed(doc, clauses)


def test_segment_seed_declaration_leaves_out_header_and_closing() -> None:
    doc, clauses = clauses_of(SEEDS / "cn-ru-2025-international-law.txt")
    for words in ("Updated:", "Ministry of Foreign Affairs", "Done at Moscow", "On Behalf of",
                  "Chinathe Russian Federation"):
        assert not any(words in c.text for c in clauses), words
    assert "Joint Declaration of the People’s Republic" not in clauses[0].text


def test_segment_seed_report_has_11_paragraph_clauses() -> None:
    doc, clauses = clauses_of(SEEDS / "xinhua-2025-05-08-report.txt")
    assert [c.number for c in clauses] == [str(n) for n in range(1, 12)]
    assert {c.kind for c in clauses} == {"paragraph"}
    assert clauses[0].text.startswith("China and Russia vowed to strengthen cooperation")
    assert clauses[10].text.startswith("China and Russia also call for concerted efforts")
    assert_well_formed(doc, clauses)


# --- real texts kept as fixtures -------------------------------------------


def test_segment_resolution_preamble_operative_and_lettered_items() -> None:
    doc, clauses = clauses_of(DATA / "A_RES_80_1.txt")
    assert [c.number for c in clauses] == ["p1", "p2", "p3", "p4", "p5",
                                           "1", "1(a)", "1(b)", "1(c)", "2", "3"]
    assert [c.kind for c in clauses[:6]] == ["preamble"] * 5 + ["numbered"]
    assert clauses[0].text.startswith("Expressing concern regarding situations")
    assert clauses[4].text == "Recalling also the Headquarters Agreement,"
    assert (clauses[6].parent, clauses[6].kind) == ("1", "numbered")
    assert clauses[10].text == ("3. Further decides that these procedures shall apply only during the "
                                "eightieth session.")
    assert_well_formed(doc, clauses)


def test_segment_resolution_paragraph_cut_by_page_header_is_one_clause() -> None:
    doc, clauses = clauses_of(DATA / "A_RES_80_1.txt")
    item_a = next(c for c in clauses if c.number == "1(a)")
    assert item_a.text.startswith("(a) The State of Palestine may submit a pre‑recorded statement")
    assert item_a.text.endswith("who is physically present in the Assembly Hall;")
    header = "Participation by the State of Palestine during the eightieth session"
    assert not any(c.text == header for c in clauses)
    assert not any(c.text.startswith("[1]") or "plenary meeting" in c.text for c in clauses)


def test_segment_resolution_running_header_and_footnote_are_not_clauses() -> None:
    doc, clauses = clauses_of(DATA / "A_RES_80_2.txt")
    assert [c.number for c in clauses] == ["p1", "p2", "1", "2", "3", "4", "5", "6"]
    assert not any(c.text.startswith("Scale of assessments") or c.text.startswith("[1]") for c in clauses)
    assert {c.section for c in clauses} == {None}  # the running header names no section
    assert_well_formed(doc, clauses)


def test_segment_white_house_paragraphs_and_section_headings() -> None:
    doc, clauses = clauses_of(DATA / "2021-03-01-u-s-mexico-joint-declaration.txt")
    assert [(c.number, c.kind) for c in clauses] == [(str(n), "paragraph") for n in range(1, 5)]
    assert [c.section for c in clauses] == [
        None, "Bilateral and Multilateral Cooperation on Migration",
        "Bilateral Cooperation for the Response and Recovery from COVID-19",
        "Bilateral Climate Change Cooperation"]
    assert clauses[1].text.startswith("Both leaders recognized the many contributions of migrants")
    assert not any("###" in c.text for c in clauses)
    assert "\u00a0tackling the climate crisis" in clauses[3].text  # NBSP kept as read
    assert_well_formed(doc, clauses)


# --- numbering rules on small texts ----------------------------------------


def test_segment_number_followed_by_any_unicode_space_or_glued(tmp_path: Path) -> None:
    text = ("1.\u2002We reaffirm the Charter.\n\n2.\u00a0We support “rules” of law.\n\n"
            "3)\u202fWe call for peace.\n\n4.We welcome the Treaty.\n\n5.\tWe oppose sanctions.\n")
    clauses = clauses_in(tmp_path, text)
    assert [c.number for c in clauses] == ["1", "2", "3", "4", "5"]
    assert clauses[1].text == "2.\u00a0We support “rules” of law."


def test_segment_unnumbered_paragraphs_before_and_after_numbers(tmp_path: Path) -> None:
    text = ("Recalling its resolutions,\n\nNoting the report,\n\n1. Decides:\n\nto act;\n\n"
            "Stresses the need.\n\nUrges States.\n\n2. Requests the Secretary-General.\n")
    clauses = clauses_in(tmp_path, text)
    assert [(c.number, c.kind, c.parent) for c in clauses] == [
        ("p1", "preamble", None), ("p2", "preamble", None), ("1", "numbered", None),
        ("1.1", "sub", "1"), ("1.2", "sub", "1"), ("1.3", "sub", "1"), ("2", "numbered", None)]


def test_segment_lettered_and_roman_items_under_numbered_clause(tmp_path: Path) -> None:
    items = "\n\n".join(f"({letter}) Item {letter};" for letter in "abcdefghij")
    text = f"3. Decides that:\n\n{items}\n\n(i) first sub-item;\n\n(ii) second sub-item;\n\n4. Ends.\n"
    numbers = [c.number for c in clauses_in(tmp_path, text)]
    assert numbers[:3] == ["3", "3(a)", "3(b)"]
    assert "3(i)" in numbers  # (i) after (h) is the letter i
    assert numbers[-3:] == ["3(j)(i)", "3(j)(ii)", "4"]  # (i) after (j) opens a roman list


def test_segment_repeated_numbering_gets_a_run_suffix(tmp_path: Path) -> None:
    text = ("Security\n\n1. We commit to defence.\n\n2. We share intelligence.\n\nTrade\n\n"
            "1. We open markets.\n\nWe also cut tariffs.\n\n2. We protect workers.\n")
    clauses = clauses_in(tmp_path, text)
    assert [(c.number, c.section) for c in clauses] == [
        ("1", "Security"), ("2", "Security"), ("1-2", "Trade"), ("1-2.1", "Trade"), ("2-2", "Trade")]


def test_segment_paragraph_text_with_lettered_list(tmp_path: Path) -> None:
    text = "We agree as follows:\n\na. First, we cut.\n\nb. Second, we build.\n\nWe stand together.\n"
    clauses = clauses_in(tmp_path, text)
    assert [(c.number, c.kind, c.parent) for c in clauses] == [
        ("1", "paragraph", None), ("1(a)", "numbered", "1"), ("1(b)", "numbered", "1"),
        ("2", "paragraph", None)]


def test_segment_us_is_not_a_lettered_number(tmp_path: Path) -> None:
    heading = "U.S.-Japan Cooperation for Peace"
    clauses = clauses_in(tmp_path, f"U.S. officials met.\n\n{heading}\n\nThey agreed.\n")
    assert [(c.number, c.section) for c in clauses] == [("1", None), ("2", heading)]


def test_segment_page_headers_in_mid_text_are_dropped(tmp_path: Path) -> None:
    text = ("1. Reaffirms the importance of the Treaty;\n\nA/RES/80/19\n\n25-12345 3/5\n\n"
            "2. Calls upon all States to comply;\n\n5 08-51845\n\n3. Decides to remain seized.\n")
    clauses = clauses_in(tmp_path, text)
    assert [c.number for c in clauses] == ["1", "2", "3"]
    assert clauses[1].text == "2. Calls upon all States to comply;"


def test_segment_heading_glued_before_a_number_is_split(tmp_path: Path) -> None:
    text = ("1. We met.\n\n2. We agreed.\n\n"
            "Partnerships and support mechanisms 3. We invite partners to act.\n\n4. We end.\n")
    clauses = clauses_in(tmp_path, text)
    assert [(c.number, c.section) for c in clauses][2] == ("3", "Partnerships and support mechanisms")
    assert clauses[2].text == "3. We invite partners to act."


def test_segment_crlf_and_bom_offsets_are_exact(tmp_path: Path) -> None:
    text = "\ufeff1.\u2002We agree on “free trade”.\r\n\r\n2. We part.\r\n"
    path = tmp_path / "crlf.txt"
    path.write_bytes(text.encode("utf-8"))
    doc = read_document(path)
    clauses = segment(doc)
    assert [c.text for c in clauses] == ["1.\u2002We agree on “free trade”.", "2. We part."]
    assert clauses[0].start == 1 and doc.text[clauses[1].start:clauses[1].end] == "2. We part."


# --- sentences --------------------------------------------------------------


def test_segment_sentences_keep_abbreviations_initials_and_quotes() -> None:
    text = ("1. The U.S. and the U.N. agree, e.g. on Art. 3 and para. 7 of No. 5 (see Art. 4. Here). "
            "They met Joseph R. Biden for 3.5 days; it rained. Did it? Yes! “We agree. We do.” The end")
    got = [s.text for s in sentences(text, 0, len(text))]
    assert got == ["1. The U.S. and the U.N. agree, e.g. on Art. 3 and para. 7 of No. 5 (see Art. 4. Here).",
                   "They met Joseph R. Biden for 3.5 days; it rained.", "Did it?", "Yes!",
                   "“We agree. We do.”", "The end"]


def test_segment_sentences_offsets_inside_a_clause() -> None:
    doc, clauses = clauses_of(SEEDS / "cn-ru-2025-international-law.txt")
    c = clauses[1]
    found = sentences(doc.text, c.start, c.end)
    assert all(doc.text[s.start:s.end] == s.text for s in found)
    assert found[0].text.startswith("2.\u2002The People’s Republic of China")
    assert found[1].text.startswith("They support widest possible participation of States in UN treaties")
    assert found[-1].end == c.end and len(found) == 3


def test_segment_sentences_end_after_closing_quote() -> None:
    text = "They reject a “rules-based order.” The parties agreed."
    assert [s.text for s in sentences(text, 0, len(text))] == ["They reject a “rules-based order.”",
                                                              "The parties agreed."]


# --- real corpora -------------------------------------------------------------


@pytest.mark.skipif(not CORPORA.is_dir(), reason=f"the shared corpora are not at {CORPORA}")
@pytest.mark.parametrize("folder", ["wh-joint-statements", "unga-80"])
def test_segment_every_corpus_document(folder: str) -> None:
    paths = sorted((CORPORA / folder).glob("*.txt"))
    assert len(paths) > 50
    for path in paths:
        doc, clauses = clauses_of(path)
        assert_well_formed(doc, clauses)
        assert not any(c.text.startswith("[1] ") for c in clauses), path.name


def _speech_sample(target: Path, size: int = 200) -> list[Path]:
    """Every N-th speech of the archive (N = speeches // size), read straight from the tar.xz."""
    index = UNGDC.parent / "index.tsv"
    total = sum(1 for _ in index.open(encoding="utf-8")) - 1 if index.is_file() else 10952
    step = max(1, total // size)
    out: list[Path] = []
    with tarfile.open(UNGDC, "r|xz") as archive:
        n = 0
        for member in archive:
            if not (member.isfile() and member.name.endswith(".txt")):
                continue
            if n % step == 0 and len(out) < size:
                data = archive.extractfile(member).read()
                out.append(target / Path(member.name).name)
                out[-1].write_bytes(data)
            n += 1
    return out


@pytest.mark.skipif(not UNGDC.is_file(), reason=f"the UN General Debate archive is not at {UNGDC}")
def test_segment_sample_of_general_debate_speeches(tmp_path: Path) -> None:
    paths = _speech_sample(tmp_path)
    assert len(paths) == 200
    texts = [read_document(p).text for p in paths]
    assert any(t.startswith("\ufeff") for t in texts) and any("\r" in t for t in texts)
    for path in paths:
        doc, clauses = clauses_of(path)
        assert_well_formed(doc, clauses)
        assert not clauses[0].text.startswith("\ufeff")
