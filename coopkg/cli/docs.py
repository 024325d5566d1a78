"""coopkg docs: the ontology's documentation as HTML, written offline, with its Turtle files."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from coopkg.ontology_docs import write_site

HELP = "write the ontology's HTML documentation and Turtle files to a folder (nothing is fetched)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--output",
        "-o",
        type=Path,
        default=Path("ontology-docs"),
        metavar="DIR",
        help="default: ontology-docs",
    )


def run(args: argparse.Namespace, out: TextIO) -> int:
    write_site(args.output)
    out.write(f"wrote {args.output / 'index.html'} and the ontology's Turtle files\n")
    return 0
