"""coopkg plot network|map: pictures of the store as SVG or PNG files (needs ``coopkg[plot]``)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from coopkg import pictures
from coopkg.cli.options import add_backend, open_backend
from coopkg.errors import CoopkgError
from coopkg.reference import Reference

HELP = "draw the cooperation network or the map of aid flows as an SVG or PNG file"
KINDS = {"network": pictures.network, "map": pictures.map}


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "picture",
        choices=sorted(KINDS),
        help="network: regions linked by mechanisms and agreements; map: aid flows between regions",
    )
    parser.add_argument(
        "--region", "-r", metavar="NAME|IRI", help="only the links of this region (any name, code or IRI)"
    )
    parser.add_argument(
        "--format",
        "-f",
        choices=pictures.FORMATS,
        help="default: the output file's suffix (.svg or .png), else svg",
    )
    parser.add_argument("--output", "-o", type=Path, required=True, metavar="FILE", help="the file to write")
    add_backend(parser)


def run(args: argparse.Namespace, out: TextIO) -> int:
    suffix = args.output.suffix.lower().lstrip(".")
    format = args.format or (suffix if suffix in pictures.FORMATS else "svg")
    if args.output.is_dir():
        raise CoopkgError(
            f"--output {args.output} is a folder; give a file name, e.g. {args.picture}.{format}"
        )
    if not args.output.parent.is_dir():
        raise CoopkgError(f"--output {args.output}: there is no folder {args.output.parent}")
    with open_backend(args) as backend:
        data = KINDS[args.picture](backend, region=args.region, format=format, reference=Reference.bundled())
    args.output.write_bytes(data)
    out.write(f"wrote the {args.picture} ({format.upper()}, {len(data):,} bytes) to {args.output}\n")
    return 0
