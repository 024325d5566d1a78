"""The same commands against real SPARQL servers: the Oxigraph server and Virtuoso 7.

Both are started by the fixtures of tests/servers.py on 127.0.0.1. The bundled example and a
generated dataset are loaded into each through coopkg's own loads (Graph Store Protocol, SPARQL
Update), and every catalogue query must give the same answers there as on the embedded store.
"""

from __future__ import annotations

import http.server
import importlib.util
import json
import re
import shlex
import shutil
import socket
import sys
import threading
from collections import Counter
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import ModuleType

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode

from coopkg import catalogue
from coopkg.backend import Backend, Embedded
from coopkg.cli import main
from coopkg.endpoint import REGISTRY, Endpoint, EndpointConfig, TruncatedResult
from coopkg.errors import CoopkgError, SubmissionRefused
from coopkg.ingest import load
from coopkg.querying import ask
from coopkg.reference import Reference
from coopkg.store import Store
from coopkg.table import Cell, Table
from coopkg.vocab import graph_iri

QUERIES = catalogue.catalogue()
BENCH = Path(__file__).resolve().parents[1] / "bench"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("coopkg_bench_generate", BENCH / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def config(server) -> EndpointConfig:  # type: ignore[no-untyped-def]
    return EndpointConfig(server.query, update=server.update, graph_store=server.graph_store, timeout=60)


@pytest.fixture(scope="module")
def datasets(tmp_path_factory: pytest.TempPathFactory, example: Path) -> list[Path]:
    folder = tmp_path_factory.mktemp("generated") / "generated-400"
    _generator().generate(400, folder, seed=7)
    return [example, folder]


@pytest.fixture(scope="module")
def backends(  # type: ignore[no-untyped-def]
    datasets: list[Path],
    reference: Reference,
    tmp_path_factory: pytest.TempPathFactory,
    oxigraph_server,
    virtuoso_server,
) -> dict[str, Backend]:
    """The datasets loaded into the embedded store and, through coopkg's loads, into both servers."""
    embedded = Store(tmp_path_factory.mktemp("embedded") / "store")
    places: dict[str, Backend] = {"embedded": Embedded(embedded)}
    for server in (oxigraph_server, virtuoso_server):
        places[server.name] = Endpoint(config(server))
    for folder in datasets:
        load(folder, embedded, reference)
        for name in ("oxigraph", "virtuoso"):
            with Store() as staging:
                load(folder, staging, reference, target=places[name])
    return places


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text).normalize()
    except InvalidOperation:
        return None


def _cell(term: Cell) -> object:
    """A term in a form that servers agree on: numbers by value, language tags in lower case."""
    if term is None:
        return None
    if isinstance(term, NamedNode):
        return ("iri", term.value)
    if isinstance(term, BlankNode):
        return ("blank",)
    assert isinstance(term, Literal)
    if term.language:
        return ("text", term.value, term.language.lower())
    number = _number(term.value) if "#" in term.datatype.value else None
    if number is not None and not term.datatype.value.endswith(("#string", "#date", "#gYear", "#gYearMonth")):
        return ("number", number)
    return ("literal", term.value, term.datatype.value)


_CONCAT = re.compile(
    r'GROUP_CONCAT\(.*?separator\s*=\s*"([^"]*)"\s*\)\s*AS\s+\?(\w+)', re.IGNORECASE | re.DOTALL
)


def answers(table: Table, query: str) -> Counter[tuple[object, ...]]:
    """The rows as a multiset. GROUP_CONCAT's order is not defined, nor whether it keeps a language
    tag (Oxigraph does, Virtuoso does not): such columns compare as sets of their parts."""
    concat = {name: sep for sep, name in _CONCAT.findall(query)}
    rows = []
    for row in table.rows:
        cells: list[object] = []
        for name, term in zip(table.variables, row, strict=True):
            if name in concat and term is not None:
                cells.append(("concat", frozenset(term.value.split(concat[name]))))
            else:
                cells.append(_cell(term))
        rows.append(tuple(cells))
    return Counter(rows)


def revised(example: Path, folder: Path, title: str) -> Path:
    """A new version of the example (its title changed): a load of it writes."""
    changed = folder / example.name
    shutil.copytree(example, changed)
    manifest = changed / "manifest.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("(2023)", title), encoding="utf-8")
    return changed


def example_params(name: str) -> dict[str, str]:
    words = shlex.split(QUERIES[name].examples[0])
    return dict(words[i + 1].split("=", 1) for i, word in enumerate(words) if word in ("--param", "-p"))


@pytest.mark.parametrize("server", ["oxigraph", "virtuoso"])
@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_catalogue_query_answers_the_same_on_the_server(
    name: str, server: str, backends: dict[str, Backend], reference: Reference
) -> None:
    params = example_params(name)
    expected = ask(backends["embedded"], reference, name, params)
    got = ask(backends[server], reference, name, params)
    assert got.variables == expected.variables
    assert len(expected) > 0, "the example call answers on the embedded store"
    assert answers(got, QUERIES[name].text) == answers(expected, QUERIES[name].text)


OPTIONAL_PARAMS = sorted(name for name, q in QUERIES.items() if any(p.optional for p in q.params))


@pytest.mark.parametrize("server", ["oxigraph", "virtuoso"])
@pytest.mark.parametrize("name", OPTIONAL_PARAMS)
def test_a_query_without_its_optional_parameters_answers_the_same_on_the_server(
    name: str, server: str, backends: dict[str, Backend], reference: Reference
) -> None:
    """The whole graph, where the example call narrows it down: links without areas among others
    (GROUP_CONCAT over nothing was no value on Oxigraph and an empty string on Virtuoso)."""
    params = {k: v for k, v in example_params(name).items() if not QUERIES[name].param(k).optional}
    expected = ask(backends["embedded"], reference, name, params)
    got = ask(backends[server], reference, name, params)
    assert got.variables == expected.variables and len(expected) > 0
    assert answers(got, QUERIES[name].text) == answers(expected, QUERIES[name].text)


@pytest.mark.parametrize("server", ["oxigraph", "virtuoso"])
def test_a_load_lists_the_graphs_and_leaves_no_staging_graph(
    server: str, backends: dict[str, Backend]
) -> None:
    backend = backends[server]
    assert isinstance(backend, Endpoint)
    names = {g.value.rsplit("/", 1)[-1] for g in backend.graphs()}
    assert {"tibet-expo-2023", "generated-400", "ontology", "regions"} <= names
    left = backend._query(  # the registry holds no staging graph, and no staging graph is there
        f"ASK {{ GRAPH {REGISTRY} {{ ?s <https://w3id.org/coopkg/store/stagingOf> ?g }} }}",
        default=[REGISTRY],
        named=[REGISTRY],
    )
    assert left is False


# -- the endpoint client: truncation, time limits, credentials, retries, refusals ---------------


def test_a_result_cut_at_the_servers_row_cap_is_an_error_not_an_answer(backends: dict[str, Backend]) -> None:
    virtuoso = backends["virtuoso"]  # started with ResultSetMaxRows = 10000
    with pytest.raises(TruncatedResult, match="row limit"):
        virtuoso.run("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    table = virtuoso.run("SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10000")
    assert isinstance(table, Table) and len(table) == 10000  # its own LIMIT explains the count


def test_a_query_cut_short_by_the_servers_time_limit_is_an_error(virtuoso_server) -> None:  # type: ignore[no-untyped-def]
    quick = Endpoint(EndpointConfig(virtuoso_server.query, timeout=0.5))
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with pytest.raises(TruncatedResult, match="time limit"):
        quick.run(slow)


def test_a_partial_answer_marked_206_is_an_error() -> None:
    with _Answering([(206, _JSON_ROWS)]) as url, pytest.raises(TruncatedResult, match="206"):
        Endpoint(EndpointConfig(url)).run("SELECT ?s WHERE { ?s ?p ?o }")


def test_transient_failures_are_retried_with_backoff() -> None:
    waits: list[float] = []
    with _Answering([(503, b"busy"), (503, b"busy"), (200, _JSON_ROWS)]) as url:
        table = Endpoint(EndpointConfig(url, backoff=0.5), sleep=waits.append).run(
            "SELECT ?s WHERE { ?s ?p ?o }"
        )
    assert isinstance(table, Table) and table.values() == [{"s": "https://example.org/s"}]
    assert waits == [0.5, 1.0]  # both failures were the registry's; the query then went through


def test_a_server_that_is_down_is_named_after_the_retries() -> None:
    config = EndpointConfig(f"http://127.0.0.1:{_closed_port()}/sparql", retries=2)
    waits: list[float] = []
    with pytest.raises(CoopkgError, match=r"cannot reach .* after 3 attempts"):
        Endpoint(config, sleep=waits.append).run("ASK { ?s ?p ?o }")
    assert waits == [0.5, 1.0]


def test_a_client_error_is_not_retried() -> None:
    waits: list[float] = []
    with (
        _Answering([(400, b"bad query"), (200, _JSON_ROWS)]) as url,
        pytest.raises(CoopkgError, match="refused"),
    ):
        Endpoint(EndpointConfig(url), sleep=waits.append)._query(
            "SELECT ?s WHERE { ?s ?p ?o }", default=[], named=[]
        )
    assert waits == []


def test_credentials_come_from_the_environment_and_never_show(
    virtuoso_server,  # type: ignore[no-untyped-def]
    datasets: list[Path],
    reference: Reference,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    secured = [
        "--endpoint",
        virtuoso_server.query,
        "--update-endpoint",
        virtuoso_server.extra["auth-query"],
        "--graph-store",
        virtuoso_server.extra["auth-graph-store"],
    ]
    changed = revised(datasets[0], tmp_path, "(2023 edition)")  # a load that writes
    # Without credentials: refused, with the variables to set.
    monkeypatch.delenv("COOPKG_ENDPOINT_USER", raising=False)
    assert main(["load", str(changed), *secured]) == 2
    assert "COOPKG_ENDPOINT_USER" in capsys.readouterr().err
    # With wrong ones: refused, and the password is not in any message.
    monkeypatch.setenv("COOPKG_ENDPOINT_USER", "dba")
    monkeypatch.setenv("COOPKG_ENDPOINT_PASSWORD", "wrong-secret-42")
    config = EndpointConfig(
        virtuoso_server.query,
        update=virtuoso_server.extra["auth-query"],
        graph_store=virtuoso_server.extra["auth-graph-store"],
        auth="digest",
    )
    with pytest.raises(CoopkgError) as refused:
        Endpoint(config).update(f"DROP SILENT GRAPH <{REGISTRY.value}/nothing>")
    assert "wrong-secret-42" not in str(refused.value)
    # With the right ones (HTTP Digest): the load goes through the secured endpoints.
    monkeypatch.setenv("COOPKG_ENDPOINT_PASSWORD", "dba")
    with Store() as staging:
        report = load(changed, staging, reference, target=Endpoint(config))
    assert report.status in ("loaded", "replaced")  # whether an earlier test loaded it or not


def test_service_is_refused_by_query_and_sparql_on_an_endpoint(
    oxigraph_server,  # type: ignore[no-untyped-def]
    capsys: pytest.CaptureFixture[str],
) -> None:
    remote = ["--endpoint", oxigraph_server.query]
    text = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    assert main(["sparql", text, *remote]) == 2
    assert "SERVICE" in capsys.readouterr().err
    hidden = "SELECT * WHERE { SERV\\u0049CE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    assert main(["sparql", hidden, *remote]) == 2


def test_the_cli_loads_and_queries_a_named_endpoint(
    oxigraph_server,  # type: ignore[no-untyped-def]
    example: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = tmp_path / "coopkg.toml"
    config.write_text(
        "[endpoints.lab]\n"
        f'query = "{oxigraph_server.query}"\n'
        f'update = "{oxigraph_server.update}"\n'
        f'graph-store = "{oxigraph_server.graph_store}"\n'
        "timeout = 30\n"
    )
    monkeypatch.setenv("COOPKG_CONFIG", str(config))
    assert main(["load", str(example), "--endpoint", "lab"]) == 0
    assert "endpoint" in capsys.readouterr().out  # loaded, or unchanged when an earlier test did
    assert main(["query", "partners", "-p", "region=Nagqu", "--endpoint", "lab", "--format", "csv"]) == 0
    assert "Liaoning" in capsys.readouterr().out
    config.write_text("[endpoints.lab]\nquery = 'http://127.0.0.1:1/q'\ncolour = 'blue'\n")
    assert main(["query", "partners", "-p", "region=Nagqu", "--endpoint", "lab"]) == 2
    assert "colour: unknown key" in capsys.readouterr().err


def test_a_refused_or_failed_load_changes_nothing_on_the_server(
    oxigraph_server,  # type: ignore[no-untyped-def]
    dataset,  # type: ignore[no-untyped-def]
    example: Path,
    reference: Reference,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    endpoint = Endpoint(config(oxigraph_server))
    with Store() as staging:
        load(example, staging, reference, target=endpoint)
    before = endpoint.run("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    broken = dataset("broken")  # a dataset with violations: refused before anything is sent
    with Store() as staging, pytest.raises(SubmissionRefused):
        load(broken, staging, reference, target=endpoint)
    # A failure halfway through the upload: the staging graphs are dropped, the graph unchanged.
    calls = 0
    original = Endpoint._upload

    def failing(self: Endpoint, graph: NamedNode, quads) -> None:  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        original(self, graph, quads)
        raise OSError("the network went away")

    monkeypatch.setattr(Endpoint, "_upload", failing)
    changed = revised(example, tmp_path, "(2023, revised)")
    with Store() as staging, pytest.raises(OSError, match="went away"):
        load(changed, staging, reference, target=Endpoint(config(oxigraph_server)))
    monkeypatch.undo()
    assert calls == 1
    after = Endpoint(config(oxigraph_server))
    assert after.run("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == before
    assert after.collect_garbage() == 0
    title = after.run(
        f"SELECT ?t WHERE {{ {graph_iri('tibet-expo-2023')} <http://purl.org/dc/terms/title> ?t }}"
    )
    assert isinstance(title, Table) and "revised" not in title.values()[0]["t"]


# -- a scripted HTTP server, for answers real servers do not give on demand -------------------

_JSON_ROWS = json.dumps(
    {
        "head": {"vars": ["s"]},
        "results": {"bindings": [{"s": {"type": "uri", "value": "https://example.org/s"}}]},
    }
).encode()


class _Answering:
    """A server on 127.0.0.1 that answers each request with the next (status, body) of a script."""

    def __init__(self, script: list[tuple[int, bytes]]) -> None:
        self.script = list(script)

    def __enter__(self) -> str:
        script = self.script

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status, body = script.pop(0) if len(script) > 1 else script[0]
                self.send_response(status)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}/sparql"

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port  # closed again: nothing listens there


def test_references_to_another_dataset_resolve_on_the_server(
    oxigraph_server,  # type: ignore[no-untyped-def]
    dataset,  # type: ignore[no-untyped-def]
    reference: Reference,
    tmp_path: Path,
) -> None:
    endpoint = Endpoint(config(oxigraph_server))
    followup = tmp_path / "followup"
    followup.mkdir()
    (followup / "manifest.toml").write_text(
        'id = "followup-remote"\ntitle = "Refers to the minimal dataset"\n'
        'licence = "https://creativecommons.org/licenses/by/4.0/"\npublisher = "coopkg tests"\n\n'
        '[[sources]]\nid = "later"\ntitle = "A later article"\npublisher = "Test Daily"\n'
        "released = 2024-02-01\n",
        encoding="utf-8",
    )
    (followup / "activities.csv").write_text(
        "id,agreement,sequence,name,source\nact-1,minimal:a1,1,exchange visits,later\n", encoding="utf-8"
    )
    with Store() as staging, pytest.raises(SubmissionRefused) as refused:  # minimal is not there yet
        load(followup, staging, reference, target=endpoint)
    assert [(p.file, p.line, p.field) for p in refused.value.problems if p.severity.value == "violation"] == [
        ("activities.csv", 2, "agreement")
    ]
    with Store() as staging:
        load(dataset("minimal"), staging, reference, target=endpoint)
    with Store() as staging:
        assert load(followup, staging, reference, target=endpoint).status in ("loaded", "replaced")
