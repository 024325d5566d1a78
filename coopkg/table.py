"""A query's answer as Python sees it: a :class:`Table` of RDF terms, a bool, or triples.

Every backend answers in these types, so that results render and compare alike wherever the data
lives.

>>> from pyoxigraph import Literal
>>> from coopkg.vocab import XSD
>>> t = Table(["n"], [[Literal("3", datatype=XSD.integer)]])
>>> t.values()
[{'n': 3}]
"""

from __future__ import annotations

import datetime as dt
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

from coopkg.errors import CoopkgError

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


Answer = Table | bool | list[Triple]
"""What a query answers: a table (SELECT), a bool (ASK) or triples (CONSTRUCT, DESCRIBE)."""
