"""The store changes in transactions: a replacement enters whole or not at all."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad

from coopkg.store import Store
from coopkg.vocab import graph_iri

G1, G2 = graph_iri("one"), graph_iri("two")
P = NamedNode("https://example.org/p")


def quads(graph: NamedNode, n: int) -> list[Quad]:
    return [Quad(NamedNode(f"https://example.org/s{i}"), P, Literal(str(i)), graph) for i in range(n)]


def content(store: Store) -> set[str]:
    return {str(q) for q in store.quads()}


def test_replace_drops_what_the_old_version_had(tmp_path: Path) -> None:
    with Store(tmp_path / "s") as store:
        store.replace_graphs({G1: quads(G1, 5)})
        store.replace_graphs({G1: quads(G1, 2)})
        assert len(store) == 2


def physical_graphs(store: Store) -> set[str]:
    return {g.value for g in store._ox.named_graphs() if isinstance(g, NamedNode)}


def test_a_failing_replacement_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store(tmp_path / "s") as store:
        store.replace_graphs({G1: quads(G1, 3)})
        before, graphs = content(store), physical_graphs(store)
        real = Store.write_quads
        calls = []

        def broken(self: Store, version: NamedNode, block: Iterable[Quad]) -> None:
            calls.append(1)
            if len(calls) == 2:
                raise OSError("disk full")
            real(self, version, block)

        monkeypatch.setattr(Store, "write_quads", broken)
        with pytest.raises(OSError):
            # G1 is written again, then G2 fails: neither change may be seen, nothing may be left.
            store.replace_graphs({G1: quads(G1, 1), G2: quads(G2, 4)})
        assert content(store) == before
        assert physical_graphs(store) == graphs


def test_an_unpublished_version_is_unseen_and_collected(tmp_path: Path) -> None:
    with Store(tmp_path / "s") as store:
        store.replace_graphs({G1: quads(G1, 2)})
        version = store.new_version()
        store.write_quads(version, quads(G2, 5))  # as an interrupted load leaves it
        assert len(store) == 2 and store.graphs() == [G1]
        rows = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert [r["n"].value for r in rows] == ["2"]  # type: ignore[union-attr, index]
        del rows  # a query's results hold the store open
    with Store(tmp_path / "s") as store:
        assert store.collect_garbage() == 1
        assert version.value not in physical_graphs(store)
        assert content(store) == {str(q) for q in quads(G1, 2)}


def test_a_replaced_version_is_deleted_and_names_stay(tmp_path: Path) -> None:
    with Store(tmp_path / "s") as store:
        store.replace_graphs({G1: quads(G1, 5)})
        first = physical_graphs(store)
        store.replace_graphs({G1: quads(G1, 2)})
        assert not first & physical_graphs(store) - {"https://w3id.org/coopkg/store/catalogue"}
        assert {q.graph_name for q in store.quads()} == {G1}
        assert store.drop(G1) and len(store) == 0 and store.graphs() == []


def test_literals_with_quotes_and_newlines_survive(tmp_path: Path) -> None:
    tricky = Literal('say "}" ; DROP ALL ;\n\\u0022', language="en")
    with Store(tmp_path / "s") as store:
        store.replace_graphs({G1: [Quad(NamedNode("https://example.org/s"), P, tricky, G1)]})
        assert [q.object for q in store.quads()] == [tricky]


def test_fast_queries_read_the_union_only_when_nothing_unseen_is_in_the_store(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    g, s, p = graph_iri("fast"), NamedNode("https://example.org/s"), NamedNode("https://example.org/p")
    store.replace_graphs({g: [Quad(s, p, Literal("1"), g)]})
    text = "SELECT ?o WHERE { ?s <https://example.org/p> ?o }"
    bookkeeping = "SELECT ?v WHERE { ?g <https://w3id.org/coopkg/store/current> ?v }"

    def values(query: str, *, fast: bool) -> list[str]:
        return sorted(row[0].value for row in store.query(query, fast=fast))  # type: ignore[union-attr,index]

    assert values(text, fast=True) == values(text, fast=False) == ["1"]
    assert len(values(bookkeeping, fast=True)) == 1  # the union: the documented show-through
    assert values(bookkeeping, fast=False) == []
    version = store.new_version()
    store.write_quads(version, [Quad(s, p, Literal("2"))])
    assert values(text, fast=True) == ["1"]  # a load under way: back to the graphs readers see
    assert values(bookkeeping, fast=True) == []
    store.publish({g: version})
    assert values(text, fast=True) == ["2"]
