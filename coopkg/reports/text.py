"""The text report: the problems grouped by input record, then a summary line.

Each record with problems gets a heading that starts with ``file:line`` (as editors and CI logs link
it), followed by the record's kind and id when a problem carries them (a SHACL result names the
node the record became). Under it, one indented line per problem (severity, field, value, message)
and, on its own indented line, what to do about it. Problems of a whole file (no line) stand under
the file's name. Records come in file and line order.

>>> from coopkg.errors import Problem
>>> print(render([
...     Problem("events.csv", 4, "start_date", "2023-13-01", "not a valid date", hint="write YYYY-MM-DD"),
...     Problem("events.csv", 4, "location", None, "needs a region", severity=Severity.WARNING,
...             focus="https://w3id.org/coopkg/id/tibet-expo-2023/event/expo-5"),
...     Problem("events.csv", None, None, None, "no header row", hint="add one"),
... ]))
events.csv
  violation: no header row
    fix: add one
events.csv:4: event expo-5
  warning: location: needs a region
  violation: start_date: '2023-13-01': not a valid date
    fix: write YYYY-MM-DD
2 violations, 1 warning
"""

from __future__ import annotations

from itertools import groupby

from coopkg.errors import Problem, Severity
from coopkg.vocab import id_iri

_RECORDS = id_iri("").value  # …/id/ : a record's node is …/id/DATASET/KIND/RECORD


def ordered(problems: list[Problem]) -> list[Problem]:
    """By file, line, field and message: the order of every report."""
    return sorted(problems, key=lambda p: (p.file, p.line or 0, p.field or "", p.message))


def summary(problems: list[Problem]) -> str:
    violations = sum(p.severity is Severity.VIOLATION for p in problems)
    warnings = sum(p.severity is Severity.WARNING for p in problems)
    return f"{violations} violation{'s' * (violations != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def record_of(problem: Problem) -> str | None:
    """``KIND ID`` of the record a problem is about, when its node is a record's.

    >>> record_of(Problem("events.csv", 4, None, None, "x",
    ...                   focus="https://w3id.org/coopkg/id/tibet-expo-2023/outcome/o-1/amount"))
    'outcome o-1'
    """
    if problem.focus is None or not problem.focus.startswith(_RECORDS):
        return None
    parts = problem.focus.removeprefix(_RECORDS).split("/")
    return f"{parts[1]} {parts[2]}" if len(parts) >= 3 and parts[1] and parts[2] else None


def heading(where: str, problems: list[Problem]) -> str:
    """``file:line``, then the record's kind and id if a problem names them."""
    record = next((r for r in map(record_of, problems) if r), None)
    return f"{where}: {record}" if record else where


def line(problem: Problem) -> str:
    """One problem under its record's heading: severity, field, value and message; then the fix."""
    parts = [problem.severity.value]
    if problem.field:
        parts.append(problem.field)
    if problem.value is not None:
        parts.append(repr(problem.value))
    text = "  " + ": ".join([*parts, problem.message])
    if problem.hint:
        text += f"\n    fix: {problem.hint}"
    return text


def render(problems: list[Problem]) -> str:
    """The problems grouped by record (file and line), then :func:`summary`."""
    out: list[str] = []
    for where, group in groupby(ordered(problems), key=lambda p: p.where):
        found = list(group)
        out.append(heading(where, found))
        out.extend(line(p) for p in found)
    out.append(summary(problems))
    return "\n".join(out)
