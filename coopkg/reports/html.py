"""The HTML report: one page a steward opens in a browser and shares, with nothing fetched.

A summary, then a table with a row per problem: where (file and line), severity, field, value,
what is wrong and what to do. Every text is escaped; the page has no script and no external link.

>>> from coopkg.errors import Problem
>>> page = render([Problem("events.csv", 4, "start_date", "<b>", "not a valid date")], title="t")
>>> "&lt;b&gt;" in page and "<script" not in page
True
"""

from __future__ import annotations

import html

from coopkg import __version__
from coopkg.errors import Problem, Severity
from coopkg.reports.text import ordered, summary

_STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem; color: #1b1b1b; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #ddd; padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
.violation { color: #a40000; font-weight: 600; } .warning { color: #8a5a00; } .info { color: #555; }
code { font-size: 90%; }
"""


def _cell(text: object, cls: str | None = None) -> str:
    shown = "" if text is None else html.escape(str(text))
    return f'<td class="{cls}">{shown}</td>' if cls else f"<td>{shown}</td>"


def render(problems: list[Problem], *, title: str = "coopkg validation report") -> str:
    rows = []
    for p in ordered(problems):
        where = f"{p.file}:{p.line}" if p.line else p.file
        rows.append(
            '<tr class="problem">'
            + _cell(where)
            + _cell(p.severity.value, p.severity.value)
            + _cell(p.field)
            + _cell(p.value)
            + _cell(p.message)
            + _cell(p.hint)
            + "</tr>"
        )
    conforms = not any(p.severity is Severity.VIOLATION for p in problems)
    verdict = "conforms" if conforms else "does not conform"
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            f"<title>{html.escape(title)}</title>",
            f"<style>{_STYLE}</style></head><body>",
            f"<h1>{html.escape(title)}</h1>",
            f'<p id="summary">The submission {verdict}: {html.escape(summary(problems))}.</p>',
            "<table><thead><tr><th>where</th><th>severity</th><th>field</th><th>value</th>"
            "<th>problem</th><th>what to do</th></tr></thead><tbody>",
            *rows,
            "</tbody></table>",
            f"<p><small>coopkg {html.escape(__version__)}</small></p>",
            "</body></html>",
        ]
    )
