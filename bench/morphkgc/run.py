"""The baseline of coopkg's ingest benchmark: Morph-KGC maps the generated CSV with mapping.ttl.

    python bench/morphkgc/run.py --records 10000 [--target nt|nq|oxigraph|both] [--keep] [--work DIR]

Generates the records (bench/generate.py --region-form code, in coopkg's venv), runs Morph-KGC in its own venv
(bench/.venv-morphkgc, made by setup.sh) and prints one JSON line per measurement. From Python:
``measure(csv_folder, out_dir, target)``. Only the standard library is used, so any Python 3.11
can import this file.

Targets: ``nt`` is Morph-KGC's command line writing N-Triples (it drops the graph map: N-Triples has
no graphs); ``nq`` the same as N-Quads, in the dataset's named graph; ``oxigraph`` an Oxigraph store
folder, written as ``morph_kgc.materialize_oxigraph`` writes its in-memory store (all triples as one
N-Quads text, then ``Store.bulk_load``). ``both`` is nt and oxigraph. The seconds are the wall time of
the whole Morph-KGC process, interpreter start included; the peak RSS is the largest sum of the
resident memory of that process and its workers, sampled every 50 ms.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import time
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
MORPH_PYTHON = REPO / "bench" / ".venv-morphkgc" / "bin" / "python"
COOPKG_PYTHON = REPO / ".venv" / "bin" / "python"
TARGETS = ("nt", "nq", "oxigraph")
PROCESSES = 2 * (os.cpu_count() or 1)  # Morph-KGC's default number_of_processes
PAGE = os.sysconf("SC_PAGE_SIZE")

CONFIG = """[CONFIGURATION]
output_format = {format}
output_file = {output}
number_of_processes = {processes}
logging_level = WARNING

[coopkg]
mappings = {mapping}
"""

# morph_kgc.materialize_oxigraph, with the store in a folder instead of in memory
TO_OXIGRAPH = """import io, sys, morph_kgc, pyoxigraph
triples = morph_kgc.materialize_set(sys.argv[1])
store = pyoxigraph.Store(sys.argv[2])
store.bulk_load(io.BytesIO(('.\\n'.join(triples) + '.').encode()), 'application/n-quads')
store.flush()
"""
COUNT_OXIGRAPH = "import sys, pyoxigraph; print(len(pyoxigraph.Store(sys.argv[1])))"


def _children() -> dict[int, list[int]]:
    """Every process's children, from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        ppid = int(text[text.rindex(")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(stat.parent.name))
    return children


def _tree(root: int) -> list[int]:
    children, tree, todo = _children(), [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def _rss(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError, IndexError):  # ended since
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    return total


def run_measured(command: list[str], cwd: Path | None = None) -> tuple[float, float]:
    """Run a command; its wall time in seconds and the peak RSS of its process tree in MB."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd)
    peak, pids, tick = 0, [process.pid], 0
    while process.poll() is None:
        if tick % 10 == 0:  # look for new workers every 0.5 s: scanning /proc costs ~6 ms
            pids = _tree(process.pid)
        peak = max(peak, _rss(pids))
        tick += 1
        time.sleep(0.05)
    seconds = time.perf_counter() - start
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command)
    return seconds, peak / 2**20


def dataset_id(csv_folder: Path) -> str:
    manifest = csv_folder / "manifest.toml"
    if manifest.exists():
        return tomllib.loads(manifest.read_text(encoding="utf-8")).get("id", csv_folder.name)
    return csv_folder.name


def measure(csv_folder: Path, out_dir: Path, target: str, processes: int = PROCESSES) -> dict:
    """Map ``csv_folder`` with Morph-KGC to ``target`` (nt, nq or oxigraph) under ``out_dir``."""
    if target not in TARGETS:
        raise ValueError(f"target is one of {', '.join(TARGETS)}")
    if not MORPH_PYTHON.exists():
        subprocess.run(["sh", str(HERE / "setup.sh")], check=True)
    csv_folder, out_dir = Path(csv_folder).resolve(), Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    mapping = out_dir / "mapping.ttl"
    text = (HERE / "mapping.ttl").read_text(encoding="utf-8")
    mapping.write_text(text.replace("__DATASET__", dataset_id(csv_folder)), encoding="utf-8")
    output = out_dir / ("store" if target == "oxigraph" else f"output.{target}")
    if output.is_dir():
        shutil.rmtree(output)
    output.unlink(missing_ok=True)
    config = out_dir / f"config-{target}.ini"
    rdf_format = "N-TRIPLES" if target == "nt" else "N-QUADS"
    config.write_text(
        CONFIG.format(format=rdf_format, output=output, processes=processes, mapping=mapping),
        encoding="utf-8",
    )
    python = str(MORPH_PYTHON)
    if target == "oxigraph":
        command = [python, "-c", TO_OXIGRAPH, str(config), str(output)]
    else:
        command = [python, "-m", "morph_kgc", str(config)]
    # rml:source paths in mapping.ttl are relative to the CSV folder
    seconds, peak_rss_mb = run_measured(command, cwd=csv_folder)
    if target == "oxigraph":
        count = subprocess.run(
            [python, "-c", COUNT_OXIGRAPH, str(output)], check=True, capture_output=True, text=True
        )
        triples = int(count.stdout)
    else:
        with output.open("rb") as stream:
            triples = sum(1 for _ in stream)
    return {
        "tool": "morph-kgc",
        "target": target,
        "records": sum(_records(csv_folder)),
        "triples": triples,
        "seconds": round(seconds, 3),
        "triples_per_s": round(triples / seconds),
        "peak_rss_mb": round(peak_rss_mb, 1),
        "processes": processes,
        "output": str(output),
    }


def _records(csv_folder: Path):
    for csv in csv_folder.glob("*.csv"):
        with csv.open("rb") as stream:
            yield sum(1 for _ in stream) - 1  # the generator writes no line breaks inside cells


def generate(records: int, out: Path, seed: int = 1) -> None:
    """The benchmark's records, regions as codes, written by coopkg's venv."""
    command = [
        str(COOPKG_PYTHON),
        str(HERE.parent / "generate.py"),
        "--region-form",
        "code",
        "--records",
        str(records),
    ]
    command += ["--out", str(out), "--seed", str(seed)]
    subprocess.run(command, check=True, cwd=tempfile.gettempdir(), stdout=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, required=True)
    parser.add_argument("--target", choices=[*TARGETS, "both"], default="both")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--processes", type=int, default=PROCESSES, help="Morph-KGC's workers")
    parser.add_argument("--work", type=Path, help="folder for the data and the outputs (default: temporary)")
    parser.add_argument("--keep", action="store_true", help="keep the data and the outputs")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="morphkgc-"))
    csv_folder = work / f"bench-{args.records}"
    if not (csv_folder / "manifest.toml").exists():
        generate(args.records, csv_folder, args.seed)
    targets = ["nt", "oxigraph"] if args.target == "both" else [args.target]
    try:
        for target in targets:
            result = measure(csv_folder, work / f"out-{args.records}", target, args.processes)
            print(json.dumps(result), flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
