"""Loaders: records in, the expected graph out; CSV and JSON agree; problems point at the record."""

from __future__ import annotations

import json
from pathlib import Path

import rdflib
from rdflib.compare import graph_diff, isomorphic

from coopkg.ingest import check
from coopkg.loaders import read_dataset
from coopkg.loaders.kinds import KINDS, fields_markdown
from coopkg.loaders.records import read_records
from coopkg.reference import Reference
from coopkg.validation import to_rdflib

FIXTURES = Path(__file__).parent / "fixtures"


def mapped_graph(folder: Path, reference: Reference) -> rdflib.Graph:
    submission = read_dataset(folder, reference)
    assert submission.problems == []
    return to_rdflib(submission.quads)


def explain(got: rdflib.Graph, expected: rdflib.Graph) -> str:
    _, only_got, only_expected = graph_diff(got, expected)
    return (
        "unexpected:\n"
        + only_got.serialize(format="nt")
        + "missing:\n"
        + only_expected.serialize(format="nt")
    )


def test_minimal_dataset_maps_to_the_expected_graph(reference: Reference) -> None:
    got = mapped_graph(FIXTURES / "datasets" / "minimal", reference)
    expected = rdflib.Graph().parse(FIXTURES / "expected-minimal.ttl", format="turtle")
    assert isomorphic(got, expected), explain(got, expected)


def to_json_records(folder: Path, target: Path, reference: Reference, lines: bool) -> None:
    """Rewrite a CSV dataset as one JSON (or JSON Lines) file of records with a kind."""
    target.mkdir()
    (target / "manifest.toml").write_bytes((folder / "manifest.toml").read_bytes())
    objects = []
    for record in read_records(folder, []):
        obj: dict[str, object] = {"kind": record.kind}
        for name, values in record.values.items():
            multi = name != "id" and KINDS[record.kind].field(name).multi
            obj[name] = values if multi else values[0]
        objects.append(obj)
    if lines:
        text = "\n".join(json.dumps(o, ensure_ascii=False) for o in objects) + "\n"
        (target / "records.jsonl").write_text(text, encoding="utf-8")
    else:
        (target / "records.json").write_text(json.dumps(objects, indent=2), encoding="utf-8")


def test_csv_json_and_json_lines_load_to_the_same_graph(
    reference: Reference, example: Path, tmp_path: Path
) -> None:
    from_csv = mapped_graph(example, reference)
    assert len(from_csv) > 100
    for lines in (False, True):
        folder = tmp_path / f"json-{lines}"
        to_json_records(example, folder, reference, lines)
        from_json = mapped_graph(folder, reference)
        assert isomorphic(from_csv, from_json), explain(from_json, from_csv)


def test_the_example_conforms_and_cites_its_source(reference: Reference, example: Path) -> None:
    checked = check(example, reference)
    assert checked.violations == []
    # The article gives no date for the promotion conference, and the example invents none.
    assert [(p.file, p.line, p.field) for p in checked.problems] == [("events.csv", 4, "start_date")]
    graph = to_rdflib(checked.quads())
    source = rdflib.URIRef("https://w3id.org/coopkg/id/tibet-expo-2023/source/liaoning-daily-2023-06-20")
    cited = {s for s, _, _ in graph.triples((None, rdflib.DCTERMS.source, source))}
    things = {
        s
        for s in graph.subjects(rdflib.RDF.type, None)
        if "/source/" not in str(s)
        and "/agent/" not in str(s)
        and "/amount" not in str(s)
        and "/graph/" not in str(s)
    }
    assert things - cited == set()


def test_a_broken_dataset_reports_file_line_and_field(reference: Reference) -> None:
    checked = check(FIXTURES / "datasets" / "broken", reference)
    found = {(p.file, p.line, p.field) for p in checked.violations}
    assert found == {
        ("agreements.csv", 3, "parties"),  # unknown region Nagqux
        ("events.csv", 2, "start_date"),  # 2024-02-30
        ("mechanisms.csv", 2, "mechanism_type"),  # required, missing
    }
    unknown = next(p for p in checked.violations if p.field == "parties")
    assert "did you mean" in unknown.message and "Nagqu" in unknown.message


def write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8")


def test_every_problem_of_a_file_at_once(dataset, reference: Reference) -> None:  # type: ignore[no-untyped-def]
    folder = dataset("minimal")
    write(
        folder,
        "agreements.csv",
        "id,name,parties,instrument_type,signed_at,colour,source\n"
        "a1,One,Dalian|Lhasa,framework-agreement,expo-1,red,test-daily-2024-01-02\n"
        "a1,Two,Dalian|Lhasa,framework-agremeent,expo-9,,test-daily-2024-01-02\n"
        "Bad Id,Three,Dalian|Lhasa,framework-agreement,,,nowhere\n",
    )
    problems = check(folder, reference).violations
    got = {(p.line, p.field) for p in problems if p.file == "agreements.csv"}
    assert {(2, "colour"), (3, "id"), (4, "id")} <= got
    # a1 on line 2 carries an unknown column; line 3 repeats a1; line 4 has a bad id
    assert any("did you mean" in p.message for p in problems) or len(got) >= 3


def test_references_concepts_and_sources_are_checked(dataset, reference: Reference) -> None:  # type: ignore[no-untyped-def]
    folder = dataset("minimal")
    write(
        folder,
        "agreements.csv",
        "id,name,parties,instrument_type,signed_at,source\n"
        "a1,One,Dalian|Lhasa,framework-agremeent,expo-9,nowhere\n",
    )
    problems = {p.field: p for p in check(folder, reference).violations}
    assert "did you mean: framework-agreement" in problems["instrument_type"].message
    assert "expo-1" in (problems["signed_at"].hint or "")
    assert problems["source"].value == "nowhere"


def test_bad_encoding_and_bad_json_are_reported_with_lines(dataset, reference: Reference) -> None:  # type: ignore[no-untyped-def]
    folder = dataset("minimal")
    (folder / "events.csv").write_bytes(
        "id,name,source\nexpo-1,北京,test-daily-2024-01-02\n".encode("gb18030")
    )
    write(folder, "more.jsonl", '{"kind": "event", "id": "e2"}\n{"kind": "event", "id": \n')
    write(folder, "other.json", '[{"kind": "nothing"}]')
    problems = check(folder, reference).violations
    where = {(p.file, p.line) for p in problems}
    assert ("events.csv", 2) in where
    assert ("more.jsonl", 2) in where
    assert ("other.json", 1) in where


def test_records_doc_is_generated_from_the_kinds() -> None:
    text = (Path(__file__).parents[1] / "docs" / "records.md").read_text(encoding="utf-8")
    begin = text.index("-->", text.index("<!-- BEGIN GENERATED")) + 3
    end = text.index("<!-- END GENERATED")
    assert text[begin:end].strip() == fields_markdown().strip(), "run `make docs`"


def test_manifest_problems_name_the_line_and_key(dataset, reference: Reference) -> None:  # type: ignore[no-untyped-def]
    folder = dataset("minimal")
    write(
        folder,
        "manifest.toml",
        'id = "Not A Slug"\n'
        'licence = "CC BY"\n'
        'publisher = "coopkg tests"\n'
        "\n[[sources]]\n"
        'id = "test-daily-2024-01-02"\n'
        'title = "A test article"\n'
        'released = "20 June 2023"\n',
    )
    problems = {p.field: p for p in check(folder, reference).violations if p.file == "manifest.toml"}
    assert set(problems) >= {"id", "title", "licence", "sources.publisher", "sources.released"}
    assert problems["id"].line == 1
    assert problems["sources.released"].line == 6
    assert "2023-06-20" in (problems["sources.released"].hint or "")


def test_a_manifest_that_is_not_toml(dataset, reference: Reference) -> None:  # type: ignore[no-untyped-def]
    folder = dataset("minimal")
    write(folder, "manifest.toml", 'title = "unterminated\n')
    problems = check(folder, reference).violations
    assert problems[0].file == "manifest.toml" and problems[0].line == 1
    assert "not valid TOML" in problems[0].message


def test_csv_shape_problems(dataset, reference: Reference) -> None:  # type: ignore[no-untyped-def]
    folder = dataset("minimal")
    write(folder, "events.csv", "id,name,source\nexpo-1,Expo, with a comma,test-daily-2024-01-02\n")
    write(folder, "sponsors.csv", "id,name\ns1,Someone\n")
    write(folder, "organizations.csv", "")
    problems = check(folder, reference).violations
    where = {(p.file, p.line): p for p in problems}
    assert where[("events.csv", 2)].message == "4 cells where the header has 3"
    assert where[("events.csv", 2)].hint == 'quote cells that contain a comma: "a, b"'
    assert "cannot tell which kind" in where[("sponsors.csv", None)].message
    assert "empty file" in where[("organizations.csv", 1)].message


def test_one_value_fields_refuse_several(dataset, reference: Reference) -> None:  # type: ignore[no-untyped-def]
    folder = dataset("minimal")
    (folder / "events.csv").unlink()
    write(
        folder,
        "events.jsonl",
        '{"kind": "event", "id": "expo-1", "name": "First Test Expo", "source": "test-daily-2024-01-02"}\n'
        '{"kind": "event", "id": "expo-2", "name": "Second", "event_type": ["expo", "forum"],'
        ' "source": "test-daily-2024-01-02"}\n',
    )
    [problem] = [p for p in check(folder, reference).violations if p.field == "event_type"]
    assert (problem.file, problem.line, problem.message) == ("events.jsonl", 2, "takes one value")


def test_a_retired_code_is_accepted_with_a_note(dataset, reference: Reference) -> None:  # type: ignore[no-untyped-def]
    folder = dataset("minimal")
    write(
        folder,
        "mechanisms.csv",
        "id,name,mechanism_type,participants,areas,source\n"
        "m1,Dalian-Nagqu twinning,twinning,Dalian|542400,culture,test-daily-2024-01-02\n",
    )
    checked = check(folder, reference)
    assert checked.violations == []
    [note] = [p for p in checked.problems if p.field == "participants"]
    assert note.severity.value == "info" and "retired" in note.message and note.line == 2


def test_an_ambiguous_region_lists_its_candidates(dataset, reference: Reference) -> None:  # type: ignore[no-untyped-def]
    folder = dataset("minimal")
    write(
        folder,
        "mechanisms.csv",
        "id,name,mechanism_type,participants,areas,source\n"
        "m1,Twinning,twinning,Dalian|Suzhou,culture,test-daily-2024-01-02\n",
    )
    [problem] = [p for p in check(folder, reference).violations if p.field == "participants"]
    assert problem.line == 2 and "Suzhou (Jiangsu)" in problem.message and "Suzhou (Anhui)" in problem.message


def test_both_validation_engines_report_the_same_problems(reference: Reference, example: Path) -> None:
    for folder in (FIXTURES / "datasets" / "broken", FIXTURES / "datasets" / "minimal", example):
        fast = check(folder, reference, engine="sparql").problems
        slow = check(folder, reference, engine="pyshacl").problems
        assert {(p.file, p.line, p.field, p.severity, p.source) for p in fast} == {
            (p.file, p.line, p.field, p.severity, p.source) for p in slow
        }
