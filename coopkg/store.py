"""The embedded store: Oxigraph on disk, one named graph per dataset, every change one transaction.

A graph that a load writes is bulk-loaded into a fresh *version* graph that nobody sees, then made
visible by one small transaction that points the graph's name at the new version (the catalogue);
the old version is deleted afterwards. So a load of millions of triples is all or nothing to anyone
who reads the store, and a crash leaves only an unseen version, deleted by the next write. Readers
see only names: queries, :meth:`Store.quads` and exports use the graphs' own IRIs.

>>> store = Store()  # in memory; Store(path) is on disk
>>> g = graph_iri("example")
>>> store.replace_graphs({g: [Quad(g, NamedNode("https://example.org/p"), Literal("1"), g)]})
>>> store.graphs() == [g], len(store)
(True, 1)
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
)
from pyoxigraph import Store as OxStore

from coopkg.errors import CoopkgError
from coopkg.vocab import COOP, RESERVED_GRAPH_NAMES, graph_iri, is_summary_graph, summary_graph

ENV_STORE = "COOPKG_STORE"

QueryResult = QuerySolutions | QueryBoolean | QueryTriples

# The store's own bookkeeping; these IRIs never leave the store (exports use the graphs' names).
_INTERNAL = "https://w3id.org/coopkg/store/"
CATALOGUE = NamedNode(_INTERNAL + "catalogue")
_CURRENT = NamedNode(_INTERNAL + "current")  # <graph name> _CURRENT <version graph>, in CATALOGUE
_VERSION = _INTERNAL + "version/"
_DELETE_BATCH = 200_000  # quads deleted per transaction when an unseen version is cleared


def default_store_path() -> Path:
    """``$COOPKG_STORE``, else ``$XDG_DATA_HOME/coopkg/store`` (``~/.local/share/coopkg/store``)."""
    if os.environ.get(ENV_STORE):
        return Path(os.environ[ENV_STORE])
    data_home = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data_home) / "coopkg" / "store"


def _is_version(graph: NamedNode) -> bool:
    return graph.value.startswith(_VERSION)


class Store:
    """coopkg's view of an Oxigraph store."""

    def __init__(self, path: Path | str | None = None, *, create: bool = True) -> None:
        self.path = Path(path) if path is not None else None
        if self.path is not None and not create and not self.path.is_dir():
            raise CoopkgError(
                f"no store at {self.path}: load a dataset first ('coopkg load DATASET --store PATH')"
            )
        try:
            if self.path is None:
                self._ox = OxStore()
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._ox = OxStore(str(self.path))
        except OSError as exc:
            raise CoopkgError(
                f"cannot open the store at {self.path}: {exc}. "
                "Is another coopkg process using it? Pass another folder with --store."
            ) from exc

    @classmethod
    def read_only(cls, path: Path | str) -> Store:
        """The store at ``path`` opened read-only: for readers in other processes (``coopkg serve``).

        It takes no lock, so several processes can read at once; no process may write meanwhile
        (Oxigraph leaves that undefined). Writing methods raise. Its ``path`` is None: there is
        nothing to flush.
        """
        if not Path(path).is_dir():
            raise CoopkgError(
                f"no store at {path}: load a dataset first ('coopkg load DATASET --store PATH')"
            )
        store = cls.__new__(cls)
        store.path = None
        try:
            store._ox = OxStore.read_only(str(path))
        except OSError as exc:
            raise CoopkgError(f"cannot open the store at {path} for reading: {exc}") from exc
        return store

    # -- names and versions ----------------------------------------------------------------
    def _catalogue(self) -> dict[NamedNode, NamedNode]:
        """Each versioned graph's name and the version graph that holds it now."""
        return {
            q.subject: q.object
            for q in self._ox.quads_for_pattern(None, _CURRENT, None, CATALOGUE)
            if isinstance(q.subject, NamedNode) and isinstance(q.object, NamedNode)
        }

    def _physical(self, graph: NamedNode) -> NamedNode:
        return self._catalogue().get(graph, graph)

    def name_of(self, graph: NamedNode) -> NamedNode:
        """The name readers know a graph by: a version graph (as ``GRAPH ?g`` in a query binds it)
        maps back to the name that points at it; any other graph is its own name."""
        for name, version in self._catalogue().items():
            if version == graph:
                return name
        return graph

    def graphs(self) -> list[NamedNode]:
        """Every named graph that readers see."""
        return self._names(self._catalogue())

    def _names(self, catalogue: dict[NamedNode, NamedNode]) -> list[NamedNode]:
        names = set(catalogue)
        for g in self._ox.named_graphs():
            if isinstance(g, NamedNode) and g != CATALOGUE and not _is_version(g):
                names.add(g)
        return sorted(names, key=lambda g: g.value)

    def datasets(self) -> list[NamedNode]:
        """The named graphs that hold datasets (not reference data, nor the datasets' summaries)."""
        reserved = {graph_iri(name) for name in RESERVED_GRAPH_NAMES}
        return [g for g in self.graphs() if g not in reserved and not is_summary_graph(g)]

    # -- reading ---------------------------------------------------------------------------
    def query(self, sparql: str, *, graphs: list[NamedNode] | None = None, fast: bool = False) -> QueryResult:
        """Run a SPARQL query over the union of all graphs, or of the ``graphs`` given.

        The default graph is a list of the graphs readers see, so each triple pattern is looked up
        once per graph. With ``fast`` (for coopkg's own queries), when the store holds no unseen
        version (no load under way or interrupted), it is Oxigraph's union of all graphs instead:
        one index seek per lookup, about three times faster on disk. The store's bookkeeping, a
        triple per graph under ``https://w3id.org/coopkg/store/``, then shows through to patterns
        whose predicate is a variable; coopkg's catalogue has none that could match it.
        """
        catalogue = self._catalogue()
        visible = [catalogue.get(g, g) for g in self._names(catalogue)]
        try:
            if fast and graphs is None and self._settled(catalogue):
                return self._ox.query(sparql, use_default_graph_as_union=True, named_graphs=list(visible))
            chosen: list[NamedNode | BlankNode | DefaultGraph] = (
                [DefaultGraph(), *visible] if graphs is None else [catalogue.get(g, g) for g in graphs]
            )
            return self._ox.query(sparql, default_graph=chosen, named_graphs=list(visible))
        except SyntaxError as exc:
            raise CoopkgError(f"the SPARQL query does not parse: {exc}") from exc

    def _settled(self, catalogue: dict[NamedNode, NamedNode]) -> bool:
        """Whether every version graph in the store is one that a name points at."""
        current = set(catalogue.values())
        return all(
            not (isinstance(g, NamedNode) and _is_version(g)) or g in current for g in self._ox.named_graphs()
        )

    def digest(self, graph: NamedNode) -> str | None:
        """The digest of the inputs that wrote a graph (``coop:sha256``), or None when it is absent."""
        for quad in self._ox.quads_for_pattern(graph, COOP.sha256, None, self._physical(graph)):
            if isinstance(quad.object, Literal):
                return quad.object.value
        return None

    def match(
        self,
        subject: NamedNode | None = None,
        predicate: NamedNode | None = None,
        obj: NamedNode | Literal | None = None,
        *,
        graph: NamedNode,
    ) -> Iterator[Quad]:
        """The quads of one graph (by its name, or an unseen version) that match a pattern.

        They come as stored: in a versioned graph, under the version's IRI.
        """
        return self._ox.quads_for_pattern(subject, predicate, obj, self._physical(graph))

    def quads(self, graph: NamedNode | None = None) -> Iterator[Quad]:
        """Every quad, or those of one graph, under the graphs' own names."""
        catalogue = self._catalogue()
        for name in [graph] if graph is not None else self._names(catalogue):
            physical = catalogue.get(name, name)
            for q in self._ox.quads_for_pattern(None, None, None, physical):
                yield q if physical == name else Quad(q.subject, q.predicate, q.object, name)

    def merged(self, graphs: list[NamedNode] | None = None) -> Store:
        """A copy in memory of the graphs (default: all) as one default graph, for fast reading.

        Oxigraph dumps and parses the triples itself, a graph at a time.
        """
        copy = Store()
        catalogue = self._catalogue()
        for name in graphs if graphs is not None else self._names(catalogue):
            data = self._ox.dump(format=RdfFormat.N_TRIPLES, from_graph=catalogue.get(name, name))
            if data:
                copy._ox.bulk_load(data, RdfFormat.N_TRIPLES)
        return copy

    def count(self, graph: NamedNode) -> int:
        """The number of triples in a graph (counted by Oxigraph)."""
        rows = self._ox.query(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {self._physical(graph)} {{ ?s ?p ?o }} }}"
        )
        assert isinstance(rows, QuerySolutions)
        return next(int(row["n"].value) for row in rows)

    def __len__(self) -> int:
        return sum(self.count(g) for g in self.graphs())

    # -- writing versions ------------------------------------------------------------------
    def new_version(self) -> NamedNode:
        """A fresh, unseen graph to write a new version of a graph into (then :meth:`publish` it)."""
        return NamedNode(_VERSION + uuid.uuid4().hex)

    def write(self, version: NamedNode, ntriples: Iterable[bytes]) -> None:
        """Bulk-load N-Triples, a chunk at a time, into an unseen version graph.

        Not a transaction: a failure leaves part of ``version`` written, which nobody sees; call
        :meth:`discard`. Chunks of a few hundred thousand triples keep memory flat.
        """
        if not _is_version(version):
            raise ValueError(f"{version} is not a version graph: use new_version()")
        for chunk in ntriples:
            if chunk:
                self._ox.bulk_load(chunk, RdfFormat.N_TRIPLES, to_graph=version)

    def write_quads(self, version: NamedNode, quads: Iterable[Quad]) -> None:
        """Bulk-load quads (their graph names ignored) into an unseen version graph."""
        if not _is_version(version):
            raise ValueError(f"{version} is not a version graph: use new_version()")
        self._ox.bulk_extend(Quad(q.subject, q.predicate, q.object, version) for q in quads)

    def add_to_version(self, version: NamedNode, quads: Iterable[Quad]) -> list[Quad]:
        """Add quads to an unseen version graph; returns those that were not there already."""
        added = [
            Quad(q.subject, q.predicate, q.object, version)
            for q in quads
            if Quad(q.subject, q.predicate, q.object, version) not in self._ox
        ]
        self._ox.extend(added)
        return added

    def remove_from_version(self, version: NamedNode, quads: Iterable[Quad]) -> None:
        """Remove quads that :meth:`add_to_version` added."""
        for q in quads:
            self._ox.remove(Quad(q.subject, q.predicate, q.object, version))

    def version_quads(self, version: NamedNode) -> Iterator[Quad]:
        """The quads of an unseen version graph, as written."""
        return self._ox.quads_for_pattern(None, None, None, version)

    def publish(self, versions: dict[NamedNode, NamedNode | None]) -> None:
        """Make each name point at its new version (None: remove the graph), in one transaction;
        then delete the versions that nobody sees any more."""
        catalogue = self._catalogue()
        parts = []
        old: list[NamedNode] = []
        for name, version in versions.items():
            if name in catalogue:
                parts.append(f"DELETE DATA {{ GRAPH {CATALOGUE} {{ {name} {_CURRENT} {catalogue[name]} }} }}")
                old.append(catalogue[name])
            elif self._ox.contains_named_graph(name):
                parts.append(f"DROP GRAPH {name}")  # a graph written in place (e.g. by reasoning)
            if version is not None:
                parts.append(f"INSERT DATA {{ GRAPH {CATALOGUE} {{ {name} {_CURRENT} {version} }} }}")
        if parts:
            self._ox.update(" ;\n".join(parts))
        for version in old:
            self.discard(version)

    def discard(self, version: NamedNode) -> None:
        """Delete an unseen version graph, a batch of quads per transaction (memory stays flat)."""
        if not _is_version(version):
            raise ValueError(f"{version} is not a version graph")
        while next(iter(self._ox.quads_for_pattern(None, None, None, version)), None) is not None:
            self._ox.update(
                f"DELETE {{ GRAPH {version} {{ ?s ?p ?o }} }} "
                f"WHERE {{ SELECT ?s ?p ?o {{ GRAPH {version} {{ ?s ?p ?o }} }} LIMIT {_DELETE_BATCH} }}"
            )
        if self._ox.contains_named_graph(version):
            self._ox.remove_graph(version)

    def collect_garbage(self) -> int:
        """Delete the versions that no name points at (left by an interrupted load); how many."""
        current = set(self._catalogue().values())
        orphans = [
            g
            for g in self._ox.named_graphs()
            if isinstance(g, NamedNode) and _is_version(g) and g not in current
        ]
        for version in orphans:
            self.discard(version)
        return len(orphans)

    # -- writing in place ------------------------------------------------------------------
    def replace_graphs(self, graphs: dict[NamedNode, list[Quad]]) -> None:
        """Replace each graph by its quads, all visible at once: whole or not at all."""
        versions: dict[NamedNode, NamedNode | None] = {}
        try:
            for graph, quads in graphs.items():
                versions[graph] = None
                if quads:
                    versions[graph] = self.new_version()
                    self.write_quads(versions[graph], quads)  # type: ignore[arg-type]
        except BaseException:
            for version in versions.values():
                if version is not None:
                    self.discard(version)
            raise
        self.publish(versions)

    def add(self, quads: Iterable[Quad]) -> None:
        """Add quads in one transaction."""
        catalogue = self._catalogue()
        self._ox.extend(
            Quad(q.subject, q.predicate, q.object, catalogue[q.graph_name])
            if isinstance(q.graph_name, NamedNode) and q.graph_name in catalogue
            else q
            for q in quads
        )

    def move(self, source: NamedNode, target: NamedNode) -> None:
        """Replace ``target`` by ``source`` (which disappears), in one transaction."""
        catalogue = self._catalogue()
        parts = [f"DROP SILENT GRAPH {target}"]
        if target in catalogue:
            parts.append(f"DELETE DATA {{ GRAPH {CATALOGUE} {{ {target} {_CURRENT} {catalogue[target]} }} }}")
        if source in catalogue:
            parts.append(f"DELETE DATA {{ GRAPH {CATALOGUE} {{ {source} {_CURRENT} {catalogue[source]} }} }}")
            parts.append(f"INSERT DATA {{ GRAPH {CATALOGUE} {{ {target} {_CURRENT} {catalogue[source]} }} }}")
        else:
            parts.append(f"MOVE SILENT GRAPH {source} TO GRAPH {target}")
        self._ox.update(" ;\n".join(parts))
        if target in catalogue:
            self.discard(catalogue[target])

    def drop(self, graph: NamedNode) -> bool:
        """Remove a graph, and a dataset's summary with it, in one transaction; False when it was
        not there."""
        graphs = self.graphs()
        if graph not in graphs:
            return False
        self.publish({g: None for g in (graph, summary_graph(graph)) if g in graphs})
        return True

    def flush(self) -> None:
        if self.path is not None:
            self._ox.flush()

    def close(self) -> None:
        """Release the store (and its lock on the folder); the object is unusable afterwards."""
        if hasattr(self, "_ox"):
            self.flush()
            del self._ox

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


__all__ = ["Literal", "NamedNode", "Quad", "Store", "default_store_path", "graph_iri"]
