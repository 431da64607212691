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

import datetime as dt
import gc
import hashlib
import multiprocessing
import os
import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from normgraph import __version__
from normgraph.errors import InputError
from normgraph.extract import align, stances
from normgraph.extract.mentions import find_mentions
from normgraph.extract.vocabulary import Vocabulary, load_vocabulary
from normgraph.namespace import graph_iri, slug
from normgraph.rdf import corpus, fastshapes, graph, output, provenance
from normgraph.rdf.validate import format_report, validate
from normgraph.records import Extraction
from normgraph.resources import resource_files
from normgraph.text.documents import SIDECAR_SUFFIX, read_document
from normgraph.text.manifest import Manifest
from normgraph.text.segment import segment

TEXT_SUFFIX = ".txt"


def extract_document(path: Path, vocab: Vocabulary | None = None, meta_path: Path | None = None,
                     sidecar: dict[str, object] | None = None, timings: dict[str, float] | None = None) -> Extraction:
    """Every stage for one document, up to (not including) RDF.

    `sidecar` gives the document's metadata directly (a manifest row) instead of a sidecar file;
    `timings`, when given, gets the CPU seconds of each stage added to it."""
    vocab = vocab or load_vocabulary()
    clock = _Clock(timings)
    doc = read_document(Path(path), meta_path, party_ids=set(vocab.parties_by_id), sidecar=sidecar)
    clauses = segment(doc)
    clock.lap("read_segment")
    mentions = find_mentions(doc, clauses, vocab)
    clock.lap("mentions")
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
    clock.lap("stances")
    return ex


class _Clock:
    """Adds the CPU time since the last lap to a stage's total (nothing when there is no table)."""

    def __init__(self, table: dict[str, float] | None) -> None:
        self.table = table
        self.last = time.process_time()

    def lap(self, stage: str) -> None:
        if self.table is not None:
            now = time.process_time()
            self.table[stage] = self.table.get(stage, 0.0) + now - self.last
            self.last = now


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
    documents: dict[str, Path] = field(default_factory=dict)  # document id -> text file


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
        if slug(doc_id) == provenance.GRAPH_NAME:
            raise InputError(str(path), f"document id {doc_id!r} is the name of the build's provenance graph; "
                                        "rename the file")
        ids[doc_id] = path
        result.documents[doc_id] = path
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


def provenance_record(result: BuildResult, started: dt.datetime, out_dir: Path) -> str:
    """The Turtle of the build's provenance graph, or the one already in out_dir if it records the same build."""
    record = graph.to_turtle(provenance.provenance_graph(result.documents, started, dt.datetime.now(dt.UTC)))
    old = Path(out_dir) / f"{provenance.GRAPH_NAME}.ttl"
    return provenance.keep_earlier_record(record, old.read_text(encoding="utf-8") if old.is_file() else None)


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


# ---------------------------------------------------------------------------- corpus builds into a store

RESERVED_IDS = {"vocabulary", "build"}  # graph names of the store's own graphs


@dataclass(frozen=True)
class DocumentTask:
    """One document to extract: its file, its manifest row (None: the sidecar beside it), its hash."""

    path: Path
    sidecar: dict[str, object] | None = None
    content_hash: str = ""
    validate: bool = True


@dataclass
class DocumentOutcome:
    """What a worker sends back for one document: its quads, ready to load, and what it found."""

    path: str
    content_hash: str = ""
    doc_id: str = ""
    graph: str = ""
    quads: bytes = b""  # the document's named graph, N-Quads
    descriptions: bytes = b""  # the descriptions of its entities, N-Quads in the vocabulary graph
    warnings: list[str] = field(default_factory=list)
    report: str = ""  # the SHACL report, when the document does not conform
    checks: dict[str, int] = field(default_factory=dict)  # *-violation query -> rows it finds in the document
    error: str = ""  # one line, when the input cannot be read
    stances: int = 0
    clauses: int = 0
    size: int = 0  # bytes of text
    timings: dict[str, float] = field(default_factory=dict)  # stage -> CPU seconds


def process_document(task: DocumentTask) -> DocumentOutcome:
    """Extract, serialise and validate one document: a pure function of the document and the vocabulary,
    run in the worker processes of a build (or as the tasks of a Dask bag)."""
    vocab = load_vocabulary()
    out = DocumentOutcome(path=str(task.path), content_hash=task.content_hash)
    try:
        ex = extract_document(task.path, vocab, sidecar=task.sidecar, timings=out.timings)
    except InputError as e:
        out.error = str(e)
        return out
    clock = _Clock(out.timings)
    disagree = False
    own, described = graph.split_graphs(ex, vocab)
    name = graph_iri(ex.document.id)
    out.doc_id, out.graph = ex.document.id, str(name)
    out.quads = graph.to_nquads(own, name)
    out.descriptions = graph.to_nquads(described, graph.VOCABULARY_GRAPH)
    clock.lap("rdf")
    if task.validate:
        # the document standing alone, as kg/ holds it: the shapes compiled to SPARQL decide, and pySHACL
        # says in words what is wrong with a document that does not conform
        store = fastshapes.document_store(out.quads, out.descriptions)
        if not fastshapes.store_conforms(store):
            report = validate(own.graph() + described.graph())
            if not report.conforms:
                out.report = format_report(report)
            disagree = report.conforms
        out.checks = corpus.document_checks(store)
        clock.lap("validation")
    prefix = f"{task.path}:"
    out.warnings = [w if w.startswith(prefix) else f"{prefix} {w}" for w in ex.warnings]
    if disagree:  # pySHACL is the reference; the compiled shapes need a look
        out.warnings.append(f"{prefix} the compiled shapes find a violation that pySHACL does not (it conforms)")
    out.stances, out.clauses, out.size = len(ex.stances), len(ex.clauses), len(ex.document.text.encode("utf-8"))
    return out


def extractor_fingerprint() -> str:
    """A hash of everything a document's graph depends on besides the document: the vocabulary, the
    shapes and the code of the stages. A change to any of them means every document is extracted again."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent
    files = [*resource_files("ontology", ".ttl"), *resource_files("shapes", ".ttl")]
    files += sorted(p for room in ("text", "extract", "rdf") for p in (package / room).glob("*.py"))
    files += [package / "pipeline.py", package / "records.py", package / "namespace.py"]
    files += [path for path, _ in corpus.check_queries()]
    for f in files:
        digest.update(f.name.encode() + b"\0" + Path(f).read_bytes())
    return digest.hexdigest()


_REPORTS_ON = re.compile(rb"""^\s*reports_on\s*=\s*["']([^"']+)["']""", re.MULTILINE)


def content_hash(path: Path, fingerprint: str, row: str | None = None) -> str:
    """The hash of what a document's graph is built from: its text, its metadata (the manifest row, or
    the sidecar file and the text of a document it reports on) and the extractor's fingerprint."""
    digest = hashlib.sha256(fingerprint.encode())
    digest.update(Path(path).read_bytes())
    if row is not None:
        digest.update(b"\0row\0" + row.encode("utf-8"))
    else:
        sidecar = Path(path).with_name(Path(path).stem + SIDECAR_SUFFIX)
        if sidecar.is_file():
            meta = sidecar.read_bytes()
            digest.update(b"\0sidecar\0" + meta)
            for source in _REPORTS_ON.findall(meta):
                reported = Path(path).parent / f"{source.decode('utf-8', 'replace')}{TEXT_SUFFIX}"
                if reported.is_file():
                    digest.update(b"\0reported\0" + reported.read_bytes())
    return digest.hexdigest()


@dataclass
class StoreBuild:
    """The outcome of `build_store`."""

    documents: int = 0  # document graphs in the store afterwards
    extracted: int = 0
    reused: int = 0
    removed: int = 0
    errors: list[str] = field(default_factory=list)  # one line per document that could not be read
    nonconforming: list[str] = field(default_factory=list)  # documents whose graph fails the shapes
    reports: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    checks: dict[str, int] = field(default_factory=dict)  # *-violation query -> rows in the documents loaded
    stances: int = 0
    clauses: int = 0
    size: int = 0  # bytes of text extracted
    quads: int = 0  # quads loaded
    timings: dict[str, float] = field(default_factory=dict)  # stage -> CPU seconds, summed over workers


def plan_tasks(paths: list[Path], manifest: Manifest | None = None, validate_each: bool = True,
               fingerprint: str | None = None) -> list[DocumentTask]:
    """One task per document, with its manifest row and content hash; InputError for clashing ids."""
    fingerprint = fingerprint or extractor_fingerprint()
    seen: dict[str, Path] = {}
    tasks = []
    for path in paths:
        name = str(graph_iri(path.stem))
        if path.stem in RESERVED_IDS:
            raise InputError(str(path), f"'{path.stem}' names one of the store's own graphs; rename the file")
        if name in seen:
            raise InputError(str(path), f"document id {path.stem!r} gives the same graph as {seen[name]}")
        seen[name] = path
        row = manifest.for_file(path) if manifest else None
        tasks.append(DocumentTask(path, row, content_hash(path, fingerprint, manifest.row_text(path)
                                                          if row is not None else None), validate_each))
    return tasks


def build_store(paths: list[Path], store_path: Path, *, jobs: int = 1, manifest: Manifest | None = None,
                validate_each: bool = True, force: bool = False, reuse: bool = True, engine: str = "processes",
                progress: Callable[[DocumentOutcome | None, int], None] | None = None) -> StoreBuild:
    """Extract the documents into the corpus store at `store_path`, streaming each finished document in.

    Documents whose content hash the store already holds are reused (unless `reuse` is false); graphs of
    documents no longer given are removed. A document that cannot be read is reported and left out; one
    whose graph fails the shapes is left out too (its previous graph, if any, stays) unless `force`.
    `engine` is "processes" (a pool of `jobs` worker processes) or "dask" (a Dask bag, on whatever
    scheduler is active). `progress` is called with each outcome (None for a reused document)."""
    tasks = plan_tasks(paths, manifest, validate_each)
    result = StoreBuild()
    writer = corpus.CorpusWriter(corpus.open_store(store_path), checked=validate_each)
    stored = writer.documents()
    wanted = {str(graph_iri(t.path.stem)): t for t in tasks}
    for name in sorted(set(stored) - set(wanted)):
        writer.remove(name)
        result.removed += 1
    todo = []
    for name, task in wanted.items():
        if reuse and name in stored and stored[name].content_hash == task.content_hash:
            result.reused += 1
            if progress:
                progress(None, task.path.stat().st_size)
        else:
            todo.append(task)
    for out in _run(todo, jobs, engine):
        result.warnings.extend(out.warnings)
        for stage, seconds in out.timings.items():
            result.timings[stage] = result.timings.get(stage, 0.0) + seconds
        if progress:
            progress(out, out.size)
        if out.error:
            result.errors.append(out.error)
            continue
        if out.report:
            result.nonconforming.append(out.doc_id)
            result.reports.append(out.report)
            if not force:
                continue
        t0 = time.process_time()
        if out.graph in stored:
            writer.remove(out.graph)
        writer.add(out.graph, out.quads, out.descriptions, out.content_hash, Path(out.path).name)
        for name, rows in out.checks.items():
            result.checks[name] = result.checks.get(name, 0) + rows
        result.timings["store"] = result.timings.get("store", 0.0) + time.process_time() - t0
        result.extracted += 1
        result.stances += out.stances
        result.clauses += out.clauses
        result.size += out.size
    t0 = time.process_time()
    writer.close()
    result.timings["store"] = result.timings.get("store", 0.0) + time.process_time() - t0
    if result.extracted or result.removed:  # a store left as it was is not compacted again
        t0 = time.process_time()
        writer.compact()
        result.timings["compact"] = time.process_time() - t0
    result.quads = writer.quads
    result.documents = corpus.size(writer.store)[1]
    return result


def _warm() -> None:
    """Read the vocabulary and compile the shapes once, and take what they hold out of the garbage
    collector's scans (it is kept for the whole build; forked workers start with it). A document
    makes hundreds of thousands of short-lived objects, few of them in cycles: the collector runs
    after 10,000 net allocations instead of 700, a fortieth as often."""
    load_vocabulary()
    fastshapes.packaged_checks()
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


def _run(tasks: list[DocumentTask], jobs: int, engine: str) -> Iterator[DocumentOutcome]:
    """The outcomes of the tasks, as they finish."""
    if engine == "dask":
        yield from _run_dask(tasks, jobs)
        return
    _warm()
    if jobs <= 1 or len(tasks) < 8:
        yield from map(process_document, tasks)
    else:
        with multiprocessing.get_context().Pool(jobs) as pool:
            yield from pool.imap_unordered(process_document, tasks, chunksize=2)


def _run_dask(tasks: list[DocumentTask], jobs: int) -> Iterator[DocumentOutcome]:
    """The tasks as a Dask bag, computed a few partitions at a time so that memory stays bounded."""
    try:
        import dask
        import dask.bag as db
    except ImportError as e:
        raise InputError("--engine dask", "Dask is not installed; pip install 'normgraph[dask]'") from e
    if not tasks:
        return
    parts = db.from_sequence(tasks, partition_size=16).map(process_document).to_delayed()
    step = max(jobs, 1) * 2
    for i in range(0, len(parts), step):
        for partition in dask.compute(*parts[i:i + step]):
            yield from partition


def summarise_warnings(warnings: list[str], first: int = 3) -> list[str]:
    """One line per kind of warning: how many documents, and the first few files."""
    kinds: dict[str, list[str]] = {}
    for w in warnings:
        where, _, what = w.partition(": ")
        kind = re.split(r"[;:(]", what, maxsplit=1)[0].strip()
        kinds.setdefault(kind, []).append(Path(where).name)
    lines = []
    for kind, files in sorted(kinds.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        more = f" and {len(files) - first} more" if len(files) > first else ""
        lines.append(f"{len(files)} x {kind}: {', '.join(files[:first])}{more}")
    return lines


class BuildProgress:
    """Documents done, MB/s and the time left: a tqdm bar on a terminal, else a line every `every` seconds."""

    def __init__(self, total: int, total_bytes: int, every: float = 30.0, stream=None) -> None:
        self.stream = stream or sys.stderr
        self.total, self.total_bytes, self.every = total, total_bytes, every
        self.done = self.bytes = 0
        self.start = self.last = time.monotonic()
        self.bar = None
        if self.stream.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="doc", file=self.stream, dynamic_ncols=True, smoothing=0.05)

    def __call__(self, outcome: DocumentOutcome | None, size: int) -> None:
        self.done += 1
        self.bytes += size
        elapsed = max(time.monotonic() - self.start, 1e-9)
        rate = self.bytes / 1e6 / elapsed
        if self.bar is not None:
            self.bar.set_postfix_str(f"{rate:.2f} MB/s", refresh=False)
            self.bar.update(1)
            if self.done == self.total:
                self.bar.close()
            return
        now = time.monotonic()
        if now - self.last >= self.every or self.done == self.total:
            self.last = now
            left = (self.total_bytes - self.bytes) / 1e6 / rate if rate else 0.0
            print(f"{self.done}/{self.total} documents, {self.bytes / 1e6:.1f} MB, {rate:.2f} MB/s, "
                  f"{int(left // 60)}:{int(left % 60):02d} left", file=self.stream, flush=True)
