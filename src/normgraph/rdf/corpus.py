"""An on-disk Oxigraph store holding a whole corpus: one named graph per document, one vocabulary graph.

Owns the layout of a corpus store (a pyoxigraph RocksDB folder): each document's named graph
(`graph_iri(doc_id)`) holds what that document says; `VOCABULARY_GRAPH` holds the description of
every entity the documents refer to, once; `BUILD_GRAPH` records, for each document, its source
file and the content hash of what its graph was built from (text, metadata, vocabulary and extractor), so that a
rebuild can reuse what has not changed.  Writing is in large batches of N-Quads (spooled to a
temporary file) through pyoxigraph's bulk loader; a document's hash is recorded only after its
quads are in, so an interrupted build leaves at worst documents that the next build extracts again.
"""
from __future__ import annotations

import functools
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TextIO

import pyoxigraph as ox
from rdflib import Dataset

from normgraph.errors import InputError
from normgraph.namespace import ID, NG
from normgraph.rdf.graph import VOCABULARY_GRAPH
from normgraph.resources import resource_dir

BUILD_GRAPH = ID["graph/build"]  # content hashes of the document graphs, for incremental rebuilds
_GRAPHS, _DOCS = str(ID["graph/"]), str(ID["doc/"])


def _document(graph: str) -> ox.NamedNode:
    """The document whose named graph this is (both IRIs end in the document id's slug)."""
    return ox.NamedNode(_DOCS + graph[len(_GRAPHS):])


def _graph(document: str) -> str:
    return _GRAPHS + document[len(_DOCS):]
_HASH = ox.NamedNode(str(NG.contentHash))
_SOURCE = ox.NamedNode(str(NG.sourceFile))
_BUILD = ox.NamedNode(str(BUILD_GRAPH))
_VOCAB = ox.NamedNode(str(VOCABULARY_GRAPH))


def open_store(path: Path, *, read_only: bool = False) -> ox.Store:
    """The Oxigraph store at `path` (created when writing and absent); InputError if it cannot be opened."""
    path = Path(path)
    if read_only and not path.is_dir():
        raise InputError(str(path), "no corpus store here; build one with `normgraph build DIR --store PATH`")
    try:
        return ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except OSError as e:
        raise InputError(str(path), f"cannot open the store: {e}") from e


@dataclass
class StoredDocument:
    """What the store knows of a document graph it holds."""

    graph: str  # the named graph IRI
    content_hash: str
    source_file: str


@dataclass
class CorpusWriter:
    """Streams finished documents into a store: their N-Quads go to a spool file, loaded into the store
    with pyoxigraph's bulk loader each time `batch_bytes` have gathered. Few large loads, not many
    small ones: every load into a large store is followed by a merge of its indexes with what the
    store holds (RocksDB compaction), so the cost of a build grows with the number of loads."""

    store: ox.Store
    batch_bytes: int = 256 * 2**20
    # the quads were parsed already, strictly, when their documents were validated: loaded without
    # checking each IRI again
    checked: bool = False
    quads: int = 0
    _spool: IO[bytes] | None = None
    _spooled: int = 0
    _records: list[ox.Quad] = field(default_factory=list)
    _described: set[bytes] = field(default_factory=set)  # description lines loaded by this writer

    def documents(self) -> dict[str, StoredDocument]:
        """The document graphs the store holds, by graph IRI."""
        found: dict[str, StoredDocument] = {}
        for q in self.store.quads_for_pattern(None, _HASH, None, _BUILD):
            source = next(self.store.quads_for_pattern(q.subject, _SOURCE, None, _BUILD), None)
            graph = _graph(q.subject.value)
            found[graph] = StoredDocument(graph, q.object.value, source.object.value if source else "")
        return found

    def remove(self, graph: str) -> None:
        """Drop a document's graph and its hash record (before it is replaced or when its file is gone)."""
        node = ox.NamedNode(graph)
        if self.store.contains_named_graph(node):
            self.store.remove_graph(node)
        for q in list(self.store.quads_for_pattern(_document(graph), None, None, _BUILD)):
            self.store.remove(q)

    def add(self, graph: str, document_quads: bytes, description_lines: bytes, content_hash: str,
            source_file: str) -> None:
        """Queue one document: its own quads, its entity descriptions (kept once), its hash record."""
        if self._spool is None:
            self._spool = tempfile.NamedTemporaryFile(prefix="normgraph-", suffix=".nq")  # noqa: SIM115
        lines = [line for line in description_lines.splitlines(keepends=True) if line not in self._described]
        self._described.update(lines)
        for data in (document_quads, b"".join(lines)):
            self._spool.write(data)
            self._spooled += len(data)
            self.quads += data.count(b"\n")
        node = _document(graph)
        self._records.append(ox.Quad(node, _HASH, ox.Literal(content_hash), _BUILD))
        self._records.append(ox.Quad(node, _SOURCE, ox.Literal(source_file), _BUILD))
        if self._spooled >= self.batch_bytes:
            self.flush()

    def flush(self) -> None:
        if self._spool is not None and self._spooled:
            self._spool.flush()
            self.store.bulk_load(path=self._spool.name, format=ox.RdfFormat.N_QUADS, lenient=self.checked)
            self._spool.seek(0)
            self._spool.truncate()
            self._spooled = 0
        if self._records:  # after the quads: a hash is recorded only for a graph that is complete
            self.store.extend(self._records)
        self._records = []
        self.store.flush()

    def close(self) -> None:
        """Load what is queued and remove the spool file."""
        self.flush()
        if self._spool is not None:
            self._spool.close()
            self._spool = None

    def compact(self) -> None:
        """Merge the store's index files into one sorted run each (RocksDB's full compaction), once the
        loads are done: a lookup reads fewer files (on the store of all General Debate speeches the
        stock queries answer 1.2 to 2 times as fast) and the store takes a third less disk."""
        self.store.optimize()


@functools.cache
def check_queries() -> tuple[tuple[Path, str], ...]:
    """(file, text) of the stored *-violation queries, the checks a build runs."""
    return tuple((p, p.read_text(encoding="utf-8")) for p in sorted(resource_dir("queries").glob("*-violation.rq")))


def document_checks(store: ox.Store) -> dict[str, int]:
    """The rows each *-violation query finds in a store holding one document (its graphs as one);
    a query that finds nothing is not listed. The checks join a document's clauses, stances and
    text, never two documents, so what they find in a corpus is what they find in its documents
    one by one: a build runs them in its workers, on each document as it is validated."""
    found = {}
    for path, text in check_queries():
        rows = sum(1 for _ in store.query(text, use_default_graph_as_union=True))
        if rows:
            found[path.stem] = rows
    return found


def size(store: ox.Store) -> tuple[int, int]:
    """(quads, document graphs) in the store."""
    graphs = sum(1 for g in store.named_graphs() if g not in (_BUILD, _VOCAB))
    return len(store), graphs


def write_nquads(store: ox.Store, handle: TextIO) -> int:
    """Write the store's documents and vocabulary as N-Quads (not the build records), graph by graph in
    IRI order and each graph's lines sorted, so the same store always gives the same bytes. Oxigraph
    writes them straight from disk, one graph in memory at a time. Returns the number of quads."""
    count = 0
    for g in sorted(store.named_graphs(), key=lambda n: n.value):
        if g != _BUILD:
            lines = sorted(line for line in store.dump(format=ox.RdfFormat.N_QUADS, from_graph=g)
                           .decode("utf-8").split("\n") if line.strip())
            count += len(lines)
            handle.writelines(line + "\n" for line in lines)
    return count


def to_dataset(store: ox.Store) -> Dataset:
    """The store's graphs as an rdflib Dataset (documents and vocabulary; not the build records), for the
    commands that work on rdflib (viz, export, push).  Costs memory in proportion to the store."""
    ds = Dataset()
    for g in sorted(store.named_graphs(), key=lambda n: n.value):
        if g != _BUILD:
            ds.graph(g.value).parse(data=store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=g), format="nt")
    return ds
