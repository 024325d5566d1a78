"""PROV-O for a load: which files, when, and which coopkg version wrote a dataset's graph.

>>> digest = dataset_digest([("a.csv", "00" * 32)], "0.1.0")
>>> len(digest), digest == dataset_digest([("a.csv", "00" * 32)], "0.1.0")
(64, True)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import quote, unquote

from pyoxigraph import Literal, NamedNode, Quad

from coopkg import __version__
from coopkg.vocab import COOP, DCTERMS, PROV, RDF, RDFS, SCHEMA, XSD, id_iri


def file_fingerprint(path: Path) -> tuple[str, int]:
    """A file's SHA-256 and its number of line breaks, read once."""
    digest, newlines = hashlib.sha256(), 0
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
            newlines += block.count(b"\n")
    return digest.hexdigest(), newlines


def dataset_digest(files: list[tuple[str, str]], version: str = __version__) -> str:
    """One digest for a dataset's input files and the coopkg version that maps them."""
    digest = hashlib.sha256(f"coopkg {version}\n".encode())
    for name, sha in sorted(files):
        digest.update(f"{name}\t{sha}\n".encode())
    return digest.hexdigest()


def _timestamp(moment: dt.datetime) -> Literal:
    """An xsd:dateTime in UTC, written as Oxigraph keeps it (``…Z``)."""
    utc = moment.astimezone(dt.UTC).replace(microsecond=0)
    return Literal(utc.strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=XSD.dateTime)


def file_entity(digest: str, name: str) -> NamedNode:
    """The input file ``name`` as this load used it.

    >>> file_entity("ab" * 32, "events.csv").value.endswith("/file/events.csv")
    True
    """
    return id_iri("load", digest, "file", quote(name, safe="/"))


def record_iri(digest: str, name: str, line: int) -> NamedNode:
    """The record at a line of an input file: the file's IRI with ``#L{line}``, as code hosts link lines
    (a sheet of a workbook is part of the name: ``data.xlsx[agreements]``). Line 0: the whole file.

    >>> record_iri("ab" * 32, "events.csv", 3).value.endswith("/file/events.csv#L3")
    True
    """
    entity = file_entity(digest, name)
    return NamedNode(f"{entity.value}#L{line}") if line else entity


def parse_record_iri(iri: str) -> tuple[str, str, int] | None:
    """(load digest, file name, line) of a record IRI, or None.

    >>> parse_record_iri(record_iri("ab" * 32, "events.csv", 3).value)[1:]
    ('events.csv', 3)
    """
    match = re.fullmatch(re.escape(id_iri("load").value) + r"/([0-9a-f]{64})/file/([^#]+)(?:#L(\d+))?", iri)
    return (match.group(1), unquote(match.group(2)), int(match.group(3) or 0)) if match else None


def record_provenance(
    graph: NamedNode, digest: str, origins: Iterable[tuple[NamedNode, str, int]]
) -> Iterator[Quad]:
    """Each node ``prov:wasDerivedFrom`` the record (file and line) it was made from."""
    for node, name, line in origins:
        yield Quad(node, PROV.wasDerivedFrom, record_iri(digest, name, line), graph)


def software_agent(version: str = __version__) -> NamedNode:
    return id_iri("software", "coopkg", version)


def load_activity(
    graph: NamedNode,
    files: list[tuple[str, str]],
    digest: str,
    started: dt.datetime,
    ended: dt.datetime,
) -> Iterator[Quad]:
    """The load as a prov:Activity that used the files and generated the dataset's graph."""
    activity = id_iri("load", digest)
    agent = software_agent()

    def q(s: NamedNode, p: NamedNode, o: NamedNode | Literal) -> Quad:
        return Quad(s, p, o, graph)

    yield q(graph, COOP.sha256, Literal(digest))
    yield q(graph, PROV.wasGeneratedBy, activity)
    yield q(activity, RDF.type, PROV.Activity)
    yield q(activity, RDFS.label, Literal(f"coopkg load of {graph.value}", language="en"))
    yield q(activity, PROV.startedAtTime, _timestamp(started))
    yield q(activity, PROV.endedAtTime, _timestamp(ended))
    yield q(activity, PROV.wasAssociatedWith, agent)
    yield q(agent, RDF.type, PROV.SoftwareAgent)
    yield q(agent, RDFS.label, Literal(f"coopkg {__version__}"))
    yield q(agent, SCHEMA.softwareVersion, Literal(__version__))
    for name, sha in files:
        entity = file_entity(digest, name)
        yield q(activity, PROV.used, entity)
        yield q(entity, RDF.type, PROV.Entity)
        yield q(entity, DCTERMS.identifier, Literal(name))
        yield q(entity, COOP.sha256, Literal(sha))
