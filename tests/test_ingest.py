"""Loading: provenance of each load, idempotence, reference data kept current, strict mode."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode

from coopkg import __version__
from coopkg.errors import SubmissionRefused
from coopkg.ingest import load
from coopkg.reference import Reference
from coopkg.store import Store
from coopkg.vocab import ONTOLOGY_GRAPH, PROV, XSD, graph_iri

WHEN = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)


def test_each_load_is_a_prov_activity(example: Path, reference: Reference) -> None:
    store = Store()
    report = load(example, store, reference, clock=lambda: WHEN)
    graph = graph_iri("tibet-expo-2023")
    [activity] = [
        q.object for q in store.quads() if q.subject == graph and q.predicate == PROV.wasGeneratedBy
    ]
    assert isinstance(activity, NamedNode)
    facts = {(q.predicate, q.object) for q in store.quads() if q.subject == activity}
    assert (PROV.startedAtTime, Literal("2026-01-02T03:04:05Z", datatype=XSD.dateTime)) in facts
    assert {p.value.rsplit("#", 1)[-1] for p, _ in facts} >= {
        "startedAtTime",
        "endedAtTime",
        "wasAssociatedWith",
        "used",
    }
    used = [o for p, o in facts if p == PROV.used]
    names = {
        q.object.value
        for q in store.quads()
        if q.subject in used and q.predicate.value.endswith("identifier")
    }  # type: ignore[union-attr]
    assert names == {p.name for p in example.iterdir() if p.suffix in (".csv", ".toml")}
    [agent] = [o for p, o in facts if p == PROV.wasAssociatedWith]
    assert agent.value.endswith(f"/software/coopkg/{__version__}")  # type: ignore[union-attr]
    assert report.status == "loaded"


def test_a_stale_reference_is_refreshed(example: Path, reference: Reference) -> None:
    store = Store()
    load(example, store, reference)
    newer = Reference(reference.ontology, reference.gazetteer, digest="0" * 64)
    assert load(example, store, newer).status == "replaced"
    assert store.digest(ONTOLOGY_GRAPH) == "0" * 64
    assert load(example, store, newer).status == "unchanged"


def test_strict_refuses_warnings(example: Path, reference: Reference) -> None:
    store = Store()
    with pytest.raises(SubmissionRefused) as refused:
        load(example, store, reference, strict=True)
    assert [p.field for p in refused.value.problems] == ["start_date"]
    assert len(store) == 0


def test_the_dataset_describes_itself(example: Path, reference: Reference) -> None:
    store = Store()
    load(example, store, reference)
    graph = graph_iri("tibet-expo-2023")
    predicates = {q.predicate.value.rsplit("/", 1)[-1] for q in store.quads() if q.subject == graph}
    assert {"title", "license", "publisher", "source"} <= predicates
    digest = store.digest(graph)
    assert digest is not None and len(digest) == 64


def test_what_the_store_keeps_still_conforms(example: Path, reference: Reference) -> None:
    """Oxigraph normalises some literals (xsd:positiveInteger is kept as xsd:integer): the data
    as stored, not only as mapped, must pass the shapes."""
    from pyshacl import validate

    from coopkg.validation import shapes_graph, to_rdflib

    store = Store()
    load(example, store, reference)
    (dataset,) = store.datasets()
    stored = list(store.quads(dataset))
    assert len(stored) > 100
    # with the reference data it leads to (the whole gazetteer would take pySHACL minutes)
    named = {q.object.value for q in stored if isinstance(q.object, NamedNode)}
    conforms, _, text = validate(
        to_rdflib([*stored, *reference.about(named)]),
        shacl_graph=shapes_graph(),
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    assert conforms, text


def test_diff_shows_what_a_load_would_change(dataset, reference: Reference) -> None:  # type: ignore[no-untyped-def]
    from coopkg.ingest import diff

    store = Store()
    folder = dataset("minimal")
    first = diff(folder, store, reference)
    assert first.removed == [] and len(first.added) > 30
    load(folder, store, reference)
    assert diff(folder, store, reference).added == []  # a loaded dataset has no difference
    events = folder / "events.csv"
    events.write_text(
        events.read_text(encoding="utf-8").replace("First Test Expo", "Renamed"), encoding="utf-8"
    )
    changed = diff(folder, store, reference)
    assert [q.object.value for q in changed.added] == ["Renamed"]
    assert [q.object.value for q in changed.removed] == ["First Test Expo"]
