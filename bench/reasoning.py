"""Benchmark: reasoning on generated datasets of 1k, 10k and 100k records, HermiT beside the rules.

    python bench/reasoning.py [--sizes 1000 10000 100000] [--timeout 900] [--write docs/performance.md]

Each measurement runs in its own process (so peak memory is its own), on an on-disk store that holds
the reference data and one generated dataset (loaded without SHACL validation: validation is not
what is measured here). HermiT is stopped after --timeout seconds.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "morphkgc"))
import run as morphkgc  # noqa: E402  (process-tree sampling, shared with the ingest benchmark)


def build_store(records: int, folder: Path) -> Path:
    """A store with the reference graphs and a generated dataset; returns its path."""
    sys.path.insert(0, str(HERE))
    from generate import generate

    from coopkg.ingest import load
    from coopkg.reference import Reference
    from coopkg.store import Store

    data = folder / f"gen-{records}"
    generate(records, data)
    path = folder / f"store-{records}"
    with Store(path) as store:
        report = load(data, store, Reference.bundled())
    assert report.status == "loaded", report.problems[:3]
    return path


def measure(store_path: str, method: str, out: str) -> None:
    """Run one reasoning method on a store and write what it found, as JSON, to ``out``."""
    from coopkg.reasoning import reason
    from coopkg.store import Store
    from coopkg.vocab import INFERRED_GRAPH

    with Store(store_path) as store:
        store.drop(INFERRED_GRAPH)  # each method starts from the asserted data alone
        quads = len(store)
        report = reason(store, method=method)
    Path(out).write_text(
        json.dumps(
            {
                "method": method,
                "quads": quads,
                "inferred": report.inferred,
                "consistent": report.consistent,
                "contradictions": [str(c) for c in report.contradictions[:3]],
            }
        ),
        encoding="utf-8",
    )


def run_one(store: Path, method: str, timeout: float) -> dict[str, object]:
    """Measure one method in a process of its own: wall time, and the peak resident memory of its
    whole process tree (HermiT's JVM included), sampled from /proc: a child's own ru_maxrss would
    count the parent's memory at fork."""
    out = store.parent / f"result-{method}.json"
    out.unlink(missing_ok=True)
    command = [sys.executable, __file__, "--measure", str(store), method, str(out)]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak, pids, tick = 0, [process.pid], 0
    while process.poll() is None:
        if time.perf_counter() - started > timeout:
            for pid in reversed(morphkgc._tree(process.pid)):
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
            process.wait()
            return {"method": method, "timeout": timeout}
        if tick % 10 == 0:
            pids = morphkgc._tree(process.pid)
        peak = max(peak, morphkgc._rss(pids))
        tick += 1
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    if process.returncode:
        error = (process.stderr.read().decode() if process.stderr else "").strip().splitlines()[-1:]
        return {"method": method, "error": error}
    return {**json.loads(out.read_text(encoding="utf-8")), "seconds": seconds, "peak_mb": peak / 2**20}


def machine() -> str:
    """The machine the numbers were measured on."""
    import os
    import platform

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )
    memory = next(
        (
            int(line.split()[1]) // 1024 // 1024
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        0,
    )
    java = subprocess.run(["java", "-version"], capture_output=True, text=True, check=False).stderr
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory} GiB RAM, Python {platform.python_version()}, "
        f"{(java.splitlines() or ['no Java'])[0]}"
    )


def markdown(results: list[dict[str, object]], timeout: float) -> str:
    """The reasoning section of docs/performance.md."""
    import datetime as dt

    rows = [
        "| records | quads | method | time | peak memory | inferred | consistent |",
        "|---:|---:|---|---:|---:|---:|---|",
    ]
    by_size: dict[object, dict[str, dict[str, object]]] = {}
    for r in results:
        by_size.setdefault(r["records"], {})[str(r["method"])] = r
    for records, methods in by_size.items():
        for method in ("rules", "hermit"):
            r = methods.get(method, {})
            if "seconds" in r:
                rows.append(
                    f"| {records:,} | {r['quads']:,} | {method} | {r['seconds']:.1f} s | "
                    f"{r['peak_mb']:,.0f} MB | {r['inferred']:,} | {r['consistent']} |"
                )
            else:
                what = f"stopped after {timeout:.0f} s" if "timeout" in r else f"failed: {r.get('error')}"
                rows.append(f"| {records:,} | | {method} | {what} | | | |")
        rules, hermit = methods.get("rules", {}), methods.get("hermit", {})
        if "seconds" in rules and "seconds" in hermit:
            ratio = float(hermit["seconds"]) / float(rules["seconds"])  # type: ignore[arg-type]
            rows.append(f"| | | *hermit / rules* | *{ratio:.1f} times* | | | |")
    return "\n".join(
        [
            "<!-- reasoning:begin (written by `make bench`: bench/reasoning.py) -->",
            "## Reasoning: HermiT beside the OWL 2 RL rules",
            "",
            f"Measured {dt.date.today().isoformat()} on {machine()}.",
            "Generated datasets (bench/generate.py) in an on-disk store with the reference data;",
            "each run rebuilds `graph/inferred` from the asserted data in a process of its own",
            "(time: the whole process; peak memory: its whole process tree, HermiT's JVM included).",
            "Both methods must infer the same triples.",
            "",
            *rows,
            "",
            "Where each should be used: `--method rules` for any store (it runs inside Oxigraph, memory",
            "follows the store, and it covers the axiom patterns coopkg's ontology uses); `--method hermit`",
            "(the default) as the complete OWL 2 DL check of small and medium stores and whenever the",
            "ontology gains axioms the rules do not cover, such as new class definitions.",
            "<!-- reasoning:end -->",
        ]
    )


def write_section(path: Path, section: str, name: str = "reasoning") -> None:
    """Replace the section between ``<!-- {name}:begin`` and ``<!-- {name}:end -->`` (or append it)."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    if f"<!-- {name}:begin" in text:
        start = text.index(f"<!-- {name}:begin")
        end = text.index(f"<!-- {name}:end -->") + len(f"<!-- {name}:end -->")
        text = text[:start] + section + text[end:]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--measure", nargs=3, metavar=("STORE", "METHOD", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help="write the results as JSON here")
    parser.add_argument("--markdown", type=Path, help="rewrite the reasoning section of this file")
    parser.add_argument("--from-json", type=Path, help="render earlier results instead of measuring")
    args = parser.parse_args()
    if args.measure:
        measure(*args.measure)
        return
    if args.from_json:
        write_section(args.markdown, markdown(json.loads(args.from_json.read_text()), args.timeout))
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
    if args.markdown:
        write_section(args.markdown, markdown(results, args.timeout))


if __name__ == "__main__":
    main()
