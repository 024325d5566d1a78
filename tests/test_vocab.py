"""coopkg's closed namespace and the ontology file name the same terms."""

from __future__ import annotations

import pytest
import rdflib

from coopkg import resources
from coopkg.vocab import COOP


def ontology_terms() -> set[str]:
    graph = rdflib.Graph()
    for file in resources.ontology_files():
        graph.parse(data=file.read_text(encoding="utf-8"), format="turtle")
    declared = set()
    for kind in (rdflib.OWL.Class, rdflib.OWL.ObjectProperty, rdflib.OWL.DatatypeProperty):
        for s in graph.subjects(rdflib.RDF.type, kind):
            if isinstance(s, rdflib.URIRef) and str(s).startswith(COOP.base):
                declared.add(str(s)[len(COOP.base) :])
    return declared


def test_closed_namespace_matches_the_ontology() -> None:
    assert set(COOP.terms) == ontology_terms()


def test_a_misspelled_term_is_an_error() -> None:
    with pytest.raises(AttributeError, match="did you mean Region"):
        _ = COOP.Regoin
    assert COOP.Region.value == "https://w3id.org/coopkg/ontology#Region"
