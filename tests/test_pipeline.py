"""The whole pipeline over real texts by other authors: no exception, exact offsets, valid graphs."""
from __future__ import annotations

import pytest

from conftest import CORPORA, ON_CI
from normgraph.pipeline import extract_document
from normgraph.rdf.graph import extraction_graph


def _sample():
    folders = [CORPORA / "wh-joint-statements", CORPORA / "unga-80"]
    if not all(f.is_dir() for f in folders):
        return []
    wh = sorted(folders[0].glob("*.txt"))[::12]
    ga = sorted(folders[1].glob("*.txt"))[::6]
    return wh + ga


SAMPLE = _sample()


def test_pipeline_corpora_are_present_on_ci():
    if not SAMPLE:
        if ON_CI:
            pytest.fail(f"the corpora are missing at {CORPORA}")
        pytest.skip(f"corpora not found at {CORPORA}")
    assert len(SAMPLE) >= 25


@pytest.mark.parametrize("path", SAMPLE, ids=[p.stem[:60] for p in SAMPLE])
def test_pipeline_extracts_corpus_document_with_exact_offsets(path, vocab):
    ex = extract_document(path, vocab)
    text = ex.document.text
    assert ex.clauses
    last = -1
    for c in ex.clauses:
        assert text[c.start:c.end] == c.text and c.start > last
        last = c.end
    numbers = {c.number for c in ex.clauses}
    for st in ex.stances:
        assert st.clause in numbers and text[st.start:st.end] == st.evidence and st.holders
    g = extraction_graph(ex, vocab)
    assert len(g) > len(ex.clauses)
