"""Running queries: parameters resolved to RDF terms, results as a :class:`Table`.

>>> from coopkg import resources
>>> from coopkg.ingest import load
>>> from coopkg.reference import Reference
>>> from coopkg.store import Store
>>> store, ref = Store(), Reference.bundled()
>>> _ = load(resources.example_path("tibet-expo-2023"), store, ref)
>>> table = ask(store, ref, "partners", {"region": "Nagchu"})
>>> [row["partnerName"].value for row in table.records()]
['Liaoning', 'Liaoning']
"""

from __future__ import annotations

import datetime as dt
import difflib

from pyoxigraph import Literal, NamedNode

from coopkg import catalogue
from coopkg.backend import Backend, backend_of
from coopkg.errors import CoopkgError
from coopkg.gazetteer import RegionNotFound, normalize
from coopkg.reference import Reference
from coopkg.store import Store
from coopkg.table import Cell, Table, to_table
from coopkg.vocab import COOP, XSD

__all__ = ["Cell", "Table", "ask", "bind", "resolve", "to_table"]


def _lookup(backend: Backend, rdf_class: NamedNode, what: str, text: str) -> NamedNode:
    """An instance of a class by its label or id: exact first, then a unique partial match."""
    query = (
        "SELECT ?s ?label WHERE { ?s a ?class ; "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?label . "
        f"VALUES ?class {{ {rdf_class} }} }}"
    )
    result = backend.run(query)
    assert isinstance(result, Table)
    candidates: dict[str, set[str]] = {}
    for row in result.records():
        s, label = row["s"], row["label"]
        assert isinstance(s, NamedNode) and isinstance(label, Literal)
        candidates.setdefault(normalize(label.value), set()).add(s.value)
        candidates.setdefault(normalize(s.value.rsplit("/", 1)[-1]), set()).add(s.value)
    key = normalize(text)
    found = candidates.get(key) or set().union(*(v for k, v in candidates.items() if key in k))
    if len(found) == 1:
        return NamedNode(next(iter(found)))
    if found:
        raise CoopkgError(f"{what} {text!r} is ambiguous: {', '.join(sorted(found))}; give its id")
    close = difflib.get_close_matches(key, candidates, n=3, cutoff=0.6)
    named = sorted({i.rsplit("/", 1)[-1] for k in close for i in candidates[k]})
    hint = f"; did you mean: {', '.join(named)}?" if named else ""
    raise CoopkgError(f"no {what} named {text!r} in the store{hint}")


def resolve(
    param: catalogue.Param, text: str, place: Store | Backend, reference: Reference
) -> catalogue.Term:
    """A parameter's text as an RDF term of the parameter's type."""
    backend = backend_of(place)
    try:
        if param.type == "region":
            return reference.gazetteer.resolve(text)
        if param.type == "area":
            try:
                return reference.concept("area", text)
            except LookupError:
                return _lookup(backend, COOP.CooperationArea, "cooperation area", text)
        if param.type == "event":
            return _lookup(backend, COOP.Event, "event", text)
        if param.type == "mechanism":
            return _lookup(backend, COOP.CooperationMechanism, "mechanism", text)
        if param.type == "integer":
            return Literal(str(int(text)), datatype=XSD.integer)
        if param.type == "date":
            return Literal(dt.date.fromisoformat(text).isoformat(), datatype=XSD.date)
        if param.type == "iri":
            return NamedNode(text)
        return Literal(text)
    except RegionNotFound as exc:
        raise CoopkgError(f"parameter {param.name}: {exc}") from exc
    except ValueError as exc:
        raise CoopkgError(f"parameter {param.name}: {text!r} is not a valid {param.type}") from exc


def bind(
    query: catalogue.CatalogueQuery, raw: dict[str, str], place: Store | Backend, reference: Reference
) -> str:
    """The query text with every parameter resolved and bound."""
    for name in raw:
        query.param(name)  # unknown names are an error
    backend = backend_of(place)
    terms: dict[str, catalogue.Term | None] = {}
    for param in query.params:
        text = raw.get(param.name, param.default)
        if text is None and not param.optional:
            raise CoopkgError(
                f"query {query.name!r} needs --param {param.name}=… ({param.type}: {param.description})"
            )
        terms[param.name] = None if text is None else resolve(param, text, backend, reference)
    return query.bind(terms)


def ask(place: Store | Backend, reference: Reference, name: str, raw: dict[str, str]) -> Table:
    """Run a catalogue query by name with its parameters given as text, on a store or a backend."""
    backend = backend_of(place, fast=True)  # the catalogue's own queries
    query = catalogue.get(name)
    result = backend.run(bind(query, raw, backend, reference))
    assert isinstance(result, Table), f"catalogue query {name} is not a SELECT"
    return result
