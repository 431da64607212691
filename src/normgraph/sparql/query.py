"""Running SPARQL questions over the graph: stored queries, parameters, engines and output formats.

Owns: finding a query (a name from the packaged queries/ folder or a .rq file), reading the
parameters its comment header declares, turning `--param name=value` into RDF terms, running
it on a local graph (rdflib or pyoxigraph) or a remote SPARQL endpoint (SPARQLWrapper), and
writing the answer as an aligned table, CSV, TSV or JSON.

Parameters are never spliced into the query text as strings.  Locally they are bound as RDF
terms (rdflib `initBindings`); for pyoxigraph and a remote endpoint they become a
VALUES block, written from the same RDF terms with their own escaping, at the start of the
query's outermost WHERE group, which is what the local bindings mean too.

A query's header declares its parameters as lines `#   ?name (kind) words`; the kind says
how a value becomes a term: party/principle/instrument/practice/concept (an id such as CHN or
unilateral-sanctions), document (a document id), entity (kind/id, e.g. practice/unilateral-sanctions),
iri, string, integer.  A value written <...> is always an IRI.
"""
from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from rdflib import Dataset, Literal, URIRef, Variable
from rdflib.term import Node

from normgraph.errors import InputError
from normgraph.namespace import ID, document_iri, entity_iri
from normgraph.resources import resource_dir

OUTPUT_FORMATS = ("table", "csv", "tsv", "json")
ENGINES = ("rdflib", "oxigraph")
ENTITY_KINDS = ("party", "principle", "instrument", "practice", "concept")
PARAM_KINDS = (*ENTITY_KINDS, "document", "entity", "iri", "string", "integer")
_PARAM_LINE = re.compile(r"^#\s+\?(\w+)\s+\((\w+)\)")
_COMMENT_LINE = re.compile(r"^[ \t]*#[^\n]*$", re.MULTILINE)
_IRI_SAFE = "/:#?&=;,+$!*'()@~%-._"
_TABLE_CELL_MAX = 80


@dataclass(frozen=True)
class StoredQuery:
    """A SPARQL query with the parameters its header declares."""

    name: str
    text: str
    params: dict[str, str] = field(default_factory=dict)  # variable name -> kind
    path: Path | None = None  # the .rq file it was read from

    @property
    def is_check(self) -> bool:
        """A check: a query that must return no rows (its name ends in -violation)."""
        return self.name.endswith("-violation")


@dataclass
class Answer:
    """The rows of a SELECT query, in order; a cell is an RDF term or None (unbound). An ASK query's
    answer has no rows and its `boolean`."""

    variables: list[str]
    rows: list[tuple[Node | None, ...]]
    boolean: bool | None = None

    @property
    def found(self) -> bool:
        """Did the query find anything (rows, or an ASK answered true)?"""
        return bool(self.rows) if self.boolean is None else self.boolean

    def values(self) -> list[tuple[str | int | Decimal | float | None, ...]]:
        """The rows as plain values, numbers as numbers (0.290 == 0.29), for comparing two engines' answers."""
        return [tuple(_comparable(cell) for cell in row) for row in self.rows]


def _comparable(cell: Node | None) -> str | int | Decimal | float | None:
    if isinstance(cell, Literal) and isinstance(cell.value, (int, Decimal, float)) and not isinstance(cell.value, bool):
        return cell.value
    return None if cell is None else str(cell)


# ---------------------------------------------------------------------------- finding queries


def stored_queries() -> list[str]:
    """The names of the packaged queries, sorted."""
    return sorted(p.stem for p in resource_dir("queries").glob("*.rq"))


def load_query(name_or_path: str | Path) -> StoredQuery:
    """A stored query by name ("practices-opposed") or a .rq file by path."""
    path = Path(name_or_path)
    if path.suffix != ".rq":
        path = resource_dir("queries") / f"{name_or_path}.rq"
        if not path.is_file():
            known = ", ".join(stored_queries())
            raise InputError(str(name_or_path), f"no such stored query; known queries: {known}")
    elif not path.is_file():
        raise InputError(str(path), "no such query file")
    from normgraph.text.documents import read_text

    text = read_text(path)
    return StoredQuery(path.stem, text, _declared_params(text), path)


def _declared_params(text: str) -> dict[str, str]:
    params: dict[str, str] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        match = _PARAM_LINE.match(line)
        if match and match.group(2) in PARAM_KINDS:
            params[match.group(1)] = match.group(2)
    return params


# ---------------------------------------------------------------------------- parameters


def parse_params(pairs: Iterable[str]) -> dict[str, str]:
    """`name=value` strings (as given to --param) to a dict; the value may hold any characters."""
    params: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip().lstrip("?")
        if not sep or not re.fullmatch(r"\w+", name):
            raise InputError(f"--param {pair}", "expected NAME=VALUE, e.g. party=CHN")
        params[name] = value
    return params


def _safe_iri(text: str) -> str:
    """`text` with every character that may not stand in an IRI percent-encoded."""
    return quote(text, safe=_IRI_SAFE)


def param_term(kind: str, value: str) -> Node:
    """The RDF term a parameter value stands for, given the kind its query declares."""
    if value.startswith("<") and value.endswith(">") and len(value) > 2:
        return URIRef(_safe_iri(value[1:-1]))
    if kind == "party":
        return entity_iri("party", _safe_iri(value))
    if kind in ENTITY_KINDS:
        return entity_iri(kind, value)
    if kind == "document":
        return document_iri(value)
    if kind == "entity":
        return ID[_safe_iri(value)]
    if kind == "iri":
        return URIRef(_safe_iri(value))
    if kind == "integer":
        if not re.fullmatch(r"[+-]?\d+", value.strip()):
            raise InputError(f"--param {value}", "expected a whole number")
        return Literal(int(value))
    return Literal(value)


def bind_params(query: StoredQuery, params: dict[str, str]) -> dict[str, Node]:
    """The bindings (variable name -> term) for `params`; a name the query does not declare is an error."""
    bindings: dict[str, Node] = {}
    for name, value in params.items():
        if name not in query.params:
            declared = ", ".join(sorted(query.params)) or "none"
            raise InputError(f"--param {name}", f"{query.name} has no such parameter (takes: {declared})")
        bindings[name] = param_term(query.params[name], value)
    return bindings


def with_values(text: str, bindings: dict[str, Node]) -> str:
    """The query with a VALUES block for `bindings` at the start of its outermost WHERE group, and
    one for the bound variables each plain sub-query projects at the start of its own WHERE group.

    A sub-query is evaluated before it is joined, so an engine cannot use a parameter the outer
    group binds to look up the sub-query's own patterns: on a large store a sub-query that reads
    "the stances of ?partyB" reads every stance. The VALUES block inside changes no answer when
    the sub-query projects the variable as it is and has no GROUP BY, aggregate, LIMIT or
    OFFSET (a join with one row of values then commutes with the projection); other sub-queries
    are left as they are.

    The blocks are written from RDF terms (`n3()`, which escapes quotes, backslashes and line
    breaks in literals), so a value can never close a block or start a new operation.
    """
    if not bindings:
        return text
    tokens = list(_tokens(text))
    inserts = [(_where_brace(tokens), sorted(bindings))]
    subqueries = list(_subqueries(tokens))
    for where, _end, projected in subqueries:
        names = set(projected) & set(bindings)
        for outer_where, outer_end, outer in subqueries:  # a variable a sub-query around it does not
            if outer_where < where < outer_end:         # project is another variable
                names &= set(outer)
        if names:
            inserts.append((where, sorted(names)))
    for at, names in sorted(inserts, reverse=True):
        block = (" VALUES (" + " ".join(f"?{n}" for n in names) + ") { ("
                 + " ".join(bindings[n].n3() for n in names) + ") } ")
        text = text[: at + 1] + block + text[at + 1:]
    return text


# a prefixed name is one token, so that a local name is never taken for a keyword
_TOKEN = re.compile(r"""[A-Za-z_][\w.-]*:[\w.-]*|:[\w.-]*|[A-Za-z_]\w*|[?$]\w+|[{}()*]""")
_IRI = re.compile(r"<[^<>\"{}|^`\\\s]*>")
_MODIFIERS = {"GROUP", "HAVING", "LIMIT", "OFFSET"}
_AGGREGATES = {"COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT"}


def _tokens(text: str):
    """(offset, token) of the query's words, variables and brackets; comments, strings and IRIs skipped."""
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "#":
            i = text.find("\n", i)
            i = n if i < 0 else i
            continue
        if ch in "\"'":
            close = text.find(ch, i + 1)
            while close > 0 and text[close - 1] == "\\":
                close = text.find(ch, close + 1)
            i = n if close < 0 else close + 1
            continue
        if ch == "<":
            iri = _IRI.match(text, i)
            if iri:
                i = iri.end()
                continue
        token = _TOKEN.match(text, i)
        if token:
            yield i, token.group()
            i = token.end()
            continue
        i += 1


def _subqueries(tokens: list[tuple[int, str]]):
    """(offset of the `{` of its WHERE group, offset of the `}` that ends it, the variables it projects)
    of every sub-query; no variables for one that projects anything but plain variables or has a
    GROUP BY, HAVING, LIMIT, OFFSET or aggregate."""
    depth = 0
    for k, (_, token) in enumerate(tokens):
        if token in "{}":
            depth += 1 if token == "{" else -1
        if token.upper() != "SELECT" or depth == 0:
            continue
        j = k + 1
        while j < len(tokens) and tokens[j][1] != "{" and tokens[j][1].upper() != "WHERE":
            j += 1
        projected = [t for _, t in tokens[k + 1:j] if t.upper() not in ("DISTINCT", "REDUCED")]
        while j < len(tokens) and tokens[j][1] != "{":
            j += 1
        if j == len(tokens):
            return
        level, end = 0, len(tokens) - 1
        for end in range(j, len(tokens)):  # the sub-query ends at the `}` that closes its enclosing group
            level += {"{": 1, "}": -1}.get(tokens[end][1], 0)
            if level < 0:
                break
        words = {t.upper() for _, t in tokens[j:end]}
        plain = all(t[0] in "?$" for t in projected) and not words & (_MODIFIERS | _AGGREGATES)
        yield tokens[j][0], tokens[end][0], [t[1:] for t in projected] if plain else []


def _where_brace(tokens: list[tuple[int, str]]) -> int:
    """The offset of the `{` that opens the outermost WHERE group (the first brace of the tokens)."""
    for at, token in tokens:
        if token == "{":
            return at
    raise InputError("query", "no WHERE { ... } group to bind parameters in")


# ---------------------------------------------------------------------------- running


def prepare_dataset(dataset: Dataset) -> Dataset:
    """Let queries see the union of all document graphs as their default graph."""
    dataset.default_union = True
    return dataset


def run_rdflib(dataset: Dataset, query: StoredQuery, bindings: dict[str, Node] | None = None) -> Answer:
    """Run `query` with rdflib over the union of the dataset's graphs."""
    prepare_dataset(dataset)
    init = {Variable(k): v for k, v in (bindings or {}).items()}
    try:
        result = dataset.query(query.text, initBindings=init)
    except Exception as error:  # noqa: BLE001 - pyparsing's ParseException and rdflib's own errors
        raise _bad_query(query, error) from error
    if result.type == "ASK":
        return Answer([], [], bool(result.askAnswer))
    if result.type != "SELECT":
        raise _graph_query(query)
    variables = [str(v) for v in result.vars or []]
    rows = [tuple(row[v] if v in row.labels else None for v in variables) for row in result]
    return Answer(variables, [tuple(r) for r in rows])


def oxigraph_store(dataset: Dataset):  # -> pyoxigraph.Store
    """A pyoxigraph in-memory store holding the dataset's quads (a pyoxigraph store is used as it is)."""
    import pyoxigraph as ox

    if isinstance(dataset, ox.Store):
        return dataset
    store = ox.Store()
    data = dataset.serialize(format="nquads", encoding="utf-8")
    store.load(data, format=ox.RdfFormat.N_QUADS)
    return store


def run_oxigraph(store, query: StoredQuery, bindings: dict[str, Node] | None = None) -> Answer:
    """Run `query` with pyoxigraph over the union of the store's graphs."""

    import pyoxigraph as ox

    try:
        result = store.query(with_values(query.text, bindings or {}), use_default_graph_as_union=True)
    except SyntaxError as error:
        raise _bad_query(query, error) from error
    if isinstance(result, ox.QueryBoolean):
        return Answer([], [], bool(result))
    if not isinstance(result, ox.QuerySolutions):
        raise _graph_query(query)
    variables = [v.value for v in result.variables]
    rows = [tuple(_from_ox(sol[v]) for v in variables) for sol in result]
    return Answer(variables, rows)


def _bad_query(query: StoredQuery, error: BaseException) -> InputError:
    where = str(query.path) if query.path else query.name
    first = (str(error).strip().splitlines() or [type(error).__name__])[0][:200]
    return InputError(where, f"not a valid SPARQL query: {first}")


def _graph_query(query: StoredQuery) -> InputError:
    where = str(query.path) if query.path else query.name
    return InputError(where, "a CONSTRUCT or DESCRIBE query gives a graph, not rows: `normgraph query` runs "
                             "SELECT and ASK queries (run graph queries at `normgraph serve`)")


def _from_ox(term) -> Node | None:
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value, datatype=None if datatype.endswith("#string") else URIRef(datatype))
    from rdflib import BNode

    return BNode(term.value)


def run_remote(endpoint: str, query: StoredQuery, bindings: dict[str, Node] | None = None,
               timeout: float = 30) -> Answer:
    """Run `query` at a SPARQL 1.1 endpoint; parameters travel as a VALUES block of RDF terms."""
    from SPARQLWrapper import JSON, POST, SPARQLWrapper

    from normgraph.sparql.store import credentials, describe_http_error, redact

    parts = urlsplit(endpoint)
    client = SPARQLWrapper(urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[-1])))
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    client.setTimeout(max(1, math.ceil(timeout)))
    user, password = credentials(endpoint)
    if user:
        client.setCredentials(user, password)
    # whole-line comments go: SPARQLWrapper guesses the query form from the first keyword it sees,
    # and a header that says "adds" or "drops" would make it send a query as an update
    client.setQuery(_COMMENT_LINE.sub("", with_values(query.text, bindings or {})))
    try:
        data = client.queryAndConvert()
    except Exception as error:  # noqa: BLE001 - every failure becomes one line
        raise InputError(redact(endpoint), describe_http_error(error)) from error
    if not isinstance(data, dict):
        raise InputError(redact(endpoint), "the endpoint did not answer with SPARQL JSON results "
                                           "(a CONSTRUCT or DESCRIBE query, or not a SPARQL endpoint?)")
    if "boolean" in data:
        return Answer([], [], bool(data["boolean"]))
    variables = data.get("head", {}).get("vars", [])
    rows = [tuple(_from_json(b.get(v)) for v in variables) for b in data.get("results", {}).get("bindings", [])]
    return Answer(variables, rows)


def _from_json(cell: dict | None) -> Node | None:
    if cell is None:
        return None
    if cell["type"] == "uri":
        return URIRef(cell["value"])
    if cell["type"] in {"literal", "typed-literal"}:
        datatype = cell.get("datatype")
        if datatype and datatype.endswith("#string"):
            datatype = None
        return Literal(cell["value"], lang=cell.get("xml:lang"), datatype=datatype)
    from rdflib import BNode

    return BNode(cell["value"])


def run(query: StoredQuery, *, graph_paths: Sequence[Path] = (), endpoint: str | None = None,
        params: dict[str, str] | None = None, engine: str = "rdflib", timeout: float = 30) -> Answer:
    """Run a query on local graph files (rdflib or pyoxigraph) or at a remote endpoint."""
    bindings = bind_params(query, params or {})
    if endpoint:
        return run_remote(endpoint, query, bindings, timeout)
    from normgraph.rdf.validate import load_graph

    dataset = load_graph(graph_paths)
    if engine == "oxigraph":
        return run_oxigraph(oxigraph_store(dataset), query, bindings)
    return run_rdflib(dataset, query, bindings)


# ---------------------------------------------------------------------------- output


def _plain(term: Node) -> str:
    """A term as a person reads it: the IRI or the literal's lexical form."""
    return str(term)


def format_answer(answer: Answer, fmt: str = "table") -> str:
    """The answer as an aligned table, CSV, TSV or JSON (SPARQL 1.1 Query Results JSON)."""
    if answer.boolean is not None:
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": answer.boolean}) + "\n"
        return ("true" if answer.boolean else "false") + "\n"
    if fmt == "json":
        return json.dumps(_results_json(answer), ensure_ascii=False, indent=2) + "\n"
    cells = [["" if c is None else _plain(c) for c in row] for row in answer.rows]
    if fmt in {"csv", "tsv"}:
        out = io.StringIO()
        if fmt == "csv":
            writer = csv.writer(out, lineterminator="\n")
        else:
            writer = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(answer.variables)
        writer.writerows(cells)
        return out.getvalue()
    if fmt != "table":
        raise InputError(f"-f {fmt}", f"unknown output format; expected one of {', '.join(OUTPUT_FORMATS)}")
    shown = [[_cell(c) for c in row] for row in cells]
    widths = [len(v) for v in answer.variables]
    for row in shown:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    lines = [" | ".join(v.ljust(w) for v, w in zip(answer.variables, widths, strict=True)).rstrip(),
             "-+-".join("-" * w for w in widths)]
    lines += [" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in shown]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _TABLE_CELL_MAX else text[: _TABLE_CELL_MAX - 1] + "\u2026"


def _results_json(answer: Answer) -> dict:
    bindings = []
    for row in answer.rows:
        entry = {}
        for name, cell in zip(answer.variables, row, strict=True):
            if cell is None:
                continue
            if isinstance(cell, URIRef):
                entry[name] = {"type": "uri", "value": str(cell)}
            elif isinstance(cell, Literal):
                item = {"type": "literal", "value": str(cell)}
                if cell.language:
                    item["xml:lang"] = cell.language
                elif cell.datatype:
                    item["datatype"] = str(cell.datatype)
                entry[name] = item
            else:
                entry[name] = {"type": "bnode", "value": str(cell)}
        bindings.append(entry)
    return {"head": {"vars": answer.variables}, "results": {"bindings": bindings}}
