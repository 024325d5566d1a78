"""PROV-O for a load: which files, when, and which coopkg version wrote a dataset's graph.

>>> digest = dataset_digest([("a.csv", "00" * 32)], "0.1.0")
>>> len(digest), digest == dataset_digest([("a.csv", "00" * 32)], "0.1.0")
(64, True)
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad

from coopkg import __version__
from coopkg.vocab import COOP, DCTERMS, PROV, RDF, RDFS, SCHEMA, XSD, id_iri


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


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
        entity = id_iri("load", digest, "file", name)
        yield q(activity, PROV.used, entity)
        yield q(entity, RDF.type, PROV.Entity)
        yield q(entity, DCTERMS.identifier, Literal(name))
        yield q(entity, COOP.sha256, Literal(sha))
