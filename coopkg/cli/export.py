"""coopkg export: the store's data as N-Quads, TriG, Turtle, N-Triples, JSON-LD or RDF/XML, gzipped
on request; or, with --dir, a publication folder for linked-data portals (every format, the JSON-LD
context, the ontology's documentation and the DCAT-AP 3 + VoID description, checked)."""

from __future__ import annotations

import argparse
import gzip
import sys
from pathlib import Path
from typing import TextIO

from coopkg.cli.options import add_store, open_store
from coopkg.description import DESCRIPTION_FILE, Metadata
from coopkg.errors import CoopkgError
from coopkg.export import (
    DUMP_STEM,
    EXPORT_FORMATS,
    FORMATS,
    GZIP_LEVEL,
    export,
    export_file,
    export_folder,
)
from coopkg.store import Store

HELP = "write the store's data as RDF (nq, trig, jsonld keep named graphs), or a folder for portals (--dir)"

_FOLDER_ONLY = ("base_url", "sparql_url", "title", "description", "licence", "publisher")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        "-f",
        choices=sorted(EXPORT_FORMATS),
        action="append",
        help="default: what the --output name says (dump.ttl.gz: ttl), else nq; "
        "with --dir, every format (repeat --format to choose some)",
    )
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--output", "-o", type=Path, metavar="FILE", help="default: standard output")
    target.add_argument(
        "--dir",
        type=Path,
        metavar="DIR",
        help=f"write a publication folder: {DUMP_STEM}.FORMAT.gz per format, context.jsonld, "
        "ontology/ (HTML documentation) and dataset.ttl (DCAT-AP 3 and VoID description)",
    )
    parser.add_argument(
        "--gzip",
        action="store_true",
        help="compress with gzip (implied by an --output name ending in .gz, and by --dir)",
    )
    folder = parser.add_argument_group("publication folder (--dir)")
    folder.add_argument(
        "--base-url",
        metavar="URL",
        help="where the folder will be served from: the description's download URLs hang from it "
        "(default: the folder's own file: URL)",
    )
    folder.add_argument("--sparql-url", metavar="URL", help="a SPARQL endpoint serving the same data")
    folder.add_argument("--title", help="default: the title of the store's dataset, when it holds one")
    folder.add_argument(
        "--description", help="default: the description of the store's dataset, when it holds one"
    )
    folder.add_argument(
        "--licence",
        metavar="IRI",
        help="default: the licence the store's datasets and the reference data share (CC BY 4.0)",
    )
    folder.add_argument(
        "--publisher", metavar="NAME", help="default: the publisher the store's datasets share"
    )
    add_store(parser)


def run(args: argparse.Namespace, out: TextIO) -> int:
    if args.dir is None:
        given = [f"--{name.replace('_', '-')}" for name in _FOLDER_ONLY if getattr(args, name) is not None]
        if given:
            raise CoopkgError(f"{', '.join(given)} describe a publication folder: add --dir DIR")
        if args.format and len(args.format) > 1:
            raise CoopkgError("give one --format for a file (several only with --dir DIR)")
    with open_store(args) as store:
        if args.dir is not None:
            return _folder(store, args, out)
        fmt = args.format[0] if args.format else None
        if args.output:
            compress = True if args.gzip else None
            written = export_file(store, args.output, fmt, compress=compress)
            sys.stderr.write(f"wrote {written.quads} quads to {args.output} ({written.size:,} bytes)\n")
        else:
            out.flush()
            if args.gzip:
                with gzip.GzipFile(
                    filename="", mode="wb", fileobj=sys.stdout.buffer, compresslevel=GZIP_LEVEL, mtime=0
                ) as zipped:
                    export(store, zipped, fmt or "nq")  # type: ignore[arg-type]
            else:
                export(store, sys.stdout.buffer, fmt or "nq")
            sys.stdout.buffer.flush()
    return 0


def _folder(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    publication = export_folder(
        store,
        args.dir,
        formats=args.format or tuple(FORMATS),
        base_url=args.base_url,
        sparql_url=args.sparql_url,
        metadata=Metadata(
            title=args.title, description=args.description, licence=args.licence, publisher=args.publisher
        ),
    )
    for dump in publication.dumps:
        out.write(f"{dump.path}  {dump.format.label}, {dump.quads:,} quads, {dump.size:,} bytes\n")
    dumps = {d.path for d in publication.dumps}
    for path in publication.files:
        if path not in dumps:
            out.write(f"{path}\n")
    description = args.dir / DESCRIPTION_FILE
    if args.base_url is None:
        sys.stderr.write(
            f"note: the description's download URLs are file: URLs ({publication.base_url}); pass "
            "--base-url with the address the folder will be served from\n"
        )
    if publication.findings:
        for finding in publication.findings:
            out.write(f"  {finding}\n")
        sys.stderr.write(
            f"coopkg: {description} does not conform to DCAT-AP 3.0.1 ({len(publication.findings)} results)\n"
        )
        return 1
    out.write(f"{description} conforms to DCAT-AP 3.0.1\n")
    return 0
