"""Tables: CSV and TSV files (one kind per file) and Excel workbooks (one kind per sheet).

A CSV or TSV file is UTF-8 unless the caller names another encoding (``--encoding gb18030``); a
byte-order mark always wins. What cannot be read is reported with the line, and for bytes that do
not decode, the byte offset:

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> path = folder / "events.csv"
>>> _ = path.write_bytes("id,name\\nexpo,北京\\n".encode("gb18030"))
>>> problems = []
>>> list(read_csv(path, "events.csv", "event", problems))
[]
>>> print(problems[0])  # doctest: +ELLIPSIS
events.csv:2: not UTF-8: byte 0xb1 at byte offset 13 ... (pass --encoding gb18030 ...)
>>> [r.values for r in read_csv(path, "events.csv", "event", [], encoding="gb18030")]
[{'id': ['expo'], 'name': ['北京']}]
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coopkg.errors import CoopkgError, Problem, Severity
from coopkg.loaders.kinds import KINDS, kind_for_file_stem
from coopkg.loaders.rows import (
    Record,
    cell_values,
    column_letter,
    is_multi,
    nameless_column_problem,
    read_header,
    sheet_file,
    text_of,
)

__all__ = [
    "MAX_CELL",
    "MAX_WORKBOOK",
    "check_encoding",
    "decode",
    "read_csv",
    "read_xlsx",
]

MAX_CELL = 16 * 1024 * 1024
"""The longest cell a CSV or TSV file may hold, in characters (16 Mi); longer cells are reported."""

MAX_WORKBOOK = 256 * 1024 * 1024
"""The most a workbook may unpack to, in bytes (256 MiB): larger ones are refused before reading."""

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_ENCODING_HINT = "pass --encoding gb18030 if it was saved as GB18030 or GBK, or save the file as UTF-8"


def check_encoding(encoding: str) -> str:
    """The canonical name of a text encoding; :class:`CoopkgError` (a usage error) for an unknown one.

    >>> check_encoding("GBK"), check_encoding("utf8")
    ('gbk', 'utf-8')
    """
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise CoopkgError(f"unknown encoding {encoding!r} (try utf-8 or gb18030)") from None


def decode(data: bytes, name: str, problems: list[Problem], *, encoding: str | None = None) -> str | None:
    """The text of a file: a byte-order mark decides, else ``encoding``, else UTF-8.

    Bytes that do not decode are reported with the line and the byte offset; ``encoding`` is only
    for CSV and TSV files (JSON and YAML are UTF-8 by definition), so only they are told about it.
    """
    chosen = encoding or "utf-8"
    for bom, codec in _BOMS:
        if data.startswith(bom):
            chosen = codec
            break
    try:
        text = data.decode(chosen)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        label = "UTF-8" if chosen in ("utf-8", "utf-8-sig") else codecs.lookup(chosen).name
        if encoding is not None and chosen == encoding:
            hint = "check the encoding the file was saved in, or save it as UTF-8"
        elif name.lower().endswith((".csv", ".tsv")):
            hint = _ENCODING_HINT
        else:
            hint = "save the file as UTF-8"
        problems.append(
            Problem(
                name,
                line,
                None,
                None,
                f"not {label}: byte {data[exc.start]:#04x} at byte offset {exc.start} cannot be decoded",
                hint=hint,
            )
        )
        return None
    if encoding is not None and chosen == encoding and not _is_utf8(chosen):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            if not data.isascii():
                problems.append(
                    Problem(
                        name,
                        None,
                        None,
                        None,
                        f"the file is valid UTF-8, but was read as {codecs.lookup(chosen).name} as asked:"
                        " its text may be garbled",
                        hint="read UTF-8 files without --encoding, or add a byte-order mark to them",
                        severity=Severity.WARNING,
                    )
                )
    return text.removeprefix("\ufeff")


def _is_utf8(encoding: str) -> bool:
    return codecs.lookup(encoding).name in ("utf-8", "utf-8-sig")


# --- CSV and TSV ----------------------------------------------------------------------------------


@dataclass
class _Lines:
    """Feeds a csv reader line by line and counts the characters read, to find a record's text."""

    lines: Iterator[str]
    consumed: int = 0

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = next(self.lines)
        self.consumed += len(line)
        return line


_CELL_START = re.compile(r'[^"\n\r]')


def _open_quote(text: str, delimiter: str) -> int | None:
    """The 0-based line (within ``text``) of a quote that is never closed, if one is.

    ``text`` is one record's text, from its start to the end of the file; quotes follow the csv
    module: a quote opens a quoted cell only at the start of a cell, and ``""`` inside one is a quote.
    """
    pos, line, opened, at_start = 0, 0, None, True
    while pos < len(text):
        if opened is not None:
            close = text.find('"', pos)
            if close < 0:
                return opened
            line += text.count("\n", pos, close)
            if text.startswith('""', close):
                pos = close + 2
                continue
            opened, pos, at_start = None, close + 1, False
            continue
        char = text[pos]
        if char == '"' and at_start:
            opened = line
        elif char == delimiter:
            at_start = True
        elif char == "\n":
            line += 1
            at_start = True
        elif char != "\r":
            at_start = False
        pos += 1
    return opened


def _wrong_delimiter(header: list[str], delimiter: str) -> str | None:
    """The separator a one-column header seems to use instead of ``delimiter``."""
    if len(header) != 1:
        return None
    counts = {d: header[0].count(d) for d in (",", ";", "\t", "|") if d != delimiter}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else None


_SEPARATOR_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "vertical bars"}


def _delimiter_problem(name: str, found: str, delimiter: str, suffix: str) -> Problem:
    if found == "\t":
        hint = "name the file .tsv, or save it comma-separated"
    elif found == "," and suffix == ".tsv":
        hint = "name the file .csv, or save it tab-separated"
    else:
        hint = "save it as CSV with commas (in Excel: CSV UTF-8, comma delimited), or as .tsv with tabs"
    return Problem(
        name,
        1,
        None,
        None,
        f"the header is one column holding {_SEPARATOR_NAMES[found]}: the file is separated by "
        f"{_SEPARATOR_NAMES[found]}, but a {suffix} file is separated by {_SEPARATOR_NAMES[delimiter]}",
        hint=hint,
    )


def read_csv(
    path: Path, name: str, kind: str, problems: list[Problem], *, encoding: str | None = None
) -> Iterator[Record]:
    """The records of a CSV (``.csv``, commas) or TSV (``.tsv``, tabs) file of one kind, one at a time."""
    text = decode(path.read_bytes(), name, problems, encoding=encoding)
    if text is None:
        return
    previous = csv.field_size_limit(MAX_CELL)
    try:
        yield from _read_table(text, name, kind, path.suffix.lower(), problems)
    finally:
        csv.field_size_limit(previous)


def _csv_error(name: str, line: int, exc: csv.Error) -> Problem:
    if "field larger than field limit" in str(exc):
        return Problem(
            name,
            line,
            None,
            None,
            f"a cell is longer than {MAX_CELL:,} characters, the most a cell may hold",
            hint="split the text, or check for a quote that is never closed",
        )
    return Problem(name, line, None, None, f"not valid CSV: {exc}", hint="check the quotes")


def _read_table(text: str, name: str, kind: str, suffix: str, problems: list[Problem]) -> Iterator[Record]:
    delimiter = "\t" if suffix == ".tsv" else ","
    if not text.strip():
        problems.append(Problem(name, 1, None, None, "empty file", hint="add a header row"))
        return
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        problems.append(
            Problem(
                name,
                line,
                None,
                None,
                "the file holds a NUL character: it is not a text file",
                hint="save it again as CSV UTF-8 (a workbook is read as .xlsx)",
            )
        )
        return
    lines = _Lines(iter(io.StringIO(text, newline="")))
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        first = next(reader)
    except csv.Error as exc:
        problems.append(_csv_error(name, 1, exc))
        return
    if not any(cell.strip() for cell in first):
        problems.append(
            Problem(name, 1, None, None, "the first line is empty", hint="the header row comes first")
        )
        return
    found = _wrong_delimiter(first, delimiter)
    if found:
        problems.append(_delimiter_problem(name, found, delimiter, suffix))
        return
    header = read_header(first, kind, name, 1, problems, column=lambda i: str(i + 1))
    if header is None:
        return
    multi = [h is not None and is_multi(kind, h) for h in header]
    nameless: dict[int, int] = {}  # column → first line with a value in it
    hint = (
        "quote cells that contain a tab" if delimiter == "\t" else 'quote cells that contain a comma: "a, b"'
    )
    while True:
        start, offset = reader.line_num + 1, lines.consumed
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(_csv_error(name, start, exc))
            return
        end = reader.line_num
        if lines.consumed >= len(text):  # the last record: is a quote still open at the end?
            opened = _open_quote(text[offset:], delimiter)
            if opened is not None:
                problems.append(
                    Problem(
                        name,
                        start + opened,
                        None,
                        None,
                        "a quote opened on this line is never closed"
                        + (
                            f": its cell swallows the rest of the file, to line {end}"
                            if end > start + opened
                            else ""
                        ),
                        hint='close the quote; write a quote inside a quoted cell twice: "say ""yes"""',
                    )
                )
                break
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(first):
            message = f"{len(row)} cells where the header has {len(first)}"
            row_hint = hint
            if end > start:
                spanning = next((i for i, cell in enumerate(row) if "\n" in cell or "\r" in cell), 0)
                opened = start + sum(cell.count("\n") for cell in row[:spanning])
                message += f"; a quoted cell opened on line {opened} runs to line {end}"
                row_hint = "check the quotes: a quote inside a quoted cell is written twice"
            problems.append(Problem(name, start, None, None, message, hint=row_hint))
            continue
        for index, (column, cell) in enumerate(zip(header, row, strict=True)):
            if column == "" and cell.strip():
                nameless.setdefault(index, start)
        values: dict[str, list[str]] = {}
        for h, cell, several in zip(header, row, multi, strict=True):
            if h and cell:
                found_values = cell_values(cell, several)
                if found_values:
                    values[h] = found_values
        yield Record(kind, name, start, values)
    for index, line in sorted(nameless.items()):
        problems.append(nameless_column_problem(name, 1, str(index + 1), f"line {line}"))


# --- Excel workbooks ------------------------------------------------------------------------------

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DECLARATION = re.compile(rb"<!(DOCTYPE|ENTITY)")


def _workbook_problem(name: str, message: str, hint: str) -> Problem:
    return Problem(name, None, None, None, message, hint=hint)


def _check_workbook(path: Path, name: str) -> Problem | None:
    """Why a workbook is refused before openpyxl reads it, if it is.

    Refused: old binary workbooks (and encrypted ones, which are stored the same way), files that are
    not zip archives (truncated, damaged, or not workbooks), workbooks with macros, workbooks that
    unpack to more than :data:`MAX_WORKBOOK`, and XML parts that declare a DOCTYPE or entities.
    """
    save = "save it in Excel as Excel Workbook (.xlsx), or as CSV UTF-8"
    with path.open("rb") as f:
        magic = f.read(8)
    if magic == _OLE2:
        return _workbook_problem(
            name, "an old Excel .xls workbook or an encrypted one, not an .xlsx workbook", save
        )
    if not zipfile.is_zipfile(path):
        return _workbook_problem(name, "not an .xlsx workbook: the file is truncated or damaged", save)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if any(i.filename.lower().endswith("vbaproject.bin") for i in infos):
                return _workbook_problem(
                    name, "the workbook holds macros: macro-enabled workbooks are refused", save
                )
            if sum(i.file_size for i in infos) > MAX_WORKBOOK:
                return _workbook_problem(
                    name,
                    f"the workbook unpacks to more than {MAX_WORKBOOK // 2**20} MiB",
                    "split it into several workbooks or CSV files",
                )
            for info in infos:
                if info.filename.lower().endswith((".xml", ".rels", ".vml")):
                    why = _unsafe_part(archive, info)
                    if why:
                        return _workbook_problem(name, f"the workbook's part {info.filename} {why}", save)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        return _workbook_problem(
            name, f"not an .xlsx workbook: the file is truncated or damaged ({exc})", save
        )
    return None


def _unsafe_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> str | None:
    """Why an XML part of a workbook is not read: a DOCTYPE or entity declaration, or UTF-16 text
    (in which a declaration would not be seen)."""
    tail = b""
    with archive.open(info) as part:
        first = True
        while chunk := part.read(1 << 20):
            if first and (
                b"\x00" in chunk[:4] or chunk.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
            ):
                return "is not UTF-8, as spreadsheet programs write it"
            first = False
            if _DECLARATION.search(tail + chunk):
                return "declares a DOCTYPE or entities, which no spreadsheet program writes"
            tail = chunk[-16:]
    return None


def _load_workbook(path: Path) -> Any:
    import openpyxl  # type: ignore[import-untyped, unused-ignore]

    return openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)


def read_xlsx(path: Path, name: str, problems: list[Problem]) -> list[Record]:
    """The records of an Excel workbook: one sheet per kind, named after it, the header in row 1."""
    refused = _check_workbook(path, name)
    if refused:
        problems.append(refused)
        return []
    records: list[Record] = []
    with warnings.catch_warnings():
        # openpyxl warns about what it does not read (data validation, conditional formats, styles)
        warnings.simplefilter("ignore")
        try:
            workbook = _load_workbook(path)
        except Exception as exc:  # openpyxl raises many kinds of errors for damaged parts
            problems.append(_unreadable(name, exc))
            return []
        try:
            for sheet in workbook.worksheets:
                try:
                    records.extend(_read_sheet(sheet, name, problems))
                except Exception as exc:
                    problems.append(_unreadable(sheet_file(name, str(sheet.title)), exc))
        finally:
            workbook.close()
    return records


def _unreadable(where: str, exc: Exception) -> Problem:
    return _workbook_problem(
        where,
        f"not a readable .xlsx workbook: {type(exc).__name__}: {exc}",
        "open it in a spreadsheet program and save it again as .xlsx",
    )


def _cell_text(cell: Any, where: str, row: int, index: int, problems: list[Problem]) -> str:
    value = cell.value
    if cell.data_type == "e":
        problems.append(
            Problem(
                where,
                row,
                None,
                text_of(value),
                f"cell {column_letter(index)}{row} holds a formula error",
                hint="correct the formula, or write the value itself",
            )
        )
        return ""
    return text_of(value)


def _read_sheet(sheet: Any, name: str, problems: list[Problem]) -> list[Record]:
    title = str(sheet.title)
    where = sheet_file(name, title)
    sheet.reset_dimensions()  # the size a workbook states may be wrong: read every row
    rows: Iterator[tuple[Any, ...]] = iter(sheet.iter_rows())
    kind = kind_for_file_stem(title.strip().lower())
    first: list[str] | None = None
    for row in rows:
        first = [_cell_text(c, where, 1, i, problems) for i, c in enumerate(row)]
        break
    if kind is None:
        if first is not None or next(rows, None) is not None:
            problems.append(
                Problem(
                    where,
                    None,
                    None,
                    None,
                    f"cannot tell which kind of record the sheet {title!r} holds",
                    hint="name each sheet after its kind: " + ", ".join(_plural(k) for k in KINDS),
                )
            )
        return []
    if first is None or not any(first):
        if first is None or not any(any(text_of(c.value).strip() for c in r) for r in rows):
            problems.append(Problem(where, 1, None, None, "empty sheet", hint="add a header row"))
        else:
            problems.append(
                Problem(where, 1, None, None, "row 1 is empty", hint="the header row comes first")
            )
        return []
    header = read_header(first, kind, where, 1, problems, column=column_letter)
    if header is None:
        return []
    records: list[Record] = []
    nameless: dict[int, int] = {}
    for number, row in enumerate(rows, 2):
        cells = [_cell_text(c, where, number, i, problems) for i, c in enumerate(row)]
        if not any(c.strip() for c in cells):
            continue
        values: dict[str, list[str]] = {}
        for index, cell in enumerate(cells):
            column = header[index] if index < len(header) else ""
            if column == "" and cell.strip():
                nameless.setdefault(index, number)
            elif column:
                found = cell_values(cell, is_multi(kind, column))
                if found:
                    values[column] = found
        records.append(Record(kind, name, number, values, sheet=title))
    for index, number in sorted(nameless.items()):
        problems.append(nameless_column_problem(where, 1, column_letter(index), f"row {number}"))
    return records


def _plural(kind: str) -> str:
    return kind[:-1] + "ies" if kind.endswith("y") else kind + "s"
