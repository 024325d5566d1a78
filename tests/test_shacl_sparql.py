"""The SPARQL-compiled shapes (coopkg.shacl_sparql) give the results pySHACL gives.

Each case runs pySHACL as coopkg.validation does (inference="none", advanced=True,
allow_warnings=True) and the compiled queries on Oxigraph, and compares the results as sets of
(focus node, path, value, source shape, severity). Literal values are compared in Oxigraph's
canonical form ("01"^^xsd:integer is "1"), the form the store keeps.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import rdflib
from pyoxigraph import NamedNode, Quad, RdfFormat, parse
from pyoxigraph import Store as OxStore
from pyshacl import validate as pyshacl_validate
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from coopkg import resources
from coopkg.loaders import read_dataset
from coopkg.reference import Reference
from coopkg.shacl_sparql import (
    Compiled,
    UnsupportedShape,
    compile_shapes,
    to_oxigraph,
    to_rdflib,
    validate_quads,
    validate_store,
)
from coopkg.store import Store
from coopkg.validation import shapes_graph
from coopkg.validation import to_rdflib as quads_to_rdflib

Key = tuple[str, str | None, str | None, str, str]
SHAPES = shapes_graph()
FIXTURES = sorted((Path(__file__).parent / "shapes").glob("*/*.ttl"))


@cache
def compiled() -> Compiled:
    return compile_shapes(SHAPES)


def canonical(node: Node | None) -> str | None:
    """A term as Oxigraph stores it (literals in canonical form)."""
    if node is None:
        return None
    if not isinstance(node, rdflib.Literal):
        return str(node)
    store = OxStore()
    subject = NamedNode("urn:x")
    store.add(Quad(subject, subject, to_oxigraph(node)))
    return str(to_rdflib(next(iter(store)).object))


def pyshacl_keys(data: rdflib.Graph, shapes: rdflib.Graph, *, allow_warnings: bool = True) -> set[Key]:
    _, report, _ = pyshacl_validate(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=allow_warnings
    )
    keys = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        path = report.value(result, SH.resultPath)
        keys.add(
            (
                canonical(report.value(result, SH.focusNode)) or "",
                None if path is None else str(path),
                canonical(report.value(result, SH.value)),
                str(report.value(result, SH.sourceShape)),
                str(report.value(result, SH.resultSeverity)),
            )
        )
    return keys


def fast_keys(quads: list[Quad], shapes: rdflib.Graph | Compiled) -> set[Key]:
    return {result.key() for result in validate_quads(quads, shapes)}


def agree(
    quads: list[Quad],
    shapes: rdflib.Graph,
    shapes_compiled: rdflib.Graph | Compiled,
    *,
    allow_warnings: bool = True,
) -> set[Key]:
    expected = pyshacl_keys(quads_to_rdflib(quads), shapes, allow_warnings=allow_warnings)
    found = fast_keys(quads, shapes_compiled)
    assert found == expected, {"missing": expected - found, "extra": found - expected}
    return found


@pytest.mark.parametrize("path", FIXTURES, ids=[f"{p.parent.name}/{p.stem}" for p in FIXTURES])
def test_fixture_agrees_with_pyshacl(path: Path) -> None:
    quads = list(parse(path.read_bytes(), format=RdfFormat.TURTLE))
    found = agree(quads, SHAPES, compiled())
    assert bool(found) == (path.stem == "violating")


def test_example_agrees_with_pyshacl() -> None:
    reference = Reference.bundled()
    submission = read_dataset(resources.example_path("tibet-expo-2023"), reference)
    quads = [*submission.quads, *submission.provenance, *reference.about(submission.external)]
    agree(quads, SHAPES, compiled())


def test_store_graphs() -> None:
    """validate_store reads the union of the graphs, or the graphs given."""
    path = Path(__file__).parent / "shapes" / "AgentShape" / "violating.ttl"
    graph = NamedNode("https://w3id.org/coopkg/graph/test")
    store = Store()
    store.add(
        Quad(q.subject, q.predicate, q.object, graph)
        for q in parse(path.read_bytes(), format=RdfFormat.TURTLE)
    )
    assert validate_store(store, compiled())
    assert validate_store(store, compiled(), graphs=[graph])
    assert not validate_store(store, compiled(), graphs=[NamedNode("https://w3id.org/coopkg/graph/none")])


# -- every supported constraint component, against pySHACL ----------------------------------------

PREFIXES = """
@prefix ex:   <http://example.org/> .
@prefix rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix sh:   <http://www.w3.org/ns/shacl#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix owl:  <http://www.w3.org/2002/07/owl#> .
"""

SYNTHETIC_SHAPES = (
    PREFIXES
    + r"""
ex:shapes a owl:Ontology ; sh:declare [ sh:prefix "ex" ; sh:namespace "http://example.org/"^^xsd:anyURI ] .

ex:ThingShape a sh:NodeShape ;
    sh:targetClass ex:Thing ;
    sh:xone ( [ sh:path ex:a ; sh:minCount 1 ] [ sh:path ex:b ; sh:minCount 1 ] ) ;
    sh:property [ sh:path ex:count ; sh:datatype xsd:integer ; sh:minInclusive 1 ; sh:maxExclusive 10 ;
          sh:maxCount 2 ] ,
        [ sh:path ex:name ; sh:minCount 2 ; sh:maxCount 3 ; sh:minLength 2 ; sh:maxLength 5 ;
          sh:pattern "^a" ; sh:flags "i" ] ,
        [ sh:path ex:code ; sh:pattern "^[0-9]{3}$" ] ,
        [ sh:path ex:code ; sh:pattern "^\\w+$" ; sh:severity sh:Info ] ,
        [ sh:path ex:label ; sh:languageIn ( "en" "zh-hans" ) ; sh:uniqueLang true ] ,
        [ sh:path ex:kind ; sh:in ( ex:A ex:B "x" 1 ) ] ,
        [ sh:path rdf:type ; sh:hasValue ex:Thing ; sh:severity sh:Warning ] ,
        [ sh:path ( ex:part ex:name ) ; sh:minCount 1 ] ,
        [ sh:path [ sh:inversePath ex:owns ] ; sh:class ex:Owner ] ,
        [ sh:path [ sh:alternativePath ( ex:a ex:b ) ] ; sh:nodeKind sh:IRI ] ,
        [ sh:path [ sh:zeroOrMorePath ex:next ] ; sh:maxCount 3 ] ,
        [ sh:path [ sh:oneOrMorePath ex:next ] ; sh:nodeKind sh:BlankNodeOrIRI ] ,
        [ sh:path ex:date ; sh:datatype xsd:date ] ,
        [ sh:path ex:when ; sh:or ( [ sh:datatype xsd:date ] [ sh:datatype xsd:gYear ] ) ] ,
        [ sh:path ex:score ; sh:maxInclusive 5.5 ; sh:minExclusive 0 ] ,
        [ sh:path ex:word ; sh:minInclusive "b" ] ,
        [ sh:path ex:flag ; sh:datatype xsd:boolean ] ,
        [ sh:path ex:friend ; sh:node ex:FriendShape ] ,
        [ sh:path ex:friend ; sh:not [ sh:class ex:Enemy ] ] ,
        [ sh:path ex:friend ; sh:and ( [ sh:nodeKind sh:IRI ] [ sh:class ex:Person ] ) ] ,
        [ sh:path ex:friend ; sh:or ( ex:WarnShape [ sh:class ex:Pal ] ) ] ,
        [ sh:path ex:friend ; sh:qualifiedValueShape [ sh:class ex:Person ] ;
          sh:qualifiedMinCount 2 ; sh:qualifiedMaxCount 3 ] ,
        [ sh:path ex:friend ; sh:sparql [
            sh:prefixes ex:shapes ;
            sh:message "{$this} has the enemy {?value}"@en ;
            sh:select "SELECT $this ?value WHERE { $this $PATH ?value . ?value a ex:Enemy }" ] ] .

ex:FriendShape a sh:NodeShape ;
    sh:property [ sh:path ex:name ; sh:minCount 1 ] ,
        [ sh:path ex:nick ; sh:maxCount 1 ; sh:severity sh:Warning ] .

ex:WarnShape a sh:NodeShape ; sh:severity sh:Warning ; sh:class ex:Nobody .

ex:HandShape a sh:NodeShape ;
    sh:targetClass ex:Hand ;
    sh:property ex:thumbs , ex:fingers ;
    sh:sparql [
        sh:message "too many digits"@en , "手指太多"@zh ;
        sh:select '''SELECT $this (COUNT(?d) AS ?n) WHERE { $this <http://example.org/digit> ?d }
            GROUP BY $this HAVING (COUNT(?d) > 5)''' ] ,
      [ sh:select "SELECT ?value WHERE { $this <http://example.org/odd> ?value }" ] ,
      [ sh:message "few digits"@en ;  # set-based: the subquery is grouped by $this
        sh:select '''SELECT $this ?value WHERE {
            { SELECT $this (COUNT(?d) AS ?value) WHERE { $this <http://example.org/digit> ?d }
              GROUP BY $this }
            FILTER(?value < 3) }''' ] ,
      [ sh:message "digits of the least odd"@en ;  # per focus: the subquery's LIMIT cuts across nodes
        sh:select '''SELECT $this ?value WHERE { $this <http://example.org/digit> ?value .
            { SELECT $this ?o WHERE { $this <http://example.org/odd> ?o } ORDER BY ?o LIMIT 1 } }''' ] .
ex:thumbs sh:path ex:digit ; sh:qualifiedValueShape [ sh:class ex:Thumb ] ;
    sh:qualifiedMinCount 1 ; sh:qualifiedMaxCount 1 ; sh:qualifiedValueShapesDisjoint true .
ex:fingers sh:path ex:digit ; sh:qualifiedValueShape [ sh:class ex:Finger ] ;
    sh:qualifiedMinCount 4 ; sh:qualifiedMaxCount 4 ; sh:qualifiedValueShapesDisjoint true .

ex:TargetsShape a sh:NodeShape ;
    sh:targetNode ex:lonely , "lit" ;
    sh:targetSubjectsOf ex:owns ;
    sh:targetObjectsOf ex:friend ;
    sh:nodeKind sh:IRI ;
    sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:severity sh:Info ] .

ex:Person a rdfs:Class , sh:NodeShape ;
    sh:property [ sh:path ex:age ; sh:datatype xsd:integer ; sh:maxInclusive 150 ] .

ex:OffShape a sh:NodeShape ; sh:targetClass ex:Thing ; sh:deactivated true ; sh:minLength 100 .
"""
)

SYNTHETIC_DATA = (
    PREFIXES
    + r"""
ex:SubThing rdfs:subClassOf ex:Thing .
ex:Pal rdfs:subClassOf ex:Person .

ex:t1 a ex:SubThing ;
    ex:a ex:x ; ex:b "lit" ;
    ex:count " 12"^^xsd:integer , "abc"^^xsd:integer , 0 ;
    ex:name "ab" , "Abcdef" , "zz" , "a" ;
    ex:code "123" , "12" , "123\n" , "12 3" ;
    ex:label "x"@en-GB , "y"@zh-Hans-CN , "z"@fr , "w" , "v"@EN ;
    ex:kind ex:C , "x" , 1 , "1"^^xsd:decimal ;
    ex:next ex:n1 ; ex:date "2023-02-30"^^xsd:date , "2023-08-25"^^xsd:date , "12345-01-01"^^xsd:date , "x" ;
    ex:when "2023"^^xsd:gYear , "2023-08"^^xsd:gYearMonth ;
    ex:score 5.5 , 6 , 0 , "1e0"^^xsd:double , "x" , " 3"^^xsd:integer ;
    ex:word "a" , "c" , 5 ;
    ex:flag true , "yes"^^xsd:boolean , "1"^^xsd:boolean ;
    ex:friend ex:p1 , ex:p2 , ex:e1 , "f" .
ex:n1 ex:next ex:n2 . ex:n2 ex:next ex:n3 .
ex:o1 a ex:Person ; ex:owns ex:t1 .
ex:p1 a ex:Person ; ex:name "P" ; ex:nick "a" , "b" ; ex:age 200 .
ex:p2 a ex:Pal ; ex:name "Q" ; ex:age "old" .
ex:e1 a ex:Enemy , ex:Person .

ex:t2 a ex:Thing ; ex:part ex:q ; ex:a ex:x ; ex:name "ax" , "ay" ; ex:label "a"@en , "b"@en .
ex:q ex:name "n" .

ex:h1 a ex:Hand ; ex:digit ex:d1 , ex:d2 , ex:d3 , ex:d4 , ex:d5 , ex:d6 ; ex:odd 7 .
ex:d1 a ex:Thumb , ex:Finger . ex:d2 a ex:Thumb . ex:d3 a ex:Finger . ex:d4 a ex:Finger .
ex:d5 a ex:Finger . ex:d6 a ex:Finger .
ex:h2 a ex:Hand ; ex:digit ex:d2 , ex:d3 ; ex:odd 9 .
"""
)


@pytest.mark.parametrize("allow_warnings", [True, False])
def test_synthetic_shapes_agree_with_pyshacl(allow_warnings: bool) -> None:
    shapes = rdflib.Graph().parse(data=SYNTHETIC_SHAPES, format="turtle")
    quads = list(parse(SYNTHETIC_DATA, format=RdfFormat.TURTLE))
    compiled_shapes = compile_shapes(shapes, allow_warnings=allow_warnings)
    found = agree(quads, shapes, compiled_shapes, allow_warnings=allow_warnings)
    components = {r.component for r in validate_quads(quads, compiled_shapes)}
    assert len(components) >= 20, sorted(components)
    assert len(found) > 40


def test_sparql_constraints_run_set_based_when_that_is_safe() -> None:
    """A constraint grouped by $this is checked for every focus node in one query; one whose
    subquery cuts across focus nodes (LIMIT) runs once per node, $this bound in the subquery too."""
    shapes = rdflib.Graph().parse(data=SYNTHETIC_SHAPES, format="turtle")
    per_focus = {
        next(iter(_messages_of(shapes, c.constraint)), ""): c.focus_query is not None
        for c in compile_shapes(shapes).sparql_checks
    }
    assert per_focus["too many digits"] is False
    assert per_focus["few digits"] is False
    assert per_focus["digits of the least odd"] is True
    [totals] = [c for c in compiled().sparql_checks if str(c.constraint).endswith("#totals-not-contradicted")]
    assert totals.focus_query is None
    assert "GROUP BY $this" in totals.text  # one query over every event, grouped by event


def _messages_of(shapes: rdflib.Graph, constraint: Node) -> list[str]:
    return [str(m) for m in shapes.objects(constraint, SH.message) if getattr(m, "language", None) == "en"]


def test_totals_contradicted_by_the_listed_agreements_are_a_warning() -> None:
    path = Path(__file__).parent / "shapes" / "EventTotalsShape" / "violating.ttl"
    quads = list(parse(path.read_bytes(), format=RdfFormat.TURTLE))
    [result] = validate_quads(quads, compiled())
    assert result.severity == SH.Warning and str(result.value) == "1"
    assert str(result.focus).endswith("/event/expo-2023")
    assert "framework-agreement" in result.message("en")
    assert "2 listed, 1 reported" in result.message("en")
    assert "列出 2 项" in result.message("zh") and "报告 1 项" in result.message("zh")


def test_messages_by_language() -> None:
    shapes = rdflib.Graph().parse(data=SYNTHETIC_SHAPES, format="turtle")
    quads = list(parse(SYNTHETIC_DATA, format=RdfFormat.TURTLE))
    results = validate_quads(quads, compile_shapes(shapes))
    sparql = [r for r in results if r.component == SH.SPARQLConstraintComponent]
    assert "http://example.org/t1 has the enemy http://example.org/e1" in {r.message("en") for r in sparql}
    assert "手指太多" in {r.message("zh") for r in sparql}


# -- what the compiler does not know fails loudly --------------------------------------------------


@pytest.mark.parametrize(
    "constraint",
    [
        "sh:closed true",
        "sh:property [ sh:path ex:a ; sh:equals ex:b ]",
        "sh:property [ sh:path ex:a ; sh:lessThan ex:b ]",
        "sh:target [ a sh:SPARQLTarget ; sh:select 'SELECT ?this WHERE { ?this ?p ?o }' ]",
        "sh:property [ sh:path ex:a ; sh:datatyp xsd:string ]",
    ],
)
def test_unknown_constraint_fails_loudly(constraint: str) -> None:
    shapes = rdflib.Graph().parse(
        data=PREFIXES + f"ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; {constraint} .", format="turtle"
    )
    with pytest.raises(UnsupportedShape):
        compile_shapes(shapes)


def test_custom_component_fails_loudly() -> None:
    shapes = rdflib.Graph().parse(
        data=PREFIXES
        + """ex:C a sh:ConstraintComponent ; sh:parameter [ sh:path ex:p ] .
        ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; ex:p 1 .""",
        format="turtle",
    )
    with pytest.raises(UnsupportedShape, match="custom constraint components"):
        compile_shapes(shapes)
