"""Records and what every reader shares: header checks, cells, values as text.

A :class:`Record` keeps where it came from: the file and line, or for a workbook the file, the sheet
and the row. Problems name a sheet inside the file part: ``data.xlsx[agreements]:5``.

>>> r = Record("agreement", "data.xlsx", 5, {"id": ["a1"]}, sheet="agreements")
>>> r.problem_file, r.location
('data.xlsx[agreements]', 'sheet agreements, row 5')
>>> Record("event", "events.csv", 2, {}).location
'line 2'
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from coopkg.errors import Problem
from coopkg.loaders.kinds import KINDS, MULTI_SEPARATOR

__all__ = [
    "Record",
    "cell_values",
    "column_letter",
    "is_multi",
    "read_header",
    "record_from_object",
    "sheet_file",
    "text_of",
]


@dataclass
class Record:
    """One input record: its kind, where it stands, and its values as text.

    ``line`` is the line of a text file where the record starts, or the row of a sheet.
    """

    kind: str
    file: str
    line: int
    values: dict[str, list[str]]
    sheet: str | None = None

    @property
    def id(self) -> str:
        return self.values.get("id", [""])[0]

    def get(self, name: str) -> list[str]:
        return self.values.get(name, [])

    @property
    def problem_file(self) -> str:
        """The file part of a problem's location: ``events.csv``, or ``data.xlsx[events]``."""
        return sheet_file(self.file, self.sheet) if self.sheet else self.file

    @property
    def location(self) -> str:
        """Where the record stands in its file, in words: ``line 5`` or ``sheet events, row 5``."""
        return f"sheet {self.sheet}, row {self.line}" if self.sheet else f"line {self.line}"


def sheet_file(file: str, sheet: str) -> str:
    """How problems name a sheet of a workbook: ``data.xlsx[agreements]``."""
    return f"{file}[{sheet}]"


def column_letter(index: int) -> str:
    """A spreadsheet's name for the column at a 0-based index: 0 → A, 26 → AA.

    >>> column_letter(0), column_letter(25), column_letter(26)
    ('A', 'Z', 'AA')
    """
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def is_multi(kind: str, name: str) -> bool:
    """Whether a field of a kind takes several values (unknown fields take one)."""
    try:
        return KINDS[kind].field(name).multi
    except KeyError:
        return False


def cell_values(value: str, multi: bool) -> list[str]:
    """The values of one cell: split at ``|`` for a field with several values, trimmed, empty dropped."""
    parts = value.split(MULTI_SEPARATOR) if multi else [value]
    return [p.strip() for p in parts if p.strip()]


def read_header(
    cells: Sequence[str],
    kind: str,
    file: str,
    line: int,
    problems: list[Problem],
    *,
    column: Callable[[int], str],
) -> list[str | None] | None:
    """The field name of each column of a header row, ``None`` for a column to skip.

    Returns ``None`` when the row is not a header at all: none of its cells names a field of the
    kind (the first row holds data, or the header is missing). A duplicated column is reported and
    skipped after its first occurrence; a column without a name is kept as ``""`` so that the reader
    can report it when a row holds a value in it. ``column`` names a column by its 0-based index.
    """
    names = [c.strip() for c in cells]
    known = {n.lower() for n in KINDS[kind].field_names}
    if not any(n.lower() in known for n in names):
        shown = ", ".join(repr(n) for n in names[:4] if n) or "nothing"
        problems.append(
            Problem(
                file,
                line,
                None,
                None,
                f"the first row is not a header: it holds {shown}, and none of its cells is a field "
                f"name of {kind} records",
                hint="put a header row of field names first: " + ",".join(KINDS[kind].field_names),
            )
        )
        return None
    result: list[str | None] = []
    first: dict[str, int] = {}
    for index, name in enumerate(names):
        if name and name in first:
            problems.append(
                Problem(
                    file,
                    line,
                    name,
                    None,
                    f"column {column(index)} repeats the column name of column {column(first[name])}",
                    hint="give each column its own field name; several values go in one cell, separated by |",
                )
            )
            result.append(None)
            continue
        if name:
            first[name] = index
        result.append(name)
    return result


def nameless_column_problem(file: str, line: int, column: str, where: str) -> Problem:
    """A column whose header cell is empty, though a row holds a value in it."""
    return Problem(
        file,
        line,
        None,
        None,
        f"column {column} has no name in the header, yet {where} holds a value in it",
        hint="write the field name in the header row, or delete the column",
    )


def text_of(value: object) -> str:
    """A value read from JSON, YAML or a sheet, as the text a CSV cell would hold.

    >>> [text_of(v) for v in (5, 5.0, 2.5, True, None, dt.date(2023, 6, 20), dt.datetime(2023, 6, 20))]
    ['5', '5', '2.5', 'true', '', '2023-06-20', '2023-06-20']
    >>> text_of(dt.datetime(2023, 6, 20, 9, 30)), text_of(1e-07)
    ('2023-06-20T09:30:00', '0.0000001')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _object_values(
    obj: dict[object, object], kind: str, text: Callable[[object], str]
) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for key, value in obj.items():
        name = str(key)
        if name == "kind" or value is None:
            continue
        items = value if isinstance(value, list) else [value]
        texts: list[str] = []
        for item in items:
            texts.extend(cell_values(text(item), is_multi(kind, name)))
        if texts:
            values[name] = texts
    return values


def record_from_object(
    obj: object,
    file: str,
    line: int,
    problems: list[Problem],
    *,
    what: str,
    text: Callable[[object], str] = text_of,
) -> Record | None:
    """A record from a JSON or YAML object with a ``kind``; ``what`` says which ("a JSON object")."""
    if not isinstance(obj, dict):
        problems.append(Problem(file, line, None, None, f"a record is {what}"))
        return None
    kind = obj.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:
        problems.append(
            Problem(
                file,
                line,
                "kind",
                None if kind is None else text_of(kind),
                "missing" if kind is None else "not a record kind",
                hint=f"one of {', '.join(KINDS)}",
            )
        )
        return None
    return Record(kind, file, line, _object_values(obj, kind, text))
