"""coopkg docs: the ontology's documentation as HTML, written offline, with its Turtle files."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from coopkg import resources
from coopkg.ontology_docs import bundled_graph, render

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
    args.output.mkdir(parents=True, exist_ok=True)
    (args.output / "index.html").write_text(render(bundled_graph()), encoding="utf-8")
    for file in resources.ontology_files():
        (args.output / file.name).write_bytes(file.read_bytes())
    out.write(f"wrote {args.output / 'index.html'} and the ontology's Turtle files\n")
    return 0
