"""Benchmark: `coopkg export` on stores of growing size, to show that memory stays flat.

    python bench/export.py [--sizes 1000000 10000000] [--formats nq ttl jsonld rdfxml]
                           [--markdown docs/performance.md] [--json results.json]

For each size, a store of synthetic cooperation records (some 12 triples each, of the kinds coopkg
writes: typed nodes, labels in English and Chinese, links to regions and vocabularies, dates,
decimals, a blank node per record, provenance links) is bulk-loaded straight into an on-disk
Oxigraph store, in named graphs of 1M triples; then each format is exported, gzipped, by
`coopkg export -f FORMAT -o FILE.gz` in a process of its own: wall time, and the peak RSS of its
process tree sampled from /proc (a child's ru_maxrss would count the parent's store at fork). The
description (`coopkg.description.describe`: the VoID counts by SPARQL) is measured the same way.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "morphkgc"))
sys.path.insert(0, str(HERE))
import run as morphkgc  # noqa: E402  (process-tree sampling, shared with the other benchmarks)
from reasoning import machine, write_section  # noqa: E402

COOPKG = Path(os.environ.get("COOPKG_BENCH_BIN") or HERE.parent / ".venv" / "bin" / "coopkg")
GRAPH_TRIPLES = 1_000_000
FORMATS = ["nq", "trig", "ttl", "nt", "jsonld", "rdfxml"]
PER_RECORD = 12
REGIONS = ["210000", "540600", "540000", "110000", "310000", "440300", "510100", "650100"]
AREAS = ["tourism", "culture", "museums-cultural-heritage", "trade", "education", "health"]


def records(first: int, count: int) -> Iterator[str]:
    """N-Triples of ``count`` synthetic records, from number ``first``: 12 triples each."""
    coop = "https://w3id.org/coopkg/ontology#"
    base = "https://w3id.org/coopkg/"
    rdfs, xsd, schema = (
        "http://www.w3.org/2000/01/rdf-schema#",
        "http://www.w3.org/2001/XMLSchema#",
        "https://schema.org/",
    )
    for i in range(first, first + count):
        s = f"<{base}id/bench/mechanism/m{i}>"
        amount = f"_:amount{i}"
        yield (
            f"{s} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{coop}CooperationMechanism> .\n"
            f'{s} <{rdfs}label> "Cooperation mechanism {i}"@en .\n'
            f'{s} <{rdfs}label> "合作机制 {i}"@zh .\n'
            f"{s} <{coop}provider> <{base}id/region/cn/{REGIONS[i % 8]}> .\n"
            f"{s} <{coop}recipient> <{base}id/region/cn/{REGIONS[(i * 7 + 3) % 8]}> .\n"
            f"{s} <{coop}cooperationArea> <{base}vocab/area/{AREAS[i % 6]}> .\n"
            f'{s} <{schema}startDate> "20{10 + i % 15}-0{1 + i % 9}-1{i % 10}"^^<{xsd}date> .\n'
            f'{s} <{coop}agreementCount> "{i % 60}"^^<{xsd}integer> .\n'
            f"{s} <{coop}agreedInvestment> {amount} .\n"
            f'{amount} <{schema}value> "{i * 1000}.5"^^<{xsd}decimal> .\n'
            f'{amount} <{schema}currency> "CNY" .\n'
            f"{s} <http://www.w3.org/ns/prov#wasDerivedFrom> <{base}id/load/bench/mechanisms.csv#L{i}> .\n"
        )


def build_store(triples: int, path: Path) -> int:
    """An on-disk store of about ``triples`` synthetic triples in graphs of 1M; returns the count."""
    from coopkg.store import Store
    from coopkg.vocab import graph_iri

    total_records = triples // PER_RECORD
    per_graph = GRAPH_TRIPLES // PER_RECORD
    with Store(path) as store:
        versions = {}
        for n, first in enumerate(range(0, total_records, per_graph)):
            count = min(per_graph, total_records - first)
            version = store.new_version()

            def chunks(first: int = first, count: int = count) -> Iterator[bytes]:
                batch: list[str] = []
                for text in records(first, count):
                    batch.append(text)
                    if len(batch) == 10_000:
                        yield "".join(batch).encode()
                        batch = []
                yield "".join(batch).encode()

            store.write(version, chunks())
            versions[graph_iri(f"bench-{n:02d}")] = version
        store.publish(versions)
        return len(store)


def export_one(store: Path, fmt: str, work: Path) -> dict[str, object]:
    out = work / f"dump.{fmt}.gz"
    seconds, peak = morphkgc.run_measured(
        [str(COOPKG), "export", "--format", fmt, "-o", str(out), "--store", str(store)]
    )
    size = out.stat().st_size
    out.unlink()
    return {"task": f"export {fmt} (gzip)", "seconds": seconds, "peak_rss_mb": peak, "bytes": size}


def scan_one(store: Path) -> dict[str, object]:
    """The baseline: open the store and read every quad, writing nothing."""
    code = (
        "import sys; from coopkg.store import Store\n"
        "with Store(sys.argv[1]) as s: print(sum(1 for _ in s.quads()))"
    )
    seconds, peak = morphkgc.run_measured([sys.executable, "-c", code, str(store)])
    return {"task": "read every quad (baseline)", "seconds": seconds, "peak_rss_mb": peak, "bytes": 0}


def describe_one(store: Path) -> dict[str, object]:
    code = (
        "import sys; from coopkg.store import Store; from coopkg.description import describe\n"
        "with Store(sys.argv[1]) as s: describe(s, base_url='https://data.example.org/')"
    )
    seconds, peak = morphkgc.run_measured([sys.executable, "-c", code, str(store)])
    return {"task": "description (VoID counts)", "seconds": seconds, "peak_rss_mb": peak, "bytes": 0}


def markdown(results: list[dict[str, object]]) -> str:
    rows = [
        "| store triples | task | time | triples/s | peak RSS | output |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    order = [
        "read every quad (baseline)",
        *(f"export {f} (gzip)" for f in FORMATS),
        "description (VoID counts)",
    ]
    for r in sorted(results, key=lambda r: (int(str(r["triples"])), order.index(str(r["task"])))):
        seconds, triples = float(str(r["seconds"])), int(str(r["triples"]))
        size = int(str(r["bytes"]))
        rows.append(
            f"| {triples:,} | {r['task']} | {seconds:.1f} s | {triples / seconds:,.0f} | "
            f"{float(str(r['peak_rss_mb'])):,.0f} MB | {f'{size / 2**20:,.1f} MB' if size else ''} |"
        )
    return "\n".join(
        [
            "<!-- export:begin (written by `make bench`: bench/export.py) -->",
            "## Export: dumps of growing stores, in constant memory",
            "",
            f"Measured {dt.date.today().isoformat()} on {machine()}.",
            f"Synthetic records ({PER_RECORD} triples each: typed nodes, labels in two languages, links,",
            "dates, decimals, a blank node) bulk-loaded into an on-disk store, in named graphs of 1M",
            "triples. Each task runs in a process of its own: wall time, and peak RSS of the process",
            "tree. *read every quad* opens the store and iterates over `Store.quads()`, writing nothing:",
            "the baseline. Each export is `coopkg export -f FORMAT -o dump.FORMAT.gz`; the description is",
            "`coopkg.description.describe` (the VoID counts by SPARQL on the store).",
            "",
            *rows,
            "",
            "- Every format streams: each quad is written (and gzipped) before the next is read, so an",
            "  export needs no more memory than reading the store does, within some 30 MB (the modules",
            "  the command imports); the JSON-LD writer holds one node at a time.",
            "- What grows with the store grows as much in the read-only baseline: it is Oxigraph's",
            "  (RocksDB's) own memory for the files it has read, not the export's.",
            "- The time is mostly the reading (Oxigraph looks up the text of every term of every quad);",
            "  N-Quads, Turtle, TriG, N-Triples and RDF/XML, written by Oxigraph, add 10 to 25%;",
            "  JSON-LD, written in Python, 40 to 70%.",
            "- The description's counts of distinct subjects hold the subjects in memory inside",
            "  Oxigraph: it grows with the store, and is not streamed (a description is written once).",
            "<!-- export:end -->",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--formats", nargs="*", default=["nq", "jsonld"])
    parser.add_argument("--no-describe", action="store_true", help="skip the description")
    parser.add_argument("--json", type=Path, help="write the results as JSON here")
    parser.add_argument("--markdown", type=Path, help="rewrite the export section of this file")
    parser.add_argument("--from-json", type=Path, help="render earlier results instead of measuring")
    args = parser.parse_args()
    if args.from_json:
        write_section(args.markdown, markdown(json.loads(args.from_json.read_text())), "export")
        return
    results = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix="coopkg-bench-export-") as scratch:
            work = Path(scratch)
            started = time.perf_counter()
            triples = build_store(size, work / "store")
            seconds = time.perf_counter() - started
            print(f"built a store of {triples:,} triples in {seconds:.0f} s", flush=True)
            for task in ["scan", *args.formats, *([] if args.no_describe else ["describe"])]:
                if task == "scan":
                    measured = scan_one(work / "store")
                elif task == "describe":
                    measured = describe_one(work / "store")
                else:
                    measured = export_one(work / "store", task, work)
                result = {"triples": triples, **measured}
                print(json.dumps(result), flush=True)
                results.append(result)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    if args.markdown:
        write_section(args.markdown, markdown(results), "export")


if __name__ == "__main__":
    main()
