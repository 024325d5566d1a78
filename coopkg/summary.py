"""Summaries: what network queries need, computed once per dataset when it is loaded.

Whole-graph questions (the most connected regions, the cooperation network as an edge list) would
otherwise join every mechanism and agreement with its members on each query. A dataset's summary
graph (``<dataset graph>/summary``) holds instead:

- one ``coop:CooperationPair`` per pair of members of the same mechanism (``coop:participant``) or
  agreement (``coop:party``): both members (``coop:pairMember``, so that a region's pairs are one
  lookup), the links (``coop:pairLink``; a link belongs to one dataset, so counting distinct links
  adds datasets up), their number and their areas (``coop:pairArea``);
- one ``coop:RegionTally`` per region linked to another region: its ``coop:linkCount`` and its
  ``coop:partnerRegion`` values;
- ``coop:withinRegion`` for the regions the dataset itself declares (the regions graph carries it
  for the gazetteer's).

:func:`summarize` reads only the dataset's own graph and the gazetteer, so a summary is written in
the same transaction as its dataset and stays right until the dataset is loaded again. A region
that only another dataset declares does not count as a region here.

>>> from pyoxigraph import Quad
>>> from coopkg.reference import Reference
>>> from coopkg.store import Store
>>> from coopkg.vocab import graph_iri
>>> from coopkg.vocab import ONTOLOGY_IRI
>>> ONTOLOGY = ONTOLOGY_IRI + "#"
>>> store = Store()
>>> version = store.new_version()
>>> link = NamedNode("https://example.org/link")
>>> a, b = (NamedNode(f"https://w3id.org/coopkg/id/region/cn/{c}") for c in ("210000", "540600"))
>>> store.write_quads(version, [Quad(link, COOP.participant, r) for r in (a, b)])
>>> quads = summarize(store, version, graph_iri("tiny"), Reference.bundled())
>>> sorted({q.predicate.value.split("#")[1] for q in quads if q.predicate.value.startswith(ONTOLOGY)})
['linkCount', 'pairLink', 'pairMember', 'pairSource', 'pairTarget', 'partnerRegion', 'tallyOf']
>>> [q.object.value for q in quads if q.predicate == COOP.linkCount]
['1', '1', '1']
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterator

from pyoxigraph import Literal, NamedNode, Quad

from coopkg.reference import Reference
from coopkg.store import Store
from coopkg.vocab import BASE, COOP, DCTERMS, PROV, RDF, id_iri, summary_graph

_LINKING = (COOP.participant, COOP.party)


def _dataset_name(graph: NamedNode) -> str:
    return graph.value.removeprefix(BASE + "graph/")


def _key(*terms: NamedNode) -> str:
    return hashlib.sha256("\n".join(t.value for t in terms).encode()).hexdigest()[:20]


def summarize(store: Store, version: NamedNode, graph: NamedNode, reference: Reference) -> list[Quad]:
    """The summary of the dataset ``graph``, read from ``version``: an unseen version of it, or its
    name (the version readers see now)."""
    name = _dataset_name(graph)
    regions = set(reference.gazetteer.regions)
    parents = {iri: r.parent.value for iri, r in reference.gazetteer.regions.items() if r.parent}
    declared: list[NamedNode] = []
    for q in store.match(None, RDF.type, COOP.Region, graph=version):
        if isinstance(q.subject, NamedNode):
            regions.add(q.subject.value)
            declared.append(q.subject)
    for q in store.match(None, COOP.parentRegion, None, graph=version):
        if isinstance(q.subject, NamedNode) and isinstance(q.object, NamedNode):
            parents[q.subject.value] = q.object.value

    members: dict[tuple[str, str], set[NamedNode]] = defaultdict(set)
    for predicate in _LINKING:
        for q in store.match(None, predicate, None, graph=version):
            if isinstance(q.subject, NamedNode) and isinstance(q.object, NamedNode):
                members[(q.subject.value, predicate.value)].add(q.object)
    areas: dict[str, set[NamedNode]] = defaultdict(set)
    for q in store.match(None, COOP.cooperationArea, None, graph=version):
        if isinstance(q.subject, NamedNode) and isinstance(q.object, NamedNode):
            areas[q.subject.value].add(q.object)

    pair_links: dict[tuple[NamedNode, NamedNode], set[str]] = defaultdict(set)
    tally_links: dict[NamedNode, set[str]] = defaultdict(set)
    partners: dict[NamedNode, set[NamedNode]] = defaultdict(set)
    for (link, _), nodes in members.items():
        ordered = sorted(nodes, key=lambda n: n.value)
        for i, first in enumerate(ordered):
            for second in ordered[i + 1 :]:
                pair_links[(first, second)].add(link)
        linked_regions = [n for n in ordered if n.value in regions]
        if len(linked_regions) > 1:
            for region in linked_regions:
                tally_links[region].add(link)
                partners[region].update(r for r in linked_regions if r != region)

    g = summary_graph(graph)
    out = [
        Quad(g, DCTERMS.title, Literal(f"Summary of {name}", language="en"), g),
        Quad(g, PROV.wasDerivedFrom, graph, g),
    ]
    for (first, second), links in sorted(pair_links.items(), key=lambda kv: (kv[0][0].value, kv[0][1].value)):
        pair = id_iri(name, "pair", _key(first, second))
        out += [
            Quad(pair, RDF.type, COOP.CooperationPair, g),
            Quad(pair, COOP.pairSource, first, g),
            Quad(pair, COOP.pairTarget, second, g),
            Quad(pair, COOP.linkCount, Literal(len(links)), g),
        ]
        out += [Quad(pair, COOP.pairMember, member, g) for member in (first, second)]
        out += [Quad(pair, COOP.pairLink, NamedNode(link), g) for link in sorted(links)]
        out += [Quad(pair, COOP.pairArea, area, g) for area in {a for link in links for a in areas[link]}]
    for region, links in sorted(tally_links.items(), key=lambda kv: kv[0].value):
        tally = id_iri(name, "tally", _key(region))
        out += [
            Quad(tally, RDF.type, COOP.RegionTally, g),
            Quad(tally, COOP.tallyOf, region, g),
            Quad(tally, COOP.linkCount, Literal(len(links)), g),
        ]
        out += [Quad(tally, COOP.partnerRegion, p, g) for p in partners[region]]
    for region in declared:
        out += [Quad(region, COOP.withinRegion, NamedNode(a), g) for a in _ancestors(region.value, parents)]
    return out


def _ancestors(iri: str, parents: dict[str, str]) -> Iterator[str]:
    seen = {iri}
    while (iri := parents.get(iri, "")) and iri not in seen:  # a cycle is the shapes' business
        seen.add(iri)
        yield iri


def stage(store: Store, version: NamedNode, graph: NamedNode, reference: Reference) -> NamedNode:
    """Write the summary of ``graph`` (read from ``version``) into a new unseen version; returns it."""
    summary = store.new_version()
    try:
        store.write_quads(summary, summarize(store, version, graph, reference))
    except BaseException:
        store.discard(summary)
        raise
    return summary


def missing(store: Store) -> list[NamedNode]:
    """The datasets of the store that have no summary (written by a coopkg before summaries)."""
    graphs = set(store.graphs())
    return [g for g in store.datasets() if summary_graph(g) not in graphs]


def stage_current(
    store: Store, reference: Reference, datasets: list[NamedNode]
) -> dict[NamedNode, NamedNode]:
    """Stage the summaries of datasets as the store holds them now: each summary graph's name and
    its new unseen version (all discarded again if one fails)."""
    versions: dict[NamedNode, NamedNode] = {}
    try:
        for graph in datasets:
            versions[summary_graph(graph)] = stage(store, graph, graph, reference)
    except BaseException:
        for version in versions.values():
            store.discard(version)
        raise
    return versions


def refresh(store: Store, reference: Reference, datasets: list[NamedNode] | None = None) -> int:
    """(Re)write the summaries of ``datasets`` (default: those missing), in one transaction."""
    todo = missing(store) if datasets is None else datasets
    store.publish(dict(stage_current(store, reference, todo)))
    return len(todo)
