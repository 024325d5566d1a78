"""coopkg export: write the store's data as Turtle, N-Triples, N-Quads, TriG or JSON-LD."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from coopkg.cli.options import add_store, open_store
from coopkg.export import EXPORT_FORMATS, export

HELP = "write the store's data (nq and trig keep the named graphs)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", "-f", choices=sorted(EXPORT_FORMATS), default="nq")
    parser.add_argument("--output", "-o", type=Path, metavar="FILE", help="default: standard output")
    add_store(parser)


def run(args: argparse.Namespace, out: TextIO) -> int:
    with open_store(args) as store:
        if args.output:
            with args.output.open("wb") as stream:
                count = export(store, stream, args.format)
            sys.stderr.write(f"wrote {count} quads to {args.output}\n")
        else:
            out.flush()
            export(store, sys.stdout.buffer, args.format)
            sys.stdout.buffer.flush()
    return 0
