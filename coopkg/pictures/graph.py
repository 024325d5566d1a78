"""The cooperation graph as the pictures draw it: regions, and the links between them.

The links are the rows of the catalogue query ``network-links`` (one per mechanism or agreement
and pair of regions), asked on a store or any backend with the region bound as an RDF term.

>>> from coopkg import resources
>>> from coopkg.ingest import load
>>> from coopkg.reference import Reference
>>> from coopkg.store import Store
>>> store, reference = Store(), Reference.bundled()
>>> _ = load(resources.example_path("tibet-expo-2023"), store, reference)
>>> graph = fetch(store, reference, region="Nagchu")
>>> [(link.kind, link.directed) for link in graph.links]
[('agreement', False), ('mechanism', True)]
>>> [(r.name, r.name_zh, r.code) for r in graph.regions.values()]
[('Liaoning', '辽宁省', '210000'), ('Nagqu', '那曲市', '540600')]
>>> area_names(reference)["museums-cultural-heritage"]
'museums and cultural heritage'
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode

from coopkg import catalogue
from coopkg.backend import Backend, backend_of
from coopkg.errors import CoopkgError
from coopkg.gazetteer import RegionNotFound
from coopkg.reference import Reference
from coopkg.store import Store
from coopkg.table import Cell, Table
from coopkg.vocab import SKOS

QUERY = "network-links"
AID_FLOW = "provider-recipient"


@dataclass(frozen=True)
class Region:
    """A region that a link joins: its IRI, English name, Chinese name and code where known."""

    iri: str
    name: str
    name_zh: str | None = None
    code: str | None = None

    def caption(self) -> str:
        """The English name, then the Chinese one: ``Liaoning 辽宁省``."""
        return f"{self.name} {self.name_zh}" if self.name_zh else self.name


@dataclass(frozen=True)
class Link:
    """One mechanism or agreement between two regions; directed from provider to recipient."""

    iri: str
    kind: str  # "mechanism" or "agreement"
    name: str
    relation: str  # "provider-recipient", "participants" or "parties"
    source: str
    target: str
    areas: tuple[str, ...]  # area notations, sorted
    area_names: str

    @property
    def directed(self) -> bool:
        return self.relation == AID_FLOW


@dataclass(frozen=True)
class Graph:
    """Regions by IRI (sorted) and links (in the query's order), and the region asked about."""

    regions: dict[str, Region]
    links: list[Link]
    focus: Region | None = None


def region_term(text: str, reference: Reference) -> NamedNode:
    """A region given by name, alias, code or IRI, as the IRI the store uses."""
    if text.startswith(("http://", "https://")):
        return NamedNode(text)
    try:
        return reference.gazetteer.resolve(text)
    except RegionNotFound as exc:
        raise CoopkgError(f"region: {exc}") from exc


def _text(cell: Cell) -> str:
    if isinstance(cell, NamedNode | Literal):
        return cell.value
    return ""


def _region(iri: str, name: str, reference: Reference) -> Region:
    known = reference.gazetteer.regions.get(iri)
    if known is None:
        return Region(iri, name or iri.rstrip("/").rsplit("/", 1)[-1])
    return Region(iri, name or known.name_en, known.name_zh or None, known.code)


def fetch(place: Store | Backend, reference: Reference, *, region: str | None = None) -> Graph:
    """The links of the store (of one region, if given) and the regions they join."""
    focus = region_term(region, reference) if region else None
    query = catalogue.get(QUERY)
    answer = backend_of(place, fast=True).run(query.bind({"region": focus}))
    assert isinstance(answer, Table), f"{QUERY} is a SELECT query"
    regions: dict[str, Region] = {}
    links = []
    for row in answer.records():
        source, target = _text(row["source"]), _text(row["target"])
        regions.setdefault(source, _region(source, _text(row["sourceName"]), reference))
        regions.setdefault(target, _region(target, _text(row["targetName"]), reference))
        links.append(
            Link(
                iri=_text(row["link"]),
                kind=_text(row["kind"]),
                name=_text(row["linkName"]),
                relation=_text(row["relation"]),
                source=source,
                target=target,
                areas=tuple(sorted(_text(row["areas"]).split())),
                area_names=", ".join(sorted(set(filter(None, _text(row["areaNames"]).split(", "))))),
            )
        )
    focused = None
    if focus is not None:
        focused = regions.get(focus.value) or _region(focus.value, "", reference)
    return Graph(dict(sorted(regions.items())), links, focused)


def area_names(reference: Reference) -> dict[str, str]:
    """The English name of each cooperation area, by its notation."""
    labels = {
        quad.subject.value: quad.object.value
        for quad in reference.ontology
        if quad.predicate == SKOS.prefLabel
        and isinstance(quad.subject, NamedNode)
        and isinstance(quad.object, Literal)
        and quad.object.language == "en"
    }
    return {n: labels.get(reference.concept("area", n).value, n) for n in reference.notations("area")}
