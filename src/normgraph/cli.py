"""The `normgraph` command line: a thin skin over the pipeline's functions.

Exit codes: 0 ok; 1 the graph does not conform (or a query found nothing);
2 usage or input error. Errors are one line on stderr that says what and where.
Each command is a function `cmd_NAME(args) -> int` with its arguments declared
in `add_NAME(subparsers)`; `COMMANDS` lists them in the order `--help` shows.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from normgraph import __version__
from normgraph.errors import EXIT_INPUT, EXIT_NONCONFORMING, EXIT_OK, InputError

DEFAULT_SEEDS = Path("seeds")
DEFAULT_KG = Path("kg")


def _err(message: str) -> None:
    print(f"normgraph: {message}", file=sys.stderr)


def _format_names() -> list[str]:
    from normgraph.rdf.export import FORMAT_NAMES

    return sorted(FORMAT_NAMES)


# --- build -----------------------------------------------------------------
def add_build(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("build", help="extract every document, validate, write the graph (one Turtle file each)")
    p.add_argument("paths", nargs="*", type=Path, help="documents or folders (default: seeds/)")
    p.add_argument("-o", "--out", type=Path, default=DEFAULT_KG, help="output folder (default: kg/)")
    p.add_argument("-j", "--jobs", type=int, default=0, help="worker processes (default: one per core)")
    p.add_argument("--no-validate", action="store_true", help="skip SHACL validation")
    p.add_argument("--force", action="store_true", help="write the graph even if it does not conform")
    p.add_argument("-q", "--quiet", action="store_true", help="no warnings or summary")


def cmd_build(args: argparse.Namespace) -> int:
    from normgraph import pipeline
    from normgraph.rdf import output

    inputs = args.paths or [DEFAULT_SEEDS]
    output.check_output_dir(args.out, inputs)
    with output.build_lock(args.out):
        return _build(args, pipeline.gather(inputs))


def _build(args: argparse.Namespace, paths: list[Path]) -> int:
    from rdflib import Dataset

    from normgraph import pipeline
    from normgraph.rdf.validate import format_report, validate

    jobs = args.jobs or pipeline.default_jobs()
    result = pipeline.extract_all(paths, jobs=jobs, progress=None if args.quiet else pipeline.stderr_progress)
    if not args.quiet:
        for w in result.warnings:
            print(f"warning: {w}", file=sys.stderr)
    status = EXIT_OK
    if not args.no_validate:
        ds = Dataset()
        for ttl in result.files.values():
            ds.default_graph.parse(data=ttl, format="turtle")
        report = validate(ds)
        if not report.conforms:
            print(format_report(report), file=sys.stderr)
            if not args.force:
                _err(f"the graph does not conform; {args.out}/ left as it was (use --force to write it anyway)")
                return EXIT_NONCONFORMING
            status = EXIT_NONCONFORMING
    pipeline.write_graph_dir(result.files, args.out)
    if not args.quiet:
        print(f"{len(result.files)} documents, {result.clauses} clauses, {result.stances} stances -> {args.out}/")
    return status


# --- extract ---------------------------------------------------------------
def add_extract(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("extract", help="extract one document's graph to stdout")
    p.add_argument("file", type=Path)
    p.add_argument("--meta", type=Path, help="the metadata sidecar (default: FILE.meta.toml beside it)")
    p.add_argument("-f", "--format", default="turtle", type=str.lower, choices=_format_names(),
                   help="RDF syntax, by rdflib's names (default turtle)")


def cmd_extract(args: argparse.Namespace) -> int:
    from rdflib import Dataset

    from normgraph import pipeline
    from normgraph.extract.vocabulary import load_vocabulary
    from normgraph.rdf import export, graph

    vocab = load_vocabulary()
    ex = pipeline.extract_document(args.file, vocab, meta_path=args.meta)
    for w in ex.warnings:
        print(f"warning: {w}", file=sys.stderr)
    g = graph.extraction_graph(ex, vocab)
    fmt = export.format_name(args.format)
    if fmt == "turtle":
        sys.stdout.write(graph.to_turtle(g))
    else:  # the other syntaxes as `normgraph export` writes them: a named graph per document, sorted
        ds = Dataset()
        graph.add_to_dataset(ds, ex.document.id, g)
        sys.stdout.write(export.serialize(ds, fmt))
    return EXIT_OK


# --- validate --------------------------------------------------------------
def add_validate(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help="check graphs against the SHACL shapes; exit 1 on violations")
    p.add_argument("graphs", nargs="+", type=Path, help="RDF files or folders")


def cmd_validate(args: argparse.Namespace) -> int:
    from normgraph.rdf.validate import format_report, load_graph, validate

    report = validate(load_graph(args.graphs))
    print(format_report(report))
    return EXIT_OK if report.conforms else EXIT_NONCONFORMING


# --- viz -------------------------------------------------------------------
def add_viz(sub: argparse._SubParsersAction) -> None:
    from normgraph.network.style import KINDS, POLARITIES

    p = sub.add_parser("viz", help="the network of instrument links: HTML, PNG, SVG, GraphML, GEXF, Cytoscape JSON")
    p.add_argument("graphs", nargs="*", type=Path, help="RDF files or folders (default: kg/)")
    p.add_argument("-o", "--out", type=Path,
                   help="output file; the suffix says the format: .html .png .svg .graphml .gexf .json "
                        "(default: network.html, or none with --stats)")
    p.add_argument("--document", help="only this document's clauses (its id, the file stem)")
    p.add_argument("--party", help="only this party's stances and the clauses it takes them in (e.g. CHN)")
    p.add_argument("--kind", action="append", choices=KINDS, help="keep nodes of this kind (repeatable)")
    p.add_argument("--polarity", choices=POLARITIES, help="only stance edges of this polarity")
    p.add_argument("--min-weight", type=int, default=1, help="only edges of at least this weight (default 1)")
    p.add_argument("--stats", action="store_true", help="print degree, betweenness and community of norms")


def cmd_viz(args: argparse.Namespace) -> int:
    from normgraph.network import formats, projection
    from normgraph.rdf.validate import load_graph

    out = args.out or (None if args.stats else Path("network.html"))
    if out is not None and out.suffix.lower() not in formats.SUFFIXES:
        raise InputError(str(out), f"unknown format; expected a file ending in {', '.join(formats.SUFFIXES)}")
    filters = projection.Filters(document=args.document, party=args.party, kinds=tuple(args.kind or ()),
                              polarity=args.polarity, min_weight=args.min_weight)
    g = projection.project(load_graph(args.graphs or [DEFAULT_KG]), filters)
    if g.number_of_nodes() == 0:
        _err("the network is empty: no stances, relations or shared mentions match")
        return EXIT_NONCONFORMING
    if args.stats:
        print(projection.format_measures(projection.measures(g)))
    if out is not None:
        formats.write(g, out)
        print(f"{g.number_of_nodes()} nodes, {g.number_of_edges()} edges -> {out}", file=sys.stderr)
    return EXIT_OK


# --- query -----------------------------------------------------------------
def add_query(sub: argparse._SubParsersAction) -> None:
    from normgraph.sparql.query import ENGINES, OUTPUT_FORMATS

    p = sub.add_parser("query", help="run a stored query (by name) or a .rq file; exit 1 if nothing found "
                                     "(for a *-violation check: exit 1 if it finds anything)")
    p.add_argument("query", help="a stored query name (e.g. practices-opposed) or a FILE.rq")
    p.add_argument("--graph", action="append", type=Path, default=[],
                   help="graph file or folder, repeatable (default: kg/)")
    p.add_argument("--endpoint", help="a SPARQL endpoint URL to query instead of local files")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="bind a parameter the query declares, e.g. party=CHN (repeatable)")
    p.add_argument("-f", "--format", default="table", choices=OUTPUT_FORMATS, help="output (default table)")
    p.add_argument("--engine", default="oxigraph", choices=ENGINES,
                   help="local engine: oxigraph (default, faster) or rdflib")
    _add_timeout(p)


def cmd_query(args: argparse.Namespace) -> int:
    from normgraph.sparql.query import format_answer, load_query, parse_params, run

    stored = load_query(args.query)
    if args.timeout <= 0:
        raise InputError("--timeout", "expected a positive number of seconds")
    answer = run(stored, graph_paths=args.graph or [DEFAULT_KG], endpoint=args.endpoint,
                 params=parse_params(args.param), engine=args.engine, timeout=args.timeout)
    sys.stdout.write(format_answer(answer, args.format))
    if stored.name.endswith("-violation"):  # a check: rows are what it finds wrong
        return EXIT_NONCONFORMING if answer.found else EXIT_OK
    return EXIT_OK if answer.found else EXIT_NONCONFORMING


# --- export ----------------------------------------------------------------
def add_export(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="serialise the graph (TriG, N-Quads, JSON-LD: a graph per document)")
    p.add_argument("graphs", nargs="*", type=Path, help="graph files or folders (default: kg/)")
    p.add_argument("-f", "--format", default="turtle", type=str.lower, choices=_format_names(),
                   help="RDF syntax, by rdflib's names (default turtle)")
    p.add_argument("-o", "--out", type=Path, help="output file, or - for standard output (default)")


def cmd_export(args: argparse.Namespace) -> int:
    from normgraph.rdf.export import export
    from normgraph.rdf.output import replace_file

    text = export(args.graphs or [DEFAULT_KG], args.format)
    if args.out is None or str(args.out) == "-":
        sys.stdout.write(text)
        return EXIT_OK
    replace_file(args.out, text.encode("utf-8"))
    return EXIT_OK


# --- push ------------------------------------------------------------------
def add_push(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("push", help="load the graph into a SPARQL 1.1 store, replacing each document's graph")
    p.add_argument("graphs", nargs="*", type=Path, help="graph files or folders (default: kg/)")
    p.add_argument("--endpoint", required=True,
                   help="the store's SPARQL Update endpoint, or its base URL (then BASE/update ... is found)")
    p.add_argument("--store", help="the store's Graph Store Protocol URL (then one PUT per graph)")
    p.add_argument("--graph", dest="graph_iri", help="put everything in this one named graph")
    p.add_argument("--batch", type=int, default=0,
                   help="at most this many triples per request (default 0: each graph in one request, one "
                        "transaction; with N, a graph larger than N is loaded into a scratch graph first)")
    p.add_argument("--retries", type=int, default=4, help="retries on transient errors (default 4)")
    _add_timeout(p)


def _add_timeout(p: argparse.ArgumentParser) -> None:
    p.add_argument("--timeout", type=float, default=30.0,
                   help="seconds to wait for the server to connect and to answer (default 30)")


def cmd_push(args: argparse.Namespace) -> int:
    from normgraph.rdf.validate import load_graph
    from normgraph.sparql.store import PushError, Target, push, redact, stderr_progress

    if args.batch < 0:
        raise InputError("--batch", "expected 0 (whole graphs) or a positive number of triples")
    if args.timeout <= 0:
        raise InputError("--timeout", "expected a positive number of seconds")
    dataset = load_graph(args.graphs or [DEFAULT_KG])
    target = Target(update=args.endpoint, store=args.store, retries=max(args.retries, 0), timeout=args.timeout)
    try:
        result = push(dataset, target, graph=args.graph_iri, batch=args.batch, progress=stderr_progress)
    except PushError as e:
        _err(str(e))
        return EXIT_INPUT
    print(f"{len(result.graphs)} graphs, {result.triples} triples -> {redact(result.endpoint or args.endpoint)}")
    return EXIT_OK


# --- serve -----------------------------------------------------------------
def add_serve(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="a read-only SPARQL endpoint over the graph (127.0.0.1 by default)")
    p.add_argument("graphs", nargs="*", type=Path, help="graph files or folders (default: kg/)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8642, help="port (default 8642)")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds a query may run (default 30)")
    p.add_argument("--allow-service", action="append", default=[], metavar="URL",
                   help="a SPARQL endpoint (URL prefix) that SERVICE may reach; repeatable (default: none)")
    p.add_argument("--cors", action="append", default=[], metavar="ORIGIN",
                   help="a web origin allowed to read answers, e.g. https://yasgui.org, or * for any "
                        "(default: none)")
    p.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                   help="a host name the endpoint answers to besides IP addresses and localhost; repeatable")
    p.add_argument("--workers", type=int, default=2, help="query processes, each with the graph (default 2)")
    p.add_argument("-v", "--verbose", action="store_true", help="log every request")


def cmd_serve(args: argparse.Namespace) -> int:
    from normgraph.rdf.validate import load_graph
    from normgraph.sparql.serve import Policy, serve

    if args.timeout <= 0 or args.workers < 1:
        raise InputError("--timeout/--workers", "expected a positive time limit and at least one worker")
    policy = Policy(time_limit=args.timeout, allow_service=tuple(args.allow_service), cors=tuple(args.cors),
                    allow_host=tuple(args.allow_host), workers=args.workers)
    serve(load_graph(args.graphs or [DEFAULT_KG]), host=args.host, port=args.port, verbose=args.verbose,
          policy=policy)
    return EXIT_OK


COMMANDS: list[tuple[str, Callable[[argparse._SubParsersAction], None], Callable[[argparse.Namespace], int]]] = [
    ("build", add_build, cmd_build),
    ("extract", add_extract, cmd_extract),
    ("validate", add_validate, cmd_validate),
    ("viz", add_viz, cmd_viz),
    ("query", add_query, cmd_query),
    ("export", add_export, cmd_export),
    ("push", add_push, cmd_push),
    ("serve", add_serve, cmd_serve),
]


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="normgraph", description="Diplomatic texts to a knowledge graph of norms.")
    p.add_argument("--version", action="version", version=f"normgraph {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for _name, add, _cmd in COMMANDS:
        add(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    p = parser()
    args = p.parse_args(argv)
    if not args.command:
        p.print_help(sys.stderr)
        return EXIT_INPUT
    command = {name: cmd for name, _add, cmd in COMMANDS}[args.command]
    try:
        return command(args)
    except InputError as e:
        _err(str(e))
        return EXIT_INPUT
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except OSError as e:
        _err(f"{getattr(e, 'filename', '') or ''}: {e.strerror or e}")
        return EXIT_INPUT


__all__ = ["main", "COMMANDS", "EXIT_NONCONFORMING"]
