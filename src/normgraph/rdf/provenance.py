"""The provenance record of a build (PROV-O): what was read, by which software, when.

Owns: the `prov:Activity` of one `normgraph build` and the graph that describes it
(written beside the document graphs as `provenance.ttl`, named graph id:graph/provenance):
the software and its version (`prov:wasAssociatedWith` a `prov:SoftwareAgent`,
`ng:softwareVersion`), the vocabulary's hash (`ng:vocabularySha256`), every input file
(each document, its sidecar, each ontology file) as a `prov:Entity` the activity
`prov:used`, with the sha256 of its bytes, the start and end times, and each document's
named graph `prov:wasGeneratedBy` the activity and `prov:wasDerivedFrom` its text file.

Determinism: the activity's IRI is the hash of what it read and of the software version,
so the same input names the same activity; only `prov:startedAtTime`/`prov:endedAtTime`
vary between runs. A rebuild of the same input keeps the record of the build that first
made these bytes (`keep_earlier_record`), so `kg/` stays byte-identical; with
SOURCE_DATE_EPOCH set (the reproducible-builds convention) both times are that instant.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import PROV

from normgraph import __version__
from normgraph.namespace import NG, build_iri, graph_iri, input_iri, software_iri
from normgraph.rdf.graph import new_graph
from normgraph.resources import resource_files

GRAPH_NAME = "provenance"  # kg/provenance.ttl, whose graph is id:graph/provenance
SIDECAR_SUFFIX = ".meta.toml"


@dataclass(frozen=True)
class Input:
    """A file a build read: its name as recorded and the sha256 of its bytes."""

    name: str
    sha256: str


def sha256_file(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def vocabulary_inputs() -> list[Input]:
    """The ontology files (ontology/*.ttl) the extractor reads its vocabulary from."""
    return [Input(f"ontology/{p.name}", sha256_file(p)) for p in resource_files("ontology", ".ttl")]


def vocabulary_sha256(files: Iterable[Input] | None = None) -> str:
    """sha256 over the ontology files: of the lines "<name> <sha256 of its bytes>", sorted by name."""
    lines = sorted(f"{f.name} {f.sha256}\n" for f in (vocabulary_inputs() if files is None else files))
    return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()


def document_inputs(documents: Mapping[str, Path]) -> dict[str, list[Input]]:
    """For each document id, its text file and (if there is one) its sidecar, named relative to their folder.

    Names are relative to the folder that holds all the documents, so the record does not
    depend on where the checkout lies.
    """
    paths = [Path(p).resolve() for p in documents.values()]
    root = Path(os.path.commonpath([p.parent for p in paths])) if paths else Path()
    out: dict[str, list[Input]] = {}
    for doc_id, path in documents.items():
        path = Path(path).resolve()
        files = [path]
        sidecar = path.with_name(path.name[: -len(path.suffix)] + SIDECAR_SUFFIX) if path.suffix else None
        if sidecar is not None and sidecar.is_file():
            files.append(sidecar)
        out[doc_id] = [Input(p.relative_to(root).as_posix(), sha256_file(p)) for p in files]
    return out


def activity_digest(version: str, vocabulary: str, inputs: Iterable[Input]) -> str:
    """The hash that names a build: the software version, the vocabulary hash and every input."""
    lines = [f"normgraph {version}\n", f"vocabulary {vocabulary}\n"]
    lines += sorted({f"{i.name} {i.sha256}\n" for i in inputs})
    return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()


def build_times(started: dt.datetime, ended: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The times to record: SOURCE_DATE_EPOCH for both when it is set, else the measured ones, in UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        fixed = dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
        return fixed, fixed
    return started.astimezone(dt.UTC), ended.astimezone(dt.UTC)


def _time(value: dt.datetime) -> Literal:
    return Literal(value.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=XSD.dateTime)


def provenance_graph(documents: Mapping[str, Path], started: dt.datetime, ended: dt.datetime,
                     version: str = __version__) -> Graph:
    """The record of one build of `documents` (document id -> text file)."""
    vocab_files = vocabulary_inputs()
    vocab_hash = vocabulary_sha256(vocab_files)
    per_document = document_inputs(documents)
    inputs = sorted({i for files in per_document.values() for i in files} | set(vocab_files),
                    key=lambda i: (i.name, i.sha256))
    activity = build_iri(activity_digest(version, vocab_hash, inputs))
    software = software_iri(version)
    started, ended = build_times(started, ended)

    g = new_graph()
    g.add((activity, RDF.type, PROV.Activity))
    g.add((activity, RDFS.label, Literal(f"normgraph build of {len(documents)} documents")))
    g.add((activity, PROV.wasAssociatedWith, software))
    g.add((activity, NG.softwareVersion, Literal(version)))
    g.add((activity, NG.vocabularySha256, Literal(vocab_hash)))
    g.add((activity, PROV.startedAtTime, _time(started)))
    g.add((activity, PROV.endedAtTime, _time(ended)))
    g.add((software, RDF.type, PROV.SoftwareAgent))
    g.add((software, RDFS.label, Literal(f"normgraph {version}")))
    g.add((software, NG.softwareVersion, Literal(version)))
    for item in inputs:
        node = input_iri(item.sha256)
        g.add((activity, PROV.used, node))
        g.add((node, RDF.type, PROV.Entity))
        g.add((node, RDFS.label, Literal(item.name)))
        g.add((node, NG.sha256, Literal(item.sha256)))
    for doc_id, files in sorted(per_document.items()):
        named = graph_iri(doc_id)
        g.add((named, RDF.type, PROV.Entity))
        g.add((named, PROV.wasGeneratedBy, activity))
        g.add((named, PROV.wasDerivedFrom, input_iri(files[0].sha256)))
    return g


def activity_of(turtle: str) -> URIRef | None:
    """The build a provenance record (Turtle) describes; None if it is not one or does not parse."""
    try:
        g = Graph().parse(data=turtle, format="turtle")
    except Exception:  # noqa: BLE001 - an unreadable old record is simply replaced
        return None
    found = sorted(s for s in g.subjects(RDF.type, PROV.Activity) if isinstance(s, URIRef))
    return found[0] if len(found) == 1 else None


def keep_earlier_record(new: str, old: str | None) -> str:
    """The record to write: the earlier one when it describes the same build (same inputs, same software).

    A rebuild of unchanged input then leaves the folder byte-identical; the earlier record stays
    true, since that build made the same bytes.
    """
    if old is not None and activity_of(old) is not None and activity_of(old) == activity_of(new):
        return old
    return new
