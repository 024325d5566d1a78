"""Where a node of the graph comes from: its dataset, its input record (file and line), the load
that wrote it, and the documents that state it.

>>> from coopkg import resources
>>> from coopkg.ingest import load
>>> from coopkg.reference import Reference
>>> from coopkg.store import Store
>>> store = Store()
>>> _ = load(resources.example_path("tibet-expo-2023"), store, Reference.bundled())
>>> found = trace(store, "id:tibet-expo-2023/agreement/liaoning-nagqu-tourism-aid-agreement")
>>> found.records[0].file, found.records[0].line, found.sources[0].publisher
('agreements.csv', 2, 'Liaoning Daily')
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode, QuerySolutions

from coopkg.errors import CoopkgError
from coopkg.loaders.provenance import parse_record_iri
from coopkg.store import Store
from coopkg.vocab import BASE


@dataclass(frozen=True)
class RecordOrigin:
    """The input record a node was made from, and the load that read it."""

    file: str
    line: int
    sha256: str
    graph: str
    loaded: str
    software: str


@dataclass(frozen=True)
class SourceOrigin:
    """A document that states the node."""

    iri: str
    title: str
    publisher: str
    released: str


@dataclass
class Lineage:
    iri: str
    records: list[RecordOrigin] = field(default_factory=list)
    sources: list[SourceOrigin] = field(default_factory=list)

    def describe(self) -> str:
        lines = [f"<{self.iri}>"]
        for r in self.records:
            where = f"line {r.line}" if r.line else "the whole file"
            lines.append(f"  from {r.file}, {where} (sha256 {r.sha256[:12]}…)")
            lines.append(f"  in graph <{r.graph}>, loaded {r.loaded} by {r.software}")
        for s in self.sources:
            lines.append(f"  stated by {s.title!r}, {s.publisher}, released {s.released} <{s.iri}>")
        return "\n".join(lines)


_RECORDS = """
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX coop: <https://w3id.org/coopkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?record ?graph ?sha ?loaded ?software WHERE {
  GRAPH ?graph { ?node prov:wasDerivedFrom ?record }
  OPTIONAL { GRAPH ?graph { ?file coop:sha256 ?sha . ?activity prov:used ?file ;
      prov:startedAtTime ?loaded ; prov:wasAssociatedWith/rdfs:label ?software }
    FILTER(STR(?record) = STR(?file) || STRSTARTS(STR(?record), CONCAT(STR(?file), "#L"))) }
}
"""

_SOURCES = """
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
SELECT DISTINCT ?source ?title ?publisher ?released WHERE {
  ?node dcterms:source ?source .
  OPTIONAL { ?source dcterms:title ?title }
  OPTIONAL { ?source dcterms:publisher/foaf:name ?publisher }
  OPTIONAL { ?source dcterms:issued ?released }
}
"""


def _text(term: object) -> str:
    return term.value if isinstance(term, Literal | NamedNode) else ""


def trace(store: Store, iri: str) -> Lineage:
    """Everything the store knows of where ``iri`` (or ``id:…``) comes from."""
    full = BASE + "id/" + iri[3:] if iri.startswith("id:") else iri
    try:
        node = NamedNode(full)
    except ValueError as exc:
        raise CoopkgError(f"{iri!r} is not an IRI") from exc
    lineage = Lineage(full)
    values = f"VALUES ?node {{ {node} }}"
    result = store.query(_RECORDS.replace("WHERE {", "WHERE { " + values, 1))
    assert isinstance(result, QuerySolutions)
    for row in result:
        parsed = parse_record_iri(_text(row["record"]))
        if parsed:
            _, name, line = parsed
            lineage.records.append(
                RecordOrigin(
                    name,
                    line,
                    _text(row["sha"]),
                    store.name_of(row["graph"]).value if isinstance(row["graph"], NamedNode) else "",
                    _text(row["loaded"]),
                    _text(row["software"]),
                )
            )
    result = store.query(_SOURCES.replace("WHERE {", "WHERE { " + values, 1))
    assert isinstance(result, QuerySolutions)
    lineage.sources = [
        SourceOrigin(_text(r["source"]), _text(r["title"]), _text(r["publisher"]), _text(r["released"]))
        for r in result
    ]
    if not lineage.records and not lineage.sources:
        raise CoopkgError(f"the store knows nothing of where <{full}> comes from; is it loaded?")
    return lineage
