"""coopkg validate DATASET: check a dataset against the shapes without loading it."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from coopkg.cli.options import add_encoding, add_lang
from coopkg.ingest import check
from coopkg.reference import Reference
from coopkg.report import REPORT_FORMATS, render_problems

HELP = "check a dataset (exit 0 conforms, 1 violations, 2 usage or input error)"


def configure(parser: argparse.ArgumentParser) -> None:
    add_encoding(parser)
    parser.add_argument("dataset", type=Path, help="a dataset folder (manifest.toml and records)")
    parser.add_argument("--format", choices=REPORT_FORMATS, default="text")
    add_lang(parser)
    parser.add_argument(
        "--engine",
        choices=("sparql", "pyshacl"),
        default="sparql",
        help="sparql: the shapes compiled to SPARQL on Oxigraph (default, fast); pyshacl: the reference",
    )


def run(args: argparse.Namespace, out: TextIO) -> int:
    checked = check(
        args.dataset, Reference.bundled(), language=args.lang, encoding=args.encoding, engine=args.engine
    )
    out.write(render_problems(checked.problems, args.format) + "\n")
    return 0 if checked.conforms else 1
