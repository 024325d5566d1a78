"""The query catalogue: named SPARQL queries, each a ``queries/NAME.rq`` file with a header.

The header is comment lines at the top of the file::

    # title: Partners of a region
    # description: Regions that share a mechanism or an agreement with a region. A description
    #   continues on indented lines.
    # param: region (region): the region, by any name, alias or code
    # param: limit (integer, default 10): how many rows
    # example: coopkg query partners --param region=Nagchu

Parameters are bound as RDF terms by one rule on every backend: a ``VALUES`` block rendered from
the terms (each serialized and escaped by Oxigraph) is put at the start of the query's outer
``WHERE`` group. Text given by a user is never pasted into the query.

>>> q = catalogue()["partners"]
>>> [p.name for p in q.params]
['region']
>>> from pyoxigraph import NamedNode
>>> "VALUES (?region) { (<https://example.org/r>) }" in q.bind({"region": NamedNode("https://example.org/r")})
True
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode

from coopkg import resources
from coopkg.errors import CoopkgError

Term = NamedNode | Literal

PARAM_TYPES = ("region", "area", "event", "mechanism", "text", "integer", "date", "iri")

_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\((?P<type>\w+)(?:,\s*(?P<opt>optional|default\s+(?P<default>[^)]*)))?\)\s*:\s*(?P<text>.*)$"
)
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


@dataclass(frozen=True)
class Param:
    """A query parameter: its name, type, default and description."""

    name: str
    type: str
    description: str
    default: str | None = None
    optional: bool = False


@dataclass
class CatalogueQuery:
    """One named query of the catalogue."""

    name: str
    title: str
    description: str
    text: str
    params: list[Param] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.params) or "none"
        raise CoopkgError(f"query {self.name!r} has no parameter {name!r} (parameters: {known})")

    def bind(self, terms: dict[str, Term | None]) -> str:
        """The query text with its parameters bound by a ``VALUES`` block."""
        if not self.params:
            return self.text
        names = " ".join(f"?{p.name}" for p in self.params)
        row = " ".join(str(terms[p.name]) if terms.get(p.name) is not None else "UNDEF" for p in self.params)
        values = f"\n  VALUES ({names}) {{ ({row}) }}\n"
        match = _WHERE.search(self.text, self._body_start())
        if match is None:  # pragma: no cover - every catalogue query is checked by the tests
            raise CoopkgError(f"query {self.name!r} has no WHERE clause to bind parameters in")
        return self.text[: match.end()] + values + self.text[match.end() :]

    def _body_start(self) -> int:
        """Where the query proper starts: after the header and PREFIX lines."""
        position = 0
        for line in self.text.splitlines(keepends=True):
            stripped = line.strip()
            if stripped.startswith("#") or not stripped or stripped.upper().startswith("PREFIX"):
                position += len(line)
                continue
            break
        return position


def parse_query_file(name: str, text: str) -> CatalogueQuery:
    """Read a catalogue query's header."""
    header: list[tuple[str, str]] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line[1:]
        match = re.match(r"^\s?(\w+):\s?(.*)$", body)
        if match and not body.startswith("   "):
            header.append((match.group(1), match.group(2).strip()))
        elif header and body.strip():
            key, value = header[-1]
            header[-1] = (key, f"{value} {body.strip()}")
    fields: dict[str, list[str]] = {}
    for key, value in header:
        fields.setdefault(key, []).append(value)
    if "title" not in fields or "description" not in fields:
        raise CoopkgError(f"query file {name}.rq needs '# title:' and '# description:' lines")
    params = []
    for spec in fields.get("param", []):
        match = _PARAM.match(spec)
        if match is None or match.group("type") not in PARAM_TYPES:
            raise CoopkgError(
                f"query file {name}.rq: cannot read '# param: {spec}'; "
                f"write 'NAME (TYPE): description' with TYPE one of {', '.join(PARAM_TYPES)}"
            )
        opt = match.group("opt") or ""
        params.append(
            Param(
                match.group("name"),
                match.group("type"),
                match.group("text"),
                default=match.group("default"),
                optional=opt == "optional",
            )
        )
    return CatalogueQuery(
        name=name,
        title=fields["title"][0],
        description=fields["description"][0],
        text=text,
        params=params,
        examples=fields.get("example", []),
    )


def catalogue() -> dict[str, CatalogueQuery]:
    """Every query of the catalogue, by name."""
    queries = {}
    for file in resources.query_files():
        name = file.name.removesuffix(".rq")
        queries[name] = parse_query_file(name, file.read_text(encoding="utf-8"))
    return queries


def get(name: str) -> CatalogueQuery:
    """One query by name; an unknown name suggests close ones."""
    queries = catalogue()
    if name in queries:
        return queries[name]
    close = difflib.get_close_matches(name, queries, n=3)
    hint = f"did you mean: {', '.join(close)}?" if close else "run 'coopkg queries' to list them"
    raise CoopkgError(f"no query named {name!r} in the catalogue; {hint}")
