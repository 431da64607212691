"""Tests for network/page.py: the interactive page, checked as text and in headless Chromium.

The browser tests run Debian's `chromium` (or the one $NORMGRAPH_CHROMIUM names) with a fresh
profile and no network.  The page's test hook (`#test=TEXT` in its address) searches TEXT, selects
the node found and writes the outcome into `<pre id="ng-test">`, which `--dump-dom` prints.
Without chromium the browser tests skip locally and fail when CI is set.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from normgraph.network.page import render
from normgraph.network.projection import Source

DECLARATION = "cn-ru-2025-international-law"
UNCLOS_WORDS = "emphasize the important role of the 1982 United Nations Convention on the Law of the Sea"
ON_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--mute-audio"]


def _chromium() -> str:
    found = os.environ.get("NORMGRAPH_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    reason = "chromium is not installed (apt-get install chromium; `make test` installs it)"
    if ON_CI:
        pytest.fail(reason)
    pytest.skip(reason)


def _run(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess:
    profile = tmp_path / "profile"
    command = [_chromium(), *FLAGS, f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)


def page_outcome(page: Path, query: str, tmp_path: Path) -> dict:
    """What the page drew and showed after searching `query`, read from the DOM Chromium dumped."""
    dom = _run(["--dump-dom", f"{page.as_uri()}#test={query}"], tmp_path).stdout
    found = re.search(r'<pre id="ng-test">(.*?)</pre>', dom, re.S)
    assert found and found.group(1), "the page did not run its test hook"
    return json.loads(found.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))


@pytest.fixture(scope="module")
def page(network_graph, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("html") / "network.html"
    path.write_text(render(network_graph), encoding="utf-8")
    return path


def test_page_page_is_self_contained(page):
    text = page.read_text(encoding="utf-8")
    assert not re.search(r"""<(script|link|img|iframe)[^>]*\s(src|href)=""", text)
    assert "@import" not in text and "url(" not in text
    assert text.count("<script") == 2


def test_page_page_embeds_data(page, network_graph):
    text = page.read_text(encoding="utf-8")
    raw = re.search(r'<script type="application/json" id="ng-data">(.*?)</script>', text, re.S).group(1)
    data = json.loads(raw)
    assert len(data["nodes"]) == network_graph.number_of_nodes()
    assert len(data["edges"]) == network_graph.number_of_edges()
    unclos = next(n for n in data["nodes"] if n["id"] == "instrument/unclos")
    assert unclos["alt"] == "UNCLOS"
    assert unclos["sources"] == [[DECLARATION, "18", UNCLOS_WORDS]]
    assert all(set(n) >= {"x", "y", "label", "kind"} for n in data["nodes"])


def test_page_escapes_script_end_in_data():
    g = nx.MultiDiGraph()
    words = "</script><script>alert(1)</script>"
    g.add_node("concept/a", label="a </script>", kind="concept", sources=[Source("d", "1", words)])
    g.add_node("concept/b", label="b", kind="concept", sources=[])
    g.add_edge("concept/a", "concept/b", key="co-invocation", link="co-invocation", weight=1,
               sources=[Source("d", "1", words)])
    assert render(g).count("</script>") == 2


def test_page_browser_search_unclos_shows_clause_18(page, network_graph, tmp_path):
    outcome = page_outcome(page, "UNCLOS", tmp_path)
    assert outcome["nodeCount"] == network_graph.number_of_nodes()
    assert outcome["drawnNodes"] == network_graph.number_of_nodes()
    assert outcome["edgeCount"] == network_graph.number_of_edges()
    assert outcome["found"] == "instrument/unclos"
    assert {"document": DECLARATION, "clause": "18", "evidence": UNCLOS_WORDS} in outcome["panel"]


def test_page_browser_search_by_label_part(page, tmp_path):
    outcome = page_outcome(page, "unilateral sanc", tmp_path)
    assert outcome["found"] == "practice/unilateral-sanctions"
    assert {(p["document"], p["clause"]) for p in outcome["panel"]} >= {(DECLARATION, "8")}


def test_page_browser_screenshot_is_not_blank(page, tmp_path):
    from PIL import Image

    shot = tmp_path / "shot.png"
    _run(["--window-size=1200,800", f"--screenshot={shot}", f"{page.as_uri()}#test=UNCLOS"], tmp_path)
    pixels = np.asarray(Image.open(shot).convert("RGB"), dtype=float)
    assert pixels.shape[:2] == (800, 1200)
    assert pixels.std() > 10
    # the instrument blue of the legend and the nodes is on screen
    blue = (abs(pixels[..., 0] - 0x1F) < 30) & (abs(pixels[..., 1] - 0x77) < 30) & (abs(pixels[..., 2] - 0xB4) < 30)
    assert blue.sum() > 20


def _big_network(n: int) -> nx.MultiDiGraph:
    rng = np.random.default_rng(1)
    kinds = ["instrument", "principle", "practice", "concept", "party"]
    g = nx.MultiDiGraph()
    for i in range(n):
        g.add_node(f"x/{i}", label=f"node {i}", kind=kinds[i % 5], sources=[Source("d", str(i), f"words {i}")])
    for _ in range(3 * n):
        a, b = (int(v) for v in rng.integers(0, n, 2))
        if a != b:
            g.add_edge(f"x/{a}", f"x/{b}", key="co-invocation", link="co-invocation", weight=1,
                       sources=[Source("d", str(a), "")])
    return g


def test_page_browser_draws_600_nodes_quickly(tmp_path):
    g = _big_network(600)
    start = time.perf_counter()
    text = render(g)
    layout_seconds = time.perf_counter() - start
    path = tmp_path / "big.html"
    path.write_text(text, encoding="utf-8")
    outcome = page_outcome(path, "node 599", tmp_path)
    assert outcome["nodeCount"] == 600 and outcome["drawnNodes"] == 600
    assert outcome["found"] == "x/599"
    assert outcome["scriptMs"] < 2000, outcome
    assert layout_seconds < 30


def test_page_page_is_deterministic(network_graph):
    assert render(network_graph) == render(network_graph)
