"""coopkg diff DATASET: what loading a dataset would add to and remove from its graph."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from pyoxigraph import Quad

from coopkg.cli.options import add_encoding, add_store, open_store
from coopkg.ingest import diff
from coopkg.reference import Reference
from coopkg.reports import render_problems
from coopkg.results import compact

HELP = "show what loading a dataset would add and remove, without loading it"


def configure(parser: argparse.ArgumentParser) -> None:
    add_encoding(parser)
    parser.add_argument("dataset", type=Path, help="a dataset folder")
    parser.add_argument("--limit", type=int, default=50, help="triples shown per side (default 50; 0: all)")
    add_store(parser)


def _line(sign: str, quad: Quad) -> str:
    return f"{sign} {compact(quad.subject)} {compact(quad.predicate)} {quad.object}"


def run(args: argparse.Namespace, out: TextIO) -> int:
    with open_store(args, create=True) as store:
        result = diff(args.dataset, store, Reference.bundled(), encoding=args.encoding)
    if result.problems:
        out.write(render_problems(result.problems, "text") + "\n")
    out.write(f"{result.dataset}: +{len(result.added)} triples, -{len(result.removed)} triples\n")
    for sign, quads in (("+", result.added), ("-", result.removed)):
        shown = quads if args.limit == 0 else quads[: args.limit]
        out.writelines(_line(sign, q) + "\n" for q in shown)
        if len(shown) < len(quads):
            out.write(f"{sign} … {len(quads) - len(shown)} more (--limit 0 shows all)\n")
    return 0
