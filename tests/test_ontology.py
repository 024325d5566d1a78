"""The ontology (ontology/coopkg.ttl) and its SKOS vocabularies (ontology/vocabularies.ttl).

Each check is a helper that returns what is wrong (an empty list when all is well), so a failing
test names every offending term instead of stopping at the first one. The ``test_helper_*`` tests
at the end feed the helpers small broken graphs to show that every check can fail.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib.resources.abc import Traversable

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from coopkg import resources

COOP = Namespace("https://w3id.org/coopkg/ontology#")
ONTOLOGY_IRI = URIRef("https://w3id.org/coopkg/ontology")
VERSION_IRI = URIRef("https://w3id.org/coopkg/ontology/0.1.0")
VOCAB = "https://w3id.org/coopkg/vocab/"
ONTOLOGY_FILE = "coopkg.ttl"
VOCABULARY_FILE = "vocabularies.ttl"

TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
CONCEPT_CLASSES = frozenset(
    COOP[name]
    for name in (
        "AdministrativeLevel",
        "CooperationArea",
        "DivisionType",
        "EventType",
        "InstrumentType",
        "MechanismType",
    )
)


# --- reading -------------------------------------------------------------------------------------


def _files() -> dict[str, Traversable]:
    return {f.name: f for f in resources.ontology_files()}


def _parse(files: Iterable[Traversable]) -> Graph:
    graph = Graph()
    for f in files:
        graph.parse(data=f.read_text(encoding="utf-8"), format="turtle")
    return graph


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return _parse([_files()[ONTOLOGY_FILE]])


@pytest.fixture(scope="module")
def vocabularies() -> Graph:
    return _parse([_files()[VOCABULARY_FILE]])


@pytest.fixture(scope="module")
def everything() -> Graph:
    return _parse(_files().values())


# --- checks: each returns the list of problems ---------------------------------------------------


def coop_terms(graph: Graph) -> list[URIRef]:
    """Every coop: class or property the graph declares."""
    return sorted(
        {
            s
            for t in TERM_TYPES
            for s in graph.subjects(RDF.type, t)
            if isinstance(s, URIRef) and str(s).startswith(str(COOP))
        }
    )


def concepts(graph: Graph) -> list[URIRef]:
    """Every SKOS concept the graph states (blank-node concepts are reported by other checks)."""
    return sorted({s for s in graph.subjects(RDF.type, SKOS.Concept) if isinstance(s, URIRef)})


def _has_text(graph: Graph, subject: Node, predicate: URIRef, lang: str) -> bool:
    return any(
        isinstance(o, Literal)
        and o.language is not None
        and o.language.lower().split("-")[0] == lang
        and str(o).strip() != ""
        for o in graph.objects(subject, predicate)
    )


def missing_texts(
    graph: Graph, subjects: Iterable[Node], predicates: Iterable[URIRef], langs: Iterable[str]
) -> list[str]:
    """``subject predicate @lang`` for every language-tagged text that is missing or empty."""
    predicates, langs = list(predicates), list(langs)
    return [
        f"{s.n3()} {graph.qname(p)} @{lang}"
        for s in subjects
        for p in predicates
        for lang in langs
        if not _has_text(graph, s, p, lang)
    ]


def term_problems(graph: Graph) -> list[str]:
    """coop: terms without labels and definitions in English and Chinese, or without isDefinedBy."""
    terms = coop_terms(graph)
    problems = missing_texts(graph, terms, [RDFS.label, SKOS.definition], ["en", "zh"])
    problems += [
        f"{t.n3()} rdfs:isDefinedBy" for t in terms if (t, RDFS.isDefinedBy, ONTOLOGY_IRI) not in graph
    ]
    return problems


def concept_problems(graph: Graph) -> list[str]:
    """Concepts lacking prefLabel @en/@zh, notation or scheme, or with two prefLabels in one tag."""
    found = concepts(graph)
    problems = missing_texts(graph, found, [SKOS.prefLabel], ["en", "zh"])
    for c in found:
        if not any(isinstance(o, Literal) for o in graph.objects(c, SKOS.notation)):
            problems.append(f"{c.n3()} skos:notation")
        if graph.value(c, SKOS.inScheme) is None:
            problems.append(f"{c.n3()} skos:inScheme")
        langs = [o.language for o in graph.objects(c, SKOS.prefLabel) if isinstance(o, Literal)]
        problems += [
            f"{c.n3()} has more than one prefLabel @{lang}" for lang in set(langs) if langs.count(lang) > 1
        ]
    return problems


def concept_iri_problems(graph: Graph) -> list[str]:
    """Concepts whose IRI is not {vocab}/{scheme}/{notation} for their scheme and notation."""
    problems = []
    for c in concepts(graph):
        expected = {
            f"{scheme}/{notation}"
            for scheme in graph.objects(c, SKOS.inScheme)
            for notation in graph.objects(c, SKOS.notation)
            if str(scheme).startswith(VOCAB)
        }
        if str(c) not in expected:
            problems.append(f"{c.n3()} is not one of {sorted(expected)}")
    return problems


def concept_class_problems(graph: Graph) -> list[str]:
    """Concepts without exactly one coop: concept class, and schemes that are not described."""
    problems = []
    for c in concepts(graph):
        classes = set(graph.objects(c, RDF.type)) & CONCEPT_CLASSES
        if len(classes) != 1:
            names = sorted(str(k) for k in classes)
            problems.append(f"{c.n3()} has coop: concept classes {names}")
    schemes = sorted({s for c in concepts(graph) for s in graph.objects(c, SKOS.inScheme)}, key=str)
    problems += [
        f"{s.n3()} is not a skos:ConceptScheme"
        for s in schemes
        if (s, RDF.type, SKOS.ConceptScheme) not in graph
    ]
    problems += missing_texts(graph, schemes, [SKOS.prefLabel, DCTERMS.title], ["en", "zh"])
    return problems


def imports(graph: Graph) -> list[str]:
    return [f"{s.n3()} owl:imports {o.n3()}" for s, o in graph.subject_objects(OWL.imports)]


def stray_blank_nodes(graph: Graph) -> list[str]:
    """Blank nodes that are neither OWL class expressions nor cells of the RDF lists they use."""
    allowed = {OWL.Class, OWL.Restriction}
    nodes = {n for triple in graph for n in triple if isinstance(n, BNode)}
    return sorted(
        f"{n.n3()} ({', '.join(sorted(graph.qname(str(p)) for p in graph.predicates(n)))})"
        for n in nodes
        if not (set(graph.objects(n, RDF.type)) & allowed or (n, RDF.first, None) in graph)
    )


# --- the tests -----------------------------------------------------------------------------------


def test_both_files_are_shipped() -> None:
    assert {ONTOLOGY_FILE, VOCABULARY_FILE} <= set(_files())


@pytest.mark.parametrize("name", [ONTOLOGY_FILE, VOCABULARY_FILE])
def test_file_parses_as_turtle(name: str) -> None:
    graph = _parse([_files()[name]])
    assert len(graph) > 0, f"{name} parsed to an empty graph"


def test_ontology_has_version_iri_and_licence(ontology: Graph) -> None:
    problems = []
    if (ONTOLOGY_IRI, RDF.type, OWL.Ontology) not in ontology:
        problems.append(f"{ONTOLOGY_IRI.n3()} is not an owl:Ontology")
    if set(ontology.objects(ONTOLOGY_IRI, OWL.versionIRI)) != {VERSION_IRI}:
        problems.append(f"owl:versionIRI is not {VERSION_IRI.n3()}")
    if not any(str(v) == "0.1.0" for v in ontology.objects(ONTOLOGY_IRI, OWL.versionInfo)):
        problems.append('owl:versionInfo is not "0.1.0"')
    licences = list(ontology.objects(ONTOLOGY_IRI, DCTERMS.license))
    if len(licences) != 1 or not isinstance(licences[0], URIRef):
        problems.append(f"dcterms:license should be one IRI, found {licences}")
    assert problems == []


def test_there_are_no_imports(everything: Graph) -> None:
    assert imports(everything) == []


def test_every_term_has_labels_and_definitions(ontology: Graph) -> None:
    assert coop_terms(ontology), "no coop: classes or properties found"
    assert term_problems(ontology) == []


def test_every_concept_has_labels_notation_and_scheme(vocabularies: Graph) -> None:
    assert concepts(vocabularies), "no SKOS concepts found"
    assert concept_problems(vocabularies) == []


def test_concept_iris_are_scheme_plus_notation(vocabularies: Graph) -> None:
    assert concept_iri_problems(vocabularies) == []


def test_concepts_are_typed_and_schemes_described(vocabularies: Graph) -> None:
    assert concept_class_problems(vocabularies) == []


def test_concept_classes_are_skos_concepts(ontology: Graph) -> None:
    missing = [c.n3() for c in sorted(CONCEPT_CLASSES) if (c, RDFS.subClassOf, SKOS.Concept) not in ontology]
    assert missing == []


def test_blank_nodes_only_in_class_expressions(ontology: Graph, vocabularies: Graph) -> None:
    assert stray_blank_nodes(ontology) == []
    assert [n for t in vocabularies for n in t if isinstance(n, BNode)] == []


# --- the checks can fail -------------------------------------------------------------------------

_BROKEN = """
@prefix coop: <https://w3id.org/coopkg/ontology#> .
@prefix owl:  <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://w3id.org/coopkg/ontology> owl:imports <http://example.org/other> .
coop:Thing a owl:Class ; rdfs:label "thing"@en , ""@zh ;
    skos:definition "A thing."@en ; rdfs:subClassOf [ a owl:Restriction ] .
coop:prop a owl:ObjectProperty ; rdfs:comment [ rdfs:label "stray" ] .
<https://w3id.org/coopkg/vocab/area/x> a skos:Concept ;
    skos:prefLabel "x"@en , "y"@en ; skos:inScheme <https://w3id.org/coopkg/vocab/area> .
<https://w3id.org/coopkg/vocab/area/z> a skos:Concept , coop:CooperationArea ;
    skos:notation "other" .
"""


@pytest.fixture
def broken() -> Graph:
    return Graph().parse(data=_BROKEN, format="turtle")


def test_helper_term_problems_reports_missing_texts(broken: Graph) -> None:
    thing, prop = COOP.Thing.n3(), COOP.prop.n3()
    problems = term_problems(broken)
    assert f"{thing} skos:definition @zh" in problems
    assert f"{thing} rdfs:label @zh" in problems  # an empty string is not a label
    assert f"{thing} rdfs:label @en" not in problems
    assert f"{prop} rdfs:label @en" in problems
    assert f"{prop} rdfs:isDefinedBy" in problems


def test_helper_concept_checks_report_problems(broken: Graph) -> None:
    x, z = "<https://w3id.org/coopkg/vocab/area/x>", "<https://w3id.org/coopkg/vocab/area/z>"
    problems = concept_problems(broken)
    assert f"{x} skos:prefLabel @zh" in problems
    assert f"{x} skos:notation" in problems
    assert f"{x} has more than one prefLabel @en" in problems
    assert f"{z} skos:inScheme" in problems
    assert len(concept_iri_problems(broken)) == 2
    classes = concept_class_problems(broken)
    assert any(p.startswith(x) for p in classes)
    assert not any(p.startswith(z) for p in classes)
    assert "<https://w3id.org/coopkg/vocab/area> is not a skos:ConceptScheme" in classes


def test_helper_imports_and_blank_nodes_are_reported(broken: Graph) -> None:
    assert len(imports(broken)) == 1
    stray = stray_blank_nodes(broken)
    assert len(stray) == 1
    assert "rdfs:label" in stray[0]
