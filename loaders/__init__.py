"""Loaders: a dataset folder (manifest and record files) becomes RDF in its own named graph.

>>> from coopkg import resources
>>> from coopkg.reference import Reference
>>> sub = read_dataset(resources.example_path("tibet-expo-2023"), Reference.bundled())
>>> sub.problems, sub.graph.value
([], 'https://w3id.org/coopkg/graph/tibet-expo-2023')
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import NamedNode, Quad

from coopkg.errors import Problem
from coopkg.loaders.manifest import MANIFEST, Manifest, read_manifest
from coopkg.loaders.mapping import Mapped, add_rdf, map_records
from coopkg.loaders.provenance import dataset_digest, file_sha256, load_activity, record_provenance
from coopkg.loaders.records import Record, rdf_files, read_rdf, read_records, record_files
from coopkg.reference import Reference

__all__ = ["Submission", "read_dataset"]


@dataclass
class Submission:
    """A dataset read and mapped, not yet validated or stored."""

    manifest: Manifest
    records: list[Record]
    mapped: Mapped
    files: list[tuple[str, str]]  # (name in the folder, SHA-256)
    digest: str
    problems: list[Problem] = field(default_factory=list)

    @property
    def graph(self) -> NamedNode:
        return self.mapped.graph

    def quads(self, *, started: dt.datetime, ended: dt.datetime) -> list[Quad]:
        """The dataset's triples and the provenance of this load."""
        provenance = load_activity(self.graph, self.files, self.digest, started, ended)
        origins = (
            (NamedNode(iri), origin.record.problem_file, origin.record.line)
            for iri, origin in self.mapped.origins.items()
        )
        records = record_provenance(self.graph, self.digest, origins)
        return [*self.mapped.quads, *provenance, *records]


def read_dataset(
    folder: Path,
    reference: Reference,
    *,
    encoding: str | None = None,
    exclude: frozenset[tuple[str, int]] = frozenset(),
) -> Submission:
    """Read, check and map a dataset folder. Problems are collected in ``Submission.problems``.

    ``encoding`` is that of CSV and TSV files (default UTF-8). Records at the ``(file, line)``
    places of ``exclude`` are left out (they are quarantined). RDF files are passed through into the
    dataset's graph as they are.
    """
    folder = Path(folder)
    problems: list[Problem] = []
    manifest = read_manifest(folder, problems)
    records = [
        r
        for r in read_records(folder, problems, encoding=encoding)
        if (r.problem_file, r.line) not in exclude
    ]
    mapped = map_records(manifest, records, reference, problems)
    for rdf in read_rdf(folder, problems):
        add_rdf(mapped, rdf)
    paths = [folder / MANIFEST, *record_files(folder), *rdf_files(folder)]
    files = [(p.relative_to(folder).as_posix(), file_sha256(p)) for p in paths]
    return Submission(manifest, records, mapped, files, dataset_digest(files), problems)
