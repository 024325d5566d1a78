"""The store changes in transactions: a replacement enters whole or not at all."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad

from coopkg import store as store_module
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


def test_a_failing_replacement_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store(tmp_path / "s") as store:
        store.replace_graphs({G1: quads(G1, 3)})
        before = content(store)
        calls = []

        def broken(block: Iterable[Quad]) -> str:
            calls.append(1)
            text = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in block)
            return text if len(calls) == 1 else text + " this is not SPARQL"

        monkeypatch.setattr(store_module, "_ntriples_block", broken)
        with pytest.raises(SyntaxError):
            # G1 is dropped and refilled, then G2 fails: neither change may be seen.
            store.replace_graphs({G1: quads(G1, 1), G2: quads(G2, 4)})
        assert content(store) == before


def test_literals_with_quotes_and_newlines_survive(tmp_path: Path) -> None:
    tricky = Literal('say "}" ; DROP ALL ;\n\\u0022', language="en")
    with Store(tmp_path / "s") as store:
        store.replace_graphs({G1: [Quad(NamedNode("https://example.org/s"), P, tricky, G1)]})
        assert [q.object for q in store.quads()] == [tricky]
