"""Loading the graph into a SPARQL 1.1 store: Graph Store Protocol or SPARQL Update, idempotently.

Owns: the HTTP side of `normgraph push`.  Each document's triples go into its own named graph
(`namespace.graph_iri(doc_id)`), or all into one graph given with `--graph`.  A graph is replaced
in one request, which a store runs as one transaction: a Graph Store Protocol PUT, or one SPARQL
Update request `DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> { ... } }`.  A reader (also one
that reads the union of all graphs as its default graph) sees the old graph or the new one,
never half of each and never a scratch copy, and a second push replaces rather than duplicates.
Only when `--batch N` splits a graph into several requests is a scratch graph `<g>/loading` used
(loaded, then moved into place); it is dropped again on every failure path.

`push` finds the update endpoint of a base URL (Oxigraph's `/update`, Fuseki's `/DATASET/update`)
or says which path to use.  The HTTP client is requests with urllib3's `Retry`: no connection and
HTTP 408/429/502/503/504 are retried with exponential back-off; errors that will not go away
(other 4xx, 500 such as Virtuoso's permission errors, a server that does not answer within
`timeout`) are not.  A push that fails raises `PushError`, which says which documents made it.

Credentials come from the environment (NORMGRAPH_USER, NORMGRAPH_PASSWORD), from the URL's
user-info, or from ~/.netrc (or the file $NETRC names), never from the command line; they are
sent only when the store asks (Basic or Digest), and never appear in a message.
"""
from __future__ import annotations

import netrc
import os
import sys
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import requests
import urllib3
from rdflib import Dataset, Graph, URIRef
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from normgraph.namespace import ID_IRI
from normgraph.rdf.export import ntriples

TRANSIENT_HTTP = frozenset({408, 429, 502, 503, 504})
DEFAULT_BATCH = 0  # 0: each graph in one request (one transaction)
DEFAULT_TIMEOUT = 30.0
_SCRATCH_SUFFIX = "/loading"
_NOT_AN_ENDPOINT = frozenset({404, 405, 415})
_UPDATE_PATHS = ("update", "sparql", "statements")  # Oxigraph and Fuseki; Virtuoso; RDF4J/GraphDB
_ENDPOINT_HINT = ("Oxigraph's update endpoint is BASE/update, Fuseki's BASE/DATASET/update, "
                  "Virtuoso's BASE/sparql, GraphDB's BASE/repositories/REPO/statements")


def _short(name: str) -> str:
    """A document graph's IRI as its document id; any other graph IRI as it is."""
    prefix = ID_IRI + "graph/"
    return urllib.parse.unquote(name[len(prefix):]) if name.startswith(prefix) else name


def redact(url: str) -> str:
    """`url` without the password of its user-info, for messages."""
    parts = urllib.parse.urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urllib.parse.urlunsplit(parts._replace(netloc=f"{parts.username}:***@{host}"))


def _without_userinfo(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[-1]))


class PushError(Exception):
    """A push that failed; `done` are the graphs that were replaced, `pending` those that were not."""

    def __init__(self, message: str, done: list[str], pending: list[str]) -> None:
        made = ", ".join(map(_short, done)) or "none"
        missing = ", ".join(map(_short, pending)) or "none"
        super().__init__(f"{message}; loaded: {made}; not loaded: {missing}")
        self.done = done
        self.pending = pending


class StoreError(Exception):
    """One request the store refused (`status`: its HTTP status) or did not answer (`status` None)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Target:
    """Where to push: the SPARQL Update endpoint (or a base URL), and the Graph Store Protocol endpoint if any."""

    update: str
    store: str | None = None
    retries: int = 4
    backoff: float = 0.5  # seconds before the first retry; doubled each time
    timeout: float = DEFAULT_TIMEOUT  # seconds to connect, and to wait for an answer


@dataclass
class PushResult:
    graphs: list[str] = field(default_factory=list)
    triples: int = 0
    endpoint: str = ""  # the update endpoint used (found from a base URL if need be)


# ---------------------------------------------------------------------------- credentials


def credentials(url: str) -> tuple[str | None, str | None]:
    """The user and password for `url`: NORMGRAPH_USER/NORMGRAPH_PASSWORD, the URL's user-info, else netrc's
    entry for its host. A netrc file others can read is ignored, as Python's netrc requires, with a warning."""
    user = os.environ.get("NORMGRAPH_USER")
    if user:
        return user, os.environ.get("NORMGRAPH_PASSWORD", "")
    parts = urllib.parse.urlsplit(url)
    if parts.username:
        return urllib.parse.unquote(parts.username), urllib.parse.unquote(parts.password or "")
    path = os.environ.get("NETRC")
    try:
        entry = netrc.netrc(path).authenticators(parts.hostname or "")
    except FileNotFoundError:
        return None, None
    except (netrc.NetrcParseError, OSError) as error:
        where = path or os.path.expanduser("~/.netrc")
        why = getattr(error, "msg", None) or getattr(error, "strerror", None) or str(error)
        fix = f" (chmod 600 {where})" if "permissions" in str(why) or "too permissive" in str(why) else ""
        print(f"warning: {where}: not used: {why}{fix}", file=sys.stderr)
        return None, None
    if entry is None:
        return None, None
    login, _account, password = entry
    return login, password


# ---------------------------------------------------------------------------- HTTP


def session(target: Target) -> requests.Session:
    """A requests session that retries what is transient and nothing else."""
    retry = Retry(total=target.retries, connect=target.retries, read=0, other=0, status=target.retries,
                  status_forcelist=sorted(TRANSIENT_HTTP), allowed_methods=frozenset({"POST", "PUT", "GET"}),
                  backoff_factor=target.backoff, respect_retry_after_header=True, raise_on_status=False)
    s = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    s.mount("http://", adapter)
    s.mount("https://", adapter)
    return s


def _auth(response: requests.Response, url: str) -> requests.auth.AuthBase | None:
    user, password = credentials(url)
    if not user:
        return None
    challenge = response.headers.get("WWW-Authenticate", "").lower()
    if challenge.startswith("digest"):
        return requests.auth.HTTPDigestAuth(user, password or "")
    return requests.auth.HTTPBasicAuth(user, password or "")


def _first_line(response: requests.Response) -> str:
    text = (response.text or "").strip()
    return text.splitlines()[0][:200] if text else ""


def request(target: Target, url: str, method: str, body: bytes, content_type: str,
            client: requests.Session | None = None) -> requests.Response:
    """Send one request (retrying what is transient, answering a Basic or Digest challenge); StoreError if it fails."""
    client = client or session(target)
    plain = _without_userinfo(url)
    headers = {"Content-Type": content_type}
    try:
        response = client.request(method, plain, data=body, headers=headers, timeout=target.timeout)
        if response.status_code == 401:
            auth = _auth(response, url)
            if auth is not None:
                response = client.request(method, plain, data=body, headers=headers, timeout=target.timeout,
                                          auth=auth)
    except requests.exceptions.RequestException as error:
        if _timed_out(error):
            raise StoreError(f"the endpoint did not answer within {target.timeout:g} s (--timeout): "
                             "is it overloaded, or is the URL right?") from error
        if isinstance(error, requests.exceptions.ConnectionError):
            raise StoreError(describe_connection_error(error)) from error
        raise StoreError(f"the request failed: {redact(str(error))[:200]}") from error
    if response.status_code >= 400:
        raise StoreError(describe_status(response.status_code, response.reason, _first_line(response)),
                         response.status_code)
    return response


def _timed_out(error: BaseException) -> bool:
    """A timeout, also when urllib3 gave up retrying after one (MaxRetryError wrapping ReadTimeoutError)."""
    if isinstance(error, requests.exceptions.Timeout):
        return True
    reason = getattr(error.args[0], "reason", None) if error.args else None
    refused = isinstance(reason, urllib3.exceptions.NewConnectionError)  # a subclass of ConnectTimeoutError
    return isinstance(reason, urllib3.exceptions.TimeoutError) and not refused


def describe_status(code: int, reason: str | None, body: str = "") -> str:
    """One line for an HTTP error status, with what to check."""
    hint = ""
    if code in {401, 403}:
        hint = " (check NORMGRAPH_USER/NORMGRAPH_PASSWORD or ~/.netrc)"
    elif code in {404, 405}:
        hint = f" (is this the update endpoint? {_ENDPOINT_HINT})"
    said = f": {body}" if body else ""
    return f"the store answered HTTP {code} {reason or ''}".rstrip() + hint + said


def describe_connection_error(error: BaseException) -> str:
    reason: object = error
    while getattr(reason, "__context__", None) is not None and not isinstance(reason, OSError):
        reason = reason.__context__
    text = getattr(reason, "strerror", None) or str(reason).split("(Caused by", 1)[-1].strip(" )")
    return f"cannot reach the endpoint ({redact(str(text))[:160]}): is the server running, and is the URL right?"


def describe_http_error(error: BaseException) -> str:
    """One line that says what went wrong talking to an endpoint (SPARQLWrapper's errors too), and what to check."""
    if isinstance(error, StoreError):
        return str(error)
    code = getattr(error, "code", None)
    if isinstance(code, int):
        body = ""
        try:
            body = error.read().decode("utf-8", "replace").strip().splitlines()[0][:200]  # type: ignore[union-attr]
        except Exception:  # noqa: BLE001 - the body is a courtesy
            body = ""
        return describe_status(code, getattr(error, "reason", ""), body)
    if isinstance(error, TimeoutError) or "timed out" in str(error):
        return "the endpoint did not answer in time (--timeout): is it overloaded, or is the URL right?"
    if not isinstance(error, OSError) and not hasattr(error, "reason"):
        first = (redact(str(error)).strip().splitlines() or [type(error).__name__])[0][:200]
        said = _said(error)
        return f"the endpoint refused the request: {first}" + (f" It said: {said}" if said else "")
    reason = getattr(error, "reason", None) or error
    if isinstance(reason, BaseException) and getattr(reason, "strerror", None):
        reason = reason.strerror
    text = str(reason).strip() or type(error).__name__
    return f"cannot reach the endpoint ({redact(text)}): is the server running, and is the URL right?"


def _said(error: BaseException) -> str:
    """The first line of the body a SPARQLWrapper error carries after "Response:" (the store's own words)."""
    _head, sep, tail = str(error).partition("\nResponse:\n")
    if not sep:
        return ""
    body = tail.strip()
    if body[:2] in {"b'", 'b"'}:
        body = body[2:-1].encode("latin-1", "replace").decode("unicode_escape", "replace")
    lines = body.strip().splitlines()
    return redact(lines[0])[:200] if lines else ""


def sparql_update(target: Target, update: str, client: requests.Session | None = None) -> None:
    """Send one SPARQL 1.1 Update request."""
    request(target, target.update, "POST", update.encode("utf-8"), "application/sparql-update; charset=utf-8",
            client)


def find_update_endpoint(target: Target, client: requests.Session | None = None) -> str:
    """The update endpoint at or under `target.update`.

    An empty update (a valid no-op) is sent to the URL; if the server says this is no update
    endpoint (404, 405, 415), BASE/update, BASE/sparql and BASE/statements are tried in turn.
    StoreError naming the paths to try if none takes it.
    """
    client = client or session(target)
    url = target.update
    first: StoreError | None = None
    for candidate in (url, *(url.rstrip("/") + "/" + path for path in _UPDATE_PATHS)):
        try:
            request(target, candidate, "POST", b"", "application/sparql-update", client)
            return candidate
        except StoreError as error:
            if error.status in _NOT_AN_ENDPOINT:
                first = first or error
                continue
            if error.status is None or error.status in {401, 403}:
                raise
            return candidate  # an update endpoint that will not take an empty update
    assert first is not None
    tried = ", ".join(f"/{path}" for path in _UPDATE_PATHS)
    raise StoreError(f"no SPARQL Update endpoint at {redact(url)} (HTTP {first.status}, and under it at {tried}); "
                     f"{_ENDPOINT_HINT}", first.status)


def _gsp_url(store: str, graph: str) -> str:
    return store + ("&" if "?" in store else "?") + urllib.parse.urlencode({"graph": graph})


def _batches(triples: list[tuple], size: int) -> Iterator[list[tuple]]:
    for start in range(0, len(triples), size):
        yield triples[start:start + size]


# ---------------------------------------------------------------------------- pushing


def graphs_to_push(dataset: Dataset, graph: str | None = None) -> list[tuple[str, list[tuple]]]:
    """(graph IRI, triples) for each named graph of the dataset, or all merged into `graph`, sorted."""
    found: dict[str, set] = {}
    for s, p, o, g in dataset.quads((None, None, None, None)):
        name = graph or str(g.identifier if isinstance(g, Graph) else g)
        found.setdefault(name, set()).add((s, p, o))
    return [(name, sorted(found[name], key=lambda t: tuple(x.n3() for x in t))) for name in sorted(found)]


def push_graph(target: Target, name: str, triples: Iterable[tuple], batch: int = DEFAULT_BATCH,
               client: requests.Session | None = None) -> None:
    """Replace graph `name` in the store with `triples`, in one transaction unless `batch` splits it."""
    client = client or session(target)
    triples = list(triples)
    graph = URIRef(name).n3()
    if target.store:
        request(target, _gsp_url(target.store, name), "PUT", ntriples(triples).encode("utf-8"),
                "application/n-triples", client)
        return
    scratch = URIRef(name + _SCRATCH_SUFFIX).n3()
    if batch <= 0 or len(triples) <= batch:  # also drops a scratch graph an interrupted batched push left
        sparql_update(target, f"DROP SILENT GRAPH {scratch} ;\nDROP SILENT GRAPH {graph} ;\n"
                              f"INSERT DATA {{ GRAPH {graph} {{\n{ntriples(triples)}}} }}", client)
    else:
        _push_in_batches(target, graph, scratch, triples, batch, client)


def _push_in_batches(target: Target, graph: str, scratch: str, triples: list[tuple], batch: int,
                     client: requests.Session) -> None:
    try:
        sparql_update(target, f"DROP SILENT GRAPH {scratch}", client)
        for chunk in _batches(triples, batch):
            sparql_update(target, f"INSERT DATA {{ GRAPH {scratch} {{\n{ntriples(chunk)}}} }}", client)
        sparql_update(target, f"MOVE SILENT GRAPH {scratch} TO GRAPH {graph}", client)
    except BaseException:
        try:  # the scratch copy must not stay visible to readers of the union graph
            sparql_update(target, f"DROP SILENT GRAPH {scratch}", client)
        except StoreError:
            pass  # the store is gone; the next push drops the scratch graph first
        raise


def push(dataset: Dataset, target: Target, graph: str | None = None, batch: int = DEFAULT_BATCH,
         progress: Callable[[int, int, str], None] | None = None) -> PushResult:
    """Push every document graph of `dataset` (or all of it into `graph`); PushError says what made it."""
    todo = graphs_to_push(dataset, graph)
    result = PushResult()
    client = session(target)
    if not target.store:
        try:
            target.update = find_update_endpoint(target, client)
        except StoreError as error:
            raise PushError(str(error), [], [n for n, _t in todo]) from error
    result.endpoint = target.update
    for index, (name, triples) in enumerate(todo):
        try:
            push_graph(target, name, triples, batch, client)
        except StoreError as error:
            raise PushError(f"push of {_short(name)} failed: {error}",
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
