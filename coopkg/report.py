"""Validation reports for data stewards: problems grouped by file, as text or JSON.

>>> from coopkg.errors import Problem, Severity
>>> print(render_problems([Problem("events.csv", 4, "start_date", "2023-13-01", "not a valid date",
...                                hint="write YYYY-MM-DD")], "text"))
events.csv:4: violation: start_date: '2023-13-01': not a valid date (write YYYY-MM-DD)
1 violation, 0 warnings
"""

from __future__ import annotations

import json

from coopkg.errors import Problem, Severity

REPORT_FORMATS = ("text", "json")


def summary(problems: list[Problem]) -> str:
    violations = sum(p.severity is Severity.VIOLATION for p in problems)
    warnings = sum(p.severity is Severity.WARNING for p in problems)
    return f"{violations} violation{'s' * (violations != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def render_problems(problems: list[Problem], fmt: str) -> str:
    ordered = sorted(problems, key=lambda p: (p.file, p.line or 0, p.field or "", p.message))
    if fmt == "json":
        return json.dumps(
            {
                "conforms": not any(p.severity is Severity.VIOLATION for p in problems),
                "problems": [
                    {
                        "file": p.file,
                        "line": p.line,
                        "field": p.field,
                        "value": p.value,
                        "severity": p.severity.value,
                        "message": p.message,
                        "hint": p.hint,
                        "source": p.source,
                    }
                    for p in ordered
                ],
            },
            ensure_ascii=False,
            indent=1,
        )
    return "\n".join([*(p.format(severity=True) for p in ordered), summary(problems)])
