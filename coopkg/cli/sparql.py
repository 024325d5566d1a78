"""coopkg sparql QUERY|FILE: run any SPARQL query over the store (read only)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from pyoxigraph import RdfFormat, serialize

from coopkg.cli.options import add_backend, open_backend
from coopkg.errors import CoopkgError
from coopkg.results import FORMATS, render
from coopkg.sparql_safety import check_query
from coopkg.table import Table
from coopkg.vocab import PREFIXES

HELP = "run a SPARQL query given as text or as a file (SERVICE is refused)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", help="the query text, or the path of a .rq file")
    parser.add_argument("--format", "-f", choices=FORMATS, default="table")
    add_backend(parser)


def query_text(arg: str) -> str:
    """The argument itself, or the content of the file it names."""
    if "\n" in arg or "{" in arg:
        return arg
    path = Path(arg)
    if path.suffix == ".rq" or path.is_file():
        try:
            return path.read_text(encoding="utf-8")
        except OSError as exc:
            raise CoopkgError(f"cannot read the query file {arg}: {exc.strerror}") from exc
    return arg


def run(args: argparse.Namespace, out: TextIO) -> int:
    text = query_text(args.query)
    check_query(text)
    with open_backend(args) as backend:
        result = backend.run(text)
    if isinstance(result, Table):
        out.write(render(result, args.format).rstrip("\n") + "\n")
    elif isinstance(result, bool):
        out.write(("true" if result else "false") + "\n")
    else:
        data = serialize(result, format=RdfFormat.TURTLE, prefixes=PREFIXES)
        out.write((data or b"").decode("utf-8"))
    return 0
