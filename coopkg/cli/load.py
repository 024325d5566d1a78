"""coopkg load DATASET: validate a dataset and put it in the store, whole or not at all."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from coopkg.cli.options import add_store, open_store
from coopkg.ingest import load
from coopkg.reference import Reference
from coopkg.report import render_problems

HELP = "validate a dataset and load it into the store (exit 1 and no change when it has violations)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dataset", type=Path, help="a dataset folder (manifest.toml and records)")
    add_store(parser)
    parser.add_argument(
        "--warnings-as-errors",
        "--strict",
        dest="strict",
        action="store_true",
        help="refuse the dataset when it has warnings too",
    )


def run(args: argparse.Namespace, out: TextIO) -> int:
    with open_store(args, create=True) as store:
        report = load(args.dataset, store, Reference.bundled(), strict=args.strict)
    if report.problems:
        out.write(render_problems(report.problems, "text") + "\n")
    if report.status == "unchanged":
        out.write(f"{report.dataset}: unchanged (the store already holds these files)\n")
    else:
        out.write(
            f"{report.dataset}: {report.status}, {report.triples} triples "
            f"in graph <{report.graph.value}> of store {store.path}\n"
        )
    return 0
