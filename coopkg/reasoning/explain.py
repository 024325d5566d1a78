"""Contradictions in plain words: which individuals break which axiom of the ontology."""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode, QuerySolutions

from coopkg.reasoning.axioms import Check
from coopkg.results import compact
from coopkg.store import Store
from coopkg.vocab import RDFS


@dataclass(frozen=True)
class Contradiction:
    """One way the data contradicts the ontology."""

    axiom: str
    message: str
    individuals: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.message} (axiom: {self.axiom})"


def _label(store: Store, term: NamedNode | Literal, graphs: list[NamedNode]) -> str:
    if isinstance(term, Literal):
        return repr(term.value)
    result = store.query(
        f"SELECT ?l WHERE {{ {term} {RDFS.label} ?l FILTER(lang(?l) = 'en') }} LIMIT 1", graphs=graphs
    )
    assert isinstance(result, QuerySolutions)
    for row in result:
        label = row["l"]
        if isinstance(label, Literal):
            return f"{label.value} ({compact(term)})"
    return compact(term)


def _value(term: object) -> str:
    return term.value if isinstance(term, NamedNode) else ""


def find_contradictions(store: Store, checks: list[Check], *, graphs: list[NamedNode]) -> list[Contradiction]:
    """Every contradiction the checks find in ``graphs``."""
    found = []
    for check in checks:
        result = store.query(check.select, graphs=graphs)
        assert isinstance(result, QuerySolutions)
        for row in result:
            if check.pairs and (_value(row["a"]), _value(row["b"])) not in check.pairs:
                continue
            terms = {
                name: row[name]
                for name in ("x", "y", "a", "b")
                if name in [v.value for v in result.variables] and row[name] is not None
            }
            words = {
                k: _label(store, v, graphs) for k, v in terms.items() if isinstance(v, NamedNode | Literal)
            }
            individuals = tuple(
                v.value for k, v in terms.items() if k in ("x", "y") and isinstance(v, NamedNode)
            )
            found.append(Contradiction(check.axiom, check.explain.format(**words), individuals))
    return found
