"""Streaming loads: versions unseen until published, interrupted loads leave nothing, references
to records read later, the progress bar, and convert's streamed N-Triples."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import NamedNode, RdfFormat, parse

from coopkg import ingest
from coopkg.errors import SubmissionRefused
from coopkg.ingest import check, convert, load
from coopkg.loaders import Submission, mapping, read_dataset
from coopkg.loaders.records import read_records
from coopkg.progress import Progress
from coopkg.reference import Reference
from coopkg.store import Store
from coopkg.vocab import PROV


def physical(store: Store) -> set[str]:
    return {g.value for g in store._ox.named_graphs() if isinstance(g, NamedNode)}


def content(store: Store) -> set[str]:
    return {str(q) for q in store.quads()}


def test_a_load_that_fails_midway_leaves_the_store_as_it_was(
    tmp_path: Path, example: Path, reference: Reference, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store(tmp_path / "s") as store:
        load(example, store, reference)
        before, graphs = content(store), physical(store)
        # small pieces and chunks, so that some are written before the failure
        monkeypatch.setattr(ingest, "CHUNK", 1)
        monkeypatch.setattr(mapping, "_BATCH", 5)
        real = Submission.ntriples

        def failing(self: Submission, *args: object, **kwargs: object) -> Iterator[str]:
            for n, piece in enumerate(real(self, *args, **kwargs)):  # type: ignore[arg-type]
                if n == 5:
                    raise OSError("the disk is full")
                yield piece

        monkeypatch.setattr(Submission, "ntriples", failing)
        changed = tmp_path / "changed"
        shutil.copytree(example, changed)
        (changed / "events.csv").write_text(
            (example / "events.csv").read_text(encoding="utf-8").replace("Expo", "Fair"), encoding="utf-8"
        )
        with pytest.raises(OSError, match="disk is full"):
            load(changed, store, reference)
        assert content(store) == before
        assert physical(store) == graphs  # the half-written version is gone


def test_a_refused_load_leaves_no_version_behind(tmp_path: Path, dataset, reference: Reference) -> None:  # type: ignore[no-untyped-def]
    with Store(tmp_path / "s") as store:
        with pytest.raises(SubmissionRefused):
            load(dataset("broken"), store, reference)
        assert physical(store) == set() and len(store) == 0


def test_records_may_name_records_read_later(tmp_path: Path, example: Path, reference: Reference) -> None:
    """In one JSON Lines file, each activity comes before its agreement and each agreement before
    the mechanism it establishes: the graph is the same as the CSV's."""
    folder = tmp_path / "later"
    folder.mkdir()
    shutil.copy(example / "manifest.toml", folder)
    records = sorted(read_records(example, []), key=lambda r: {"activity": 0, "agreement": 1}.get(r.kind, 2))
    with (folder / "records.jsonl").open("w", encoding="utf-8") as stream:
        for r in records:
            values = {k: v if len(v) > 1 else v[0] for k, v in r.values.items()}
            stream.write(json.dumps({"kind": r.kind, **values}, ensure_ascii=False) + "\n")
    later, csv = read_dataset(folder, reference), read_dataset(example, reference)
    assert later.problems == []
    assert set(later.quads) == set(csv.quads)


def test_a_reference_to_a_record_that_never_comes_is_reported_with_its_line(
    tmp_path: Path, example: Path, reference: Reference
) -> None:
    folder = tmp_path / "missing"
    shutil.copytree(example, folder)
    path = folder / "activities.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    cells = lines[1].rstrip("\n").split(",")
    cells[header.index("agreement")] = "no-such-agreement"
    lines[1] = ",".join(cells) + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    [problem] = [p for p in check(folder, reference).violations if p.value == "no-such-agreement"]
    assert (problem.file, problem.line, problem.field) == ("activities.csv", 2, "agreement")
    assert "known:" in (problem.hint or "")


def test_every_node_names_the_record_it_comes_from(example: Path, reference: Reference) -> None:
    mapped = read_dataset(example, reference)
    subjects = {q.subject for q in mapped.quads if isinstance(q.subject, NamedNode)}
    derived = {q.subject for q in mapped.provenance if q.predicate == PROV.wasDerivedFrom}
    assert subjects == derived


def test_the_progress_bar_counts_the_records(tmp_path: Path, example: Path, reference: Reference) -> None:
    screen = io.StringIO()
    load(example, Store(), reference, progress=Progress(stream=screen, enabled=True, every=0))
    drawn = screen.getvalue()
    records = sum(1 for _ in read_records(example, []))
    assert f"{records:,} records" in drawn and "100%" in drawn and "validating" in drawn
    quiet = io.StringIO()
    load(example, Store(), reference, progress=Progress(stream=quiet))  # not a terminal
    assert quiet.getvalue() == ""


def test_streamed_ntriples_equal_the_validated_conversion(
    tmp_path: Path, example: Path, reference: Reference
) -> None:
    fast, checked = tmp_path / "fast.nt", tmp_path / "checked.nt"
    n_fast, _ = convert(example, fast, reference, validate=False)
    n_checked, _ = convert(example, checked, reference, validate=True)

    def triples(path: Path) -> set[str]:  # the times of the load aside
        return {
            str(t) for t in parse(path=path, format=RdfFormat.N_TRIPLES) if "Time>" not in str(t.predicate)
        }

    assert n_fast == n_checked and triples(fast) == triples(checked)
    assert not (tmp_path / "fast.nt.part").exists()


def test_a_refused_conversion_writes_no_file(tmp_path: Path, dataset, reference: Reference) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out.nt"
    with pytest.raises(SubmissionRefused):
        convert(dataset("broken"), out, reference, validate=False)
    assert not out.exists() and not (tmp_path / "out.nt.part").exists()
