"""The embedded store: Oxigraph on disk, one named graph per dataset, every change one transaction.

>>> store = Store()  # in memory; Store(path) is on disk
>>> store.digest(graph_iri("nothing")) is None
True
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, QueryBoolean, QuerySolutions, QueryTriples
from pyoxigraph import Store as OxStore

from coopkg.errors import CoopkgError
from coopkg.vocab import COOP, RESERVED_GRAPH_NAMES, graph_iri

ENV_STORE = "COOPKG_STORE"

QueryResult = QuerySolutions | QueryBoolean | QueryTriples


def default_store_path() -> Path:
    """``$COOPKG_STORE``, else ``$XDG_DATA_HOME/coopkg/store`` (``~/.local/share/coopkg/store``)."""
    if os.environ.get(ENV_STORE):
        return Path(os.environ[ENV_STORE])
    data_home = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data_home) / "coopkg" / "store"


def _ntriples_block(quads: Iterable[Quad]) -> str:
    """Triples as SPARQL ``INSERT DATA`` text. Each term is serialized by Oxigraph, so escaped."""
    return "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)


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

    # -- reading ---------------------------------------------------------------------------
    def query(self, sparql: str, *, graphs: list[NamedNode] | None = None) -> QueryResult:
        """Run a SPARQL query over the union of all graphs, or of the ``graphs`` given."""
        try:
            if graphs is not None:
                return self._ox.query(sparql, default_graph=list(graphs))
            return self._ox.query(sparql, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise CoopkgError(f"the SPARQL query does not parse: {exc}") from exc

    def digest(self, graph: NamedNode) -> str | None:
        """The digest of the inputs that wrote a graph (``coop:sha256``), or None when it is absent."""
        for quad in self._ox.quads_for_pattern(graph, COOP.sha256, None, graph):
            if isinstance(quad.object, Literal):
                return quad.object.value
        return None

    def graphs(self) -> list[NamedNode]:
        """Every named graph."""
        return sorted((g for g in self._ox.named_graphs() if isinstance(g, NamedNode)), key=lambda g: g.value)

    def datasets(self) -> list[NamedNode]:
        """The named graphs that hold datasets (not reference data)."""
        reserved = {graph_iri(name) for name in RESERVED_GRAPH_NAMES}
        return [g for g in self.graphs() if g not in reserved]

    def quads(self, graph: NamedNode | None = None) -> Iterable[Quad]:
        """Every quad, or those of one graph."""
        return self._ox.quads_for_pattern(None, None, None, graph)

    def __len__(self) -> int:
        return len(self._ox)

    # -- writing ---------------------------------------------------------------------------
    def replace_graphs(self, graphs: dict[NamedNode, list[Quad]]) -> None:
        """Replace each graph by its quads, all in one transaction: whole or not at all."""
        parts = []
        for graph, quads in graphs.items():
            parts.append(f"DROP SILENT GRAPH {graph}")
            if quads:
                parts.append(f"INSERT DATA {{ GRAPH {graph} {{\n{_ntriples_block(quads)}\n}} }}")
        if parts:
            self._ox.update(" ;\n".join(parts))

    def add(self, quads: Iterable[Quad]) -> None:
        """Add quads in one transaction."""
        self._ox.extend(quads)

    def move(self, source: NamedNode, target: NamedNode) -> None:
        """Replace ``target`` by ``source`` (which disappears), in one transaction."""
        self._ox.update(f"DROP SILENT GRAPH {target} ; MOVE SILENT GRAPH {source} TO GRAPH {target}")

    def drop(self, graph: NamedNode) -> bool:
        """Remove a dataset's graph; False when it was not there."""
        if not self._ox.contains_named_graph(graph):
            return False
        self._ox.update(f"DROP GRAPH {graph}")
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


__all__ = ["Store", "default_store_path", "graph_iri"]
