"""Reference data that every submission is checked against: the ontology, its vocabularies, the regions.

>>> ref = Reference.bundled()
>>> ref.concept("area", "tourism").value
'https://w3id.org/coopkg/vocab/area/tourism'
>>> ref.concept("area", "toursim")
Traceback (most recent call last):
...
LookupError: unknown area 'toursim' (did you mean: tourism?)
"""

from __future__ import annotations

import difflib
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse

from coopkg import resources
from coopkg.gazetteer import Gazetteer
from coopkg.vocab import BASE, ONTOLOGY_GRAPH, SKOS

REFERENCE_FORMAT = "reference graphs 2: regions with their coop:withinRegion closure"
"""Part of the reference digest: a change to how the reference graphs are built from the same
files (not only a change of the files) makes stores write their reference graphs again."""


class Reference:
    """The ontology and vocabularies (graph ``graph/ontology``) and the gazetteer (``graph/regions``)."""

    def __init__(self, ontology: list[Quad], gazetteer: Gazetteer, digest: str = "") -> None:
        self.ontology = ontology
        self.gazetteer = gazetteer
        self.digest = digest  # of the files it was read from: the store keeps it to know when to refresh
        self._concepts: dict[str, dict[str, NamedNode]] = defaultdict(dict)
        self._about: dict[str, list[Quad]] = defaultdict(list)
        for quad in ontology:
            if not isinstance(quad.subject, NamedNode):
                continue  # OWL class expressions: not referred to by data
            self._about[quad.subject.value].append(quad)
            if quad.predicate == SKOS.notation and isinstance(quad.object, Literal):
                iri = quad.subject.value
                if iri.startswith(BASE + "vocab/"):
                    scheme = iri[len(BASE + "vocab/") :].split("/")[0]
                    self._concepts[scheme][quad.object.value] = NamedNode(iri)
        for quad in gazetteer.quads():
            if isinstance(quad.subject, NamedNode):
                self._about[quad.subject.value].append(quad)

    @classmethod
    def bundled(cls) -> Reference:
        quads: list[Quad] = []
        digest = hashlib.sha256()
        for file in resources.ontology_files():
            data = file.read_bytes()
            digest.update(data)
            for quad in parse(data, format=RdfFormat.TURTLE):
                quads.append(Quad(quad.subject, quad.predicate, quad.object, ONTOLOGY_GRAPH))
        for file in resources.refdata_files():
            digest.update(file.read_bytes())
        digest.update(REFERENCE_FORMAT.encode())
        return cls(quads, Gazetteer.bundled(), digest.hexdigest())

    def concept(self, scheme: str, notation: str) -> NamedNode:
        """A concept of one of coopkg's vocabularies, by its notation."""
        concepts = self._concepts.get(scheme, {})
        if notation in concepts:
            return concepts[notation]
        close = difflib.get_close_matches(notation, concepts, n=3, cutoff=0.6)
        hint = f" (did you mean: {', '.join(close)}?)" if close else f" (one of {', '.join(concepts)})"
        raise LookupError(f"unknown {scheme} {notation!r}{hint}")

    def notations(self, scheme: str) -> list[str]:
        return sorted(self._concepts.get(scheme, {}))

    def quads(self) -> Iterator[Quad]:
        """Everything, in the reference graphs."""
        yield from self.ontology
        yield from self.gazetteer.quads()

    def about(self, iris: Iterable[str]) -> Iterator[Quad]:
        """What the reference data says of these IRIs and of everything they lead to.

        A region brings its level, its division type and its parents along, so that the shapes
        can check the submission's references without the whole reference data.
        """
        seen: set[str] = set()
        todo = list(iris)
        while todo:
            iri = todo.pop()
            if iri in seen:
                continue
            seen.add(iri)
            for quad in self._about.get(iri, ()):
                yield quad
                if isinstance(quad.object, NamedNode) and quad.object.value in self._about:
                    todo.append(quad.object.value)
