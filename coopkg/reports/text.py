"""The text report: one line per problem, ``file:line: severity: field: value: message (hint)``.

Problems are sorted by file and line, so the problems of one record stand together, and every line
starts with ``file:line`` as editors and CI logs link it.

>>> from coopkg.errors import Problem
>>> print(render([Problem("events.csv", 4, "start_date", "2023-13-01", "not a valid date",
...                       hint="write YYYY-MM-DD")]))
events.csv:4: violation: start_date: '2023-13-01': not a valid date (write YYYY-MM-DD)
1 violation, 0 warnings
"""

from __future__ import annotations

from coopkg.errors import Problem, Severity


def ordered(problems: list[Problem]) -> list[Problem]:
    """By file, line, field and message: the order of every report."""
    return sorted(problems, key=lambda p: (p.file, p.line or 0, p.field or "", p.message))


def summary(problems: list[Problem]) -> str:
    violations = sum(p.severity is Severity.VIOLATION for p in problems)
    warnings = sum(p.severity is Severity.WARNING for p in problems)
    return f"{violations} violation{'s' * (violations != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def render(problems: list[Problem]) -> str:
    return "\n".join([*(p.format(severity=True) for p in ordered(problems)), summary(problems)])
