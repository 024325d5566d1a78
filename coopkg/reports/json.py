"""The JSON report: ``conforms`` and one object per problem.

>>> from coopkg.errors import Problem
>>> import json
>>> json.loads(render([Problem("events.csv", 4, "start_date", "x", "not a valid date")]))["conforms"]
False
"""

from __future__ import annotations

import json

from coopkg.errors import Problem, Severity
from coopkg.reports.text import ordered


def render(problems: list[Problem]) -> str:
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
                    "focus": p.focus,
                    "path": p.path,
                }
                for p in ordered(problems)
            ],
        },
        ensure_ascii=False,
        indent=1,
    )
