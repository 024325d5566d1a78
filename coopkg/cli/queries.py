"""coopkg queries: list the query catalogue."""

from __future__ import annotations

import argparse
from typing import TextIO

from coopkg.catalogue import catalogue

HELP = "list the named queries of the catalogue"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--verbose", "-v", action="store_true", help="show descriptions too")


def run(args: argparse.Namespace, out: TextIO) -> int:
    queries = catalogue()
    width = max(len(n) for n in queries)
    for name, query in queries.items():
        params = " ".join(f"{p.name}=<{p.type}>" for p in query.params)
        out.write(f"{name.ljust(width)}  {query.title}" + (f"  [{params}]" if params else "") + "\n")
        if args.verbose:
            out.write(f"{' ' * width}  {query.description}\n")
    return 0
