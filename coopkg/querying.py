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
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QuerySolutions,
    QueryTriples,
    Triple,
)

from coopkg import catalogue
from coopkg.errors import CoopkgError
from coopkg.gazetteer import RegionNotFound, normalize
from coopkg.reference import Reference
from coopkg.store import Store
from coopkg.vocab import COOP, XSD

Cell = NamedNode | Literal | BlankNode | Triple | None


@dataclass
class Table:
    """A SELECT result: variable names and rows of RDF terms (None where unbound)."""

    variables: list[str]
    rows: list[list[Cell]]

    def records(self) -> Iterator[dict[str, Cell]]:
        for row in self.rows:
            yield dict(zip(self.variables, row, strict=True))

    def __len__(self) -> int:
        return len(self.rows)

    def values(self) -> list[dict[str, object]]:
        """The rows as Python values: numbers, booleans and dates as Python objects where Oxigraph
        reads them so, IRIs and other literals as text, unbound as None."""
        return [{k: _python(v) for k, v in row.items()} for row in self.records()]

    def to_dataframe(self) -> Any:
        """The rows as a pandas DataFrame (pandas is optional: ``pip install pandas``)."""
        try:
            import pandas  # type: ignore[import-untyped]
        except ImportError as exc:
            raise CoopkgError("Table.to_dataframe needs pandas: pip install pandas") from exc
        return pandas.DataFrame(self.values(), columns=self.variables)


_NUMBERS = {
    "http://www.w3.org/2001/XMLSchema#integer": int,
    "http://www.w3.org/2001/XMLSchema#decimal": Decimal,
    "http://www.w3.org/2001/XMLSchema#double": float,
    "http://www.w3.org/2001/XMLSchema#float": float,
}


def _python(term: Cell) -> object:
    if term is None:
        return None
    if isinstance(term, Literal):
        convert = _NUMBERS.get(term.datatype.value)
        if convert is not None:
            try:
                return convert(term.value)
            except (ValueError, ArithmeticError):
                return term.value if not isinstance(term, Triple) else str(term)
        if term.datatype.value == "http://www.w3.org/2001/XMLSchema#boolean":
            return term.value in ("true", "1")
        if term.datatype.value == "http://www.w3.org/2001/XMLSchema#date":
            try:
                return dt.date.fromisoformat(term.value)
            except ValueError:
                return term.value if not isinstance(term, Triple) else str(term)
    return term.value if not isinstance(term, Triple) else str(term)


def to_table(result: QuerySolutions | QueryBoolean | QueryTriples) -> Table | bool | list[Triple]:
    """Oxigraph's answer as a Table (SELECT), a bool (ASK) or triples (CONSTRUCT, DESCRIBE)."""
    if isinstance(result, QueryBoolean):
        return bool(result)
    if isinstance(result, QueryTriples):
        return list(result)
    variables = [v.value for v in result.variables]
    rows = [[solution[v] for v in variables] for solution in result]
    return Table(variables, rows)


def _lookup(store: Store, rdf_class: NamedNode, what: str, text: str) -> NamedNode:
    """An instance of a class by its label or id: exact first, then a unique partial match."""
    query = (
        "SELECT ?s ?label WHERE { ?s a ?class ; "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?label . "
        f"VALUES ?class {{ {rdf_class} }} }}"
    )
    result = store.query(query)
    assert isinstance(result, QuerySolutions)
    candidates: dict[str, set[str]] = {}
    for row in result:
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


def resolve(param: catalogue.Param, text: str, store: Store, reference: Reference) -> catalogue.Term:
    """A parameter's text as an RDF term of the parameter's type."""
    try:
        if param.type == "region":
            return reference.gazetteer.resolve(text)
        if param.type == "area":
            try:
                return reference.concept("area", text)
            except LookupError:
                return _lookup(store, COOP.CooperationArea, "cooperation area", text)
        if param.type == "event":
            return _lookup(store, COOP.Event, "event", text)
        if param.type == "mechanism":
            return _lookup(store, COOP.CooperationMechanism, "mechanism", text)
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


def bind(query: catalogue.CatalogueQuery, raw: dict[str, str], store: Store, reference: Reference) -> str:
    """The query text with every parameter resolved and bound."""
    for name in raw:
        query.param(name)  # unknown names are an error
    terms: dict[str, catalogue.Term | None] = {}
    for param in query.params:
        text = raw.get(param.name, param.default)
        if text is None and not param.optional:
            raise CoopkgError(
                f"query {query.name!r} needs --param {param.name}=… ({param.type}: {param.description})"
            )
        terms[param.name] = None if text is None else resolve(param, text, store, reference)
    return query.bind(terms)


def ask(store: Store, reference: Reference, name: str, raw: dict[str, str]) -> Table:
    """Run a catalogue query by name with its parameters given as text."""
    query = catalogue.get(name)
    result = to_table(store.query(bind(query, raw, store, reference)))
    assert isinstance(result, Table), f"catalogue query {name} is not a SELECT"
    return result
