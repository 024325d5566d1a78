"""Reasoning: contradictions found and explained, inferences materialised into their own graph.

Two methods, one result: ``rules`` runs the ontology's OWL 2 RL rules as SPARQL inside the store
(fast, for any size); ``hermit`` first asks HermiT, a complete OWL 2 DL reasoner, then completes its
answers with the same rules. Inferences go to ``graph/inferred``, which is rebuilt whole each time
(and can be dropped): asserted data never change.

>>> from coopkg import resources
>>> from coopkg.ingest import load
>>> from coopkg.reference import Reference
>>> store = Store()
>>> _ = load(resources.example_path("tibet-expo-2023"), store, Reference.bundled())
>>> report = reason(store, method="rules")
>>> report.consistent, report.inferred > 0
(True, True)
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from pyoxigraph import NamedNode, Quad

from coopkg.errors import CoopkgError
from coopkg.reasoning.axioms import Axioms
from coopkg.reasoning.explain import Contradiction, find_contradictions
from coopkg.reasoning.hermit import run_hermit
from coopkg.reasoning.rules import run_rules
from coopkg.store import Store
from coopkg.vocab import INFERRED_GRAPH, INFERRED_STAGING_GRAPH, ONTOLOGY_GRAPH, REGIONS_GRAPH

METHODS = ("hermit", "rules")

__all__ = ["METHODS", "Contradiction", "ReasoningReport", "reason"]


@dataclass
class ReasoningReport:
    """What a reasoning run found and did."""

    method: str
    consistent: bool
    inferred: int = 0
    contradictions: list[Contradiction] = field(default_factory=list)
    seconds: float = 0.0


def reason(store: Store, *, method: str = "hermit", axioms: Axioms | None = None) -> ReasoningReport:
    """Check the store's data against the ontology and rebuild ``graph/inferred``.

    When the data contradict the ontology nothing is written, and the report says which
    individuals break which axiom.
    """
    if method not in METHODS:
        raise CoopkgError(f"unknown reasoning method {method!r}; one of {', '.join(METHODS)}")
    started = time.perf_counter()
    axioms = axioms or Axioms.bundled()
    asserted = [g for g in store.graphs() if g not in (INFERRED_GRAPH, INFERRED_STAGING_GRAPH)]
    store.drop(INFERRED_STAGING_GRAPH)
    report = ReasoningReport(method, consistent=True)
    if method == "hermit":
        quads = [q for q in store.quads() if q.graph_name in asserted]
        result = run_hermit(quads)
        report.consistent = result.consistent
        if result.consistent:
            store.add(Quad(t.subject, t.predicate, t.object, INFERRED_STAGING_GRAPH) for t in result.inferred)
    if report.consistent:
        run_rules(store, axioms.rules(), graphs=asserted, into=INFERRED_STAGING_GRAPH)
    report.contradictions = find_contradictions(
        store, axioms.checks(), graphs=[*asserted, INFERRED_STAGING_GRAPH]
    )
    if method == "rules":
        report.consistent = not report.contradictions
    elif not report.consistent and not report.contradictions:
        report.contradictions = _isolate(store, asserted)
    if report.consistent:
        report.inferred = sum(1 for _ in store.quads(INFERRED_STAGING_GRAPH))
        store.move(INFERRED_STAGING_GRAPH, INFERRED_GRAPH)
    else:
        store.drop(INFERRED_STAGING_GRAPH)
    store.flush()
    report.seconds = time.perf_counter() - started
    return report


def _isolate(store: Store, asserted: list[NamedNode]) -> list[Contradiction]:
    """When no axiom check explains HermiT's verdict: the datasets that are inconsistent on their own."""
    reference = [g for g in asserted if g in (ONTOLOGY_GRAPH, REGIONS_GRAPH)]
    culprits = []
    for graph in (g for g in asserted if g not in reference):
        quads = [q for q in store.quads() if q.graph_name in (*reference, graph)]
        if not run_hermit(quads).consistent:
            culprits.append(
                Contradiction(
                    "OWL 2 DL (HermiT)",
                    f"dataset graph {graph.value} contradicts the ontology; no single axiom check "
                    "explains it, so look at its individuals' types and property values",
                    (graph.value,),
                )
            )
    return culprits or [
        Contradiction(
            "OWL 2 DL (HermiT)",
            "the datasets contradict the ontology only together; no single axiom check explains it",
            (),
        )
    ]
