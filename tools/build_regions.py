"""Write another country's first-level divisions as coopkg reference data (the generic format).

    python tools/build_regions.py JP [--out coopkg/refdata/regions_jp.csv]

The divisions come from ISO 3166-2 as ``pycountry`` packages it (installed into a temporary folder by
the same pinned, hash-checked install as tools/build_refdata.py). The file is data: the gazetteer
reads every ``coopkg/refdata/regions_*.csv`` (and files passed to ``Gazetteer.bundled(extra=…)``)
with no change to the code. Columns are described in coopkg/refdata/README.md; names in the local
language, Chinese names and GeoNames/Wikidata links are left empty for a curator to fill in.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_refdata import REFDATA, BuildError, import_packages, install_packages

COLUMNS = [
    "country",
    "code",
    "level",
    "name_en",
    "name_zh",
    "name_local",
    "local_language",
    "division_type",
    "parent_code",
    "iso_3166_2",
    "geonames_id",
    "wikidata",
    "aliases",
    "source",
]
SOURCE = "ISO 3166-2 as packaged by pycountry (LGPL-2.1)"


def rows(country_code: str, pycountry: object) -> list[dict[str, str]]:
    country = pycountry.countries.get(alpha_2=country_code)  # type: ignore[attr-defined]
    if country is None:
        raise BuildError(f"{country_code} is not an ISO 3166-1 alpha-2 code")
    empty = dict.fromkeys(COLUMNS, "")
    out = [
        {
            **empty,
            "country": country_code,
            "level": "country",
            "name_en": country.name,
            "iso_3166_2": country_code,
            "source": SOURCE,
        }
    ]
    subdivisions = pycountry.subdivisions.get(country_code=country_code) or []  # type: ignore[attr-defined]
    for sub in sorted(subdivisions, key=lambda s: s.code):
        if sub.parent_code is not None:
            continue  # first level only
        out.append(
            {
                **empty,
                "country": country_code,
                "code": sub.code,
                "level": "province",
                "name_en": sub.name,
                "iso_3166_2": sub.code,
                "source": SOURCE,
            }
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("country", help="ISO 3166-1 alpha-2 code, e.g. JP")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    code = args.country.upper()
    out = args.out or REFDATA / f"regions_{code.lower()}.csv"
    try:
        with tempfile.TemporaryDirectory(prefix="coopkg-regions-") as work:
            target = Path(work) / "site"
            install_packages(target)
            table = rows(code, import_packages(target)["pycountry"])
    except BuildError as error:
        print(f"build_regions: {error}", file=sys.stderr)
        return 2
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(table)
    out.write_text(buffer.getvalue(), encoding="utf-8")
    print(f"wrote {len(table) - 1} divisions of {code} to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
