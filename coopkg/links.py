"""References to records of other datasets, ``DATASET-ID:RECORD-ID``, resolved in the store.

The mapping writes such a reference as the record's IRI (``id/DATASET-ID/KIND/RECORD-ID``) and notes
it as a :class:`~coopkg.loaders.mapping.Link`. Before the submission is validated, :func:`resolve`
looks every link up in the store it goes to, in one query (the IRIs bound in a ``VALUES`` block): a
link resolves when the store's visible graphs hold a node of that IRI whose ``rdf:type`` is the
kind's class or a subclass of it (by the ontology of the reference data). Each unresolved link is a
:class:`~coopkg.errors.Problem` at its file, line and field; the types of the resolved ones are
handed to validation, so that ``sh:class`` constraints on the references hold.

>>> from coopkg.loaders.mapping import Link
>>> from coopkg.reference import Reference
>>> link = Link("agreements.csv", 2, "signed_at", "expo:opening", "event",
...             "https://w3id.org/coopkg/id/expo/event/opening")
>>> problems, types = resolve([link], Store(), Reference.bundled())
>>> types
[]
>>> print(problems[0].message)
no event with id expo:opening in the store
>>> print(problems[0].hint)
validate against the store that holds dataset expo (--store PATH), or load expo there first
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from pyoxigraph import NamedNode, Quad

from coopkg.backend import Backend, backend_of
from coopkg.errors import Problem
from coopkg.loaders.kinds import KINDS
from coopkg.loaders.mapping import Link, a
from coopkg.reference import Reference
from coopkg.store import Store
from coopkg.table import Table
from coopkg.vocab import RDF, RDFS, RESERVED_GRAPH_NAMES, graph_iri, id_iri

BATCH = 5_000
"""IRIs per query: a submission's links are looked up in one query unless there are more."""


def subclasses(reference: Reference) -> dict[str, set[str]]:
    """Each class of the ontology and every class under it (itself included)."""
    parents: dict[str, set[str]] = defaultdict(set)
    for q in reference.ontology:
        if (
            q.predicate == RDFS.subClassOf
            and isinstance(q.subject, NamedNode)
            and isinstance(q.object, NamedNode)
        ):
            parents[q.subject.value].add(q.object.value)
    under: dict[str, set[str]] = defaultdict(set)
    for cls in parents:
        todo, seen = [cls], {cls}
        while todo:
            for parent in parents.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        for ancestor in seen:
            under[ancestor].add(cls)
    for kind in KINDS.values():
        under[kind.rdf_class.value].add(kind.rdf_class.value)
    return under


def _types(backend: Backend, nodes: Iterable[str]) -> dict[str, set[str]]:
    """The ``rdf:type`` of each node, in the graphs the backend shows."""
    found: dict[str, set[str]] = defaultdict(set)
    ordered = sorted(set(nodes))
    for start in range(0, len(ordered), BATCH):
        values = " ".join(str(NamedNode(n)) for n in ordered[start : start + BATCH])
        solutions = backend.run(
            f"SELECT ?node ?type WHERE {{ VALUES ?node {{ {values} }} ?node {RDF.type} ?type }}"
        )
        assert isinstance(solutions, Table)
        for row in solutions.records():
            node, kind = row["node"], row["type"]
            if isinstance(node, NamedNode) and isinstance(kind, NamedNode):
                found[node.value].add(kind.value)
    return found


def _others(link: Link) -> dict[str, str]:
    """The IRIs the link's record would have as a record of each other kind."""
    dataset, _, record = link.value.partition(":")
    return {id_iri(dataset, kind, record).value: kind for kind in KINDS if kind != link.kind}


def resolve(
    links: list[Link], place: Store | Backend, reference: Reference
) -> tuple[list[Problem], list[Quad]]:
    """Look ``links`` up in a store or a backend: a problem for each that does not name a node of its kind's
    class (or a subclass), and the ``rdf:type`` triples (in the default graph) of those that do."""
    if not links:
        return [], []
    backend = backend_of(place)
    under = subclasses(reference)
    types = _types(backend, [iri for link in links for iri in (link.iri, *_others(link))])
    reserved = {graph_iri(name) for name in RESERVED_GRAPH_NAMES}
    datasets = {g for g in backend.graphs() if g not in reserved}
    problems: list[Problem] = []
    quads: dict[Quad, None] = {}
    for link in links:
        expected = under[KINDS[link.kind].rdf_class.value]
        found = types.get(link.iri, set())
        if found & expected:
            for kind in sorted(found):
                quads[Quad(NamedNode(link.iri), RDF.type, NamedNode(kind))] = None
            continue
        problems.append(
            Problem(
                link.file,
                link.line,
                link.field,
                link.value,
                f"no {link.kind} with id {link.value} in the store",
                hint=_hint(link, found, types, datasets),
            )
        )
    return problems, list(quads)


def _hint(link: Link, found: set[str], types: dict[str, set[str]], datasets: set[NamedNode]) -> str:
    dataset, _, record = link.value.partition(":")
    wanted = f"refer to {a(link.kind)} record"
    if not datasets:
        where = f"the store that holds dataset {dataset}"
        return f"validate against {where} (--store PATH), or load {dataset} there first"
    if graph_iri(dataset) not in datasets:
        return f"dataset {dataset} is not in the store: load it first, or check the dataset id"
    other = next((kind for iri, kind in _others(link).items() if iri in types), None)
    if other is not None:
        return f"{record} of dataset {dataset} is {a(other)} record: {wanted}"
    if found:
        return f"{link.iri} is no {link.kind} ({', '.join(sorted(found))}): {wanted}"
    return f"dataset {dataset} has no {link.kind} record {record}: check the id"
