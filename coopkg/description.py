"""The dataset description a linked-data portal harvests: DCAT-AP 3 and VoID, made from the store.

:func:`describe` writes, as one rdflib graph:

- a ``dcat:Catalog`` holding one ``dcat:Dataset`` (also a ``void:Dataset``): the whole store, with
  its title, description, licence and publisher (a ``foaf:Agent`` with a name);
- a ``dcat:Distribution`` per dump: download URL, media type (and gzip as ``dcat:compressFormat``),
  EU file type, size in bytes and SHA-256 checksum (``spdx:checksum``), licence;
- with a SPARQL endpoint, a ``dcat:DataService`` serving the dataset, a distribution giving access
  through it, and ``void:sparqlEndpoint``;
- counts by SPARQL on the store: statements (``void:triples``, as in the N-Quads dump), subjects,
  entities (subjects named by IRI), every class with its instances (``void:classPartition``),
  every property with its statements (``void:propertyPartition``), and each named graph as a
  ``void:subset``;
- the temporal coverage (``dct:temporal``, from the earliest to the latest date of the datasets:
  events' start and end, agreements' signature) and the spatial coverage (``dct:spatial``, every
  region the datasets cite, with its names);
- the ontology the data follows (``dct:conformsTo``) and its documentation (``foaf:page``).

Title, description, licence and publisher come from :class:`Metadata` when given, else from the
datasets in the store (see :func:`metadata_from_store`). :func:`check` validates a description
against the official DCAT-AP 3.0.1 SHACL shapes (``coopkg/dcatap/``).

>>> from coopkg import resources
>>> from coopkg.ingest import load
>>> from coopkg.reference import Reference
>>> from coopkg.store import Store
>>> store = Store()
>>> _ = load(resources.example_path("tibet-expo-2023"), store, Reference.bundled())
>>> graph = describe(store, base_url="https://data.example.org/coopkg/")
>>> dataset = URIRef("https://data.example.org/coopkg/dataset.ttl#dataset")
>>> str(graph.value(dataset, DCTERMS.title)).endswith("International Expo (2023)")
True
>>> [str(graph.value(period, DCAT[p])) for period in graph.objects(dataset, DCTERMS.temporal)
...  for p in ("startDate", "endDate")]
['2023-01-01', '2023-12-31']
>>> check(graph)
[]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from pyoxigraph import BlankNode, Literal, NamedNode, QuerySolutions
from pyshacl import validate as pyshacl_validate
from rdflib import RDF, RDFS, XSD, BNode, Graph, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, SH, SKOS, VOID

from coopkg import __version__, resources
from coopkg.errors import CoopkgError
from coopkg.store import Store
from coopkg.vocab import (
    COOP,
    ONTOLOGY_GRAPH,
    ONTOLOGY_IRI,
    PREFIXES,
    REGIONS_GRAPH,
    SCHEMA,
)

SPDX = Namespace("http://spdx.org/rdf/terms#")
IANA = "http://www.iana.org/assignments/media-types/"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
W3C_FORMATS = "http://www.w3.org/ns/formats/"
SPARQL_PROTOCOL = "https://www.w3.org/TR/sparql11-protocol/"

#: The file the description is written to, in a publication folder; its IRIs hang from it.
DESCRIPTION_FILE = "dataset.ttl"

#: The licence of what coopkg ships into every store: ontology, vocabularies and reference data
#: (README.md, coopkg/refdata/README.md).
REFERENCE_LICENCE = "https://creativecommons.org/licenses/by/4.0/"
REFERENCE_PUBLISHER = "coopkg contributors"
ONTOLOGY_TITLE = "coopkg: an ontology of inter-regional cooperation"
DEFAULT_TITLE = "Inter-regional cooperation: a knowledge graph made with coopkg"

#: The properties whose values give the temporal coverage.
DATE_PROPERTIES = (SCHEMA.startDate, SCHEMA.endDate, COOP.signedOn)


@dataclass(frozen=True)
class Distribution:
    """A file of the publication, as the description lists it."""

    file: str  # its name in the folder (and below the base URL): "data.nq.gz"
    title: str
    description: str
    media_type: str  # IANA media type of the content, uncompressed: "application/n-quads"
    file_type: str  # EU file-type code: "RDF_N_QUADS"
    size: int
    sha256: str
    compressed: bool = False
    w3c_format: str | None = None  # local name in http://www.w3.org/ns/formats/ (void:feature)


@dataclass(frozen=True)
class Metadata:
    """What a person says of the dataset; None leaves it to the store (:func:`metadata_from_store`)."""

    title: str | None = None
    description: str | None = None
    licence: str | None = None
    publisher: str | None = None


@dataclass(frozen=True)
class ResolvedMetadata:
    """The title, description, licence and publisher a description states."""

    titles: list[rdflib.Literal]
    descriptions: list[rdflib.Literal]
    licence: URIRef
    publisher: URIRef | None  # the agent's IRI in the data, when the store names it
    publisher_name: str


# --- from pyoxigraph to rdflib -----------------------------------------------------------------------


def _term(term: object) -> rdflib.term.Node:
    if isinstance(term, NamedNode):
        return URIRef(term.value)
    if isinstance(term, BlankNode):
        return BNode(term.value)
    if isinstance(term, Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        return rdflib.Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"not an RDF term: {term!r}")


def _literal(term: Literal) -> rdflib.Literal:
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    return rdflib.Literal(term.value, datatype=URIRef(term.datatype.value))


def _rows(store: Store, sparql: str, graphs: list[NamedNode] | None = None) -> QuerySolutions:
    result = store.query(sparql, graphs=graphs)
    assert isinstance(result, QuerySolutions)
    return result


def _int(term: object) -> int:
    return int(term.value) if isinstance(term, Literal) else 0


# --- what the store says -----------------------------------------------------------------------------


@dataclass
class _Stated:
    """What a dataset's graph says of the dataset (its manifest)."""

    titles: list[rdflib.Literal] = field(default_factory=list)
    descriptions: list[rdflib.Literal] = field(default_factory=list)
    licences: list[str] = field(default_factory=list)
    publishers: list[tuple[URIRef | None, str]] = field(default_factory=list)  # (agent, name)


def _stated(store: Store) -> dict[str, _Stated]:
    """Each dataset graph of the store, and what it says of itself."""
    datasets = store.datasets()
    found = {g.value: _Stated() for g in datasets}
    if not datasets:
        return found
    rows = _rows(
        store,
        f"""PREFIX dcterms: <http://purl.org/dc/terms/>
        PREFIX foaf: <http://xmlns.com/foaf/0.1/>
        SELECT ?g ?p ?o ?name WHERE {{
          VALUES ?g {{ {" ".join(str(g) for g in datasets)} }}
          VALUES ?p {{ dcterms:title dcterms:description dcterms:license dcterms:publisher }}
          ?g ?p ?o . OPTIONAL {{ ?o foaf:name ?name }}
        }}""",
        graphs=datasets,
    )
    for row in rows:
        stated, key, value = found[row["g"].value], row["p"].value, row["o"]
        if key == str(DCTERMS.title) and isinstance(value, Literal):
            stated.titles.append(_literal(value))
        elif key == str(DCTERMS.description) and isinstance(value, Literal):
            stated.descriptions.append(_literal(value))
        elif key == str(DCTERMS.license) and isinstance(value, NamedNode):
            stated.licences.append(value.value)
        elif key == str(DCTERMS.publisher):
            agent = URIRef(value.value) if isinstance(value, NamedNode) else None
            name = row["name"].value if isinstance(row["name"], Literal) else str(value)
            stated.publishers.append((agent, name))
    return found


def metadata_from_store(store: Store, given: Metadata | None = None) -> ResolvedMetadata:
    """Title, description, licence and publisher: as given, else as the store's datasets say.

    - title and description: those of the one dataset when the store holds one; otherwise a title
      of coopkg's and a description listing the datasets;
    - licence: the one licence of every dataset and of the reference data (CC BY 4.0); when they
      differ, it must be given;
    - publisher: the one publisher of every dataset ("coopkg contributors" when there is no dataset);
      when they differ, it must be given.
    """
    given = given or Metadata()
    found = _stated(store)
    only = next(iter(found.values())) if len(found) == 1 else _Stated()
    if given.title is not None:
        titles = [rdflib.Literal(given.title)]
    else:
        titles = sorted(only.titles) or [rdflib.Literal(DEFAULT_TITLE, lang="en")]
    if given.description is not None:
        descriptions = [rdflib.Literal(given.description)]
    else:
        descriptions = sorted(only.descriptions) or [rdflib.Literal(_default_description(found), lang="en")]
    return ResolvedMetadata(
        titles, descriptions, _licence(store, found, given.licence), *_publisher(found, given.publisher)
    )


def _licence(store: Store, found: dict[str, _Stated], given: str | None) -> URIRef:
    if given is not None:
        try:
            return URIRef(NamedNode(given).value)
        except ValueError as exc:
            raise CoopkgError(
                f"the licence {given!r} is not an IRI: name it by its IRI, "
                "e.g. https://creativecommons.org/licenses/by/4.0/"
            ) from exc
    licences: dict[str, list[str]] = {}
    for graph, stated in found.items():
        for licence in stated.licences:
            licences.setdefault(licence, []).append(_short(graph))
    if {ONTOLOGY_GRAPH, REGIONS_GRAPH} & set(store.graphs()) or not licences:
        licences.setdefault(REFERENCE_LICENCE, []).append("the reference data")
    if len(licences) > 1:
        listed = "; ".join(f"<{iri}> ({', '.join(who)})" for iri, who in sorted(licences.items()))
        raise CoopkgError(
            f"the store's graphs have different licences: {listed}. "
            "Name the licence of the whole dump with --licence IRI."
        )
    return URIRef(next(iter(licences)))


def _publisher(found: dict[str, _Stated], given: str | None) -> tuple[URIRef | None, str]:
    """The publisher's agent in the data (None: not there) and name."""
    agents: dict[str, tuple[URIRef | None, list[str]]] = {}
    for graph, stated in found.items():
        for agent, name in stated.publishers:
            agents.setdefault(name, (agent, []))[1].append(_short(graph))
    if given is not None:
        return agents.get(given, (None, []))[0], given
    if len(agents) > 1:
        listed = "; ".join(f"{name!r} ({', '.join(who)})" for name, (_, who) in sorted(agents.items()))
        raise CoopkgError(
            f"the store's datasets have different publishers: {listed}. "
            "Name the publisher of the whole dump with --publisher NAME."
        )
    for name, (agent, _) in agents.items():
        return agent, name
    return None, REFERENCE_PUBLISHER


def _short(graph: str) -> str:
    return graph.rsplit("/", 1)[-1]


def _default_description(found: dict[str, _Stated]) -> str:
    if not found:
        return (
            "coopkg's ontology of inter-regional cooperation, its SKOS vocabularies and its "
            "reference data (administrative divisions)."
        )
    names = []
    for graph, stated in sorted(found.items()):
        names.append(f"“{sorted(stated.titles)[0]}”" if stated.titles else _short(graph))
    return (
        f"Inter-regional cooperation (mechanisms, agreements, events, reported outcomes and their "
        f"sources) from {len(found)} datasets: {'; '.join(names)}; with coopkg's ontology, "
        "vocabularies and reference data."
    )


def _temporal(store: Store) -> tuple[dt.date, dt.date] | None:
    """The earliest and the latest day that the datasets' dates reach."""
    datasets = store.datasets()
    if not datasets:
        return None
    properties = " ".join(str(p) for p in DATE_PROPERTIES)
    rows = _rows(
        store,
        f"SELECT ?type (MIN(STR(?d)) AS ?first) (MAX(STR(?d)) AS ?last) WHERE {{ "
        f"VALUES ?p {{ {properties} }} ?s ?p ?d FILTER(isLiteral(?d)) }} GROUP BY (DATATYPE(?d) AS ?type)",
        graphs=datasets,
    )
    days: list[dt.date] = []
    for row in rows:
        kind = row["type"].value.rsplit("#", 1)[-1] if isinstance(row["type"], NamedNode) else ""
        for key, end in (("first", False), ("last", True)):
            day = _day(row[key].value if isinstance(row[key], Literal) else "", kind, end=end)
            if day is not None:
                days.append(day)
    return (min(days), max(days)) if days else None


def _day(text: str, kind: str, *, end: bool) -> dt.date | None:
    """The first (or last) day of an xsd:date, dateTime, gYearMonth or gYear lexical form.

    >>> _day("2023-08", "gYearMonth", end=True), _day("2023", "gYear", end=False)
    (datetime.date(2023, 8, 31), datetime.date(2023, 1, 1))
    """
    try:
        if kind in ("date", "dateTime", "dateTimeStamp"):
            return dt.date.fromisoformat(text[:10])
        if kind == "gYearMonth":
            first = dt.date.fromisoformat(text[:7] + "-01")
            if not end:
                return first
            following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            return following - dt.timedelta(days=1)
        if kind == "gYear":
            year = int(text[:4])
            return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
    except ValueError:
        return None
    return None


def _regions(store: Store) -> list[tuple[URIRef, list[rdflib.Literal]]]:
    """The regions the datasets cite, with their names (from the gazetteer graph)."""
    datasets = store.datasets()
    if not datasets or REGIONS_GRAPH not in store.graphs():
        return []
    names: dict[str, list[rdflib.Literal]] = {}
    for row in _rows(
        store,
        f"SELECT ?r ?label WHERE {{ ?r a {COOP.Region} OPTIONAL {{ ?r <{RDFS.label}> ?label }} }}",
        graphs=[REGIONS_GRAPH],
    ):
        labels = names.setdefault(row["r"].value, [])
        if isinstance(row["label"], Literal):
            labels.append(_literal(row["label"]))
    if not names:
        return []
    values = " ".join(f"<{iri}>" for iri in names)
    cited = _rows(
        store,
        f"SELECT ?r WHERE {{ VALUES ?r {{ {values} }} FILTER EXISTS {{ ?s ?p ?r }} }}",
        graphs=datasets,
    )
    return sorted((URIRef(row["r"].value), sorted(names[row["r"].value])) for row in cited)


def _modified(store: Store) -> rdflib.Literal | None:
    """When the last load into the store ended."""
    datasets = store.datasets()
    if not datasets:
        return None
    rows = _rows(
        store,
        "SELECT (MAX(?t) AS ?last) WHERE { ?load <http://www.w3.org/ns/prov#endedAtTime> ?t }",
        graphs=datasets,
    )
    for row in rows:
        if isinstance(row["last"], Literal):
            return _literal(row["last"])
    return None


# --- the description ---------------------------------------------------------------------------------


def base_url_of(url: str) -> str:
    """A base URL ending in ``/``, so that file names resolve below it.

    >>> base_url_of("https://data.example.org/coopkg")
    'https://data.example.org/coopkg/'
    """
    try:
        NamedNode(url)
    except ValueError as exc:
        raise CoopkgError(
            f"{url!r} is not an absolute URL: give e.g. https://data.example.org/coopkg/"
        ) from exc
    return url if url.endswith("/") else url + "/"


def describe(
    store: Store,
    *,
    base_url: str,
    distributions: Sequence[Distribution] = (),
    sparql_url: str | None = None,
    documentation: str | None = None,
    metadata: Metadata | None = None,
) -> Graph:
    """The DCAT-AP 3 and VoID description of the store and its dumps (see the module's docstring).

    ``base_url`` is where the publication folder will be served: the description's own IRIs
    (``{base_url}dataset.ttl#dataset``) and the distributions' download URLs hang from it.
    ``documentation`` is the path of the ontology's HTML page below it, when published.
    """
    base = base_url_of(base_url)
    here = base + DESCRIPTION_FILE
    resolved = metadata_from_store(store, metadata or Metadata())
    g = Graph()
    for prefix, namespace in (
        ("dcat", DCAT),
        ("dct", DCTERMS),
        ("foaf", FOAF),
        ("void", VOID),
        ("spdx", SPDX),
        ("skos", SKOS),
        ("xsd", XSD),
        ("rdfs", RDFS),
        ("coop", Namespace(COOP.base)),
    ):
        g.bind(prefix, namespace, override=True)
    catalog, dataset = URIRef(here + "#catalog"), URIRef(here + "#dataset")

    publisher = resolved.publisher or URIRef(here + "#publisher")
    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, FOAF.name, rdflib.Literal(resolved.publisher_name)))
    g.add((resolved.licence, RDF.type, DCTERMS.LicenseDocument))

    g.add((catalog, RDF.type, DCAT.Catalog))
    for title in resolved.titles:
        g.add((catalog, DCTERMS.title, title))
    g.add(
        (
            catalog,
            DCTERMS.description,
            rdflib.Literal(
                f"The dataset “{resolved.titles[0]}” and its distributions, described by coopkg "
                f"{__version__}.",
                lang="en",
            ),
        )
    )
    g.add((catalog, DCTERMS.publisher, publisher))
    g.add((catalog, DCAT.dataset, dataset))

    g.add((dataset, RDF.type, DCAT.Dataset))
    g.add((dataset, RDF.type, VOID.Dataset))
    for title in resolved.titles:
        g.add((dataset, DCTERMS.title, title))
    for description in resolved.descriptions:
        g.add((dataset, DCTERMS.description, description))
    g.add((dataset, DCTERMS.publisher, publisher))
    g.add((dataset, DCTERMS.license, resolved.licence))
    ontology = URIRef(ONTOLOGY_IRI)
    g.add((dataset, DCTERMS.conformsTo, ontology))
    g.add((ontology, RDF.type, DCTERMS.Standard))
    g.add((ontology, DCTERMS.title, rdflib.Literal(ONTOLOGY_TITLE, lang="en")))
    if documentation:
        page = URIRef(base + documentation)
        g.add((dataset, FOAF.page, page))
        g.add((page, RDF.type, FOAF.Document))
        g.add((page, DCTERMS.title, rdflib.Literal("The ontology's documentation", lang="en")))
    modified = _modified(store)
    if modified is not None:
        g.add((dataset, DCTERMS.modified, modified))
    _coverage(g, dataset, store)
    _counts(g, dataset, store)

    for dump in distributions:
        _distribution(g, dataset, here, base, dump, resolved.licence)
    if sparql_url:
        base_url_of(sparql_url)  # an absolute URL, or an error that says so
        _service(g, catalog, dataset, here, sparql_url, resolved.licence)
    return g


def _coverage(g: Graph, dataset: URIRef, store: Store) -> None:
    period = _temporal(store)
    if period is not None:
        node = BNode("period")
        g.add((dataset, DCTERMS.temporal, node))
        g.add((node, RDF.type, DCTERMS.PeriodOfTime))
        g.add((node, DCAT.startDate, rdflib.Literal(period[0].isoformat(), datatype=XSD.date)))
        g.add((node, DCAT.endDate, rdflib.Literal(period[1].isoformat(), datatype=XSD.date)))
    for region, labels in _regions(store):
        g.add((dataset, DCTERMS.spatial, region))
        g.add((region, RDF.type, DCTERMS.Location))
        seen: set[str | None] = set()
        for label in labels:
            if label.language not in seen:
                seen.add(label.language)
                g.add((region, SKOS.prefLabel, label))


def _counts(g: Graph, dataset: URIRef, store: Store) -> None:
    """VoID statistics: statements, subjects, entities, classes and properties, graph by graph."""
    total = 0
    for graph in store.graphs():
        count = store.count(graph)
        total += count
        subset = URIRef(graph.value)
        g.add((dataset, VOID.subset, subset))
        g.add((subset, RDF.type, VOID.Dataset))
        g.add((subset, VOID.triples, rdflib.Literal(count)))
        for row in _rows(store, f"SELECT ?t WHERE {{ {graph} <{DCTERMS.title}> ?t }}", graphs=[graph]):
            g.add((subset, DCTERMS.title, _term(row["t"])))
    g.add((dataset, VOID.triples, rdflib.Literal(total)))
    # One pass: every subject, and those named by IRI (the others leave ?entity unbound).
    for row in _rows(
        store,
        "SELECT (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?entity) AS ?entities) "
        "WHERE { ?s ?p ?o BIND(IF(isIRI(?s), ?s, ?none) AS ?entity) }",
    ):
        g.add((dataset, VOID.distinctSubjects, rdflib.Literal(_int(row["subjects"]))))
        g.add((dataset, VOID.entities, rdflib.Literal(_int(row["entities"]))))
    classes = list(
        _rows(store, "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c FILTER(isIRI(?c)) } GROUP BY ?c")
    )
    g.add((dataset, VOID.classes, rdflib.Literal(len(classes))))
    for i, row in enumerate(sorted(classes, key=lambda r: r["c"].value)):
        partition = BNode(f"class-{i:04d}")  # labelled in order, so that the same store gives the same file
        g.add((dataset, VOID.classPartition, partition))
        g.add((partition, VOID["class"], _term(row["c"])))
        g.add((partition, VOID.entities, rdflib.Literal(_int(row["n"]))))
    properties = list(_rows(store, "SELECT ?p (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?p"))
    g.add((dataset, VOID.properties, rdflib.Literal(len(properties))))
    used: set[str] = set()
    for i, row in enumerate(sorted(properties, key=lambda r: r["p"].value)):
        partition = BNode(f"property-{i:04d}")
        g.add((dataset, VOID.propertyPartition, partition))
        g.add((partition, VOID.property, _term(row["p"])))
        g.add((partition, VOID.triples, rdflib.Literal(_int(row["n"]))))
        used.add(row["p"].value)
    used.update(row["c"].value for row in classes)
    for namespace in sorted(set(PREFIXES.values())):
        if any(iri.startswith(namespace) for iri in used):
            g.add((dataset, VOID.vocabulary, URIRef(namespace)))


def _distribution(
    g: Graph, dataset: URIRef, here: str, base: str, dump: Distribution, licence: URIRef
) -> None:
    node, url = URIRef(f"{here}#{dump.file}"), URIRef(base + dump.file)
    media_type, file_type = URIRef(IANA + dump.media_type), URIRef(FILE_TYPE + dump.file_type)
    g.add((dataset, DCAT.distribution, node))
    g.add((node, RDF.type, DCAT.Distribution))
    g.add((node, DCTERMS.title, rdflib.Literal(dump.title, lang="en")))
    g.add((node, DCTERMS.description, rdflib.Literal(dump.description, lang="en")))
    g.add((node, DCAT.accessURL, url))
    g.add((node, DCAT.downloadURL, url))
    g.add((node, DCAT.mediaType, media_type))
    g.add((media_type, RDF.type, DCTERMS.MediaType))
    g.add((node, DCTERMS.format, file_type))
    g.add((file_type, RDF.type, DCTERMS.MediaTypeOrExtent))
    if dump.compressed:
        gzip_type = URIRef(IANA + "application/gzip")
        g.add((node, DCAT.compressFormat, gzip_type))
        g.add((gzip_type, RDF.type, DCTERMS.MediaType))
    g.add((node, DCAT.byteSize, rdflib.Literal(str(dump.size), datatype=XSD.nonNegativeInteger)))
    checksum = BNode(f"checksum-{dump.file}")
    g.add((node, SPDX.checksum, checksum))
    g.add((checksum, RDF.type, SPDX.Checksum))
    g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    g.add((SPDX.checksumAlgorithm_sha256, RDF.type, SPDX.ChecksumAlgorithm))
    g.add((checksum, SPDX.checksumValue, rdflib.Literal(dump.sha256, datatype=XSD.hexBinary)))
    g.add((node, DCTERMS.license, licence))
    g.add((dataset, VOID.dataDump, url))
    if dump.w3c_format:
        g.add((dataset, VOID.feature, URIRef(W3C_FORMATS + dump.w3c_format)))


def _service(
    g: Graph, catalog: URIRef, dataset: URIRef, here: str, endpoint_url: str, licence: URIRef
) -> None:
    service, access = URIRef(here + "#sparql"), URIRef(here + "#sparql-distribution")
    endpoint, protocol = URIRef(endpoint_url), URIRef(SPARQL_PROTOCOL)
    g.add((catalog, DCAT.service, service))
    g.add((service, RDF.type, DCAT.DataService))
    g.add((service, DCTERMS.title, rdflib.Literal("SPARQL endpoint", lang="en")))
    g.add((service, DCAT.endpointURL, endpoint))
    g.add((endpoint, RDF.type, RDFS.Resource))
    g.add((service, DCAT.servesDataset, dataset))
    g.add((service, DCTERMS.conformsTo, protocol))
    g.add((protocol, RDF.type, DCTERMS.Standard))
    g.add((service, DCTERMS.license, licence))
    g.add((dataset, VOID.sparqlEndpoint, endpoint))
    g.add((dataset, DCAT.distribution, access))
    g.add((access, RDF.type, DCAT.Distribution))
    g.add((access, DCTERMS.title, rdflib.Literal("SPARQL endpoint", lang="en")))
    g.add((access, DCAT.accessURL, endpoint))
    g.add((access, DCAT.accessService, service))
    g.add((access, DCTERMS.license, licence))


# --- DCAT-AP conformance -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """A result of the DCAT-AP shapes: the node, the property, and what is wrong."""

    focus: str
    path: str
    message: str
    severity: str

    def __str__(self) -> str:
        return f"<{self.focus}> <{self.path}>: {self.message} ({self.severity})"


def dcatap_shapes() -> Graph:
    """The DCAT-AP 3.0.1 SHACL shapes coopkg ships (``coopkg/dcatap/``)."""
    return Graph().parse(data=resources.dcatap_shapes_file().read_text(encoding="utf-8"), format="turtle")


def check(description: Graph, shapes: Graph | None = None) -> list[Finding]:
    """What the DCAT-AP 3.0.1 shapes find in a description (pySHACL, no inference); [] conforms."""
    conforms, report, _ = pyshacl_validate(
        description,
        shacl_graph=shapes if shapes is not None else dcatap_shapes(),
        inference="none",
        allow_warnings=True,
    )
    if conforms:
        return []
    findings = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        path = report.value(result, SH.resultPath)
        findings.append(
            Finding(
                str(report.value(result, SH.focusNode)),
                str(path),
                str(report.value(result, SH.resultMessage) or "does not conform"),
                str(report.value(result, SH.resultSeverity) or SH.Violation).rsplit("#", 1)[-1],
            )
        )
    return sorted(findings, key=lambda f: (f.focus, f.path, f.message))


def write(description: Graph, path: Path) -> None:
    """Write a description as Turtle."""
    path.write_text(description.serialize(format="turtle"), encoding="utf-8")
