"""Loading the graph into a SPARQL 1.1 store: Graph Store Protocol or SPARQL Update, idempotently.

Owns: the HTTP side of `normgraph push`.  Each document's triples go into its own named graph
(`namespace.graph_iri(doc_id)`), or all into one graph given with `--graph`.  A graph is first
loaded into a scratch graph (one Graph Store Protocol PUT, or SPARQL Update INSERT DATA requests
of at most `batch` triples each) and then swapped into place with one `MOVE` request, which a
store runs as one transaction: a reader sees the old graph or the new one, never half of each,
and a second push replaces rather than duplicates.

Credentials come from the environment (NORMGRAPH_USER, NORMGRAPH_PASSWORD) or from ~/.netrc
(or the file $NETRC names), never from the command line.  Transient failures (no connection,
HTTP 408/429/500/502/503/504) are retried with exponential back-off; a push that still fails
raises `PushError`, which says which documents made it and which did not.
"""
from __future__ import annotations

import netrc
import os
import socket
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from rdflib import Dataset, Graph, URIRef

from normgraph.namespace import ID_IRI

TRANSIENT_HTTP = frozenset({408, 429, 500, 502, 503, 504})
DEFAULT_BATCH = 5000
_SCRATCH_SUFFIX = "/loading"


def _short(name: str) -> str:
    """A document graph's IRI as its document id; any other graph IRI as it is."""
    prefix = ID_IRI + "graph/"
    return name[len(prefix):] if name.startswith(prefix) else name


class PushError(Exception):
    """A push that failed; `done` are the graphs that were replaced, `pending` those that were not."""

    def __init__(self, message: str, done: list[str], pending: list[str]) -> None:
        made = ", ".join(map(_short, done)) or "none"
        missing = ", ".join(map(_short, pending)) or "none"
        super().__init__(f"{message}; loaded: {made}; not loaded: {missing}")
        self.done = done
        self.pending = pending


@dataclass
class Target:
    """Where to push: the SPARQL Update endpoint, and the store's Graph Store Protocol endpoint if any."""

    update: str
    store: str | None = None
    retries: int = 4
    backoff: float = 0.5  # seconds before the first retry; doubled each time
    timeout: float = 60.0


@dataclass
class PushResult:
    graphs: list[str] = field(default_factory=list)
    triples: int = 0


# ---------------------------------------------------------------------------- credentials and errors


def credentials(url: str) -> tuple[str | None, str | None]:
    """The user and password for `url`: NORMGRAPH_USER/NORMGRAPH_PASSWORD, else netrc's entry for its host."""
    user = os.environ.get("NORMGRAPH_USER")
    if user:
        return user, os.environ.get("NORMGRAPH_PASSWORD", "")
    host = urllib.parse.urlsplit(url).hostname or ""
    try:
        entry = netrc.netrc(os.environ.get("NETRC")).authenticators(host)
    except (FileNotFoundError, netrc.NetrcParseError, OSError):
        return None, None
    if entry is None:
        return None, None
    login, _account, password = entry
    return login, password


def describe_http_error(error: BaseException) -> str:
    """One line that says what went wrong talking to a store, and what to check."""
    code = getattr(error, "code", None)
    if isinstance(code, int):
        body = ""
        try:
            body = error.read().decode("utf-8", "replace").strip().splitlines()[0][:200]  # type: ignore[union-attr]
        except Exception:  # noqa: BLE001 - the body is a courtesy
            body = ""
        hint = " (check NORMGRAPH_USER/NORMGRAPH_PASSWORD or ~/.netrc)" if code in {401, 403} else ""
        said = f": {body}" if body else ""
        return f"the store answered HTTP {code} {getattr(error, 'reason', '')}{hint}{said}"
    if not isinstance(error, (OSError, urllib.error.URLError)):
        first = (str(error).strip().splitlines() or [type(error).__name__])[0][:200]
        return f"the endpoint refused the request: {first}"
    reason = getattr(error, "reason", None) or error
    if isinstance(reason, BaseException) and getattr(reason, "strerror", None):
        reason = reason.strerror
    text = str(reason).strip() or type(error).__name__
    return f"cannot reach the endpoint ({text}): is the server running, and is the URL right?"


def _transient(error: BaseException) -> bool:
    if isinstance(error, urllib.error.HTTPError):
        return error.code in TRANSIENT_HTTP
    return isinstance(error, (urllib.error.URLError, ConnectionError, socket.timeout, TimeoutError))


# ---------------------------------------------------------------------------- HTTP


def _opener(url: str) -> urllib.request.OpenerDirector:
    """An opener that answers a Basic or Digest challenge (Virtuoso's *-auth endpoints use Digest)."""
    user, password = credentials(url)
    if not user:
        return urllib.request.build_opener()
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, url, user, password or "")
    return urllib.request.build_opener(urllib.request.HTTPBasicAuthHandler(passwords),
                                       urllib.request.HTTPDigestAuthHandler(passwords))


def _request(target: Target, url: str, method: str, body: bytes, content_type: str) -> None:
    headers = {"Content-Type": content_type}
    opener = _opener(url)
    delay = target.backoff
    for attempt in range(target.retries + 1):
        req = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            with opener.open(req, timeout=target.timeout) as response:
                response.read()
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
            if attempt == target.retries or not _transient(error):
                raise
            time.sleep(delay)
            delay *= 2


def sparql_update(target: Target, update: str) -> None:
    """Send one SPARQL 1.1 Update request."""
    body = update.encode("utf-8")
    _request(target, target.update, "POST", body, "application/sparql-update; charset=utf-8")


def _gsp_url(store: str, graph: str) -> str:
    return store + ("&" if "?" in store else "?") + urllib.parse.urlencode({"graph": graph})


def _ntriples(triples: Iterable[tuple]) -> str:
    """N-Triples (one escaped line per triple, also valid inside SPARQL INSERT DATA)."""
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return "".join(sorted(line + "\n" for line in graph.serialize(format="nt").splitlines() if line.strip()))


def _batches(triples: list[tuple], size: int) -> Iterator[list[tuple]]:
    for start in range(0, len(triples), size):
        yield triples[start:start + size]


# ---------------------------------------------------------------------------- pushing


def graphs_to_push(dataset: Dataset, graph: str | None = None) -> list[tuple[str, list[tuple]]]:
    """(graph IRI, sorted triples) for each named graph of the dataset, or all merged into `graph`."""
    found: dict[str, set] = {}
    for s, p, o, g in dataset.quads((None, None, None, None)):
        name = graph or str(g.identifier if isinstance(g, Graph) else g)
        found.setdefault(name, set()).add((s, p, o))
    return [(name, sorted(found[name], key=lambda t: tuple(x.n3() for x in t))) for name in sorted(found)]


def push_graph(target: Target, name: str, triples: list[tuple], batch: int = DEFAULT_BATCH) -> None:
    """Replace graph `name` in the store with `triples`: load a scratch graph, then MOVE it into place."""
    graph, scratch = URIRef(name).n3(), URIRef(name + _SCRATCH_SUFFIX).n3()
    if target.store:
        body = _ntriples(triples).encode("utf-8")
        _request(target, _gsp_url(target.store, name + _SCRATCH_SUFFIX), "PUT", body, "application/n-triples")
    else:
        sparql_update(target, f"DROP SILENT GRAPH {scratch}")
        for chunk in _batches(triples, batch):
            sparql_update(target, f"INSERT DATA {{ GRAPH {scratch} {{\n{_ntriples(chunk)}}} }}")
    sparql_update(target, f"MOVE SILENT GRAPH {scratch} TO GRAPH {graph}")


def push(dataset: Dataset, target: Target, graph: str | None = None, batch: int = DEFAULT_BATCH,
         progress: Callable[[int, int, str], None] | None = None) -> PushResult:
    """Push every document graph of `dataset` (or all of it into `graph`); PushError says what made it."""
    todo = graphs_to_push(dataset, graph)
    result = PushResult()
    for index, (name, triples) in enumerate(todo):
        try:
            push_graph(target, name, triples, batch)
        except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
            raise PushError(f"push of {_short(name)} failed: {describe_http_error(error)}",
                            result.graphs, [n for n, _t in todo[index:]]) from error
        result.graphs.append(name)
        result.triples += len(triples)
        if progress:
            progress(index + 1, len(todo), name)
    return result


def stderr_progress(done: int, total: int, name: str) -> None:
    """A one-line progress bar on stderr, shown only on a terminal."""
    if not sys.stderr.isatty():
        return
    width = 30
    filled = width * done // max(total, 1)
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} graphs")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()
