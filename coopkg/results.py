"""Query results for people and programs: an aligned table, CSV, TSV, SPARQL JSON, Markdown.

>>> from pyoxigraph import Literal, NamedNode
>>> from coopkg.querying import Table
>>> liaoning = NamedNode("https://w3id.org/coopkg/id/region/cn/210000")
>>> t = Table(["region", "name"], [[liaoning, Literal("Liaoning", language="en")]])
>>> print(render(t, "table"))
region               name
-------------------  --------
id:region/cn/210000  Liaoning
>>> print(render(t, "csv"), end="")
region,name
https://w3id.org/coopkg/id/region/cn/210000,Liaoning
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Callable

from pyoxigraph import BlankNode, Literal, NamedNode

from coopkg.querying import Cell, Table
from coopkg.vocab import BASE, PREFIXES, XSD

FORMATS = ("table", "csv", "tsv", "json", "markdown")

_SHORT = {"id": BASE + "id/", "vocab": BASE + "vocab/", **PREFIXES}


def compact(term: Cell) -> str:
    """A term as a person reads it: literals by value, IRIs with a prefix where one fits."""
    if term is None:
        return ""
    if isinstance(term, Literal):
        return term.value
    if isinstance(term, NamedNode):
        for prefix, base in _SHORT.items():
            if term.value.startswith(base) and len(term.value) > len(base):
                return f"{prefix}:{term.value[len(base) :]}"
        return term.value
    return str(term)


def _plain(term: Cell) -> str:
    if term is None:
        return ""
    if isinstance(term, Literal | NamedNode):
        return term.value
    return str(term)


def _json_term(term: Cell) -> dict[str, str] | None:
    if term is None:
        return None
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype != XSD.string:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": str(term)}


def width(text: str) -> int:
    """Columns a text takes in a terminal: Chinese characters take two.

    >>> width("那曲市"), width("Nagqu")
    (6, 5)
    """
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _table(t: Table) -> str:
    cells = [t.variables, *([compact(c) for c in row] for row in t.rows)]
    widths = [max(width(r[i]) for r in cells) for i in range(len(t.variables))]
    lines = [
        "  ".join(v + " " * (w - width(v)) for v, w in zip(row, widths, strict=True)).rstrip()
        for row in cells
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _delimited(t: Table, delimiter: str, cell: Callable[[Cell], str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(t.variables if delimiter == "," else [f"?{v}" for v in t.variables])
    writer.writerows([cell(c) for c in row] for row in t.rows)
    return buffer.getvalue()


def _markdown(t: Table) -> str:
    def esc(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(t.variables) + " |", "|" + "---|" * len(t.variables)]
    lines += ["| " + " | ".join(esc(compact(c)) for c in row) + " |" for row in t.rows]
    return "\n".join(lines)


def render(t: Table, fmt: str) -> str:
    """A table in one of :data:`FORMATS`."""
    if fmt == "table":
        return _table(t)
    if fmt == "csv":
        return _delimited(t, ",", _plain)
    if fmt == "tsv":
        return _delimited(t, "\t", lambda c: "" if c is None else str(c))
    if fmt == "json":
        bindings = [
            {v: j for v, c in zip(t.variables, row, strict=True) if (j := _json_term(c))} for row in t.rows
        ]
        return json.dumps(
            {"head": {"vars": t.variables}, "results": {"bindings": bindings}},
            ensure_ascii=False,
            indent=1,
        )
    if fmt == "markdown":
        return _markdown(t)
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
