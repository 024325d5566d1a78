"""Validation reports: every format from one submission with one error of each kind, and the
validate command on a dataset, an RDF file and the whole store."""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import rdflib
from pyoxigraph import Literal, NamedNode, Quad

from coopkg.cli import main
from coopkg.errors import Problem, Severity
from coopkg.ingest import check, load
from coopkg.reference import Reference
from coopkg.reports import REPORT_FORMATS, render, summary
from coopkg.store import Store
from coopkg.vocab import COOP, graph_iri

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example with one mistake of each kind, each in a known record."""
    from coopkg import resources

    folder = tmp_path_factory.mktemp("sample") / "sample"
    shutil.copytree(resources.example_path("tibet-expo-2023"), folder)
    outcomes = folder / "outcomes.csv"
    lines = outcomes.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.append(lines[-1])  # a duplicated id
    outcomes.write_text("".join(lines), encoding="utf-8")
    edit(folder / "events.csv", "2023-06-18", "2023-06-31")  # a date that does not exist
    edit(folder / "mechanisms.csv", ",aid,Liaoning,", ",aid,Liaoningg,")  # an unknown region
    edit(folder / "outcomes.csv", "CNY", "yuan")  # not an ISO 4217 code (a shape)
    return folder


def expected(sample: Path) -> dict[str, tuple[str, int, str]]:
    """Where each mistake is: file, line, field."""

    def line_of(name: str, needle: str) -> int:
        lines = (sample / name).read_text(encoding="utf-8").splitlines()
        return next(i for i, text in enumerate(lines, 1) if needle in text)

    outcome_lines = (sample / "outcomes.csv").read_text(encoding="utf-8").splitlines()
    return {
        "date": ("events.csv", line_of("events.csv", "2023-06-31"), "start_date"),
        "region": ("mechanisms.csv", line_of("mechanisms.csv", "Liaoningg"), "providers"),
        "duplicate": ("outcomes.csv", len(outcome_lines), "id"),
        "currency": ("outcomes.csv", line_of("outcomes.csv", "yuan"), "currency"),
    }


def problems_of(sample: Path, reference: Reference) -> list[Problem]:
    return check(sample, reference).problems


def test_the_text_report_names_file_line_and_field(sample: Path, reference: Reference) -> None:
    problems = problems_of(sample, reference)
    places = {(p.file, p.line, p.field) for p in problems if p.severity is Severity.VIOLATION}
    for kind, place in expected(sample).items():
        if kind == "region":  # a mechanism's providers or participants: either names the cell
            assert any(p[:2] == place[:2] and p[2] in ("providers", "participants") for p in places), places
        else:
            assert place in places, (kind, place, places)
    text = render(problems, "text")
    lines = text.splitlines()
    for kind, (file, line, field) in expected(sample).items():
        # a heading per record, then its problems indented under it, each with its fix
        start = next(
            i for i, t in enumerate(lines) if t == f"{file}:{line}" or t.startswith(f"{file}:{line}: ")
        )
        end = next((i for i in range(start + 1, len(lines)) if not lines[i].startswith(" ")), len(lines))
        block = lines[start + 1 : end]
        assert block and all(t.startswith("  ") for t in block), block
        fields = {field} if field != "providers" else {"providers", "participants"}
        assert any(t.startswith(f"  violation: {f}: ") for t in block for f in fields), block
        if kind != "currency":  # a loader's problem says what to do; a shape's message does
            assert any(t.startswith("    fix: ") for t in block), block
    headings = [t for t in lines[:-1] if not t.startswith(" ")]
    assert len(headings) == len(set(headings)), "one heading per record"
    assert lines[-1] == summary(problems)


def test_the_text_report_groups_problems_by_record() -> None:
    focus = "https://w3id.org/coopkg/id/ds/event/expo-5"
    problems = [
        Problem("events.csv", 4, "start_date", "2023-13-01", "not a valid date", hint="write YYYY-MM-DD"),
        Problem("agreements.csv", 2, "parties", "Nagqux", "unknown region"),
        Problem("events.csv", 4, "location", None, "no region", severity=Severity.WARNING, focus=focus),
        Problem("events.csv", None, None, None, "no header row", hint="add one"),
    ]
    assert render(problems, "text").splitlines() == [
        "agreements.csv:2",
        "  violation: parties: 'Nagqux': unknown region",
        "events.csv",
        "  violation: no header row",
        "    fix: add one",
        "events.csv:4: event expo-5",
        "  warning: location: no region",
        "  violation: start_date: '2023-13-01': not a valid date",
        "    fix: write YYYY-MM-DD",
        "3 violations, 1 warning",
    ]


class _Rows(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag == "tr" and ("class", "problem") in attrs:
            self._row = []
        elif tag == "td" and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._row is not None and self._cell is not None:
            self._row.append("".join(self._cell))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def test_the_html_report_has_a_row_per_problem(sample: Path, reference: Reference) -> None:
    problems = problems_of(sample, reference)
    parser = _Rows()
    parser.feed(render(problems, "html"))
    assert "script" not in parser.tags and "link" not in parser.tags
    assert len(parser.rows) == len(problems)
    for file, line, _ in expected(sample).values():
        assert any(row[0] == f"{file}:{line}" and row[1] == "violation" for row in parser.rows)


def test_the_sarif_report_locates_each_result(sample: Path, reference: Reference) -> None:
    problems = problems_of(sample, reference)
    log = json.loads(render(problems, "sarif"))
    assert log["version"] == "2.1.0"
    [run] = log["runs"]
    results = run["results"]
    assert len(results) == len(problems)
    rules = {r["id"] for r in run["tool"]["driver"]["rules"]}
    assert {r["ruleId"] for r in results} <= rules and "loader" in rules
    located = {
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"].get("region", {}).get("startLine"),
            r["level"],
        )
        for r in results
    }
    for file, line, _ in expected(sample).values():
        assert (file, line, "error") in located


def test_the_shacl_report_is_a_w3c_validation_report(sample: Path, reference: Reference) -> None:
    problems = problems_of(sample, reference)
    graph = rdflib.Graph().parse(data=render(problems, "ttl"), format="turtle")
    [report] = graph.subjects(rdflib.RDF.type, SH.ValidationReport)
    assert graph.value(report, SH.conforms) == rdflib.Literal(False)
    results = list(graph.objects(report, SH.result))
    assert len(results) == len(problems)
    for result in results:
        assert graph.value(result, SH.focusNode) is not None
        assert graph.value(result, SH.sourceShape) is not None
        assert graph.value(result, SH.resultSeverity) in (SH.Violation, SH.Warning, SH.Info)
    shape_results = [p for p in problems if p.source != "loader"]
    assert all(p.focus for p in shape_results)


def test_json_and_every_format_render_a_conforming_submission(example: Path, reference: Reference) -> None:
    problems = check(example, reference).problems
    assert json.loads(render(problems, "json"))["conforms"] is True
    for fmt in REPORT_FORMATS:
        assert render(problems, fmt)


def test_validate_writes_a_report_file_and_exits_1(sample: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    assert main(["validate", str(sample), "--format", "html", "-o", str(out)]) == 1
    assert "mechanisms.csv" in out.read_text(encoding="utf-8")


def test_validate_an_rdf_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "agreement.ttl"
    data.write_text(
        "@prefix coop: <https://w3id.org/coopkg/ontology#> .\n<https://example.org/a> a coop:Agreement .\n",
        encoding="utf-8",
    )
    assert main(["validate", str(data), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert {p["focus"] for p in report["problems"]} == {"https://example.org/a"}
    assert {p["file"] for p in report["problems"]} == {"agreement.ttl"}


def test_validate_the_whole_store(
    tmp_path: Path, example: Path, reference: Reference, capsys: pytest.CaptureFixture[str]
) -> None:
    store_path = tmp_path / "store"
    with Store(store_path) as store:
        load(example, store, reference)
    assert main(["validate", "--store", str(store_path)]) == 0
    capsys.readouterr()
    with Store(store_path) as store:  # an outcome gets a second count, as text, behind the loader's back
        node = NamedNode(
            "https://w3id.org/coopkg/id/tibet-expo-2023/outcome/expo-strategic-cooperation-agreements"
        )
        graph = graph_iri("tibet-expo-2023")
        store.add([Quad(node, COOP.agreementCount, Literal("-3"), graph)])
    assert main(["validate", "--store", str(store_path), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert any(p["focus"] == node.value for p in report["problems"])


def test_validate_refuses_what_is_neither_dataset_nor_rdf(tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("hello", encoding="utf-8")
    assert main(["validate", str(other)]) == 2


@pytest.mark.parametrize(("date", "warned"), [("2023-07-01", True), ("2024", True), ("2023-06", False)])
def test_a_date_after_the_source_release_is_a_warning(
    tmp_path: Path, example: Path, reference: Reference, date: str, warned: bool
) -> None:
    folder = tmp_path / "dated"
    shutil.copytree(example, folder)
    edit(folder / "events.csv", "2023-06-18", date)  # the source was released 2023-06-20
    for engine in ("sparql", "pyshacl"):
        found = [
            p
            for p in check(folder, reference, engine=engine).problems
            if p.source.endswith("Event-startDate-after-source")
        ]
        assert [(p.file, p.line, p.field, p.severity) for p in found] == (
            [("events.csv", 3, "start_date", Severity.WARNING)] if warned else []
        ), engine


def test_a_region_under_a_region_of_its_own_level_is_refused(reference: Reference) -> None:
    from coopkg.ingest import reference_graphs
    from coopkg.validation import validate_graphs

    store = Store()
    store.replace_graphs(reference_graphs(reference))
    dalian, shenyang = reference.gazetteer.resolve("Dalian"), reference.gazetteer.resolve("Shenyang")
    assert validate_graphs(store) == []  # the gazetteer itself conforms
    wrong = Quad(dalian, COOP.parentRegion, shenyang, graph_iri("regions"))  # prefecture under prefecture
    store.add([wrong])
    found = {(p.focus, p.source.rsplit("#", 1)[-1]) for p in validate_graphs(store)}
    assert (dalian.value, "Region-parentRegion-level") in found
    # pySHACL, the reference engine, on the two regions and what they lead to (the whole gazetteer
    # takes it minutes)
    small = Store()
    small.add([*reference.about([dalian.value, shenyang.value]), wrong])
    found = {(p.focus, p.source.rsplit("#", 1)[-1]) for p in validate_graphs(small, engine="pyshacl")}
    assert (dalian.value, "Region-parentRegion-level") in found
