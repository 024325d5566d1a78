"""The ontology's axioms that coopkg reasons with, read once from the ontology files.

Two things come out of them: rules (OWL 2 RL, as SPARQL CONSTRUCT queries) that materialise what
follows from the data, and checks (SPARQL SELECT queries) that find contradictions and say which
individuals break which axiom.

>>> axioms = Axioms.bundled()
>>> sorted(r.name for r in axioms.rules())[:3]
['chain coop:cooperatesWith (1)', 'chain coop:cooperatesWith (2)', 'class coop:AidMechanism']
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import rdflib
from rdflib import OWL, RDF, RDFS
from rdflib.collection import Collection

from coopkg import resources
from coopkg.vocab import COOP


def curie(node: rdflib.term.Node) -> str:
    """``coop:Region`` for coopkg's terms, ``<iri>`` otherwise."""
    text = str(node)
    return "coop:" + text[len(COOP.base) :] if text.startswith(COOP.base) else f"<{text}>"


def _iri(node: rdflib.term.Node) -> str:
    return f"<{node}>"


@dataclass(frozen=True)
class Rule:
    """An entailment rule: a CONSTRUCT query that yields only triples not already present."""

    name: str
    construct: str
    reads: frozenset[str] = frozenset()  # the predicates its body matches (rdf:type for classes)


@dataclass(frozen=True)
class Check:
    """A query whose rows are contradictions of one axiom: ``?x`` (and ``?y``, ``?a``, ``?b``)."""

    axiom: str
    select: str
    explain: str  # a sentence with {x}, {y}, {a}, {b} for the individuals and values found
    pairs: frozenset[tuple[str, str]] = frozenset()  # when given, only rows whose (a, b) is one


def _rule(name: str, head: str, body: str) -> Rule:
    """A rule that yields ``head`` where ``body`` holds and ``head`` is not yet stated."""
    reads = set(re.findall(r"\?\w+ <([^>]+)> ", body))
    if re.search(r"\?\w+ a <", body):
        reads.add(str(RDF.type))
    return Rule(
        name, f"CONSTRUCT {{ {head} }} WHERE {{ {body} FILTER NOT EXISTS {{ {head} }} }}", frozenset(reads)
    )


def _step(prop: rdflib.term.Node, graph: rdflib.Graph, s: str, o: str) -> str:
    """A triple pattern for a property or for the inverse of one (a blank node with owl:inverseOf)."""
    inverse = graph.value(prop, OWL.inverseOf) if isinstance(prop, rdflib.BNode) else None
    if inverse is not None:
        return f"{o} {_iri(inverse)} {s} ."
    return f"{s} {_iri(prop)} {o} ."


class Axioms:
    """The axioms of coopkg's ontology that concern coopkg's own terms."""

    def __init__(self, graph: rdflib.Graph) -> None:
        self.graph = graph

    @classmethod
    def bundled(cls) -> Axioms:
        graph = rdflib.Graph()
        for file in resources.ontology_files():
            graph.parse(data=file.read_text(encoding="utf-8"), format="turtle")
        return cls(graph)

    def _ours(self, node: rdflib.term.Node) -> bool:
        return isinstance(node, rdflib.URIRef) and str(node).startswith(COOP.base)

    def _list(self, node: rdflib.term.Node) -> list[rdflib.term.Node]:
        return list(Collection(self.graph, node))

    # -- rules --------------------------------------------------------------------------------
    def rules(self) -> list[Rule]:
        return sorted({r.name: r for r in self._rules()}.values(), key=lambda r: r.name)

    def _rules(self) -> Iterator[Rule]:
        g = self.graph
        for p, q in g.subject_objects(RDFS.subPropertyOf):
            if self._ours(p) and self._ours(q):
                yield _rule(f"sub-property {curie(p)} {curie(q)}", f"?x {_iri(q)} ?y .", f"?x {_iri(p)} ?y .")
        for p, q in g.subject_objects(OWL.inverseOf):
            if self._ours(p) and self._ours(q):
                for a, b in ((p, q), (q, p)):
                    yield _rule(f"inverse {curie(a)} {curie(b)}", f"?y {_iri(b)} ?x .", f"?x {_iri(a)} ?y .")
        for p in g.subjects(RDF.type, OWL.SymmetricProperty):
            if self._ours(p):
                yield _rule(f"symmetric {curie(p)}", f"?y {_iri(p)} ?x .", f"?x {_iri(p)} ?y .")
        for p in g.subjects(RDF.type, OWL.TransitiveProperty):
            if self._ours(p):
                yield _rule(
                    f"transitive {curie(p)}", f"?x {_iri(p)} ?z .", f"?x {_iri(p)} ?y . ?y {_iri(p)} ?z ."
                )
        for q in set(g.subjects(OWL.propertyChainAxiom, None)):
            if not self._ours(q):
                continue
            chains = sorted(g.objects(q, OWL.propertyChainAxiom), key=lambda c: self._chain_key(c))
            for number, chain in enumerate(chains, 1):
                steps = self._list(chain)
                variables = [f"?v{i}" for i in range(len(steps) + 1)]
                body = " ".join(
                    _step(step, g, variables[i], variables[i + 1]) for i, step in enumerate(steps)
                )
                # A chain through one node links it to itself: not an inference anyone queries.
                yield _rule(
                    f"chain {curie(q)} ({number})",
                    f"?v0 {_iri(q)} {variables[-1]} .",
                    f"{body} FILTER(?v0 != {variables[-1]})",
                )
        for c, d in g.subject_objects(RDFS.subClassOf):
            if self._ours(c) and self._ours(d):
                yield _rule(f"sub-class {curie(c)} {curie(d)}", f"?x a {_iri(d)} .", f"?x a {_iri(c)} .")
        for c, definition in g.subject_objects(OWL.equivalentClass):
            pattern = self._class_pattern(definition) if self._ours(c) else None
            if pattern is not None:
                yield _rule(f"class {curie(c)}", f"?x a {_iri(c)} .", pattern)

    def _chain_key(self, chain: rdflib.term.Node) -> str:
        """A stable order for a property's chains: by the properties they go through."""
        return " ".join(str(self.graph.value(s, OWL.inverseOf) or s) for s in self._list(chain))

    def _class_pattern(self, node: rdflib.term.Node, var: str = "?x") -> str | None:
        """A graph pattern for membership of a class expression: named classes, intersections,
        and existential restrictions (someValuesFrom, or min 1 with onClass). None if not RL."""
        g = self.graph
        if isinstance(node, rdflib.URIRef):
            return f"{var} a {_iri(node)} ."
        members = g.value(node, OWL.intersectionOf)
        if members is not None:
            parts = [self._class_pattern(m, var) for m in self._list(members)]
            return None if any(p is None for p in parts) else " ".join(p for p in parts if p)
        prop = g.value(node, OWL.onProperty)
        filler = g.value(node, OWL.someValuesFrom)
        minimum = g.value(node, OWL.minQualifiedCardinality)
        if isinstance(minimum, rdflib.Literal) and minimum.toPython() == 1:
            filler = g.value(node, OWL.onClass)
        if prop is not None and filler is not None:
            value = f"{var}_{curie(prop).removeprefix('coop:').strip('<>').rsplit('/', 1)[-1]}"
            inner = self._class_pattern(filler, value)
            return None if inner is None else f"{_step(prop, g, var, value)} {inner}"
        return None

    # -- checks -------------------------------------------------------------------------------
    def checks(self) -> list[Check]:
        return sorted({c.axiom: c for c in self._checks()}.values(), key=lambda c: c.axiom)

    def _disjoint_pairs(self) -> Iterator[tuple[rdflib.term.Node, rdflib.term.Node]]:
        g = self.graph
        for node in g.subjects(RDF.type, OWL.AllDisjointClasses):
            members = self._list(g.value(node, OWL.members))  # type: ignore[arg-type]
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    yield a, b
        yield from g.subject_objects(OWL.disjointWith)

    def _checks(self) -> Iterator[Check]:
        g = self.graph
        # Subclasses of disjoint classes are disjoint too. The query lists every pair of coop: types
        # an individual has, and the pairs that are disjoint are kept: far faster on a large store
        # than a query that names all disjoint pairs.
        expanded = frozenset(
            (str(x), str(y))
            for a, b in self._disjoint_pairs()
            for x in g.transitive_subjects(RDFS.subClassOf, a)
            for y in g.transitive_subjects(RDFS.subClassOf, b)
        )
        if expanded:
            yield Check(
                "owl:AllDisjointClasses",
                "SELECT DISTINCT ?x ?a ?b WHERE { ?x a ?a . ?x a ?b . FILTER(STR(?a) < STR(?b)) "
                f"FILTER(STRSTARTS(STR(?a), '{COOP.base}') && STRSTARTS(STR(?b), '{COOP.base}')) }}",
                "{x} is both {a} and {b}, but nothing can be both",
                expanded | {(y, x) for x, y in expanded},
            )
        for p in g.subjects(RDF.type, OWL.IrreflexiveProperty):
            yield Check(
                f"{curie(p)} a owl:IrreflexiveProperty",
                f"SELECT ?x WHERE {{ ?x {_iri(p)} ?x }}",
                f"{{x}} is its own {curie(p)}",
            )
        for p in g.subjects(RDF.type, OWL.AsymmetricProperty):
            yield Check(
                f"{curie(p)} a owl:AsymmetricProperty",
                f"SELECT ?x ?y WHERE {{ ?x {_iri(p)} ?y . ?y {_iri(p)} ?x FILTER(STR(?x) < STR(?y)) }}",
                f"{{x}} and {{y}} are each other's {curie(p)}",
            )
        for p, q in g.subject_objects(OWL.propertyDisjointWith):
            yield Check(
                f"{curie(p)} owl:propertyDisjointWith {curie(q)}",
                f"SELECT ?x ?y WHERE {{ ?x {_iri(p)} ?y . ?x {_iri(q)} ?y }}",
                f"{{y}} is both {curie(p)} and {curie(q)} of {{x}}, which cannot be",
            )
        for p in g.subjects(RDF.type, OWL.FunctionalProperty):
            if (p, RDF.type, OWL.DatatypeProperty) in g:
                different = "FILTER(?a != ?b)"
            else:  # two IRIs are two things only when the ontology says they are different
                different = (
                    "?list <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest>*/"
                    "<http://www.w3.org/1999/02/22-rdf-syntax-ns#first> ?a . "
                    "?list <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest>*/"
                    "<http://www.w3.org/1999/02/22-rdf-syntax-ns#first> ?b . "
                    "?all <http://www.w3.org/2002/07/owl#distinctMembers> ?list ."
                )
            yield Check(
                f"{curie(p)} a owl:FunctionalProperty",
                f"SELECT DISTINCT ?x ?a ?b WHERE {{ ?x {_iri(p)} ?a, ?b . FILTER(STR(?a) < STR(?b)) "
                f"{different} }}",
                f"{{x}} has two values of {curie(p)}, {{a}} and {{b}}, but it can have only one",
            )
