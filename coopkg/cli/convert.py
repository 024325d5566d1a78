"""coopkg convert DATASET: the dataset as RDF in a file, without a store (validated unless told not to)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TextIO

from pyoxigraph import serialize

from coopkg.cli.options import add_encoding
from coopkg.errors import SubmissionRefused
from coopkg.export import EXPORT_FORMATS
from coopkg.ingest import check
from coopkg.loaders import read_dataset
from coopkg.reference import Reference
from coopkg.report import render_problems
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
    reference = Reference.bundled()
    started = dt.datetime.now(dt.UTC)
    if args.no_validate:
        submission = read_dataset(args.dataset, reference, encoding=args.encoding)
        problems = submission.problems
    else:
        checked = check(args.dataset, reference, encoding=args.encoding)
        submission, problems = checked.submission, checked.problems
    if any(p.severity.value == "violation" for p in problems):
        raise SubmissionRefused(submission.manifest.id, problems)
    if problems:
        sys.stderr.write(render_problems(problems, "text") + "\n")
    quads = submission.quads(started=started, ended=dt.datetime.now(dt.UTC))
    rdf_format = EXPORT_FORMATS[args.format]
    data = quads if rdf_format.supports_datasets else [q.triple for q in quads]
    prefixes = PREFIXES if args.format in ("ttl", "trig") else None
    if args.output:
        with args.output.open("wb") as stream:
            serialize(data, stream, format=rdf_format, prefixes=prefixes)
        sys.stderr.write(f"wrote {len(quads)} triples to {args.output}\n")
    else:
        out.flush()
        serialize(data, sys.stdout.buffer, format=rdf_format, prefixes=prefixes)
        sys.stdout.buffer.flush()
    return 0
