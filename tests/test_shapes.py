"""The SHACL shapes against their fixtures, and the house rules the shapes themselves follow.

Every node shape of ``shapes/*.ttl`` needs ``tests/shapes/<ShapeLocalName>/conforming.ttl`` (no
result at all against every shape) and ``violating.ttl`` (at least one sh:Violation from that node
shape or one of its property shapes; a node shape whose sh:severity is sh:Warning, a result of that
severity from the node shape itself). The list of node shapes comes from the shapes, so a new
shape without fixtures fails here.
"""

from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import RDF, RDFS, BNode, Graph, Namespace
from rdflib.collection import Collection
from rdflib.term import Node

from coopkg import resources

SH = Namespace("http://www.w3.org/ns/shacl#")
COOPSH = "https://w3id.org/coopkg/shapes#"
FIXTURES = Path(__file__).parent / "shapes"


def load_shapes() -> Graph:
    shapes = Graph()
    for f in resources.shape_files():
        shapes.parse(data=f.read_text(encoding="utf-8"), format="turtle")
    return shapes


SHAPES = load_shapes()
NODE_SHAPES = sorted(SHAPES.subjects(RDF.type, SH.NodeShape), key=str)
PROPERTY_SHAPES = sorted(
    set(SHAPES.objects(None, SH.property)) | set(SHAPES.subjects(RDF.type, SH.PropertyShape)),
    key=str,
)
CASES = [(shape, kind) for shape in NODE_SHAPES for kind in ("conforming", "violating")]


def local_name(shape: Node) -> str:
    return str(shape).removeprefix(COOPSH)


def languages(node: Node, predicate: Node) -> set[str | None]:
    return {getattr(value, "language", None) for value in SHAPES.objects(node, predicate)}


@pytest.mark.parametrize(("shape", "kind"), CASES, ids=[f"{local_name(s)}/{k}" for s, k in CASES])
def test_fixture(shape: Node, kind: str) -> None:
    path = FIXTURES / local_name(shape) / f"{kind}.ttl"
    assert path.is_file(), f"shape {local_name(shape)} has no fixture {path}"
    data = Graph().parse(path, format="turtle")
    _, report, text = validate(data, shacl_graph=SHAPES, inference="none", advanced=True)
    results = list(report.subjects(RDF.type, SH.ValidationResult))
    if kind == "conforming":
        assert not results, text
    else:
        own = {shape, *SHAPES.objects(shape, SH.property)}
        severity = SHAPES.value(shape, SH.severity, default=SH.Violation)
        if severity != SH.Violation:  # a shape of warnings: its own results
            own = {shape}
        assert any(
            report.value(r, SH.sourceShape) in own and report.value(r, SH.resultSeverity) == severity
            for r in results
        ), f"{path} does not violate {local_name(shape)}:\n{text}"


def test_shapes_are_iris() -> None:
    assert NODE_SHAPES, "no node shapes found in coopkg.shapes"
    in_lists = {  # the only place blank node shapes are allowed
        member
        for operator in (SH["or"], SH.xone)
        for head in SHAPES.objects(None, operator)
        for member in Collection(SHAPES, head)
    }
    shapes = (
        set(NODE_SHAPES)
        | set(PROPERTY_SHAPES)
        | set(SHAPES.subjects(SH.path, None))
        | {o for p in (SH.node, SH["not"], SH.qualifiedValueShape) for o in SHAPES.objects(None, p)}
    ) - set(SHAPES.objects(None, SH.parameter))
    blank = [s for s in shapes - in_lists if isinstance(s, BNode)]
    assert not blank, f"{len(blank)} blank node shapes outside sh:or / sh:xone"


def test_node_shapes_are_documented() -> None:
    for shape in NODE_SHAPES:
        assert "en" in languages(shape, RDFS.label), f"{local_name(shape)} needs rdfs:label @en"
        assert SHAPES.value(shape, SH.description), f"{local_name(shape)} needs sh:description"
        assert SHAPES.value(shape, SH.targetClass), f"{local_name(shape)} needs sh:targetClass"


def test_messages_in_english_and_chinese() -> None:
    sparql_on_node_shapes = {c for s in NODE_SHAPES for c in SHAPES.objects(s, SH.sparql)}
    for shape in [*PROPERTY_SHAPES, *sparql_on_node_shapes]:
        assert {"en", "zh"} <= languages(shape, SH.message), f"{local_name(shape)}: sh:message"
    for shape in PROPERTY_SHAPES:
        assert SHAPES.value(shape, SH.name) and SHAPES.value(shape, SH.path), local_name(shape)
