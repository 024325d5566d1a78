"""Benchmark: validation time follows the submission, not the store; the whole store beside pySHACL.

    python bench/validation.py [--sizes 10000 100000 1000000] [--whole 10000 100000]
                               [--markdown docs/performance.md]

1. For each store size: bench/generate.py writes a dataset of that many records, `coopkg load` puts it
   in a store on disk; then a 1k-record submission (another dataset, another seed) is staged in that
   store as `coopkg load` stages it (`coopkg.ingest.stage`) and validated, the shapes compiled
   beforehand (once per process): the validation time alone, best of three.
2. For each `--whole` size: `coopkg validate --store` (the compiled shapes on Oxigraph) and pySHACL over
   the same graph (the store's triples in one rdflib graph, coopkg's shapes), each in a process of its
   own, with wall time, peak RSS and the number of results, which must be equal.

COOPKG_BENCH_BIN names a coopkg installed apart (its Python runs the in-process measurements).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "morphkgc"))
import run as morphkgc  # noqa: E402  (process-tree sampling)

COOPKG = Path(os.environ.get("COOPKG_BENCH_BIN") or HERE.parent / ".venv" / "bin" / "coopkg")
PYTHON = COOPKG.parent / "python"
TIMEOUT = 1800

_SUBMISSION = """
import json, sys, time
from pathlib import Path
from coopkg import ingest
from coopkg.loaders import open_dataset
from coopkg.reference import Reference
from coopkg.shacl_sparql import compile_shapes
from coopkg.store import Store
from coopkg.validation import shapes_graph, validate_staged
reference, compiled = Reference.bundled(), compile_shapes(shapes_graph())
times = []

def timed(staged, reference, **options):  # the validation a load runs, timed alone
    start = time.perf_counter()
    found = validate_staged(staged, reference, **{**options, "shapes": compiled})
    times.append(time.perf_counter() - start)
    return found

ingest.validate_staged = timed
with Store(sys.argv[1]) as store:
    for _ in range(3):
        staged = ingest.stage(open_dataset(Path(sys.argv[2]), reference), store, reference)
        staged.discard()
print(json.dumps({"seconds": min(times), "problems": len(staged.problems), "triples": staged.triples}))
"""

_PYSHACL = """
import json, sys
import rdflib
from pyshacl import validate
from coopkg.store import Store
from coopkg.validation import shapes_graph
graph = rdflib.Graph()
with Store(sys.argv[1]) as store:
    for name in store.graphs():
        graph.parse(data=store._ox.dump(format=__import__("pyoxigraph").RdfFormat.N_TRIPLES,
                    from_graph=store._catalogue().get(name, name)), format="nt")
_, report, _ = validate(graph, shacl_graph=shapes_graph(), inference="none", advanced=True,
                        allow_warnings=True)
results = report.subjects(rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/shacl#ValidationResult"))
with open(sys.argv[2], "w") as out:
    json.dump({"results": len(list(results)), "triples": len(graph)}, out)
"""


def build(records: int, work: Path, seed: int = 1) -> tuple[Path, Path]:
    data = work / f"gen-{records}"
    morphkgc.generate(records, data, seed)
    store = work / f"store-{records}"
    subprocess.run([str(COOPKG), "load", str(data), "--store", str(store)], check=True, capture_output=True)
    return data, store


def submission(store: Path, folder: Path) -> dict[str, object]:
    out = subprocess.run(
        [str(PYTHON), "-c", _SUBMISSION, str(store), str(folder)], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def whole(store: Path, work: Path) -> list[dict[str, object]]:
    report = work / "coopkg-report.json"
    cmd = [str(COOPKG), "validate", "--store", str(store), "--format", "json", "-o", str(report)]
    seconds, peak = _run_allowing_violations(cmd)
    ours = json.loads(report.read_text(encoding="utf-8"))
    reference = work / "pyshacl.json"
    script = work / "pyshacl_run.py"
    script.write_text(_PYSHACL, encoding="utf-8")
    try:
        command = ["timeout", str(TIMEOUT), str(PYTHON), str(script), str(store), str(reference)]
        p_seconds, p_peak = morphkgc.run_measured(command)
        theirs: dict[str, object] | None = json.loads(reference.read_text(encoding="utf-8"))
    except subprocess.CalledProcessError:
        p_seconds, p_peak, theirs = float(TIMEOUT), 0.0, None
    return [
        {
            "tool": "coopkg validate --store",
            "seconds": seconds,
            "peak_rss_mb": peak,
            "results": len(ours["problems"]),
        },
        {
            "tool": "pySHACL",
            "seconds": p_seconds,
            "peak_rss_mb": p_peak,
            "results": None if theirs is None else theirs["results"],
            "timed_out": theirs is None,
        },
    ]


def _run_allowing_violations(command: list[str]) -> tuple[float, float]:
    try:
        return morphkgc.run_measured(command)
    except subprocess.CalledProcessError as exc:
        if exc.returncode != 1:
            raise
        return float("nan"), 0.0


def markdown(rows: list[dict[str, object]]) -> str:
    from reasoning import machine

    lines = [
        "<!-- validation:begin (written by `make bench`: bench/validation.py) -->",
        "## Validation: a submission against stores of growing size, and the whole store",
        "",
        f"Measured {dt.date.today().isoformat()} on {machine()}.",
        "",
        "A 1k-record submission staged in a store that already holds N records, then validated",
        "(compiled shapes, best of three). The submission is checked against itself and the",
        "reference data (regions, vocabularies): what it points at. So the time does not depend",
        "on N.",
        "",
        "| records in the store | submission triples | validation | vs. the 10k store |",
        "|---:|---:|---:|---:|",
    ]
    subs = [r for r in rows if r["kind"] == "submission"]
    base = float(str(subs[0]["seconds"])) if subs else 1.0
    for r in subs:
        seconds = float(str(r["seconds"]))
        lines.append(f"| {r['store']:,} | {r['triples']:,} | {seconds:.3f} s | {seconds / base:.2f} |")
    lines += [
        "",
        "Targets: at most 0.5 s each, and the 1M figure within 1.5 times the 10k figure.",
        "",
        "The whole store (`coopkg validate --store`) beside pySHACL over the same graph, each a process",
        "of its own; both count every result of every shape:",
        "",
        "| records | tool | time | peak RSS | results | speed-up |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    by_size: dict[object, dict[str, dict[str, object]]] = {}
    for r in rows:
        if r["kind"] == "whole":
            by_size.setdefault(r["records"], {})[str(r["tool"])] = r
    for records, tools in by_size.items():
        ours, theirs = tools["coopkg validate --store"], tools["pySHACL"]
        for r in (ours, theirs):
            seconds = float(str(r["seconds"]))
            shown = f"> {seconds:,.0f} s (stopped)" if r.get("timed_out") else f"{seconds:,.1f} s"
            ratio = float(str(theirs["seconds"])) / float(str(ours["seconds"]))
            speed = f"{'≥ ' if theirs.get('timed_out') else ''}{ratio:,.0f} times" if r is ours else ""
            lines.append(
                f"| {records:,} | {r['tool']} | {shown} | {float(str(r['peak_rss_mb'])):,.0f} MB | "
                f"{r['results'] if r['results'] is not None else '—'} | {speed} |"
            )
    lines += ["", "Target: at least 10 times faster than pySHACL at 100k records, with the same results."]
    lines.append("<!-- validation:end -->")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000, 1000000])
    parser.add_argument("--whole", type=int, nargs="*", default=[10000, 100000])
    parser.add_argument("--markdown", type=Path)
    parser.add_argument("--from-log", type=Path, help="render the JSON lines of an earlier run instead")
    args = parser.parse_args()
    if args.from_log:
        lines = args.from_log.read_text(encoding="utf-8").splitlines()
        rows = [json.loads(x) for x in lines if x.startswith("{")]
    else:
        rows = []
        with tempfile.TemporaryDirectory(prefix="coopkg-validation-") as scratch:
            work = Path(scratch)
            sub = work / "submission-1k"
            morphkgc.generate(1000, sub, 2)
            for records in sorted(set(args.sizes) | set(args.whole)):
                _, store = build(records, work)
                if records in args.sizes:
                    row = {"kind": "submission", "store": records, **submission(store, sub)}
                    print(json.dumps(row), flush=True)
                    rows.append(row)
                if records in args.whole:
                    for result in whole(store, work):
                        row = {"kind": "whole", "records": records, **result}
                        print(json.dumps(row), flush=True)
                        rows.append(row)
                subprocess.run(["rm", "-rf", str(store)], check=True)
    if args.markdown:
        from reasoning import write_section

        write_section(args.markdown, markdown(rows), "validation")


if __name__ == "__main__":
    main()
