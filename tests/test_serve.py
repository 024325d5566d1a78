"""coopkg serve: the SPARQL 1.1 Protocol endpoint, queried by SPARQLWrapper as any client would."""

from __future__ import annotations

import io
import json
import re
import shutil
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
import rdflib
from SPARQLWrapper import CSV, JSON, POST, POSTDIRECTLY, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from coopkg.cli import main
from coopkg.errors import CoopkgError
from coopkg.ingest import load
from coopkg.protocol import SparqlServer, open_server
from coopkg.reference import Reference
from coopkg.store import Store

EXAMPLE_GRAPH = "https://w3id.org/coopkg/graph/tibet-expo-2023"
MAX_ROWS = 50
TIMEOUT = 2.0
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


class Log(io.StringIO):
    """The server's log, kept for the assertions."""

    def wait_for(self, text: str, *, after: int = 0, seconds: float = 5.0) -> str:
        """The log once ``text`` is in it past ``after``: a request's line follows its answer."""
        deadline = time.monotonic() + seconds
        while text not in self.getvalue()[after:] and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.getvalue()


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory, reference: Reference, example: Path) -> Path:
    path = tmp_path_factory.mktemp("serve") / "store"
    with Store(path) as store:
        load(example, store, reference)
    return path


@pytest.fixture(scope="module")
def served(store_path: Path) -> Iterator[tuple[SparqlServer, Log]]:
    log = Log()
    with open_server(store_path, port=0, timeout=TIMEOUT, max_rows=MAX_ROWS, log=log) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield server, log
        server.shutdown()
        thread.join(5)


@pytest.fixture
def url(served: tuple[SparqlServer, Log]) -> str:
    return served[0].url


def client(url: str, query: str, fmt: str = JSON, method: str | None = None) -> SPARQLWrapper:
    sparql = SPARQLWrapper(url)
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    sparql.setTimeout(20)
    if method == POSTDIRECTLY:
        sparql.setMethod(POST)
        sparql.setRequestMethod(POSTDIRECTLY)
    elif method:
        sparql.setMethod(method)
    return sparql


Answer = tuple[int, dict[str, str], str]


def fetch(url: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> Answer:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode()


def get(url: str, query: str, accept: str = "") -> Answer:
    headers = {"Accept": accept} if accept else {}
    return fetch(url + "?" + urllib.parse.urlencode({"query": query}), headers=headers)


GRAPHS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


# -- answers --------------------------------------------------------------------------------------
def test_select_by_get_answers_json_with_graphs_under_their_names(url: str) -> None:
    result = client(url, GRAPHS).queryAndConvert()
    counts = {b["g"]["value"]: int(b["n"]["value"]) for b in result["results"]["bindings"]}  # type: ignore[index]
    assert counts[EXAMPLE_GRAPH] == 219
    assert not any("/store/version/" in g for g in counts)


def test_select_by_post_form_answers_xml(url: str) -> None:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{EXAMPLE_GRAPH}> {{ ?s ?p ?o }} }}"
    document = client(url, query, XML, POST).queryAndConvert()
    literals = document.getElementsByTagName("literal")  # type: ignore[union-attr]
    assert [node.firstChild.data for node in literals] == ["219"]


def test_select_by_post_of_the_query_answers_csv(url: str) -> None:
    query = (
        "PREFIX g: <https://w3id.org/coopkg/graph/>\n"
        "SELECT (COUNT(*) AS ?n) FROM g:tibet-expo-2023 {?s ?p ?o}"
    )
    text = client(url, query, CSV, POSTDIRECTLY).queryAndConvert()
    assert (text.decode() if isinstance(text, bytes) else text).split() == ["n", "219"]


def test_tab_separated_values_and_format_parameter(url: str) -> None:
    status, headers, body = fetch(
        url + "?" + urllib.parse.urlencode({"query": "SELECT (1 AS ?one) WHERE {}", "format": "tsv"})
    )
    assert status == 200 and headers["Content-Type"].startswith("text/tab-separated-values")
    assert body.split("\n")[0] == "?one"


def test_construct_answers_turtle(url: str) -> None:
    data = client(url, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 5", TURTLE).queryAndConvert()
    graph = rdflib.Graph().parse(data=data, format="turtle")
    assert len(graph) == 5


def test_ask(url: str) -> None:
    yes = client(url, f"ASK {{ GRAPH <{EXAMPLE_GRAPH}> {{ ?s ?p ?o }} }}").queryAndConvert()
    no = client(url, "ASK { GRAPH <https://example.org/nothing> { ?s ?p ?o } }").queryAndConvert()
    assert (yes["boolean"], no["boolean"]) == (True, False)  # type: ignore[index]


def test_the_known_default_graph_uri_is_the_default_graph(url: str) -> None:
    sparql = client(url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    sparql.addDefaultGraph(EXAMPLE_GRAPH)
    result = sparql.queryAndConvert()
    assert result["results"]["bindings"][0]["n"]["value"] == "219"  # type: ignore[index]


def test_the_description_at_the_root(url: str) -> None:
    status, headers, body = fetch(url.removesuffix("/sparql") + "/")
    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    assert "read-only" in body and "coopkg load" in body and "<script" not in body


# -- refusals -------------------------------------------------------------------------------------
def test_service_is_refused(url: str) -> None:
    with pytest.raises(QueryBadFormed, match="SERVICE"):
        client(url, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }").query()


def test_updates_are_refused_with_a_pointer_to_load(url: str) -> None:
    sparql = client(url, "INSERT DATA { <https://example.org/s> <https://example.org/p> 1 }", method=POST)
    with pytest.raises(urllib.error.HTTPError) as caught:
        sparql.query()
    assert caught.value.code == 403 and "coopkg load" in caught.value.read().decode()
    status, _, body = get(url, "DROP ALL")  # an update sent as a query
    assert status == 403 and "read-only" in body
    status, _, _ = fetch(url, b"DROP ALL", {"Content-Type": "application/sparql-update"})
    assert status == 403
    assert client(url, GRAPHS).queryAndConvert()["results"]["bindings"]  # type: ignore[index]


def test_foreign_from_is_refused(url: str) -> None:
    with pytest.raises(QueryBadFormed, match="not a graph of the store"):
        client(url, "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }").query()
    with pytest.raises(QueryBadFormed, match=re.escape("FROM NAMED <https://example.org/g>")):
        client(url, "SELECT * FROM NAMED <https://example.org/g> WHERE { ?s ?p ?o }").query()


def test_unknown_default_graph_uri_is_refused(url: str) -> None:
    sparql = client(url, "SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    sparql.addDefaultGraph("https://example.org/not-here")
    with pytest.raises(QueryBadFormed, match=re.escape("default-graph-uri=https://example.org/not-here")):
        sparql.query()


def test_a_query_that_does_not_parse_is_a_bad_request(url: str) -> None:
    status, _, body = get(url, "SELECT WHERE nonsense")
    assert status == 400 and "does not parse" in body and "Traceback" not in body


def test_an_unacceptable_accept_header_is_406(url: str) -> None:
    status, _, body = get(url, "SELECT * WHERE { ?s ?p ?o } LIMIT 1", accept="image/png")
    assert status == 406 and "application/sparql-results+json" in body


# -- limits ---------------------------------------------------------------------------------------
def test_a_long_result_is_cut_with_206_and_the_header(served: tuple[SparqlServer, Log]) -> None:
    server, log = served
    status, headers, body = get(server.url, "SELECT * WHERE { ?s ?p ?o }")
    assert status == 206 and headers["X-SPARQL-MaxRows"] == str(MAX_ROWS)
    assert len(json.loads(body)["results"]["bindings"]) == MAX_ROWS
    assert f"first {MAX_ROWS} rows" in log.wait_for(f"first {MAX_ROWS} rows")
    status, headers, _ = get(server.url, f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {MAX_ROWS}")
    assert status == 200 and "X-SPARQL-MaxRows" not in headers


def test_a_slow_query_is_stopped_and_the_server_goes_on(url: str) -> None:
    started = time.monotonic()
    status, _, body = get(url, SLOW)
    assert status == 503 and f"time limit ({TIMEOUT:g} s" in body
    assert time.monotonic() - started < TIMEOUT + 3
    status, _, body = get(url, "ASK {}")
    assert status == 200 and json.loads(body)["boolean"] is True


def test_the_access_log_has_no_query_text(served: tuple[SparqlServer, Log]) -> None:
    server, log = served
    before = log.getvalue()
    get(server.url, "SELECT ?secret WHERE { ?secret ?p ?o } LIMIT 1")
    written = log.wait_for(" GET /sparql 200 ", after=len(before))[len(before) :]
    assert any(line.endswith("ms") and " GET /sparql 200 " in line for line in written.splitlines())
    assert "secret" not in log.getvalue()


# -- the command ----------------------------------------------------------------------------------
def test_help_says_read_only(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["serve", "--help"])
    assert exited.value.code == 0
    text = capsys.readouterr().out
    assert "read-only" in text and "coopkg load" in text and "--timeout" in text and "--max-rows" in text


def test_the_command_serves_keeps_writers_out_and_stops_on_sigterm(
    store_path: Path,
    tmp_path: Path,
    serve_command: Callable[[Path], AbstractContextManager[tuple[subprocess.Popen[str], str]]],
) -> None:
    copy = tmp_path / "store"
    shutil.copytree(store_path, copy)
    with serve_command(copy) as (process, url):
        status, _, body = get(url, "ASK {}")
        assert status == 200 and json.loads(body)["boolean"] is True
        with pytest.raises(CoopkgError, match="another coopkg process"):  # a load would wait
            Store(copy)
        process.send_signal(signal.SIGTERM)
        assert process.wait(10) == 0
    assert process.stderr is not None
    assert " GET /sparql 200 " in process.stderr.read()
