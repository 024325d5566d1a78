"""Validation reports for data stewards, editors and CI systems: one module per format.

>>> from coopkg.errors import Problem
>>> print(render([Problem("events.csv", 4, "start_date", "x", "not a valid date")], "text"))
events.csv:4
  violation: start_date: 'x': not a valid date
1 violation, 0 warnings
"""

from __future__ import annotations

from collections.abc import Callable

from coopkg.errors import Problem
from coopkg.reports import html, json, sarif, text, turtle
from coopkg.reports.text import summary

_RENDERERS: dict[str, Callable[[list[Problem]], str]] = {
    "text": text.render,
    "json": json.render,
    "ttl": turtle.render,
    "sarif": sarif.render,
    "html": html.render,
}
REPORT_FORMATS = tuple(_RENDERERS)
"""text (problems grouped by record), json, ttl (the W3C SHACL validation report), sarif (2.1.0), html."""


def render(problems: list[Problem], fmt: str) -> str:
    """The report of ``problems`` in a format of :data:`REPORT_FORMATS`."""
    return _RENDERERS[fmt](problems)


render_problems = render

__all__ = ["REPORT_FORMATS", "render", "render_problems", "summary"]
