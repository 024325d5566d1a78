"""Exports: every format, plain and gzipped, parses back to the store's data (compared as graphs);
JSON-LD refers to its published context; RDF/XML refuses what it cannot write; the CLI's options."""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
from pyoxigraph import (
    BaseDirection,
    BlankNode,
    CanonicalizationAlgorithm,
    Dataset,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    RdfFormat,
    parse,
    serialize,
)
from rdflib.compare import isomorphic

from coopkg import resources
from coopkg.cli import main
from coopkg.errors import CoopkgError
from coopkg.export import FORMATS, export, export_file, export_folder, format_for, write_jsonld
from coopkg.ingest import load
from coopkg.reference import Reference
from coopkg.store import Store
from coopkg.vocab import PREFIXES, XSD, graph_iri

EX = "https://example.org/"


def tricky_quads() -> list[Quad]:
    """Terms that formats write differently: blank nodes (one shared by two graphs), languages, a
    base direction, datatypes, characters to escape, an IRI no prefix covers."""
    one, two = graph_iri("tricky-one"), graph_iri("tricky-two")
    shared, other = BlankNode("shared"), BlankNode("other")
    p, q = NamedNode(EX + "vocab/p"), NamedNode(EX + "vocab/q")
    return [
        Quad(shared, p, Literal('quote " backslash \\ newline \n tab \t', language="en"), one),
        Quad(shared, q, other, one),
        Quad(other, p, Literal("مرحبا", language="ar", direction=BaseDirection.RTL), one),
        Quad(other, p, Literal("1.50", datatype=XSD.decimal), one),
        Quad(NamedNode(EX + "s/ü"), p, Literal("那曲市", language="zh"), one),
        Quad(
            NamedNode(EX + "s/ü"), NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), shared, one
        ),
        Quad(shared, p, Literal("2023", datatype=XSD.gYear), two),
        Quad(NamedNode(EX + "s/1"), q, NamedNode("urn:isbn:978-3-16-148410-0"), two),
        Quad(NamedNode(EX + "s/1"), NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), q, two),
    ]


@pytest.fixture(scope="module")
def store() -> Store:
    """The founding example, the reference data and a graph of tricky terms."""
    store = Store()
    load(resources.example_path("tibet-expo-2023"), store, Reference.bundled())
    tricky = tricky_quads()
    store.replace_graphs(
        {g: [q for q in tricky if q.graph_name == g] for g in {q.graph_name for q in tricky}}  # type: ignore[misc]
    )
    return store


def canonical(quads: Iterator[Quad] | list[Quad], *, merge: bool = False) -> set[str]:
    """Quads as a canonical set of N-Quads lines (blank nodes relabelled); ``merge``: one graph."""
    dataset = Dataset(Quad(q.subject, q.predicate, q.object, DefaultGraph()) if merge else q for q in quads)
    dataset.canonicalize(CanonicalizationAlgorithm.UNSTABLE)
    return {str(q) for q in dataset}


def read(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


@pytest.mark.parametrize("compressed", [False, True], ids=["plain", "gzip"])
@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_format_parses_back_to_the_same_data(
    store: Store, tmp_path: Path, fmt: str, compressed: bool
) -> None:
    path = tmp_path / f"dump{FORMATS[fmt].extension}{'.gz' if compressed else ''}"
    written = export_file(store, path, fmt)
    assert written.compressed == compressed and written.quads == len(store)
    data = read(path)
    assert compressed == path.read_bytes().startswith(b"\x1f\x8b")
    keeps = FORMATS[fmt].keeps_graphs
    parsed = list(parse(data, format=FORMATS[fmt].rdf_format))
    assert canonical(parsed, merge=not keeps) == canonical(store.quads(), merge=not keeps)
    if keeps:  # the named graphs are kept, under their own names
        assert {q.graph_name for q in parsed} == set(store.graphs())


def test_triples_formats_merge_the_graphs_and_rdflib_reads_them(store_path: Path, tmp_path: Path) -> None:
    """Another parser (rdflib) reads them too; the example only, as rdflib knows no base direction."""
    with Store(store_path) as example:
        merged = serialize((q.triple for q in example.quads()), format=RdfFormat.N_TRIPLES)
        expected = rdflib.Graph().parse(data=merged, format="nt")
        for fmt, rdflib_format in (("ttl", "turtle"), ("nt", "nt"), ("rdfxml", "xml")):
            path = tmp_path / f"dump{FORMATS[fmt].extension}"
            export_file(example, path)
            parsed = rdflib.Graph().parse(path, format=rdflib_format)
            assert isomorphic(parsed, expected), fmt


def test_a_compressed_file_is_the_same_bytes_each_time(store: Store, tmp_path: Path) -> None:
    first = export_file(store, tmp_path / "a.nq.gz")
    second = export_file(store, tmp_path / "b.nq.gz")
    assert (
        first.sha256 == second.sha256 and first.size == second.size == (tmp_path / "a.nq.gz").stat().st_size
    )


def test_the_file_name_chooses_the_format() -> None:
    assert [format_for(Path(n)) for n in ("d.nq", "d.TTL.GZ", "d.jsonld", "d.rdf", "d.owl", "d")] == [
        "nq",
        "ttl",
        "jsonld",
        "rdfxml",
        "rdfxml",
        None,
    ]


def test_jsonld_refers_to_its_published_context(store: Store, tmp_path: Path) -> None:
    context = json.loads(resources.jsonld_context_file().read_text(encoding="utf-8"))
    assert context == {"@context": PREFIXES}  # one prefix per namespace coopkg writes
    publication = export_folder(store, tmp_path / "site", formats=["jsonld"])
    folder = publication.folder
    assert json.loads((folder / "context.jsonld").read_text(encoding="utf-8")) == context
    document = read(folder / "data.jsonld.gz")
    assert json.loads(document)["@context"] == "context.jsonld"
    assert b'"coop:Region"' in document  # compact IRIs, expanded by the context
    # A processor reads the context beside the file (rdflib, from the local folder) …
    (folder / "data.jsonld").write_bytes(document)
    by_rdflib = rdflib.Dataset().parse(folder / "data.jsonld", format="json-ld")
    assert len(by_rdflib) == len(store)
    # … or is given it (pyoxigraph fetches nothing): the same data as the store.
    inline = document.replace(b'"context.jsonld"', json.dumps(context["@context"]).encode(), 1)
    assert canonical(list(parse(inline, format=RdfFormat.JSON_LD))) == canonical(store.quads())


def test_jsonld_is_written_while_it_is_read() -> None:
    output = io.BytesIO()
    sizes: list[int] = []

    def quads() -> Iterator[Quad]:
        for i in range(20_000):
            if i % 5_000 == 0:
                sizes.append(len(output.getvalue()))
            yield Quad(NamedNode(f"{EX}s/{i}"), NamedNode(EX + "p"), Literal(str(i)), graph_iri("g"))

    write_jsonld(quads(), output)
    assert sizes[0] < sizes[1] < sizes[2] < sizes[3]  # each node written before the next is read
    assert len(list(parse(output.getvalue(), format=RdfFormat.JSON_LD))) == 20_000


def test_rdfxml_refuses_a_property_it_cannot_write_before_writing(tmp_path: Path) -> None:
    store = Store()
    g = graph_iri("numbers")
    store.replace_graphs({g: [Quad(NamedNode(EX + "s"), NamedNode(EX + "p/1"), Literal("x"), g)]})
    target = tmp_path / "dump.rdf"
    with pytest.raises(CoopkgError, match=r"RDF/XML cannot write the property <https://example.org/p/1>"):
        export_file(store, target)
    assert list(tmp_path.iterdir()) == []
    buffer = io.BytesIO()
    assert export(store, buffer, "ttl") == 1  # the other formats can


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "store"
    assert run("load", str(resources.example_path("tibet-expo-2023")), "--store", str(path))[0] == 0
    return path


def test_cli_export_keeps_its_options_and_adds_gzip(
    store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store(store_path) as store:
        expected = canonical(store.quads())
    plain = tmp_path / "dump.nq"
    assert run("export", "--format", "nq", "-o", str(plain), "--store", str(store_path))[0] == 0
    assert canonical(list(parse(plain.read_bytes(), format=RdfFormat.N_QUADS))) == expected
    named = tmp_path / "dump.trig.gz"  # the name says the format and the compression
    assert run("export", "-o", str(named), "--store", str(store_path))[0] == 0
    assert canonical(list(parse(gzip.decompress(named.read_bytes()), format=RdfFormat.TRIG))) == expected
    forced = tmp_path / "dump.bin"
    assert run("export", "-f", "rdfxml", "--gzip", "-o", str(forced), "--store", str(store_path))[0] == 0
    assert gzip.decompress(forced.read_bytes()).startswith(b"<?xml")
    assert "quads to" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["-f", "nq", "-f", "ttl", "-o", "x.nq"], "give one --format"),
        (["--base-url", "https://example.org/", "-o", "x.nq"], "--base-url describe a publication folder"),
        (["--dir", "site", "-f", "nq", "--base-url", "not a url"], "is not an absolute URL"),
        (["--dir", "site", "--licence", "CC BY"], "is not an IRI"),
    ],
)
def test_cli_export_says_what_is_wrong(
    store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    argv = [str(tmp_path / a) if a in ("x.nq", "site") else a for a in argv]
    assert run("export", *argv, "--store", str(store_path))[0] == 2
    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_cli_export_dir_writes_a_publication_folder(
    store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "site"
    code, out = run(
        "export",
        "--dir",
        str(site),
        "--base-url",
        "https://data.example.org/coopkg/",
        "--store",
        str(store_path),
    )
    assert code == 0, out
    names = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    assert names == [
        "context.jsonld",
        "data.jsonld.gz",
        "data.nq.gz",
        "data.nt.gz",
        "data.rdf.gz",
        "data.trig.gz",
        "data.ttl.gz",
        "dataset.ttl",
        "ontology/classifications.ttl",
        "ontology/coopkg.ttl",
        "ontology/index.html",
        "ontology/vocabularies.ttl",
    ]
    assert "conforms to DCAT-AP 3.0.1" in out
    assert (site / "ontology" / "index.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert "file: URLs" not in capsys.readouterr().err
