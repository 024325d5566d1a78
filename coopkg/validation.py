"""SHACL validation of a submission, with each result reported in the steward's own file, line and field.

pySHACL checks the submission's graph, together with what the reference data says of the regions and
concepts the submission points at, against coopkg's shapes (``shapes/*.ttl``).
"""

from __future__ import annotations

from collections.abc import Iterable

import rdflib
from pyoxigraph import Quad, RdfFormat, serialize
from pyshacl import validate as pyshacl_validate
from rdflib.namespace import SH

from coopkg import resources
from coopkg.errors import Problem, Severity
from coopkg.loaders import Submission
from coopkg.reference import Reference
from coopkg.shacl_sparql import Compiled, compile_shapes, validate_quads

_SEVERITIES = {
    SH.Violation: Severity.VIOLATION,
    SH.Warning: Severity.WARNING,
    SH.Info: Severity.INFO,
}


def shapes_graph() -> rdflib.Graph:
    """All of coopkg's shapes in one rdflib graph."""
    graph = rdflib.Graph()
    for file in resources.shape_files():
        graph.parse(data=file.read_text(encoding="utf-8"), format="turtle")
    return graph


def to_rdflib(quads: Iterable[Quad]) -> rdflib.Graph:
    """Oxigraph quads as one rdflib graph of triples (graph names dropped)."""
    data = serialize((q.triple for q in quads), format=RdfFormat.N_TRIPLES)
    graph = rdflib.Graph()
    if data:
        graph.parse(data=data, format="nt")
    return graph


def _message(result: rdflib.Graph, node: rdflib.term.Node, language: str) -> str:
    messages = list(result.objects(node, SH.resultMessage))
    for message in messages:
        if isinstance(message, rdflib.Literal) and message.language == language:
            return str(message)
    english = [m for m in messages if isinstance(m, rdflib.Literal) and m.language in (None, "en")]
    return str((english or messages or ["does not conform"])[0])


def _show(term: rdflib.term.Node | None) -> str | None:
    if term is None:
        return None
    return str(term)


def validate(
    submission: Submission,
    reference: Reference,
    *,
    shapes: rdflib.Graph | Compiled | None = None,
    language: str = "en",
    engine: str = "sparql",
) -> list[Problem]:
    """Check a mapped submission against the shapes; one :class:`Problem` per SHACL result.

    ``engine`` "sparql" runs the shapes compiled to SPARQL on Oxigraph (fast; its results equal
    pySHACL's on the whole test matrix, checked by tests/test_shacl_sparql.py); "pyshacl" runs
    pySHACL, the reference implementation.
    """
    quads = [*submission.mapped.quads, *reference.about(submission.mapped.external)]
    if engine == "pyshacl":
        graph = shapes if isinstance(shapes, rdflib.Graph) else shapes_graph()
        results = _pyshacl_results(quads, graph, language)
    elif engine == "sparql":
        compiled = shapes if isinstance(shapes, Compiled) else compile_shapes(shapes or shapes_graph())
        results = [
            (r.focus, r.path, r.value, r.severity, r.source_shape, r.message(language))
            for r in validate_quads(quads, compiled)
        ]
    else:
        raise ValueError(f"unknown validation engine {engine!r}")
    problems = []
    for focus, path, value, severity_iri, shape, message in results:
        origin = submission.mapped.origins.get(str(focus))
        if origin is None:
            file, line, field = "(reference data)", None, None
        else:
            file, line = origin.record.problem_file, origin.record.line or None
            field = origin.fields.get(str(path)) if path is not None else None
        problems.append(
            Problem(
                file,
                line,
                field or (_show(path) if path is not None else None),
                _show(value),
                message,
                severity=_SEVERITIES.get(rdflib.URIRef(str(severity_iri)), Severity.VIOLATION),
                source=str(shape),
            )
        )
    return sorted(problems, key=lambda p: (p.file, p.line or 0, p.field or ""))


Row = tuple[
    rdflib.term.Node,
    rdflib.term.Node | None,
    rdflib.term.Node | None,
    rdflib.term.Node,
    rdflib.term.Node,
    str,
]


def _pyshacl_results(quads: list[Quad], shapes: rdflib.Graph, language: str) -> list[Row]:
    _, report, _ = pyshacl_validate(
        to_rdflib(quads), shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
    )
    rows: list[Row] = []
    for result in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        rows.append(
            (
                report.value(result, SH.focusNode),
                report.value(result, SH.resultPath),
                report.value(result, SH.value),
                report.value(result, SH.resultSeverity),
                report.value(result, SH.sourceShape),
                _message(report, result, language),
            )
        )
    return rows
