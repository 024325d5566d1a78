"""Export: the store's quads, streamed, as a triples or a dataset format.

>>> import io
>>> from coopkg.store import Store
>>> buffer = io.BytesIO()
>>> export(Store(), buffer, "nt")
0
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from pyoxigraph import Quad, RdfFormat, Triple, serialize

from coopkg.store import Store
from coopkg.vocab import PREFIXES

#: Format names on the command line, and what they are.
EXPORT_FORMATS = {
    "ttl": RdfFormat.TURTLE,
    "nt": RdfFormat.N_TRIPLES,
    "nq": RdfFormat.N_QUADS,
    "trig": RdfFormat.TRIG,
    "jsonld": RdfFormat.JSON_LD,
}


def export(store: Store, output: BinaryIO, fmt: str) -> int:
    """Write every quad of the store; triples formats merge the named graphs. Returns the count."""
    rdf_format = EXPORT_FORMATS[fmt]
    count = 0

    def quads() -> Iterator[Quad]:
        nonlocal count
        for quad in store.quads():
            count += 1
            yield quad

    def triples() -> Iterator[Triple]:
        for quad in quads():
            yield quad.triple

    prefixes = PREFIXES if fmt in ("ttl", "trig") else None
    data = quads() if rdf_format.supports_datasets else triples()
    serialize(data, output, format=rdf_format, prefixes=prefixes)
    return count
