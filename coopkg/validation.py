"""SHACL validation of a submission, with each result reported in the steward's own file, line and field.

The submission is checked where it was staged (see :mod:`coopkg.ingest`), together with the reference
data, against coopkg's shapes (``shapes/*.ttl``). A result's focus node leads, through the node's
``prov:wasDerivedFrom``, to the record it was made from, and its path to the field.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import rdflib
from pyoxigraph import NamedNode, Quad, QuerySolutions, RdfFormat, serialize
from pyshacl import validate as pyshacl_validate
from rdflib.namespace import SH

from coopkg import resources
from coopkg.errors import Problem, Severity
from coopkg.loaders.mapping import FIELDS
from coopkg.loaders.provenance import parse_record_iri
from coopkg.reference import Reference
from coopkg.shacl_sparql import Compiled, compile_shapes, validate_store
from coopkg.store import Store
from coopkg.vocab import PROV

if TYPE_CHECKING:
    from coopkg.ingest import Staged

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


def validate_staged(
    staged: Staged,
    reference: Reference,
    *,
    shapes: rdflib.Graph | Compiled | None = None,
    language: str = "en",
    engine: str = "sparql",
) -> list[Problem]:
    """Check a staged submission against the shapes; one :class:`Problem` per SHACL result.

    ``engine`` "sparql" runs the shapes compiled to SPARQL in the store, over the staged dataset
    and the reference graphs (fast; its results equal pySHACL's on the whole test matrix, checked by
    tests/test_shacl_sparql.py); "pyshacl" runs pySHACL, the reference implementation, in memory.
    """
    store = staged.checked_in if staged.checked_in is not None else staged.store
    data = staged.version
    # Records of other datasets that the submission refers to come with their types (so that
    # sh:class holds); they were checked when their own dataset was loaded, not again here.
    linked = staged.linked
    if engine == "pyshacl":
        graph = shapes if isinstance(shapes, rdflib.Graph) else shapes_graph()
        classes = {q.object.value for q in linked if isinstance(q.object, NamedNode)}
        quads = [*store.version_quads(data), *reference.about(staged.external | classes), *linked]
        results = _pyshacl_results(quads, graph, language)
    elif engine == "sparql":
        compiled = shapes if isinstance(shapes, Compiled) else compile_shapes(shapes or shapes_graph())
        # The reference data joins the staged graph while it is checked: one graph is read much
        # faster than the union of three.
        added = store.add_to_version(data, [*reference.quads(), *linked])
        try:
            results = [
                (r.focus, r.path, r.value, r.severity, r.source_shape, r.message(language))
                for r in validate_store(store, compiled, graphs=[data])
            ]
        finally:
            store.remove_from_version(data, added)
    else:
        raise ValueError(f"unknown validation engine {engine!r}")
    if linked:
        others = {q.subject.value for q in linked if isinstance(q.subject, NamedNode)}
        results = [r for r in results if str(r[0]) not in others]
    return _problems(results, _origins(store, [data], _foci(results)))


def validate_graphs(
    store: Store,
    *,
    graphs: list[NamedNode] | None = None,
    shapes: rdflib.Graph | Compiled | None = None,
    language: str = "en",
    engine: str = "sparql",
    unknown: str = "(reference data)",
    in_memory: int = 3_000_000,
) -> list[Problem]:
    """Check what a store holds (all its graphs, or the ``graphs`` given, as one graph).

    A result's node is traced to its record through ``prov:wasDerivedFrom`` in those graphs; a node
    that no record made is reported under ``unknown``. A store on disk of at most ``in_memory``
    triples is read from a copy in memory, several times faster.
    """
    if store.path is not None and sum(store.count(g) for g in graphs or store.graphs()) <= in_memory:
        store, graphs = store.merged(graphs), None
    if engine == "pyshacl":
        graph = shapes if isinstance(shapes, rdflib.Graph) else shapes_graph()
        chosen = graphs if graphs is not None else store.graphs()
        quads = [q for g in chosen for q in store.quads(g)]
        results = _pyshacl_results(quads, graph, language)
    elif engine == "sparql":
        compiled = shapes if isinstance(shapes, Compiled) else compile_shapes(shapes or shapes_graph())
        results = [
            (r.focus, r.path, r.value, r.severity, r.source_shape, r.message(language))
            for r in validate_store(store, compiled, graphs=graphs)
        ]
    else:
        raise ValueError(f"unknown validation engine {engine!r}")
    return _problems(results, _origins(store, graphs, _foci(results)), unknown=unknown)


def _foci(results: list[Row]) -> set[str]:
    return {str(r[0]) for r in results if isinstance(r[0], rdflib.URIRef)}


def _problems(
    results: list[Row], origins: dict[str, Origin], unknown: str = "(reference data)"
) -> list[Problem]:
    problems = []
    for focus, path, value, severity_iri, shape, message in results:
        origin = origins.get(str(focus))
        if origin is None:
            file, line, field = unknown, None, None
        else:
            file, line, fields = origin
            field = fields.get(str(path)) if path is not None else None
        problems.append(
            Problem(
                file,
                line,
                field or (_show(path) if path is not None else None),
                _show(value),
                message,
                severity=_SEVERITIES.get(rdflib.URIRef(str(severity_iri)), Severity.VIOLATION),
                source=str(shape),
                focus=str(focus) if isinstance(focus, rdflib.URIRef) else None,
                path=str(path) if isinstance(path, rdflib.URIRef) else None,
            )
        )
    return sorted(problems, key=lambda p: (p.file, p.line or 0, p.field or ""))


Origin = tuple[str, int | None, dict[str, str]]  # file, line, field of each predicate


def _origins(
    store: Store, graphs: list[NamedNode] | None, nodes: set[str], batch: int = 2000
) -> dict[str, Origin]:
    """Where each node was made: the record its ``prov:wasDerivedFrom`` names, and the fields of its
    classes (:data:`coopkg.loaders.mapping.FIELDS`)."""
    found: dict[str, tuple[tuple[bool, str, int], dict[str, str]]] = {}
    ordered = sorted(nodes)
    for start in range(0, len(ordered), batch):
        values = " ".join(str(NamedNode(n)) for n in ordered[start : start + batch])
        solutions = store.query(
            f"SELECT ?node ?from ?type WHERE {{ VALUES ?node {{ {values} }} "
            f"?node {PROV.wasDerivedFrom} ?from . OPTIONAL {{ ?node a ?type }} }}",
            graphs=graphs,
        )
        assert isinstance(solutions, QuerySolutions)
        for row in solutions:
            node, derived, kind = row["node"], row["from"], row["type"]
            parsed = parse_record_iri(derived.value) if isinstance(derived, NamedNode) else None
            if node is None or parsed is None:
                continue
            _, file, line = parsed
            rank = (line == 0, file, line)
            best, fields = found.get(node.value, (rank, {}))
            if kind is not None:
                for predicate, name in FIELDS.get(kind.value, {}).items():
                    fields.setdefault(predicate, name)
            found[node.value] = (min(best, rank), fields)
    return {node: (file, line or None, fields) for node, ((_, file, line), fields) in found.items()}


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
