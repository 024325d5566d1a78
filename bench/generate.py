"""A deterministic generator of realistic cooperation datasets, for the benchmarks.

    python bench/generate.py --records 10000 --out /tmp/gen-10k [--seed 1] [--broken 0]
    python bench/generate.py --pairs 1000 --out /tmp/gen-1k-pairs   # about 1,000 pairs of regions

Regions are drawn from coopkg's gazetteer and named the ways sources name them (Chinese name,
English name, GB/T 2260 code); every record kind appears; with ``--broken P`` about P percent of the
records carry a deliberate mistake (an unknown region, a bad date, a missing field).
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

from coopkg.gazetteer import Gazetteer, RegionNotFound
from coopkg.loaders.kinds import plural

SOURCE = "generated-2024"
AREAS = [
    "tourism",
    "culture",
    "museums-cultural-heritage",
    "performing-arts-cultural-exchange",
    "marketing-promotion",
    "investment-promotion",
    "trade",
    "education",
    "health",
    "agriculture",
]
MECHANISM_TYPES = ["aid", "counterpart-aid", "twinning", "framework-cooperation"]
INSTRUMENTS = [
    "cooperation-agreement",
    "strategic-cooperation-agreement",
    "framework-agreement",
    "memorandum-of-understanding",
    "tourism-industry-cooperation-agreement",
]
# Shares of the records by kind: every mechanism comes with an agreement, activities and an event.
SHARES = {"event": 0.1, "mechanism": 0.2, "agreement": 0.2, "activity": 0.4, "outcome": 0.1}


def region_names(rng: random.Random, form: str = "mixed") -> list[list[str]]:
    """For each region, the names that resolve to it alone, in the forms sources use; with form
    "code", each of those names written as the region's code instead (same list lengths, so the
    same random draws and the same records), for tools that cannot resolve names (RML)."""
    gazetteer = Gazetteer.bundled()
    regions = []
    for region in gazetteer.regions.values():
        if region.level == "country":
            continue
        names = []
        for name in (region.name_zh, region.name_en, region.code):
            try:
                gazetteer.resolve(name)
            except RegionNotFound:
                continue
            names.append(region.code if form == "code" else name)
        regions.append(names)
    return regions


def records_for_pairs(pairs: int) -> int:
    """How many records give about this many pairs of regions: each mechanism joins a pair drawn at
    random (and the agreements join the mechanisms' pairs), so nearly every mechanism adds a pair.

    >>> records_for_pairs(1000)
    5000
    """
    return round(pairs / SHARES["mechanism"])


def write(folder: Path, kind: str, header: list[str], rows: list[list[str]]) -> None:
    with (folder / f"{plural(kind)}.csv").open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)


def generate(
    records: int, out: Path, *, seed: int = 1, broken: float = 0.0, region_form: str = "mixed"
) -> dict[str, int]:
    rng = random.Random(seed)
    names = region_names(rng, region_form)
    out.mkdir(parents=True, exist_ok=True)
    (out / "manifest.toml").write_text(
        f'id = "{out.name}"\ntitle = "Generated cooperation records ({records})"\n'
        'licence = "https://creativecommons.org/publicdomain/zero/1.0/"\npublisher = "coopkg bench"\n\n'
        f'[[sources]]\nid = "{SOURCE}"\ntitle = "Generated for the benchmarks"\n'
        'publisher = "coopkg bench"\nreleased = 2024-12-31\n',
        encoding="utf-8",
    )
    counts = {kind: max(1, round(records * share)) for kind, share in SHARES.items()}

    def mistake(value: str, bad: str) -> str:
        return bad if rng.random() * 100 < broken else value

    events = [
        [
            f"e{i}",
            f"Cooperation fair {i}",
            rng.choice(["expo", "forum", "promotion-conference"]),
            mistake(f"20{rng.randint(10, 23)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}", "2023-02-30"),
            SOURCE,
        ]
        for i in range(counts["event"])
    ]
    write(out, "event", ["id", "name", "event_type", "start_date", "source"], events)
    mechanisms, agreements = [], []
    for i in range(counts["mechanism"]):
        a, b = (rng.choice(region) for region in rng.sample(names, 2))  # two different regions
        kind = rng.choice(MECHANISM_TYPES)
        directed = kind in ("aid", "counterpart-aid")
        mechanisms.append(
            [
                f"m{i}",
                f"Mechanism {i}",
                kind,
                a if directed else "",
                b if directed else "",
                "" if directed else f"{a}|{b}",
                "|".join(rng.sample(AREAS, rng.randint(1, 3))),
                SOURCE,
            ]
        )
    write(
        out,
        "mechanism",
        ["id", "name", "mechanism_type", "providers", "recipients", "participants", "areas", "source"],
        mechanisms,
    )
    for i in range(counts["agreement"]):
        mechanism = mechanisms[i % len(mechanisms)]
        parties = mechanism[5] or f"{mechanism[3]}|{mechanism[4]}"
        agreements.append(
            [
                f"a{i}",
                f"Agreement {i}",
                mistake(parties, "Atlantis|Nowhere"),
                rng.choice(INSTRUMENTS),
                f"e{rng.randrange(counts['event'])}",
                mechanism[0] if i < len(mechanisms) else "",
                SOURCE,
            ]
        )
    write(
        out,
        "agreement",
        ["id", "name", "parties", "instrument_type", "signed_at", "establishes", "source"],
        agreements,
    )
    activities = [
        [
            f"t{i}",
            f"a{rng.randrange(counts['agreement'])}",
            str(i % 6 + 1),
            f"Line of work {i}",
            mistake(rng.choice(AREAS), ""),
            SOURCE,
        ]
        for i in range(counts["activity"])
    ]
    write(out, "activity", ["id", "agreement", "sequence", "name", "areas", "source"], activities)
    outcomes = []
    for i in range(counts["outcome"]):
        if i % 3:
            outcomes.append(
                [
                    f"o{i}",
                    f"Agreements {i}",
                    f"e{i % counts['event']}",
                    "agreement-count",
                    rng.choice(INSTRUMENTS),
                    str(rng.randint(1, 60)),
                    "",
                    SOURCE,
                ]
            )
        else:
            outcomes.append(
                [
                    f"o{i}",
                    f"Investment {i}",
                    f"e{i % counts['event']}",
                    "agreed-investment",
                    "",
                    str(rng.randint(1, 900) * 10_000_000),
                    "CNY",
                    SOURCE,
                ]
            )
    write(
        out,
        "outcome",
        ["id", "name", "event", "measure", "instrument_type", "value", "currency", "source"],
        outcomes,
    )
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    size = parser.add_mutually_exclusive_group(required=True)
    size.add_argument("--records", type=int)
    size.add_argument("--pairs", type=int, help="about this many pairs of regions (5 records a pair)")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--broken", type=float, default=0.0, help="percent of records with a mistake")
    parser.add_argument(
        "--region-form",
        choices=("mixed", "code"),
        default="mixed",
        help="code: every region by its code (for RML)",
    )
    args = parser.parse_args()
    records = args.records if args.records is not None else records_for_pairs(args.pairs)
    counts = generate(records, args.out, seed=args.seed, broken=args.broken, region_form=args.region_form)
    print(f"wrote {sum(counts.values())} records to {args.out}: {counts}")


if __name__ == "__main__":
    main()
