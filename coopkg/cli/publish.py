"""coopkg publish --endpoint URL|NAME: the store's named graphs onto a SPARQL 1.1 server.

Graphs the server already has (by fingerprint) are skipped; a dataset and its summary go
together, in one update; a push that was interrupted is finished by running it again. See
:mod:`coopkg.publishing`.
"""

from __future__ import annotations

import argparse
from typing import TextIO

from coopkg.cli.options import add_backend, open_store
from coopkg.config import endpoint_config
from coopkg.endpoint import Endpoint
from coopkg.errors import CoopkgError
from coopkg.publishing import Outcome, publish, short_name

HELP = "send the store's graphs to a SPARQL server, skipping those it has (run again to resume)"

_WORDS = {
    "sent": ("sent", "would send"),
    "skipped": ("unchanged", "unchanged"),
    "removed": ("removed", "would remove"),
    "kept": ("kept", "would keep"),
}


def configure(parser: argparse.ArgumentParser) -> None:
    add_backend(parser, purpose="the SPARQL 1.1 server to publish to")
    parser.add_argument(
        "--graph",
        action="append",
        metavar="NAME",
        help="publish only this graph: a dataset id (its summary goes with it), ontology, regions, "
        "inferred, or an IRI (repeat for several; default: every graph of the store)",
    )
    parser.add_argument(
        "--prune",
        action="store_true",
        help="also remove the graphs coopkg manages on the server that the store does not hold "
        "(datasets dropped from the store, with their summaries, or loaded onto the server directly)",
    )
    parser.add_argument(
        "--force", action="store_true", help="send every graph, even those the server already has"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="only tell what would be sent and removed; write nothing"
    )


def run(args: argparse.Namespace, out: TextIO) -> int:
    if not args.endpoint:
        raise CoopkgError("publish needs --endpoint URL|NAME: the SPARQL server to send the graphs to")
    endpoint = Endpoint(
        endpoint_config(
            args.endpoint, update=args.update_endpoint, graph_store=args.graph_store, timeout=args.timeout
        )
    )

    def tell(outcome: Outcome) -> None:
        word = _WORDS[outcome.action][1 if args.dry_run else 0]
        triples = "" if outcome.triples is None else f" ({outcome.triples:,} triples)"
        out.write(f"{word:<12} {short_name(outcome.graph)}{triples}\n")
        out.flush()

    with open_store(args) as store:
        report = publish(
            store,
            endpoint,
            graphs=args.graph,
            prune=args.prune,
            force=args.force,
            dry_run=args.dry_run,
            progress=tell,
        )
    out.write(report.summary() + "\n")
    return 0
