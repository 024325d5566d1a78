"""OWL 2 RL materialisation on the store: the ontology's rules run as SPARQL until nothing is new.

Fast and memory-light on large graphs (it runs inside Oxigraph); complete for the rule patterns of
:mod:`coopkg.reasoning.axioms`, not for all of OWL 2 DL (HermiT is, see :mod:`.hermit`).
"""

from __future__ import annotations

from pyoxigraph import NamedNode, Quad, QueryTriples

from coopkg.reasoning.axioms import Rule
from coopkg.store import Store


def run_rules(store: Store, rules: list[Rule], *, graphs: list[NamedNode], into: NamedNode) -> int:
    """Add what the rules infer from ``graphs`` (and from their own results) to graph ``into``.

    Rules are applied in rounds until a round adds nothing; after the first round only the rules
    that read a predicate the last round added run again (semi-naive evaluation). Returns the
    number of triples added.
    """
    visible = [*graphs, into]
    added = 0
    changed: set[str] | None = None  # None: the first round, every rule runs
    while True:
        new: set[Quad] = set()
        for rule in rules:
            if changed is not None and not (rule.reads & changed):
                continue
            result = store.query(rule.construct, graphs=visible)
            assert isinstance(result, QueryTriples)
            new.update(Quad(t.subject, t.predicate, t.object, into) for t in result)
        if not new:
            return added
        store.add(new)
        added += len(new)
        changed = {q.predicate.value for q in new}
