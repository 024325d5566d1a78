"""The one place that reads coopkg's package data (ontology, shapes, queries, examples, refdata).

Every file is addressed by its subpackage through :mod:`importlib.resources`, so the same code works
from a source checkout, an editable install and an installed wheel.

>>> "coopkg.ttl" in [p.name for p in ontology_files()]
True
>>> any(p.name.endswith(".rq") for p in query_files())
True
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

ONTOLOGY = "coopkg.ontology"
SHAPES = "coopkg.shapes"
QUERIES = "coopkg.queries"
EXAMPLES = "coopkg.examples"
REFDATA = "coopkg.refdata"
DCATAP = "coopkg.dcatap"


def _files(package: str, suffix: str) -> list[Traversable]:
    root = resources.files(package)
    return sorted(
        (entry for entry in root.iterdir() if entry.is_file() and entry.name.endswith(suffix)),
        key=lambda entry: entry.name,
    )


def ontology_files() -> list[Traversable]:
    """The ontology and its SKOS vocabularies, as Turtle files."""
    return _files(ONTOLOGY, ".ttl")


def shape_files() -> list[Traversable]:
    """The SHACL shapes files, one per concern."""
    return _files(SHAPES, ".ttl")


def jsonld_context_file() -> Traversable:
    """coopkg's JSON-LD context: a prefix for each namespace it writes (``ontology/context.jsonld``)."""
    return resources.files(ONTOLOGY) / "context.jsonld"


def dcatap_shapes_file() -> Traversable:
    """The DCAT-AP 3.0.1 SHACL shapes, with their range checks (credited in ``coopkg/dcatap/``).

    >>> dcatap_shapes_file().name
    'dcat-ap-shacl-3.0.1.ttl'
    """
    return resources.files(DCATAP) / "dcat-ap-shacl-3.0.1.ttl"


def query_files() -> list[Traversable]:
    """The catalogue's ``.rq`` files."""
    return _files(QUERIES, ".rq")


def refdata_files() -> list[Traversable]:
    """The reference data's CSV files."""
    return _files(REFDATA, ".csv")


def refdata_file(name: str) -> Traversable:
    """A reference data file shipped in ``coopkg/refdata/``, e.g. ``cn_divisions.csv``."""
    return resources.files(REFDATA) / name


def example_names() -> list[str]:
    """The bundled example datasets.

    >>> example_names()
    ['tibet-expo-2023']
    """
    root = resources.files(EXAMPLES)
    return sorted(e.name for e in root.iterdir() if e.is_dir() and (e / "manifest.toml").is_file())


def example_path(name: str) -> Path:
    """The folder of a bundled example dataset, as a real path on disk."""
    folder = resources.files(EXAMPLES) / name
    if not (folder / "manifest.toml").is_file():
        raise LookupError(f"no bundled example named {name!r}; known: {', '.join(example_names())}")
    # Wheels and source checkouts are installed as plain files, so this is a real path.
    return Path(str(folder))
