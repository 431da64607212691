"""Fixtures shared by the test modules: paths, the vocabulary, and the seed extractions."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
KG = ROOT / "kg"
DATA = Path(__file__).resolve().parent / "data"
CORPORA = ROOT.parent / "shared" / "corpora"
DECLARATION = SEEDS / "cn-ru-2025-international-law.txt"
REPORT = SEEDS / "xinhua-2025-05-08-report.txt"
ON_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def vocab():
    from normgraph.extract.vocabulary import load_vocabulary

    return load_vocabulary()


@pytest.fixture(scope="session")
def declaration(vocab):
    """The extraction of the seed declaration."""
    from normgraph.pipeline import extract_document

    return extract_document(DECLARATION, vocab)


@pytest.fixture(scope="session")
def report(vocab):
    """The extraction of the seed news report."""
    from normgraph.pipeline import extract_document

    return extract_document(REPORT, vocab)


@pytest.fixture(scope="session")
def declaration_graph(declaration, vocab):
    from normgraph.rdf.graph import extraction_graph

    return extraction_graph(declaration, vocab)


@pytest.fixture(scope="session")
def report_graph(report, vocab):
    from normgraph.rdf.graph import extraction_graph

    return extraction_graph(report, vocab)


NETWORK = DATA / "network"


@pytest.fixture(scope="session")
def network_graph():
    """The network of tests/data/network/: clauses of both seed documents, shaped as `normgraph build` writes."""
    from normgraph.network.projection import project
    from normgraph.rdf.validate import load_graph

    return project(load_graph([NETWORK]))


# Figures the reliability tests count (examples generated, faults injected, graphs checked), shown at the
# end of the run; `make stress` quotes them.
FIGURES: dict[str, int] = {}
STRESS = os.environ.get("NORMGRAPH_STRESS", "").lower() in {"1", "true", "yes"}


def tree(path: Path) -> dict[str, bytes]:
    """Every file under `path` with its bytes, to show that nothing changed."""
    return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


def count(name: str, n: int = 1) -> None:
    FIGURES[name] = FIGURES.get(name, 0) + n


def pytest_terminal_summary(terminalreporter) -> None:
    if FIGURES:
        terminalreporter.write_sep("-", "reliability figures")
        for name, value in sorted(FIGURES.items()):
            terminalreporter.write_line(f"{name}: {value}")


# the long variants run only with `make stress` (NORMGRAPH_STRESS=1); `make test` does not collect them
collect_ignore = [] if STRESS else ["test_stress.py"]
