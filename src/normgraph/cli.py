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
DEFAULT_STORE = Path("kg.store")
CORPUS_SIZE = 1000  # documents: beyond this a build goes into a store unless -o says otherwise


def _err(message: str) -> None:
    print(f"normgraph: {message}", file=sys.stderr)


def _format_names() -> list[str]:
    from normgraph.rdf.export import FORMAT_NAMES

    return sorted(FORMAT_NAMES)


# --- build -----------------------------------------------------------------
def add_build(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("build", help="extract every document, validate, write the graph (one Turtle file each)")
    p.add_argument("paths", nargs="*", type=Path, help="documents or folders (default: seeds/)")
    p.add_argument("-o", "--out", type=Path,
                   help=f"output folder of Turtle files (default: kg/; for more than {CORPUS_SIZE} documents the "
                        f"default is the store {DEFAULT_STORE}/)")
    p.add_argument("-j", "--jobs", type=int, default=0, help="worker processes (default: one per core)")
    p.add_argument("--no-validate", action="store_true", help="skip SHACL validation")
    p.add_argument("--force", action="store_true", help="write the graph even if it does not conform")
    p.add_argument("-q", "--quiet", action="store_true", help="no warnings or summary")
    p.add_argument("--store", type=Path, metavar="PATH",
                   help="build into an on-disk Oxigraph store (for corpora); reuses unchanged documents")
    p.add_argument("--manifest", type=Path, metavar="FILE",
                   help="a .tsv or .csv table of metadata per file (instead of sidecars), matched by file name")
    p.add_argument("--manifest-columns", action="append", default=[], metavar="KEY=COLUMN",
                   help="which column holds a sidecar key (e.g. parties=iso3), or KEY==VALUE for every row")
    p.add_argument("--rebuild", action="store_true", help="with --store: extract every document again")
    p.add_argument("--engine", default="processes", choices=("processes", "dask"),
                   help="with --store: worker processes (default) or a Dask bag (pip install 'normgraph[dask]')")
    p.add_argument("-v", "--verbose", action="store_true", help="every warning, not a summary by kind")
    p.add_argument("--report-json", type=Path, metavar="FILE",
                   help="with --store: write the build's counts and CPU seconds per stage to FILE")


def cmd_build(args: argparse.Namespace) -> int:
    from normgraph import pipeline
    from normgraph.rdf import output

    inputs = args.paths or [DEFAULT_SEEDS]
    paths = pipeline.gather(inputs)
    if args.store is None and args.out is None and len(paths) > CORPUS_SIZE:
        args.store = DEFAULT_STORE
        if not args.quiet:
            print(f"{len(paths)} documents: building into the corpus store {args.store}/ "
                  "(-o DIR writes Turtle files instead)", file=sys.stderr)
    if args.store is not None or args.manifest is not None:
        return _build_store(args, paths, args.jobs or pipeline.default_jobs())
    args.out = args.out or DEFAULT_KG
    output.check_output_dir(args.out, inputs)
    with output.build_lock(args.out):
        return _build(args, paths)


def _build(args: argparse.Namespace, paths: list[Path]) -> int:
    import datetime as dt

    from rdflib import Dataset

    from normgraph import pipeline
    from normgraph.rdf import provenance
    from normgraph.rdf.validate import format_report, validate

    jobs = args.jobs or pipeline.default_jobs()
    started = dt.datetime.now(dt.UTC)
    result = pipeline.extract_all(paths, jobs=jobs, progress=None if args.quiet else pipeline.stderr_progress)
    files = {**result.files, provenance.GRAPH_NAME: pipeline.provenance_record(result, started, args.out)}
    if not args.quiet:
        for w in result.warnings:
            print(f"warning: {w}", file=sys.stderr)
    status = EXIT_OK
    if not args.no_validate:
        ds = Dataset()
        for ttl in files.values():
            ds.default_graph.parse(data=ttl, format="turtle")
        report = validate(ds)
        if not report.conforms:
            print(format_report(report), file=sys.stderr)
            if not args.force:
                _err(f"the graph does not conform; {args.out}/ left as it was (use --force to write it anyway)")
                return EXIT_NONCONFORMING
            status = EXIT_NONCONFORMING
    pipeline.write_graph_dir(files, args.out)
    if not args.quiet:
        print(f"{len(result.files)} documents, {result.clauses} clauses, {result.stances} stances -> {args.out}/")
    return status


def _build_store(args: argparse.Namespace, paths: list[Path], jobs: int) -> int:
    from normgraph import pipeline
    from normgraph.extract.vocabulary import load_vocabulary
    from normgraph.text.manifest import parse_columns, read_manifest

    if args.store is None:
        raise InputError("--manifest", "a manifest build writes a corpus store: add --store PATH")
    manifest = None
    if args.manifest is not None:
        manifest = read_manifest(args.manifest, parse_columns(args.manifest_columns),
                                 party_ids=set(load_vocabulary().parties_by_id))
        unmatched = [p.name for p in paths if manifest.for_file(p) is None]
        if unmatched and not args.quiet:
            print(f"warning: {len(unmatched)} files have no row in {args.manifest} (read with their sidecars): "
                  f"{', '.join(unmatched[:3])}{' ...' if len(unmatched) > 3 else ''}", file=sys.stderr)
    progress = None if args.quiet or len(paths) < 20 else pipeline.BuildProgress(
        len(paths), sum(p.stat().st_size for p in paths))
    result = pipeline.build_store(paths, args.store, jobs=jobs, manifest=manifest,
                                  validate_each=not args.no_validate, force=args.force,
                                  reuse=not args.rebuild, engine=args.engine, progress=progress)
    if not args.quiet:
        lines = [f"warning: {w}" for w in result.warnings] if args.verbose else [
            f"warnings: {line}" for line in pipeline.summarise_warnings(result.warnings)]
        for line in lines:
            print(line, file=sys.stderr)
    for report in result.reports:
        print(report, file=sys.stderr)
    for error in result.errors:
        _err(error)
    status = EXIT_OK
    if result.nonconforming:
        kept = "loaded anyway (--force)" if args.force else "left out (their previous graphs, if any, kept)"
        _err(f"{len(result.nonconforming)} documents do not conform, {kept}: {', '.join(result.nonconforming[:5])}")
        status = EXIT_NONCONFORMING
    for name, rows in sorted(result.checks.items()):  # found in the documents loaded; reused ones were clean
        _err(f"check {name}: {rows} rows (normgraph query {name} --store {args.store})")
        status = max(status, EXIT_NONCONFORMING)
    if not args.quiet:
        print(f"{result.documents} documents in {args.store} ({result.extracted} extracted, {result.reused} reused, "
              f"{result.removed} removed), {result.clauses} clauses and {result.stances} stances extracted, "
              f"{result.quads} quads loaded")
    if args.report_json is not None:
        import json
        from dataclasses import asdict

        figures = {k: v for k, v in asdict(result).items() if k not in ("warnings", "reports")}
        figures["warning_kinds"] = pipeline.summarise_warnings(result.warnings)
        args.report_json.write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return EXIT_INPUT if result.errors else status


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
    p.add_argument("graphs", nargs="+", help="RDF files or folders; - reads standard input")
    p.add_argument("-f", "--format", default="human", choices=["human", "turtle", "ttl", "json"],
                   help="the report: human (default; lines that name document and clause), turtle "
                        "(pySHACL's sh:ValidationReport graph) or json")
    p.add_argument("--input-format", default="trig", type=str.lower, choices=_format_names(),
                   help="the syntax of standard input (default trig, which also reads Turtle)")


def cmd_validate(args: argparse.Namespace) -> int:
    from rdflib import Dataset

    from normgraph.rdf.validate import REPORT_FORMATS, load_graph, load_stdin, validate

    files = [Path(g) for g in args.graphs if g != "-"]
    data = load_graph(files) if files else Dataset()
    if "-" in args.graphs:
        from normgraph.rdf.export import format_name

        fmt = {"jsonld": "json-ld"}.get(format_name(args.input_format), format_name(args.input_format))
        load_stdin(sys.stdin.read(), fmt, into=data)
    report = validate(data)
    text = REPORT_FORMATS[args.format](report)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return EXIT_OK if report.conforms else EXIT_NONCONFORMING


# --- viz -------------------------------------------------------------------
def add_viz(sub: argparse._SubParsersAction) -> None:
    from normgraph.network.style import KINDS, POLARITIES

    p = sub.add_parser("viz", help="the network of instrument links: HTML, PNG, SVG, PDF, GraphML, GEXF, "
                                   "Cytoscape JSON")
    p.add_argument("graphs", nargs="*", type=Path, help="RDF files or folders (default: kg/)")
    p.add_argument("-o", "--out", type=Path,
                   help="output file; the suffix says the format: .html .png .svg .pdf .graphml .gexf .json "
                        "(default: network.html, or none with --stats)")
    p.add_argument("--size", help="picture size WIDTHxHEIGHT with a unit in, mm, cm or px "
                                  "(e.g. 180x120mm; default 12x9in)")
    p.add_argument("--dpi", type=int, default=None, help="picture resolution in dots per inch (default 100)")
    p.add_argument("--document", help="only this document's clauses (its id, the file stem)")
    p.add_argument("--party", help="only this party's stances and the clauses it takes them in (e.g. CHN)")
    p.add_argument("--kind", action="append", choices=KINDS, help="keep nodes of this kind (repeatable)")
    p.add_argument("--polarity", choices=POLARITIES, help="only stance edges of this polarity")
    p.add_argument("--min-weight", type=int, default=1, help="only edges of at least this weight (default 1)")
    p.add_argument("--stats", action="store_true", help="print degree, betweenness and community of norms")
    p.add_argument("--store", type=Path, metavar="PATH", help="read a corpus store (from build --store) instead")


def _picture_size(args: argparse.Namespace, default: tuple[float, float] | None = None
                  ) -> tuple[tuple[float, float], int]:
    """The picture's size in inches and its dpi from --size and --dpi (usage errors as InputError)."""
    from normgraph.network import figure

    dpi = figure.DEFAULT_DPI if args.dpi is None else args.dpi
    if not 10 <= dpi <= 2400:
        raise InputError("--dpi", f"{dpi}: expected between 10 and 2400 dots per inch")
    try:
        size = figure.parse_size(args.size, dpi) if args.size else (default or figure.DEFAULT_SIZE)
    except ValueError as e:
        raise InputError("--size", str(e)) from None
    return size, dpi


def cmd_viz(args: argparse.Namespace) -> int:
    from normgraph.network import formats, projection

    out = args.out or (None if args.stats else Path("network.html"))
    if out is not None and out.suffix.lower() not in formats.SUFFIXES:
        raise InputError(str(out), f"unknown format; expected a file ending in {', '.join(formats.SUFFIXES)}")
    size, dpi = _picture_size(args)
    filters = projection.Filters(document=args.document, party=args.party, kinds=tuple(args.kind or ()),
                              polarity=args.polarity, min_weight=args.min_weight)
    g = projection.project(_dataset(args.graphs, args.store), filters)
    if g.number_of_nodes() == 0:
        _err("the network is empty: no stances, relations or shared mentions match")
        return EXIT_NONCONFORMING
    if args.stats:
        print(projection.format_measures(projection.measures(g)))
    if out is not None:
        formats.write(g, out, size=size, dpi=dpi)
        print(f"{g.number_of_nodes()} nodes, {g.number_of_edges()} edges -> {out}", file=sys.stderr)
    return EXIT_OK


# --- chart -----------------------------------------------------------------
def add_chart(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("chart", help="the stance timeline of one target: parties by date, coloured by polarity "
                                     "(PNG, SVG, PDF)")
    p.add_argument("target", help="the target: its id (practice/unilateral-sanctions), label or alternative label")
    p.add_argument("graphs", nargs="*", type=Path, help="RDF files or folders (default: kg/)")
    p.add_argument("-o", "--out", type=Path, default=Path("timeline.png"),
                   help="output file; the suffix says the format: .png .svg .pdf (default: timeline.png)")
    p.add_argument("--size", help="picture size WIDTHxHEIGHT with a unit in, mm, cm or px (default 8x4.5in)")
    p.add_argument("--dpi", type=int, default=None, help="picture resolution in dots per inch (default 100)")


def cmd_chart(args: argparse.Namespace) -> int:
    from normgraph.network import figure, timeline
    from normgraph.rdf.validate import load_graph

    fmt = args.out.suffix.lower().lstrip(".")
    if fmt not in figure.FORMATS:
        raise InputError(str(args.out), "unknown format; expected a file ending in .png, .svg or .pdf")
    size, dpi = _picture_size(args, default=timeline.DEFAULT_SIZE)
    try:
        found = timeline.stances_toward(load_graph(args.graphs or [DEFAULT_KG]), args.target)
    except ValueError as e:
        raise InputError("target", str(e)) from None
    if not found.marks:
        _err(f"no dated stance toward {found.target}" + (f" ({found.undated} in undated documents)"
                                                          if found.undated else ""))
        return EXIT_NONCONFORMING
    data = figure.render(timeline.figure(found, size=size, dpi=dpi), fmt)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_name(f".{args.out.name}.tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(args.out)
    finally:
        tmp.unlink(missing_ok=True)
    note = f"; {found.undated} stances in undated documents left out" if found.undated else ""
    print(f"{sum(m.stances for m in found.marks)} stances toward {found.target} by "
          f"{len({m.party for m in found.marks})} parties -> {args.out}{note}", file=sys.stderr)
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
    p.add_argument("--store", type=Path, metavar="PATH", help="read a corpus store (from build --store) instead")
    _add_timeout(p)


def cmd_query(args: argparse.Namespace) -> int:
    from normgraph.sparql.query import format_answer, load_query, parse_params, run

    stored = load_query(args.query)
    if args.timeout <= 0:
        raise InputError("--timeout", "expected a positive number of seconds")
    if args.store is not None:  # straight from the on-disk store: nothing parsed or copied
        from normgraph.rdf.corpus import open_store
        from normgraph.sparql.query import bind_params, run_oxigraph

        answer = run_oxigraph(open_store(args.store, read_only=True), stored,
                              bind_params(stored, parse_params(args.param)))
    else:
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
    p.add_argument("--store", type=Path, metavar="PATH", help="read a corpus store (from build --store) instead")


def cmd_export(args: argparse.Namespace) -> int:
    import io

    from normgraph.rdf.export import export, format_name, serialize
    from normgraph.rdf.output import replace_file

    fmt = format_name(args.format)
    if args.store is not None and fmt == "nquads":  # straight from the store, for corpora
        from normgraph.rdf.corpus import open_store, write_nquads

        buffer = io.StringIO()
        write_nquads(open_store(args.store, read_only=True), buffer)
        text = buffer.getvalue()
    elif args.store is not None:
        text = serialize(_dataset([], args.store), fmt)
    else:
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
    p.add_argument("--from-store", type=Path, metavar="PATH",
                   help="push a corpus store (from build --store) instead of graph files")
    _add_timeout(p)


def _add_timeout(p: argparse.ArgumentParser) -> None:
    p.add_argument("--timeout", type=float, default=30.0,
                   help="seconds to wait for the server to connect and to answer (default 30)")


def cmd_push(args: argparse.Namespace) -> int:
    from normgraph.sparql.store import PushError, Target, push, redact, stderr_progress

    if args.batch < 0:
        raise InputError("--batch", "expected 0 (whole graphs) or a positive number of triples")
    if args.timeout <= 0:
        raise InputError("--timeout", "expected a positive number of seconds")
    dataset = _dataset(args.graphs, args.from_store)
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
    p.add_argument("--store", type=Path, metavar="PATH", help="read a corpus store (from build --store) instead")


def cmd_serve(args: argparse.Namespace) -> int:
    from normgraph.sparql.serve import Policy, serve

    if args.timeout <= 0 or args.workers < 1:
        raise InputError("--timeout/--workers", "expected a positive time limit and at least one worker")
    policy = Policy(time_limit=args.timeout, allow_service=tuple(args.allow_service), cors=tuple(args.cors),
                    allow_host=tuple(args.allow_host), workers=args.workers)
    if args.store is not None:  # dumped straight from the on-disk store to the query workers
        from normgraph.rdf.corpus import open_store

        data = open_store(args.store, read_only=True)
    else:
        data = _dataset(args.graphs, None)
    serve(data, host=args.host, port=args.port, verbose=args.verbose, policy=policy)
    return EXIT_OK


def _dataset(graphs: list[Path], store: Path | None):  # -> rdflib.Dataset
    """The graph files (default kg/), or the corpus store when one is given."""
    if store is not None:
        if graphs:
            raise InputError(str(graphs[0]), "give graph files or a store, not both")
        from normgraph.rdf.corpus import open_store, to_dataset

        return to_dataset(open_store(store, read_only=True))
    from normgraph.rdf.validate import load_graph

    return load_graph(graphs or [DEFAULT_KG])


COMMANDS: list[tuple[str, Callable[[argparse._SubParsersAction], None], Callable[[argparse.Namespace], int]]] = [
    ("build", add_build, cmd_build),
    ("extract", add_extract, cmd_extract),
    ("validate", add_validate, cmd_validate),
    ("viz", add_viz, cmd_viz),
    ("chart", add_chart, cmd_chart),
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
