"""coopkg reason: check the store against the ontology and rebuild the inferred graph."""

from __future__ import annotations

import argparse
import json
from typing import TextIO

from coopkg.cli.options import add_store, open_store
from coopkg.reasoning import METHODS, reason
from coopkg.vocab import INFERRED_GRAPH

HELP = "check the store's data against the ontology (exit 1 on a contradiction) and materialise inferences"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--method",
        choices=METHODS,
        default="hermit",
        help="hermit: complete OWL 2 DL (needs Java; small and medium graphs); "
        "rules: OWL 2 RL rules inside the store (any size). Default: hermit",
    )
    parser.add_argument("--drop", action="store_true", help="only drop the inferred graph")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    add_store(parser)


def run(args: argparse.Namespace, out: TextIO) -> int:
    with open_store(args) as store:
        if args.drop:
            dropped = store.drop(INFERRED_GRAPH)
            out.write(f"{'dropped' if dropped else 'there was no'} graph <{INFERRED_GRAPH.value}>\n")
            return 0
        report = reason(store, method=args.method)
    if args.format == "json":
        out.write(
            json.dumps(
                {
                    "method": report.method,
                    "consistent": report.consistent,
                    "inferred": report.inferred,
                    "seconds": round(report.seconds, 3),
                    "contradictions": [
                        {"axiom": c.axiom, "message": c.message, "individuals": list(c.individuals)}
                        for c in report.contradictions
                    ],
                },
                ensure_ascii=False,
                indent=1,
            )
            + "\n"
        )
    elif report.consistent:
        out.write(
            f"consistent: the data agree with the ontology ({report.method}, {report.seconds:.1f} s)\n"
            f"inferred: {report.inferred} triples in graph <{INFERRED_GRAPH.value}>\n"
        )
    else:
        out.write(
            f"inconsistent: {len(report.contradictions)} contradiction(s) ({report.method}); "
            f"graph <{INFERRED_GRAPH.value}> left as it was\n"
        )
        out.writelines(f"- {c}\n" for c in report.contradictions)
    return 0 if report.consistent else 1
