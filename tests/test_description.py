"""The dataset description: DCAT-AP 3.0.1 conformance (the official shapes, by pySHACL), counts,
coverage, distributions that match their files, and metadata taken from the store or given."""

from __future__ import annotations

import gzip
import hashlib
import shutil
from pathlib import Path

import pytest
from pyoxigraph import QuerySolutions
from pyshacl import validate
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, SH, SKOS, VOID

from coopkg import resources
from coopkg.description import SPDX, Metadata, check, dcatap_shapes, describe
from coopkg.errors import CoopkgError
from coopkg.export import Publication, export_folder
from coopkg.ingest import load
from coopkg.reference import Reference
from coopkg.store import Store

BASE = "https://data.example.org/coopkg/"
DATASET = URIRef(BASE + "dataset.ttl#dataset")
# Open namespaces: pytest looks at a test module's names, and rdflib's closed DCAT and XSD warn.
DCAT = Namespace("http://www.w3.org/ns/dcat#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
CC_BY = URIRef("https://creativecommons.org/licenses/by/4.0/")


@pytest.fixture(scope="module")
def example_store() -> Store:
    store = Store()
    load(resources.example_path("tibet-expo-2023"), store, Reference.bundled())
    return store


@pytest.fixture(scope="module")
def publication(example_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Publication:
    folder = tmp_path_factory.mktemp("site")
    return export_folder(example_store, folder, base_url=BASE, sparql_url="https://data.example.org/sparql")


@pytest.fixture(scope="module")
def description(publication: Publication) -> Graph:
    return Graph().parse(publication.folder / "dataset.ttl", format="turtle")


def test_the_examples_description_conforms_to_dcat_ap(publication: Publication, description: Graph) -> None:
    conforms, _, text = validate(description, shacl_graph=dcatap_shapes(), inference="none")
    assert conforms, text
    assert publication.findings == [] and check(description) == []
    assert (DATASET, RDF.type, DCAT.Dataset) in description
    assert len(list(description.subjects(RDF.type, DCAT.Distribution))) == 6 + 1  # the dumps, SPARQL


def test_a_description_without_a_title_does_not_conform(description: Graph) -> None:
    broken = Graph() + description
    broken.remove((DATASET, DCTERMS.title, None))
    findings = check(broken)
    assert [(f.focus, f.path) for f in findings] == [(str(DATASET), str(DCTERMS.title))]
    conforms, report, _ = validate(broken, shacl_graph=dcatap_shapes(), inference="none")
    assert not conforms
    assert {report.value(r, SH.resultPath) for r in report.subjects(RDF.type, SH.ValidationResult)} == {
        DCTERMS.title
    }


def test_untyped_links_do_not_conform(description: Graph) -> None:
    """The shapes check ranges by class: the description must type what it links to."""
    broken = Graph() + description
    broken.remove((CC_BY, RDF.type, DCTERMS.LicenseDocument))
    assert {f.path for f in check(broken)} == {str(DCTERMS.license)}


def test_the_vendored_shapes_have_no_dangling_property_shapes() -> None:
    shapes = dcatap_shapes()
    links = list(shapes.objects(None, SH.property))
    assert len(links) > 250
    assert all((link, None, None) in shapes for link in links)
    readme = (Path(str(resources.dcatap_shapes_file())).parent / "README.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in readme and "European Union" in readme and "3.0.1" in readme


def test_the_distributions_match_their_files(publication: Publication, description: Graph) -> None:
    dumps = list(publication.folder.glob("data.*.gz"))
    assert len(dumps) == 6
    for path in dumps:
        url = URIRef(BASE + path.name)
        (node,) = description.subjects(DCAT.downloadURL, url)
        assert (node, DCAT.accessURL, url) in description
        data = path.read_bytes()
        assert description.value(node, DCAT.byteSize) == Literal(
            str(len(data)), datatype=XSD.nonNegativeInteger
        )
        checksum = description.value(node, SPDX.checksum)
        assert description.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        assert str(description.value(checksum, SPDX.checksumValue)) == hashlib.sha256(data).hexdigest()
        assert description.value(node, DCAT.compressFormat) == URIRef(
            "http://www.iana.org/assignments/media-types/application/gzip"
        )
        assert (URIRef(BASE + "dataset.ttl#dataset"), VOID.dataDump, url) in description
    nq = description.value(None, DCAT.downloadURL, URIRef(BASE + "data.nq.gz"))
    assert nq is not None
    (node,) = description.subjects(DCAT.downloadURL, URIRef(BASE + "data.nq.gz"))
    assert description.value(node, DCAT.mediaType) == URIRef(
        "http://www.iana.org/assignments/media-types/application/n-quads"
    )
    assert description.value(node, DCTERMS.format) == URIRef(
        "http://publications.europa.eu/resource/authority/file-type/RDF_N_QUADS"
    )


def test_the_counts_are_the_stores(
    example_store: Store, publication: Publication, description: Graph
) -> None:
    lines = gzip.decompress((publication.folder / "data.nq.gz").read_bytes()).splitlines()
    assert int(description.value(DATASET, VOID.triples)) == len(lines) == len(example_store)
    by_class = {
        description.value(p, VOID["class"]): int(description.value(p, VOID.entities))
        for p in description.objects(DATASET, VOID.classPartition)
    }
    coop = "https://w3id.org/coopkg/ontology#"
    assert by_class[URIRef(coop + "AidMechanism")] == 1
    assert by_class[URIRef(coop + "CooperationActivity")] == 6  # the agreement's six lines of work
    regions = example_store.query(f"SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE {{ ?r a <{coop}Region> }}")
    assert isinstance(regions, QuerySolutions)
    assert by_class[URIRef(coop + "Region")] == int(next(regions)["n"].value)
    by_property = {
        description.value(p, VOID.property): int(description.value(p, VOID.triples))
        for p in description.objects(DATASET, VOID.propertyPartition)
    }
    assert sum(by_property.values()) == len(lines)
    assert int(description.value(DATASET, VOID.properties)) == len(by_property)
    subjects = {line.split(b" ", 1)[0] for line in lines}
    assert int(description.value(DATASET, VOID.distinctSubjects)) == len(subjects)
    named = {s for s in subjects if s.startswith(b"<")}
    assert int(description.value(DATASET, VOID.entities)) == len(named)
    subsets = {s: int(description.value(s, VOID.triples)) for s in description.objects(DATASET, VOID.subset)}
    assert subsets[URIRef("https://w3id.org/coopkg/graph/tibet-expo-2023")] == example_store.count(
        example_store.datasets()[0]
    )


def test_the_coverage_is_what_the_data_say(description: Graph) -> None:
    (period,) = description.objects(DATASET, DCTERMS.temporal)
    # The press conference is dated 2023-06-18, the Expo only by its year, 2023.
    assert (str(description.value(period, DCAT.startDate)), str(description.value(period, DCAT.endDate))) == (
        "2023-01-01",
        "2023-12-31",
    )
    places = list(description.objects(DATASET, DCTERMS.spatial))
    assert sorted(places) == [
        URIRef("https://w3id.org/coopkg/id/region/cn/210000"),  # Liaoning
        URIRef("https://w3id.org/coopkg/id/region/cn/540600"),  # Nagqu
    ]
    assert all((place, RDF.type, DCTERMS.Location) in description for place in places)
    names = {
        str(label)
        for place in description.objects(DATASET, DCTERMS.spatial)
        for label in description.objects(place, SKOS.prefLabel)
    }
    assert {"Liaoning", "Nagqu", "辽宁省", "那曲市"} == names


def test_the_metadata_come_from_the_manifest(description: Graph) -> None:
    manifest = (resources.example_path("tibet-expo-2023") / "manifest.toml").read_text(encoding="utf-8")
    title = str(description.value(DATASET, DCTERMS.title))
    assert f'title = "{title}"' in manifest
    assert description.value(DATASET, DCTERMS.license) == CC_BY
    publisher = description.value(DATASET, DCTERMS.publisher)
    assert (publisher, RDF.type, FOAF.Agent) in description
    assert str(description.value(publisher, FOAF.name)) == "coopkg contributors"
    service = description.value(None, DCAT.servesDataset, DATASET)
    assert description.value(service, DCAT.endpointURL) == URIRef("https://data.example.org/sparql")
    assert description.value(DATASET, FOAF.page) == URIRef(BASE + "ontology/index.html")


def test_given_metadata_win(example_store: Store) -> None:
    graph = describe(
        example_store,
        base_url="https://example.org/x",
        metadata=Metadata(
            title="Cooperation",
            description="All of it.",
            licence="https://example.org/l",
            publisher="Someone",
        ),
    )
    dataset = URIRef("https://example.org/x/dataset.ttl#dataset")
    assert str(graph.value(dataset, DCTERMS.title)) == "Cooperation"
    assert graph.value(dataset, DCTERMS.license) == URIRef("https://example.org/l")
    assert str(graph.value(graph.value(dataset, DCTERMS.publisher), FOAF.name)) == "Someone"
    assert check(graph) == []


def test_datasets_that_disagree_need_a_licence_and_a_publisher(tmp_path: Path) -> None:
    store = Store()
    reference = Reference.bundled()
    load(resources.example_path("tibet-expo-2023"), store, reference)
    other = tmp_path / "other"
    shutil.copytree(resources.example_path("tibet-expo-2023"), other)
    manifest = other / "manifest.toml"
    text = manifest.read_text(encoding="utf-8")
    text = text.replace('id = "tibet-expo-2023"', 'id = "tibet-expo-2023-copy"', 1)
    text = text.replace(
        'licence = "https://creativecommons.org/licenses/by/4.0/"',
        'licence = "https://creativecommons.org/publicdomain/zero/1.0/"',
    )
    manifest.write_text(text.replace('publisher = "coopkg contributors"', 'publisher = "A Steward"', 1))
    assert load(other, store, reference).status == "loaded"
    with pytest.raises(CoopkgError, match=r"different licences: .*zero/1\.0.*--licence"):
        describe(store, base_url=BASE)
    with pytest.raises(CoopkgError, match=r"different publishers: 'A Steward' .*--publisher"):
        describe(store, base_url=BASE, metadata=Metadata(licence=str(CC_BY)))
    graph = describe(store, base_url=BASE, metadata=Metadata(licence=str(CC_BY), publisher="A Steward"))
    assert str(graph.value(DATASET, DCTERMS.title)).startswith("Inter-regional cooperation")
    assert "2 datasets" in str(graph.value(DATASET, DCTERMS.description))
    assert check(graph) == []


def test_an_empty_store_is_described_too(tmp_path: Path) -> None:
    publication = export_folder(Store(), tmp_path / "site", formats=["nt"])
    assert publication.findings == []
    assert publication.base_url == (tmp_path / "site").resolve().as_uri() + "/"
    graph = Graph().parse(tmp_path / "site" / "dataset.ttl")
    dataset = URIRef(publication.base_url + "dataset.ttl#dataset")
    assert int(graph.value(dataset, VOID.triples)) == 0
    assert graph.value(dataset, DCTERMS.license) == CC_BY
