"""The JSON Schemas of the record kinds: generated from kinds.py, committed in step, true to the loader."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped, unused-ignore]
from jsonschema import Draft202012Validator

from coopkg.loaders import read_dataset
from coopkg.loaders.kinds import KINDS, MULTI_SEPARATOR, FieldType
from coopkg.loaders.records import Record, read_records
from coopkg.loaders.schema import SCHEMA_BASE, json_schema, schema_files
from coopkg.reference import Reference

ROOT = Path(__file__).parents[1]
SCHEMAS = ROOT / "docs" / "schema"
FIXTURES = Path(__file__).parent / "fixtures"
MINIMAL = FIXTURES / "datasets" / "minimal"
SOURCE = "test-daily-2024-01-02"  # the minimal dataset's source


def validator(kind: str) -> Draft202012Validator:
    return Draft202012Validator(json_schema(kind))


def errors(record: dict[str, Any]) -> list[str]:
    """What the schema of the record's kind finds wrong with it."""
    return [e.message for e in validator(record["kind"]).iter_errors(record)]


# --- generated and committed ----------------------------------------------------------------------


def test_committed_schemas_are_generated_from_the_kinds() -> None:
    committed = {p.name: p.read_text(encoding="utf-8") for p in SCHEMAS.glob("*.schema.json")}
    generated = schema_files()
    assert sorted(committed) == sorted(generated), "run `make docs`"
    for name, text in generated.items():
        assert committed[name] == text, f"docs/schema/{name} differs from kinds.py: run `make docs`"


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_schema_is_draft_2020_12_and_names_the_kind(kind: str) -> None:
    schema = json_schema(kind)
    Draft202012Validator.check_schema(schema)
    assert (
        schema["$id"]
        == f"{SCHEMA_BASE}{kind}.schema.json"
        == f"https://w3id.org/coopkg/schema/{kind}.schema.json"
    )
    assert schema["properties"]["kind"]["const"] == kind
    assert set(schema["properties"]) == {"kind", *KINDS[kind].field_names}
    assert schema["required"] == ["kind", "id", *(f.name for f in KINDS[kind].fields if f.required)]


# --- the records coopkg reads meet the schemas -------------------------------------------------------


def as_object(record: Record, *, typed: bool) -> dict[str, Any]:
    """A record as a JSON object: strings and lists, or (``typed``) numbers as numbers and several
    values as one ``|``-separated string."""
    obj: dict[str, Any] = {"kind": record.kind}
    for name, values in record.values.items():
        field = None if name == "id" else KINDS[record.kind].field(name)
        if field is None or not field.multi:
            [value] = values
            obj[name] = typed_value(field.type, value) if typed and field else value
        else:
            obj[name] = MULTI_SEPARATOR.join(values) if typed else values
    return obj


def typed_value(field_type: FieldType, text: str) -> object:
    if field_type is FieldType.POSITIVE_INTEGER or (field_type is FieldType.DATE and len(text) == 4):
        return int(text)
    if field_type is FieldType.DECIMAL:
        number = Decimal(text)
        return int(number) if number == number.to_integral_value() else float(number)
    return text


def contents(records: list[Record]) -> list[tuple[str, list[tuple[str, list[str]]]]]:
    return sorted((r.kind, sorted(r.values.items())) for r in records)


@pytest.mark.parametrize("typed", [False, True], ids=["strings", "typed"])
def test_the_example_as_json_meets_the_schemas(example: Path, tmp_path: Path, typed: bool) -> None:
    records = read_records(example, [])
    assert {r.kind for r in records} == set(KINDS)
    objects = [as_object(r, typed=typed) for r in records]
    for obj in objects:
        assert errors(obj) == [], obj["id"]
    # and these objects are what the loader reads: as a JSON file, the same records as the CSV files
    folder = tmp_path / "json"
    folder.mkdir()
    shutil.copy(example / "manifest.toml", folder / "manifest.toml")
    (folder / "records.json").write_text(json.dumps(objects, ensure_ascii=False), encoding="utf-8")
    problems: list[Any] = []
    assert contents(read_records(folder, problems)) == contents(records)
    assert problems == []


def test_the_yaml_fixture_meets_the_schemas() -> None:
    text = (FIXTURES / "formats" / "yaml" / "records.yaml").read_text(encoding="utf-8")
    # a YAML date is a date to PyYAML and a string to JSON Schema tools (and to coopkg)
    objects = json.loads(json.dumps(yaml.safe_load(text), default=dt.date.isoformat))
    assert objects
    for obj in objects:
        assert errors(obj) == [], obj["id"]


# --- records that do not meet them ------------------------------------------------------------------

ANY = "is not valid under any of the given schemas"
EVENT = {"kind": "event", "id": "expo-1", "name": "Test Expo", "source": SOURCE}
OUTCOME = {
    "kind": "outcome",
    "id": "o1",
    "name": "Agreed investment",
    "event": "expo-1",
    "measure": "agreed-investment",
    "value": 53183000000,
    "currency": "CNY",
    "source": [SOURCE],
}


def test_the_base_records_are_valid() -> None:
    assert errors(EVENT) == []
    assert errors(OUTCOME) == []


@pytest.mark.parametrize(
    ("kind", "record", "wrong"),
    [
        ("event", {**EVENT, "name": None}, "None is not of type 'string'"),
        ("event", {k: v for k, v in EVENT.items() if k != "name"}, "'name' is a required property"),
        ("event", {k: v for k, v in EVENT.items() if k != "source"}, "'source' is a required property"),
        ("event", {k: v for k, v in EVENT.items() if k != "id"}, "'id' is a required property"),
        ("event", {**EVENT, "name": "  "}, "does not match"),
        ("event", {**EVENT, "source": []}, f"[] {ANY}"),
        ("event", {**EVENT, "source": " | "}, ANY),
        ("event", {**EVENT, "edition": "five"}, ANY),
        ("event", {**EVENT, "edition": 0}, ANY),
        ("event", {**EVENT, "edition": {"number": 5}}, ANY),
        ("event", {**EVENT, "name": ["Test Expo"]}, "is not of type 'string'"),
        ("event", {**EVENT, "start_date": "2023-13-01"}, ANY),
        ("event", {**EVENT, "start_date": "20 June 2023"}, ANY),
        ("event", {**EVENT, "part_of": "Tibet Expo"}, ANY),
        ("event", {**EVENT, "colour": "red"}, "('colour' was unexpected)"),
        ("event", {**EVENT, "kind": "agreement"}, "'event' was expected"),
        ("outcome", {**OUTCOME, "measure": "count"}, "is not one of ['agreement-count',"),
        ("outcome", {**OUTCOME, "value": "53 billion"}, ANY),
        ("outcome", {**OUTCOME, "value": True}, ANY),
    ],
)
def test_a_wrong_record_fails_its_schema(kind: str, record: dict[str, Any], wrong: str) -> None:
    found = [e.message for e in validator(kind).iter_errors(record)]
    assert any(wrong in message for message in found), found


# --- the schemas accept what the loader accepts, and refuse what it refuses ---------------------------


@pytest.mark.parametrize(
    ("base", "field", "value", "accepted"),
    [
        (EVENT, "start_date", "2024", True),
        (EVENT, "start_date", "2024-06", True),
        (EVENT, "start_date", "2024-06-20", True),
        (EVENT, "start_date", " 2024-06-20 ", True),
        (EVENT, "start_date", 2024, True),
        (EVENT, "start_date", "", True),
        (EVENT, "start_date", None, True),
        (EVENT, "start_date", "2024-13", False),
        (EVENT, "start_date", "0000", False),
        (EVENT, "start_date", "24", False),
        (EVENT, "start_date", 24, False),
        (EVENT, "start_date", "2024/06/20", False),
        (EVENT, "edition", 5, True),
        (EVENT, "edition", 5.0, True),
        (EVENT, "edition", "007", True),
        (EVENT, "edition", 0, False),
        (EVENT, "edition", "0", False),
        (EVENT, "edition", -1, False),
        (EVENT, "edition", "five", False),
        (EVENT, "edition", 5.5, False),
        (EVENT, "id", "expo-1", True),
        (EVENT, "id", 2024, True),
        (EVENT, "id", "Expo 1", False),
        (EVENT, "id", "", False),
        (EVENT, "source", SOURCE, True),
        (EVENT, "source", [SOURCE, None], True),
        (EVENT, "source", f" {SOURCE} |", True),
        (EVENT, "location", 540600, True),
        (EVENT, "location", "Nagqu", True),
        (EVENT, "colour", "red", False),
        (OUTCOME, "value", "53183000000", True),
        (OUTCOME, "value", "1.5e3", True),
        (OUTCOME, "value", -2.5, True),
        (OUTCOME, "value", "53 billion", False),
        (OUTCOME, "measure", "agreement-count", True),
        (OUTCOME, "measure", "count", False),
    ],
)
def test_the_schema_and_the_loader_agree(
    tmp_path: Path, reference: Reference, base: dict[str, Any], field: str, value: object, accepted: bool
) -> None:
    record = {**base, field: value}
    folder = tmp_path / "dataset"
    folder.mkdir()
    shutil.copy(MINIMAL / "manifest.toml", folder / "manifest.toml")
    (folder / "records.json").write_text(json.dumps([record]), encoding="utf-8")
    problems = read_dataset(folder, reference).problems
    about = [str(p) for p in problems if p.field in (field, None)]
    assert (about == []) is accepted, about
    assert (errors(record) == []) is accepted, errors(record)
