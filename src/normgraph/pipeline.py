"""Run the pipeline stages over documents and write the knowledge graph.

Owns: the order of the stages for one document (documents -> segment ->
mentions -> stances -> graph), gathering the documents of a build, extracting
them (in parallel worker processes for large builds: a document's graph depends
only on that document, the document it reports on, and the vocabulary), and
writing `kg/` (validated first; the crash-safe swap, its lock and the guard
against overwriting what is not ours live in rdf/output.py), so a failed build
leaves the old graph as it was.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from normgraph.errors import InputError
from normgraph.extract import align, stances
from normgraph.extract.mentions import find_mentions
from normgraph.extract.vocabulary import Vocabulary, load_vocabulary
from normgraph.rdf import graph, output
from normgraph.records import Extraction
from normgraph.text.documents import read_document
from normgraph.text.segment import segment

TEXT_SUFFIX = ".txt"


def extract_document(path: Path, vocab: Vocabulary | None = None, meta_path: Path | None = None) -> Extraction:
    """Every stage for one document, up to (not including) RDF."""
    vocab = vocab or load_vocabulary()
    doc = read_document(Path(path), meta_path, party_ids=set(vocab.parties_by_id))
    clauses = segment(doc)
    mentions = find_mentions(doc, clauses, vocab)
    ex = Extraction(document=doc, clauses=clauses, mentions=mentions, warnings=list(doc.warnings))
    stances.extract_stances(ex, vocab)
    if doc.meta.reports_on:
        source = _reported_document(Path(path), doc.meta.reports_on)
        if source is None:
            ex.warnings.append(f"{path}: reports_on {doc.meta.reports_on!r}: no {doc.meta.reports_on}{TEXT_SUFFIX} "
                               "beside it, so its clauses are not aligned")
        else:
            src_doc = read_document(source, party_ids=set(vocab.parties_by_id))
            ex.alignments = align.align_report(ex, src_doc, segment(src_doc))
    return ex


def _reported_document(path: Path, doc_id: str) -> Path | None:
    candidate = path.parent / f"{doc_id}{TEXT_SUFFIX}"
    return candidate if candidate.is_file() else None


def gather(paths: Iterable[Path]) -> list[Path]:
    """The text files under the given files and folders, sorted, each once."""
    out: set[Path] = set()
    for p in paths:
        p = Path(p)
        if p.is_dir():
            out.update(q for q in p.rglob(f"*{TEXT_SUFFIX}") if q.is_file())
        elif p.exists():
            out.add(p)
        else:
            raise InputError(str(p), "no such file or folder")
    if not out:
        raise InputError(", ".join(str(p) for p in paths), f"no {TEXT_SUFFIX} documents found")
    return sorted(out)


@dataclass
class BuildResult:
    files: dict[str, str] = field(default_factory=dict)  # document id -> Turtle
    warnings: list[str] = field(default_factory=list)
    stances: int = 0
    clauses: int = 0


def _extract_turtle(path: Path) -> tuple[str, str, list[str], int, int]:
    vocab = load_vocabulary()
    ex = extract_document(path, vocab)
    g = graph.extraction_graph(ex, vocab)
    return ex.document.id, graph.to_turtle(g), ex.warnings, len(ex.stances), len(ex.clauses)


def extract_all(paths: list[Path], jobs: int = 1,
                progress: Callable[[int, int, Path], None] | None = None) -> BuildResult:
    """Extract every document; in `jobs` worker processes when jobs > 1."""
    result = BuildResult()
    ids: dict[str, Path] = {}

    def take(i: int, path: Path, item: tuple[str, str, list[str], int, int]) -> None:
        doc_id, ttl, warnings, n_stances, n_clauses = item
        if doc_id in ids:
            raise InputError(str(path), f"document id {doc_id!r} is also the id of {ids[doc_id]}")
        ids[doc_id] = path
        result.files[doc_id] = ttl
        result.warnings.extend(warnings)
        result.stances += n_stances
        result.clauses += n_clauses
        if progress:
            progress(i + 1, len(paths), path)

    if jobs <= 1 or len(paths) < 8:
        for i, path in enumerate(paths):
            take(i, path, _extract_turtle(path))
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for i, (path, item) in enumerate(zip(paths, pool.map(_extract_turtle, paths, chunksize=4), strict=True)):
                take(i, path, item)
    return result


def write_graph_dir(files: dict[str, str], out_dir: Path) -> None:
    """Replace out_dir with one Turtle file per document, crash-safely (see rdf/output.py)."""
    output.replace_dir({f"{doc_id}.ttl": ttl.encode("utf-8") for doc_id, ttl in files.items()}, out_dir)


def default_jobs() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def stderr_progress(done: int, total: int, path: Path) -> None:
    """A one-line progress counter on stderr for long builds (only when stderr is a terminal)."""
    if total >= 20 and sys.stderr.isatty():
        end = "\n" if done == total else ""
        print(f"\rextracted {done}/{total} documents", end=end, file=sys.stderr, flush=True)
