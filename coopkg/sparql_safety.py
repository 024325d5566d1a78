"""What coopkg refuses in a query it runs: SERVICE (it would fetch from the network), updates, and
FROM / FROM NAMED sources that are not graphs of the store.

The checks read the parsed query, not its text, so escapes such as ``SERV\\u0049CE`` do not hide it.

>>> check_query("SELECT * WHERE { ?s ?p ?o }")
>>> check_query("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
Traceback (most recent call last):
...
coopkg.errors.CoopkgError: the query uses SERVICE, which would fetch data from the network; ...
>>> check_sources("SELECT * FROM <https://example.org/g> WHERE { ?s ?p ?o }", ["https://example.org/g"])
Sources(default=['https://example.org/g'], named=[])
>>> check_sources("SELECT * FROM NAMED <file:///etc/passwd> WHERE { ?s ?p ?o }", [])
Traceback (most recent call last):
...
coopkg.errors.CoopkgError: the query reads FROM NAMED <file:///etc/passwd>, which is not a graph of ...
>>> is_update("INSERT DATA { <https://example.org/s> <https://example.org/p> 1 }")
True
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from pyparsing import ParseException
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
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


class Sources(NamedTuple):
    """The graphs a query names in FROM (``default``) and FROM NAMED (``named``), as IRIs."""

    default: list[str]
    named: list[str]


def check_sources(text: str, allowed: Iterable[str]) -> Sources:
    """The FROM and FROM NAMED graphs of a query; :class:`CoopkgError` when one is not in ``allowed``.

    A query's FROM could otherwise name any IRI (a web page, a local file) for an engine to fetch;
    coopkg reads only graphs its store holds. Prefixed names and BASE are resolved first.
    """
    try:
        algebra = translateQuery(parseQuery(text)).algebra
    except ParseException as exc:
        raise CoopkgError(f"the SPARQL query does not parse: {exc}") from exc
    except Exception as exc:  # rdflib's translation rejects some queries (e.g. unknown prefixes)
        raise CoopkgError(f"the SPARQL query is not valid: {exc}") from exc
    sources = Sources([], [])
    for clause in algebra.get("datasetClause") or []:
        kind = "default" if "default" in clause else "named"
        getattr(sources, kind).append(str(clause[kind]))
    known = set(allowed)
    for kind, iris in (("FROM", sources.default), ("FROM NAMED", sources.named)):
        for iri in iris:
            if iri not in known:
                raise CoopkgError(
                    f"the query reads {kind} <{iri}>, which is not a graph of the store; "
                    "coopkg reads only its own graphs (leave out FROM to query them all)"
                )
    return sources


def is_update(text: str) -> bool:
    """True when the text is a SPARQL Update (INSERT, DELETE, LOAD, DROP…), not a query."""
    try:
        parseUpdate(text)
    except Exception:  # not an update (or not SPARQL at all)
        return False
    return True
