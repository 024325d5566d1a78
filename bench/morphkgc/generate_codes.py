"""bench/generate.py with every region written as its GB/T 2260 code, for the RML mapping.

    python bench/morphkgc/generate_codes.py --records 10000 --out /tmp/gen-10k [--seed 1]

RML cannot resolve region names, so each name the generator would write (Chinese name, English
name or code) is replaced by the code coopkg's gazetteer resolves it to. The lists keep their
lengths, so the random draws, and hence the records, are those of bench/generate.py with the same
seed: coopkg maps both files to the same graph. Stands in for a ``--region-form code`` option.
"""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path

from coopkg.gazetteer import Gazetteer

_spec = importlib.util.spec_from_file_location("generate", Path(__file__).parents[1] / "generate.py")
assert _spec and _spec.loader
generate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generate)
_region_names = generate.region_names


def region_codes(rng: random.Random) -> list[list[str]]:
    gazetteer = Gazetteer.bundled()
    return [
        [gazetteer.resolve(name).value.rsplit("/", 1)[1] for name in names] for names in _region_names(rng)
    ]


generate.region_names = region_codes

if __name__ == "__main__":
    generate.main()
