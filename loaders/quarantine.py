"""Quarantine: refused records written back in their original format, for the steward to fix.

Each input file with refused records gets a file of the same name in the quarantine folder holding
only those records (a CSV keeps its header; JSON Lines its lines; a JSON array its objects), and
``problems.txt`` says what is wrong with each. Fix the records, put them back into the dataset's
files, and load the dataset again.
"""

from __future__ import annotations

import json
from pathlib import Path

from coopkg.errors import Problem
from coopkg.loaders.records import Record


def _line_spans(starts: list[int], total: int) -> dict[int, tuple[int, int]]:
    """For each record's first line, the lines it spans (to the next record or the end)."""
    ordered = sorted(starts)
    return {
        start: (start, (ordered[i + 1] - 1) if i + 1 < len(ordered) else total)
        for i, start in enumerate(ordered)
    }


def write_quarantine(
    folder: Path,
    target: Path,
    refused: frozenset[tuple[str, int]],
    problems: list[Problem],
    records: list[Record],
) -> list[Path]:
    """Write the refused records and a report to ``target``; returns the files written.

    ``records`` are all the records read, so that each refused record's extent is known (a CSV
    record may span lines).
    """
    target.mkdir(parents=True, exist_ok=True)
    written = []
    by_file: dict[str, set[int]] = {}
    for name, line in refused:
        by_file.setdefault(name, set()).add(line)
    for name, lines in sorted(by_file.items()):
        source = folder / name
        if not source.is_file():  # e.g. a sheet of a workbook: kept in the report only
            continue
        text = source.read_text(encoding="utf-8-sig", errors="replace")
        all_lines = text.splitlines(keepends=True)
        spans = _line_spans([r.line for r in records if r.file == name], len(all_lines))
        chunks = [
            "".join(all_lines[a - 1 : b]).rstrip("\n") + "\n"
            for a, b in (spans.get(n, (n, n)) for n in sorted(lines))
        ]
        out = target / name
        out.parent.mkdir(parents=True, exist_ok=True)
        if source.suffix in (".csv", ".tsv"):
            out.write_text(all_lines[0] + "".join(chunks), encoding="utf-8")
        elif source.suffix == ".json":
            objects = [
                json.loads(chunk.strip().rstrip(",").rstrip("]").strip() or "null") for chunk in chunks
            ]
            out.write_text(json.dumps(objects, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        else:
            out.write_text("".join(chunks), encoding="utf-8")
        written.append(out)
    report = target / "problems.txt"
    report.write_text(
        "".join(f"{p.format(severity=True)}\n" for p in problems if (p.file, p.line) in refused),
        encoding="utf-8",
    )
    written.append(report)
    return written
