"""What coopkg refuses in a query it runs: SERVICE (it would fetch from the network).

The check reads the parsed query, not its text, so escapes such as ``SERV\\u0049CE`` do not hide it.

>>> check_query("SELECT * WHERE { ?s ?p ?o }")
>>> check_query("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
Traceback (most recent call last):
...
coopkg.errors.CoopkgError: the query uses SERVICE, which would fetch data from the network; ...
"""

from __future__ import annotations

from typing import Any

from pyparsing import ParseException
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue

from coopkg.errors import CoopkgError


def _uses_service(node: Any) -> bool:
    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            return True
        return any(_uses_service(v) for v in node.values())
    if isinstance(node, list | tuple):
        return any(_uses_service(v) for v in node)
    if hasattr(node, "asList") and not isinstance(node, str):
        return any(_uses_service(v) for v in node)
    return False


def check_query(text: str) -> None:
    """Raise :class:`CoopkgError` for a query coopkg will not run."""
    try:
        tree = parseQuery(text)
    except ParseException as exc:
        raise CoopkgError(f"the SPARQL query does not parse: {exc}") from exc
    if _uses_service(tree):
        raise CoopkgError(
            "the query uses SERVICE, which would fetch data from the network; "
            "coopkg does not run such queries"
        )
