"""Nothing the user gave is lost, every output parses: regression tests for the findings of issue 10.

Each test names the finding it guards. The slow variants (many kills, thousands of generated
documents) are in test_stress.py and run with `make stress`.
"""
from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import time

import pytest

from conftest import DECLARATION, tree
from normgraph.cli import main
from normgraph.rdf import output


@pytest.fixture()
def docs(tmp_path):
    d = tmp_path / "m"
    d.mkdir()
    shutil.copy(DECLARATION, d / DECLARATION.name)
    shutil.copy(DECLARATION.with_suffix(".meta.toml"), d / DECLARATION.with_suffix(".meta.toml").name)
    return d


# ---------------------------------------------------------------------------- finding 1: -o never destroys input


def test_build_into_its_own_input_folder_is_refused_and_keeps_it(docs, capsys):
    """Issue 10, finding 1: `build m -o m` deleted the inputs and exited 0."""
    before = tree(docs)
    assert main(["build", str(docs), "-o", str(docs), "-q"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "holds the input" in err[0], err
    assert tree(docs) == before


def test_build_into_a_folder_with_other_files_is_refused(docs, tmp_path, capsys):
    """Issue 10, finding 1: an -o folder holding files normgraph did not write is left alone, with one line."""
    out = tmp_path / "results"
    out.mkdir()
    (out / "notes.md").write_text("my notes\n", encoding="utf-8")
    (out / "mine.ttl").write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    before = tree(out)
    assert main(["build", str(docs), "-o", str(out), "-q"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "did not write" in err[0] and "mine.ttl" in err[0] and "notes.md" in err[0]
    assert tree(out) == before


def test_build_replaces_its_own_earlier_output(docs, tmp_path):
    """Issue 10, finding 1: the guard still lets a build replace the graph an earlier build wrote."""
    out = tmp_path / "kg"
    assert main(["build", str(docs), "-o", str(out), "-q"]) == 0
    (out / "gone.ttl").write_bytes((out / f"{DECLARATION.stem}.ttl").read_bytes())
    assert main(["build", str(docs), "-o", str(out), "-q"]) == 0
    assert sorted(p.name for p in out.iterdir()) == [f"{DECLARATION.stem}.ttl", "provenance.ttl"]


# ---------------------------------------------------------------------------- finding 5: crash-safe swap, lock


def test_a_crash_between_the_two_renames_is_repaired_by_the_next_build(tmp_path, monkeypatch):
    """Issue 10, finding 5: a kill between the renames of the old swap left no kg/ at all.

    Where the platform cannot exchange two folders atomically, the old folder is set aside under
    a fixed name that the next build (under the lock) puts back.
    """
    out = tmp_path / "kg"
    output.replace_dir({"a.ttl": b"old"}, out)
    monkeypatch.setattr(output, "_exchange", lambda a, b: False)
    real_rename = os.rename
    calls = []

    def dies_on_second_rename(src, dst):
        calls.append(src)
        if len(calls) == 2:
            raise KeyboardInterrupt  # the process is gone between the two renames
        real_rename(src, dst)

    monkeypatch.setattr(output.os, "rename", dies_on_second_rename)
    with pytest.raises(KeyboardInterrupt):
        output.replace_dir({"a.ttl": b"new"}, out)
    monkeypatch.setattr(output.os, "rename", real_rename)
    with output.build_lock(out):
        assert (out / "a.ttl").read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".kg.lock", "kg"]


def test_the_swap_is_one_atomic_exchange_on_linux(tmp_path, monkeypatch):
    """Issue 10, finding 5: where renameat2 exists, old and new are exchanged in one step (no moment without kg/)."""
    out = tmp_path / "kg"
    output.replace_dir({"a.ttl": b"old"}, out)
    monkeypatch.setattr(output.os, "rename", lambda *a: pytest.fail("two-rename fallback used"))
    output.replace_dir({"b.ttl": b"new"}, out)
    assert tree(out) == {"b.ttl": b"new"}


def test_a_second_build_of_the_same_folder_stops_with_one_line(docs, tmp_path, capsys):
    """Issue 10, finding 5: two builds at once both exited 0 (the last silently won) or left .kg-old-PID."""
    out = tmp_path / "kg"
    assert main(["build", str(docs), "-o", str(out), "-q"]) == 0
    before = tree(out)
    code = ("import sys, time; from normgraph.rdf.output import build_lock\n"
            f"with build_lock({str(out)!r}):\n    print('locked', flush=True); time.sleep(30)\n")
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        assert main(["build", str(docs), "-o", str(out), "-q"]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and f"pid {holder.pid}" in err[0] and "another normgraph build" in err[0]
    finally:
        holder.kill()
        holder.wait()
    assert tree(out) == before
    assert main(["build", str(docs), "-o", str(out), "-q"]) == 0  # the lock died with its process
    assert sorted(p.name for p in tmp_path.iterdir()) == [".kg.lock", "kg", "m"]


def test_a_killed_build_leaves_the_old_graph_whole(docs, tmp_path):
    """Issue 10, finding 5: SIGKILL at any moment of a build leaves kg/ old or new, never missing or mixed."""
    out = tmp_path / "kg"
    assert main(["build", str(docs), "-o", str(out), "-q"]) == 0
    before = tree(out)
    exe = [sys.executable, "-m", "normgraph", "build", str(docs), "-o", str(out), "-q", "-j", "1"]
    for delay in (0.3, 0.8, 1.5):
        proc = subprocess.Popen(exe)
        time.sleep(delay)
        proc.kill()
        proc.wait()
        assert tree(out) == before
    assert main(["build", str(docs), "-o", str(out), "-q"]) == 0
    assert tree(out) == before


# ---------------------------------------------------------------------------- finding 10: the umask is respected


@pytest.mark.parametrize("mask", [0o022, 0o002])
def test_kg_and_exports_get_the_modes_the_umask_gives(docs, tmp_path, mask):
    """Issue 10, finding 10: kg/ was created 0700 and `export -o` files 0600 whatever the umask."""
    old = os.umask(mask)
    try:
        out = tmp_path / "kg"
        assert main(["build", str(docs), "-o", str(out), "-q"]) == 0
        exported = tmp_path / "all.nt"
        assert main(["export", str(out), "-f", "nt", "-o", str(exported)]) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o777 & ~mask
    assert {stat.S_IMODE(p.stat().st_mode) for p in out.iterdir()} == {0o666 & ~mask}
    assert stat.S_IMODE(exported.stat().st_mode) == 0o666 & ~mask


# ---------------------------------------------------------------------------- finding 3: every output parses

SEPARATORS = {"form feed": "\f", "line separator": "\u2028", "next line": "\u0085", "paragraph separator": "\u2029",
              "vertical tab": "\v", "file separator": "\x1c", "CR": "\r"}


@pytest.fixture(scope="module")
def separator_kg(tmp_path_factory):
    """A build of one document holding every line and page separator pdftotext and word processors write."""
    root = tmp_path_factory.mktemp("separators")
    d = root / "d"
    d.mkdir()
    text = "".join(f"{n}. We reaffirm the Charter of the United Nations.{ch}\n\n" for n, ch in
                   enumerate(SEPARATORS.values(), start=1))
    (d / "a.txt").write_text(text, encoding="utf-8", newline="")
    assert main(["build", str(d), "-o", str(root / "kg"), "-q"]) == 0
    return root / "kg"


@pytest.mark.parametrize("fmt", ["turtle", "nt", "nquads", "trig", "jsonld"])
def test_exports_with_separator_characters_parse_back(separator_kg, fmt, tmp_path):
    """Issue 10, finding 3: a form feed, U+2028 or U+0085 made `export -f nt` write N-Triples that did not parse."""
    from rdflib.compare import isomorphic

    from normgraph.rdf.export import SUFFIX, merged_graph, parse_back, parse_back_oxigraph
    from normgraph.rdf.validate import load_graph

    out = tmp_path / f"a{SUFFIX[fmt]}"
    assert main(["export", str(separator_kg), "-f", fmt, "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    original = merged_graph(load_graph([separator_kg]))
    assert isomorphic(merged_graph(parse_back(text, fmt)), original)
    assert len({(q.subject, q.predicate, q.object) for q in parse_back_oxigraph(text, fmt)}) == len(original)
    assert main(["validate", str(out)]) == 0


def test_rdf_xml_refuses_what_xml_cannot_hold_with_one_line(separator_kg, tmp_path, capsys):
    """Issue 10, finding 3: `export -f xml` of a text with a form feed ended in a traceback."""
    out = tmp_path / "a.rdf"
    assert main(["export", str(separator_kg), "-f", "xml", "-o", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "U+000C" in err[0] and "RDF/XML cannot hold" in err[0]
    assert not out.exists()


def test_rdf_xml_keeps_unicode_separators(tmp_path):
    """Issue 10, finding 3: U+2028, U+0085 and CR are legal XML and round-trip through RDF/XML."""
    from rdflib.compare import isomorphic

    from normgraph.rdf.export import merged_graph, parse_back, parse_back_oxigraph
    from normgraph.rdf.validate import load_graph

    d = tmp_path / "d"
    d.mkdir()
    (d / "a.txt").write_bytes("1. We reaffirm the Charter.\u2028\r\n\r\n2. We support\r peace.\u0085\n".encode())
    assert main(["build", str(d), "-o", str(tmp_path / "kg"), "-q"]) == 0
    assert main(["export", str(tmp_path / "kg"), "-f", "xml", "-o", str(tmp_path / "a.rdf")]) == 0
    text = (tmp_path / "a.rdf").read_text(encoding="utf-8")
    original = merged_graph(load_graph([tmp_path / "kg"]))
    assert isomorphic(merged_graph(parse_back(text, "xml")), original)
    assert len(list(parse_back_oxigraph(text, "xml"))) == len(original)


# ---------------------------------------------------------------------------- finding 7: document IRIs

ODD_NAMES = ["a b", "a-b", "A-B", "中文", "日本", "50%", "x%20y", "x y", "Ünïcödé", "a\u200bb"]


def test_document_iris_keep_every_character_and_never_collide(tmp_path):
    """Issue 10, finding 7: every CJK file name became doc/x, and `a b.txt` and `a-b.txt` collided."""
    from urllib.parse import unquote

    from normgraph.namespace import document_iri, graph_iri
    from normgraph.rdf.validate import load_graph

    d = tmp_path / "d"
    d.mkdir()
    for name in ODD_NAMES:
        (d / f"{name}.txt").write_text("1. We reaffirm the Charter of the United Nations.\n", encoding="utf-8")
    assert main(["build", str(d), "-o", str(tmp_path / "kg"), "-q"]) == 0
    ds = load_graph([tmp_path / "kg"])
    graphs = {str(g.identifier) for g in ds.graphs() if len(g)} - {str(graph_iri("provenance"))}
    assert graphs == {str(graph_iri(n)) for n in ODD_NAMES} and len(graphs) == len(ODD_NAMES)
    docs = {str(document_iri(n)) for n in ODD_NAMES}
    assert len(docs) == len(ODD_NAMES)
    prefix = "https://w3id.org/normgraph/id/doc/"
    assert {unquote(iri.removeprefix(prefix)) for iri in docs} == set(ODD_NAMES)
    assert str(document_iri("中文")) == prefix + "中文"  # IRI-escaped, not percent-encoded UTF-8


# ---------------------------------------------------------------------------- finding 8: long paragraph numbers


def test_paragraph_numbers_of_any_length(tmp_path):
    """Issue 10, finding 8: paragraph 1000 became clause 999.1."""
    from normgraph.text.documents import read_document
    from normgraph.text.segment import segment

    path = tmp_path / "long.txt"
    path.write_text("".join(f"{n}. We reaffirm the Charter of the United Nations.\n\n" for n in range(1, 1206))
                    .replace("\n\n8. ", "\n\n2024. In that year the sides met.\n\n8. "), encoding="utf-8")
    numbers = [c.number for c in segment(read_document(path))]
    assert numbers[-3:] == ["1203", "1204", "1205"]
    assert numbers[7] == "7.1" and "2024" not in numbers  # a year opening a paragraph is not a number
    assert [n for n in numbers if n != "7.1"] == [str(n) for n in range(1, 1206)]


# ---------------------------------------------------------------------------- finding 11: sidecar source


@pytest.mark.parametrize("source", ["UN General Debate Corpus, x/y.txt", "www.un.org/a b", "https://a.org/<x>"])
def test_a_sidecar_source_that_is_not_a_url_is_one_line(tmp_path, capsys, source):
    """Issue 10, finding 11: a sidecar `source` that is not a URL ended in 35 lines of rdflib stack."""
    (tmp_path / "a.txt").write_text("1. We reaffirm the Charter of the United Nations.\n", encoding="utf-8")
    (tmp_path / "a.meta.toml").write_text(f'title = "A"\nsource = "{source}"\n', encoding="utf-8")
    assert main(["extract", str(tmp_path / "a.txt")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "a.meta.toml" in err[0] and "bad source" in err[0], err


def test_a_sidecar_source_url_is_kept(tmp_path, capsys):
    """Issue 10, finding 11: a real URL still becomes the document's dcterms:source."""
    (tmp_path / "a.txt").write_text("1. We reaffirm the Charter of the United Nations.\n", encoding="utf-8")
    (tmp_path / "a.meta.toml").write_text('source = "https://www.un.org/a?b=1#c"\n', encoding="utf-8")
    assert main(["extract", str(tmp_path / "a.txt")]) == 0
    assert "<https://www.un.org/a?b=1#c>" in capsys.readouterr().out


# ---------------------------------------------------------------------------- finding 6: linear time, size guard


def _relation_sentence(n_words: int) -> str:
    import random

    rng = random.Random(6)
    words = ("We reaffirm the Charter of the United Nations and the principles enshrined therein such as "
             "sovereignty and its Paris Agreement proposed by China , the Treaty on the Non-Proliferation "
             "of Nuclear Weapons").split()
    return " ".join(rng.choice(words) for _ in range(n_words))


class _CountingTokens(list):
    """A token list that counts how often its elements are visited."""

    visits = 0

    def __iter__(self):
        for token in super().__iter__():
            type(self).visits += 1
            yield token

    def __getitem__(self, index):
        type(self).visits += 1
        return super().__getitem__(index)


def test_relations_of_a_long_sentence_take_time_linear_in_its_length(vocab, tmp_path):
    """Issue 10, finding 6: relations.py was quadratic in sentence length (one 2 MB line ran > 300 s).

    Counted in steps, not seconds: the number of times the relation finder visits a token grows in
    proportion to the sentence (four times the words: not sixteen times the visits), whatever the
    machine's load.
    """
    from normgraph.extract import relations
    from normgraph.extract.cues import lexicons
    from normgraph.extract.vocabulary import tokenize
    from normgraph.pipeline import extract_document

    visits = []
    for n in (1500, 6000):
        path = tmp_path / f"s{n}.txt"
        path.write_text("1. " + _relation_sentence(n) + "\n", encoding="utf-8")
        ex = extract_document(path, vocab)
        clause = ex.clauses[0]
        tokens = _CountingTokens(tokenize(ex.document.text, clause.start, clause.end))
        _CountingTokens.visits = 0
        found = relations.sentence_relations(ex.document.text, tokens, ex.mentions[clause.number], clause,
                                             lexicons(vocab))
        assert relations.dedupe(found)  # the sentence does state relations
        visits.append(_CountingTokens.visits)
    assert visits[1] < 6 * visits[0], visits


def test_documents_beyond_the_size_limits_are_one_line(tmp_path, capsys):
    """Issue 10, finding 6: a size guard with a clear message for a paragraph or a file beyond the stated limit."""
    from normgraph.text.documents import MAX_PARAGRAPH_CHARS

    path = tmp_path / "long.txt"
    path.write_text("1. " + "word " * (MAX_PARAGRAPH_CHARS // 5 + 10) + "\n", encoding="utf-8")
    t0 = time.process_time()
    assert main(["extract", str(path)]) == 2
    assert time.process_time() - t0 < 30
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "long.txt" in err[0] and f"{MAX_PARAGRAPH_CHARS:,}" in err[0]


# ---------------------------------------------------------------------------- finding 9: UTF-16 is not binary


@pytest.mark.parametrize("encoding,named", [("utf-16", "UTF-16LE"), ("utf-16-le", "UTF-16LE"),
                                            ("utf-16-be", "UTF-16BE")])
def test_utf16_input_is_named_as_such(tmp_path, capsys, encoding, named):
    """Issue 10, finding 9: UTF-16 input was called "binary"."""
    path = tmp_path / "a.txt"
    path.write_bytes("1. We reaffirm the Charter of the United Nations.\n".encode(encoding))
    assert main(["extract", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and named in err[0] and "binary" not in err[0] and "UTF-8" in err[0]


# ---------------------------------------------------------------------------- finding 9: every bad query is one line


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_a_query_file_with_a_syntax_error_is_one_line_exit_2(tmp_path, capsys, engine):
    """Issue 10, finding 9: a .rq with a syntax error gave a traceback and exit 1 ("nothing found")."""
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT ?s WHERE { ?s ?p }\n", encoding="utf-8")
    assert main(["query", str(bad), "--engine", engine]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "bad.rq" in err[0] and "not a valid SPARQL query" in err[0]


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_an_ask_query_answers_true_or_false(tmp_path, capsys, engine):
    """Issue 10, finding 9: an ASK query gave a traceback; now it prints true/false, exit 0/1."""
    yes, no = tmp_path / "yes.rq", tmp_path / "no.rq"
    yes.write_text("ASK { ?s a <https://w3id.org/normgraph/ontology#Stance> }\n", encoding="utf-8")
    no.write_text("ASK { ?s a <https://example.org/Nothing> }\n", encoding="utf-8")
    assert main(["query", str(yes), "--engine", engine]) == 0
    assert capsys.readouterr().out == "true\n"
    assert main(["query", str(no), "--engine", engine, "-f", "json"]) == 1
    assert capsys.readouterr().out == '{"head": {}, "boolean": false}\n'


def test_a_netrc_others_can_read_is_named_not_silently_ignored(tmp_path, monkeypatch, capsys):
    """Issue 10, finding 9: a ~/.netrc with mode 644 was silently ignored (then a bare 401)."""
    from normgraph.sparql.store import credentials

    home = tmp_path / "home"
    home.mkdir()
    (home / ".netrc").write_text("machine store.example.org login alice password s3cret\n", encoding="utf-8")
    (home / ".netrc").chmod(0o644)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("NETRC", raising=False)
    monkeypatch.delenv("NORMGRAPH_USER", raising=False)
    assert credentials("https://store.example.org/update") == (None, None)
    err = capsys.readouterr().err
    assert ".netrc" in err and "chmod 600" in err and "s3cret" not in err
