"""Check a dataset and put it in the store: parse → map → validate → store, whole or not at all.

>>> from coopkg import resources
>>> from coopkg.store import Store
>>> store, reference = Store(), Reference.bundled()
>>> report = load(resources.example_path("tibet-expo-2023"), store, reference)
>>> report.status, load(resources.example_path("tibet-expo-2023"), store, reference).status
('loaded', 'unchanged')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad

from coopkg.errors import Problem, Severity, SubmissionRefused
from coopkg.loaders import Submission, read_dataset
from coopkg.loaders.manifest import MANIFEST
from coopkg.loaders.quarantine import write_quarantine
from coopkg.reference import Reference
from coopkg.store import Store
from coopkg.validation import validate
from coopkg.vocab import COOP, ONTOLOGY_GRAPH, PROV, REGIONS_GRAPH, id_iri

Clock = Callable[[], dt.datetime]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


@dataclass
class Checked:
    """A submission and every problem found in it."""

    submission: Submission
    problems: list[Problem]

    @property
    def violations(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.VIOLATION]

    @property
    def conforms(self) -> bool:
        return not self.violations


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
    checked = check(folder, reference, encoding=encoding)
    graph = checked.submission.graph
    new = set(checked.submission.mapped.quads)
    old = {q for q in store.quads(graph) if not _is_load_provenance(q, graph)}
    by_text = lambda q: (q.subject.value, q.predicate.value, str(q.object))  # noqa: E731
    return Diff(
        checked.submission.manifest.id,
        sorted(new - old, key=by_text),
        sorted(old - new, key=by_text),
        checked.problems,
    )


def check(
    folder: Path,
    reference: Reference,
    *,
    language: str = "en",
    encoding: str | None = None,
    exclude: frozenset[tuple[str, int]] = frozenset(),
    engine: str = "sparql",
) -> Checked:
    """Read, map and validate a dataset (less the records at ``exclude``); nothing is written."""
    submission = read_dataset(folder, reference, encoding=encoding, exclude=exclude)
    problems = list(submission.problems)
    # A value the loader could not map is missing from the graph too: report it once, as the loader did.
    reported = {(p.file, p.line, p.field) for p in problems}
    problems.extend(
        p
        for p in validate(submission, reference, language=language, engine=engine)
        if (p.file, p.line, p.field) not in reported
    )
    return Checked(submission, problems)


def reference_graphs(reference: Reference) -> dict[NamedNode, list[Quad]]:
    """The ontology and regions graphs, marked with the digest of the files they come from."""
    ontology = [q for q in reference.quads() if q.graph_name == ONTOLOGY_GRAPH]
    ontology.append(Quad(ONTOLOGY_GRAPH, COOP.sha256, Literal(reference.digest), ONTOLOGY_GRAPH))
    regions = [q for q in reference.quads() if q.graph_name == REGIONS_GRAPH]
    return {ONTOLOGY_GRAPH: ontology, REGIONS_GRAPH: regions}


def load(
    folder: Path,
    store: Store,
    reference: Reference,
    *,
    strict: bool = False,
    quarantine: Path | None = None,
    encoding: str | None = None,
    clock: Clock = _now,
) -> LoadReport:
    """Validate a dataset, then replace its graph in one transaction.

    Raises :class:`SubmissionRefused` (and writes nothing) when it has violations, or warnings
    with ``strict``. With ``quarantine`` (a folder), the refused records, and the records that
    point at them, are written there in their original format and the rest is loaded.
    Loading the same files again changes nothing.
    """
    started = clock()
    checked = check(folder, reference, encoding=encoding)
    every_record = checked.submission.records
    problems = list(checked.problems)
    excluded: frozenset[tuple[str, int]] = frozenset()
    while refusals := [p for p in checked.problems if strict or p.severity is Severity.VIOLATION]:
        places = {(p.file, p.line) for p in refusals if p.line is not None and p.file != MANIFEST}
        if quarantine is None or len(places) < len(refusals) or places <= excluded:
            # a problem of the manifest or of a whole file cannot be set aside record by record
            raise SubmissionRefused(checked.submission.manifest.id, problems)
        excluded |= places
        checked = check(folder, reference, encoding=encoding, exclude=excluded)
        problems += [
            p for p in checked.problems if (p.file, p.line) not in {(q.file, q.line) for q in problems}
        ]
    submission = checked.submission
    written = (
        write_quarantine(folder, quarantine, excluded, problems, every_record)
        if excluded and quarantine
        else []
    )
    previous = store.digest(submission.graph)
    reference_current = store.digest(ONTOLOGY_GRAPH) == reference.digest
    if previous == submission.digest and reference_current and not excluded:
        return LoadReport(submission.manifest.id, submission.graph, "unchanged", 0, problems)
    quads = submission.quads(started=started, ended=clock())
    graphs = {} if reference_current else reference_graphs(reference)
    graphs[submission.graph] = quads
    store.replace_graphs(graphs)
    store.flush()
    status = "loaded" if previous is None else "replaced"
    return LoadReport(submission.manifest.id, submission.graph, status, len(quads), problems, written)
