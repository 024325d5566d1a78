"""A resource of the graph as linked data: where ``coopkg serve`` serves it, what it says of it, and
that description as Turtle, N-Triples or JSON-LD.

A resource IRI under ``https://w3id.org/coopkg/`` is served at the same path on the server
(:func:`local_path`, :func:`iri_of`); the store's own bookkeeping (``…/store/``) never is.
A resource's description is its statements (the triples it is the subject of, in every named
graph, with the blank nodes they lead to), the labels of the nodes it links to, and, for a page,
the statements that link to it. A namespace document such as the ontology also describes the terms
``#…`` that it defines (``rdfs:isDefinedBy``).

>>> from pyoxigraph import Literal, NamedNode, Quad
>>> from coopkg.store import Store, graph_iri
>>> from coopkg.vocab import COOP, RDF, RDFS
>>> store, g = Store(), graph_iri("example")
>>> liaoning, nagqu = NamedNode(BASE + "id/region/cn/210000"), NamedNode(BASE + "id/region/cn/540600")
>>> store.replace_graphs({g: [Quad(liaoning, RDF.type, COOP.Region, g),
...     Quad(liaoning, RDFS.label, Literal("Liaoning", language="en"), g),
...     Quad(liaoning, COOP.cooperatesWith, nagqu, g),
...     Quad(nagqu, RDFS.label, Literal("那曲市", language="zh"), g)]})
>>> about = describe(store, liaoning.value)
>>> len(about.statements), about.label(nagqu.value), about.graphs == [g]
(3, '那曲市', True)
>>> local_path(nagqu.value), iri_of("/id/region/cn/540600") == nagqu.value
('/id/region/cn/540600', True)
>>> lines = turtle(about).decode().splitlines()
>>> sorted(line.split()[1] for line in lines if line.startswith("@prefix"))  # only those it uses
['coop:', 'rdf:', 'rdfs:']
>>> print(*(line for line in lines if not line.startswith("@prefix")), sep=chr(10))
<https://w3id.org/coopkg/id/region/cn/210000> a coop:Region ;
        rdfs:label "Liaoning"@en ;
        coop:cooperatesWith <https://w3id.org/coopkg/id/region/cn/540600> .
<https://w3id.org/coopkg/id/region/cn/540600> rdfs:label "那曲市"@zh .
<BLANKLINE>
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import quote, unquote

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QuerySolutions,
    RdfFormat,
    Triple,
    serialize,
)

from coopkg.export import write_jsonld
from coopkg.store import Store
from coopkg.vocab import BASE, DCTERMS, FOAF, PREFIXES, RDF, RDFS, SKOS

INTERNAL = BASE + "store/"  # the store's bookkeeping: never served
LABELS = (SKOS.prefLabel, RDFS.label, FOAF.name, DCTERMS.title)  # a node's name, the first found
LANGUAGES = ("en", "zh")  # the languages pages show names in, in this order
INCOMING_SHOWN = 50  # statements linking to a resource listed on its page, per property
_CLOSURE_LIMIT = 10_000  # triples of blank nodes followed from one resource
_LABEL_BATCH = 400  # nodes whose labels one query asks for


def local_path(iri: str) -> str | None:
    """The path at which ``coopkg serve`` serves an IRI (fragment kept), None for IRIs it does not
    serve: those outside ``https://w3id.org/coopkg/`` and the store's bookkeeping.

    >>> local_path("https://w3id.org/coopkg/ontology#Region"), local_path("https://schema.org/Event")
    ('/ontology#Region', None)
    """
    if not iri.startswith(BASE) or iri.startswith(INTERNAL):
        return None
    return "/" + quote(iri[len(BASE) :], safe="/#:@!$&'()*+,;=-._~")


def iri_of(path: str) -> str | None:
    """The IRI a path of the server stands for (the inverse of :func:`local_path`), None for none.

    >>> iri_of("/vocab/area/tourism"), iri_of("/store/catalogue")
    ('https://w3id.org/coopkg/vocab/area/tourism', None)
    """
    if not path.startswith("/"):
        return None
    try:
        iri = BASE + unquote(path[1:], errors="strict")
        NamedNode(iri)
    except ValueError:  # not UTF-8, or not an IRI
        return None
    return None if iri.startswith(INTERNAL) else iri


@dataclass
class Incoming:
    """The statements ``subject property <resource>`` of one property: the first subjects, and how many."""

    predicate: NamedNode
    subjects: list[NamedNode | BlankNode] = field(default_factory=list)
    total: int = 0


@dataclass
class Description:
    """What the graph says of a resource."""

    iri: str
    statements: list[Triple]  # the resource's own (and those of its #terms and blank nodes)
    graphs: list[NamedNode]  # the named graphs that hold them
    incoming: list[Incoming]  # the statements that link to it, by property
    names: dict[str, dict[str, str]]  # IRI -> language ("" for none) -> name, for it and its neighbours
    name_triples: list[Triple]  # the names of the nodes it links to, as triples

    @property
    def found(self) -> bool:
        """Whether the graph has the resource at all (as a subject, or as an object)."""
        return bool(self.statements or self.incoming)

    @property
    def types(self) -> list[NamedNode]:
        node = NamedNode(self.iri)
        return [
            t.object
            for t in self.statements
            if t.subject == node and t.predicate == RDF.type and isinstance(t.object, NamedNode)
        ]

    def label(self, iri: str, *, language: str | None = None) -> str | None:
        """A node's name: in ``language`` only, or else in English, Chinese, no language or any."""
        names = self.names.get(iri, {})
        if language is not None:
            return names.get(language)
        for wanted in (*LANGUAGES, ""):
            if wanted in names:
                return names[wanted]
        return next(iter(names.values()), None)

    def triples(self) -> list[Triple]:
        """The description for machines: the statements, then the names of the linked nodes."""
        seen = dict.fromkeys(self.statements)
        for triple in self.name_triples:
            seen.setdefault(triple)
        return list(seen)


def describe(store: Store, iri: str) -> Description:
    """Everything the pages and the machine-readable descriptions show of ``iri``."""
    node = NamedNode(iri)
    graphs = store.graphs()
    incoming = _incoming(store, node, graphs)
    subjects: list[NamedNode] = [node]
    for group in incoming:
        if group.predicate == RDFS.isDefinedBy:  # a namespace document: its #terms
            subjects += [
                s
                for s in _all_subjects(store, node, group.predicate, graphs)
                if s.value.startswith(iri + "#")
            ]
    statements: dict[Triple, None] = {}
    holding: list[NamedNode] = []
    for graph in graphs:
        found = False
        for subject in subjects:
            for triple in _closure(store, subject, graph):
                statements.setdefault(triple)
                found = True
        if found:
            holding.append(graph)
    linked = [t.object for t in statements if isinstance(t.object, NamedNode) and t.object != node]
    neighbours = dict.fromkeys(
        [node, *(t.predicate for t in statements), *linked]
        + [g.predicate for g in incoming]
        + [s for g in incoming for s in g.subjects if isinstance(s, NamedNode)]
    )
    name_triples = naming_triples(store, list(neighbours))
    names = names_in([*statements, *name_triples])
    wanted = set(linked)
    order: dict[NamedNode | BlankNode | Triple, int] = {s: i for i, s in enumerate(subjects)}
    return Description(
        iri,
        sorted(
            statements,
            key=lambda t: (
                order.get(t.subject, len(order)),
                t.predicate != RDF.type,
                t.predicate.value,
                str(t.object),
            ),
        ),
        holding,
        incoming,
        names,
        [t for t in name_triples if t.subject in wanted],
    )


def _closure(store: Store, subject: NamedNode | BlankNode, graph: NamedNode) -> Iterator[Triple]:
    """The triples of ``subject`` in one graph, and those of the blank nodes they lead to."""
    pending: list[NamedNode | BlankNode] = [subject]
    seen: set[NamedNode | BlankNode] = {subject}
    count = 0
    while pending and count < _CLOSURE_LIMIT:
        current = pending.pop()
        for quad in store.match(current, graph=graph):  # type: ignore[arg-type]  # blank nodes too
            count += 1
            yield Triple(quad.subject, quad.predicate, quad.object)
            if isinstance(quad.object, BlankNode) and quad.object not in seen:
                seen.add(quad.object)
                pending.append(quad.object)


def _incoming(store: Store, node: NamedNode, graphs: list[NamedNode]) -> list[Incoming]:
    """The statements that link to ``node``, grouped by property (the first few subjects of each)."""
    groups: dict[NamedNode, Incoming] = {}
    seen: set[tuple[NamedNode, NamedNode | BlankNode]] = set()
    for graph in graphs:
        for quad in store.match(None, None, node, graph=graph):
            subject, predicate = quad.subject, quad.predicate
            if not isinstance(subject, NamedNode | BlankNode) or (predicate, subject) in seen:
                continue
            seen.add((predicate, subject))
            group = groups.setdefault(predicate, Incoming(predicate))
            group.total += 1
            if len(group.subjects) < INCOMING_SHOWN:
                group.subjects.append(subject)
    return sorted(groups.values(), key=lambda g: g.predicate.value)


def _all_subjects(
    store: Store, node: NamedNode, predicate: NamedNode, graphs: list[NamedNode]
) -> list[NamedNode]:
    found = {
        q.subject: None
        for graph in graphs
        for q in store.match(None, predicate, node, graph=graph)
        if isinstance(q.subject, NamedNode)
    }
    return list(found)


def names_of(store: Store, nodes: Iterable[NamedNode]) -> dict[str, dict[str, str]]:
    """The names of nodes, by IRI and language ("" for none)."""
    return names_in(naming_triples(store, list(dict.fromkeys(nodes))))


def names_in(triples: Iterable[Triple]) -> dict[str, dict[str, str]]:
    """The names that naming triples give, by IRI and language (the first of :data:`LABELS` wins)."""
    names: dict[str, dict[str, str]] = {}
    for triple in sorted(triples, key=lambda t: LABELS.index(t.predicate) if t.predicate in LABELS else 99):
        if (
            triple.predicate in LABELS
            and isinstance(triple.object, Literal)
            and isinstance(triple.subject, NamedNode)
        ):
            names.setdefault(triple.subject.value, {}).setdefault(
                triple.object.language or "", triple.object.value
            )
    return names


def naming_triples(store: Store, nodes: list[NamedNode]) -> list[Triple]:
    """The naming triples (:data:`LABELS`) of the nodes, in every graph."""
    found: dict[Triple, None] = {}
    for start in range(0, len(nodes), _LABEL_BATCH):
        batch = " ".join(str(n) for n in nodes[start : start + _LABEL_BATCH])
        properties = " ".join(str(p) for p in LABELS)
        result = store.query(
            f"SELECT ?n ?p ?l WHERE {{ VALUES ?n {{ {batch} }} VALUES ?p {{ {properties} }} ?n ?p ?l }}"
        )
        assert isinstance(result, QuerySolutions)
        for row in result:
            subject, predicate, name = row["n"], row["p"], row["l"]
            if isinstance(subject, NamedNode) and isinstance(predicate, NamedNode) and name is not None:
                found.setdefault(Triple(subject, predicate, name))
    return sorted(found, key=lambda t: (str(t.subject), LABELS.index(t.predicate), str(t.object)))


def _quads(triples: Iterable[Triple]) -> Iterator[Quad]:
    """Triples as quads of the default graph, each subject's together (as the JSON-LD writer wants)."""
    by_subject: dict[NamedNode | BlankNode | Triple, list[Triple]] = {}
    for triple in triples:
        by_subject.setdefault(triple.subject, []).append(triple)
    for group in by_subject.values():
        for t in group:
            yield Quad(t.subject, t.predicate, t.object, DefaultGraph())


def _prefixes(triples: list[Triple]) -> dict[str, str]:
    """coopkg's prefixes that the triples use."""
    iris = {
        term.value
        for t in triples
        for term in (t.subject, t.predicate, t.object, getattr(t.object, "datatype", None))
        if isinstance(term, NamedNode)
    }
    return {p: ns for p, ns in PREFIXES.items() if any(iri.startswith(ns) for iri in iris)}


def turtle(description: Description) -> bytes:
    """The description as Turtle, with those of coopkg's prefixes it uses."""
    triples = description.triples()
    return serialize(triples, format=RdfFormat.TURTLE, prefixes=_prefixes(triples)) or b""


def ntriples(description: Description) -> bytes:
    """The description as N-Triples."""
    return serialize(description.triples(), format=RdfFormat.N_TRIPLES) or b""


def jsonld(description: Description) -> bytes:
    """The description as JSON-LD (compact IRIs, coopkg's context inline: nothing to fetch)."""
    buffer = io.BytesIO()
    write_jsonld(_quads(description.triples()), buffer)
    return buffer.getvalue()
