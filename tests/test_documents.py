"""Tests for documents.py: reading text and sidecars, inferred metadata, front and back matter."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from normgraph.errors import InputError
from normgraph.text.documents import find_date, read_document
from normgraph.text.layout import paragraphs

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
DATA = Path(__file__).resolve().parent / "data" / "documents"
DECLARATION = SEEDS / "cn-ru-2025-international-law.txt"
REPORT = SEEDS / "xinhua-2025-05-08-report.txt"
RESOLUTION = DATA / "A_RES_80_1.txt"
WHITE_HOUSE = DATA / "2021-03-01-u-s-mexico-joint-declaration.txt"


@pytest.fixture
def bare_declaration(tmp_path: Path) -> Path:
    """The seed declaration without its sidecar."""
    return Path(shutil.copy(DECLARATION, tmp_path / DECLARATION.name))


def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_bytes(content.encode("utf-8"))
    return path


# --- metadata -------------------------------------------------------------


def test_documents_sidecar_gives_metadata() -> None:
    doc = read_document(DECLARATION)
    assert doc.id == "cn-ru-2025-international-law"
    assert doc.meta.date == dt.date(2025, 5, 8)
    assert doc.meta.parties == ("CHN", "RUS")
    assert doc.meta.genre == "declaration"
    assert doc.meta.place == "Moscow"
    assert doc.meta.title.startswith("Joint Declaration of the People's Republic of China")
    assert doc.warnings == ()


def test_documents_infers_declaration_metadata_without_sidecar(bare_declaration: Path) -> None:
    doc = read_document(bare_declaration)
    assert doc.meta.date == dt.date(2025, 5, 8)  # "Done at Moscow, on 8 May, 2025", not "Updated: May 09"
    assert doc.meta.place == "Moscow"
    assert doc.meta.title == ("Joint Declaration of the People’s Republic of China and the Russian "
                              "Federation on Further Strengthening Cooperation to Uphold the Authority "
                              "of International Law")
    assert doc.meta.genre == "declaration"
    assert doc.meta.parties == ()  # parties are found later, with the vocabulary
    assert doc.warnings == ()


def test_documents_report_without_sidecar_warns_for_each_missing_field(tmp_path: Path) -> None:
    doc = read_document(Path(shutil.copy(REPORT, tmp_path / REPORT.name)))
    assert (doc.meta.title, doc.meta.date, doc.meta.place, doc.meta.genre) == (None, None, None, None)
    assert all(w.startswith(f"{doc.path}: ") for w in doc.warnings)  # every warning names its file (issue 11)
    fields = [w.removeprefix(f"{doc.path}: ").split(":")[0] for w in doc.warnings]
    assert fields == ["no title", "no date", "no place", "no genre"]
    assert "no sidecar" in doc.warnings[1] and "Done at" in doc.warnings[1]


def test_documents_sidecar_without_place_warns_about_place_only() -> None:
    doc = read_document(WHITE_HOUSE)
    assert doc.meta.title == "U.S.-Mexico Joint Declaration"
    assert doc.warnings == (f"{WHITE_HOUSE}: no place: the sidecar has no 'place' and no 'Done at PLACE' line "
                            "or dateline",)


def test_documents_resolution_metadata_from_its_header(tmp_path: Path) -> None:
    doc = read_document(Path(shutil.copy(RESOLUTION, tmp_path / RESOLUTION.name)))
    # "Resolution adopted by the General Assembly on 19 September 2025", not the distribution date
    assert doc.meta.date == dt.date(2025, 9, 19)
    assert doc.meta.title == "Participation by the State of Palestine during the eightieth session"
    assert doc.meta.genre == "resolution"
    assert [w.removeprefix(f"{doc.path}: ").split(":")[0] for w in doc.warnings] == ["no place"]


def test_documents_dateline_gives_date_and_place(tmp_path: Path) -> None:
    path = write(tmp_path / "g.txt", "Hiroshima, 20 May 2023\n\nWe, the Leaders, met today.\n")
    doc = read_document(path)
    assert (doc.meta.date, doc.meta.place) == (dt.date(2023, 5, 20), "Hiroshima")
    assert doc.text[doc.body_start:].startswith("We, the Leaders")


@pytest.mark.parametrize(("text", "date"), [
    ("Done at Moscow, on 8 May, 2025.", dt.date(2025, 5, 8)),
    ("Updated: May 09, 2025 09:05", dt.date(2025, 5, 9)),
    ("Signed at Washington this 3rd day of May 2020", dt.date(2020, 5, 3)),
    ("Signed at Jerusalem on the 14th day of the July, 2022", dt.date(2022, 7, 14)),
    ("date = 2025-05-08", dt.date(2025, 5, 8)),
    ("on 31 February 2020", None),
    ("no date here", None),
])
def test_documents_find_date_reads_written_dates(text: str, date: dt.date | None) -> None:
    assert find_date(text) == date


# --- front and back matter ------------------------------------------------


def test_documents_declaration_front_and_back_matter() -> None:
    doc = read_document(DECLARATION)
    front, back = doc.text[:doc.body_start], doc.text[doc.body_end:]
    body = doc.text[doc.body_start:doc.body_end]
    assert "Updated: May 09, 2025 09:05" in front and "Ministry of Foreign Affairs" in front
    assert body.startswith("1.\u2002The People’s Republic of China")
    assert body.endswith("as well as international fairness and justice.")
    assert "Done at Moscow, on 8 May, 2025." in back
    assert "the People’s Republic of Chinathe Russian Federation" in back


def test_documents_resolution_front_and_back_matter() -> None:
    doc = read_document(RESOLUTION)
    front, back = doc.text[:doc.body_start], doc.text[doc.body_end:]
    assert front.rstrip().endswith("The General Assembly,")
    assert "[without reference to a Main Committee (A/80/L.2/Rev.1)]" in front
    assert doc.text[doc.body_start:].startswith("Expressing concern regarding situations")
    assert "3rd plenary meeting" in back and "[1] See resolution 169 (II)." in back


def test_documents_white_house_end_mark_is_back_matter() -> None:
    doc = read_document(WHITE_HOUSE)
    assert doc.text[doc.body_end:].strip() == "###"
    assert doc.body_start == 0


def test_documents_signatures_after_text_are_back_matter(tmp_path: Path) -> None:
    text = ("We commit ourselves to defending an open world.\n\nJoseph R. Biden, Jr.\n\nAngela Merkel\n\n"
            "July 15, 2021\n\n###\n")
    doc = read_document(write(tmp_path / "w.txt", text))
    assert doc.text[doc.body_start:doc.body_end] == "We commit ourselves to defending an open world."


def test_documents_closing_sentence_of_a_speech_stays_in_the_body(tmp_path: Path) -> None:
    text = "We meet in an hour of challenge.\n\nOn behalf of my delegation, I thank the President.\n"
    doc = read_document(write(tmp_path / "s.txt", text))
    assert doc.text[doc.body_start:doc.body_end] == text.strip()


# --- text as read -----------------------------------------------------------


def test_documents_keeps_bom_and_crlf_in_text(tmp_path: Path) -> None:
    path = write(tmp_path / "crlf.txt", "\ufeffJoint Statement on Ports\r\n\r\nWe agree.\r\n\r\nWe act.\r\n")
    doc = read_document(path)
    assert doc.text.startswith("\ufeffJoint Statement") and "\r\n" in doc.text
    assert doc.meta.title == "Joint Statement on Ports"
    assert doc.text[doc.body_start:doc.body_end] == "We agree.\r\n\r\nWe act."


def test_documents_paragraphs_split_at_blank_nbsp_and_numbered_lines() -> None:
    text = "First para\nwraps here.\n\u00a0\nSecond.\n184.\tThird opens with a number.\nIt goes on."
    blocks = paragraphs(text)
    assert [b.text for b in blocks] == ["First para\nwraps here.", "Second.",
                                        "184.\tThird opens with a number.\nIt goes on."]
    assert all(text[b.start:b.end] == b.text for b in blocks)


def test_documents_paragraphs_one_long_line_each_with_cr_line_ends() -> None:
    first = "We extend our welcome to the new States Members of our Organization, " * 3
    text = f"{first.strip()}.\rPeace, democracy and development are the themes of this session.\r"
    blocks = paragraphs(text)
    assert [b.text[:5] for b in blocks] == ["We ex", "Peace"]
    assert all(text[b.start:b.end] == b.text for b in blocks)


def test_documents_paragraphs_split_indented_lines_after_a_sentence() -> None:
    text = "It is an honour to\nspeak here today.\n I would also like\nto thank the President."
    assert [b.text for b in paragraphs(text)] == ["It is an honour to\nspeak here today.",
                                                  "I would also like\nto thank the President."]


# --- bad input ------------------------------------------------------------


@pytest.mark.parametrize(("name", "content", "problem"), [
    ("empty.txt", "", "empty file"),
    ("blank.txt", " \n\u00a0\n\t", "empty file"),
    ("binary.txt", b"PK\x03\x04\x00\x00", "binary file (NUL byte at byte offset 4)"),
    ("latin1.txt", "Résolution".encode("latin-1"), "not UTF-8: invalid byte 0xe9 at byte offset 1"),
])
def test_documents_bad_text_raises_input_error(tmp_path: Path, name: str, content: str | bytes,
                                               problem: str) -> None:
    path = write(tmp_path / name, content)
    with pytest.raises(InputError) as err:
        read_document(path)
    assert name in str(err.value) and problem in str(err.value)


def test_documents_missing_file_and_directory_raise_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nothere\.txt: no such file"):
        read_document(tmp_path / "nothere.txt")
    with pytest.raises(InputError, match="is a directory"):
        read_document(tmp_path)


@pytest.mark.parametrize(("sidecar", "problem"), [
    ('title = "A"\ndate = 2025-05-08\ngenre = declaration\n', "not valid TOML"),
    ('date = "May 8, 2025"\n', "bad date 'May 8, 2025'"),
    ('date = "2025-02-30"\n', "bad date '2025-02-30'"),
    ("date = 2025-05-08T10:00:00\n", "a date and time"),
    ('titel = "A"\n', "unknown key 'titel' (did you mean 'title'?)"),
    ('genre = "treaty"\n', "unknown genre 'treaty': expected one of declaration | joint-statement"),
    ('parties = "CHN"\n', "bad parties 'CHN'"),
    ('parties = ["CHN", "RUX"]\n', "unknown party id 'RUX' in parties"),
    ("place = 3\n", "bad place 3: expected a non-empty string"),
])
def test_documents_bad_sidecar_raises_input_error(tmp_path: Path, sidecar: str, problem: str) -> None:
    text = write(tmp_path / "doc.txt", "We agree.\n")
    write(tmp_path / "doc.meta.toml", sidecar)
    with pytest.raises(InputError) as err:
        read_document(text, party_ids={"CHN", "RUS", "USA"})
    assert "doc.meta.toml" in str(err.value) and problem in str(err.value)


def test_documents_bad_toml_error_names_the_line(tmp_path: Path) -> None:
    text = write(tmp_path / "doc.txt", "We agree.\n")
    write(tmp_path / "doc.meta.toml", 'title = "A"\ngenre = declaration\n')
    with pytest.raises(InputError, match="line 2"):
        read_document(text)


def test_documents_unknown_party_suggests_close_ids(tmp_path: Path) -> None:
    text = write(tmp_path / "doc.txt", "We agree.\n")
    write(tmp_path / "doc.meta.toml", 'parties = ["RUX"]\n')
    with pytest.raises(InputError, match="did you mean RUS"):
        read_document(text, party_ids={"CHN", "RUS"})
    assert read_document(text).meta.parties == ("RUX",)  # without party_ids, nothing to check against


def test_documents_explicit_sidecar_must_exist(tmp_path: Path) -> None:
    text = write(tmp_path / "doc.txt", "We agree.\n")
    with pytest.raises(InputError, match=r"other\.meta\.toml: no such file"):
        read_document(text, meta_path=tmp_path / "other.meta.toml")


def test_documents_explicit_sidecar_is_used(tmp_path: Path) -> None:
    text = write(tmp_path / "doc.txt", "We agree.\n")
    meta = write(tmp_path / "elsewhere.toml", 'date = "2024-01-02"\nsymbol = "A/RES/1"\n')
    doc = read_document(text, meta_path=meta)
    assert (doc.meta.date, doc.meta.symbol) == (dt.date(2024, 1, 2), "A/RES/1")
