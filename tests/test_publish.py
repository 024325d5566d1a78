"""coopkg publish against real servers (the Oxigraph server and Virtuoso 7, from tests/servers.py).

A store holding the founding example, a second dataset, the reference graphs and the inferred
graph is pushed to each server: the first push sends everything and the server then holds each
graph as the store does (compared as graphs, blank nodes and all); a second push sends nothing;
a dataset and its summary arrive in one update; a push stopped half-way, then run again, leaves
exactly one copy of each graph and no staging graph; a changed dataset sends only its graph and
its summary; graphs the store no longer holds go only with --prune. Expected triple counts are
the store's own, so the tests hold whatever the ontology grows. Each test starts from a server
holding none of coopkg's graphs.
"""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from pathlib import Path

import pytest
from pyoxigraph import (
    CanonicalizationAlgorithm,
    Dataset,
    DefaultGraph,
    NamedNode,
    Quad,
    RdfFormat,
    Triple,
    parse,
)

from coopkg.cli import main
from coopkg.endpoint import REGISTRY, Endpoint, EndpointConfig
from coopkg.errors import CoopkgError
from coopkg.ingest import load
from coopkg.publishing import fingerprint, publish
from coopkg.reasoning import reason
from coopkg.reference import Reference
from coopkg.store import Store
from coopkg.table import Table
from coopkg.vocab import INFERRED_GRAPH, ONTOLOGY_GRAPH, REGIONS_GRAPH, graph_iri, summary_graph

SERVERS = ["oxigraph", "virtuoso"]
EXAMPLE = graph_iri("tibet-expo-2023")
MINIMAL = graph_iri("minimal")
EXAMPLE_SUMMARY, MINIMAL_SUMMARY = summary_graph(EXAMPLE), summary_graph(MINIMAL)
STAGING = "https://w3id.org/coopkg/store/staging/"
MINIMAL_DATASET = Path(__file__).parent / "fixtures" / "datasets" / "minimal"


@pytest.fixture(scope="module")
def base_store(tmp_path_factory: pytest.TempPathFactory, example: Path, reference: Reference) -> Path:
    """A store on disk: the example, the minimal dataset, reference graphs, inferences (closed)."""
    path = tmp_path_factory.mktemp("publish") / "store"
    with Store(path) as store:
        load(example, store, reference)
        load(MINIMAL_DATASET, store, reference)
        assert reason(store, method="rules").consistent
    return path


@pytest.fixture
def store_path(base_store: Path, tmp_path: Path) -> Path:
    """A copy of the base store that a test may change."""
    return Path(shutil.copytree(base_store, tmp_path / "store"))


def configured(server, *, gsp: bool = True) -> EndpointConfig:  # type: ignore[no-untyped-def]
    graph_store = server.graph_store if gsp else None
    return EndpointConfig(server.query, update=server.update, graph_store=graph_store, timeout=60)


def cli_options(server, *, gsp: bool = True) -> list[str]:  # type: ignore[no-untyped-def]
    options = ["--endpoint", server.query, "--update-endpoint", server.update]
    return [*options, "--graph-store", server.graph_store] if gsp else options


def _wipe(endpoint: Endpoint) -> None:
    endpoint.collect_garbage()
    endpoint.replace({g: [] for g in endpoint.graphs()})


@pytest.fixture(params=SERVERS)
def server(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """Each server in turn, holding none of coopkg's graphs (before and after the test)."""
    running = request.getfixturevalue(f"{request.param}_server")
    _wipe(Endpoint(configured(running)))
    yield running
    _wipe(Endpoint(configured(running)))


@pytest.fixture(
    params=[("oxigraph", True), ("oxigraph", False), ("virtuoso", True)],
    ids=["oxigraph-graph-store", "oxigraph-update-only", "virtuoso-graph-store"],
)
def remote(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """A server and whether uploads use its Graph Store Protocol endpoint (else INSERT DATA).
    Virtuoso takes no blank nodes in INSERT DATA: see test_virtuoso_without_its_graph_store."""
    name, gsp = request.param
    running = request.getfixturevalue(f"{name}_server")
    _wipe(Endpoint(configured(running)))
    yield running, gsp
    _wipe(Endpoint(configured(running)))


def held(server, graph: NamedNode) -> list[Triple]:  # type: ignore[no-untyped-def]
    """A graph as the server gives it by the Graph Store Protocol (empty when it has none)."""
    url = server.graph_store + "?" + urllib.parse.urlencode({"graph": graph.value})
    request = urllib.request.Request(url, headers={"Accept": "application/n-triples"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            body = response.read()
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return []
        raise
    return [q.triple for q in parse(body, format=RdfFormat.N_TRIPLES)]


def canonical(triples: Iterable[Quad | Triple]) -> Dataset:
    dataset = Dataset(Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in triples)
    dataset.canonicalize(CanonicalizationAlgorithm.UNSTABLE)
    return dataset


def staging_graphs(endpoint: Endpoint) -> list[str]:
    """Staging graphs on the server, and staging graphs its registry lists."""
    table = endpoint._query(
        f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{STAGING}")) }}',
        default=[],
        named=[],
    )
    listed = endpoint._query(
        f"SELECT ?s WHERE {{ GRAPH {REGISTRY} {{ ?s <https://w3id.org/coopkg/store/stagingOf> ?g }} }}",
        default=[REGISTRY],
        named=[REGISTRY],
    )
    assert isinstance(table, Table) and isinstance(listed, Table)
    return sorted({str(c) for row in [*table.rows, *listed.rows] for c in row})


def publish_order(store: Store) -> list[NamedNode]:
    """The store's graphs in the order a push sends them: reference data, each dataset followed by
    its summary, the inferences last."""
    order = [
        ONTOLOGY_GRAPH,
        REGIONS_GRAPH,
        MINIMAL,
        MINIMAL_SUMMARY,
        EXAMPLE,
        EXAMPLE_SUMMARY,
        INFERRED_GRAPH,
    ]
    assert sorted(order, key=lambda g: g.value) == store.graphs(), "each graph of the store has its place"
    return order


def line(word: str, store: Store, graph: NamedNode, name: str) -> str:
    """A line of the command's output, with the number of triples the store holds in ``graph``."""
    return f"{word:<12} {name} ({store.count(graph):,} triples)"


def assert_server_holds_the_store(  # type: ignore[no-untyped-def]
    server, store: Store, graphs: list[NamedNode] | None = None
) -> None:
    """Each graph of the store (or of ``graphs``) is on the server as a graph (blank nodes and
    all), once, with the fingerprint recorded; the server lists no other graph of coopkg's, and no
    staging graph."""
    endpoint = Endpoint(configured(server))
    graphs = store.graphs() if graphs is None else graphs
    assert set(endpoint.graphs()) == set(graphs)
    recorded = endpoint.fingerprints()
    for graph in graphs:
        remote = held(server, graph)
        assert len(remote) == store.count(graph) == endpoint.count(graph), graph
        assert canonical(remote) == canonical(store.quads(graph)), graph
        assert recorded[graph] == str(fingerprint(store.quads(graph))) == str(fingerprint(remote))
    assert staging_graphs(endpoint) == []


# -- the library -----------------------------------------------------------------------------


def test_the_first_push_sends_everything_and_the_second_nothing(  # type: ignore[no-untyped-def]
    remote, store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server, gsp = remote
    endpoint = Endpoint(configured(server, gsp=gsp))
    with Store(store_path) as store:
        report = publish(store, endpoint)
        order = publish_order(store)
        assert [o.graph for o in report.outcomes] == order, "reference data first, the inferences last"
        assert {o.action for o in report.outcomes} == {"sent"}
        assert [o.triples for o in report.outcomes] == [store.count(o.graph) for o in report.outcomes]
        assert_server_holds_the_store(server, store)

        writes: list[str] = []
        monkeypatch.setattr(Endpoint, "update", lambda self, sparql: writes.append(sparql))
        monkeypatch.setattr(Endpoint, "_upload", lambda self, graph, quads: writes.append(graph.value))
        again = publish(store, Endpoint(configured(server, gsp=gsp)))
        assert {o.action for o in again.outcomes} == {"skipped"}
        assert writes == [], "a second push writes nothing"
        assert again.summary().endswith(f": 0 graphs sent (0 triples), {len(order)} unchanged, 0 removed.")


def test_a_dataset_and_its_summary_arrive_in_one_update(  # type: ignore[no-untyped-def]
    server, store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never a new dataset beside an old summary: both are moved onto their names by one update,
    both are sent when either differs, and a push stopped between their uploads sends neither."""
    endpoint = Endpoint(configured(server))
    update, upload = Endpoint.update, Endpoint._upload
    moves: list[list[str]] = []  # the graphs each update moves onto their names

    def recorded(self: Endpoint, sparql: str) -> None:
        if "MOVE" in sparql:
            moves.append(re.findall(r"MOVE SILENT GRAPH <[^>]+> TO GRAPH <([^>]+)>", sparql))
        update(self, sparql)

    with Store(store_path) as store:
        order = publish_order(store)
        monkeypatch.setattr(Endpoint, "update", recorded)
        publish(store, endpoint)
        assert moves == [
            [ONTOLOGY_GRAPH.value],
            [REGIONS_GRAPH.value],
            [MINIMAL.value, MINIMAL_SUMMARY.value],
            [EXAMPLE.value, EXAMPLE_SUMMARY.value],
            [INFERRED_GRAPH.value],
        ]

        moves.clear()
        endpoint.replace({EXAMPLE_SUMMARY: []})  # the server lost the summary, not the dataset
        report = publish(store, endpoint)
        assert [o.graph for o in report.of("sent")] == [EXAMPLE, EXAMPLE_SUMMARY]
        assert moves == [[EXAMPLE.value, EXAMPLE_SUMMARY.value]]
        assert_server_holds_the_store(server, store)

        _wipe(endpoint)
        uploads = 0

        def interrupted_between_dataset_and_summary(
            self: Endpoint, graph: NamedNode, quads: Iterable[Quad]
        ) -> bool:
            nonlocal uploads
            uploads += 1
            if uploads == order.index(MINIMAL_SUMMARY) + 1:
                raise KeyboardInterrupt
            return upload(self, graph, quads)

        monkeypatch.setattr(Endpoint, "_upload", interrupted_between_dataset_and_summary)
        seen: list[NamedNode] = []
        with pytest.raises(KeyboardInterrupt):
            publish(store, endpoint, progress=lambda o: seen.append(o.graph))
        assert uploads == order.index(MINIMAL_SUMMARY) + 1, "the dataset was uploaded before its summary"
        assert seen == endpoint.graphs() == [ONTOLOGY_GRAPH, REGIONS_GRAPH], "neither dataset nor summary"
        assert staging_graphs(endpoint) == []


# Runs `coopkg publish` and kills the process (SIGKILL: no cleanup runs) in the middle of the
# second graph's upload, half of it sent.
_KILLED = """
import os, signal, sys
from coopkg.cli import main
from coopkg.endpoint import Endpoint

upload, calls = Endpoint._upload, []

def dies_in_the_second_graph(self, graph, quads):
    calls.append(graph)
    if len(calls) < 2:
        return upload(self, graph, quads)
    triples = list(quads)
    upload(self, graph, triples[: len(triples) // 2])
    os.kill(os.getpid(), signal.SIGKILL)

Endpoint._upload = dies_in_the_second_graph
sys.exit(main(sys.argv[1:]))
"""


def test_a_push_killed_half_way_is_finished_by_running_it_again(  # type: ignore[no-untyped-def]
    remote, store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server, gsp = remote
    options = ["--store", str(store_path), *cli_options(server, gsp=gsp)]
    with Store(store_path) as store:
        ontology, regions = (
            line("sent", store, ONTOLOGY_GRAPH, "ontology"),
            line("sent", store, REGIONS_GRAPH, "regions"),
        )
        unchanged = line("unchanged", store, ONTOLOGY_GRAPH, "ontology")
        rest = len(publish_order(store)) - 1
    killed = subprocess.run(
        [sys.executable, "-c", _KILLED, "publish", *options],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert killed.stdout.splitlines() == [ontology]

    endpoint = Endpoint(configured(server))
    with Store(store_path) as store:
        # The first unit is there whole; the second is not there at all, half in a staging graph.
        assert endpoint.graphs() == [ONTOLOGY_GRAPH]
        assert canonical(held(server, ONTOLOGY_GRAPH)) == canonical(store.quads(ONTOLOGY_GRAPH))
        assert held(server, REGIONS_GRAPH) == []
        assert len(staging_graphs(endpoint)) == 1

    assert main(["publish", *options]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{unchanged}\n{regions}\n")
    assert f"{rest} graphs sent" in out and "1 unchanged" in out
    assert "Dropped 1 staging graph an interrupted push left." in out
    with Store(store_path) as store:
        assert_server_holds_the_store(server, store)


def test_ctrl_c_stops_a_push_between_whole_graphs(  # type: ignore[no-untyped-def]
    server, store_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    uploads = 0
    upload = Endpoint._upload

    def interrupted_in_the_second_graph(self: Endpoint, graph: NamedNode, quads: Iterable[Quad]) -> bool:
        nonlocal uploads
        uploads += 1
        if uploads == 2:
            raise KeyboardInterrupt
        return upload(self, graph, quads)

    monkeypatch.setattr(Endpoint, "_upload", interrupted_in_the_second_graph)
    options = ["--store", str(store_path), *cli_options(server)]
    assert main(["publish", *options]) == 130
    with Store(store_path) as store:
        assert capsys.readouterr().out.splitlines() == [line("sent", store, ONTOLOGY_GRAPH, "ontology")]
        rest = [g for g in publish_order(store) if g != ONTOLOGY_GRAPH]
        triples = sum(store.count(g) for g in rest)
    monkeypatch.undo()
    assert Endpoint(configured(server)).graphs() == [ONTOLOGY_GRAPH]
    assert staging_graphs(Endpoint(configured(server))) == [], "an interrupted push tidies up"
    assert main(["publish", *options]) == 0
    assert f"{len(rest)} graphs sent ({triples:,} triples), 1 unchanged" in capsys.readouterr().out
    with Store(store_path) as store:
        assert_server_holds_the_store(server, store)


def test_a_push_whose_answer_was_lost_is_not_sent_twice(  # type: ignore[no-untyped-def]
    server, store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    update = Endpoint.update

    def lost_answer(self: Endpoint, sparql: str) -> None:
        update(self, sparql)
        if "MOVE" in sparql:  # the server moved the graph, the answer never came back
            raise CoopkgError("update: cannot reach the server (connection reset)")

    monkeypatch.setattr(Endpoint, "update", lost_answer)
    with Store(store_path) as store, pytest.raises(CoopkgError, match="connection reset"):
        publish(store, Endpoint(configured(server)))
    monkeypatch.undo()
    endpoint = Endpoint(configured(server))
    with Store(store_path) as store:
        report = publish(store, endpoint)
        assert [(o.graph, o.action) for o in report.outcomes][:2] == [
            (ONTOLOGY_GRAPH, "skipped"),
            (REGIONS_GRAPH, "sent"),
        ]
        assert_server_holds_the_store(server, store)


def test_a_changed_dataset_sends_only_its_graph_and_summary(  # type: ignore[no-untyped-def]
    server, store_path: Path, example: Path, reference: Reference, tmp_path: Path
) -> None:
    endpoint = Endpoint(configured(server))
    revised = tmp_path / example.name
    shutil.copytree(example, revised)
    manifest = revised / "manifest.toml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace("(2023)", "(2023, revised)"), encoding="utf-8"
    )
    with Store(store_path) as store:
        publish(store, endpoint)
        assert load(revised, store, reference).status == "replaced"
        report = publish(store, endpoint)
        assert [o.graph for o in report.of("sent")] == [EXAMPLE, EXAMPLE_SUMMARY], "with its summary"
        assert [o.graph for o in report.of("skipped")] == [
            g for g in publish_order(store) if g not in (EXAMPLE, EXAMPLE_SUMMARY)
        ]
        assert_server_holds_the_store(server, store)


def test_graphs_the_store_no_longer_holds_go_only_with_prune(  # type: ignore[no-untyped-def]
    server, store_path: Path
) -> None:
    endpoint = Endpoint(configured(server))
    with Store(store_path) as store:
        publish(store, endpoint)
        triples, summarized = store.count(MINIMAL), store.count(MINIMAL_SUMMARY)
        assert store.drop(MINIMAL)  # its summary goes with it
        assert MINIMAL_SUMMARY not in store.graphs()
        kept = publish(store, endpoint)
        assert kept.of("sent") == []
        assert [(o.graph, o.triples) for o in kept.of("kept")] == [
            (MINIMAL, triples),
            (MINIMAL_SUMMARY, summarized),
        ]
        assert (
            "2 graphs on the server that the store does not hold were kept (--prune removes them)"
            in kept.summary()
        )
        assert endpoint.count(MINIMAL) == triples and endpoint.count(MINIMAL_SUMMARY) == summarized
        with pytest.raises(CoopkgError, match="cannot go with --graph"):
            publish(store, endpoint, graphs=["regions"], prune=True)
        pruned = publish(store, endpoint, prune=True)
        assert [(o.graph, o.action, o.triples) for o in pruned.of("removed")] == [
            (MINIMAL, "removed", triples),
            (MINIMAL_SUMMARY, "removed", summarized),
        ]
        assert held(server, MINIMAL) == held(server, MINIMAL_SUMMARY) == []
        assert_server_holds_the_store(server, store)


def test_virtuoso_without_its_graph_store(  # type: ignore[no-untyped-def]
    virtuoso_server, store_path: Path
) -> None:
    """Virtuoso 7 refuses blank nodes in INSERT DATA (and gives each mention of a blank node in an
    INSERT template a node of its own): graphs without them go by SPARQL Update, the ontology's
    OWL axioms (blank nodes) need the Graph Store Protocol, and the message says so."""
    _wipe(Endpoint(configured(virtuoso_server)))
    endpoint = Endpoint(configured(virtuoso_server, gsp=False))
    try:
        with Store(store_path) as store:
            plain = [g for g in publish_order(store) if g != ONTOLOGY_GRAPH]
            report = publish(store, endpoint, graphs=["regions", "minimal", "tibet-expo-2023", "inferred"])
            assert [(o.graph, o.action) for o in report.outcomes] == [(g, "sent") for g in plain]
            for graph in plain:
                assert canonical(held(virtuoso_server, graph)) == canonical(store.quads(graph))
            with pytest.raises(CoopkgError, match=r"no blank nodes in INSERT DATA.*give --graph-store"):
                publish(store, endpoint)
            assert ONTOLOGY_GRAPH not in endpoint.graphs() and staging_graphs(endpoint) == []
            assert publish(store, Endpoint(configured(virtuoso_server))).of("sent")[0].graph == ONTOLOGY_GRAPH
            assert_server_holds_the_store(virtuoso_server, store)
    finally:
        _wipe(Endpoint(configured(virtuoso_server)))


def test_the_fingerprint_ignores_order_and_blank_node_labels(
    base_store: Path, example: Path, reference: Reference
) -> None:
    with Store(base_store) as first, Store() as second:
        load(example, second, reference)  # the ontology parsed again: new blank node labels
        ontology = list(first.quads(ONTOLOGY_GRAPH))
        assert str(fingerprint(ontology)) == str(fingerprint(reversed(list(second.quads(ONTOLOGY_GRAPH)))))
        assert str(fingerprint(ontology)) != str(fingerprint(ontology[1:]))
        assert fingerprint(ontology).triples == first.count(ONTOLOGY_GRAPH)


# -- the command ------------------------------------------------------------------------------


def test_the_command_publishes_named_graphs_and_dry_runs(  # type: ignore[no-untyped-def]
    server, store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    options = ["--store", str(store_path), *cli_options(server)]
    with Store(store_path) as store:
        graphs = len(publish_order(store))
        example, dry = (
            [
                line(w, store, EXAMPLE, "tibet-expo-2023"),
                line(w, store, EXAMPLE_SUMMARY, "tibet-expo-2023/summary"),
            ]
            for w in ("sent", "would send")
        )
        regions = line("sent", store, REGIONS_GRAPH, "regions")
    assert main(["publish", "--dry-run", *options]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [x for x in out if "tibet-expo" in x] == dry
    assert f"{graphs} graphs would be sent" in out[-1]
    assert Endpoint(configured(server)).graphs() == [], "a dry run writes nothing"

    assert main(["publish", "--graph", "tibet-expo-2023", "--graph", "regions", *options]) == 0
    assert capsys.readouterr().out.splitlines()[:-1] == [regions, *example], "a dataset brings its summary"
    assert Endpoint(configured(server)).graphs() == [REGIONS_GRAPH, EXAMPLE, EXAMPLE_SUMMARY]
    assert main(["publish", "--graph", "regions", "--force", *options]) == 0
    assert capsys.readouterr().out.splitlines()[:-1] == [regions]
    assert main(["publish", "--graph", "tibet-expo-2023/summary", "--force", *options]) == 0
    assert capsys.readouterr().out.splitlines()[:-1] == example, "a summary goes with its dataset"

    assert main(["publish", "--graph", "nowhere", *options]) == 2
    err = capsys.readouterr().err
    assert "--graph nowhere: the store holds no such graph" in err and "tibet-expo-2023" in err
    assert main(["publish", "--prune", "--graph", "regions", *options]) == 2
    assert "cannot go with --graph" in capsys.readouterr().err


def test_the_command_needs_an_endpoint_that_takes_updates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "store"
    Store(store).close()
    assert main(["publish", "--store", str(store)]) == 2
    assert "publish needs --endpoint" in capsys.readouterr().err
    assert main(["publish", "--store", str(store), "--endpoint", "http://127.0.0.1:9/query"]) == 2
    assert "has no update endpoint: give --update-endpoint" in capsys.readouterr().err
    assert main(["publish", "--store", str(tmp_path / "none"), "--endpoint", "http://127.0.0.1:9/q"]) == 2
    assert "no store at" in capsys.readouterr().err
