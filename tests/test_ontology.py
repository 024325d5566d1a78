"""The ontology (ontology/coopkg.ttl), its SKOS vocabularies (ontology/vocabularies.ttl) and the
mirrored classifications with the areas' mappings to them (ontology/classifications.ttl).

Each check is a helper that returns what is wrong (an empty list when all is well), so a failing
test names every offending term instead of stopping at the first one. The ``test_helper_*`` tests
at the end feed the helpers small broken graphs to show that every check can fail.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib.resources.abc import Traversable
from types import ModuleType

import pytest
from pyoxigraph import RdfFormat, parse
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
CLASSIFICATIONS_FILE = "classifications.ttl"

AREA_SCHEME = URIRef(VOCAB + "area")
DAC_SCHEME = URIRef(VOCAB + "dac-crs")
COFOG_SCHEME = URIRef(VOCAB + "cofog")
EUROVOC = "http://eurovoc.europa.eu/"
EUROVOC_SCHEME = URIRef(EUROVOC + "100141")
# The external classifications mirrored in classifications.ttl, and where their concepts live.
MIRRORED = {DAC_SCHEME: VOCAB + "dac-crs/", COFOG_SCHEME: VOCAB + "cofog/", EUROVOC_SCHEME: EUROVOC}
MIRRORED_LANGS = {DAC_SCHEME: {"en", "fr"}, COFOG_SCHEME: {"en", "fr", "es"}, EUROVOC_SCHEME: {"en"}}
MATCHES = (SKOS.exactMatch, SKOS.closeMatch)
XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")

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


def own_concepts(graph: Graph) -> list[URIRef]:
    """The concepts of coopkg's own vocabularies: under {VOCAB}, but not a mirrored classification."""
    mirrored = tuple(MIRRORED.values())
    return [c for c in concepts(graph) if str(c).startswith(VOCAB) and not str(c).startswith(mirrored)]


def mirrored_concepts(graph: Graph, scheme: URIRef) -> list[URIRef]:
    """The concepts of one mirrored classification: its IRI space, or stated to be in its scheme."""
    return [
        c
        for c in concepts(graph)
        if str(c).startswith(MIRRORED[scheme]) or (c, SKOS.inScheme, scheme) in graph
    ]


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
    """Own concepts lacking prefLabel @en/@zh, notation or scheme, or with two prefLabels in one tag."""
    found = own_concepts(graph)
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
    """Own concepts whose IRI is not {vocab}/{scheme}/{notation} for their scheme and notation."""
    problems = []
    for c in own_concepts(graph):
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
    """Own concepts without exactly one coop: concept class, and schemes that are not described."""
    problems = []
    for c in own_concepts(graph):
        classes = set(graph.objects(c, RDF.type)) & CONCEPT_CLASSES
        if len(classes) != 1:
            names = sorted(str(k) for k in classes)
            problems.append(f"{c.n3()} has coop: concept classes {names}")
    schemes = sorted({s for c in own_concepts(graph) for s in graph.objects(c, SKOS.inScheme)}, key=str)
    problems += [
        f"{s.n3()} is not a skos:ConceptScheme"
        for s in schemes
        if (s, RDF.type, SKOS.ConceptScheme) not in graph
    ]
    problems += missing_texts(graph, schemes, [SKOS.prefLabel, DCTERMS.title], ["en", "zh"])
    return problems


def mirrored_problems(graph: Graph, scheme: URIRef) -> list[str]:
    """Concepts of a mirrored classification that lack a plain notation, their scheme or an English
    prefLabel, whose IRI is not the classification's IRI for the notation, that carry a label in a
    language the source does not give or a coop: concept class, or whose broader concept is not in
    the same scheme; and the scheme itself if it is not described."""
    found = mirrored_concepts(graph, scheme)
    problems = missing_texts(graph, found, [SKOS.prefLabel], ["en"])
    for c in found:
        notations = list(graph.objects(c, SKOS.notation))
        plain = [
            n
            for n in notations
            if isinstance(n, Literal) and not n.language and n.datatype in (None, XSD_STRING)
        ]
        if len(notations) != 1 or len(plain) != 1:
            problems.append(f"{c.n3()} needs one plain skos:notation, has {notations}")
        elif str(c) != MIRRORED[scheme] + str(plain[0]):
            problems.append(f"{c.n3()} is not {MIRRORED[scheme]}{plain[0]}")
        if set(graph.objects(c, SKOS.inScheme)) != {scheme}:
            problems.append(f"{c.n3()} skos:inScheme is not only {scheme.n3()}")
        langs = [o.language for o in graph.objects(c, SKOS.prefLabel) if isinstance(o, Literal)]
        problems += [
            f"{c.n3()} has prefLabel @{lang}" for lang in sorted(set(langs) - MIRRORED_LANGS[scheme], key=str)
        ]
        problems += [
            f"{c.n3()} has more than one prefLabel @{lang}" for lang in set(langs) if langs.count(lang) > 1
        ]
        if set(graph.objects(c, RDF.type)) & CONCEPT_CLASSES:
            problems.append(f"{c.n3()} is typed with a coop: concept class")
        problems += [
            f"{c.n3()} skos:broader {b.n3()} is not a concept of {scheme.n3()}"
            for b in graph.objects(c, SKOS.broader)
            if (b, SKOS.inScheme, scheme) not in graph or (b, RDF.type, SKOS.Concept) not in graph
        ]
    if (scheme, RDF.type, SKOS.ConceptScheme) not in graph:
        problems.append(f"{scheme.n3()} is not a skos:ConceptScheme")
    problems += missing_texts(graph, [scheme], [SKOS.prefLabel, DCTERMS.rights], ["en"])
    if graph.value(scheme, DCTERMS.source) is None:
        problems.append(f"{scheme.n3()} dcterms:source")
    return problems


def mapping_problems(graph: Graph) -> list[str]:
    """Areas without an exactMatch or closeMatch into DAC CRS and into COFOG; matches that are not
    mirrored concepts or that are both exact and close; concepts that two areas match exactly."""
    areas = sorted(set(graph.subjects(SKOS.inScheme, AREA_SCHEME)))
    known = {c: s for s in MIRRORED for c in mirrored_concepts(graph, s)}
    problems = []
    for area in areas:
        targets = {o for p in MATCHES for o in graph.objects(area, p)}
        problems += [
            f"{area.n3()} has no exactMatch or closeMatch into {s.n3()}"
            for s in (DAC_SCHEME, COFOG_SCHEME)
            if not any(known.get(t) == s for t in targets)
        ]
    for p in MATCHES:
        for s, o in sorted(graph.subject_objects(p)):
            if s not in areas:
                problems.append(f"{s.n3()} {graph.qname(p)} {o.n3()}: not a cooperation area")
            if o not in known:
                problems.append(f"{s.n3()} {graph.qname(p)} {o.n3()}: not a mirrored concept")
            if p == SKOS.exactMatch and (s, SKOS.closeMatch, o) in graph:
                problems.append(f"{s.n3()} matches {o.n3()} both exactly and closely")
    for o in sorted(set(graph.objects(None, SKOS.exactMatch))):
        exact = sorted(graph.subjects(SKOS.exactMatch, o))
        if len(exact) > 1:
            problems.append(f"{o.n3()} is an exactMatch of {len(exact)} areas: {[a.n3() for a in exact]}")
    return problems


def imports(graph: Graph) -> list[str]:
    return [f"{s.n3()} owl:imports {o.n3()}" for s, o in graph.subject_objects(OWL.imports)]


def stray_blank_nodes(graph: Graph) -> list[str]:
    """Blank nodes that are not OWL expressions (classes, inverse properties, disjointness and
    difference axioms) nor cells of the RDF lists they use."""
    allowed = {OWL.Class, OWL.Restriction, OWL.AllDisjointClasses, OWL.AllDifferent}
    nodes = {n for triple in graph for n in triple if isinstance(n, BNode)}
    return sorted(
        f"{n.n3()} ({', '.join(sorted(graph.qname(str(p)) for p in graph.predicates(n)))})"
        for n in nodes
        if not (
            set(graph.objects(n, RDF.type)) & allowed
            or (n, RDF.first, None) in graph
            or (n, OWL.inverseOf, None) in graph
        )
    )


# --- the tests -----------------------------------------------------------------------------------


def test_the_files_are_shipped() -> None:
    assert {ONTOLOGY_FILE, VOCABULARY_FILE, CLASSIFICATIONS_FILE} <= set(_files())


@pytest.mark.parametrize("name", [ONTOLOGY_FILE, VOCABULARY_FILE, CLASSIFICATIONS_FILE])
def test_file_parses_as_turtle(name: str) -> None:
    graph = _parse([_files()[name]])
    assert len(graph) > 0, f"{name} parsed to an empty graph"
    quads = list(parse(_files()[name].read_bytes(), format=RdfFormat.TURTLE))  # as the store reads it
    assert len(quads) == len(graph)


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


def test_every_concept_has_labels_notation_and_scheme(everything: Graph) -> None:
    assert own_concepts(everything), "no SKOS concepts found"
    assert concept_problems(everything) == []


def test_concept_iris_are_scheme_plus_notation(everything: Graph) -> None:
    assert concept_iri_problems(everything) == []


def test_concepts_are_typed_and_schemes_described(everything: Graph) -> None:
    assert concept_class_problems(everything) == []


@pytest.mark.parametrize("scheme", sorted(MIRRORED), ids=lambda s: str(s).rstrip("/").rsplit("/", 1)[-1])
def test_mirrored_classifications_are_well_formed(scheme: URIRef, everything: Graph) -> None:
    assert mirrored_concepts(everything, scheme), f"no concepts of {scheme}"
    assert mirrored_problems(everything, scheme) == []


def test_mirrored_classifications_keep_their_hierarchy(everything: Graph) -> None:
    def broader(iri: str) -> list[str]:
        return sorted(str(b) for b in everything.objects(URIRef(iri), SKOS.broader))

    assert broader(VOCAB + "cofog/08.2.0") == [VOCAB + "cofog/08.2"]
    assert broader(VOCAB + "cofog/08.2") == [VOCAB + "cofog/08"]
    assert broader(VOCAB + "cofog/08") == []
    assert broader(VOCAB + "dac-crs/33210") == [VOCAB + "dac-crs/332"]
    assert broader(VOCAB + "dac-crs/332") == []
    assert (
        len(mirrored_concepts(everything, DAC_SCHEME)),
        len(mirrored_concepts(everything, COFOG_SCHEME)),
    ) == (
        369,
        188,
    )


def test_every_area_maps_into_dac_crs_and_cofog(everything: Graph) -> None:
    assert mapping_problems(everything) == []
    tourism = URIRef(VOCAB + "area/tourism")
    assert (tourism, SKOS.exactMatch, URIRef(EUROVOC + "4470")) in everything
    assert (URIRef(VOCAB + "area/education"), SKOS.exactMatch, URIRef(VOCAB + "cofog/09")) in everything
    assert (URIRef(VOCAB + "area/health"), SKOS.exactMatch, URIRef(VOCAB + "cofog/07")) in everything
    assert (tourism, SKOS.closeMatch, URIRef(VOCAB + "dac-crs/33210")) in everything


def test_classifications_file_is_up_to_date(generator: ModuleType) -> None:
    fresh = generator.build()
    shipped = _files()[CLASSIFICATIONS_FILE].read_text(encoding="utf-8")
    assert shipped == fresh, "ontology/classifications.ttl is stale: run tools/build_classifications.py"


def test_concept_classes_are_skos_concepts(ontology: Graph) -> None:
    missing = [c.n3() for c in sorted(CONCEPT_CLASSES) if (c, RDFS.subClassOf, SKOS.Concept) not in ontology]
    assert missing == []


def test_blank_nodes_only_in_class_expressions(ontology: Graph, vocabularies: Graph) -> None:
    assert stray_blank_nodes(ontology) == []
    assert stray_blank_nodes(vocabularies) == []  # owl:AllDifferent of each scheme's concepts
    classifications = _parse([_files()[CLASSIFICATIONS_FILE]])
    assert [n for t in classifications for n in t if isinstance(n, BNode)] == []


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


_BROKEN_MIRROR = """
@prefix coop: <https://w3id.org/coopkg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://w3id.org/coopkg/vocab/dac-crs> a skos:ConceptScheme ; skos:prefLabel "DAC"@en .
<https://w3id.org/coopkg/vocab/dac-crs/111> a skos:Concept , coop:CooperationArea ;
    skos:notation "111"@en ; skos:prefLabel "Education"@en , "教育"@zh ;
    skos:inScheme <https://w3id.org/coopkg/vocab/dac-crs> .
<https://w3id.org/coopkg/vocab/dac-crs/11110> a skos:Concept ;
    skos:notation "11111" ; skos:prefLabel "Éducation"@fr ;
    skos:broader <https://w3id.org/coopkg/vocab/cofog/09> ;
    skos:inScheme <https://w3id.org/coopkg/vocab/dac-crs> .
<https://w3id.org/coopkg/vocab/area/a> a skos:Concept ; skos:inScheme <https://w3id.org/coopkg/vocab/area> ;
    skos:exactMatch <https://w3id.org/coopkg/vocab/dac-crs/111> , <http://example.org/unknown> ;
    skos:closeMatch <https://w3id.org/coopkg/vocab/dac-crs/111> .
<https://w3id.org/coopkg/vocab/area/b> a skos:Concept ; skos:inScheme <https://w3id.org/coopkg/vocab/area> ;
    skos:exactMatch <https://w3id.org/coopkg/vocab/dac-crs/111> .
"""


def test_helper_mirrored_and_mapping_checks_report_problems() -> None:
    graph = Graph().parse(data=_BROKEN_MIRROR, format="turtle")
    category, code = f"<{VOCAB}dac-crs/111>", f"<{VOCAB}dac-crs/11110>"
    assert [str(c) for c in own_concepts(graph)] == [f"{VOCAB}area/a", f"{VOCAB}area/b"]
    assert not any(p.startswith((category, code)) for p in concept_problems(graph))
    problems = mirrored_problems(graph, DAC_SCHEME)
    assert any(p.startswith(f"{category} needs one plain skos:notation") for p in problems)
    assert f"{category} has prefLabel @zh" in problems
    assert f"{category} is typed with a coop: concept class" in problems
    assert f"{code} is not {VOCAB}dac-crs/11111" in problems
    assert f"{code} skos:prefLabel @en" in problems
    assert any(p.startswith(f"{code} skos:broader") for p in problems)
    assert f"{DAC_SCHEME.n3()} dcterms:source" in problems
    mappings = mapping_problems(graph)
    assert f"<{VOCAB}area/a> has no exactMatch or closeMatch into {COFOG_SCHEME.n3()}" in mappings
    assert f"<{VOCAB}area/a> matches {category} both exactly and closely" in mappings
    assert any(p.endswith("<http://example.org/unknown>: not a mirrored concept") for p in mappings)
    assert any(p.startswith(f"{category} is an exactMatch of 2 areas") for p in mappings)
