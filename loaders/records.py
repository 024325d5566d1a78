"""Reading record files: CSV (one kind per file), JSON and JSON Lines (objects with a ``kind``).

Every record keeps the file and line it came from, so every problem can point at it.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "events.csv").write_text("id,name\\nexpo,An expo\\n", encoding="utf-8")
>>> [(r.kind, r.file, r.line, r.values) for r in read_records(folder, [])]
[('event', 'events.csv', 2, {'id': ['expo'], 'name': ['An expo']})]
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from coopkg.errors import Problem
from coopkg.loaders.kinds import KINDS, MULTI_SEPARATOR, kind_for_file_stem

RECORD_SUFFIXES = (".csv", ".json", ".jsonl")


@dataclass
class Record:
    """One input record: its kind, where it stands, and its values as text."""

    kind: str
    file: str
    line: int
    values: dict[str, list[str]]

    @property
    def id(self) -> str:
        return self.values.get("id", [""])[0]

    def get(self, name: str) -> list[str]:
        return self.values.get(name, [])


def record_files(folder: Path) -> list[Path]:
    """The record files of a dataset folder, in a stable order."""
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in RECORD_SUFFIXES)


def _decode(path: Path, name: str, problems: list[Problem]) -> str | None:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(
            Problem(
                name,
                line,
                None,
                None,
                f"not UTF-8 (byte {data[exc.start]:#04x} at offset {exc.start})",
                hint="save the file as UTF-8",
            )
        )
        return None


def _cell(value: str, multi: bool) -> list[str]:
    parts = value.split(MULTI_SEPARATOR) if multi else [value]
    return [p.strip() for p in parts if p.strip()]


def _is_multi(kind: str, name: str) -> bool:
    try:
        return KINDS[kind].field(name).multi
    except KeyError:
        return False


def _read_csv(text: str, name: str, kind: str, problems: list[Problem]) -> Iterator[Record]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        problems.append(Problem(name, 1, None, None, "empty file", hint="add a header row"))
        return
    except csv.Error as exc:
        problems.append(Problem(name, 1, None, None, f"not valid CSV: {exc}"))
        return
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            problems.append(
                Problem(name, start, None, None, f"not valid CSV: {exc}", hint="check the quotes")
            )
            return
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(
                Problem(
                    name,
                    start,
                    None,
                    None,
                    f"{len(row)} cells where the header has {len(header)}",
                    hint='quote cells that contain a comma: "a, b"',
                )
            )
            continue
        values = {h: _cell(cell, _is_multi(kind, h)) for h, cell in zip(header, row, strict=True) if h}
        yield Record(kind, name, start, {k: v for k, v in values.items() if v})


def _json_values(obj: dict[str, object], kind: str) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for key, value in obj.items():
        if key == "kind" or value is None:
            continue
        items = value if isinstance(value, list) else [value]
        texts: list[str] = []
        for item in items:
            text = json.dumps(item) if isinstance(item, dict | bool) else str(item)
            texts.extend(_cell(text, _is_multi(kind, key)))
        if texts:
            values[key] = texts
    return values


def _json_record(obj: object, name: str, line: int, problems: list[Problem]) -> Record | None:
    if not isinstance(obj, dict):
        problems.append(Problem(name, line, None, None, "a record is a JSON object"))
        return None
    kind = obj.get("kind")
    if kind not in KINDS:
        problems.append(
            Problem(
                name,
                line,
                "kind",
                None if kind is None else str(kind),
                "missing" if kind is None else "not a record kind",
                hint=f"one of {', '.join(KINDS)}",
            )
        )
        return None
    return Record(str(kind), name, line, _json_values(obj, str(kind)))


def _read_json(text: str, name: str, problems: list[Problem]) -> Iterator[Record]:
    """A JSON array of objects; each record's line is where its object starts."""
    decoder = json.JSONDecoder()
    pos = len(text) - len(text.lstrip())
    if not text.startswith("[", pos):
        problems.append(Problem(name, 1, None, None, "a JSON record file holds an array of objects"))
        return
    pos += 1
    while True:
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        if pos >= len(text) or text[pos] == "]":
            return
        line = text.count("\n", 0, pos) + 1
        try:
            obj, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            problems.append(Problem(name, exc.lineno, None, None, f"not valid JSON: {exc.msg}"))
            return
        record = _json_record(obj, name, line, problems)
        if record:
            yield record


def _read_jsonl(text: str, name: str, problems: list[Problem]) -> Iterator[Record]:
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(Problem(name, number, None, None, f"not valid JSON: {exc.msg}"))
            continue
        record = _json_record(obj, name, number, problems)
        if record:
            yield record


def read_records(folder: Path, problems: list[Problem]) -> list[Record]:
    """All records of a dataset folder; what cannot be read goes to ``problems``."""
    records: list[Record] = []
    for path in record_files(folder):
        name = path.relative_to(folder).as_posix()
        text = _decode(path, name, problems)
        if text is None:
            continue
        if path.suffix == ".csv":
            kind = kind_for_file_stem(path.stem)
            if kind is None:
                problems.append(
                    Problem(
                        name,
                        None,
                        None,
                        None,
                        "cannot tell which kind of record this CSV file holds",
                        hint="name it after its kind: " + ", ".join(f"{k}s.csv" for k in KINDS),
                    )
                )
                continue
            records.extend(_read_csv(text, name, kind, problems))
        elif path.suffix == ".json":
            records.extend(_read_json(text, name, problems))
        else:
            records.extend(_read_jsonl(text, name, problems))
    return records
