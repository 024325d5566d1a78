"""Reading record files: every format data stewards send.

- CSV (``.csv``, commas) and TSV (``.tsv``, tabs): one kind per file, named after it; UTF-8 (a
  byte-order mark is accepted) unless an ``encoding`` is given (``gb18030`` for GB18030 and GBK).
- Excel workbooks (``.xlsx``): one kind per sheet, named after it; the header in row 1.
- JSON (``.json``, an array), JSON Lines (``.jsonl``) and YAML (``.yaml``, ``.yml``, a list): objects
  with a ``kind``; always UTF-8.

RDF files (Turtle, N-Triples, JSON-LD, RDF/XML, …) are not records: :func:`rdf_files` lists them and
:func:`read_rdf` reads their triples. Every record keeps the file and line (or sheet and row) it came
from, so every problem can point at it.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "events.csv").write_text("id,name\\nexpo,An expo\\n", encoding="utf-8")
>>> [(r.kind, r.file, r.line, r.values) for r in read_records(folder, [])]
[('event', 'events.csv', 2, {'id': ['expo'], 'name': ['An expo']})]
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from coopkg.errors import Problem
from coopkg.loaders.documents import read_json, read_jsonl, read_yaml
from coopkg.loaders.kinds import KINDS, MAP_ORDER, kind_for_file_stem, plural
from coopkg.loaders.rdfinput import RdfInput, rdf_files, read_rdf
from coopkg.loaders.rows import Record
from coopkg.loaders.tabular import MAX_CELL, check_encoding, decode, read_csv, read_xlsx

__all__ = [
    "MAX_CELL",
    "RECORD_SUFFIXES",
    "REFUSED_SUFFIXES",
    "RdfInput",
    "Record",
    "rdf_files",
    "read_rdf",
    "read_records",
    "record_files",
]

RECORD_SUFFIXES = (".csv", ".tsv", ".json", ".jsonl", ".yaml", ".yml", ".xlsx")
"""The suffixes of record files (compared in lower case)."""

REFUSED_SUFFIXES = {
    ".xls": "an old Excel .xls workbook",
    ".xlsm": "a macro-enabled Excel workbook",
    ".xltm": "a macro-enabled Excel template",
    ".xlsb": "a binary Excel workbook",
    ".ods": "an OpenDocument spreadsheet",
}
"""Spreadsheets that are refused, with what they are."""


def _listed(path: Path) -> bool:
    # ~$data.xlsx is the lock file a spreadsheet program leaves beside an open workbook
    return path.is_file() and not path.name.startswith("~$")


def record_files(folder: Path) -> list[Path]:
    """The record files of a dataset folder (RDF files are not among them), in the order they are
    read: files of one kind first in :data:`~coopkg.loaders.kinds.MAP_ORDER` (records come after those
    they name), then the others, each group by name."""
    files = [p for p in folder.iterdir() if _listed(p) and p.suffix.lower() in RECORD_SUFFIXES]

    def order(path: Path) -> tuple[int, str]:
        kind = kind_for_file_stem(path.stem.strip().lower())
        suffix = path.suffix.lower() in (".csv", ".tsv")
        return (MAP_ORDER[kind] if kind and suffix else len(MAP_ORDER), path.name)

    return sorted(files, key=order)


def _refused_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if _listed(p) and p.suffix.lower() in REFUSED_SUFFIXES)


def read_records(folder: Path, problems: list[Problem], *, encoding: str | None = None) -> Iterator[Record]:
    """The records of a dataset folder, one at a time; what cannot be read goes to ``problems``.

    ``encoding`` is the text encoding of CSV and TSV files (``None``: UTF-8); a byte-order mark
    overrides it. An unknown encoding is a usage error (:class:`coopkg.errors.CoopkgError`).
    """
    if encoding is not None and check_encoding(encoding) in ("utf-8", "utf-8-sig"):
        encoding = None  # UTF-8 is the default, and a file that is not UTF-8 is told about GB18030
    elif encoding is not None:
        encoding = check_encoding(encoding)
    for path in _refused_files(folder):
        what = REFUSED_SUFFIXES[path.suffix.lower()]
        problems.append(
            Problem(
                path.relative_to(folder).as_posix(),
                None,
                None,
                None,
                f"{what} is not read: macros and old binary formats are refused",
                hint="save it as Excel Workbook (.xlsx), or as CSV UTF-8",
            )
        )
    for path in record_files(folder):
        name = path.relative_to(folder).as_posix()
        suffix = path.suffix.lower()
        if suffix in (".csv", ".tsv"):
            kind = kind_for_file_stem(path.stem.strip().lower())
            if kind is None:
                problems.append(
                    Problem(
                        name,
                        None,
                        None,
                        None,
                        f"cannot tell which kind of record this {suffix[1:].upper()} file holds",
                        hint="name it after its kind: " + ", ".join(f"{plural(k)}{suffix}" for k in KINDS),
                    )
                )
                continue
            yield from read_csv(path, name, kind, problems, encoding=encoding)
        elif suffix == ".xlsx":
            yield from sorted(read_xlsx(path, name, problems), key=lambda r: MAP_ORDER[r.kind])
        else:
            text = decode(path.read_bytes(), name, problems)
            if text is None:
                continue
            if suffix == ".json":
                yield from read_json(text, name, problems)
            elif suffix == ".jsonl":
                yield from read_jsonl(text, name, problems)
            else:
                yield from read_yaml(text, name, problems)
