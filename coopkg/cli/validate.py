"""coopkg validate [DATASET | FILE] [--store PATH]: check against the shapes, write nothing.

- a dataset folder: read, mapped and checked as ``coopkg load`` would, in memory; references to
  records of other datasets (``DATASET-ID:RECORD-ID``) are looked up in the store given with
  ``--store``, and are unresolved without it;
- an RDF file (Turtle, N-Triples, JSON-LD, RDF/XML …): its triples, with the reference data;
- nothing, or ``--store``: everything the store holds, each result traced to its record.

Exit codes: 0 conforms, 1 violations, 2 usage or input error.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from pyoxigraph import NamedNode, Quad

from coopkg.cli.options import add_encoding, add_lang, add_store, open_store
from coopkg.errors import CoopkgError, Problem, Severity
from coopkg.ingest import check, reference_graphs
from coopkg.loaders.rdfinput import RDF_FORMATS, read_rdf_file
from coopkg.reference import Reference
from coopkg.reports import REPORT_FORMATS, render
from coopkg.store import Store
from coopkg.validation import validate_graphs

HELP = "check a dataset, an RDF file or the store (exit 0 conforms, 1 violations, 2 usage or input error)"


def configure(parser: argparse.ArgumentParser) -> None:
    add_encoding(parser)
    parser.add_argument(
        "dataset",
        type=Path,
        nargs="?",
        metavar="DATASET|FILE",
        help="a dataset folder (manifest.toml and records) or an RDF file; without it, the store",
    )
    add_store(parser)
    parser.add_argument(
        "--format",
        choices=REPORT_FORMATS,
        default="text",
        help="text, json, ttl (W3C SHACL validation report), sarif (2.1.0) or html (default: text)",
    )
    parser.add_argument("--output", "-o", type=Path, metavar="FILE", help="write the report here")
    add_lang(parser)
    parser.add_argument(
        "--engine",
        choices=("sparql", "pyshacl"),
        default="sparql",
        help="sparql: the shapes compiled to SPARQL on Oxigraph (default, fast); pyshacl: the reference",
    )


def _rdf_file(path: Path, reference: Reference, *, language: str, engine: str) -> list[Problem]:
    problems: list[Problem] = []
    found = read_rdf_file(path, path.name, problems)
    if found is None:
        return problems
    store = Store()
    store.replace_graphs(reference_graphs(reference))
    graph = NamedNode("urn:coopkg:validate")
    store.add(Quad(t.subject, t.predicate, t.object, graph) for t in found.triples)
    return problems + validate_graphs(store, language=language, engine=engine, unknown=path.name)


def run(args: argparse.Namespace, out: TextIO) -> int:
    reference = Reference.bundled()
    if args.dataset is None:
        with open_store(args) as store:
            problems = validate_graphs(store, language=args.lang, engine=args.engine)
    elif args.dataset.is_dir():
        options = {"language": args.lang, "encoding": args.encoding, "engine": args.engine}
        if args.store is not None:
            with open_store(args) as store:
                problems = check(args.dataset, reference, against=store, **options).problems
        else:
            problems = check(args.dataset, reference, **options).problems
    elif args.dataset.is_file() and args.dataset.suffix.lower() in RDF_FORMATS:
        problems = _rdf_file(args.dataset, reference, language=args.lang, engine=args.engine)
    else:
        raise CoopkgError(
            f"{args.dataset}: not a dataset folder nor an RDF file "
            f"({', '.join(sorted(RDF_FORMATS))}); give one, or nothing to check the store"
        )
    report = render(problems, args.format) + "\n"
    if args.output:
        args.output.write_text(report, encoding="utf-8")
    else:
        out.write(report)
    return 1 if any(p.severity is Severity.VIOLATION for p in problems) else 0
