"""Queries run in worker processes that can be stopped: the time limit of `normgraph serve`.

Owns: a pool of processes, each holding the graph in its own in-memory pyoxigraph store (loaded
from one N-Quads file), that run one query at a time and send back the serialised answer.
pyoxigraph cannot interrupt a query, so a query that outlives its time limit is stopped by
killing its process, and a fresh one takes its place; the client gets HTTP 503 and the core is
free again, whether or not the client is still there.
"""
from __future__ import annotations

import multiprocessing
import queue
import threading
from dataclasses import dataclass
from pathlib import Path

_CONTEXT = multiprocessing.get_context("spawn")  # no fork of a threaded server
_START_TIMEOUT = 120.0


@dataclass(frozen=True)
class Job:
    """One query: its text, the dataset options, and the media types the client accepts."""

    query: str
    default_graph: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    accept: str = ""


@dataclass(frozen=True)
class Result:
    status: int  # 200, or 400 for a query the engine rejects
    media: str
    body: bytes


class TimeLimit(Exception):
    """The query ran past its time limit and was stopped."""


class Busy(Exception):
    """No worker became free in time."""


_RESULTS = (("application/sparql-results+json", "JSON"), ("application/json", "JSON"),
            ("application/sparql-results+xml", "XML"), ("text/csv", "CSV"), ("text/tab-separated-values", "TSV"))
_GRAPHS = (("text/turtle", "TURTLE"), ("application/n-triples", "N_TRIPLES"), ("application/rdf+xml", "RDF_XML"))


def negotiate(accept: str, offers: tuple[tuple[str, str], ...]) -> tuple[str, str]:
    """The first offer the Accept header names, in the client's order of preference; else the first offer."""
    wanted = []
    for position, part in enumerate(p for p in accept.split(",") if p.strip()):
        media, *params = [x.strip() for x in part.split(";")]
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        wanted.append((-q, position, media.lower()))
    for _q, _pos, media in sorted(wanted):
        for offer in offers:
            if offer[0] == media or media in {"*/*", offer[0].split("/")[0] + "/*"}:
                return offer
    return offers[0]


def run_job(store, job: Job) -> Result:
    """Run one query on a pyoxigraph store and serialise its answer as the client asked."""
    import pyoxigraph as ox

    options: dict = {"use_default_graph_as_union": True}
    if job.default_graph:
        options = {"default_graph": [ox.NamedNode(g) for g in job.default_graph]}
    if job.named_graphs:
        options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    try:
        answer = store.query(job.query, **options)
    except (SyntaxError, ValueError) as error:
        return Result(400, "text/plain; charset=utf-8", f"bad query: {error}\n".encode())
    if isinstance(answer, ox.QueryTriples):
        media, name = negotiate(job.accept, _GRAPHS)
        body = answer.serialize(format=getattr(ox.RdfFormat, name))
    else:
        media, name = negotiate(job.accept, _RESULTS)
        body = answer.serialize(format=getattr(ox.QueryResultsFormat, name))
    return Result(200, f"{media}; charset=utf-8", body)


def _worker(conn, nquads: str) -> None:
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(path=nquads, format=ox.RdfFormat.N_QUADS)
    conn.send("ready")
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        try:
            conn.send(run_job(store, job))
        except Exception as error:  # noqa: BLE001 - the server answers 500 with one line
            conn.send(Result(500, "text/plain; charset=utf-8", f"query failed: {error}\n".encode()))


class _Process:
    def __init__(self, nquads: Path) -> None:
        self.conn, child = _CONTEXT.Pipe()
        self.proc = _CONTEXT.Process(target=_worker, args=(child, str(nquads)), daemon=True)
        self.proc.start()
        child.close()
        if not self.conn.poll(_START_TIMEOUT) or self.conn.recv() != "ready":
            self.stop()
            raise RuntimeError("a query worker did not start")

    def stop(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()


class QueryPool:
    """`size` worker processes over the graph in `nquads`; `run` gives each job at most `time_limit` seconds."""

    def __init__(self, nquads: Path, size: int = 2, time_limit: float = 30.0) -> None:
        self.nquads, self.time_limit = Path(nquads), time_limit
        self.idle: queue.Queue[_Process] = queue.Queue()
        self.stopped = threading.Event()
        self.stopped_queries = 0
        for _ in range(max(1, size)):
            self.idle.put(_Process(self.nquads))

    def run(self, job: Job, wait: float | None = None) -> Result:
        try:
            # long enough for a running query to finish or be stopped and its worker replaced
            worker = self.idle.get(timeout=2 * self.time_limit + 30 if wait is None else wait)
        except queue.Empty:
            raise Busy from None
        died = None
        try:
            worker.conn.send(job)
            if worker.conn.poll(self.time_limit):
                result = worker.conn.recv()
                self.idle.put(worker)
                return result
        except (EOFError, OSError):
            died = Result(500, "text/plain; charset=utf-8", b"the query ended its worker process (out of memory?)\n")
        worker.stop()
        self.stopped_queries += died is None
        threading.Thread(target=self._replace, daemon=True).start()
        if died is not None:
            return died
        raise TimeLimit

    def _replace(self) -> None:
        if not self.stopped.is_set():
            self.idle.put(_Process(self.nquads))

    def close(self) -> None:
        self.stopped.set()
        while True:
            try:
                self.idle.get_nowait().stop()
            except queue.Empty:
                return


__all__ = ["Busy", "Job", "QueryPool", "Result", "TimeLimit", "negotiate", "run_job"]
