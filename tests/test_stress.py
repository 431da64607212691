"""The long variants of the reliability suite, run by `make stress` (NORMGRAPH_STRESS=1), not by `make test`.

Faults injected many times at random moments, each followed by a check that nothing the user
had is lost: builds killed with SIGKILL (kg/ old or new, whole), two builds at once (one waits
its turn or stops with one line), a real Oxigraph server killed mid-push while a reader polls
(every graph old or new, whole; no scratch graph ever visible), a store that fails at random,
and the endpoint under a thousand concurrent requests while runaway queries are stopped.
The figures are printed at the end of the run (`reliability figures`).
"""
from __future__ import annotations

import random
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from conftest import count, tree
from normgraph.cli import main
from normgraph.sparql.serve import Policy
from normgraph.sparql.store import PushError, Target, push
from test_endpoint import CARTESIAN, LABEL, Running
from test_faults import _Server, check_every_graph_old_or_new, graph_counts, kill_mid_push, versioned_dataset
from test_properties import corpus
from test_store import oxigraph  # noqa: F401 - the fixture

KILLS = 20
PUSH_KILLS = 10



def test_builds_killed_at_random_moments_leave_kg_old_or_new(tmp_path):
    """Issue 10, finding 5: SIGKILL at any moment of a build leaves kg/ whole, the old or the new graph."""
    docs = corpus(tmp_path, 24, seed=5)
    kg = tmp_path / "kg"
    assert main(["build", str(docs), "-o", str(kg), "-q"]) == 0
    old = tree(kg)
    (docs / "extra.txt").write_text("1. We reaffirm the Charter of the United Nations.\n", encoding="utf-8")
    rng = random.Random(10)
    new = None
    for _ in range(KILLS):
        proc = subprocess.Popen([sys.executable, "-m", "normgraph", "build", str(docs), "-o", str(kg), "-q",
                                 "-j", "2"])
        time.sleep(rng.uniform(1.0, 12.0))
        proc.kill()
        finished = proc.wait() == 0
        now = tree(kg)
        if new is None and now != old:
            new = now
        assert now in (old, new), "kg/ is neither the old nor the new graph"
        leftovers = sorted(p.name for p in tmp_path.iterdir() if p.name not in {"docs", "kg", ".kg.lock"})
        assert leftovers in ([], [".kg.new"], [".kg.old"]), leftovers  # repaired by the next build
        count("builds killed (SIGKILL at a random moment)")
        count("builds that finished before the kill", finished)
    assert main(["build", str(docs), "-o", str(kg), "-q"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [".kg.lock", "docs", "kg"]


def test_concurrent_builds_never_interleave(tmp_path):
    """Issue 10, finding 5: two builds at once: one writes, the other stops with one line; kg/ is whole."""
    docs = corpus(tmp_path, 12, seed=6)
    kg = tmp_path / "kg"
    for _ in range(6):
        procs = [subprocess.Popen([sys.executable, "-m", "normgraph", "build", str(docs), "-o", str(kg), "-q"],
                                  stderr=subprocess.PIPE, text=True) for _ in range(2)]
        results = [(p.wait(), p.stderr.read()) for p in procs]
        assert any(code == 0 for code, _ in results), results
        for code, err in results:
            assert code == 0 or (code == 2 and "another normgraph build" in err and err.count("\n") == 1), err
        assert len(list(kg.iterdir())) == 12
        count("concurrent build pairs")


def test_oxigraph_killed_mid_push_many_times(oxigraph):  # noqa: F811
    """Issue 10, finding 4: a real Oxigraph server killed mid-push, again and again: never a half graph."""
    for seed in range(PUSH_KILLS):
        _loaded, polls = kill_mid_push(oxigraph, seed)
        count("Oxigraph servers killed mid-push")
        count("union-graph reader polls during pushes", polls)
    push(versioned_dataset(2), oxigraph.target)
    assert check_every_graph_old_or_new(graph_counts(oxigraph)) == 120


def test_a_store_failing_at_random_is_reported_exactly(tmp_path):
    """Issue 10, finding 9: transient failures are retried, others are not; what PushError says loaded is loaded."""
    rng = random.Random(9)
    stored: dict[str, int] = {}

    def behave(handler) -> None:
        roll = rng.random()
        if roll < 0.15:
            status = 503
        elif roll < 0.2:
            status = 500
        elif roll < 0.23:
            handler.close_connection = True
            handler.connection.close()  # the connection drops without an answer
            return
        else:
            status = 204
        handler.send_response(status)
        handler.send_header("Content-Length", "0")
        handler.end_headers()
        if status == 204:
            stored[handler.path] = stored.get(handler.path, 0) + 1

    server = _Server(behave)
    try:
        for _ in range(40):
            data = versioned_dataset(1, graphs=6, triples=3)
            try:
                result = push(data, Target(update=server.url, retries=3, backoff=0.01, timeout=5))
                assert len(result.graphs) == 6
                count("pushes through a failing store that completed")
            except PushError as failure:
                assert len(failure.done) + len(failure.pending) == 6
                count("pushes through a failing store reported as failed (loaded/not loaded named)")
    finally:
        server.close()
    count("HTTP faults injected (503, 500, dropped connections)", server.requests - sum(stored.values()))


def test_the_endpoint_under_load_with_runaway_queries():
    """Issue 10, finding 2: 1,000 concurrent requests are all answered while runaway queries are stopped."""
    running = Running(Policy(time_limit=3.0, workers=2, threads=32))
    try:
        def one(i: int) -> int:
            query = CARTESIAN if i % 250 == 0 else LABEL
            return running.request(query=query, timeout=120)[0]

        with ThreadPoolExecutor(max_workers=200) as pool:
            statuses = list(pool.map(one, range(1000)))
        assert [s for i, s in enumerate(statuses) if i % 250 == 0] == [503] * 4
        assert all(s == 200 for i, s in enumerate(statuses) if i % 250 != 0), sorted(set(statuses))
        count("concurrent requests answered", len(statuses))
        count("runaway queries stopped at the time limit", running.server.pool.stopped_queries)
    finally:
        running.close()
