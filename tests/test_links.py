"""References to records of other datasets in the store, ``DATASET-ID:RECORD-ID``: resolved when the
other dataset was loaded before, refused (at the file, line and field) when it was not or when the
record is of another kind; validated without a store, unresolved with a hint to give one."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import NamedNode, QuerySolutions

from coopkg.cli import main
from coopkg.errors import Problem, Severity, SubmissionRefused
from coopkg.ingest import check, load
from coopkg.reference import Reference
from coopkg.store import Store
from coopkg.vocab import COOP, id_iri

MANIFEST = """id = "followup"
title = "A dataset that refers to records of the minimal one"
licence = "https://creativecommons.org/licenses/by/4.0/"
publisher = "coopkg tests"

[[sources]]
id = "test-daily-2024-02-01"
title = "A later article"
publisher = "Test Daily"
released = 2024-02-01
"""
SOURCE = "test-daily-2024-02-01"


def followup(folder: Path, *, signed_at: str = "minimal:expo-1") -> Path:
    """Dataset B: an agreement signed at and establishing, an activity of, an outcome of records of A."""
    folder.mkdir()
    (folder / "manifest.toml").write_text(MANIFEST, encoding="utf-8")
    (folder / "agreements.csv").write_text(
        "id,name,parties,instrument_type,signed_at,signed_on,establishes,source\n"
        f"a2,Second agreement,Dalian|Lhasa,cooperation-agreement,{signed_at},2024-01-01,minimal:m1,"
        f"{SOURCE}\n",
        encoding="utf-8",
    )
    (folder / "activities.csv").write_text(
        f"id,agreement,sequence,name,source\nact-1,minimal:a1,1,exchange visits,{SOURCE}\n", encoding="utf-8"
    )
    (folder / "outcomes.csv").write_text(
        "id,name,event,measure,instrument_type,value,source\n"
        f"o1,Agreements at the expo,minimal:expo-1,agreement-count,cooperation-agreement,2,{SOURCE}\n",
        encoding="utf-8",
    )
    return folder


@pytest.fixture
def with_minimal(dataset, reference: Reference) -> Store:  # type: ignore[no-untyped-def]
    """A store holding dataset A, ``minimal``."""
    store = Store()
    load(dataset("minimal"), store, reference)
    return store


def violations(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity is Severity.VIOLATION]


def test_a_reference_to_a_record_loaded_before_loads_and_validates(
    tmp_path: Path, with_minimal: Store, reference: Reference
) -> None:
    folder = followup(tmp_path / "followup")
    for engine in ("sparql", "pyshacl"):
        assert violations(check(folder, reference, engine=engine, against=with_minimal).problems) == [], (
            engine
        )
    assert load(folder, with_minimal, reference).status == "loaded"
    solutions = with_minimal.query(
        f"SELECT ?event WHERE {{ {id_iri('followup', 'agreement', 'a2')} {COOP.signedAt} ?event }}"
    )
    assert isinstance(solutions, QuerySolutions)
    assert [row["event"] for row in solutions] == [id_iri("minimal", "event", "expo-1")]


def test_the_hint_names_the_kind_the_record_is(
    tmp_path: Path, with_minimal: Store, reference: Reference
) -> None:
    folder = followup(tmp_path / "followup", signed_at="minimal:m1")  # a mechanism, not an event
    problems = check(folder, reference, against=with_minimal).problems
    [problem] = violations(problems)
    assert (problem.file, problem.line, problem.field, problem.value) == (
        "agreements.csv",
        2,
        "signed_at",
        "minimal:m1",
    )
    assert problem.message == "no event with id minimal:m1 in the store"
    assert problem.hint is not None and "mechanism" in problem.hint


def test_a_reference_of_the_wrong_kind_is_refused(
    tmp_path: Path, with_minimal: Store, reference: Reference
) -> None:
    folder = followup(tmp_path / "followup", signed_at="minimal:a1")  # an agreement, not an event
    before = sorted(map(str, with_minimal.quads()))
    with pytest.raises(SubmissionRefused) as refused:
        load(folder, with_minimal, reference)
    found = {(p.file, p.line, p.field, p.value) for p in violations(refused.value.problems)}
    assert found == {("agreements.csv", 2, "signed_at", "minimal:a1")}
    assert sorted(map(str, with_minimal.quads())) == before


def test_a_reference_to_a_dataset_not_in_the_store_is_refused(
    tmp_path: Path,
    dataset,
    reference: Reference,  # type: ignore[no-untyped-def]
) -> None:
    folder = followup(tmp_path / "followup")
    other = dataset("minimal")  # the same records, as another dataset
    manifest = other / "manifest.toml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace('"minimal"', '"other"'), encoding="utf-8"
    )
    store = Store()
    load(other, store, reference)
    with pytest.raises(SubmissionRefused) as refused:
        load(folder, store, reference)
    found = {(p.file, p.line, p.field, p.value) for p in violations(refused.value.problems)}
    assert found == {
        ("agreements.csv", 2, "signed_at", "minimal:expo-1"),
        ("agreements.csv", 2, "establishes", "minimal:m1"),
        ("activities.csv", 2, "agreement", "minimal:a1"),
        ("outcomes.csv", 2, "event", "minimal:expo-1"),
    }
    for p in violations(refused.value.problems):
        assert p.message.endswith("in the store") and p.hint and "load it first" in p.hint


def test_without_a_store_a_reference_is_unresolved_with_a_hint(
    tmp_path: Path, with_minimal: Store, reference: Reference, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = followup(tmp_path / "followup")
    problems = violations(check(folder, reference).problems)
    assert {(p.file, p.line, p.field) for p in problems} >= {("agreements.csv", 2, "signed_at")}
    assert all(p.hint and "--store" in p.hint for p in problems)
    store_path = tmp_path / "store"
    with Store(store_path) as store:
        load(Path(__file__).parent / "fixtures" / "datasets" / "minimal", store, reference)
    assert main(["validate", str(folder)]) == 1
    assert "agreements.csv:2\n  violation: establishes: 'minimal:m1': no mechanism" in capsys.readouterr().out
    assert main(["validate", str(folder), "--store", str(store_path)]) == 0


def test_a_malformed_or_own_long_reference(tmp_path: Path, with_minimal: Store, reference: Reference) -> None:
    folder = followup(tmp_path / "followup", signed_at="Minimal:expo 1")
    [problem] = violations(check(folder, reference, against=with_minimal).problems)
    assert (problem.field, problem.message) == ("signed_at", "not a record id")
    own = tmp_path / "own"
    followup(own, signed_at="followup:nowhere")  # this dataset, by its long name
    [problem] = violations(check(own, reference, against=with_minimal).problems)
    assert (problem.field, problem.value, problem.message) == (
        "signed_at",
        "followup:nowhere",
        "no event with this id in the dataset",
    )


def test_a_record_of_another_dataset_is_not_described_by_this_one(
    tmp_path: Path, with_minimal: Store, reference: Reference
) -> None:
    folder = followup(tmp_path / "followup")
    checked = check(folder, reference, against=with_minimal)
    others = {id_iri("minimal", kind, rid).value for kind, rid in (("mechanism", "m1"), ("agreement", "a1"))}
    assert not [q for q in checked.quads() if isinstance(q.subject, NamedNode) and q.subject.value in others]
