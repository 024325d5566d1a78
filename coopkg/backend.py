"""Where the data lives, behind one small interface: the embedded store, or a SPARQL 1.1 endpoint.

A :class:`Backend` runs a query and answers in coopkg's own types (:mod:`coopkg.table`), lists the
graphs coopkg manages, tells the digest of the files that wrote a graph, and replaces graphs whole.
:class:`Embedded` wraps the Oxigraph store on disk (the default); :class:`coopkg.endpoint.Endpoint`
talks to any SPARQL 1.1 server.

>>> from coopkg.store import Store, graph_iri
>>> from pyoxigraph import Literal, NamedNode, Quad
>>> backend = Embedded(Store())
>>> g, s, p = graph_iri("example"), NamedNode("https://example.org/s"), NamedNode("https://example.org/p")
>>> backend.replace({g: [Quad(s, p, Literal("1"))]})
>>> backend.run("SELECT ?o WHERE { ?s ?p ?o }").values()
[{'o': '1'}]
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, runtime_checkable

from pyoxigraph import NamedNode, Quad

from coopkg.store import Store
from coopkg.table import Answer, to_table


@runtime_checkable
class Backend(Protocol):
    """What coopkg's commands need of a place that holds the graph."""

    def run(self, sparql: str) -> Answer:
        """Run a query over the union of coopkg's graphs (the default graph) and answer it."""
        ...

    def graphs(self) -> list[NamedNode]:
        """The named graphs coopkg manages there."""
        ...

    def digest(self, graph: NamedNode) -> str | None:
        """The digest of the files that wrote a graph (``coop:sha256``), None when it is absent."""
        ...

    def replace(self, graphs: dict[NamedNode, Iterable[Quad]]) -> None:
        """Replace each graph by its quads (their graph names ignored): all visible at once, or none."""
        ...

    def describe(self) -> str:
        """Where the data is, for messages (no credentials)."""
        ...


class Embedded:
    """The embedded Oxigraph store as a :class:`Backend`.

    ``fast`` is for coopkg's own queries: see :meth:`coopkg.store.Store.query`.
    """

    def __init__(self, store: Store, *, fast: bool = False) -> None:
        self.store = store
        self.fast = fast

    def run(self, sparql: str) -> Answer:
        return to_table(self.store.query(sparql, fast=self.fast))

    def graphs(self) -> list[NamedNode]:
        return self.store.graphs()

    def digest(self, graph: NamedNode) -> str | None:
        return self.store.digest(graph)

    def replace(self, graphs: dict[NamedNode, Iterable[Quad]]) -> None:
        self.store.replace_graphs({g: list(quads) for g, quads in graphs.items()})

    def describe(self) -> str:
        return f"store {self.store.path}" if self.store.path is not None else "store in memory"


def backend_of(place: Store | Backend, *, fast: bool = False) -> Backend:
    """A backend for a store or a backend; ``fast`` for coopkg's own queries (see :class:`Embedded`)."""
    if isinstance(place, Embedded) and fast and not place.fast:
        return Embedded(place.store, fast=True)
    return Embedded(place, fast=fast) if isinstance(place, Store) else place
