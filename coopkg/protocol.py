"""A SPARQL 1.1 Protocol endpoint over the store: read-only, with a time and a result-size limit.

``/sparql`` (and ``/query``) answers queries sent by GET ``?query=``, by POST of a form
(``query=``) or by POST of ``application/sparql-query``. Results are negotiated from the Accept
header or a ``format=`` parameter: SPARQL JSON (the default), XML, CSV or TSV for SELECT and ASK;
Turtle (the default), N-Triples, RDF/XML or JSON-LD for CONSTRUCT and DESCRIBE.

Writes never go through the endpoint: updates get 403 and a pointer to ``coopkg load``, whose SHACL
gate every write must pass. Queries with SERVICE, or with FROM / FROM NAMED (or ``default-graph-uri``
/ ``named-graph-uri``) naming a graph the store does not have, get 400. The default graph is the
union of the store's graphs, as for :meth:`coopkg.store.Store.query`; the named graphs are the
store's graphs under their own names.

Other GETs are pages and resource descriptions (:mod:`coopkg.site`): the home page at ``/`` for
clients that ask for HTML (others get the service description there, as at ``/sparql`` without a
query), the query catalogue at ``/queries``, and every resource of the graph at its IRI's path.

On disk, every query (and every page) runs in a worker process with its own read-only view of the
store; a query that runs past the time limit has its worker killed and replaced (503). A result
longer than the row limit is cut to that many rows and answered with status 206 and the header
``X-SPARQL-MaxRows``.

:func:`answer` is the whole of a query's handling, without HTTP:

>>> from coopkg.store import Quad, Store, graph_iri, NamedNode, Literal
>>> store, g = Store(), graph_iri("example")
>>> store.replace_graphs({g: [Quad(g, NamedNode("https://example.org/p"), Literal("1"), g)]})
>>> response = answer(store, Request("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", accept="text/csv"))
>>> response.status, response.body
(200, b'g\\r\\nhttps://w3id.org/coopkg/graph/example\\r\\n')
>>> answer(store, Request("SELECT * WHERE { SERVICE <https://example.org/sparql> { ?s ?p ?o } }")).status
400
>>> answer(store, Request("DROP ALL")).status
403
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import multiprocessing
import os
import queue
import re
import signal
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import parse_qs, urljoin, urlsplit

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Triple,
    parse_query_results,
    serialize,
)
from pyparsing import ParseException
from rdflib.plugins.sparql.parser import parseQuery

from coopkg.errors import CoopkgError
from coopkg.responses import HttpError, Response, accepted, choose
from coopkg.site import PageRequest, Site
from coopkg.sparql_safety import check_query, check_sources, is_update
from coopkg.store import Store
from coopkg.vocab import PREFIXES

DEFAULT_PORT = 7878
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_ROWS = 10_000
MAX_BODY = 1_000_000  # bytes of a POST body: far more than any hand-written query
ENDPOINTS = ("/sparql", "/query")

UPDATE_REFUSED = (
    "this endpoint is read-only: SPARQL Update is refused. Every write must pass coopkg's SHACL gate: "
    "put the data in a dataset and run 'coopkg load DATASET' (stop the server first)."
)

# media type -> (short names for format=, pyoxigraph format); the first of each table is the default
_RESULT_FORMATS: dict[str, tuple[tuple[str, ...], QueryResultsFormat]] = {
    "application/sparql-results+json": (("json", "srj"), QueryResultsFormat.JSON),
    "application/json": ((), QueryResultsFormat.JSON),
    "application/sparql-results+xml": (("xml", "srx"), QueryResultsFormat.XML),
    "application/xml": ((), QueryResultsFormat.XML),
    "text/xml": ((), QueryResultsFormat.XML),
    "text/csv": (("csv",), QueryResultsFormat.CSV),
    "text/tab-separated-values": (("tsv",), QueryResultsFormat.TSV),
}
_GRAPH_FORMATS: dict[str, tuple[tuple[str, ...], RdfFormat]] = {
    "text/turtle": (("turtle", "ttl", "n3"), RdfFormat.TURTLE),  # Turtle is N3 too
    "application/x-turtle": ((), RdfFormat.TURTLE),
    "application/turtle": ((), RdfFormat.TURTLE),
    "application/n-triples": (("nt", "ntriples", "n-triples"), RdfFormat.N_TRIPLES),
    "text/plain": ((), RdfFormat.N_TRIPLES),
    "application/rdf+xml": (("rdfxml", "rdf+xml", "rdf", "xml"), RdfFormat.RDF_XML),
    "application/xml": ((), RdfFormat.RDF_XML),
    "application/ld+json": (("jsonld", "json-ld", "json"), RdfFormat.JSON_LD),
    "application/json": ((), RdfFormat.JSON_LD),
}
_FORMS = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}


@dataclass
class Request:
    """A query as the protocol delivers it: the text, what the client accepts, the dataset asked for."""

    query: str
    accept: str = ""
    formats: list[str] = field(default_factory=list)
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)


# -- content negotiation ------------------------------------------------------------------------
def negotiate(accept: str, formats: list[str], offered: Iterable[str], kind: str) -> str:
    """The media type to answer with: the first known of ``formats`` (``format=`` parameters, each a
    short name or a media type) wins, else the best match of the Accept header, else the first
    offered. :class:`HttpError` 406 when nothing fits.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", [], _RESULT_FORMATS, "SELECT")
    'application/sparql-results+xml'
    >>> negotiate("text/*", [], _GRAPH_FORMATS, "CONSTRUCT")
    'text/turtle'
    >>> negotiate("", ["rdf+xml", "application/rdf+xml"], _GRAPH_FORMATS, "CONSTRUCT")
    'application/rdf+xml'
    """
    offered = list(offered)
    table = _RESULT_FORMATS if offered[0] in _RESULT_FORMATS else _GRAPH_FORMATS
    for fmt in formats:
        wanted = fmt.strip().lower()
        for media in offered:
            if wanted == media or wanted in table[media][0]:
                return media
    if formats:
        names = sorted({n for m in offered for n in table[m][0]})
        raise HttpError(
            HTTPStatus.NOT_ACCEPTABLE,
            f"format={_clean(formats[0], 80)} is not offered for {kind} queries; use one of: "
            f"{', '.join(names)} (or the media types {', '.join(offered)})",
        )
    chosen = choose(accept, offered)
    if chosen is not None:
        return chosen
    raise HttpError(
        HTTPStatus.NOT_ACCEPTABLE,
        f"none of the media types in the Accept header ({accept[:200]}) is offered for {kind} queries; "
        f"this endpoint answers {', '.join(offered)}",
    )


# -- named graphs under their own names -----------------------------------------------------------
# The store keeps each dataset in an unseen version graph that a catalogue maps its name to. Queries
# see names: GRAPH <name> is pointed at the version, and versions in results are turned back into names.
_TOKEN = re.compile(
    r"""(?P<comment>\#[^\n]*)
    |(?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
        |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
    |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    |(?P<var>[?$]\w+)
    |(?P<pname>(?:[^\W\d_](?:[\w-]|\.(?=[\w-]))*)?:(?:[\w:%-]|\\.|\.(?=[\w:%-]))*)
    |(?P<word>[^\W\d]\w*)
    |(?P<space>\s+)
    |(?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)


def rename_graphs(text: str, physical: dict[str, str]) -> str:
    """The query with each ``GRAPH <name>`` (or ``GRAPH prefix:name``) whose name is a key of
    ``physical`` pointed at the graph that holds it; everything else is left as written.

    Results are mapped back (:func:`_named`), so ``GRAPH ?g`` binds names. A graph name compared
    with ``?g`` inside the query (``FILTER(?g = <name>)``, ``VALUES ?g``) is not rewritten: use
    ``GRAPH <name>`` or ``FROM NAMED <name>`` instead.

    >>> rename_graphs("PREFIX g: <https://x/> ASK { GRAPH g:a { ?s ?p ?o } }", {"https://x/a": "urn:v1"})
    'PREFIX g: <https://x/> ASK { GRAPH <urn:v1> { ?s ?p ?o } }'
    """
    prefixes: dict[str, str] = {}
    base = ""
    out: list[str] = []
    pending: str | None = None  # the keyword whose IRI argument comes next: GRAPH, PREFIX or BASE
    declaring: str | None = None  # the prefix a PREFIX declaration names
    for match in _TOKEN.finditer(text):
        kind, token = match.lastgroup, match.group()
        if kind in ("space", "comment"):
            out.append(token)
            continue
        if kind == "word" and token.upper() in ("GRAPH", "PREFIX", "BASE"):
            pending, declaring = token.upper(), None
            out.append(token)
            continue
        if pending == "PREFIX" and declaring is None and kind == "pname" and token.endswith(":"):
            declaring = token[:-1]
            out.append(token)
            continue
        iri: str | None = None
        if kind == "iri":
            iri = urljoin(base, token[1:-1]) if base else token[1:-1]
        elif kind == "pname":
            prefix, _, local = token.partition(":")
            if prefix in prefixes:
                iri = prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
        if pending == "PREFIX" and declaring is not None and iri is not None:
            prefixes[declaring] = iri
        elif pending == "BASE" and iri is not None:
            base = iri
        elif pending == "GRAPH" and iri is not None and iri in physical:
            token = f"<{physical[iri]}>"
        pending = None
        out.append(token)
    return "".join(out)


def _named(term: Any, names: dict[str, str]) -> Any:
    """A result term with version graphs turned back into the names readers know."""
    if isinstance(term, NamedNode):
        return NamedNode(names[term.value]) if term.value in names else term
    if isinstance(term, Triple):
        return Triple(_named(term.subject, names), _named(term.predicate, names), _named(term.object, names))
    return term


def _json_term(term: Any) -> dict[str, Any]:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        cell: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            cell["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            cell["datatype"] = term.datatype.value
        return cell
    assert isinstance(term, Triple)
    return {
        "type": "triple",
        "value": {
            "subject": _json_term(term.subject),
            "predicate": _json_term(term.predicate),
            "object": _json_term(term.object),
        },
    }


def _first(items: Iterator[Any], limit: int) -> tuple[list[Any], bool]:
    """At most ``limit`` items, and whether there were more."""
    taken: list[Any] = []
    for item in items:
        if len(taken) == limit:
            return taken, True
        taken.append(item)
    return taken, False


# -- one query --------------------------------------------------------------------------------
def answer(store: Store, request: Request, max_rows: int = DEFAULT_MAX_ROWS) -> Response:
    """Check, run and serialize one query; every refusal is a plain-text answer, never a traceback."""
    try:
        return _answer(store, request, max_rows)
    except HttpError as exc:
        return Response.text(exc.status, exc.message)
    except CoopkgError as exc:
        return Response.text(HTTPStatus.BAD_REQUEST, str(exc))
    except Exception as exc:  # a bug or a store failure: the client gets a message, the log the details
        traceback.print_exc(file=sys.stderr)
        return Response.text(
            HTTPStatus.INTERNAL_SERVER_ERROR,
            f"the server failed to answer this query ({type(exc).__name__}); its log has the details",
        )


def _answer(store: Store, request: Request, max_rows: int) -> Response:
    text = request.query
    try:
        form = _FORMS[parseQuery(text)[1].name]
    except ParseException as exc:
        if is_update(text):
            raise HttpError(HTTPStatus.FORBIDDEN, UPDATE_REFUSED) from exc
        raise HttpError(HTTPStatus.BAD_REQUEST, f"the SPARQL query does not parse: {exc}") from exc
    check_query(text)
    catalogue = store._catalogue()  # name -> version graph (the Store keeps this private to readers)
    graphs = [g.value for g in store.graphs()]
    sources = check_sources(text, graphs)
    for label, asked in (
        ("default-graph-uri", request.default_graphs),
        ("named-graph-uri", request.named_graphs),
    ):
        for iri in asked:
            if iri not in graphs:
                raise HttpError(
                    HTTPStatus.BAD_REQUEST,
                    f"{label}={iri} is not a graph of the store; "
                    f"its graphs are: {', '.join(graphs) or 'none'}",
                )
    offered = list(_RESULT_FORMATS if form in ("SELECT", "ASK") else _GRAPH_FORMATS)
    media = negotiate(request.accept, request.formats, offered, form)

    physical = {name.value: version.value for name, version in catalogue.items()}
    names = {version: name for name, version in physical.items()}

    def where(iris: list[str]) -> list[NamedNode | BlankNode]:
        return [NamedNode(physical.get(iri, iri)) for iri in iris]

    default: list[NamedNode | BlankNode | DefaultGraph]
    if request.default_graphs or request.named_graphs:  # the protocol's dataset overrides the query's
        default, named = list(where(request.default_graphs)), where(request.named_graphs)
    elif sources.default or sources.named:
        default, named = list(where(sources.default)), where(sources.named)
    else:
        named = where(graphs)
        default = [DefaultGraph(), *named]
    try:
        result = store._ox.query(rename_graphs(text, physical), default_graph=default, named_graphs=named)
    except SyntaxError as exc:
        raise HttpError(HTTPStatus.BAD_REQUEST, f"the SPARQL query does not parse: {exc}") from exc

    headers = {"Vary": "Accept"}
    if isinstance(result, QueryBoolean):
        body = result.serialize(format=_RESULT_FORMATS[media][1])
        return Response(HTTPStatus.OK, _content_type(media), body or b"", headers)
    if isinstance(result, QuerySolutions):
        variables = [v.value for v in result.variables]
        rows, truncated = _first(iter(result), max_rows)
        data = {
            "head": {"vars": variables},
            "results": {
                "bindings": [
                    {v: _json_term(_named(row[v], names)) for v in variables if row[v] is not None}
                    for row in rows
                ]
            },
        }
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
        fmt = _RESULT_FORMATS[media][1]
        if fmt != QueryResultsFormat.JSON:
            body = parse_query_results(body, format=QueryResultsFormat.JSON).serialize(format=fmt) or b""
    else:
        rows, truncated = _first((_named(t, names) for t in result), max_rows)
        body = serialize(rows, format=_GRAPH_FORMATS[media][1], prefixes=PREFIXES) or b""
    note = None
    status = HTTPStatus.OK
    if truncated:
        status = HTTPStatus.PARTIAL_CONTENT
        headers["X-SPARQL-MaxRows"] = str(max_rows)
        unit = "rows" if form == "SELECT" else "triples"
        note = f"result cut to the first {max_rows} {unit} (--max-rows {max_rows})"
    return Response(status, _content_type(media), body, headers, note)


def _content_type(media: str) -> str:
    return media + "; charset=utf-8" if media.startswith("text/") or "json" in media else media


# -- workers ------------------------------------------------------------------------------------
Job = Request | PageRequest  # a SPARQL query, or a page or resource description (coopkg.site)


def _respond(site: Site, job: Job, max_rows: int) -> Response:
    if isinstance(job, PageRequest):
        return site.respond(job)
    return answer(site.store, job, max_rows)


def _work(path: str, conn: Connection, parent_end: Connection, max_rows: int) -> None:
    """A worker process: answer the requests that come down the pipe, one at a time."""
    parent_end.close()  # so that the pipe reports EOF when the server goes away
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    site = Site(Store.read_only(path), max_rows=max_rows)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(_respond(site, job, max_rows))


@dataclass(eq=False)  # workers are told apart by identity
class _Worker:
    process: Any
    conn: Connection

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(2)


class Runner:
    """Runs queries against an in-memory store in the server's threads (no hard time limit)."""

    def __init__(self, store: Store, max_rows: int = DEFAULT_MAX_ROWS) -> None:
        self.store, self.max_rows = store, max_rows
        self.site = Site(store, max_rows=max_rows)
        self._lock = threading.Lock()  # rdflib's query parser is not known to be thread-safe

    def run(self, request: Job) -> Response:
        """Answer one request."""
        with self._lock:
            return _respond(self.site, request, self.max_rows)

    def close(self) -> None:
        """Nothing to release."""


class ProcessRunner:
    """Runs queries in worker processes over a store on disk, each killed when it runs too long."""

    def __init__(self, path: Path, *, workers: int = 2, timeout: float = DEFAULT_TIMEOUT,
                 max_rows: int = DEFAULT_MAX_ROWS) -> None:  # fmt: skip
        self.path, self.timeout, self.max_rows = path, timeout, max_rows
        self._context = multiprocessing.get_context("fork")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._guard = threading.Lock()
        self._closed = False
        Store.read_only(path).close()  # a missing or broken store is an error now, not in a worker
        for _ in range(max(1, workers)):
            self._idle.put(self._start())

    def _start(self) -> _Worker:
        ours, theirs = self._context.Pipe()
        process = self._context.Process(
            target=_work, args=(str(self.path), theirs, ours, self.max_rows), daemon=True, name="coopkg-query"
        )
        process.start()
        theirs.close()
        worker = _Worker(process, ours)
        with self._guard:
            self._all.add(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        worker.stop()
        with self._guard:
            self._all.discard(worker)

    def run(self, request: Job) -> Response:
        """Answer one request in a free worker; 503 when it takes longer than the time limit."""
        started = time.monotonic()
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            return Response.text(
                HTTPStatus.SERVICE_UNAVAILABLE,
                f"every query worker stayed busy for the time limit ({self.timeout:g} s); try again later",
            )
        try:
            worker.conn.send(request)
            left = max(0.0, self.timeout - (time.monotonic() - started))
            if worker.conn.poll(left):
                response: Response = worker.conn.recv()
                return response
            self._retire(worker)
            worker = self._start()
            return Response.text(
                HTTPStatus.SERVICE_UNAVAILABLE,
                f"the query ran longer than the time limit ({self.timeout:g} s, --timeout) and was stopped; "
                "narrow it (LIMIT, more specific patterns) or ask the server's operator for a longer limit",
                note=f"query stopped at the time limit ({self.timeout:g} s)",
            )
        except (EOFError, OSError) as exc:  # the worker died (out of memory?): replace it
            self._retire(worker)
            worker = self._start()
            return Response.text(
                HTTPStatus.INTERNAL_SERVER_ERROR,
                "the query's worker process died while answering; the query may need too much memory",
                note=f"worker died: {type(exc).__name__}",
            )
        finally:
            if self._closed:
                self._retire(worker)
            else:
                self._idle.put(worker)

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        with self._guard:
            workers = list(self._all)
        for worker in workers:
            self._retire(worker)


# -- HTTP ---------------------------------------------------------------------------------------
def _clean(text: str, limit: int = 200) -> str:
    """Text fit for one log line: no control characters, bounded length."""
    return "".join(c if c.isprintable() else "?" for c in text[:limit])


class Handler(BaseHTTPRequestHandler):
    """One HTTP exchange of the SPARQL 1.1 Protocol (query operation only)."""

    server: SparqlServer
    server_version = "coopkg-sparql"
    timeout = 60  # seconds a client may take to send its request

    def do_GET(self) -> None:
        """A query in the URL; else a page or a resource (:mod:`coopkg.site`), or the service
        description at ``/`` and at the endpoint for clients that do not ask for HTML."""
        self._handle(lambda: self._get())

    def do_HEAD(self) -> None:
        """As GET, without the body."""
        self._handle(lambda: self._get())

    def do_POST(self) -> None:
        """A query in a form or as ``application/sparql-query``; updates are refused."""
        self._handle(lambda: self._post())

    def do_PUT(self) -> None:
        """405: the endpoint is read-only (no Graph Store Protocol writes)."""
        self._refuse_write()

    def do_DELETE(self) -> None:
        """405: the endpoint is read-only."""
        self._refuse_write()

    def do_PATCH(self) -> None:
        """405: the endpoint is read-only."""
        self._refuse_write()

    def _refuse_write(self) -> None:
        allow = {"Allow": "GET, POST"}
        self._handle(lambda: self._error(HTTPStatus.METHOD_NOT_ALLOWED, UPDATE_REFUSED, allow))

    # The access log is written by _handle; http.server's own lines (which quote the request line,
    # query string included) are not.
    def log_message(self, format: str, *args: Any) -> None:
        """Silenced: see :meth:`_handle`."""

    def _handle(self, produce: Callable[[], Response | None]) -> None:
        started = time.monotonic()
        response = None
        try:
            self._check_host()
            response = produce()
        except HttpError as exc:
            response = Response.text(exc.status, exc.message)
        except Exception as exc:  # a bug: the client gets a message, the log the details
            traceback.print_exc(file=sys.stderr)
            response = Response.text(
                HTTPStatus.INTERNAL_SERVER_ERROR, f"the server failed ({type(exc).__name__}); see its log"
            )
        if response is not None:
            self._send(response)
        status = response.status if response is not None else 0
        path = _clean(urlsplit(self.path).path)
        elapsed = (time.monotonic() - started) * 1000
        self.server.log(
            f"{self.client_address[0]} {_clean(self.command, 10)} {path} {status} {elapsed:.0f}ms"
        )
        if response is not None and response.note:
            self.server.log(f"warning: {path}: {response.note}")

    def _error(self, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
        response = Response.text(status, message)
        response.headers.update(headers or {})
        return response

    def _send(self, response: Response) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(response.body)

    def _check_host(self) -> None:
        """On a loopback address, answer only requests addressed to it (no DNS rebinding)."""
        if not self.server.loopback:
            return
        host = (self.headers.get("Host") or "").strip().lower()
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        if name.strip("[]") not in ("localhost", "127.0.0.1", "::1", self.server.host.lower()):
            raise HttpError(HTTPStatus.FORBIDDEN, f"unexpected Host header {_clean(host, 80)!r}")

    def _get(self) -> Response:
        url = urlsplit(self.path)
        params = _params(url.query)
        accept = self.headers.get("Accept") or ""
        if "query" in params or "update" in params:
            return self._query(url.path, params)
        if url.path in ENDPOINTS or (url.path == "/" and not _asks_for_html(accept)):
            return Response.text(HTTPStatus.OK, self.server.description())
        return self.server.runner.run(PageRequest(url.path, params, accept))

    def _post(self) -> Response:
        url = urlsplit(self.path)
        params = _params(url.query)
        if url.path == "/update":
            raise HttpError(HTTPStatus.FORBIDDEN, UPDATE_REFUSED)
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            raise HttpError(HTTPStatus.LENGTH_REQUIRED, "a POST needs a Content-Length header")
        if int(length) > MAX_BODY:
            raise HttpError(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"the request body is larger than {MAX_BODY} bytes"
            )
        body = self.rfile.read(int(length))
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if media == "application/x-www-form-urlencoded":
            try:
                form = _params(body.decode("utf-8"))
            except UnicodeDecodeError as exc:
                raise HttpError(HTTPStatus.BAD_REQUEST, "the form is not UTF-8") from exc
            for name, values in form.items():
                params.setdefault(name, []).extend(values)
        elif media == "application/sparql-query":
            try:
                params.setdefault("query", []).append(body.decode("utf-8"))
            except UnicodeDecodeError as exc:
                raise HttpError(HTTPStatus.BAD_REQUEST, "the query is not UTF-8") from exc
        elif media == "application/sparql-update":
            raise HttpError(HTTPStatus.FORBIDDEN, UPDATE_REFUSED)
        else:
            raise HttpError(
                HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                "send the query as application/sparql-query or as a form "
                f"(application/x-www-form-urlencoded with query=…), not {media or 'no Content-Type'}",
            )
        return self._query(url.path, params)

    def _query(self, path: str, params: dict[str, list[str]]) -> Response:
        if path not in (*ENDPOINTS, "/"):
            raise HttpError(HTTPStatus.NOT_FOUND, f"no such endpoint; send queries to {ENDPOINTS[0]}")
        if "update" in params:
            raise HttpError(HTTPStatus.FORBIDDEN, UPDATE_REFUSED)
        queries = params.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            raise HttpError(
                HTTPStatus.BAD_REQUEST,
                "give exactly one query: GET ?query=…, a form with query=…, or a POST of "
                "application/sparql-query",
            )
        request = Request(
            queries[0],
            accept=self.headers.get("Accept") or "",
            formats=[f for f in (*params.get("format", []), *params.get("output", [])) if f.strip()],
            default_graphs=params.get("default-graph-uri", []),
            named_graphs=params.get("named-graph-uri", []),
        )
        return self.server.runner.run(request)


def _asks_for_html(accept: str) -> bool:
    """Whether a client names HTML in its Accept header (browsers do; curl and SPARQL clients do not)."""
    return any(media in ("text/html", "application/xhtml+xml") for media, _ in accepted(accept))


def _params(query: str) -> dict[str, list[str]]:
    try:
        return parse_qs(query, keep_blank_values=True, strict_parsing=False, errors="strict")
    except (UnicodeDecodeError, ValueError) as exc:
        raise HttpError(HTTPStatus.BAD_REQUEST, "the parameters are not valid UTF-8 URL encoding") from exc


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server: a thread per request, queries run by a :class:`Runner` or :class:`ProcessRunner`."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], runner: Runner | ProcessRunner,
                 log: TextIO | None = None) -> None:  # fmt: skip
        self.runner = runner
        self._log = log or sys.stderr
        self._log_lock = threading.Lock()
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, Handler)
        self.host = str(self.server_address[0])
        self.loopback = self.host in ("127.0.0.1", "::1", "localhost") or self.host.startswith("127.")

    @property
    def url(self) -> str:
        """The endpoint's URL."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.server_address[1]}{ENDPOINTS[0]}"

    def log(self, line: str) -> None:
        """One line to the server's log."""
        with self._log_lock:
            self._log.write(line + "\n")
            self._log.flush()

    def description(self) -> str:
        """What ``GET /`` answers: the endpoint, its formats and its limits, in words."""
        runner = self.runner
        limit = f"{runner.timeout:g} s" if isinstance(runner, ProcessRunner) else "none (in memory)"
        return "\n".join(
            [
                "coopkg SPARQL endpoint (SPARQL 1.1 Protocol, read-only)",
                "",
                f"Query endpoint: {self.url} (also /query)",
                "  GET ?query=..., POST application/x-www-form-urlencoded (query=...),",
                "  POST application/sparql-query. Optional: default-graph-uri, named-graph-uri, format.",
                "SELECT and ASK: application/sparql-results+json (default), application/sparql-results+xml,",
                "  text/csv, text/tab-separated-values.",
                "CONSTRUCT and DESCRIBE: text/turtle (default), application/n-triples, application/rdf+xml,",
                "  application/ld+json.",
                f"Limits: time {limit}; {runner.max_rows} rows (a longer result is cut and answered with",
                "  status 206 and the header X-SPARQL-MaxRows).",
                "The default graph is the union of the store's graphs; named graphs keep their names.",
                "Refused: SPARQL Update (use 'coopkg load', which validates every write), SERVICE,",
                "  and FROM / FROM NAMED naming graphs the store does not have.",
                "",
                "Pages: open / in a browser; /queries is the query catalogue. Each resource",
                "  https://w3id.org/coopkg/PATH is served at /PATH as HTML, text/turtle,",
                "  application/n-triples or application/ld+json (Accept header, or ?format=ttl|nt|jsonld).",
            ]
        )

    def server_close(self) -> None:
        """Stop listening and stop the query workers."""
        super().server_close()
        self.runner.close()


@contextlib.contextmanager
def _write_lock(path: Path) -> Iterator[None]:
    """Hold the store's lock file so that no writer opens the store while it is served."""
    if not path.is_dir():
        raise CoopkgError(f"no store at {path}: load a dataset first ('coopkg load DATASET --store PATH')")
    try:
        fd = os.open(path / "LOCK", os.O_RDWR)
    except OSError as exc:
        raise CoopkgError(f"{path} is not a coopkg store (no LOCK file): {exc.strerror}") from exc
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            raise CoopkgError(
                f"the store at {path} is open for writing by another process (a 'coopkg load'?); "
                "serve it when that has finished"
            ) from exc
        yield
    finally:
        os.close(fd)


@contextlib.contextmanager
def open_server(store: Store | Path, *, host: str = "127.0.0.1", port: int = DEFAULT_PORT,
                timeout: float = DEFAULT_TIMEOUT, max_rows: int = DEFAULT_MAX_ROWS, workers: int = 2,
                log: TextIO | None = None) -> Iterator[SparqlServer]:  # fmt: skip
    """A server, bound and ready to ``serve_forever()``, over a store folder (queries in worker
    processes, with the time limit) or an in-memory :class:`Store` (queries in threads).

    While it is open, the store's folder stays locked against writers (``coopkg load`` waits for it
    to close); its workers and socket are released on exit.
    """
    if max_rows < 1 or timeout <= 0:
        raise CoopkgError("--max-rows and --timeout must be positive")
    with contextlib.ExitStack() as stack:
        runner: Runner | ProcessRunner
        if isinstance(store, Store):
            runner = Runner(store, max_rows)
        else:
            stack.enter_context(_write_lock(Path(store)))
            runner = ProcessRunner(Path(store), workers=workers, timeout=timeout, max_rows=max_rows)
        stack.callback(runner.close)
        try:
            server = SparqlServer((host, port), runner, log)
        except OSError as exc:
            raise CoopkgError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
        stack.callback(server.server_close)
        yield server
