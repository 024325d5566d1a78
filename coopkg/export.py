"""Export: the store's quads, streamed, in six RDF formats, gzipped on request.

N-Quads, TriG and JSON-LD keep the named graphs; Turtle, N-Triples and RDF/XML merge them (a
triple held by two graphs is written twice, which parsers read as one). Every format is written
while the store is read, a quad at a time, so memory stays flat whatever the store's size.

JSON-LD is written by coopkg itself, one node object per line, with coopkg's prefixes as its
context (``ontology/context.jsonld``): inline by default, so that the file stands alone, or by
reference (``jsonld_context="context.jsonld"``) when the context file is published beside it.

>>> import io
>>> from coopkg.store import Store, graph_iri
>>> from coopkg.vocab import RDFS
>>> buffer = io.BytesIO()
>>> export(Store(), buffer, "nt")
0
>>> store, g = Store(), graph_iri("example")
>>> store.replace_graphs({g: [Quad(g, RDFS.label, Literal("an example", language="en"), g)]})
>>> buffer = io.BytesIO()
>>> export(store, buffer, "jsonld", jsonld_context="context.jsonld")
1
>>> print(buffer.getvalue().decode())  # doctest: +NORMALIZE_WHITESPACE
{"@context": "context.jsonld",
"@graph": [
{"@id": "https://w3id.org/coopkg/graph/example", "@graph": [
{"@id": "https://w3id.org/coopkg/graph/example", "rdfs:label": [{"@value": "an example", "@language": "en"}]}
]}
]}
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QuerySolutions,
    RdfFormat,
    Triple,
    serialize,
)

from coopkg import resources
from coopkg.description import (
    DESCRIPTION_FILE,
    Distribution,
    Finding,
    Metadata,
    base_url_of,
    check,
    describe,
    metadata_from_store,
)
from coopkg.description import write as write_description
from coopkg.errors import CoopkgError
from coopkg.ontology_docs import write_site
from coopkg.store import Store
from coopkg.vocab import PREFIXES, RDF, XSD


@dataclass(frozen=True)
class Format:
    """An export format: its name on the command line, and what a portal needs to know of it."""

    name: str
    label: str
    rdf_format: RdfFormat
    extension: str
    media_type: str  # IANA
    file_type: str  # code in the EU Publications Office's file-type authority table
    w3c: str  # local name in http://www.w3.org/ns/formats/

    @property
    def keeps_graphs(self) -> bool:
        return self.rdf_format.supports_datasets


N_QUADS, TRIG, TURTLE = RdfFormat.N_QUADS, RdfFormat.TRIG, RdfFormat.TURTLE
N_TRIPLES, JSON_LD, RDF_XML = RdfFormat.N_TRIPLES, RdfFormat.JSON_LD, RdfFormat.RDF_XML

FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("nq", "N-Quads", N_QUADS, ".nq", "application/n-quads", "RDF_N_QUADS", "N-Quads"),
        Format("trig", "TriG", TRIG, ".trig", "application/trig", "RDF_TRIG", "TriG"),
        Format("ttl", "Turtle", TURTLE, ".ttl", "text/turtle", "RDF_TURTLE", "Turtle"),
        Format("nt", "N-Triples", N_TRIPLES, ".nt", "application/n-triples", "RDF_N_TRIPLES", "N-Triples"),
        Format("jsonld", "JSON-LD", JSON_LD, ".jsonld", "application/ld+json", "JSON_LD", "JSON-LD"),
        Format("rdfxml", "RDF/XML", RDF_XML, ".rdf", "application/rdf+xml", "RDF_XML", "RDF_XML"),
    )
}

#: Format names on the command line, and their pyoxigraph formats.
EXPORT_FORMATS = {name: f.rdf_format for name, f in FORMATS.items()}

_SUFFIXES = {
    ".nq": "nq",
    ".trig": "trig",
    ".ttl": "ttl",
    ".nt": "nt",
    ".jsonld": "jsonld",
    ".json": "jsonld",
    ".rdf": "rdfxml",
    ".xml": "rdfxml",
    ".owl": "rdfxml",
}

GZIP_LEVEL = 6  # gzip's own default: several times faster than 9, a few per cent larger


def format_for(path: Path) -> str | None:
    """The format a file name asks for, ``.gz`` aside; None when it says nothing.

    >>> format_for(Path("dump.nq.gz")), format_for(Path("dump.rdf")), format_for(Path("dump.txt"))
    ('nq', 'rdfxml', None)
    """
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    return _SUFFIXES.get(suffixes[-1]) if suffixes else None


def jsonld_context() -> dict[str, Any]:
    """coopkg's JSON-LD context (``ontology/context.jsonld``): a prefix for each of its namespaces.

    >>> jsonld_context()["@context"]["coop"]
    'https://w3id.org/coopkg/ontology#'
    """
    document: dict[str, Any] = json.loads(resources.jsonld_context_file().read_text(encoding="utf-8"))
    return document


def export(store: Store, output: BinaryIO, fmt: str, *, jsonld_context: str | None = None) -> int:
    """Write every quad of the store; triples formats merge the named graphs. Returns the count.

    ``jsonld_context``: for JSON-LD, the IRI (or relative reference) of the context to refer to;
    None writes the context inline.
    """
    rdf_format = EXPORT_FORMATS[fmt]
    count = 0

    def quads() -> Iterator[Quad]:
        nonlocal count
        for quad in store.quads():
            count += 1
            yield quad

    if fmt == "jsonld":
        write_jsonld(quads(), output, context=jsonld_context)
        return count
    if fmt == "rdfxml":
        check_rdfxml(store)
    prefixes = PREFIXES if fmt in ("ttl", "trig", "rdfxml") else None
    data: Iterable[Quad] | Iterable[Triple] = (
        quads() if rdf_format.supports_datasets else (quad.triple for quad in quads())
    )
    serialize(data, output, format=rdf_format, prefixes=prefixes)
    return count


def xml_name_ends(iri: str) -> bool:
    """Whether RDF/XML can write a property: its IRI must end in an XML name (``…/p``, not ``…/1``).

    >>> xml_name_ends("https://schema.org/startDate"), xml_name_ends("https://example.org/p/1")
    (True, False)
    """
    start = len(iri)
    while start > 0 and (iri[start - 1].isalnum() or iri[start - 1] in "-._\u00b7"):
        start -= 1
    return any(c.isalpha() or c == "_" for c in iri[start:])


def check_rdfxml(store: Store) -> None:
    """Refuse, before writing anything, a store with a property that RDF/XML cannot write."""
    result = store.query("SELECT DISTINCT ?p WHERE { ?s ?p ?o }")
    assert isinstance(result, QuerySolutions)
    for row in result:
        predicate = row["p"]
        if isinstance(predicate, NamedNode) and not xml_name_ends(predicate.value):
            raise CoopkgError(
                f"RDF/XML cannot write the property <{predicate.value}>: its IRI does not end in an "
                "XML name. Export as Turtle, N-Triples, N-Quads, TriG or JSON-LD instead."
            )


@dataclass(frozen=True)
class Written:
    """A file that :func:`export_file` wrote: its format, size and digest, and the quads in it."""

    path: Path
    format: Format
    compressed: bool
    quads: int
    size: int
    sha256: str


class _Tally(io.RawIOBase):
    """Passes bytes on to a file, counting them and hashing them on the way."""

    def __init__(self, target: BinaryIO) -> None:
        self.target = target
        self.size = 0
        self.digest = hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        self.target.write(view)
        self.digest.update(view)
        self.size += len(view)
        return len(view)


def export_file(
    store: Store,
    path: Path,
    fmt: str | None = None,
    *,
    compress: bool | None = None,
    jsonld_context: str | None = None,
) -> Written:
    """Export the store to a file, whole or not at all (written beside it, then renamed).

    ``fmt`` defaults to what the file name says (``dump.ttl.gz``), else N-Quads; ``compress`` to
    whether the name ends in ``.gz``. The gzip stream has no time stamp nor file name, so the same
    data always gives the same bytes.
    """
    fmt = fmt or format_for(path) or "nq"
    compress = path.suffix.lower() == ".gz" if compress is None else compress
    part = path.with_name(path.name + ".part")
    try:
        with part.open("wb") as raw:
            tally = _Tally(raw)
            buffered = io.BufferedWriter(tally, buffer_size=1 << 20)
            if compress:
                zipped = gzip.GzipFile(
                    filename="", mode="wb", fileobj=buffered, compresslevel=GZIP_LEVEL, mtime=0
                )
                with zipped:
                    count = export(store, zipped, fmt, jsonld_context=jsonld_context)  # type: ignore[arg-type]
            else:
                count = export(store, buffered, fmt, jsonld_context=jsonld_context)
            buffered.flush()
        part.replace(path)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return Written(path, FORMATS[fmt], compress, count, tally.size, tally.digest.hexdigest())


# --- a publication folder ---------------------------------------------------------------------------

DUMP_STEM = "data"  # data.nq.gz, data.ttl.gz, …
CONTEXT_FILE = "context.jsonld"
ONTOLOGY_FOLDER = "ontology"


@dataclass(frozen=True)
class Publication:
    """What :func:`export_folder` wrote, and what the DCAT-AP shapes found in the description."""

    folder: Path
    base_url: str
    dumps: list[Written]
    files: list[Path]
    findings: list[Finding]


def export_folder(
    store: Store,
    folder: Path,
    *,
    formats: Sequence[str] = tuple(FORMATS),
    base_url: str | None = None,
    sparql_url: str | None = None,
    metadata: Metadata | None = None,
) -> Publication:
    """Write a publication folder for a linked-data portal:

    - ``data.{nq,trig,ttl,nt,jsonld,rdf}.gz``: the store in each format, gzipped;
    - ``context.jsonld``: the JSON-LD context that ``data.jsonld.gz`` refers to;
    - ``ontology/``: the ontology's HTML documentation (``index.html``) and its Turtle files;
    - ``dataset.ttl``: the DCAT-AP 3 and VoID description of the dataset and of every file above,
      with sizes and SHA-256 checksums, checked against the DCAT-AP 3.0.1 shapes.

    ``base_url`` is where the folder will be served from; the description's download URLs hang
    from it. By default they are the folder's own ``file:`` URLs.
    """
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        named = ", ".join(unknown) or "(none)"
        raise CoopkgError(f"unknown export format {named}: choose from {', '.join(FORMATS)}")
    base = base_url_of(base_url if base_url is not None else folder.resolve().as_uri())
    if sparql_url is not None:
        base_url_of(sparql_url)
    metadata_from_store(store, metadata)  # a missing licence or publisher is said before any dump is written
    if "rdfxml" in formats:
        check_rdfxml(store)
    folder.mkdir(parents=True, exist_ok=True)
    dumps = [
        export_file(
            store,
            folder / f"{DUMP_STEM}{FORMATS[name].extension}.gz",
            name,
            compress=True,
            jsonld_context=CONTEXT_FILE,
        )
        for name in dict.fromkeys(formats)
    ]
    files = [d.path for d in dumps]
    if "jsonld" in formats:
        context = folder / CONTEXT_FILE
        context.write_bytes(resources.jsonld_context_file().read_bytes())
        files.append(context)
    docs = write_site(folder / ONTOLOGY_FOLDER)
    files.extend(docs)
    description = describe(
        store,
        base_url=base,
        distributions=[_distribution(d, folder) for d in dumps],
        sparql_url=sparql_url,
        documentation=f"{ONTOLOGY_FOLDER}/{docs[0].name}",
        metadata=metadata,
    )
    target = folder / DESCRIPTION_FILE
    write_description(description, target)
    files.append(target)
    return Publication(folder, base, dumps, files, check(description))


def _distribution(dump: Written, folder: Path) -> Distribution:
    f = dump.format
    how = "named graphs kept" if f.keeps_graphs else "its graphs merged into one"
    context = ""
    if f.name == "jsonld":
        context = f" It refers to its JSON-LD context, {CONTEXT_FILE}, published beside it."
    zipped = ", compressed with gzip" if dump.compressed else ""
    return Distribution(
        file=dump.path.relative_to(folder).as_posix(),
        title=f"{f.label} dump" + (" (gzip)" if dump.compressed else ""),
        description=f"Every graph of the store ({dump.quads:,} statements), {how}, "
        f"as {f.label}{zipped}.{context}",
        media_type=f.media_type,
        file_type=f.file_type,
        size=dump.size,
        sha256=dump.sha256,
        compressed=dump.compressed,
        w3c_format=f.w3c,
    )


# --- JSON-LD -----------------------------------------------------------------------------------------

_LOCAL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_\-.]*\Z")
_XSD_STRING = XSD.string
_RDF_TYPE = RDF.type


class _Compactor:
    """Compact IRIs (``coop:Region``) for the prefixes of a context; other IRIs stay whole."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        self.prefixes = sorted(prefixes.items(), key=lambda item: -len(item[1]))
        self.cache: dict[str, str] = {}

    def __call__(self, iri: str) -> str:
        found = self.cache.get(iri)
        if found is None:
            found = iri
            for prefix, namespace in self.prefixes:
                if iri.startswith(namespace) and _LOCAL_NAME.match(iri, len(namespace)):
                    found = f"{prefix}:{iri[len(namespace) :]}"
                    break
            if len(self.cache) < 100_000:
                self.cache[iri] = found
        return found


def _node_id(term: object) -> str:
    if isinstance(term, NamedNode):
        return term.value
    if isinstance(term, BlankNode):
        return "_:" + term.value
    raise ValueError(f"JSON-LD cannot name {term} as a node")


def write_jsonld(quads: Iterable[Quad], output: BinaryIO, *, context: str | None = None) -> None:
    """Write quads as JSON-LD, streamed: a top-level ``@graph`` whose items are the default graph's
    nodes and a graph object per named graph, one node object per line.

    Quads of one graph and of one subject should come together (as :meth:`Store.quads` gives them);
    when they do not, the same node or graph is written twice, which JSON-LD merges.
    """
    prefixes = jsonld_context()["@context"]
    compact = _Compactor(prefixes)
    head = json.dumps(context if context is not None else prefixes, ensure_ascii=False)
    output.write(f'{{"@context": {head},\n"@graph": ['.encode())
    first_item = True  # of the top-level @graph
    first_in_graph = True
    graph: object = DefaultGraph()
    subject: object = None
    node: dict[str, Any] = {}

    def separator(first: bool) -> bytes:
        return b"\n" if first else b",\n"

    def flush() -> None:
        nonlocal first_item, first_in_graph, node
        if not node:
            return
        line = json.dumps(node, ensure_ascii=False).encode()
        if isinstance(graph, DefaultGraph):
            output.write(separator(first_item) + line)
            first_item = False
        else:
            output.write(separator(first_in_graph) + line)
            first_in_graph = False
        node = {}

    for quad in quads:
        if quad.graph_name != graph:
            flush()
            if not isinstance(graph, DefaultGraph):
                output.write(b"\n]}")
            graph = quad.graph_name
            subject = None
            if not isinstance(graph, DefaultGraph):
                opening = f'{{"@id": {json.dumps(_node_id(graph), ensure_ascii=False)}, "@graph": ['
                output.write(separator(first_item) + opening.encode())
                first_item, first_in_graph = False, True
        if quad.subject != subject:
            flush()
            subject = quad.subject
            node = {"@id": _node_id(subject)}
        predicate, obj = quad.predicate, quad.object
        if predicate == _RDF_TYPE and isinstance(obj, NamedNode | BlankNode):
            node.setdefault("@type", []).append(
                compact(obj.value) if isinstance(obj, NamedNode) else _node_id(obj)
            )
            continue
        value: dict[str, str]
        if isinstance(obj, Literal):
            value = {"@value": obj.value}
            if obj.language:
                value["@language"] = obj.language
                if obj.direction is not None:
                    value["@direction"] = str(obj.direction)
            elif obj.datatype != _XSD_STRING:
                value["@type"] = compact(obj.datatype.value)
        else:
            value = {"@id": _node_id(obj)}
        node.setdefault(compact(predicate.value), []).append(value)
    flush()
    if not isinstance(graph, DefaultGraph):
        output.write(b"\n]}")
    output.write(b"\n]}\n")
