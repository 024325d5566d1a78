"""coopkg demo: build the bundled example into a store and answer the catalogue's questions."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import TextIO

from coopkg import resources
from coopkg.ingest import load
from coopkg.querying import ask
from coopkg.reasoning import reason
from coopkg.reference import Reference
from coopkg.results import render
from coopkg.store import Store

HELP = "build the bundled example (tibet-expo-2023) into a store and print the answers"

EXPO = "5th China Tibet Tourism and Culture International Expo"

#: The questions the founding example answers: (question, query, parameters).
QUESTIONS: list[tuple[str, str, dict[str, str]]] = [
    ("Which regions cooperate with Nagqu?", "partners", {"region": "Nagqu"}),
    ("… asked as Nagchu?", "partners", {"region": "Nagchu"}),
    ("… asked as Naqu?", "partners", {"region": "Naqu"}),
    ("Which names is Nagqu known by?", "region-names", {"region": "Naqu"}),
    ("Which aid flows into Tibet and its prefectures?", "aid-into-region", {"region": "Tibet"}),
    ("Which mechanisms work in tourism?", "mechanisms-by-area", {"area": "tourism"}),
    (
        "Which mechanisms work in areas that map to COFOG 08.2 (cultural services)?",
        "mechanisms-by-code",
        {"scheme": "cofog", "code": "08.2"},
    ),
    ("The cooperation network, as an edge list", "cooperation-network", {}),
    ("What are the lines of work of Nagqu's agreements?", "lines-of-work", {"region": "Nagqu"}),
    ("Which agreements were signed at the 5th Expo?", "event-agreements", {"event": EXPO}),
    ("What totals did the 5th Expo report?", "event-totals", {"event": EXPO}),
    (
        "Which source says so, and when was it released?",
        "mechanism-sources",
        {"mechanism": "liaoning-nagqu-tourism-aid"},
    ),
]


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store",
        type=Path,
        metavar="PATH",
        help="build the example into this store folder (default: a temporary folder)",
    )
    parser.add_argument("--example", default="tibet-expo-2023", help="a bundled example's name")


def answer(store: Store, reference: Reference, out: TextIO) -> None:
    for question, name, params in QUESTIONS:
        shown = " ".join(f"--param {k}={v!r}" for k, v in params.items())
        out.write(f"\n## {question}\n$ coopkg query {name} {shown}\n")
        out.write(render(ask(store, reference, name, params), "table") + "\n")


def run(args: argparse.Namespace, out: TextIO) -> int:
    reference = Reference.bundled()
    with (
        tempfile.TemporaryDirectory(prefix="coopkg-demo-") as scratch,
        Store(args.store or Path(scratch) / "store") as store,
    ):
        report = load(resources.example_path(args.example), store, reference)
        out.write(
            f"# coopkg demo: {report.dataset} {report.status} ({len(store)} quads in store {store.path})\n"
        )
        reasoning = reason(store, method="rules")
        out.write(
            f"# reasoning (OWL 2 RL rules): {'consistent' if reasoning.consistent else 'INCONSISTENT'}, "
            f"{reasoning.inferred} inferred triples\n"
        )
        answer(store, reference, out)
    return 0
