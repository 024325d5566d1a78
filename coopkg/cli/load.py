"""coopkg load DATASET: validate a dataset and put it in the store, whole or not at all."""

from __future__ import annotations

import argparse
import contextlib
import tempfile
from pathlib import Path
from typing import TextIO

from coopkg.backend import Embedded
from coopkg.cli.options import add_backend, add_encoding, open_backend
from coopkg.ingest import IN_MEMORY, load
from coopkg.progress import Progress
from coopkg.reference import Reference
from coopkg.reports import render_problems
from coopkg.store import Store

HELP = "validate a dataset and load it into the store (exit 1 and no change when it has violations)"


def configure(parser: argparse.ArgumentParser) -> None:
    add_encoding(parser)
    parser.add_argument("dataset", type=Path, help="a dataset folder (manifest.toml and records)")
    add_backend(parser)
    parser.add_argument(
        "--warnings-as-errors",
        "--strict",
        dest="strict",
        action="store_true",
        help="refuse the dataset when it has warnings too",
    )
    parser.add_argument(
        "--quarantine",
        type=Path,
        metavar="DIR",
        help="load the valid records and write the refused ones (and those that point at them) to DIR, "
        "in their original format, with problems.txt; exit 1 when any record was refused",
    )
    parser.add_argument(
        "--in-memory",
        type=int,
        default=IN_MEMORY,
        metavar="RECORDS",
        help="validate datasets of up to this many records in a copy in memory: faster, about 0.5 KB "
        f"per triple; larger ones are validated on disk in flat memory (default: {IN_MEMORY:,})",
    )


def run(args: argparse.Namespace, out: TextIO) -> int:
    with contextlib.ExitStack() as stack:
        backend = stack.enter_context(open_backend(args, create=True))
        if isinstance(backend, Embedded):
            store, target, where = backend.store, None, f"store {backend.store.path}"
        else:  # staged and validated in a store of our own, then written to the endpoint
            # RocksDB may still be finishing a write when an error unwinds: leave a straggling file
            # in /tmp rather than hide the error behind a failed cleanup
            scratch = stack.enter_context(tempfile.TemporaryDirectory(ignore_cleanup_errors=True))
            store = stack.enter_context(Store(scratch))
            target, where = backend, backend.describe()
        report = load(
            args.dataset,
            store,
            Reference.bundled(),
            strict=args.strict,
            quarantine=args.quarantine,
            encoding=args.encoding,
            progress=Progress(),
            in_memory=args.in_memory,
            target=target,
        )
    if report.problems:
        out.write(render_problems(report.problems, "text") + "\n")
    if report.status == "unchanged":
        out.write(f"{report.dataset}: unchanged (the {where.split()[0]} already holds these files)\n")
    else:
        out.write(
            f"{report.dataset}: {report.status}, {report.triples} triples "
            f"in graph <{report.graph.value}> of {where}\n"
        )
    if report.quarantined:
        refused = len({(p.file, p.line) for p in report.problems if p.severity.value == "violation"})
        out.write(f"{refused} record(s) refused and written to {args.quarantine} (see problems.txt there)\n")
        return 1
    return 0
