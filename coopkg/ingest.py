"""Check a dataset and put it in the store: parse → map → validate → store, whole or not at all.

A load streams the records through the mapping into an unseen version graph of the store (Oxigraph's
bulk loader, a chunk at a time), validates that version in the store with the compiled shapes, and
only then makes it visible in one small transaction. A refused or interrupted load leaves the store
as it was.

>>> from coopkg import resources
>>> from coopkg.store import Store
>>> store, reference = Store(), Reference.bundled()
>>> report = load(resources.example_path("tibet-expo-2023"), store, reference)
>>> report.status, load(resources.example_path("tibet-expo-2023"), store, reference).status
('loaded', 'unchanged')
"""

from __future__ import annotations

import contextlib
import datetime as dt
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, serialize

from coopkg import summary
from coopkg.backend import Backend
from coopkg.errors import Problem, Severity, SubmissionRefused
from coopkg.links import resolve
from coopkg.loaders import Submission, open_dataset
from coopkg.loaders.manifest import MANIFEST
from coopkg.loaders.mapping import Mapping
from coopkg.loaders.quarantine import write_quarantine
from coopkg.loaders.records import read_records
from coopkg.progress import Progress
from coopkg.reference import Reference
from coopkg.store import Store
from coopkg.validation import validate_staged
from coopkg.vocab import COOP, ONTOLOGY_GRAPH, PROV, REGIONS_GRAPH, id_iri, summary_graph

Clock = Callable[[], dt.datetime]

CHUNK = 16 << 20
"""Bytes of N-Triples per bulk-loaded chunk (some 100,000 triples): large enough for speed, small
enough for flat memory."""

IN_MEMORY = 250_000
"""Submissions of up to about this many records are validated in a copy in memory (some 500 MB at
most); larger ones in the store on disk, where memory stays flat whatever the size."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


@dataclass
class Staged:
    """A submission written into unseen version graphs of a store, and every problem found in it."""

    submission: Submission
    store: Store
    versions: dict[NamedNode, NamedNode]  # graph name → its new version (the dataset; stale reference)
    problems: list[Problem]
    triples: int
    external: set[str] = field(default_factory=set)
    checked_in: Store | None = None  # where validation reads the version: the store, or a copy in memory
    linked: list[Quad] = field(default_factory=list)  # rdf:type of other datasets' records referred to

    @property
    def version(self) -> NamedNode:
        """The version graph of the dataset."""
        return self.versions[self.submission.graph]

    @property
    def violations(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.VIOLATION]

    @property
    def conforms(self) -> bool:
        return not self.violations

    def discard(self) -> None:
        for version in self.versions.values():
            self.store.discard(version)

    def quads(self) -> Iterator[Quad]:
        """The dataset's quads as staged, under the dataset's graph name."""
        graph = self.submission.graph
        for q in self.store.version_quads(self.version):
            yield Quad(q.subject, q.predicate, q.object, graph)


@dataclass
class LoadReport:
    """What a load did."""

    dataset: str
    graph: NamedNode
    status: str  # "loaded", "replaced" or "unchanged"
    triples: int
    problems: list[Problem]
    quarantined: list[Path] = field(default_factory=list)  # files of refused records


@dataclass
class Diff:
    """What loading a dataset would change in its graph (the provenance of loads aside)."""

    dataset: str
    added: list[Quad]
    removed: list[Quad]
    problems: list[Problem]


def reference_graphs(reference: Reference) -> dict[NamedNode, list[Quad]]:
    """The ontology and regions graphs, marked with the digest of the files they come from."""
    ontology = [q for q in reference.quads() if q.graph_name == ONTOLOGY_GRAPH]
    ontology.append(Quad(ONTOLOGY_GRAPH, COOP.sha256, Literal(reference.digest), ONTOLOGY_GRAPH))
    regions = [q for q in reference.quads() if q.graph_name == REGIONS_GRAPH]
    return {ONTOLOGY_GRAPH: ontology, REGIONS_GRAPH: regions}


def _chunks(pieces: Iterable[str]) -> Iterator[bytes]:
    """N-Triples text in chunks of about :data:`CHUNK` bytes, made in a thread of their own while
    the store loads the previous chunk (Oxigraph's bulk loader lets go of Python's lock)."""
    handoff: queue.Queue[bytes | BaseException | None] = queue.Queue(maxsize=2)
    stop = threading.Event()

    def produce() -> None:
        try:
            batch: list[bytes] = []
            size = 0
            for piece in pieces:
                data = piece.encode()
                batch.append(data)
                size += len(data)
                if size >= CHUNK:
                    handoff.put(b"".join(batch))
                    batch, size = [], 0
                    if stop.is_set():
                        return
            handoff.put(b"".join(batch))
            handoff.put(None)
        except BaseException as exc:  # handed to the consumer, which raises it
            handoff.put(exc)

    worker = threading.Thread(target=produce, name="coopkg-mapping", daemon=True)
    worker.start()
    try:
        while (item := handoff.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while worker.is_alive():  # let a blocked producer finish
            try:
                handoff.get_nowait()
            except queue.Empty:
                worker.join(0.05)


class _Writer:
    """Bulk-loads chunks into a version graph in a thread of its own; :meth:`join` re-raises."""

    def __init__(self, store: Store, version: NamedNode) -> None:
        self.chunks: queue.Queue[bytes | None] = queue.Queue(maxsize=4)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(store, version), daemon=True)
        self.thread.start()

    def _run(self, store: Store, version: NamedNode) -> None:
        try:
            store.write(version, iter(self.chunks.get, None))
        except BaseException as exc:
            self.error = exc
            while self.chunks.get() is not None:  # let the producer finish
                pass

    def put(self, chunk: bytes) -> None:
        self.chunks.put(chunk)

    def join(self) -> None:
        self.chunks.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error


def stage(
    submission: Submission,
    store: Store,
    reference: Reference,
    *,
    language: str = "en",
    engine: str = "sparql",
    validate: bool = True,
    progress: Progress | None = None,
    in_memory: int = IN_MEMORY,
    against: Store | Backend | None = None,
) -> Staged:
    """Write a submission into unseen version graphs of ``store`` and validate it there.

    References to records of other datasets (``DATASET-ID:RECORD-ID``) are looked up in what
    ``against`` (default: ``store``) shows; each one that is not there is a problem.

    The reference graphs are staged too when the store's are missing or stale. Nothing becomes
    visible: :func:`publish` does that, :meth:`Staged.discard` undoes it. A submission of at most
    ``in_memory`` records (about) is validated in a copy in memory, which is several times faster,
    while the store on disk takes its chunks in another thread.
    """
    problems = list(submission.problems)
    versions: dict[NamedNode, NamedNode] = {}
    mapping: list[Mapping] = []
    copy = validate and store.path is not None and submission.size() <= in_memory
    checked_in = Store() if copy else store
    writer: _Writer | None = None
    try:
        if store.digest(ONTOLOGY_GRAPH) != reference.digest:
            for name, quads in reference_graphs(reference).items():
                versions[name] = store.new_version()
                store.write_quads(versions[name], quads)
        version = versions[submission.graph] = store.new_version()
        tick = progress.advance if progress is not None else None
        chunks = _chunks(submission.ntriples(problems, mapping=mapping, tick=tick))
        if copy:
            writer = _Writer(store, version)
            for chunk in chunks:
                checked_in.write(version, [chunk])
                writer.put(chunk)
        else:
            store.write(version, chunks)
        done = mapping[0]
        unresolved, linked = resolve(done.links, against if against is not None else store, reference)
        problems.extend(unresolved)
        staged = Staged(
            submission, store, versions, problems, done.triples, done.external, checked_in, linked
        )
        if validate:
            if progress is not None:
                progress.phase("validating")
            # A value the loader could not map is missing from the graph too: report it once.
            reported = {(p.file, p.line, p.field) for p in problems}
            problems.extend(
                p
                for p in validate_staged(staged, reference, language=language, engine=engine)
                if (p.file, p.line, p.field) not in reported
            )
        if writer is not None:
            finishing, writer = writer, None
            finishing.join()
    except BaseException:
        if writer is not None:
            with contextlib.suppress(BaseException):  # the first error is the one to report
                writer.join()
        for version in versions.values():
            store.discard(version)
        raise
    return staged


def check(
    folder: Path,
    reference: Reference,
    *,
    language: str = "en",
    encoding: str | None = None,
    exclude: frozenset[tuple[str, int]] = frozenset(),
    engine: str = "sparql",
    validate: bool = True,
    against: Store | Backend | None = None,
) -> Staged:
    """Read, map and validate a dataset (less the records at ``exclude``) in a store in memory;
    references to other datasets' records are looked up in ``against`` (none: all unresolved)."""
    submission = open_dataset(folder, reference, encoding=encoding, exclude=exclude)
    return stage(
        submission, Store(), reference, language=language, engine=engine, validate=validate, against=against
    )


def _is_load_provenance(quad: Quad, graph: NamedNode) -> bool:
    """Triples that say when and from which files the graph was written, not what the data say."""
    if quad.predicate == PROV.wasDerivedFrom:
        return True
    if quad.subject == graph and quad.predicate in (PROV.wasGeneratedBy, COOP.sha256):
        return True
    subject = quad.subject
    return isinstance(subject, NamedNode) and subject.value.startswith(
        (id_iri("load").value + "/", id_iri("software").value + "/")
    )


def diff(folder: Path, store: Store, reference: Reference, *, encoding: str | None = None) -> Diff:
    """Compare a dataset with what the store holds for it; nothing is written."""
    checked = check(folder, reference, encoding=encoding, against=store)
    graph = checked.submission.graph
    new = {q for q in checked.quads() if not _is_load_provenance(q, graph)}
    old = {q for q in store.quads(graph) if not _is_load_provenance(q, graph)}
    by_text = lambda q: (q.subject.value, q.predicate.value, str(q.object))  # noqa: E731
    return Diff(
        checked.submission.manifest.id,
        sorted(new - old, key=by_text),
        sorted(old - new, key=by_text),
        checked.problems,
    )


def convert(
    folder: Path,
    output: Path | None,
    reference: Reference,
    *,
    rdf_format: RdfFormat = RdfFormat.N_TRIPLES,
    encoding: str | None = None,
    validate: bool = True,
    prefixes: dict[str, str] | None = None,
    clock: Clock = _now,
    write: Callable[[bytes], object] | None = None,
) -> tuple[int, list[Problem]]:
    """Write a dataset as RDF without a store; returns the triples written and the problems.

    Without ``validate``, N-Triples are streamed straight from the mapping to the file (no store,
    constant memory). Raises :class:`SubmissionRefused` (writing nothing) on violations.
    """
    started = clock()
    submission = open_dataset(folder, reference, encoding=encoding)
    if not validate and rdf_format == RdfFormat.N_TRIPLES:
        return _stream_ntriples(submission, output, started, clock, write)
    staged = stage(submission, Store(), reference, validate=validate)
    if staged.violations:
        raise SubmissionRefused(submission.manifest.id, staged.problems)
    quads = [*staged.quads(), *submission.provenance(started=started, ended=clock())]
    data = quads if rdf_format.supports_datasets else [q.triple for q in quads]
    if output is not None:
        with output.open("wb") as stream:
            serialize(data, stream, format=rdf_format, prefixes=prefixes)
    else:
        assert write is not None
        write(serialize(data, format=rdf_format, prefixes=prefixes) or b"")
    return len(quads), staged.problems


def _stream_ntriples(
    submission: Submission,
    output: Path | None,
    started: dt.datetime,
    clock: Clock,
    write: Callable[[bytes], object] | None,
) -> tuple[int, list[Problem]]:
    problems = list(submission.problems)
    target = output.with_name(output.name + ".part") if output is not None else None
    mapping: list[Mapping] = []
    stream = target.open("wb") if target is not None else None
    try:
        emit = stream.write if stream is not None else write
        assert emit is not None
        for piece in submission.ntriples(problems, mapping=mapping):
            emit(piece.encode())
        if any(p.severity is Severity.VIOLATION for p in problems):
            raise SubmissionRefused(submission.manifest.id, problems)
        count = mapping[0].triples
        provenance = [q.triple for q in submission.provenance(started=started, ended=clock())]
        emit(serialize(provenance, format=RdfFormat.N_TRIPLES) or b"")
        count += len(provenance)
    except BaseException:
        if stream is not None:
            stream.close()
            assert target is not None
            target.unlink(missing_ok=True)
        raise
    if stream is not None:
        stream.close()
        assert target is not None and output is not None
        target.replace(output)
    return count, problems


def load(
    folder: Path,
    store: Store,
    reference: Reference,
    *,
    strict: bool = False,
    quarantine: Path | None = None,
    encoding: str | None = None,
    clock: Clock = _now,
    progress: Progress | None = None,
    in_memory: int = IN_MEMORY,
    target: Backend | None = None,
) -> LoadReport:
    """Validate a dataset, then replace its graph: all of it is seen at once, or none of it.

    With ``target`` (e.g. a SPARQL endpoint), ``store`` is only where the dataset is staged and
    validated, and the graphs are then written to ``target``.

    A dataset of up to ``in_memory`` records is validated in a copy in memory (fast; about
    0.5 KB per triple), a larger one in the store on disk (slower; memory stays flat).

    Raises :class:`SubmissionRefused` (and writes nothing) when it has violations, or warnings
    with ``strict``. With ``quarantine`` (a folder), the refused records, and the records that
    point at them, are written there in their original format and the rest is loaded.
    Loading the same files again changes nothing.
    """
    started = clock()
    store.collect_garbage()  # what an interrupted load left
    excluded: frozenset[tuple[str, int]] = frozenset()
    problems: list[Problem] = []
    while True:
        submission = open_dataset(folder, reference, encoding=encoding, exclude=excluded)
        if progress is not None:
            progress.restart(total=submission.size())
        staged = stage(submission, store, reference, progress=progress, in_memory=in_memory, against=target)
        seen = {(q.file, q.line) for q in problems}
        problems += [p for p in staged.problems if (p.file, p.line) not in seen]
        refusals = [p for p in staged.problems if strict or p.severity is Severity.VIOLATION]
        if not refusals:
            break
        staged.discard()
        places = {(p.file, p.line) for p in refusals if p.line is not None and p.file != MANIFEST}
        if quarantine is None or len(places) < len(refusals) or places <= excluded:
            # a problem of the manifest or of a whole file cannot be set aside record by record
            raise SubmissionRefused(submission.manifest.id, problems)
        excluded |= places
    try:
        written = (
            write_quarantine(
                folder, quarantine, excluded, problems, list(read_records(folder, [], encoding=encoding))
            )
            if excluded and quarantine
            else []
        )
        where: Store | Backend = store if target is None else target
        previous = where.digest(submission.graph)
        reference_current = where.digest(ONTOLOGY_GRAPH) == reference.digest
        if previous == submission.digest and reference_current and not excluded:
            staged.discard()
            return LoadReport(submission.manifest.id, submission.graph, "unchanged", 0, problems)
        activity = list(submission.provenance(started=started, ended=clock()))
        store.write_quads(staged.version, activity)
        if progress is not None:
            progress.phase("summarizing")
        staged.versions[summary_graph(submission.graph)] = summary.stage(
            store, staged.version, submission.graph, reference
        )
        if target is None:  # datasets loaded by a coopkg that wrote no summaries get theirs now
            others = [g for g in summary.missing(store) if g != submission.graph]
            staged.versions.update(summary.stage_current(store, reference, others))
    except BaseException:
        staged.discard()
        raise
    if progress is not None:
        progress.phase("publishing")
    if target is None:
        store.publish(dict(staged.versions))
        store.flush()
    else:
        try:
            target.replace(
                {
                    name: store.version_quads(version)
                    for name, version in staged.versions.items()
                    if name in (submission.graph, summary_graph(submission.graph)) or not reference_current
                }
            )
        finally:
            staged.discard()
    if progress is not None:
        progress.done()
    status = "loaded" if previous is None else "replaced"
    triples = staged.triples + len(activity)
    return LoadReport(submission.manifest.id, submission.graph, status, triples, problems, written)
