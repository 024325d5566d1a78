"""Publishing the store's named graphs onto a SPARQL 1.1 server: again and again, unit by unit.

:func:`publish` sends the store's graphs to an :class:`~coopkg.endpoint.Endpoint` the way loads
do (staging graphs first, by the Graph Store Protocol or ``INSERT DATA``, then one SPARQL Update
that moves them onto their names), one *unit* at a time, and records in the same update each
graph's :func:`fingerprint` in the server's registry graph. A unit is one graph, or a dataset
and its summary (``<dataset graph>/summary``): the two reach the server in one update, so the
server never shows a new dataset beside an old summary. Units go in this order: the ontology,
the regions, each dataset with its summary, the inferred graph last (it derives from the rest).
So:

- **Idempotent.** A unit whose graphs' fingerprints the registry already records is not sent
  again: a second push sends nothing. When one graph of a unit differs, the whole unit is sent.
- **Resumable.** A push stopped half-way leaves the units it moved whole and the others as they
  were (never half a graph, never two copies); the next push drops the staging graphs the stopped
  one left and sends only what is missing or different.
- **Pruning is asked for.** Graphs that coopkg manages on the server but the store does not hold
  (a dataset dropped from the store, or loaded onto the server directly) stay, unless ``prune``;
  a dataset's summary stays or goes with it. A summary goes only with its dataset: one the store
  holds without its dataset is not sent, and is pruned from the server with its dataset.

The fingerprint is the content's, not the inputs' (``coop:sha256``), so reference graphs and the
inferred graph, which have no digest, are compared too. It does not depend on the order of the
triples nor on the labels of blank nodes:

>>> from pyoxigraph import BlankNode, Literal, NamedNode, Triple
>>> a, p = NamedNode("https://example.org/a"), NamedNode("https://example.org/p")
>>> one = [Triple(a, p, Literal("1")), Triple(BlankNode("x"), p, Literal("2"))]
>>> two = [Triple(BlankNode("y"), p, Literal("2")), Triple(a, p, Literal("1"))]
>>> str(fingerprint(one)) == str(fingerprint(two)), fingerprint(one).triples
(True, 2)
>>> str(fingerprint(one)).startswith("sha256-sum:2:")
True
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from pyoxigraph import (
    BlankNode,
    CanonicalizationAlgorithm,
    Dataset,
    DefaultGraph,
    NamedNode,
    Quad,
    Triple,
)

from coopkg.endpoint import Endpoint
from coopkg.errors import CoopkgError
from coopkg.store import Store
from coopkg.vocab import (
    BASE,
    INFERRED_GRAPH,
    INFERRED_STAGING_GRAPH,
    ONTOLOGY_GRAPH,
    REGIONS_GRAPH,
    graph_iri,
    is_summary_graph,
    summary_graph,
)

Action = Literal["sent", "skipped", "removed", "kept"]
"""What a push did with a graph: ``sent``; ``skipped`` (the server has it); ``removed`` (pruned);
``kept`` (on the server, not in the store, and not pruned)."""

_SCHEME = "sha256-sum"
_MODULUS = 1 << 256
_GRAPH_PREFIX = f"{BASE}graph/"


@dataclass(frozen=True)
class Fingerprint:
    """A graph's content in a few bytes: the number of its triples, and the sum modulo 2²⁵⁶ of the
    SHA-256 of each triple in N-Triples (blank nodes first given canonical labels)."""

    triples: int
    digest: str

    def __str__(self) -> str:
        return f"{_SCHEME}:{self.triples}:{self.digest}"


def _hash(triple: Triple) -> int:
    line = f"{triple.subject} {triple.predicate} {triple.object}"
    return int.from_bytes(hashlib.sha256(line.encode("utf-8")).digest(), "big")


def fingerprint(triples: Iterable[Quad | Triple]) -> Fingerprint:
    """The fingerprint of a graph's triples (graph names ignored), in one pass.

    Triples without blank nodes are hashed as they come; those with blank nodes are gathered and
    their blank nodes relabelled canonically (Oxigraph's canonicalization), so the same graph
    parsed twice, or read back from a server, has the same fingerprint. A new version of
    pyoxigraph may label differently: a graph with blank nodes is then sent once more.
    """
    total, count = 0, 0
    blank: list[Quad] = []
    for t in triples:
        count += 1
        if isinstance(t.subject, BlankNode | Triple) or isinstance(t.object, BlankNode | Triple):
            blank.append(Quad(t.subject, t.predicate, t.object, DefaultGraph()))
        else:
            total += _hash(Triple(t.subject, t.predicate, t.object))
    if blank:
        dataset = Dataset(blank)
        dataset.canonicalize(CanonicalizationAlgorithm.UNSTABLE)
        total += sum(_hash(q.triple) for q in dataset)
    return Fingerprint(count, f"{total % _MODULUS:064x}")


def short_name(graph: NamedNode) -> str:
    """A graph's name as coopkg's commands take it.

    >>> short_name(graph_iri("tibet-expo-2023")), short_name(NamedNode("https://example.org/g"))
    ('tibet-expo-2023', 'https://example.org/g')
    >>> short_name(summary_graph(graph_iri("tibet-expo-2023")))
    'tibet-expo-2023/summary'
    """
    value = graph.value
    rest = value[len(_GRAPH_PREFIX) :]
    name = rest.removesuffix("/summary") if is_summary_graph(graph) else rest
    return rest if value.startswith(_GRAPH_PREFIX) and name and "/" not in name else value


@dataclass(frozen=True)
class Outcome:
    """What a push did with one graph; ``triples`` is None when it is not known."""

    graph: NamedNode
    action: Action
    triples: int | None


@dataclass
class PublishReport:
    """What a push did, graph by graph."""

    endpoint: str
    dry_run: bool = False
    outcomes: list[Outcome] = field(default_factory=list)
    staging_dropped: int = 0

    def of(self, action: Action) -> list[Outcome]:
        return [o for o in self.outcomes if o.action == action]

    def summary(self) -> str:
        """One paragraph: what was sent, skipped, removed and kept.

        >>> report = PublishReport("endpoint http://127.0.0.1:7878/query")
        >>> report.outcomes += [Outcome(graph_iri("a"), "sent", 1200), Outcome(graph_iri("b"), "skipped", 5)]
        >>> report.summary()
        'endpoint http://127.0.0.1:7878/query: 1 graph sent (1,200 triples), 1 unchanged, 0 removed.'
        """
        sent, removed, kept = self.of("sent"), self.of("removed"), self.of("kept")
        would = "would be " if self.dry_run else ""
        triples = sum(o.triples or 0 for o in sent)
        text = (
            f"{self.endpoint}: {_graphs(len(sent))} {would}sent ({triples:,} triples), "
            f"{len(self.of('skipped'))} unchanged, {len(removed)} {would}removed."
        )
        if kept:
            text += (
                f" {_graphs(len(kept))} on the server that the store does not hold "
                f"{'was' if len(kept) == 1 else 'were'} kept (--prune removes them)."
            )
        if self.staging_dropped:
            text += f" Dropped {_graphs(self.staging_dropped, 'staging graph')} an interrupted push left."
        return text


def _graphs(n: int, noun: str = "graph") -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _order(unit: tuple[NamedNode, ...]) -> tuple[int, str]:
    """Reference data first, then the datasets, the inferences last (they derive from the rest)."""
    head = unit[0]
    rank = {ONTOLOGY_GRAPH: 0, REGIONS_GRAPH: 1, INFERRED_GRAPH: 3}.get(head, 2)
    return rank, head.value


def _dataset_of(graph: NamedNode) -> NamedNode | None:
    """The dataset whose summary ``graph`` is (None when it is no summary)."""
    return NamedNode(graph.value.removesuffix("/summary")) if is_summary_graph(graph) else None


def units(graphs: Iterable[NamedNode]) -> list[tuple[NamedNode, ...]]:
    """Graphs grouped into what goes onto the server in one update (a dataset with its summary,
    when both are among ``graphs``; any other graph alone), in publishing order.

    >>> names = ["tibet-expo-2023/summary", "inferred", "tibet-expo-2023", "regions", "x/summary"]
    >>> [[short_name(g) for g in unit] for unit in units(graph_iri(n) for n in names)]
    [['regions'], ['tibet-expo-2023', 'tibet-expo-2023/summary'], ['x/summary'], ['inferred']]
    """
    names = set(graphs)
    grouped: list[tuple[NamedNode, ...]] = []
    for graph in names:
        dataset = _dataset_of(graph)
        if dataset is not None and dataset in names:
            continue  # it goes with its dataset
        summary = summary_graph(graph)
        grouped.append((graph, summary) if dataset is None and summary in names else (graph,))
    return sorted(grouped, key=_order)


def _publishable(store: Store) -> list[NamedNode]:
    """The store's graphs that a push sends: all but the reasoner's unfinished staging graph and
    the summaries whose dataset the store no longer holds."""
    held = set(store.graphs()) - {INFERRED_STAGING_GRAPH}
    return sorted((g for g in held if (d := _dataset_of(g)) is None or d in held), key=lambda g: g.value)


def chosen_units(store: Store, names: Iterable[str] | None = None) -> list[tuple[NamedNode, ...]]:
    """The store's graphs to publish, by unit: all of them, or the units of those named (a
    dataset's id, which brings its summary, ``ontology``, ``regions``, ``inferred``, or a graph
    IRI)."""
    held = _publishable(store)
    every = units(held)
    if names is None:
        return every
    chosen: set[NamedNode] = set()
    for name in names:
        graph = NamedNode(name) if "://" in name else graph_iri(name)
        if graph not in held:
            known = ", ".join(short_name(g) for g in held) or "none"
            raise CoopkgError(f"--graph {name}: the store holds no such graph (its graphs: {known})")
        chosen.add(graph)
    return [unit for unit in every if chosen.intersection(unit)]


def publish(
    store: Store,
    endpoint: Endpoint,
    *,
    graphs: Iterable[str] | None = None,
    prune: bool = False,
    force: bool = False,
    dry_run: bool = False,
    progress: Callable[[Outcome], None] | None = None,
) -> PublishReport:
    """Send the store's graphs (or those named in ``graphs``) that the server does not have.

    Each unit (a graph, or a dataset and its summary) is moved into place by one update of its
    own, which records its graphs' fingerprints: a push stopped half-way leaves whole units, and
    running it again sends the rest. A unit is skipped only when the server has each of its
    graphs; a summary the server holds for a dataset whose summary the store lacks is removed
    with it. ``force`` sends every unit even when the server has it; ``prune`` removes the graphs
    coopkg manages on the server that the store does not hold (not with ``graphs``), a dataset
    with its summary; ``dry_run`` only tells what a push would do (it needs no update endpoint).
    ``progress`` hears of each graph when its unit is done.
    """
    if prune and graphs is not None:
        raise CoopkgError("--prune removes what the whole store does not hold: it cannot go with --graph")
    if not dry_run and not endpoint.config.update:
        raise CoopkgError(
            f"{endpoint.describe()} has no update endpoint: give --update-endpoint URL (and, for "
            "faster pushes, --graph-store URL) or 'update' in the configuration file"
        )
    selected = chosen_units(store, graphs)
    report = PublishReport(endpoint.describe(), dry_run=dry_run)
    if not dry_run:
        report.staging_dropped = endpoint.collect_garbage()
    remote = endpoint.fingerprints()

    def done(outcome: Outcome) -> None:
        report.outcomes.append(outcome)
        if progress is not None:
            progress(outcome)

    handled: set[NamedNode] = set()
    for unit in selected:
        marks = {graph: fingerprint(store.quads(graph)) for graph in unit}
        stale = [s for g in unit if (s := summary_graph(g)) in remote and s not in marks]
        handled.update(unit, stale)
        if not force and not stale and all(remote.get(g) == str(m) for g, m in marks.items()):
            for graph, mark in marks.items():
                done(Outcome(graph, "skipped", mark.triples))
            continue
        counts = {s: endpoint.count(s) for s in stale}
        if not dry_run:
            endpoint.replace(
                {**{g: store.quads(g) for g in unit}, **{s: [] for s in stale}},
                fingerprints={g: str(m) for g, m in marks.items()},
            )
        for graph, mark in marks.items():
            done(Outcome(graph, "sent", mark.triples))
        for graph in stale:
            done(Outcome(graph, "removed", counts[graph]))
    if graphs is None:
        publishable, held = set(_publishable(store)), set(store.graphs())
        orphans = {g for g in held - publishable if is_summary_graph(g)}
        gone = [g for g in remote if g not in handled and (g not in held or g in orphans)]
        for unit in units(gone):
            counts = {g: endpoint.count(g) for g in unit}
            if prune and not dry_run:
                endpoint.replace({g: [] for g in unit})
            for graph in unit:
                done(Outcome(graph, "removed" if prune else "kept", counts[graph]))
    return report
