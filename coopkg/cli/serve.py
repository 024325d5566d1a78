"""coopkg serve: answer SPARQL 1.1 Protocol queries over the store, read-only, until stopped."""

from __future__ import annotations

import argparse
import signal
from collections.abc import Callable
from types import FrameType
from typing import TextIO

from coopkg.cli.options import add_store, open_store
from coopkg.errors import CoopkgError
from coopkg.protocol import DEFAULT_MAX_ROWS, DEFAULT_PORT, DEFAULT_TIMEOUT, open_server

HELP = "serve the store read-only on 127.0.0.1: a SPARQL 1.1 endpoint, and a page for every resource"

EPILOG = """\
The endpoint is read-only: SPARQL Update is refused (403), because every write must pass the SHACL
gate of 'coopkg load'; the store stays locked against loads while it is served. SERVICE, and FROM /
FROM NAMED naming graphs the store does not have, are refused (400).

Queries: GET /sparql?query=..., or POST a form (query=...) or application/sparql-query; results by
the Accept header or format= (json, xml, csv, tsv; turtle, nt, rdfxml, jsonld). A query that runs
longer than --timeout is stopped (503); a result longer than --max-rows is cut and answered with
status 206 and the header X-SPARQL-MaxRows. Stop with Ctrl-C or SIGTERM.

Pages: open the server's / in a browser (the datasets, the most connected regions), /queries for
the query catalogue. Every resource https://w3id.org/coopkg/PATH is served at /PATH: an HTML page,
or Turtle, N-Triples or JSON-LD by the Accept header or ?format=ttl|nt|jsonld.

example:
  coopkg serve --store out/demo-store --port 0
"""


class _Stopped(BaseException):
    """SIGTERM arrived: leave serve_forever and shut down cleanly."""


def _positive(kind: type[int] | type[float]) -> Callable[[str], int | float]:
    def parse(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from exc
        if value <= 0:
            raise argparse.ArgumentTypeError(f"{text!r}: give a number above 0")
        return value

    return parse


def configure(parser: argparse.ArgumentParser) -> None:
    """The command's options and help."""
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = EPILOG
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port (default: {DEFAULT_PORT}; 0 picks a free one)"
    )
    parser.add_argument(
        "--timeout",
        type=_positive(float),
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"stop a query after this long, answering 503 (default: {DEFAULT_TIMEOUT:g})",
    )
    parser.add_argument(
        "--max-rows",
        type=_positive(int),
        default=DEFAULT_MAX_ROWS,
        metavar="N",
        help=f"answer at most N rows or triples, with status 206 when cut (default: {DEFAULT_MAX_ROWS})",
    )
    parser.add_argument(
        "--workers", type=_positive(int), default=2, metavar="N", help="queries run at once (default: 2)"
    )
    add_store(parser)


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Serve until SIGTERM (exit 0) or Ctrl-C (KeyboardInterrupt: the CLI exits 130)."""
    if not 0 <= args.port <= 65535:
        raise CoopkgError(f"--port {args.port}: give a port from 0 to 65535")
    with open_store(args) as store:  # the usual checks and messages; recovers the store if it must
        path = store.path
    assert path is not None

    def stop(signum: int, frame: FrameType | None) -> None:
        raise _Stopped

    with open_server(
        path,
        host=args.host,
        port=args.port,
        timeout=args.timeout,
        max_rows=args.max_rows,
        workers=args.workers,
    ) as server:
        out.write(server.url + "\n")
        out.write(f"pages: {server.url.removesuffix('/sparql')}/\n")
        out.flush()
        previous = signal.signal(signal.SIGTERM, stop)
        try:
            server.serve_forever()
        except _Stopped:
            return 0
        finally:
            signal.signal(signal.SIGTERM, previous)
    return 0
