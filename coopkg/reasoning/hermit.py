"""HermiT, a complete OWL 2 DL reasoner, through owlready2 (it needs Java).

owlready2 reads no Turtle, fetches owl:imports and can import Python modules named in an ontology's
annotations: it is given N-Triples that coopkg writes itself, with imports and owlready2's own
annotations stripped. xsd:date and its kin are not OWL 2 datatypes: HermiT sees their values as
strings (no axiom of coopkg's ontology depends on dates).
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Triple, serialize

from coopkg.errors import CoopkgError
from coopkg.vocab import COOP, OWL, RDF, XSD

_OWLREADY = "http://www.lesfleursdunormal.fr/static/_downloads/owlready_ontology.owl#"
_NOT_OWL2 = {XSD.date.value, XSD.gYear.value, XSD.gYearMonth.value, XSD.gDay.value}
_INFERRED = "https://w3id.org/coopkg/reasoning/hermit#"


@dataclass
class HermitResult:
    consistent: bool
    inferred: list[Triple]


def _clean(quads: Iterable[Quad]) -> Iterator[Triple]:
    for q in quads:
        if q.predicate == OWL.imports or q.predicate.value.startswith(_OWLREADY):
            continue
        if (
            q.predicate == RDF.type
            and isinstance(q.object, NamedNode)
            and q.object.value.startswith("http://purl.org/linked-data/cube#")
        ):
            continue  # Data Cube's property kinds confuse owlready2's entity typing
        obj = q.object
        if isinstance(obj, Literal) and obj.datatype.value in _NOT_OWL2:
            obj = Literal(obj.value)
        yield Triple(q.subject, q.predicate, obj)


def run_hermit(quads: Iterable[Quad], *, memory_mb: int = 4000) -> HermitResult:
    """Check consistency and collect HermiT's inferred class and property assertions on coop: terms."""
    if shutil.which("java") is None:
        raise CoopkgError(
            "HermiT needs Java: install a Java runtime (e.g. apt-get install openjdk-17-jre-headless), "
            "or use --method rules"
        )
    import owlready2  # imported here: it is slow to import and only this needs it

    data = serialize(_clean(quads), format=RdfFormat.N_TRIPLES) or b""
    world = owlready2.World()
    world.get_ontology("https://w3id.org/coopkg/reasoning/input").load(
        fileobj=io.BytesIO(data), format="ntriples"
    )
    inferred = world.get_ontology(_INFERRED)
    owlready2.reasoning.JAVA_MEMORY = memory_mb
    try:
        with inferred:
            owlready2.sync_reasoner_hermit(world, infer_property_values=True, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError:
        return HermitResult(False, [])
    except owlready2.OwlReadyJavaError as exc:
        raise CoopkgError(f"HermiT failed: {str(exc).strip().splitlines()[-1]}") from exc
    triples = []
    for s, p, o in inferred.get_triples():
        if not (isinstance(s, int) and s > 0 and isinstance(o, int) and o > 0):
            continue  # literals and blank nodes: not inferences coopkg keeps
        subject, predicate, obj = (world._unabbreviate(x) for x in (s, p, o))
        ours = obj.startswith(COOP.base) if predicate == RDF.type.value else predicate.startswith(COOP.base)
        if ours and subject != obj:
            triples.append(Triple(NamedNode(subject), NamedNode(predicate), NamedNode(obj)))
    return HermitResult(True, triples)
