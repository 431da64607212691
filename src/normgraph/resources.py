"""The one loader for packaged files: ontology/, shapes/ and queries/.

In an installed wheel these live inside the package (normgraph/data/...); in a
source checkout (editable install) they are the top-level folders of the repository.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

KINDS = ("ontology", "shapes", "queries")


def resource_dir(kind: str) -> Path:
    """The folder that holds the packaged `kind` files (ontology, shapes or queries)."""
    if kind not in KINDS:
        raise ValueError(f"unknown resource kind {kind!r}; expected one of {', '.join(KINDS)}")
    packaged = resources.files("normgraph") / "data" / kind
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[2] / kind
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"normgraph's {kind}/ files are missing: reinstall the package")


def resource_files(kind: str, suffix: str) -> list[Path]:
    """The packaged `kind` files ending in `suffix`, sorted by name."""
    return sorted(p for p in resource_dir(kind).iterdir() if p.name.endswith(suffix))
