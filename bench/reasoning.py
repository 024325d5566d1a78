"""Benchmark: reasoning on generated datasets of 1k, 10k and 100k records, HermiT beside the rules.

    python bench/reasoning.py [--sizes 1000 10000 100000] [--timeout 900] [--write docs/performance.md]

Each measurement runs in its own process (so peak memory is its own), on an on-disk store that holds
the reference data and one generated dataset (loaded without SHACL validation: validation is not
what is measured here). HermiT is stopped after --timeout seconds.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def build_store(records: int, folder: Path) -> Path:
    """A store with the reference graphs and a generated dataset; returns its path."""
    sys.path.insert(0, str(HERE))
    from generate import generate

    from coopkg.ingest import reference_graphs
    from coopkg.loaders import read_dataset
    from coopkg.reference import Reference
    from coopkg.store import Store

    data = folder / f"gen-{records}"
    generate(records, data)
    reference = Reference.bundled()
    submission = read_dataset(data, reference)
    assert not submission.problems, submission.problems[:3]
    now = __import__("datetime").datetime.now(__import__("datetime").UTC)
    graphs = reference_graphs(reference)
    graphs[submission.graph] = submission.quads(started=now, ended=now)
    path = folder / f"store-{records}"
    with Store(path) as store:
        store.replace_graphs(graphs)
    return path


def measure(store_path: str, method: str) -> None:
    """Run one reasoning method on a store and print what it took, as JSON."""
    from coopkg.reasoning import reason
    from coopkg.store import Store
    from coopkg.vocab import INFERRED_GRAPH

    with Store(store_path) as store:
        store.drop(INFERRED_GRAPH)  # each method starts from the asserted data alone
        quads = len(store)
        started = time.perf_counter()
        report = reason(store, method=method)
        seconds = time.perf_counter() - started
    # ru_maxrss is in KiB on Linux; HermiT's JVM is a child process, measured on its own
    peak = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    )
    print(
        json.dumps(
            {
                "method": method,
                "quads": quads,
                "seconds": seconds,
                "inferred": report.inferred,
                "consistent": report.consistent,
                "peak_mb": peak / 1024,
                "contradictions": [str(c) for c in report.contradictions[:3]],
            }
        )
    )


def run_one(store: Path, method: str, timeout: float) -> dict[str, object]:
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--measure", str(store), method],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )
    except subprocess.TimeoutExpired:
        return {"method": method, "timeout": timeout}
    except subprocess.CalledProcessError as exc:
        return {"method": method, "error": (exc.stderr or "").strip().splitlines()[-1:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--measure", nargs=2, metavar=("STORE", "METHOD"), help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help="write the results as JSON here")
    args = parser.parse_args()
    if args.measure:
        measure(*args.measure)
        return
    results = []
    with tempfile.TemporaryDirectory(prefix="coopkg-bench-") as scratch:
        for records in args.sizes:
            store = build_store(records, Path(scratch))
            for method in ("rules", "hermit"):
                result = {"records": records, **run_one(store, method, args.timeout)}
                print(json.dumps(result), flush=True)
                results.append(result)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
