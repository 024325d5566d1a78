"""Loaders: a dataset folder (manifest and record files) becomes RDF in its own named graph.

:func:`open_dataset` reads the manifest and fingerprints the files; :meth:`Submission.ntriples` then
streams the records through the mapping as N-Triples, one record at a time, so a dataset of any size
is read in constant memory. :func:`read_dataset` does both at once, for small datasets and tests.

>>> from coopkg import resources
>>> from coopkg.reference import Reference
>>> mapped = read_dataset(resources.example_path("tibet-expo-2023"), Reference.bundled())
>>> mapped.problems, mapped.graph.value
([], 'https://w3id.org/coopkg/graph/tibet-expo-2023')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import NamedNode, Quad, RdfFormat, parse

from coopkg.errors import Problem
from coopkg.loaders.manifest import MANIFEST, Manifest, read_manifest
from coopkg.loaders.mapping import Mapping, map_records
from coopkg.loaders.provenance import dataset_digest, file_fingerprint, load_activity
from coopkg.loaders.records import Record, rdf_files, read_rdf, read_records, record_files
from coopkg.reference import Reference
from coopkg.vocab import PROV, graph_iri

__all__ = ["Mapped", "Submission", "open_dataset", "read_dataset"]


@dataclass
class Submission:
    """A dataset folder about to be read: its manifest, its files and their digest."""

    folder: Path
    reference: Reference
    manifest: Manifest
    files: list[tuple[str, str]]  # (name in the folder, SHA-256)
    digest: str
    problems: list[Problem] = field(default_factory=list)  # the manifest's
    encoding: str | None = None
    exclude: frozenset[tuple[str, int]] = frozenset()
    newlines: dict[str, int] = field(default_factory=dict)  # line breaks in each file

    @property
    def graph(self) -> NamedNode:
        return graph_iri(self.manifest.id)

    def records(
        self, problems: list[Problem], *, tick: Callable[[], object] | None = None
    ) -> Iterator[Record]:
        """The records, less those at the ``(file, line)`` places of ``exclude``; ``tick`` is called
        for each record read."""
        for record in read_records(self.folder, problems, encoding=self.encoding):
            if tick is not None:
                tick()
            if (record.problem_file, record.line) not in self.exclude:
                yield record

    def size(self) -> int:
        """About how many records there are: the lines of the record files, less their headers
        (counted when the files were fingerprinted)."""
        lines = 0
        for name, count in self.newlines.items():
            suffix = Path(name).suffix.lower()
            if suffix in (".csv", ".tsv", ".jsonl"):
                lines += count - (suffix != ".jsonl")  # less the header
        return max(lines, 0)

    def ntriples(
        self,
        problems: list[Problem],
        *,
        mapping: list[Mapping] | None = None,
        tick: Callable[[], object] | None = None,
    ) -> Iterator[str]:
        """The dataset's triples as N-Triples text, in pieces of whole lines, each node with the record
        it comes from. Problems of reading and mapping are appended to ``problems`` as they are found."""
        yield from map_records(
            self.manifest,
            self.records(problems, tick=tick),
            self.reference,
            problems,
            digest=self.digest,
            rdf=read_rdf(self.folder, problems),
            mapping=mapping,
        )

    def provenance(self, *, started: dt.datetime, ended: dt.datetime) -> Iterator[Quad]:
        """The load as a PROV-O activity: which files, when, which coopkg."""
        return load_activity(self.graph, self.files, self.digest, started, ended)


def open_dataset(
    folder: Path,
    reference: Reference,
    *,
    encoding: str | None = None,
    exclude: frozenset[tuple[str, int]] = frozenset(),
) -> Submission:
    """Read a dataset's manifest and fingerprint its files; the records are read when streamed.

    ``encoding`` is that of CSV and TSV files (default UTF-8). Records at the ``(file, line)``
    places of ``exclude`` are left out (they are quarantined). RDF files are passed through into the
    dataset's graph as they are.
    """
    folder = Path(folder)
    problems: list[Problem] = []
    manifest = read_manifest(folder, problems)
    paths = [folder / MANIFEST, *record_files(folder), *rdf_files(folder)]
    prints = {p.relative_to(folder).as_posix(): file_fingerprint(p) for p in paths if p.is_file()}
    files = [(name, sha) for name, (sha, _) in prints.items()]
    newlines = {name: count for name, (_, count) in prints.items()}
    return Submission(
        folder, reference, manifest, files, dataset_digest(files), problems, encoding, exclude, newlines
    )


@dataclass
class Mapped:
    """A small dataset read whole: its triples, the record each node comes from, and its problems."""

    submission: Submission
    quads: list[Quad]
    provenance: list[Quad]  # node prov:wasDerivedFrom record
    problems: list[Problem]
    external: set[str]

    @property
    def graph(self) -> NamedNode:
        return self.submission.graph


def read_dataset(
    folder: Path,
    reference: Reference,
    *,
    encoding: str | None = None,
    exclude: frozenset[tuple[str, int]] = frozenset(),
) -> Mapped:
    """Read and map a whole dataset in memory (see :func:`open_dataset` for the arguments)."""
    submission = open_dataset(folder, reference, encoding=encoding, exclude=exclude)
    problems = list(submission.problems)
    mapping: list[Mapping] = []
    text = "".join(submission.ntriples(problems, mapping=mapping))
    graph = submission.graph
    quads: list[Quad] = []
    provenance: list[Quad] = []
    for t in parse(text, RdfFormat.N_TRIPLES):
        quad = Quad(t.subject, t.predicate, t.object, graph)
        (provenance if t.predicate == PROV.wasDerivedFrom else quads).append(quad)
    return Mapped(submission, quads, provenance, problems, mapping[0].external)
