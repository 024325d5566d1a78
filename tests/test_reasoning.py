"""Reasoning: HermiT and the OWL 2 RL rules agree, contradictions are named, the inferred graph is rebuilt."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pyoxigraph import NamedNode, Quad, RdfFormat, parse

from coopkg.cli import main
from coopkg.ingest import load
from coopkg.reasoning import reason
from coopkg.reference import Reference
from coopkg.store import Store
from coopkg.vocab import COOP, INFERRED_GRAPH, RDF, REGIONS_GRAPH, graph_iri

FIXTURES = Path(__file__).parent / "fixtures"
MECHANISM = NamedNode("https://w3id.org/coopkg/id/tibet-expo-2023/mechanism/liaoning-nagqu-tourism-aid")
LIAONING = NamedNode("https://w3id.org/coopkg/id/region/cn/210000")
NAGQU = NamedNode("https://w3id.org/coopkg/id/region/cn/540600")
TIBET = NamedNode("https://w3id.org/coopkg/id/region/cn/540000")
CHINA = NamedNode("https://w3id.org/coopkg/id/region/cn")


def inferred(store: Store) -> set[tuple[str, str, str]]:
    return {(q.subject.value, q.predicate.value, q.object.value) for q in store.quads(INFERRED_GRAPH)}


@pytest.fixture
def store(example: Path, reference: Reference) -> Store:
    store = Store()
    load(example, store, reference)
    # Forget that the loader typed the mechanism: the reasoners must classify it themselves.
    graph = graph_iri("tibet-expo-2023")
    store.replace_graphs(
        {
            graph: [
                q
                for q in store.quads(graph)
                if not (q.predicate == RDF.type and q.object == COOP.AidMechanism)
            ]
        }
    )
    return store


def test_hermit_and_the_rules_materialise_the_same_graph(store: Store) -> None:
    by_rules = reason(store, method="rules")
    rules_graph = inferred(store)
    by_hermit = reason(store, method="hermit")
    assert by_rules.consistent and by_hermit.consistent
    assert inferred(store) == rules_graph
    expected = {
        (MECHANISM.value, RDF.type.value, COOP.AidMechanism.value),  # a mechanism with provider and recipient
        (LIAONING.value, COOP.cooperatesWith.value, NAGQU.value),  # the symmetric relation, both ways
        (NAGQU.value, COOP.cooperatesWith.value, LIAONING.value),
    }
    assert expected <= rules_graph
    # the containment closure is asserted in the regions graph already: nothing to infer
    closure = {
        (NAGQU.value, COOP.withinRegion.value, TIBET.value),
        (NAGQU.value, COOP.withinRegion.value, CHINA.value),
    }
    asserted = {(q.subject.value, q.predicate.value, q.object.value) for q in store.quads(REGIONS_GRAPH)}
    assert closure <= asserted
    assert not closure & rules_graph
    assert not any(s == o for s, p, o in rules_graph if p == COOP.cooperatesWith.value)


def test_the_inferred_graph_is_dropped_and_rebuilt_the_same(store: Store) -> None:
    reason(store, method="rules")
    first = inferred(store)
    assert store.drop(INFERRED_GRAPH)
    assert inferred(store) == set()
    reason(store, method="rules")
    assert inferred(store) == first
    reason(store, method="rules")  # a second run over its own output adds nothing
    assert inferred(store) == first


def add_contradictions(store: Store) -> None:
    graph = graph_iri("contradictions")
    data = (FIXTURES / "inconsistent" / "contradictions.ttl").read_bytes()
    store.add(Quad(q.subject, q.predicate, q.object, graph) for q in parse(data, format=RdfFormat.TURTLE))


@pytest.mark.parametrize("method", ["rules", "hermit"])
def test_contradictions_are_named(store: Store, method: str) -> None:
    reason(store, method="rules")
    before = inferred(store)
    add_contradictions(store)
    report = reason(store, method=method)
    assert not report.consistent
    axioms = {c.axiom for c in report.contradictions}
    assert axioms == {
        "coop:provider owl:propertyDisjointWith coop:recipient",
        "owl:AllDisjointClasses",
        "coop:adminLevel a owl:FunctionalProperty",
    }
    words = " ".join(c.message for c in report.contradictions)
    assert "Nagqu (id:region/cn/540600)" in words and "Lhasa" in words
    assert inferred(store) == before  # nothing written


def test_the_reason_command(tmp_path: Path, example: Path) -> None:
    store_path = str(tmp_path / "store")
    assert main(["load", str(example), "--store", store_path], out=io.StringIO()) == 0
    out = io.StringIO()
    assert main(["reason", "--store", store_path, "--method", "rules"], out=out) == 0
    assert "consistent" in out.getvalue()
    with Store(store_path) as store:
        add_contradictions(store)
    out = io.StringIO()
    assert main(["reason", "--store", store_path], out=out) == 1
    assert "inconsistent: 3 contradiction(s) (hermit)" in out.getvalue()
    assert "Nagqu" in out.getvalue()
    out = io.StringIO()
    assert main(["reason", "--drop", "--store", store_path], out=out) == 0
    assert "dropped" in out.getvalue()
