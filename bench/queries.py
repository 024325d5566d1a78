"""Benchmark: every catalogue query on the embedded store, at growing sizes, beside rdflib in memory.

    python bench/queries.py [--sizes 100000 1000000] [--rdflib-sizes 100000] [--runs 20]
                            [--timeout 900] [--max-rss MB] [--rdflib-timeout 120] [--work DIR]
                            [--json out/bench-queries.json] [--markdown docs/performance.md]
    python bench/queries.py --from-log out/bench-queries.json --markdown docs/performance.md

1. For each size: bench/generate.py writes a dataset of that many records; `coopkg load` puts it and
   the bundled example (tibet-expo-2023, so that every query's `# example:` parameters resolve) in a
   fresh store on disk. With `--work DIR` the data and the stores are kept there and reused by the
   next run (a store counts once its load finished: `store-N.json` beside it).
2. Embedded: one process of coopkg's Python opens the store; for each catalogue query, its example
   parameters are bound (`coopkg.querying.bind`, not timed), the query runs once to warm up, then
   `--runs` times (or fewer for slow queries: it stops after about 10 s of runs, but not before 3).
   A run is the query and the reading of every row (`Embedded.run`, as `coopkg query` does). A
   query that runs longer than `--timeout` seconds, or takes more than `--max-rss` MB (default: half
   the memory), is stopped and recorded so; the process starts again with the next query.
3. rdflib, at the `--rdflib-sizes`: the store exported as N-Quads (`coopkg export --format nq`) is
   parsed into an rdflib `Dataset(default_union=True)` (load time and peak RSS), and the SAME bound
   query texts run with `Dataset.query`, every row read: one warm-up and 3 runs (fewer when slow),
   each query in a forked child that is killed when one run takes longer than `--rdflib-timeout`.
   The row counts are compared with Oxigraph's.

Targets (issue 6): p50 at most 50 ms for the queries about one entity and at most 1 s for the
whole-graph aggregates, at 1M records; the median over the catalogue of rdflib p50 / coopkg p50 at
least 20 at 100k records. The raw results (the bound query texts too) are written as JSON (`--json`,
default out/bench-queries.json) and printed as JSON lines; `--from-log` renders either again.

COOPKG_BENCH_BIN names a coopkg installed apart (its `coopkg` loads, its Python measures).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

COOPKG = Path(os.environ.get("COOPKG_BENCH_BIN") or HERE.parent / ".venv" / "bin" / "coopkg")
PYTHON = COOPKG.parent / "python"

# Each catalogue query, by what it asks: about one entity (a region, an event, a mechanism, a node,
# a pair of regions), or over the whole graph (aggregates, rankings, the network, a gazetteer walk).
KINDS = {
    "agreements-by-area": "aggregate",
    "aid-from-region": "entity",
    "aid-into-region": "entity",
    "cooperation-network": "aggregate",
    "event-agreements": "entity",
    "event-totals": "entity",
    "investment-totals": "aggregate",
    "lines-of-work": "entity",
    "links-between": "aggregate",  # k hops: a network query, as issue 6 counts them
    "mechanism-sources": "entity",
    "mechanisms-by-area": "aggregate",
    "network-links": "aggregate",  # an edge list (of one region here)
    "mechanisms-by-code": "aggregate",
    "most-connected": "aggregate",
    "partners": "entity",
    "region-names": "entity",
    "region-timeline": "entity",
    "regions-within": "aggregate",
    "regions-without-cooperation": "aggregate",
    "statement-source": "entity",
    "totals-vs-listed": "entity",
}
TARGETS = {"entity": 0.050, "aggregate": 1.0}  # p50, seconds, at TARGET_SIZE records
TARGET_SIZE = 1_000_000
RATIO_TARGET, RATIO_SIZE = 20.0, 100_000
X = "\N{MULTIPLICATION SIGN}"
EMBEDDED_BUDGET = 10.0  # seconds of runs of one query, after which it stops (at least 3 runs)
SLOW = 60.0  # a query whose warm-up took longer is measured by its warm-up alone
RDFLIB_RUNS, RDFLIB_BUDGET = 3, 30.0

_CATALOGUE = """
import json
from coopkg import catalogue
print(json.dumps(sorted(catalogue.catalogue())))
"""

_EMBEDDED = """
import json, shlex, sys, time
from coopkg import catalogue
from coopkg.backend import Embedded
from coopkg.querying import bind
from coopkg.reference import Reference
from coopkg.store import Store

path, runs, budget, slow = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
skip = sys.argv[5:]


def say(**row):
    print(json.dumps(row), flush=True)


reference = Reference.bundled()
with Store(path, create=False) as store:
    backend = Embedded(store, fast=True)  # as `coopkg query` runs catalogue queries
    if not skip:
        say(event="store", triples=len(store))
    for name, query in sorted(catalogue.catalogue().items()):
        if name in skip:
            continue
        words = shlex.split(query.examples[0])  # as tests/test_queries.py reads the example
        raw = dict(words[i + 1].split("=", 1) for i, w in enumerate(words) if w in ("--param", "-p"))
        text = bind(query, raw, store, reference)
        say(event="start", query=name, params=raw, text=text)
        start = time.perf_counter()
        table = backend.run(text)  # warm-up
        warm_up = time.perf_counter() - start
        say(event="warm-up", query=name, seconds=warm_up, rows=len(table))
        times = []
        while warm_up <= slow and len(times) < runs and (len(times) < 3 or sum(times) < budget):
            start = time.perf_counter()
            table = backend.run(text)
            times.append(time.perf_counter() - start)
            say(event="run", query=name, seconds=times[-1])
        say(event="query", query=name, params=raw, text=text, rows=len(table), warm_up=warm_up,
            times=times or [warm_up])
"""

_RDFLIB = """
import json, os, resource, select, signal, sys, time
from rdflib import Dataset

nquads, queries, timeout = sys.argv[1], json.loads(open(sys.argv[2]).read()), float(sys.argv[3])
runs, budget = int(sys.argv[4]), float(sys.argv[5])
start = time.perf_counter()
ds = Dataset(default_union=True)
ds.parse(nquads, format="nquads")
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
quads = sum(1 for _ in ds.quads((None, None, None, None)))
print(json.dumps({"event": "load", "seconds": seconds, "peak_rss_mb": peak, "quads": quads}), flush=True)
list(ds.query("SELECT * WHERE { ?s ?p ?o } LIMIT 1"))  # imports rdflib's SPARQL before forking


def child(text, out):
    measured = []
    for i in range(1 + runs):
        start = time.perf_counter()
        try:
            rows = sum(1 for _ in ds.query(text))
        except Exception as exc:  # an error is a result too
            out.write(json.dumps({"error": f"{type(exc).__name__}: {exc}"[:300]}) + "\\n")
            return
        seconds = time.perf_counter() - start
        out.write(json.dumps({"seconds": seconds, "rows": rows}) + "\\n")
        out.flush()
        if i == 0 and seconds > budget:
            return  # slow: the warm-up is the one measurement
        if i > 0:
            measured.append(seconds)
            if sum(measured) > budget:
                return


for name, text in queries.items():
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        try:
            with os.fdopen(write, "w") as out:
                child(text, out)
        finally:
            os._exit(0)
    os.close(write)
    lines, buffer, timed_out = [], b"", False
    deadline = time.monotonic() + timeout  # for each run: reset by every answer
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            os.kill(pid, signal.SIGKILL)
            timed_out = True
            break
        ready, _, _ = select.select([read], [], [], left)
        if not ready:
            continue
        chunk = os.read(read, 65536)
        if not chunk:
            break
        buffer += chunk
        while b"\\n" in buffer:
            line, buffer = buffer.split(b"\\n", 1)
            lines.append(json.loads(line))
            deadline = time.monotonic() + timeout
    os.waitpid(pid, 0)
    os.close(read)
    errors = [x["error"] for x in lines if "error" in x]
    done = [x for x in lines if "seconds" in x]
    measured = done[1:] or done[:1]  # the warm-up alone when it was the only run
    row = {"event": "query", "query": name, "timed_out": timed_out and not done[1:],
           "error": errors[0] if errors else None,
           "warm_up": done[0]["seconds"] if done else None,
           "times": [x["seconds"] for x in measured], "rows": measured[-1]["rows"] if measured else None}
    print(json.dumps(row), flush=True)
"""


def stream(command: list[str], extra: dict[str, object]) -> list[dict[str, object]]:
    """Run a measuring process, echo its JSON lines (with ``extra``) as they come, and return them."""
    rows = []
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=tempfile.gettempdir()) as process:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("{"):
                row = {**extra, **json.loads(line)}
                rows.append(row)
                print(json.dumps({k: v for k, v in row.items() if k != "text"}), flush=True)
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command)
    return rows


def rss_mb(pid: int) -> float:
    """The resident memory of a process, in MB (0 once it is gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    return next((int(x.split()[1]) / 1024 for x in status.splitlines() if x.startswith("VmRSS:")), 0.0)


def watched(
    command: list[str], timeout: float, max_rss: float, seen: Callable[[dict[str, object]], None]
) -> tuple[list[dict[str, object]], str | None]:
    """Run a measuring process and read its JSON lines; kill it when no line comes for ``timeout``
    seconds or its memory passes ``max_rss`` MB. Each line is handed to ``seen`` as it comes;
    returned are the lines and why the process was killed (None if it was not)."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, cwd=tempfile.gettempdir())
    assert process.stdout is not None
    fd, buffer, lines = process.stdout.fileno(), b"", []
    deadline, killed = time.monotonic() + timeout, None
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or rss_mb(process.pid) > max_rss:
            killed = "timeout" if left <= 0 else "memory"
            process.kill()
            break
        ready, _, _ = select.select([fd], [], [], min(left, 0.5))
        if not ready:
            continue
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            break
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            if line.startswith(b"{"):
                lines.append(json.loads(line))
                seen(lines[-1])
                deadline = time.monotonic() + timeout
    process.wait()
    process.stdout.close()
    if killed is None and process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command)
    return lines, killed


def embedded(store: Path, records: int, args: argparse.Namespace) -> list[dict[str, object]]:
    """Every catalogue query on the store, in one process; a query that runs too long or takes too
    much memory is stopped (recorded with the runs it finished) and the process starts again after it."""
    rows: list[dict[str, object]] = []
    skip: list[str] = []

    def seen(line: dict[str, object]) -> None:
        if line["event"] in ("store", "query"):
            row = {"kind": "embedded", "records": records, **line}
            rows.append(row)
            print(json.dumps({k: v for k, v in row.items() if k != "text"}), flush=True)
            if line["event"] == "query":
                skip.append(str(line["query"]))

    while True:
        command = [str(PYTHON), "-c", _EMBEDDED, str(store), str(args.runs), str(EMBEDDED_BUDGET)]
        lines, killed = watched([*command, str(SLOW), *skip], args.timeout, args.max_rss, seen)
        if killed is None:
            return rows
        started = [x for x in lines if x["event"] == "start"]
        if not started or started[-1]["query"] in skip:
            raise SystemExit(f"bench/queries.py: the embedded run was stopped ({killed}) outside a query")
        name = str(started[-1]["query"])
        warm_up = [x for x in lines if x["event"] == "warm-up" and x["query"] == name]
        times = [float(str(x["seconds"])) for x in lines if x["event"] == "run" and x["query"] == name]
        row = {
            **{k: v for k, v in started[-1].items() if k != "event"},
            "kind": "embedded",
            "records": records,
            "event": "query",
            "stopped": killed,
            "limit": args.timeout if killed == "timeout" else args.max_rss,
            "rows": warm_up[0]["rows"] if warm_up else None,
            "warm_up": warm_up[0]["seconds"] if warm_up else None,
            "times": times or [warm_up[0]["seconds"] for _ in warm_up],
        }
        rows.append(row)
        print(json.dumps({k: v for k, v in row.items() if k != "text"}), flush=True)
        skip.append(name)


def catalogue_names() -> list[str]:
    out = subprocess.run(
        [str(PYTHON), "-c", _CATALOGUE], check=True, capture_output=True, text=True, cwd=tempfile.gettempdir()
    )
    return list(json.loads(out.stdout))


def check_kinds(names: list[str]) -> None:
    missing = sorted(set(names) - set(KINDS))
    if missing:
        raise SystemExit(f"bench/queries.py: classify these catalogue queries in KINDS: {', '.join(missing)}")


def example_path() -> str:
    code = "from coopkg import resources; print(resources.example_path('tibet-expo-2023'))"
    out = subprocess.run(
        [str(PYTHON), "-c", code], check=True, capture_output=True, text=True, cwd=tempfile.gettempdir()
    )
    return out.stdout.strip()


def build(records: int, work: Path) -> tuple[Path, dict[str, object]]:
    """The store of a size: generated, then loaded with the example; reused when already built."""
    store, done = work / f"store-{records}", work / f"store-{records}.json"
    if done.exists() and store.is_dir():
        return store, json.loads(done.read_text(encoding="utf-8"))
    shutil.rmtree(store, ignore_errors=True)
    store.with_suffix(".nq.done").unlink(missing_ok=True)  # the export of an earlier store
    data = work / f"gen-{records}"
    shutil.rmtree(data, ignore_errors=True)
    command = [str(PYTHON), str(HERE / "generate.py"), "--records", str(records), "--out", str(data)]
    subprocess.run(command, check=True, cwd=tempfile.gettempdir(), stdout=subprocess.DEVNULL)
    start = time.perf_counter()
    for dataset in (str(data), example_path()):
        command = [str(COOPKG), "load", dataset, "--store", str(store)]
        done_load = subprocess.run(command, capture_output=True, text=True, cwd=tempfile.gettempdir())
        if done_load.returncode:
            raise SystemExit(f"{' '.join(command)} failed:\n{done_load.stdout}{done_load.stderr}")
    info: dict[str, object] = {"load_seconds": time.perf_counter() - start}
    done.write_text(json.dumps(info), encoding="utf-8")
    return store, info


def export(store: Path) -> Path:
    """The store as N-Quads, for rdflib; reused when already written."""
    dump, done = store.with_suffix(".nq"), store.with_suffix(".nq.done")
    if not (done.exists() and dump.exists()):
        subprocess.run(
            [str(COOPKG), "export", "--format", "nq", "-o", str(dump), "--store", str(store)],
            check=True,
            capture_output=True,
            cwd=tempfile.gettempdir(),
        )
        done.touch()
    return dump


def measure(records: int, work: Path, args: argparse.Namespace) -> list[dict[str, object]]:
    store, info = build(records, work)
    rows = [{"kind": "store", "records": records, **info}]
    print(json.dumps(rows[0]), flush=True)
    ours = embedded(store, records, args)
    rows += ours
    if records in args.rdflib_sizes:
        texts = {str(r["query"]): str(r["text"]) for r in ours if r["event"] == "query"}
        bound = work / f"bound-{records}.json"
        bound.write_text(json.dumps(texts), encoding="utf-8")
        command = [
            str(PYTHON),
            "-c",
            _RDFLIB,
            str(export(store)),
            str(bound),
            str(args.rdflib_timeout),
            str(RDFLIB_RUNS),
            str(RDFLIB_BUDGET),
        ]
        rows += stream(command, {"kind": "rdflib", "records": records, "timeout": args.rdflib_timeout})
    return rows


# -- the report ------------------------------------------------------------------------------------


def percentile(times: list[float], share: float) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(times)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def shown(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return f"{seconds * 1000:,.1f} ms" if seconds < 1 else f"{seconds:,.2f} s"


def times_of(row: dict[str, object]) -> list[float]:
    return [float(t) for t in row["times"]]  # type: ignore[attr-defined]


def p50_of(row: dict[str, object]) -> float | None:
    """The median run, None when no run finished."""
    times = times_of(row)
    return statistics.median(times) if times else None


def ours_cells(row: dict[str, object]) -> str:
    """rows | runs | p50 | p95 | target | met? of a query on the store."""
    target = TARGETS[KINDS[str(row["query"])]]
    p50, times = p50_of(row), times_of(row)
    rows = "—" if row["rows"] is None else f"{int(str(row['rows'])):,}"
    if p50 is None:
        limit = float(str(row["limit"]))
        what = f"> {limit:,.0f} s" if row["stopped"] == "timeout" else f"> {limit:,.0f} MB"
        return f"{rows} | 0 | {what} (stopped) | — | ≤ {shown(target)} | **no** |"
    stopped = f" (then stopped: {row['stopped']})" if row.get("stopped") else ""
    met = "yes" if p50 <= target else "**no**"
    return (
        f"{rows} | {len(times)}{stopped} | {shown(p50)} | {shown(percentile(times, 0.95))} | "
        f"≤ {shown(target)} | {met} |"
    )


def theirs_cells(theirs: dict[str, object] | None, ours: dict[str, object]) -> str:
    """rdflib rows | rdflib p50 | rdflib / coopkg of a query."""
    if theirs is None:
        return "— | — | — |"
    if theirs.get("error"):
        return "error | — | — |"
    p50 = p50_of(ours)
    if not theirs["times"]:
        timeout = float(str(theirs["timeout"]))
        ratio = f"≥ {timeout / p50:,.0f}{X}" if p50 else "—"
        return f"— | > {timeout:,.0f} s (stopped) | {ratio} |"
    rows, theirs_p50 = theirs["rows"], statistics.median(times_of(theirs))
    count = f"{rows:,}" if rows == ours["rows"] else f"**{rows:,} ≠ {ours['rows']}**"
    return f"{count} | {shown(theirs_p50)} | {f'{theirs_p50 / p50:,.0f}{X}' if p50 else '—'} |"


def ratios(by_name: dict[str, dict[str, object]], rdflib: dict[str, dict[str, object]]) -> list[float]:
    """rdflib p50 / coopkg p50 for each query; one stopped in rdflib counts as timeout / p50."""
    found = []
    for name, ours in by_name.items():
        theirs, p50 = rdflib.get(name), p50_of(ours)
        if theirs is None or theirs.get("error") or p50 is None:
            continue
        theirs_p50 = p50_of(theirs)
        found.append((theirs_p50 if theirs_p50 is not None else float(str(theirs["timeout"]))) / p50)
    return found


def ratio_summary(
    records: int, by_name: dict[str, dict[str, object]], rdflib: dict[str, dict[str, object]]
) -> list[str]:
    found = ratios(by_name, rdflib)
    stopped = sorted(n for n, r in rdflib.items() if not r["times"] and not r.get("error"))
    errors = sorted(f"{n} ({r['error']})" for n, r in rdflib.items() if r.get("error"))
    mismatches = sorted(
        n for n, r in rdflib.items() if r["times"] and n in by_name and r["rows"] != by_name[n]["rows"]
    )
    median = statistics.median(found) if found else float("nan")
    verdict = "met" if median >= RATIO_TARGET else "**missed**"
    at = "" if records == RATIO_SIZE else f", set at {RATIO_SIZE:,} records"
    lines = [
        f"- Median over the catalogue of rdflib p50 / coopkg p50: **{'≥ ' if stopped else ''}"
        f"{median:,.1f}{X}** over {len(found)} queries "
        f"(target: at least {RATIO_TARGET:.0f}{X}{at}): {verdict}."
    ]
    if stopped:
        lines.append(
            f"- Stopped in rdflib after {float(str(rdflib[stopped[0]]['timeout'])):,.0f} s without an "
            f"answer: {', '.join(stopped)}. Each counts as timeout / coopkg p50, a lower bound of its "
            "ratio, so the median is a lower bound too."
        )
    if errors:
        lines.append(f"- Failed in rdflib, left out of the median: {'; '.join(errors)}.")
    unmeasured = sorted(n for n, r in by_name.items() if p50_of(r) is None)
    if unmeasured:
        lines.append(f"- Stopped on the store, left out of the median: {', '.join(unmeasured)}.")
    lines.append(
        "- Queries whose row counts differ between rdflib and Oxigraph: "
        + (", ".join(mismatches) if mismatches else "none")
        + "."
    )
    return lines


def target_summary(sizes: list[int], ours: dict[int, dict[str, dict[str, object]]]) -> list[str]:
    records = TARGET_SIZE if TARGET_SIZE in sizes else max(sizes)
    at = "" if records == TARGET_SIZE else f" (the targets are set at {TARGET_SIZE:,}, not measured here)"
    lines = [f"Against the targets at {records:,} records{at}:", ""]
    by_name = ours.get(records, {})
    for kind, target in TARGETS.items():
        names = sorted(n for n in by_name if KINDS[n] == kind)
        missed = [n for n in names if (p50_of(by_name[n]) or math.inf) > target]
        lines.append(
            f"- {kind} queries with p50 ≤ {shown(target)}: {len(names) - len(missed)} of {len(names)}"
            + (f" (missed: {', '.join(missed)})" if missed else "")
        )
    return lines


def markdown(rows: list[dict[str, object]]) -> str:
    meta = next((r for r in rows if r["kind"] == "meta"), {})
    ours: dict[int, dict[str, dict[str, object]]] = {}
    theirs: dict[int, dict[str, dict[str, object]]] = {}
    triples: dict[int, int] = {}
    loads: dict[int, dict[str, object]] = {}
    for r in rows:
        records = int(str(r.get("records", 0)))
        if r["kind"] == "embedded" and r["event"] == "query":
            ours.setdefault(records, {})[str(r["query"])] = r
        elif r["kind"] == "embedded" and r["event"] == "store":
            triples[records] = int(str(r["triples"]))
        elif r["kind"] == "rdflib" and r["event"] == "query":
            theirs.setdefault(records, {})[str(r["query"])] = r
        elif r["kind"] == "rdflib" and r["event"] == "load":
            loads[records] = r
    check_kinds([name for by_name in ours.values() for name in by_name])
    sizes = sorted(ours)
    entity, aggregate = shown(TARGETS["entity"]), shown(TARGETS["aggregate"])
    lines = [
        "<!-- queries:begin (written by `make bench`: bench/queries.py) -->",
        "## Queries: the catalogue on the embedded store, beside rdflib in memory",
        "",
        f"Measured {meta.get('date', '?')} on {meta.get('machine', '?')}; pyoxigraph "
        f"{meta.get('pyoxigraph', '?')}, rdflib {meta.get('rdflib', '?')}.",
        "",
        "Each store holds a generated dataset (bench/generate.py), the bundled example",
        "(tibet-expo-2023, whose names the queries' `# example:` parameters use) and the reference data.",
        "Every catalogue query runs with its example parameters, bound beforehand (not timed), in one",
        "process on the store on disk, as `coopkg query` runs it: one warm-up, then up to "
        f"{meta.get('runs', 20)} runs",
        "(about 10 s of runs at most, but at least 3; a query whose warm-up took over a minute is",
        "measured by its warm-up alone). A run is the query and the reading of every row; p50 and p95",
        "are nearest-rank percentiles of the runs.",
        "",
        f"Targets (issue 6), p50 at {TARGET_SIZE:,} records: {entity} for a query about one entity,",
        f"{aggregate} for a whole-graph aggregate; at other sizes, whether the same figure would meet them.",
        f"And rdflib in memory at least {RATIO_TARGET:.0f} times slower at {RATIO_SIZE:,} records",
        "(the median over the catalogue of rdflib p50 / coopkg p50).",
    ]
    for records in sizes:
        by_name, rdflib = ours[records], theirs.get(records)
        lines += ["", f"### {records:,} records ({triples.get(records, 0):,} triples)", ""]
        if rdflib is not None and records in loads:
            load = loads[records]
            lines += [
                f"rdflib: the store's N-Quads export parsed into a `Dataset(default_union=True)` in "
                f"{float(str(load['seconds'])):,.1f} s,",
                f"peak RSS {float(str(load['peak_rss_mb'])):,.0f} MB ({int(str(load['quads'])):,} quads). "
                "The same bound query texts, every row read:",
                "one warm-up and up to 3 runs (fewer when slow), each query in a child process that is",
                f"stopped when a run takes over {rdflib_timeout(rows):,.0f} s.",
                "",
            ]
        header = "| query | kind | rows | runs | p50 | p95 | target | met? |"
        rule = "|---|---|---:|---:|---:|---:|---:|---|"
        if rdflib is not None:
            header += " rdflib rows | rdflib p50 | rdflib / coopkg |"
            rule += "---:|---:|---:|"
        lines += [header, rule]
        for name in sorted(by_name, key=lambda n: (KINDS[n] != "entity", n)):
            line = f"| {name} | {KINDS[name]} | {ours_cells(by_name[name])}"
            if rdflib is not None:
                line += f" {theirs_cells(rdflib.get(name), by_name[name])}"
            lines.append(line)
        if rdflib is not None:
            lines += ["", *ratio_summary(records, by_name, rdflib)]
    if sizes:
        lines += ["", *target_summary(sizes, ours)]
    lines.append("<!-- queries:end -->")
    return "\n".join(lines)


def rdflib_timeout(rows: list[dict[str, object]]) -> float:
    return next((float(str(r["timeout"])) for r in rows if r["kind"] == "rdflib"), 120.0)


def total_memory_mb() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024
    return 16384.0


def read_log(path: Path) -> list[dict[str, object]]:
    """The rows of a JSON file written by --json, or of the JSON lines a run printed."""
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return [json.loads(x) for x in text.splitlines() if x.startswith("{")]
    return list(data["rows"]) if isinstance(data, dict) else list(data)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[100000, 1000000])
    parser.add_argument("--rdflib-sizes", type=int, nargs="*", default=[100000])
    parser.add_argument("--runs", type=int, default=20, help="measured runs of each query (embedded)")
    parser.add_argument(
        "--timeout", type=float, default=900.0, help="seconds for one run on the store, then it is stopped"
    )
    parser.add_argument(
        "--max-rss", type=float, default=total_memory_mb() / 2, help="MB a query on the store may take"
    )
    parser.add_argument("--rdflib-timeout", type=float, default=120.0, help="seconds for one rdflib run")
    parser.add_argument("--work", type=Path, help="keep the data and the stores here, and reuse them")
    parser.add_argument("--json", type=Path, default=HERE.parent / "out" / "bench-queries.json")
    parser.add_argument("--markdown", type=Path)
    parser.add_argument(
        "--from-log", type=Path, help="render the JSON (or JSON lines) of an earlier run instead"
    )
    args = parser.parse_args()
    if args.from_log:
        rows = read_log(args.from_log)
    else:
        check_kinds(catalogue_names())
        from reasoning import machine

        version = subprocess.run(
            [
                str(PYTHON),
                "-c",
                "import rdflib, pyoxigraph; print(rdflib.__version__, pyoxigraph.__version__)",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        meta = {
            "kind": "meta",
            "date": dt.date.today().isoformat(),
            "machine": machine(),
            "rdflib": version[0],
            "pyoxigraph": version[1],
            "runs": args.runs,
        }
        print(json.dumps(meta), flush=True)
        rows = [meta]
        with tempfile.TemporaryDirectory(prefix="coopkg-queries-") as scratch:
            work = args.work.resolve() if args.work else Path(scratch)
            work.mkdir(parents=True, exist_ok=True)
            for records in sorted(set(args.sizes) | set(args.rdflib_sizes)):
                rows += measure(records, work, args)
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"rows": rows}, indent=1) + "\n", encoding="utf-8")
        print(f"raw results: {args.json}", file=sys.stderr)
    if args.markdown:
        from reasoning import write_section

        write_section(args.markdown, markdown(rows), "queries")
    else:
        print(markdown(rows))


if __name__ == "__main__":
    main()
