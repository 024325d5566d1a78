"""The W3C SHACL validation report graph (``sh:ValidationReport``), in Turtle.

Each problem is an ``sh:ValidationResult``: the focus node and path of a SHACL result, or, for what
the loader found, the input record itself (``urn:coopkg:record:{file}#L{line}``) as the focus node
and ``coopsh:LoaderShape`` as the source shape. ``rdfs:comment`` says where the steward finds it.

>>> from coopkg.errors import Problem
>>> text = render([Problem("events.csv", 4, "start_date", "x", "not a valid date")])
>>> "sh:conforms false" in text and "urn:coopkg:record:events.csv#L4" in text
True
"""

from __future__ import annotations

from urllib.parse import quote

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, serialize

from coopkg.errors import Problem, Severity
from coopkg.reports.text import ordered
from coopkg.vocab import RDF, RDFS, XSD

SH = "http://www.w3.org/ns/shacl#"
LOADER_SHAPE = NamedNode("https://w3id.org/coopkg/shapes#LoaderShape")
_SEVERITY = {
    Severity.VIOLATION: NamedNode(SH + "Violation"),
    Severity.WARNING: NamedNode(SH + "Warning"),
    Severity.INFO: NamedNode(SH + "Info"),
}


def _sh(name: str) -> NamedNode:
    return NamedNode(SH + name)


def record(problem: Problem) -> NamedNode:
    """The input record a problem is about, as an IRI."""
    line = f"#L{problem.line}" if problem.line else ""
    return NamedNode(f"urn:coopkg:record:{quote(problem.file, safe='/[]')}{line}")


def render(problems: list[Problem], *, language: str = "en") -> str:
    report = BlankNode()
    triples = [
        Quad(report, RDF.type, _sh("ValidationReport")),
        Quad(
            report,
            _sh("conforms"),
            Literal(
                "false" if any(p.severity is Severity.VIOLATION for p in problems) else "true",
                datatype=XSD.boolean,
            ),
        ),
    ]
    for p in ordered(problems):
        result = BlankNode()
        triples += [
            Quad(report, _sh("result"), result),
            Quad(result, RDF.type, _sh("ValidationResult")),
            Quad(result, _sh("resultSeverity"), _SEVERITY[p.severity]),
            Quad(result, _sh("focusNode"), NamedNode(p.focus) if p.focus else record(p)),
            Quad(result, _sh("sourceShape"), NamedNode(p.source) if p.source != "loader" else LOADER_SHAPE),
            Quad(result, _sh("resultMessage"), Literal(p.message, language=language)),
            Quad(result, RDFS.comment, Literal(p.format(severity=True))),
        ]
        if p.path:
            triples.append(Quad(result, _sh("resultPath"), NamedNode(p.path)))
        if p.value is not None:
            triples.append(Quad(result, _sh("value"), Literal(p.value)))
    data = serialize(
        [q.triple for q in triples],
        format=RdfFormat.TURTLE,
        prefixes={"sh": SH, "rdfs": "http://www.w3.org/2000/01/rdf-schema#"},
    )
    return (data or b"").decode()
