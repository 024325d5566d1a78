"""coopkg convert DATASET: the dataset as RDF in a file, without a store (validated unless told not to)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from coopkg.cli.options import add_encoding
from coopkg.export import EXPORT_FORMATS
from coopkg.ingest import convert
from coopkg.reference import Reference
from coopkg.reports import render_problems
from coopkg.vocab import PREFIXES

HELP = "write a dataset as RDF (N-Triples by default) without a store; refused when it has violations"


def configure(parser: argparse.ArgumentParser) -> None:
    add_encoding(parser)
    parser.add_argument("dataset", type=Path, help="a dataset folder")
    parser.add_argument("--output", "-o", type=Path, metavar="FILE", help="default: standard output")
    parser.add_argument("--format", "-f", choices=sorted(EXPORT_FORMATS), default="nt")
    parser.add_argument(
        "--no-validate", action="store_true", help="skip the SHACL shapes (the loader's own checks still run)"
    )


def run(args: argparse.Namespace, out: TextIO) -> int:
    rdf_format = EXPORT_FORMATS[args.format]
    out.flush()
    count, problems = convert(
        args.dataset,
        args.output,
        Reference.bundled(),
        rdf_format=rdf_format,
        encoding=args.encoding,
        validate=not args.no_validate,
        prefixes=PREFIXES if args.format in ("ttl", "trig") else None,
        write=sys.stdout.buffer.write,
    )
    sys.stdout.buffer.flush()
    if problems:
        sys.stderr.write(render_problems(problems, "text") + "\n")
    if args.output:
        sys.stderr.write(f"wrote {count} triples to {args.output}\n")
    return 0
