"""coopkg provenance IRI: where a node comes from, down to the file and line of its record."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from typing import TextIO

from coopkg.cli.options import add_store, open_store
from coopkg.lineage import trace

HELP = "say where a node comes from: dataset, input file and line, load, and the documents stating it"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("iri", help="the node's IRI, or id:… (e.g. id:tibet-expo-2023/mechanism/…)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    add_store(parser)


def run(args: argparse.Namespace, out: TextIO) -> int:
    with open_store(args) as store:
        lineage = trace(store, args.iri)
    if args.format == "json":
        out.write(json.dumps(asdict(lineage), ensure_ascii=False, indent=1) + "\n")
    else:
        out.write(lineage.describe() + "\n")
    return 0
