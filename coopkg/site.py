"""What ``coopkg serve`` answers besides SPARQL: pages for people and descriptions for machines.

- ``/``: the home page (datasets, the most connected regions, where to go next);
- ``/queries``: the query catalogue, each query with a form; ``/queries/NAME?PARAM=…`` runs one;
- any other path: the resource whose IRI is ``https://w3id.org/coopkg/`` + the path, as an HTML
  page, Turtle, N-Triples or JSON-LD by the Accept header or ``?format=html|ttl|nt|jsonld``
  (404 when the graph does not have it, 406 for a type it is not offered in); a region's page
  shows its partners, and ``?picture=network`` is the picture of its cooperation network (SVG).

Only reading: every answer comes from the store as it is. Errors are pages (or plain text, for
machines) that say what went wrong, never a traceback.

>>> from coopkg.store import Store
>>> site = Site(Store())
>>> site.respond(PageRequest("/id/nothing/here")).status
404
>>> site.respond(PageRequest("/id/nothing/here", accept="image/png")).status
406
>>> response = site.respond(PageRequest("/queries"))
>>> response.status, response.content_type, b'action="/queries/partners"' in response.body
(200, 'text/html; charset=utf-8', True)
"""

from __future__ import annotations

import importlib.util
import sys
import traceback
from dataclasses import dataclass, field
from http import HTTPStatus

from pyoxigraph import Literal, NamedNode, QuerySolutions

from coopkg import catalogue, pages, pictures, querying
from coopkg.backend import backend_of
from coopkg.errors import CoopkgError
from coopkg.lineage import Lineage, SourceOrigin, trace
from coopkg.linked_data import Description, describe, iri_of, jsonld, local_path, names_of, ntriples, turtle
from coopkg.reference import Reference
from coopkg.responses import HttpError, Response, choose
from coopkg.store import Store
from coopkg.table import Table, to_table
from coopkg.vocab import COOP, XSD

HTML = "text/html; charset=utf-8"
HOME_REGIONS = 25  # regions listed on the home page
PICTURES = ("network",)

# media type -> (format= names, content type); the first is the default
FORMATS: dict[str, tuple[tuple[str, ...], str]] = {
    "text/html": (("html",), HTML),
    "application/xhtml+xml": ((), HTML),
    "text/turtle": (("ttl", "turtle"), "text/turtle; charset=utf-8"),
    "application/ld+json": (("jsonld", "json-ld", "json"), "application/ld+json"),
    "application/json": ((), "application/ld+json"),
    "application/n-triples": (("nt", "ntriples", "n-triples"), "application/n-triples"),
}

_LINK_SOURCES = """
PREFIX coop: <https://w3id.org/coopkg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
SELECT DISTINCT ?source ?title ?publisher ?released WHERE {
  ?link coop:participant|coop:party REGION ; dcterms:source ?source .
  OPTIONAL { ?source dcterms:title ?title }
  OPTIONAL { ?source dcterms:publisher/foaf:name ?publisher }
  OPTIONAL { ?source dcterms:issued ?released }
} ORDER BY ?released ?source LIMIT 50
"""

_DATASETS = """
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?g ?title ?description WHERE {
  VALUES ?g { GRAPHS }
  OPTIONAL { ?g dcterms:title ?title }
  OPTIONAL { ?g dcterms:description ?description }
}
"""


@dataclass
class PageRequest:
    """A GET of a page or a resource: the path, the query-string parameters, the Accept header."""

    path: str
    params: dict[str, list[str]] = field(default_factory=dict)
    accept: str = ""


def _html(status: int, text: str, headers: dict[str, str] | None = None) -> Response:
    answer = {"Content-Security-Policy": pages.CONTENT_SECURITY_POLICY, "Vary": "Accept"}
    return Response(status, HTML, text.encode("utf-8"), {**answer, **(headers or {})})


def _text(term: object) -> str:
    return term.value if isinstance(term, Literal | NamedNode) else ""


class Site:
    """The pages of one store. The reference data (for naming regions in queries and pictures)
    are read on first need."""

    def __init__(self, store: Store, *, max_rows: int = 10_000, reference: Reference | None = None) -> None:
        self.store, self.max_rows = store, max_rows
        self._reference = reference

    @property
    def reference(self) -> Reference:
        if self._reference is None:
            self._reference = Reference.bundled()
        return self._reference

    def respond(self, request: PageRequest) -> Response:
        """The answer to one request; every failure is an answer too."""
        html = choose(request.accept, ["text/html", "text/plain"]) == "text/html"
        try:
            return self._route(request)
        except HttpError as exc:
            return self._error(exc.status, exc.message, html=html)
        except CoopkgError as exc:
            return self._error(HTTPStatus.BAD_REQUEST, str(exc), html=html)
        except Exception as exc:  # a bug or a store failure: the client gets a message, the log the details
            traceback.print_exc(file=sys.stderr)
            message = f"the server failed to answer ({type(exc).__name__}); its log has the details"
            return self._error(HTTPStatus.INTERNAL_SERVER_ERROR, message, html=html)

    @staticmethod
    def _error(status: int, message: str, *, html: bool) -> Response:
        if html:
            return _html(status, pages.error_page(status, message))
        return Response.text(status, message)

    def _route(self, request: PageRequest) -> Response:
        path = request.path
        if path == "/":
            return self._home()
        if path in ("/queries", "/queries/"):
            return _html(HTTPStatus.OK, pages.catalogue_page(list(catalogue.catalogue().values())))
        if path.startswith("/queries/"):
            return self._query(path.removeprefix("/queries/"), request.params)
        iri = iri_of(path)
        if iri is None:
            raise HttpError(
                HTTPStatus.NOT_FOUND, f"{path[:200]} is not the address of a resource of the graph"
            )
        if "picture" in request.params:
            return self._picture(iri, request.params["picture"])
        return self._resource(iri, request)

    # -- the home page ----------------------------------------------------------------------
    def _home(self) -> Response:
        datasets = self.store.datasets()
        found: dict[str, tuple[str, str]] = {}
        if datasets:
            text = _DATASETS.replace("GRAPHS", " ".join(str(g) for g in datasets))
            result = self.store.query(text)
            assert isinstance(result, QuerySolutions)
            for row in result:
                found.setdefault(_text(row["g"]), (_text(row["title"]), _text(row["description"])))
        listed = [(g.value, *found.get(g.value, ("", ""))) for g in datasets]
        most = catalogue.get("most-connected").bind({"min": Literal("1", datatype=XSD.integer)})
        regions = self._table(most)
        names = names_of(self.store, self._nodes(regions, HOME_REGIONS))
        return _html(HTTPStatus.OK, pages.home_page(listed, regions, names, shown=HOME_REGIONS))

    def _table(self, sparql: str) -> Table:
        result = to_table(self.store.query(sparql, fast=True))
        assert isinstance(result, Table)
        return result

    @staticmethod
    def _nodes(table: Table, limit: int) -> list[NamedNode]:
        return [cell for row in table.rows[:limit] for cell in row if isinstance(cell, NamedNode)]

    # -- the query catalogue ----------------------------------------------------------------
    def _query(self, name: str, params: dict[str, list[str]]) -> Response:
        try:
            query = catalogue.get(name)
        except CoopkgError as exc:
            raise HttpError(HTTPStatus.NOT_FOUND, str(exc)) from exc
        given = {key: values[-1].strip() for key, values in params.items() if values and values[-1].strip()}
        missing = [p for p in query.params if p.default is None and not p.optional and p.name not in given]
        if missing:
            error = None
            if given or params:  # the form was sent without a value it needs
                error = "give a value for " + ", ".join(f"{p.name} ({p.description})" for p in missing)
            status = HTTPStatus.BAD_REQUEST if error else HTTPStatus.OK
            return _html(status, pages.query_page(query, given, error=error, limit=self.max_rows))
        try:
            sparql = querying.bind(query, given, self.store, self.reference)
            table = backend_of(self.store, fast=True).run(sparql)
        except CoopkgError as exc:
            page = pages.query_page(query, given, error=str(exc), limit=self.max_rows)
            return _html(HTTPStatus.BAD_REQUEST, page)
        assert isinstance(table, Table), f"catalogue query {name} is not a SELECT"
        names = names_of(self.store, self._nodes(table, self.max_rows))
        page = pages.query_page(query, given, table=table, names=names, sparql=sparql, limit=self.max_rows)
        return _html(HTTPStatus.OK, page)

    # -- resources ----------------------------------------------------------------------------
    def _resource(self, iri: str, request: PageRequest) -> Response:
        media = _negotiate(request)
        about = describe(self.store, iri)
        if not about.found:
            raise HttpError(HTTPStatus.NOT_FOUND, f"the graph has nothing about <{iri}>")
        here = local_path(iri) or "/"
        headers = {
            "Vary": "Accept",
            "Link": f'<{here}?format=ttl>; rel="alternate"; type="text/turtle", '
            f'<{here}?format=jsonld>; rel="alternate"; type="application/ld+json"',
        }
        content_type = FORMATS[media][1]
        if content_type == HTML:
            return _html(HTTPStatus.OK, self._page(iri, about), headers)
        writer = {"text/turtle": turtle, "application/n-triples": ntriples}.get(
            content_type.split(";")[0], jsonld
        )
        return Response(HTTPStatus.OK, content_type, writer(about), headers)

    def _page(self, iri: str, about: Description) -> str:
        lineage: Lineage | None
        try:
            lineage = trace(self.store, iri)
        except CoopkgError:  # nothing states it: reference data, or coopkg's own terms
            lineage = None
        partners, picture, link_sources = None, None, []
        if COOP.Region in about.types:
            node = NamedNode(iri)
            partners = self._table(catalogue.get("partners").bind({"region": node}))
            result = self.store.query(_LINK_SOURCES.replace("REGION", str(node)))
            assert isinstance(result, QuerySolutions)
            link_sources = [
                SourceOrigin(
                    _text(r["source"]), _text(r["title"]), _text(r["publisher"]), _text(r["released"])
                )
                for r in result
            ]
            shown = self._nodes(partners, pages.PARTNERS_SHOWN)
            about.names = {**names_of(self.store, shown), **about.names}
            if len(partners) and importlib.util.find_spec("matplotlib") is not None:
                picture = f"{local_path(iri)}?picture=network"
        return pages.resource_page(
            about, lineage=lineage, link_sources=link_sources, partners=partners, picture=picture
        )

    def _picture(self, iri: str, kinds: list[str]) -> Response:
        if kinds[-1] not in PICTURES:
            raise HttpError(
                HTTPStatus.NOT_FOUND, f"no picture {kinds[-1][:50]!r}: the pictures are {', '.join(PICTURES)}"
            )
        if not self.store.query(f"ASK {{ {NamedNode(iri)} a {COOP.Region} }}"):
            raise HttpError(
                HTTPStatus.NOT_FOUND, f"<{iri}> is not a region of the graph: it has no network picture"
            )
        svg = pictures.network(self.store, region=iri, format="svg", reference=self.reference)
        policy = "default-src 'none'; style-src 'unsafe-inline'"
        return Response(HTTPStatus.OK, "image/svg+xml", svg, {"Content-Security-Policy": policy})


def _negotiate(request: PageRequest) -> str:
    """The media type a resource is answered in: ``format=`` first, else the Accept header."""
    formats = [f.strip().lower() for f in request.params.get("format", []) if f.strip()]
    if formats:
        for offer, (names, _) in FORMATS.items():
            if formats[-1] == offer or formats[-1] in names:
                return offer
        offered = ", ".join(n for names, _ in FORMATS.values() for n in names)
        raise HttpError(
            HTTPStatus.NOT_ACCEPTABLE, f"format={formats[-1][:50]} is not offered; use one of: {offered}"
        )
    media = choose(request.accept, list(FORMATS))
    if media is None:
        raise HttpError(
            HTTPStatus.NOT_ACCEPTABLE,
            f"none of the media types in the Accept header ({request.accept[:200]}) is offered; "
            f"resources are answered as {', '.join(FORMATS)}",
        )
    return media
