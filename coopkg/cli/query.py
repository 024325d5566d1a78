"""coopkg query NAME [--param k=v]: run a named query of the catalogue."""

from __future__ import annotations

import argparse
import textwrap
from typing import TextIO

from coopkg import catalogue
from coopkg.cli.options import add_backend, open_backend
from coopkg.errors import CoopkgError
from coopkg.querying import ask
from coopkg.reference import Reference
from coopkg.results import FORMATS, render

HELP = "run a named query of the catalogue ('coopkg query NAME --help' lists its parameters)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", nargs="?", help="the query's name (see 'coopkg queries')")
    parser.add_argument(
        "--param",
        "-p",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a parameter value; repeat for several",
    )
    parser.add_argument("--format", "-f", choices=FORMATS, default="table")
    add_backend(parser)
    parser.add_argument("--help", "-h", action="store_true", help="show this help, or a query's")


def describe(query: catalogue.CatalogueQuery) -> str:
    lines = [f"coopkg query {query.name}: {query.title}", ""]
    lines += [*textwrap.wrap(query.description, 96), "", "parameters:"]
    for p in query.params:
        extra = f", default {p.default}" if p.default else ", optional" if p.optional else ""
        lines.append(f"  --param {p.name}=VALUE  ({p.type}{extra}) {p.description}")
    if not query.params:
        lines.append("  none")
    lines += ["", "examples:", *(f"  {e}" for e in query.examples)]
    return "\n".join(lines)


def parse_params(pairs: list[str]) -> dict[str, str]:
    params = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise CoopkgError(f"--param {pair!r}: write NAME=VALUE, e.g. --param region=Nagqu")
        params[name.strip()] = value.strip()
    return params


def run(args: argparse.Namespace, out: TextIO) -> int:
    if args.help or not args.name:
        if args.name:
            out.write(describe(catalogue.get(args.name)) + "\n")
            return 0
        args.parser.print_help(out)
        return 0 if args.help else 2
    query, params = catalogue.get(args.name), parse_params(args.param)  # usage errors first
    with open_backend(args) as backend:
        table = ask(backend, Reference.bundled(), query.name, params)
    out.write(render(table, args.format).rstrip("\n") + "\n")
    return 0
