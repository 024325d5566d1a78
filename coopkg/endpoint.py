"""A SPARQL 1.1 endpoint as a :class:`~coopkg.backend.Backend`: the same commands, another server.

Queries go through SPARQLWrapper (POST, form-encoded); loads through SPARQL Update and, when the
server has one, the Graph Store Protocol. What coopkg asks of the server:

- **Its graphs.** coopkg lists the graphs it manages in a registry graph on the server
  (``https://w3id.org/coopkg/store/registry``) and queries them as the default graph (and as the
  named graphs) with the protocol's ``default-graph-uri``/``named-graph-uri`` parameters, so the
  answers are the same on servers whose default graph is empty (Oxigraph) and on servers whose
  default graph is everything they hold (Virtuoso). ``coopkg publish`` also records there the
  fingerprint of each graph it sent (:mod:`coopkg.publishing`); any other write forgets it.
- **Loads, whole or not at all.** Each graph is uploaded into a staging graph nobody queries, then
  one SPARQL Update request moves every staging graph onto its name and updates the registry.
  Servers that run an update request as one transaction (Oxigraph, Virtuoso) show all of a load
  or none of it. A load that fails drops its staging graphs; one that was interrupted leaves them
  listed in the registry, and the next load drops them.
- **Credentials** come from ``$COOPKG_ENDPOINT_USER`` and ``$COOPKG_ENDPOINT_PASSWORD`` (HTTP
  Basic, or Digest with ``auth = "digest"``), never from the command line, never in a message.
- **Time limits**: the socket's, and the server's where it takes one per request (Virtuoso's
  ``timeout``, Fuseki's ``timeout``); the server is told apart by its ``Server`` header.
- **Transient failures** (connection refused or reset, HTTP 429, 502, 503, 504) are retried with
  exponential backoff; others are reported at once.
- **Truncated results** are an error, not a smaller answer: HTTP 206, Virtuoso's
  ``X-SQL-State: S1TAT`` (an "anytime" query cut short) and as many rows as the server's row cap
  (its ``X-SPARQL-MaxRows`` header, or ``max_rows`` of the configuration) when the query's own
  ``LIMIT`` does not explain them.

>>> config = EndpointConfig("http://127.0.0.1:7878/query", update="http://127.0.0.1:7878/update")
>>> Endpoint(config).describe()
'endpoint http://127.0.0.1:7878/query'
>>> EndpointConfig("http://user:secret@example.org/sparql")
Traceback (most recent call last):
...
coopkg.errors.CoopkgError: the endpoint URL http://example.org/sparql carries credentials: ...
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import http.client
import json
import os
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, Triple, parse
from rdflib.plugins.sparql.parser import parseQuery
from SPARQLWrapper import JSON, POST, TURTLE, URLENCODED, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from coopkg.errors import CoopkgError
from coopkg.sparql_safety import check_query
from coopkg.sparql_text import query_form
from coopkg.table import Answer, Cell, Table
from coopkg.vocab import COOP, XSD

ENV_USER = "COOPKG_ENDPOINT_USER"
ENV_PASSWORD = "COOPKG_ENDPOINT_PASSWORD"

_INTERNAL = "https://w3id.org/coopkg/store/"
REGISTRY = NamedNode(_INTERNAL + "registry")
"""The graph on the server that lists the graphs coopkg manages, and staging graphs in flight."""
_MANAGED = NamedNode(_INTERNAL + "managed")  # <graph> _MANAGED "when it was written"
_STAGING_OF = NamedNode(_INTERNAL + "stagingOf")  # <staging graph> _STAGING_OF <graph>
_FINGERPRINT = NamedNode(_INTERNAL + "fingerprint")  # <graph> _FINGERPRINT "what coopkg publish sent"
_STAGING = _INTERNAL + "staging/"
_EMPTY = NamedNode(_INTERNAL + "empty")  # the default graph when coopkg manages none there

UPLOAD_CHUNK = 4 << 20
"""Bytes of N-Triples per upload request (Graph Store Protocol); SPARQL Update gets a quarter."""

_TRANSIENT_STATUS = frozenset({429, 502, 503, 504})
_T = TypeVar("_T")


class TruncatedResult(CoopkgError):
    """The server answered part of the result."""


@dataclass(frozen=True)
class EndpointConfig:
    """Where a SPARQL 1.1 server takes queries, updates and graphs, and how to talk to it.

    ``query`` is the query endpoint; ``update`` the update endpoint (loads need it);
    ``graph_store`` the Graph Store Protocol endpoint (faster loads; without it, loads are sent as
    ``INSERT DATA``). ``timeout`` is in seconds; ``max_rows`` is the server's row cap when the
    server does not announce it; ``auth`` is ``basic`` or ``digest``.
    """

    query: str
    update: str | None = None
    graph_store: str | None = None
    timeout: float = 60.0
    auth: str = "basic"
    retries: int = 3
    backoff: float = 0.5
    max_rows: int | None = None

    def __post_init__(self) -> None:
        for url in (self.query, self.update, self.graph_store):
            if url is None:
                continue
            parts = urllib.parse.urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise CoopkgError(f"the endpoint URL {url!r} is not an http(s) URL")
            if parts.username or parts.password:
                bare = parts._replace(netloc=parts.hostname + (f":{parts.port}" if parts.port else ""))
                raise CoopkgError(
                    f"the endpoint URL {urllib.parse.urlunsplit(bare)} carries credentials: "
                    f"remove them and set ${ENV_USER} and ${ENV_PASSWORD} instead"
                )
        if self.auth not in ("basic", "digest"):
            raise CoopkgError(f"auth {self.auth!r}: write basic or digest")
        if self.timeout <= 0 or self.retries < 0:
            raise CoopkgError("an endpoint's timeout must be positive and its retries not negative")


def _credentials() -> tuple[str, str] | None:
    user = os.environ.get(ENV_USER)
    if not user:
        return None
    return user, os.environ.get(ENV_PASSWORD, "")


def _term(binding: dict[str, Any]) -> Cell:
    """A term of SPARQL 1.1 Results JSON (and SPARQL 1.0's ``typed-literal``) as an Oxigraph term."""
    kind, value = binding.get("type"), binding.get("value", "")
    if kind == "uri":
        return NamedNode(value)
    if kind == "bnode":
        return BlankNode(value) if value.replace("_", "").replace("-", "").isalnum() else BlankNode()
    if kind in ("literal", "typed-literal"):
        language = binding.get("xml:lang")
        if language:
            return Literal(value, language=language)
        datatype = binding.get("datatype")
        return Literal(value, datatype=NamedNode(datatype)) if datatype else Literal(value)
    if kind == "triple":
        inner = binding["value"]
        s, p, o = (_term(inner[k]) for k in ("subject", "predicate", "object"))
        assert isinstance(p, NamedNode) and s is not None and o is not None
        return Triple(s, p, o)  # type: ignore[arg-type]
    raise CoopkgError(f"the endpoint answered a term of unknown type {kind!r}")


def _own_limit(sparql: str) -> int | None:
    """The LIMIT of the query's outer SELECT, if any."""
    try:
        query = parseQuery(sparql)[1]
    except Exception:  # the server parsed it; coopkg only wants its limit
        return None
    clauses = query["limitoffset"] if "limitoffset" in query else None  # noqa: SIM401 - CompValue.get() misleads
    return int(clauses["limit"]) if clauses is not None and "limit" in clauses else None


def _ntriples_chunks(quads: Iterable[Quad], size: int) -> Iterator[bytes]:
    """N-Triples in chunks of about ``size`` bytes; a graph with blank nodes goes whole (a blank
    node's label means the same node only within one request)."""
    lines: list[str] = []
    length, blank = 0, False
    for q in quads:
        line = f"{q.subject} {q.predicate} {q.object} .\n"
        blank = blank or isinstance(q.subject, BlankNode) or isinstance(q.object, BlankNode)
        lines.append(line)
        length += len(line)
        if length >= size and not blank:
            yield "".join(lines).encode("utf-8")
            lines, length = [], 0
    if lines:
        yield "".join(lines).encode("utf-8")


class Endpoint:
    """A SPARQL 1.1 server that coopkg reads, and writes when it has an update endpoint."""

    def __init__(self, config: EndpointConfig, *, sleep: Callable[[float], None] = time.sleep) -> None:
        self.config = config
        self._sleep = sleep
        self._graphs: list[NamedNode] | None = None
        self._server = ""  # the Server header of the last answer: tells Virtuoso or Fuseki apart
        self._opener = self._build_opener()

    def describe(self) -> str:
        return f"endpoint {self.config.query}"

    # -- HTTP ------------------------------------------------------------------------------
    def _build_opener(self) -> urllib.request.OpenerDirector:
        handlers: list[urllib.request.BaseHandler] = []
        credentials = _credentials()
        if credentials is not None and self.config.auth == "digest":
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in (self.config.update, self.config.graph_store):
                if url:
                    passwords.add_password(None, url, *credentials)
            handlers.append(urllib.request.HTTPDigestAuthHandler(passwords))
        return urllib.request.build_opener(*handlers)

    def _retrying(self, what: str, attempt: Callable[[], _T]) -> _T:
        """Run one request, again after a transient failure, with exponential backoff."""
        for n in range(self.config.retries + 1):
            try:
                return attempt()
            except urllib.error.HTTPError as exc:
                if exc.code not in _TRANSIENT_STATUS or n == self.config.retries:
                    raise self._http_error(what, exc) from None
                wait = self.config.backoff * 2**n
                retry_after = exc.headers.get("Retry-After") if exc.headers else None
                if retry_after and retry_after.isdigit():
                    wait = min(float(retry_after), 30.0)
            except (urllib.error.URLError, ConnectionError, http.client.HTTPException, TimeoutError) as exc:
                reason = getattr(exc, "reason", exc)
                if isinstance(reason, TimeoutError | socket.timeout):
                    raise CoopkgError(
                        f"{what}: {self.describe()} did not answer within {self.config.timeout:g} s; "
                        "narrow the query or raise the endpoint's timeout"
                    ) from None
                if n == self.config.retries:
                    raise CoopkgError(
                        f"{what}: cannot reach {self.describe()} ({reason}) after "
                        f"{self.config.retries + 1} attempts; is the server running?"
                    ) from None
                wait = self.config.backoff * 2**n
            self._sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def _http_error(self, what: str, exc: urllib.error.HTTPError) -> CoopkgError:
        try:
            body = exc.read().decode("utf-8", "replace").strip()
        except Exception:  # the body is only a detail of the message
            body = ""
        detail = " ".join(body.split())[:400]
        if exc.code in (401, 403):
            hint = f"set ${ENV_USER} and ${ENV_PASSWORD} (auth: {self.config.auth}) for an account allowed to"
            return CoopkgError(f"{what}: the server refused it (HTTP {exc.code}): {hint} write. {detail}")
        return CoopkgError(f"{what}: the server answered HTTP {exc.code}: {detail or exc.reason}")

    def _send(self, what: str, request: urllib.request.Request) -> bytes:
        credentials = _credentials()
        if credentials is not None and self.config.auth == "basic":
            token = base64.b64encode(":".join(credentials).encode("utf-8")).decode("ascii")
            request.add_header("Authorization", f"Basic {token}")

        def attempt() -> bytes:
            with self._opener.open(request, timeout=self.config.timeout) as response:
                self._server = response.headers.get("Server", "") or self._server
                data: bytes = response.read()
                return data

        return self._retrying(what, attempt)

    # -- reading ---------------------------------------------------------------------------
    def run(self, sparql: str) -> Answer:
        """Run a query over coopkg's graphs on the server. SERVICE is refused, as everywhere."""
        check_query(sparql)
        graphs = self.graphs() or [_EMPTY]
        return self._query(sparql, default=graphs, named=graphs)

    def _query(self, sparql: str, *, default: list[NamedNode], named: list[NamedNode]) -> Answer:
        wrapper = SPARQLWrapper(self.config.query)
        wrapper.setMethod(POST)
        wrapper.setRequestMethod(URLENCODED)
        # The server's own limit (passed below where it takes one) should end a query first: it
        # answers what it found, marked as partial; the socket's limit is a last resort.
        wrapper.setTimeout(int(self.config.timeout * 2) + 10)
        wrapper.setQuery(sparql)
        wrapper.queryType = query_form(sparql)  # SPARQLWrapper's own guess reads comments too
        credentials = _credentials()
        if credentials is not None:
            wrapper.setHTTPAuth(self.config.auth.upper())
            wrapper.setCredentials(*credentials)
        for g in default:
            wrapper.addDefaultGraph(g.value)
        for g in named:
            wrapper.addNamedGraph(g.value)
        server = self._server.lower()
        if "virtuoso" in server:  # milliseconds; Virtuoso then answers a partial result, marked
            wrapper.addParameter("timeout", str(int(self.config.timeout * 1000)))
        elif "fuseki" in server:
            wrapper.addParameter("timeout", str(self.config.timeout))
        construct = wrapper.queryType in ("CONSTRUCT", "DESCRIBE")
        wrapper.setReturnFormat(TURTLE if construct else JSON)

        def attempt() -> Answer:
            try:
                response = wrapper.query().response
                status, headers = response.status, response.headers
                body = response.read()
            except SPARQLWrapperException as exc:
                detail = " ".join(str(exc).replace("\\n", " ").split())[:600]
                raise CoopkgError(f"query: {self.describe()} refused it: {detail}") from None
            self._server = headers.get("Server", "") or self._server
            if status == 206:
                raise TruncatedResult(
                    f"query: {self.describe()} answered part of the result (HTTP 206); "
                    "narrow the query, or ask the server's administrator for a larger limit"
                )
            if headers.get("X-SQL-State") == "S1TAT":
                raise TruncatedResult(
                    f"query: {self.describe()} stopped the query at its time limit and answered part "
                    f"of the result; narrow the query or raise the timeout ({self.config.timeout:g} s)"
                )
            if construct:
                return [q.triple for q in parse(body, format=RdfFormat.TURTLE)]
            answer = self._answer(body)
            if wrapper.queryType == "ASK" and isinstance(answer, Table):
                # Virtuoso answers an ASK over given graphs as a table of one column, empty for false
                cells = [c for row in answer.rows for c in row]
                answer = any(isinstance(c, Literal) and c.value in ("1", "true") for c in cells)
            if isinstance(answer, Table):
                self._check_cap(sparql, answer, headers.get("X-SPARQL-MaxRows"))
            return answer

        return self._retrying("query", attempt)

    def _answer(self, body: bytes) -> Table | bool:
        try:
            data = json.loads(body)
        except ValueError as exc:
            raise CoopkgError(
                f"query: {self.describe()} answered something that is not JSON: {exc}"
            ) from None
        if not isinstance(data, dict):
            raise CoopkgError(f"query: {self.describe()} answered JSON that is not a SPARQL result")
        if "boolean" in data:
            return bool(data["boolean"])
        variables = list(data.get("head", {}).get("vars", []))
        rows = [
            [_term(b[v]) if v in b else None for v in variables]
            for b in data.get("results", {}).get("bindings", [])
        ]
        return Table(variables, rows)

    def _check_cap(self, sparql: str, table: Table, announced: str | None) -> None:
        cap = int(announced) if announced and announced.isdigit() else self.config.max_rows
        if cap is None or len(table) < cap:
            return
        limit = _own_limit(sparql)
        if limit is not None and limit <= cap:
            return
        raise TruncatedResult(
            f"query: {self.describe()} answered {len(table)} rows, its row limit: the result is "
            "probably cut short. Add LIMIT and OFFSET to page through it, or narrow the query"
        )

    def graphs(self) -> list[NamedNode]:
        if self._graphs is None:
            table = self._query(
                f"SELECT ?g WHERE {{ GRAPH {REGISTRY} {{ ?g {_MANAGED} ?when }} }} ORDER BY ?g",
                default=[REGISTRY],
                named=[REGISTRY],
            )
            assert isinstance(table, Table)
            self._graphs = [g for (g,) in table.rows if isinstance(g, NamedNode)]
        return list(self._graphs)

    def digest(self, graph: NamedNode) -> str | None:
        table = self._query(
            f"SELECT ?d WHERE {{ GRAPH {graph} {{ {graph} {COOP.sha256} ?d }} }}",
            default=[graph],
            named=[graph],
        )
        assert isinstance(table, Table)
        values = [d.value for (d,) in table.rows if isinstance(d, Literal)]
        return values[0] if values else None

    def fingerprints(self) -> dict[NamedNode, str | None]:
        """coopkg's graphs on the server, each with the fingerprint of its content that
        ``coopkg publish`` recorded when it wrote it (None when a load wrote it)."""
        table = self._query(
            f"SELECT ?g ?f WHERE {{ GRAPH {REGISTRY} {{ ?g {_MANAGED} ?when "
            f"OPTIONAL {{ ?g {_FINGERPRINT} ?f }} }} }} ORDER BY ?g",
            default=[REGISTRY],
            named=[REGISTRY],
        )
        assert isinstance(table, Table)
        return {
            g: f.value if isinstance(f, Literal) else None for g, f in table.rows if isinstance(g, NamedNode)
        }

    def count(self, graph: NamedNode) -> int:
        """The number of triples in one graph on the server."""
        table = self._query(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}",
            default=[graph],
            named=[graph],
        )
        assert isinstance(table, Table)
        cells = [n for row in table.rows for n in row if isinstance(n, Literal)]
        return int(cells[0].value) if cells else 0

    # -- writing ---------------------------------------------------------------------------
    def update(self, sparql: str) -> None:
        """Send one SPARQL Update request."""
        if not self.config.update:
            raise CoopkgError(
                f"{self.describe()} has no update endpoint: give --update-endpoint URL (and, for "
                "faster loads, --graph-store URL) or 'update' in the configuration file"
            )
        body = urllib.parse.urlencode({"update": sparql}).encode("utf-8")
        request = urllib.request.Request(
            self.config.update,
            data=body,
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        self._send("update", request)

    def _upload(self, graph: NamedNode, quads: Iterable[Quad]) -> bool:
        """Write quads into a graph on the server (which it creates); False when there were none.

        The first request replaces what the graph held (a PUT, or ``DROP`` then ``INSERT DATA``
        in one update), so a request sent again after a lost answer leaves one copy."""
        store = self.config.graph_store
        sent = False
        for n, chunk in enumerate(_ntriples_chunks(quads, UPLOAD_CHUNK if store else UPLOAD_CHUNK // 4)):
            sent = True
            if not store:
                first = f"DROP SILENT GRAPH {graph} ;\n" if n == 0 else ""
                try:
                    self.update(f"{first}INSERT DATA {{ GRAPH {graph} {{\n{chunk.decode('utf-8')}}} }}")
                except CoopkgError as exc:
                    if b"_:" not in chunk or "blank node" not in str(exc).lower():
                        raise
                    raise CoopkgError(  # Virtuoso 7: "Blank node ... is not allowed in a constant clause"
                        f"{exc} — the server takes no blank nodes in INSERT DATA, and the graph has "
                        "some: give --graph-store URL (Virtuoso's is /sparql-graph-crud)"
                    ) from None
                continue
            url = store + ("&" if "?" in store else "?") + urllib.parse.urlencode({"graph": graph.value})
            request = urllib.request.Request(
                url,
                data=chunk,
                method="PUT" if n == 0 else "POST",
                headers={"Content-Type": "application/n-triples"},
            )
            self._send(f"upload to {graph.value}", request)
        return sent

    def collect_garbage(self) -> int:
        """Drop the staging graphs an interrupted load left; how many."""
        table = self._query(
            f"SELECT ?s ?g WHERE {{ GRAPH {REGISTRY} {{ ?s {_STAGING_OF} ?g }} }}",
            default=[REGISTRY],
            named=[REGISTRY],
        )
        assert isinstance(table, Table)
        left = [(s, g) for s, g in table.rows if isinstance(s, NamedNode) and isinstance(g, NamedNode)]
        if left:
            self.update(self._forget(left))
        return len(left)

    def _forget(self, staging: list[tuple[NamedNode, NamedNode]]) -> str:
        parts = [f"DROP SILENT GRAPH {s}" for s, _ in staging]
        marks = " ".join(f"{s} {_STAGING_OF} {g} ." for s, g in staging)
        parts.append(f"DELETE DATA {{ GRAPH {REGISTRY} {{ {marks} }} }}")
        return " ;\n".join(parts)

    def replace(
        self, graphs: dict[NamedNode, Iterable[Quad]], *, fingerprints: dict[NamedNode, str] | None = None
    ) -> None:
        """Upload each graph into a staging graph, then move them all onto their names in one
        update request. A graph given no quads is removed. The same request records each graph's
        fingerprint, when given, in the registry (and forgets the one it had)."""
        if not graphs:
            return
        self.collect_garbage()
        staging = [(NamedNode(_STAGING + uuid.uuid4().hex), name) for name in graphs]
        marks = " ".join(f"{s} {_STAGING_OF} {g} ." for s, g in staging)
        self.update(f"INSERT DATA {{ GRAPH {REGISTRY} {{ {marks} }} }}")
        try:
            written: set[NamedNode] = set()
            for s, name in staging:
                if self._upload(s, graphs[name]):
                    written.add(s)
            now = Literal(dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(), datatype=XSD.dateTime)
            parts = []
            for s, name in staging:
                parts.append(f"DROP SILENT GRAPH {name}")
                if s in written:
                    parts.append(f"MOVE SILENT GRAPH {s} TO GRAPH {name}")
            names = " ".join(str(name) for _, name in staging)
            for term in (_MANAGED, _FINGERPRINT):
                parts.append(
                    f"DELETE {{ GRAPH {REGISTRY} {{ ?g {term} ?x }} }} "
                    f"WHERE {{ GRAPH {REGISTRY} {{ ?g {term} ?x }} VALUES ?g {{ {names} }} }}"
                )
            parts.append(f"DELETE DATA {{ GRAPH {REGISTRY} {{ {marks} }} }}")
            managed = " ".join(f"{name} {_MANAGED} {now} ." for s, name in staging if s in written)
            managed += "".join(
                f" {name} {_FINGERPRINT} {Literal(fingerprints[name])} ."
                for s, name in staging
                if s in written and fingerprints and name in fingerprints
            )
            if managed:
                parts.append(f"INSERT DATA {{ GRAPH {REGISTRY} {{ {managed} }} }}")
            self.update(" ;\n".join(parts))
        except BaseException:
            with contextlib.suppress(Exception):  # the first error is the one to report
                self.update(self._forget(staging))
            raise
        finally:
            self._graphs = None
