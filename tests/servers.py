"""Real SPARQL servers for the tests: the Oxigraph server and Virtuoso 7, on 127.0.0.1.

Each fixture starts its server on a free port in a temporary folder and stops it by the PID it
started. A server that is missing is an error with what to install, never a skipped test:
``pip install -e '.[dev]'`` brings ``oxigraph``; ``tools/install-virtuoso.sh`` (run by ``make
test``) brings Virtuoso. Recipes: ../shared/notes/servers.md.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

VIRTUOSO_ROOT = Path("/var/lib/virtuoso-opensource-7/vsp")


@dataclass
class Server:
    """A running server: where it takes queries, updates and graphs, and how to stop it."""

    name: str
    query: str
    update: str
    graph_store: str
    process: subprocess.Popen[bytes]
    log: Path
    extra: dict[str, str] = field(default_factory=dict)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _wait(server: Server, probe: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(probe, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    server.stop()
    raise RuntimeError(
        f"{server.name} did not start; its log:\n{server.log.read_text(errors='replace')[-3000:]}"
    )


def _tool(name: str, install: str) -> str:
    found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail(f"{name} is not installed: {install}", pytrace=False)
    return found


def start_oxigraph(folder: Path) -> Server:
    """``oxigraph serve`` on a store in ``folder``."""
    binary = _tool("oxigraph", "pip install -e '.[dev]' (the PyPI package oxigraph)")
    port = free_port()
    log = folder / "oxigraph.log"
    process = subprocess.Popen(
        [binary, "serve", "--location", str(folder / "db"), "--bind", f"127.0.0.1:{port}"],
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    server = Server("oxigraph", f"{base}/query", f"{base}/update", f"{base}/store", process, log)
    _wait(server, f"{base}/query?query=ASK%7B%7D", 20)
    return server


_VIRTUOSO_INI = """\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql}
DirsAllowed = {db}
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {root}
ServerThreads = 4
[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 60
MaxQueryCostEstimationTime = 0
"""


def start_virtuoso(folder: Path, *, max_rows: int = 10_000) -> Server:
    """Virtuoso 7 with a new database in ``folder``; anonymous SPARQL Update granted."""
    binary = _tool("virtuoso-t", "run tools/install-virtuoso.sh (as root), or make test")
    isql = _tool("isql-vt", "run tools/install-virtuoso.sh (as root), or make test")
    db = folder / "virtuoso"
    db.mkdir(parents=True, exist_ok=True)
    sql, http = free_port(), free_port()
    ini = db / "virtuoso.ini"
    ini.write_text(_VIRTUOSO_INI.format(db=db, sql=sql, http=http, root=VIRTUOSO_ROOT, max_rows=max_rows))
    log = db / "server.log"
    process = subprocess.Popen(
        [binary, "+foreground", "+configfile", str(ini)],
        cwd=db,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{http}"
    server = Server(
        "virtuoso",
        f"{base}/sparql",
        f"{base}/sparql",
        f"{base}/sparql-graph-crud",
        process,
        log,
        extra={"auth-query": f"{base}/sparql-auth", "auth-graph-store": f"{base}/sparql-graph-crud-auth"},
    )
    _wait(server, f"{base}/sparql?query=ASK%7B%7D", 60)
    grant = subprocess.run(
        [isql, f"127.0.0.1:{sql}", "dba", "dba", 'EXEC=GRANT SPARQL_UPDATE TO "SPARQL";'],
        capture_output=True,
        timeout=60,
        check=False,
    )
    if grant.returncode != 0:
        server.stop()
        raise RuntimeError(f"isql-vt could not grant SPARQL_UPDATE: {grant.stdout!r} {grant.stderr!r}")
    return server


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph-server"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso-server"))
    yield server
    server.stop()


# -- coopkg's own server ---------------------------------------------------------------------------
Serving = tuple["subprocess.Popen[str]", str]


@contextmanager
def coopkg_serve(store: Path) -> Iterator[Serving]:
    """`coopkg serve` over a store on a free port: the process and the endpoint URL it printed.
    Stopped with SIGTERM at the end (killed if it lingers), unless the test stopped it."""
    coopkg = Path(sys.executable).with_name("coopkg")
    process = subprocess.Popen(
        [str(coopkg), "serve", "--store", str(store), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None and process.stderr is not None
        url = process.stdout.readline().strip()
        # no line: the server ended, and its errors say why
        assert url.startswith("http://127.0.0.1:") and url.endswith("/sparql"), url or process.stderr.read()
        yield process, url
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="session")
def serve_command() -> Callable[[Path], AbstractContextManager[Serving]]:
    """:func:`coopkg_serve`, for the test modules (tests/ is not a package)."""
    return coopkg_serve
