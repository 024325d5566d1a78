"""Every format data stewards send loads the same records, and every broken input says where.

Binary inputs (workbooks, GB18030 text) are made here, in tmp_path; text fixtures are in
tests/fixtures/formats/.
"""

from __future__ import annotations

import csv
import datetime as dt
import http.server
import io
import shutil
import threading
import time
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import rdflib
from pyoxigraph import NamedNode
from rdflib.compare import isomorphic

import coopkg.loaders.rdfinput as rdfinput
from coopkg.errors import CoopkgError, Problem, Severity
from coopkg.ingest import check
from coopkg.loaders import read_dataset
from coopkg.loaders.kinds import KINDS, FieldType
from coopkg.loaders.records import MAX_CELL, Record, rdf_files, read_rdf, read_records, record_files
from coopkg.reference import Reference
from coopkg.validation import to_rdflib

FIXTURES = Path(__file__).parent / "fixtures"
FORMATS = FIXTURES / "formats"
MINIMAL = FIXTURES / "datasets" / "minimal"

Contents = list[tuple[str, list[tuple[str, list[str]]]]]


def contents(records: list[Record]) -> Contents:
    """What records say, whatever the format: kind and values, in a stable order."""
    return sorted((r.kind, sorted(r.values.items())) for r in records)


def read(folder: Path, **kwargs: str) -> tuple[list[Record], list[Problem]]:
    problems: list[Problem] = []
    return list(read_records(folder, problems, **kwargs)), problems


def only(problems: list[Problem], file: str) -> Problem:
    [problem] = [p for p in problems if p.file == file]
    return problem


def dataset_with(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    """The minimal dataset's manifest with the given record files (text is written as UTF-8)."""
    folder = tmp_path / "dataset"
    folder.mkdir()
    shutil.copy(MINIMAL / "manifest.toml", folder / "manifest.toml")
    for name, data in files.items():
        if isinstance(data, str):
            data = data.encode("utf-8")
        (folder / name).write_bytes(data)
    return folder


def mapped_graph(folder: Path, reference: Reference) -> rdflib.Graph:
    submission = read_dataset(folder, reference)
    assert submission.problems == []
    return to_rdflib(submission.quads)


# --- writing a CSV dataset in the other formats -----------------------------------------------------


def csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def typed(kind: str, column: str, text: str) -> object:
    """A CSV cell as a spreadsheet holds it: dates as dates, numbers as numbers (counts as 5.0)."""
    if not text or column == "id":
        return text or None
    field_type = KINDS[kind].field(column).type
    if field_type == FieldType.DATE and len(text) == 10:
        return dt.date.fromisoformat(text)
    if field_type == FieldType.POSITIVE_INTEGER:
        return float(text)
    if field_type == FieldType.DECIMAL:
        number = Decimal(text)
        return int(number) if number == number.to_integral_value() else float(number)
    return text


def write_workbook(source: Path, target: Path) -> None:
    """One sheet per CSV file of ``source``, named after it, with typed cells."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for path in sorted(source.glob("*.csv")):
        sheet = workbook.create_sheet(path.stem)
        header, *rows = csv_rows(path)
        kind = next(r.kind for r in read_records(source, []) if r.file == path.name)
        sheet.append(header)
        for row in rows:
            sheet.append([typed(kind, c, v) for c, v in zip(header, row, strict=True)])
    workbook.save(target)


def write_yaml(records: list[Record], target: Path) -> None:
    lines = []
    for record in records:
        lines.append(f"- kind: {record.kind}")
        for name, values in record.values.items():
            multi = name != "id" and KINDS[record.kind].field(name).multi
            quoted = [f"'{v}'" for v in (v.replace("'", "''") for v in values)]
            lines.append(f"  {name}: [{', '.join(quoted)}]" if multi else f"  {name}: {quoted[0]}")
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")


def convert(example: Path, tmp_path: Path, form: str) -> Path:
    """The example dataset written as TSV, an Excel workbook, YAML, GB18030 CSV or CSV with a BOM."""
    folder = tmp_path / form
    folder.mkdir()
    shutil.copy(example / "manifest.toml", folder / "manifest.toml")
    if form == "xlsx":
        write_workbook(example, folder / "records.xlsx")
    elif form == "yaml":
        write_yaml(list(read_records(example, [])), folder / "records.yaml")
    for path in example.glob("*.csv"):
        text = path.read_text(encoding="utf-8")
        if form == "tsv":
            rows = csv_rows(path)
            tsv = "".join("\t".join(row) + "\n" for row in rows)
            (folder / f"{path.stem}.tsv").write_text(tsv, encoding="utf-8")
        elif form == "gb18030":
            (folder / path.name).write_bytes(text.encode("gb18030"))
        elif form == "bom":
            (folder / path.name).write_bytes(text.encode("utf-8-sig"))
    return folder


# --- every format loads the same records --------------------------------------------------------------


def test_tsv_and_yaml_fixtures_hold_the_minimal_dataset() -> None:
    expected = contents(read(MINIMAL)[0])
    assert len(expected) == 3
    for folder in (FORMATS / "tsv", FORMATS / "yaml"):
        records, problems = read(folder)
        assert problems == []
        assert contents(records) == expected
    yaml_records = read(FORMATS / "yaml")[0]
    assert [(r.file, r.line) for r in yaml_records] == [
        ("records.yaml", 2),
        ("records.yaml", 12),
        ("records.yaml", 21),
    ]


@pytest.mark.parametrize("form", ["tsv", "xlsx", "yaml", "gb18030", "bom"])
def test_every_format_loads_the_same_records_and_graph(
    form: str, example: Path, tmp_path: Path, reference: Reference
) -> None:
    folder = convert(example, tmp_path, form)
    encoding = {"encoding": "gb18030"} if form == "gb18030" else {}
    records, problems = read(folder, **encoding)
    assert problems == []
    assert contents(records) == contents(read(example)[0])
    if form != "gb18030":  # read_dataset reads UTF-8: the CLI passes --encoding through
        assert isomorphic(mapped_graph(folder, reference), mapped_graph(example, reference))


def test_a_workbook_keeps_sheet_and_row(example: Path, tmp_path: Path, reference: Reference) -> None:
    folder = convert(example, tmp_path, "xlsx")
    records = read(folder)[0]
    events = [r for r in records if r.kind == "event"]
    assert [(r.file, r.sheet, r.line) for r in events[:2]] == [
        ("records.xlsx", "events", 2),
        ("records.xlsx", "events", 3),
    ]
    assert events[0].problem_file == "records.xlsx[events]"
    assert events[0].location == "sheet events, row 2"
    assert events[0].get("edition") == ["5"]  # the cell holds 5.0
    assert check(folder, reference).violations == []


def test_workbook_cells_become_text(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Events"  # a sheet's name is read without regard to case
    sheet.append(["id", "name", "edition", "start_date", "series", "part_of"])
    sheet.append(["e1", "First", 5.0, dt.datetime(2024, 1, 2), True, None])
    sheet.append([])
    sheet.append(["e2", 2.5, 7, dt.date(2024, 3, 4), "  Spaced  ", ""])
    sheet["B6"] = "=1/0"
    sheet["A6"] = "e3"
    workbook.save(tmp_path / "data.xlsx")
    records, problems = read(tmp_path)
    assert [(r.line, r.values) for r in records] == [
        (
            2,
            {
                "id": ["e1"],
                "name": ["First"],
                "edition": ["5"],
                "start_date": ["2024-01-02"],
                "series": ["true"],
            },
        ),
        (
            4,
            {
                "id": ["e2"],
                "name": ["2.5"],
                "edition": ["7"],
                "start_date": ["2024-03-04"],
                "series": ["Spaced"],
            },
        ),
        (6, {"id": ["e3"]}),
    ]
    assert records[0].sheet == "Events"
    # openpyxl writes formulas without their results: the cell is read as empty, not as its formula
    assert problems == []


def test_a_formula_error_is_reported_with_its_cell(tmp_path: Path) -> None:
    # what Excel stores for =1/0: the formula and its cached result, the error #DIV/0!
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "events"
    sheet.append(["id", "name"])
    sheet.append(["e1", "x"])
    workbook.save(tmp_path / "data.xlsx")
    path = tmp_path / "data.xlsx"
    with zipfile.ZipFile(path) as archive:
        parts = {i.filename: archive.read(i) for i in archive.infolist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    cell = xml[xml.index('<c r="B2"') : xml.index("</c>", xml.index('<c r="B2"')) + 4]
    parts["xl/worksheets/sheet1.xml"] = xml.replace(
        cell, '<c r="B2" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
    ).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    records, problems = read(tmp_path)
    problem = only(problems, "data.xlsx[events]")
    assert (problem.line, problem.value) == (2, "#DIV/0!")
    assert "cell B2 holds a formula error" in problem.message
    assert records[0].values == {"id": ["e1"]}


# --- CSV and TSV problems -----------------------------------------------------------------------------


def test_gb18030_without_encoding_names_file_line_offset_and_the_option(tmp_path: Path) -> None:
    data = "id,name,source\nexpo-1,北京,s\n".encode("gb18030")
    (tmp_path / "events.csv").write_bytes(data)
    records, problems = read(tmp_path)
    assert records == []
    problem = only(problems, "events.csv")
    assert problem.line == 2
    offset = data.index("北".encode("gb18030"))
    assert f"byte offset {offset} cannot be decoded" in problem.message
    assert "--encoding gb18030" in (problem.hint or "")
    assert "UTF-8" in (problem.hint or "")
    records, problems = read(tmp_path, encoding="gb18030")
    assert problems == []
    assert records[0].values["name"] == ["北京"]
    records, problems = read(tmp_path, encoding="GBK")  # GBK is GB18030's two-byte part
    assert records[0].values["name"] == ["北京"]


def test_an_explicit_encoding_and_utf8_files(tmp_path: Path) -> None:
    (tmp_path / "events.csv").write_text("id,name\ne1,拉萨\n", encoding="utf-8")
    (tmp_path / "agreements.csv").write_bytes("id,name\na1,拉萨\n".encode("utf-8-sig"))
    records, problems = read(tmp_path, encoding="gb18030")
    # a byte-order mark says UTF-8 whatever is asked; without one, the asked encoding is used
    assert [r.values["name"] for r in records if r.kind == "agreement"] == [["拉萨"]]
    warning = only(problems, "events.csv")
    assert warning.severity is Severity.WARNING and "valid UTF-8" in warning.message


def test_an_unknown_encoding_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(CoopkgError, match="unknown encoding 'gb-what'"):
        read(tmp_path, encoding="gb-what")


@pytest.mark.parametrize(
    ("name", "text", "separator", "hint"),
    [
        ("events.csv", "id;name;source\ne1;One;s\n", "semicolons", "commas"),
        ("events.csv", "id\tname\tsource\ne1\tOne\ts\n", "tabs", ".tsv"),
        ("events.tsv", "id,name,source\ne1,One,s\n", "commas", ".csv"),
    ],
)
def test_a_wrong_delimiter_is_named(tmp_path: Path, name: str, text: str, separator: str, hint: str) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    records, problems = read(tmp_path)
    assert records == []
    problem = only(problems, name)
    assert problem.line == 1
    assert f"separated by {separator}" in problem.message
    assert hint in (problem.hint or "")


def test_a_missing_header(tmp_path: Path) -> None:
    (tmp_path / "events.csv").write_text(
        "expo-1,First Test Expo,expo\nexpo-2,Second,forum\n", encoding="utf-8"
    )
    records, problems = read(tmp_path)
    assert records == []
    problem = only(problems, "events.csv")
    assert problem.line == 1
    assert "the first row is not a header" in problem.message and "'expo-1'" in problem.message
    assert (problem.hint or "").startswith("put a header row of field names first: id,name,")


def test_empty_and_repeated_column_names(tmp_path: Path) -> None:
    (tmp_path / "events.csv").write_text("id,name,,name,source\ne1,One,lost,Two,s\n", encoding="utf-8")
    records, problems = read(tmp_path)
    repeated = next(p for p in problems if p.field == "name")
    assert (repeated.file, repeated.line) == ("events.csv", 1)
    assert repeated.message == "column 4 repeats the column name of column 2"
    nameless = next(p for p in problems if p.field is None)
    assert (nameless.file, nameless.line) == ("events.csv", 1)
    assert nameless.message == "column 3 has no name in the header, yet line 2 holds a value in it"
    assert records[0].values == {"id": ["e1"], "name": ["One"], "source": ["s"]}
    # a column without a name and without values is harmless: trailing separators, for instance
    (tmp_path / "events.csv").write_text("id,name,\ne1,One,\n", encoding="utf-8")
    assert read(tmp_path)[1] == []


def test_a_quote_that_swallows_the_rest_of_the_file(tmp_path: Path) -> None:
    (tmp_path / "events.csv").write_text(
        'id,name,source\ne1,One,s\ne2,"Two,s\ne3,Three,s\ne4,Four,s\n', encoding="utf-8"
    )
    records, problems = read(tmp_path)
    assert [r.id for r in records] == ["e1"]
    problem = only(problems, "events.csv")
    assert problem.line == 3
    assert "never closed" in problem.message and "to line 5" in problem.message


def test_a_quote_that_swallows_rows_up_to_another_quote(tmp_path: Path) -> None:
    (tmp_path / "events.tsv").write_text(
        'id\tname\tsource\ne1\tOne\ts\ne2\t"Two\ts\ne3\tThree\ts"\ne4\tFour\ts\n', encoding="utf-8"
    )
    records, problems = read(tmp_path)
    assert [r.id for r in records] == ["e1", "e4"]
    problem = only(problems, "events.tsv")
    assert problem.line == 3
    assert "a quoted cell opened on line 3 runs to line 4" in problem.message


def test_a_10_mb_cell_loads_and_a_larger_one_is_reported(tmp_path: Path) -> None:
    big = "x" * (10 * 1024 * 1024)
    (tmp_path / "events.csv").write_text(f"id,name\ne1,{big}\ne2,Two\n", encoding="utf-8")
    limit = csv.field_size_limit()
    records, problems = read(tmp_path)
    assert problems == []
    assert len(records[0].values["name"][0]) == len(big) and records[1].id == "e2"
    assert csv.field_size_limit() == limit  # the limit is raised only while reading
    (tmp_path / "events.csv").write_text(f'id,name\ne1,One\ne2,"{"y" * (MAX_CELL + 1)}"\n', encoding="utf-8")
    records, problems = read(tmp_path)
    assert [r.id for r in records] == ["e1"]
    problem = only(problems, "events.csv")
    assert problem.line == 3 and "longer than 16,777,216 characters" in problem.message


def test_a_nul_character_is_not_text(tmp_path: Path) -> None:
    (tmp_path / "events.csv").write_bytes(b"id,name\ne1,One\x00\n")
    problem = only(read(tmp_path)[1], "events.csv")
    assert problem.line == 2 and "NUL" in problem.message


def test_unknown_columns_are_still_reported_by_check(tmp_path: Path, reference: Reference) -> None:
    folder = dataset_with(
        tmp_path,
        {
            "events.tsv": "id\tname\tcolour\tsource\nexpo-1\tFirst Test Expo\tred\ttest-daily-2024-01-02\n",
        },
    )
    problems = check(folder, reference).violations
    assert ("events.tsv", 2, "colour") in {(p.file, p.line, p.field) for p in problems}


def test_mapper_problems_name_the_sheet(tmp_path: Path, reference: Reference) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "events"
    sheet.append(["id", "name", "colour", "source"])
    sheet.append(["expo-1", "First Test Expo", "red", "test-daily-2024-01-02"])
    buffer = tmp_path / "data.xlsx"
    workbook.save(buffer)
    folder = dataset_with(tmp_path, {"data.xlsx": buffer.read_bytes()})
    problems = check(folder, reference).violations
    assert ("data.xlsx[events]", 2, "colour") in {(p.file, p.line, p.field) for p in problems}


# --- truncated and empty files ----------------------------------------------------------------------


def test_truncated_files(tmp_path: Path, example: Path) -> None:
    (tmp_path / "events.csv").write_text("id,name,source\ne1,One,s\ne2,Tw", encoding="utf-8")
    (tmp_path / "more.json").write_text('[{"kind": "event", "id": "e3"},\n {"kind": "ev', encoding="utf-8")
    (tmp_path / "more.yaml").write_text(
        "- kind: event\n  id: e4\n- kind: event\n  id: [e5\n", encoding="utf-8"
    )
    write_workbook(example, tmp_path / "data.xlsx")
    data = (tmp_path / "data.xlsx").read_bytes()
    (tmp_path / "data.xlsx").write_bytes(data[: len(data) // 2])
    shutil.copy(FORMATS / "rdf" / "broken.ttl", tmp_path / "broken.ttl")
    records, problems = read(tmp_path)
    assert sorted(r.id for r in records) == ["e1", "e3"]
    where = {p.file: p for p in problems}
    assert where["events.csv"].line == 3 and where["events.csv"].message == "2 cells where the header has 3"
    assert where["more.json"].line == 2 and "not valid JSON" in where["more.json"].message
    assert where["more.yaml"].line == 5 and "not valid YAML" in where["more.yaml"].message
    assert "truncated or damaged" in where["data.xlsx"].message
    rdf_problems: list[Problem] = []
    assert [i.file for i in read_rdf(tmp_path, rdf_problems)] == []
    [broken] = rdf_problems
    assert (broken.file, broken.line) == ("broken.ttl", 4)
    assert broken.message.startswith("not valid Turtle: ")


@pytest.mark.parametrize("name", ["events.csv", "events.tsv", "more.json", "more.jsonl", "more.yaml"])
def test_an_empty_file(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text("\n", encoding="utf-8")
    problem = only(read(tmp_path)[1], name)
    assert (problem.line, problem.message) == (1, "empty file")


def test_an_empty_sheet_and_an_empty_rdf_file(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.title = "events"
    workbook.create_sheet("Sheet2")  # an unknown sheet with nothing in it is ignored
    workbook.save(tmp_path / "data.xlsx")
    (tmp_path / "extra.ttl").write_text("", encoding="utf-8")
    problem = only(read(tmp_path)[1], "data.xlsx[events]")
    assert (problem.line, problem.message) == (1, "empty sheet")
    rdf_problems: list[Problem] = []
    read_rdf(tmp_path, rdf_problems)
    assert [(p.file, p.message) for p in rdf_problems] == [("extra.ttl", "empty file")]


# --- workbooks that are refused ----------------------------------------------------------------------


def test_an_unknown_sheet_is_named(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.title = "Notes"
    workbook.active.append(["written by the data steward"])
    events = workbook.create_sheet("events")
    events.append(["id", "name"])
    events.append(["e1", "One"])
    workbook.save(tmp_path / "data.xlsx")
    records, problems = read(tmp_path)
    assert [r.id for r in records] == ["e1"]
    problem = only(problems, "data.xlsx[Notes]")
    assert "the sheet 'Notes'" in problem.message
    assert "agreements" in (problem.hint or "")


def test_macros_and_old_workbooks_are_refused(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.title = "events"
    workbook.active.append(["id", "name"])
    workbook.save(tmp_path / "macros.xlsx")
    with zipfile.ZipFile(tmp_path / "macros.xlsx", "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\x00" * 16)
    shutil.copy(tmp_path / "macros.xlsx", tmp_path / "data.xlsm")
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    (tmp_path / "old.xls").write_bytes(ole2)
    (tmp_path / "renamed.xlsx").write_bytes(ole2)
    records, problems = read(tmp_path)
    assert records == []
    messages = {p.file: p.message for p in problems}
    assert "macros" in messages["macros.xlsx"]
    assert "macro-enabled" in messages["data.xlsm"]
    assert "old Excel .xls" in messages["old.xls"]
    assert "old Excel .xls" in messages["renamed.xlsx"]
    assert all(".xlsx" in (p.hint or "") for p in problems)
    assert [p.name for p in record_files(tmp_path)] == ["macros.xlsx", "renamed.xlsx"]


def test_a_workbook_part_with_a_doctype_is_refused(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.title = "events"
    workbook.save(tmp_path / "data.xlsx")
    with zipfile.ZipFile(tmp_path / "data.xlsx") as archive:
        parts = {i.filename: archive.read(i) for i in archive.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + sheet
    with zipfile.ZipFile(tmp_path / "data.xlsx", "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    problem = only(read(tmp_path)[1], "data.xlsx")
    assert "xl/worksheets/sheet1.xml declares a DOCTYPE" in problem.message


def test_a_damaged_sheet_is_named(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.title = "events"
    workbook.active.append(["id", "name"])
    workbook.active.append(["e1", "One"])
    workbook.save(tmp_path / "data.xlsx")
    with zipfile.ZipFile(tmp_path / "data.xlsx") as archive:
        parts = {i.filename: archive.read(i) for i in archive.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = sheet[: len(sheet) // 2]
    with zipfile.ZipFile(tmp_path / "data.xlsx", "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    problem = only(read(tmp_path)[1], "data.xlsx[events]")
    assert problem.message.startswith("not a readable .xlsx workbook")


# --- YAML ---------------------------------------------------------------------------------------------


def test_yaml_is_read_safely(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "- kind: event\n  id: !!python/object/apply:os.getcwd []\n", encoding="utf-8"
    )
    (tmp_path / "b.yml").write_text(
        "- &e {kind: event, id: e1}\n- kind: event\n  <<: *e\n  id: e2\n", encoding="utf-8"
    )
    (tmp_path / "c.yaml").write_text("kind: event\nid: e3\n", encoding="utf-8")
    (tmp_path / "d.yaml").write_text("- kind: sponsor\n  id: s1\n- just text\n", encoding="utf-8")
    records, problems = read(tmp_path)
    assert records == []
    found = {(p.file, p.line, p.field): p.message for p in problems}
    assert "not valid YAML" in found[("a.yaml", 1, None)]
    assert "anchors and aliases" in found[("b.yml", 3, None)]
    assert found[("c.yaml", 1, None)] == "a YAML record file holds a list of objects"
    assert found[("d.yaml", 1, "kind")] == "not a record kind"
    assert found[("d.yaml", 3, None)] == "a record is a YAML mapping (key: value)"


# --- RDF ----------------------------------------------------------------------------------------------


def triples_of(folder: Path, name: str) -> set[str]:
    target = folder / "one"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir()
    shutil.copy(FORMATS / "rdf" / name, target / name)
    problems: list[Problem] = []
    [found] = read_rdf(target, problems)
    assert problems == []
    assert found.file == name
    return {str(t) for t in found.triples}


def test_rdf_formats_give_the_same_triples(tmp_path: Path) -> None:
    expected = triples_of(tmp_path, "extra.nt")
    assert len(expected) == 4
    for name in ("extra.ttl", "extra.jsonld", "extra.rdf"):
        assert triples_of(tmp_path, name) == expected, name


def test_rdf_files_are_not_record_files(tmp_path: Path) -> None:
    folder = dataset_with(tmp_path, {"events.csv": "id,name\ne1,One\n"})
    for name in ("extra.ttl", "extra.nt", "extra.jsonld", "extra.rdf"):
        shutil.copy(FORMATS / "rdf" / name, folder / name)
    shutil.copy(FORMATS / "rdf" / "extra.rdf", folder / "more.owl")
    assert [p.name for p in record_files(folder)] == ["events.csv"]
    assert [p.name for p in rdf_files(folder)] == [
        "extra.jsonld",
        "extra.nt",
        "extra.rdf",
        "extra.ttl",
        "more.owl",
    ]
    problems: list[Problem] = []
    inputs = read_rdf(folder, problems)
    assert problems == []
    assert [(i.file, i.format, len(i.triples)) for i in inputs][-1] == ("more.owl", "RDF/XML", 4)


def test_named_graphs_are_refused(tmp_path: Path) -> None:
    shutil.copy(FORMATS / "rdf" / "named.nq", tmp_path / "named.nq")
    (tmp_path / "named.jsonld").write_text(
        '{"@id": "https://example.org/g", "@graph": [{"@id": "https://example.org/a",'
        ' "https://example.org/b": "c"}]}',
        encoding="utf-8",
    )
    problems: list[Problem] = []
    assert read_rdf(tmp_path, problems) == []
    found = {p.file: p for p in problems}
    assert found["named.nq"].value == "<https://example.org/extra/graph>"
    assert "a dataset is one graph" in found["named.nq"].message
    assert "a dataset is one graph" in found["named.jsonld"].message


def test_billion_laughs_rdf_xml_is_refused_before_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(FORMATS / "rdf" / "billion-laughs.rdf", tmp_path / "laughs.rdf")

    def no_parse(*args: object, **kwargs: object) -> Iterator[object]:
        raise AssertionError("the file was parsed")

    monkeypatch.setattr(rdfinput, "parse", no_parse)
    problems: list[Problem] = []
    started = time.monotonic()
    assert read_rdf(tmp_path, problems) == []
    assert time.monotonic() - started < 1
    [problem] = problems
    assert (problem.file, problem.line) == ("laughs.rdf", 2)
    assert "DOCTYPE declaration is refused" in problem.message


def test_rdf_xml_syntax_errors_have_a_line(tmp_path: Path) -> None:
    text = (FORMATS / "rdf" / "extra.rdf").read_text(encoding="utf-8").replace("</ex:since>", "</ex:sinc>")
    (tmp_path / "extra.rdf").write_text(text, encoding="utf-8")
    (tmp_path / "utf16.rdf").write_bytes(text.encode("utf-16"))
    problems: list[Problem] = []
    assert read_rdf(tmp_path, problems) == []
    found = {p.file: p for p in problems}
    assert found["extra.rdf"].line == 8 and found["extra.rdf"].message.startswith("not valid RDF/XML")
    assert found["utf16.rdf"].message == "not RDF/XML in UTF-8"


class ContextServer:
    """A JSON-LD context served on 127.0.0.1, counting the requests it receives."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        requests = self.requests

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                requests.append(self.path)
                body = b'{"@context": {"name": "https://schema.org/name"}}'
                self.send_response(200)
                self.send_header("Content-Type", "application/ld+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/context.jsonld"


@pytest.fixture
def context_server() -> Iterator[ContextServer]:
    server = ContextServer()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


def test_a_remote_json_ld_context_is_never_fetched(
    tmp_path: Path, context_server: ContextServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    import urllib.request

    assert urllib.request.urlopen(context_server.url).status == 200  # the server answers
    context_server.requests.clear()
    url = context_server.url
    documents = {
        "plain.jsonld": f'{{"@context": "{url}", "@id": "https://example.org/a", "name": "A"}}',
        "listed.jsonld": f'{{"@context": [{{"ex": "https://example.org/"}}, "{url}"],'
        ' "@id": "ex:a", "ex:b": "c"}',
        "imported.jsonld": f'{{"@context": {{"@import": "{url}"}}, "@id": "https://example.org/a"}}',
        "nested.jsonld": f'{{"@id": "https://example.org/a", "https://example.org/b":'
        f' {{"@context": "{url}", "name": "B"}}}}',
    }
    for name, text in documents.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    problems: list[Problem] = []
    assert read_rdf(tmp_path, problems) == []
    assert sorted(p.file for p in problems) == sorted(documents)
    for problem in problems:
        assert problem.field == "@context"
        assert "refers to a context by IRI is refused" in problem.message
    # and were coopkg's own check missing, pyoxigraph would still fetch nothing
    monkeypatch.setattr(rdfinput, "_remote_context", lambda data, name: None)
    problems = []
    assert read_rdf(tmp_path, problems) == []
    assert {p.file for p in problems} >= {"plain.jsonld", "listed.jsonld", "imported.jsonld"}
    assert all("refused" in p.message or "not valid" in p.message for p in problems)
    assert context_server.requests == []


def test_rdf_triples_are_pyoxigraph_terms(tmp_path: Path) -> None:
    shutil.copy(FORMATS / "rdf" / "extra.ttl", tmp_path / "extra.ttl")
    [found] = read_rdf(tmp_path, [])
    assert NamedNode("https://example.org/extra/nagqu-museum") in {t.object for t in found.triples}


def test_rdf_files_pass_through_into_the_dataset_graph(dataset, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from coopkg.cli import main

    folder = dataset("minimal")
    (folder / "extra.ttl").write_text(
        "@prefix coop: <https://w3id.org/coopkg/ontology#> .\n"
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        "<https://w3id.org/coopkg/id/minimal/organization/o9> a coop:Organization ;\n"
        '  <http://www.w3.org/2000/01/rdf-schema#label> "Bureau"@en ;\n'
        "  coop:actsFor <https://w3id.org/coopkg/id/region/cn/210200> ;\n"
        "  dcterms:source <https://w3id.org/coopkg/id/minimal/source/test-daily-2024-01-02> .\n",
        encoding="utf-8",
    )
    store = str(tmp_path / "store")
    assert main(["load", str(folder), "--store", store], out=io.StringIO()) == 0
    out = io.StringIO()
    assert main(["provenance", "id:minimal/organization/o9", "--store", store], out=out) == 0
    assert "from extra.ttl, the whole file" in out.getvalue()
    # RDF is validated like records: an organization that acts for nothing is refused
    (folder / "extra.ttl").write_text(
        "<https://w3id.org/coopkg/id/minimal/organization/o9>"
        " a <https://w3id.org/coopkg/ontology#Organization> .\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    assert main(["validate", str(folder)], out=out) == 1
    assert "extra.ttl: organization o9\n  violation: " in out.getvalue()  # the whole file, then the node


def test_the_encoding_option_reads_gb18030(dataset) -> None:  # type: ignore[no-untyped-def]
    from coopkg.cli import main

    folder = dataset("minimal")
    (folder / "events.csv").write_text(
        "id,name,name_zh,start_date,source\n"
        "expo-1,First Test Expo,第一届博览会,2024-01-01,test-daily-2024-01-02\n",
        encoding="utf-8",
    )
    for path in folder.glob("*.csv"):  # a whole submission saved by a Chinese-locale spreadsheet
        path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    out = io.StringIO()
    assert main(["validate", str(folder)], out=out) == 1
    assert "pass --encoding gb18030" in out.getvalue()
    out = io.StringIO()
    assert main(["validate", str(folder), "--encoding", "gb18030"], out=out) == 0, out.getvalue()
