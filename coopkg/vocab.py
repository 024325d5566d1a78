"""Namespaces and IRIs: coopkg's own terms as a closed namespace, standard vocabularies as open ones.

A misspelled term of coopkg's ontology is an error, not a new IRI:

>>> COOP.Region
<NamedNode value=https://w3id.org/coopkg/ontology#Region>
>>> COOP.Regoin
Traceback (most recent call last):
...
AttributeError: 'Regoin' is not a term of https://w3id.org/coopkg/ontology# (did you mean Region?)
"""

from __future__ import annotations

import difflib

from pyoxigraph import NamedNode


class Namespace:
    """An open namespace: any local name makes an IRI.

    >>> SCHEMA.startDate.value
    'https://schema.org/startDate'
    """

    def __init__(self, base: str) -> None:
        self.base = base

    def __getattr__(self, name: str) -> NamedNode:
        if name.startswith("__"):
            raise AttributeError(name)
        return NamedNode(self.base + name)

    def __getitem__(self, name: str) -> NamedNode:
        return NamedNode(self.base + name)


class ClosedNamespace(Namespace):
    """A namespace that knows its terms and refuses any other."""

    def __init__(self, base: str, terms: tuple[str, ...]) -> None:
        super().__init__(base)
        self.terms = frozenset(terms)

    def __getattr__(self, name: str) -> NamedNode:
        if name in self.terms:
            return NamedNode(self.base + name)
        if name.startswith("__"):
            raise AttributeError(name)
        close = difflib.get_close_matches(name, self.terms, n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise AttributeError(f"{name!r} is not a term of {self.base}{hint}")

    __getitem__ = __getattr__


ONTOLOGY_IRI = "https://w3id.org/coopkg/ontology"
BASE = "https://w3id.org/coopkg/"

#: coopkg's ontology. Kept equal to ontology/coopkg.ttl by tests/test_vocab.py.
COOP = ClosedNamespace(
    ONTOLOGY_IRI + "#",
    (
        # classes
        "Region",
        "AdministrativeLevel",
        "DivisionType",
        "Organization",
        "CooperationMechanism",
        "AidMechanism",
        "MechanismType",
        "Agreement",
        "InstrumentType",
        "Event",
        "EventSeries",
        "EventType",
        "CooperationArea",
        "CooperationActivity",
        "Programme",
        "SourceDocument",
        "ReportedOutcome",
        "CooperationPair",
        "RegionTally",
        # object properties
        "adminLevel",
        "divisionType",
        "parentRegion",
        "withinRegion",
        "actsFor",
        "mechanismType",
        "participant",
        "provider",
        "recipient",
        "cooperationArea",
        "partOfProgramme",
        "involvedOrganization",
        "establishes",
        "establishedBy",
        "party",
        "signedAt",
        "instrumentType",
        "hasActivity",
        "activityOf",
        "eventSeries",
        "eventType",
        "runBy",
        "outcomeOf",
        "announcedAt",
        "agreedInvestment",
        "cooperatesWith",
        "pairSource",
        "pairTarget",
        "pairArea",
        "pairMember",
        "pairLink",
        "tallyOf",
        "partnerRegion",
        # datatype properties
        "gbCode",
        "iso3166Code",
        "edition",
        "signedOn",
        "aim",
        "sequence",
        "agreementCount",
        "sha256",
        "linkCount",
    ),
)

RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
QB = Namespace("http://purl.org/linked-data/cube#")
SCHEMA = Namespace("https://schema.org/")
SH = Namespace("http://www.w3.org/ns/shacl#")

#: Prefixes used when coopkg writes Turtle or SPARQL.
PREFIXES: dict[str, str] = {
    "coop": COOP.base,
    "rdf": RDF.base,
    "rdfs": RDFS.base,
    "xsd": XSD.base,
    "owl": OWL.base,
    "skos": SKOS.base,
    "dcterms": DCTERMS.base,
    "dcat": DCAT.base,
    "foaf": FOAF.base,
    "org": ORG.base,
    "prov": PROV.base,
    "qb": QB.base,
    "schema": SCHEMA.base,
}


def vocab_iri(scheme: str, notation: str) -> NamedNode:
    """A concept of one of coopkg's SKOS vocabularies.

    >>> vocab_iri("area", "tourism").value
    'https://w3id.org/coopkg/vocab/area/tourism'
    """
    return NamedNode(f"{BASE}vocab/{scheme}/{notation}")


def graph_iri(name: str) -> NamedNode:
    """The named graph of a dataset, or of reference data (``ontology``, ``vocab``, ``regions``).

    >>> graph_iri("tibet-expo-2023").value
    'https://w3id.org/coopkg/graph/tibet-expo-2023'
    """
    return NamedNode(f"{BASE}graph/{name}")


def id_iri(*parts: str) -> NamedNode:
    """An IRI for a thing coopkg describes: ``id_iri(dataset, kind, record_id)``.

    >>> id_iri("tibet-expo-2023", "event", "expo-5").value
    'https://w3id.org/coopkg/id/tibet-expo-2023/event/expo-5'
    """
    return NamedNode(BASE + "id/" + "/".join(parts))


def summary_graph(dataset: NamedNode) -> NamedNode:
    """The graph of a dataset's summary (pairs, tallies), written with the dataset.

    >>> summary_graph(graph_iri("tibet-expo-2023")).value
    'https://w3id.org/coopkg/graph/tibet-expo-2023/summary'
    """
    return NamedNode(dataset.value + "/summary")


def is_summary_graph(graph: NamedNode) -> bool:
    return graph.value.startswith(BASE + "graph/") and graph.value.endswith("/summary")


#: Graphs that hold coopkg's reference data and inferences rather than a dataset.
ONTOLOGY_GRAPH = graph_iri("ontology")
REGIONS_GRAPH = graph_iri("regions")
INFERRED_GRAPH = graph_iri("inferred")
INFERRED_STAGING_GRAPH = graph_iri("inferred-staging")
RESERVED_GRAPH_NAMES = ("ontology", "regions", "inferred", "inferred-staging")
