"""A JSON Schema (draft 2020-12) for each record kind, generated from :data:`~coopkg.loaders.kinds.KINDS`.

A schema describes one record as JSON, JSON Lines and YAML files hold it: an object with ``kind``,
``id`` and the kind's fields. It says what the loader reads (see :mod:`coopkg.loaders.rows` and
:mod:`coopkg.loaders.mapping`):

- a field with several values is a list, or one string separating them with ``|``; each string is
  split at ``|`` and trimmed, and empty values are dropped;
- a missing field, ``null`` and ``""`` all mean no value, so an optional field may be any of them
  and a required one must hold a value;
- the loader reads a number as its text, so where a number, a year or a code is meant it may be a
  number: ``edition: 5``, ``value: 53183000000``, ``start_date: 2023``, ``acts_for: 540600``;
- a member that is not a field of the kind is refused; the required fields are those of
  :data:`~coopkg.loaders.kinds.KINDS` (the SHACL shapes refuse a record without them).

Where the loader takes more than the documented form, a schema asks for the documented form: text is
a string (not a number), a field of one value is not a list, a measure has no blanks around it, and
a member that is not a field is refused even when it is ``null``. Some checks need more than a
pattern and are left to the loader: a date that does not exist (2023-02-30), whether a reference, a
region or a concept resolves. The SHACL shapes check more once the records are RDF (an agreement's
two parties, a currency's ISO 4217 code); a schema does not repeat them.

>>> s = json_schema("event")
>>> s["$id"], s["required"]
('https://w3id.org/coopkg/schema/event.schema.json', ['kind', 'id', 'name', 'source'])
>>> s["properties"]["edition"]["anyOf"][0]
{'type': 'integer', 'minimum': 1}
>>> sorted(schema_files())[:2]
['activity.schema.json', 'agreement.schema.json']

``make docs`` writes :func:`schema_files` to ``docs/schema/``; a test keeps them in step.
"""

from __future__ import annotations

import json
import re
from typing import Any

from coopkg.loaders.kinds import ID_DESCRIPTION, KINDS, MEASURES, MULTI_SEPARATOR, Field, FieldType
from coopkg.loaders.manifest import SLUG

__all__ = ["SCHEMA_BASE", "json_schema", "schema_file_name", "schema_files", "schema_text"]

#: Where the schemas are published: ``{SCHEMA_BASE}{kind}.schema.json``.
SCHEMA_BASE = "https://w3id.org/coopkg/schema/"
DRAFT = "https://json-schema.org/draft/2020-12/schema"

Schema = dict[str, Any]

# The text of one value, without the ^…$ anchors (ECMAScript and Python read these alike).
_ID = SLUG.pattern.removeprefix("^").removesuffix("$")
# YYYY-MM-DD, YYYY-MM or YYYY, as mapping._DATE_FORMS and strptime take them (year 0 is refused)
_DATE = r"(?!0000)[0-9]{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12][0-9]|3[01]))?)?"
_POSITIVE_INTEGER = r"[0-9]*[1-9][0-9]*"
_DECIMAL = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_SEPARATOR = re.escape(MULTI_SEPARATOR)
# A record of this dataset, RECORD-ID, or of another dataset in the store, DATASET-ID:RECORD-ID
_REFERENCE = rf"(?:{_ID}:)?{_ID}"

# The pattern a value's text must match (None: any text), and what it may be written as instead.
_TEXT: dict[FieldType, str | None] = {
    FieldType.DATE: _DATE,
    FieldType.POSITIVE_INTEGER: _POSITIVE_INTEGER,
    FieldType.DECIMAL: _DECIMAL,
    FieldType.REFERENCE: _REFERENCE,
    FieldType.SOURCE: _ID,
}
_NUMBER: dict[FieldType, Schema] = {
    FieldType.DATE: {"type": "integer", "minimum": 1000, "maximum": 9999},  # a year
    FieldType.POSITIVE_INTEGER: {"type": "integer", "minimum": 1},
    FieldType.DECIMAL: {"type": "number"},
    FieldType.REGION: {"type": "integer", "minimum": 0},  # a GB/T 2260 code
    FieldType.PARTY: {"type": "integer", "minimum": 0},
    FieldType.REFERENCE: {"type": "integer", "minimum": 0},  # an id of digits only
    FieldType.SOURCE: {"type": "integer", "minimum": 0},
}


def _string(core: str | None, *, multi: bool, required: bool) -> Schema:
    """A string holding one value (or, for ``multi``, values separated by ``|``), trimmed.

    ``core`` is the pattern of one value's text (``None``: any text); ``required``: not only blanks.
    """
    blank, filled = rf"[\s{_SEPARATOR}]", rf"[^\s{_SEPARATOR}]"
    if core is None:
        if not required:
            return {"type": "string"}
        return {"type": "string", "pattern": filled if multi else r"\S"}
    if not multi:
        return {"type": "string", "pattern": rf"^\s*(?:{core}){'' if required else '?'}\s*$"}
    part = rf"\s*(?:{core})?\s*"
    pattern = rf"{part}(?:{_SEPARATOR}{part})*"
    if required:
        pattern = rf"(?={blank}*{filled}){pattern}"
    return {"type": "string", "pattern": f"^{pattern}$"}


def _values(field_type: FieldType | None, *, multi: bool, required: bool) -> list[Schema]:
    """The ways one JSON value of a field (``None``: of ``id``) may be written; one item, for a list."""
    if field_type is FieldType.MEASURE:
        return [{"enum": list(MEASURES)}]
    core: str | None = _ID
    number: Schema | None = _NUMBER[FieldType.REFERENCE]
    if field_type is not None:
        core, number = _TEXT.get(field_type), _NUMBER.get(field_type)
    string = _string(core, multi=multi, required=required)
    return [dict(number), string] if number else [string]


def _one_of(ways: list[Schema]) -> Schema:
    """``anyOf`` the ways; the one way itself; or a list of types, when the ways are only types."""
    if len(ways) == 1:
        return dict(ways[0])
    if all(way.keys() == {"type"} for way in ways):
        return {"type": [way["type"] for way in ways]}
    return {"anyOf": ways}


def _field(f: Field) -> Schema:
    required, absent = f.required, [{"type": "null"}]
    ways = _values(f.type, multi=f.multi, required=required)
    if f.multi:
        items = _one_of(_values(f.type, multi=True, required=False) + absent)
        array: Schema = {"type": "array", "items": items}
        if required:
            array["contains"] = _one_of(ways)
        ways = [*ways, array]
    if not required:
        ways = ways + absent
    return {"title": f.describe_type(), "description": f.description, **_one_of(ways)}


def json_schema(kind: str) -> Schema:
    """The JSON Schema of one record of a kind, as a JSON, JSON Lines or YAML file holds it."""
    k = KINDS[kind]
    properties: Schema = {
        "kind": {"title": "kind", "description": "The record's kind.", "const": k.name},
        "id": {
            "title": "id",
            "description": ID_DESCRIPTION,
            **_one_of(_values(None, multi=False, required=True)),
        },
    }
    for f in k.fields:
        properties[f.name] = _field(f)
    return {
        "$schema": DRAFT,
        "$id": f"{SCHEMA_BASE}{schema_file_name(kind)}",
        "title": f"A coopkg {k.name} record",
        "description": (
            f"{k.description} One object of a JSON, JSON Lines or YAML record file; a field with several "
            f"values is a list or one string separating them with {MULTI_SEPARATOR}; null or an empty "
            "string is no value. Generated from coopkg/loaders/kinds.py by `make docs`; "
            "see docs/records.md."
        ),
        "type": "object",
        "properties": properties,
        "required": ["kind", "id", *(f.name for f in k.fields if f.required)],
        "additionalProperties": False,
    }


def schema_file_name(kind: str) -> str:
    """``{kind}.schema.json``: a kind's schema in ``docs/schema/`` and under :data:`SCHEMA_BASE`."""
    return f"{kind}.schema.json"


def schema_text(kind: str) -> str:
    """A kind's schema as it is written to its file: sorted keys, indented by 2, a final newline."""
    return json.dumps(json_schema(kind), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def schema_files() -> dict[str, str]:
    """The file name and text of every kind's schema: what ``docs/schema/`` holds."""
    return {schema_file_name(kind): schema_text(kind) for kind in KINDS}
