"""Benchmark: UN General Debate speeches into a corpus store, measured against the limits in one run.

    python bench/corpus_scale.py [--slices 100,1000,all] [--runs 3] [--jobs J] [--cache DIR] [--out FILE]

Unpacks ../shared/corpora/ungdc/ungdc-speeches.tar.xz once into a cache (bench/.cache/, git-ignored),
takes slices of the speeches spread evenly over the years, and for each slice runs
`normgraph build SLICE --manifest index.tsv --store STORE` (every document validated, the corpus
checks run) `--runs` times from an empty store, then once more with nothing changed (the rebuild).
It prints one table: documents/s, MB/s (wall, and per core from CPU time), quads/s, stances, peak
RSS of the build's process tree, CPU seconds per stage, and the median latency of every stock query
on the store (in process: the query alone; and one `normgraph query` with process start). In the same
run it measures the limits: reading and paragraph-splitting the same files in plain Python, and
pyoxigraph's bulk load of the quads the build produced; normgraph's throughput is printed as a
fraction of each. It also times the store reading alone what the corpus-wide queries read (every
stance, every clause's text, every stance's evidence): no query that reads those answers faster.
The figures are written as JSON (default bench/results/corpus-scale.json), one entry per slice,
merged with the slices an earlier run wrote.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UNGDC = ROOT.parent / "shared" / "corpora" / "ungdc"
ARCHIVE = UNGDC / "ungdc-speeches.tar.xz"
INDEX = UNGDC / "index.tsv"
NORMGRAPH = Path(sys.executable).with_name("normgraph")
QUERY_RUNS = 5
# queries that compare every pair of documents or parties when no parameter names them
PAIRWISE = {"changes-between-documents", "parties-agree", "parties-differ"}
QUERY_BUDGET_MS = 15_000  # stop repeating a query once its runs have taken this long
QUERY_LIMIT_S = 120  # stop a query that has not answered in this long (its figure is then missing)


def unpack(cache: Path) -> list[Path]:
    """The speeches, unpacked into the cache on the first run (a marker file says it is complete)."""
    target = cache / "ungdc"
    marker = target / ".unpacked"
    if not marker.exists():
        shutil.rmtree(target, ignore_errors=True)
        tmp = Path(tempfile.mkdtemp(prefix=".ungdc-", dir=cache))
        with tarfile.open(ARCHIVE, "r:xz") as tar:
            tar.extractall(tmp, filter="data")
        os.replace(tmp, target)
        marker.write_text(str(ARCHIVE) + "\n", encoding="utf-8")
    with INDEX.open(encoding="utf-8", newline="") as f:
        return [target / row["path"] for row in csv.DictReader(f, dialect="excel-tab")]


def slice_folder(cache: Path, speeches: list[Path], n: int) -> tuple[str, Path, list[Path]]:
    """A folder of links to n speeches spread evenly over the corpus (every k-th in index order)."""
    chosen = speeches if n >= len(speeches) else [speeches[i * len(speeches) // n] for i in range(n)]
    name = "all" if n >= len(speeches) else str(n)
    folder = cache / "slices" / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for p in chosen:
        (folder / p.name).symlink_to(p)
    return name, folder, chosen


class TreeRss(threading.Thread):
    """Samples the summed resident memory of a process and its descendants, keeping the peak."""

    def __init__(self, pid: int, every: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.pid, self.every, self.peak_kb, self.stop = pid, every, 0, threading.Event()

    def _tree(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                try:
                    stat = Path(entry.path, "stat").read_text()
                except OSError:
                    continue
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry.name))
        out, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            out.append(pid)
            todo.extend(children.get(pid, ()))
        return out

    def run(self) -> None:
        while not self.stop.is_set():
            total = 0
            for pid in self._tree():
                try:
                    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                        if line.startswith("VmRSS:"):
                            total += int(line.split()[1])
                except OSError:
                    pass
            self.peak_kb = max(self.peak_kb, total)
            self.stop.wait(self.every)


def run_build(folder: Path, store: Path, jobs: int, report: Path, limit: float | None = None) -> dict:
    """One `normgraph build` into `store`: wall and CPU seconds, peak RSS of the tree, its own report.
    A build still running after `limit` seconds is stopped (its process group), and says how far it got."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    report.unlink(missing_ok=True)
    log = report.with_suffix(".log")
    t = time.perf_counter()
    with log.open("w", encoding="utf-8") as err:
        proc = subprocess.Popen([str(NORMGRAPH), "build", str(folder), "--manifest", str(INDEX), "--store",
                                 str(store), "-j", str(jobs), "--report-json", str(report)],
                                stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
        sampler = TreeRss(proc.pid)
        sampler.start()
        try:
            code = proc.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 15)
            code = proc.wait()
    wall = time.perf_counter() - t
    progress = [line for line in log.read_text(encoding="utf-8").splitlines() if " documents, " in line]
    sampler.stop.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    figures = json.loads(report.read_text(encoding="utf-8")) if report.exists() else {}
    return {"exit": code, "wall_s": wall, "cpu_s": cpu, "peak_rss_mb": sampler.peak_kb / 1024,
            "completed": report.exists(), "last_progress": progress[-1] if progress else "", **figures}


def limit_read_split(paths: list[Path], runs: int = 3) -> float:
    """MB/s of reading the files and splitting them into paragraphs in plain Python (median of runs)."""
    rates = []
    for _ in range(runs):
        t, size, blocks = time.perf_counter(), 0, 0
        for p in paths:
            data = p.read_bytes()
            size += len(data)
            blocks += len([b for b in data.decode("utf-8").split("\n\n") if b.strip()])
        rates.append(size / 1e6 / (time.perf_counter() - t))
    return statistics.median(rates)


def limit_bulk_load(store_path: Path) -> tuple[float, int]:
    """Quads/s of pyoxigraph's bulk load of the quads the build produced, into a fresh on-disk store."""
    import pyoxigraph as ox

    from normgraph.rdf.corpus import open_store, write_nquads

    with tempfile.TemporaryDirectory(dir=store_path.parent) as tmp:
        dump = Path(tmp) / "all.nq"
        with dump.open("w", encoding="utf-8") as handle:
            quads = write_nquads(open_store(store_path, read_only=True), handle)
        target = ox.Store(str(Path(tmp) / "store"))
        t = time.perf_counter()
        target.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
        target.flush()
        seconds = time.perf_counter() - t
        del target
    return quads / seconds, quads


# what the corpus-wide queries must read, each read alone: the time the store takes for that is a floor
# under any query that reads it (the checks read every clause's text or every stance's evidence)
STORE_READS = {
    "stances (rdf:type ng:Stance)": "SELECT (COUNT(*) AS ?n) WHERE { ?s a ng:Stance }",
    "the clause of every stance (ng:inClause)": "SELECT (COUNT(*) AS ?n) WHERE { ?s ng:inClause ?c }",
    "the text of every clause (ng:text)": "SELECT (SUM(STRLEN(?t)) AS ?n) WHERE { ?c ng:text ?t }",
    "the evidence of every stance (ng:evidence)": "SELECT (SUM(STRLEN(?e)) AS ?n) WHERE { ?s ng:evidence ?e }",
    "the full text of every document (ng:fullText)": "SELECT (SUM(STRLEN(?t)) AS ?n) WHERE { ?d ng:fullText ?t }",
}


def limit_store_reads(store_path: Path, runs: int = 3) -> dict[str, float]:
    """Median milliseconds the store takes to read each of `STORE_READS` over all documents."""
    from normgraph.namespace import NG
    from normgraph.rdf.corpus import open_store

    store = open_store(store_path, read_only=True)
    out = {}
    for name, body in STORE_READS.items():
        query = f"PREFIX ng: <{NG}>\n{body}"
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            list(store.query(query, use_default_graph_as_union=True))
            times.append((time.perf_counter() - t) * 1000)
        out[name] = round(statistics.median(times), 1)
    return out


def example_params(chosen: list[Path]) -> dict[str, dict[str, str]]:
    """Parameters for the queries that ask for them: the first and last speech of the State with the most
    speeches in the slice, the two States with the most speeches, and a practice of the vocabulary."""
    by_state: dict[str, list[str]] = {}
    for p in chosen:
        by_state.setdefault(p.stem.split("_")[0], []).append(p.stem)
    ranked = sorted(by_state, key=lambda k: (-len(by_state[k]), k))
    first = by_state[ranked[0]]
    pair = {"partyA": ranked[0], "partyB": ranked[1] if len(ranked) > 1 else ranked[0]}
    return {"changes-between-documents": {"docA": first[0], "docB": first[-1]}, "parties-agree": pair,
            "parties-differ": pair, "stances-toward-target": {"targetIri": "practice/unilateral-sanctions"}}


def _time_query(store_path: Path, name: str, params: dict[str, str], runs: int, conn) -> None:
    """In a child process: the median milliseconds of one stock query on the store, and its row count."""
    from normgraph.rdf.corpus import open_store
    from normgraph.sparql.query import bind_params, load_query, run_oxigraph

    store = open_store(store_path, read_only=True)
    query = load_query(name)
    bindings = bind_params(query, params)
    times: list[float] = []
    while len(times) < runs and sum(times) < QUERY_BUDGET_MS:  # a slow query is timed fewer times
        t = time.perf_counter()
        answer = run_oxigraph(store, query, bindings)
        times.append((time.perf_counter() - t) * 1000)
    conn.send((round(statistics.median(times), 2), len(answer.rows)))


def query_latencies(store_path: Path, params: dict[str, dict[str, str]], unbound_quadratic: bool
                    ) -> tuple[dict[str, float | None], dict[str, int | None], dict[str, float | None]]:
    """Median milliseconds of every stock query on the store, with example parameters where the query
    asks for them; its row count; and the same queries without parameters (the whole corpus). Each query
    runs in a child process, stopped after QUERY_LIMIT_S (its figures are then None)."""
    import multiprocessing

    from normgraph.sparql.query import stored_queries

    def median_ms(name: str, bindings: dict[str, str], runs: int = QUERY_RUNS) -> tuple[float | None, int | None]:
        mine, theirs = multiprocessing.Pipe(duplex=False)
        child = multiprocessing.get_context("fork").Process(
            target=_time_query, args=(store_path, name, bindings, runs, theirs), daemon=True)
        child.start()
        deadline = time.monotonic() + QUERY_LIMIT_S
        while not mine.poll(1) and child.is_alive() and time.monotonic() < deadline:
            pass
        if mine.poll(0):
            result = mine.recv()
            child.join()
            return result
        if child.is_alive():
            child.terminate()
            child.join()
            print(f"  query {name}: stopped after {QUERY_LIMIT_S} s", flush=True)
        else:
            print(f"  query {name}: failed (exit code {child.exitcode})", flush=True)
        return None, None

    medians, rows, unbound = {}, {}, {}
    for name in stored_queries():
        medians[name], rows[name] = median_ms(name, params.get(name, {}))
        if name in params and (name not in PAIRWISE or unbound_quadratic):
            # without parameters: every pair of documents or parties for the pairwise queries (quadratic:
            # small slices only, one run)
            unbound[name] = median_ms(name, {}, 1 if name in PAIRWISE else QUERY_RUNS)[0]
    return medians, rows, unbound


def cli_query_ms(store_path: Path, name: str = "principles-most-invoked") -> float:
    t = time.perf_counter()
    subprocess.run([str(NORMGRAPH), "query", name, "--store", str(store_path)], check=False,
                   stdout=subprocess.DEVNULL)
    return (time.perf_counter() - t) * 1000


def partial_slice(name: str, chosen: list[Path], mb: float, jobs: int, limit: float | None, build: dict,
                  store: Path) -> dict:
    """A slice whose build hit the time limit: how far it got, and the queries on what the store holds."""
    from normgraph.rdf.corpus import open_store, size

    quads, documents = size(open_store(store, read_only=True))
    queries, rows, _ = query_latencies(store, example_params(chosen), unbound_quadratic=False)
    return {"slice": name, "documents": len(chosen), "mb_text": round(mb, 2), "cores": os.cpu_count() or 1,
            "jobs": jobs, "completed": False, "time_limit_s": limit, "wall_s": round(build["wall_s"], 1),
            "cpu_s": round(build["cpu_s"], 1), "peak_rss_mb": round(build["peak_rss_mb"]),
            "last_progress": build["last_progress"], "documents_in_store": documents, "quads_in_store": quads,
            "queries_on_partial_store": queries, "query_rows": rows}


def bench_slice(cache: Path, speeches: list[Path], n: int, runs: int, jobs: int, limit: float | None) -> dict:
    name, folder, chosen = slice_folder(cache, speeches, n)
    mb = sum(p.stat().st_size for p in chosen) / 1e6
    store = cache / "stores" / name
    builds = []
    for i in range(runs):
        shutil.rmtree(store, ignore_errors=True)
        store.parent.mkdir(parents=True, exist_ok=True)
        builds.append(run_build(folder, store, jobs, cache / f"report-{name}-{i}.json", limit))
        print(f"  slice {name} run {i + 1}/{runs}: {builds[-1]['wall_s']:.1f} s wall, "
              f"{builds[-1]['cpu_s']:.1f} s CPU, exit {builds[-1]['exit']}", flush=True)
        if not builds[-1]["completed"]:
            print(f"  stopped after {limit} s: {builds[-1]['last_progress']}", flush=True)
            return partial_slice(name, chosen, mb, jobs, limit, builds[-1], store)
    rebuild = run_build(folder, store, jobs, cache / f"report-{name}-rebuild.json")
    best = sorted(builds, key=lambda b: b["wall_s"])[len(builds) // 2]  # the median run
    wall, cpu = best["wall_s"], best["cpu_s"]
    read_split = limit_read_split(chosen)
    bulk, quads_in_store = limit_bulk_load(store)
    params = example_params(chosen)
    queries, rows, unbound = query_latencies(store, params, unbound_quadratic=len(chosen) <= 100)
    reads = limit_store_reads(store)
    cores = os.cpu_count() or 1
    return {
        "slice": name, "documents": len(chosen), "mb_text": round(mb, 2), "cores": cores, "jobs": jobs,
        "runs": runs, "wall_s": round(wall, 1), "wall_runs_s": [round(b["wall_s"], 1) for b in builds],
        "cpu_s": round(cpu, 1), "peak_rss_mb": round(max(b["peak_rss_mb"] for b in builds)),
        "quads": best.get("quads", 0), "quads_in_store": quads_in_store, "stances": best.get("stances", 0),
        "nonconforming": len(best.get("nonconforming", [])), "errors": len(best.get("errors", [])),
        "exit": best["exit"], "completed": True,
        "docs_per_s": round(len(chosen) / wall, 2), "mb_s": round(mb / wall, 3),
        "mb_s_per_core_wall": round(mb / wall / min(jobs, cores), 3), "mb_s_per_core_cpu": round(mb / cpu, 3),
        "quads_per_s": round(best.get("quads", 0) / wall),
        "stage_cpu_s": {k: round(v, 1) for k, v in sorted(best.get("timings", {}).items())},
        "limit_read_split_mb_s": round(read_split, 1), "limit_bulk_load_quads_s": round(bulk),
        "fraction_of_read_split": round(mb / wall / read_split, 5),
        "fraction_of_bulk_load": round(best.get("quads", 0) / wall / bulk, 4),
        "rebuild_wall_s": round(rebuild["wall_s"], 1), "rebuild_fraction": round(rebuild["wall_s"] / wall, 3),
        "rebuild_reused": rebuild.get("reused", 0),
        "queries": queries, "query_rows": rows, "query_params": params, "queries_without_params": unbound,
        "query_cli_ms_with_process_start": round(cli_query_ms(store)), "limit_store_read_ms": reads,
    }


def measure_store(cache: Path, speeches: list[Path], n: int) -> dict:
    """Limits and query latencies on the store an earlier run of this script built for a slice (when its
    build figures are already recorded, or were printed by a run stopped before it wrote them)."""
    name, _folder, chosen = slice_folder(cache, speeches, n)
    store = cache / "stores" / name
    bulk, quads = limit_bulk_load(store)
    params = example_params(chosen)
    queries, rows, _ = query_latencies(store, params, unbound_quadratic=False)
    return {"slice": name, "limit_read_split_mb_s": round(limit_read_split(chosen), 1),
            "limit_bulk_load_quads_s": round(bulk), "quads_in_store": quads, "queries": queries,
            "query_rows": rows, "query_params": params, "query_cli_ms_with_process_start": round(cli_query_ms(store)),
            "limit_store_read_ms": limit_store_reads(store)}


def print_table(results: list[dict]) -> None:
    print()
    print("| slice | docs | MB | wall s | CPU s | docs/s | MB/s | MB/s/core (CPU) | quads/s | stances | "
          "peak RSS MB | rebuild | read+split limit | bulk-load limit |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    done = [r for r in results if r.get("completed", True)]
    for r in results:
        if r not in done:
            print(f"| {r['slice']} | {r['documents']} | {r['mb_text']} | stopped at {r['wall_s']} s: "
                  f"{r['last_progress']} | | | | | | | {r['peak_rss_mb']} | | | |")
    for r in done:
        print(f"| {r['slice']} | {r['documents']} | {r['mb_text']} | {r['wall_s']} | {r['cpu_s']} | {r['docs_per_s']} "
              f"| {r['mb_s']} | {r['mb_s_per_core_cpu']} | {r['quads_per_s']} | {r['stances']} | {r['peak_rss_mb']} "
              f"| {r['rebuild_wall_s']} s ({r['rebuild_fraction']:.1%}) "
              f"| {r['limit_read_split_mb_s']} MB/s (x{r['fraction_of_read_split']:.4f}) "
              f"| {r['limit_bulk_load_quads_s']} q/s (x{r['fraction_of_bulk_load']:.3f}) |")
    for r in done:
        stages = ", ".join(f"{k} {v}" for k, v in r["stage_cpu_s"].items())
        print(f"\nslice {r['slice']}: CPU s per stage: {stages}")
        slow = {k: v for k, v in r["queries"].items() if v > 100}
        print(f"  queries, median ms of {QUERY_RUNS} (in process): "
              + ", ".join(f"{k} {v}" for k, v in sorted(r["queries"].items())))
        print(f"  over 100 ms: {slow or 'none'}; `normgraph query` with process start: "
              f"{r['query_cli_ms_with_process_start']} ms")
        if r.get("limit_store_read_ms"):
            print("  the store reading alone, median ms: "
                  + ", ".join(f"{k} {v}" for k, v in r["limit_store_read_ms"].items()))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--slices", default="100,1000,all", help="slice sizes, comma-separated ('all' for every speech)")
    ap.add_argument("--runs", type=int, default=3, help="builds per slice (the median is reported); 'all' gets one")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--cache", type=Path, default=ROOT / "bench" / ".cache")
    ap.add_argument("--time-limit", type=float, default=None, metavar="SECONDS",
                    help="stop a build that runs longer (the slice is then recorded as not completed)")
    ap.add_argument("--measure-only", action="store_true",
                    help="no builds: measure the limits and the queries on the stores of an earlier run")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "corpus-scale.json")
    args = ap.parse_args()
    if not ARCHIVE.is_file():
        print(f"bench: the UNGDC archive is missing at {ARCHIVE}", file=sys.stderr)
        return 2
    args.cache.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} cores (shared with other work: wall figures are noisy, CPU figures steadier); "
          f"python {sys.version.split()[0]}; jobs {args.jobs}", flush=True)
    speeches = unpack(args.cache)
    previous = json.loads(args.out.read_text(encoding="utf-8")) if args.out.exists() else {"slices": []}
    results = {r["slice"]: r for r in previous.get("slices", [])}
    for item in args.slices.split(","):
        n = len(speeches) if item.strip() == "all" else int(item)
        if args.measure_only:
            entry = results.setdefault(str(n) if n < len(speeches) else "all", {"documents": n})
            entry.update(measure_store(args.cache, speeches, n))
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(json.dumps({"machine": {"cores": os.cpu_count(), "python": sys.version.split()[0]},
                                            "slices": sorted(results.values(), key=lambda x: x["documents"])},
                                           indent=2) + "\n", encoding="utf-8")
            print(json.dumps(entry, indent=1))
            continue
        runs = 1 if n >= len(speeches) else args.runs
        print(f"slice of {min(n, len(speeches))} speeches, {runs} runs", flush=True)
        r = bench_slice(args.cache, speeches, n, runs, args.jobs, args.time_limit)
        results[r["slice"]] = r
        args.out.parent.mkdir(parents=True, exist_ok=True)
        order = sorted(results.values(), key=lambda x: x["documents"])
        args.out.write_text(json.dumps({"machine": {"cores": os.cpu_count(), "python": sys.version.split()[0]},
                                        "slices": order}, indent=2) + "\n", encoding="utf-8")
    if not args.measure_only:
        print_table(sorted(results.values(), key=lambda x: x["documents"]))
    print(f"\nwritten: {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
