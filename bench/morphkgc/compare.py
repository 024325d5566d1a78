"""Compare Morph-KGC's output with what coopkg's loader makes of the same CSV folder.

    cd /tmp && REPO/.venv/bin/python REPO/bench/morphkgc/compare.py CSV_FOLDER OUTPUT.nq

Run in coopkg's venv. Prints one JSON object: the quads of each side (coopkg's with the provenance
of a load, and without it), how many both have, and the differences counted by (subject kind, predicate). The
Morph-KGC file must be N-Quads (``run.py --target nq --keep``) for the graphs to match.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections import Counter
from pathlib import Path

from pyoxigraph import Quad, RdfFormat, parse

from coopkg.loaders import read_dataset
from coopkg.reference import Reference

ID = "https://w3id.org/coopkg/id/"


def kind(iri: str, dataset: str) -> str:
    """``agreement`` for …/id/{dataset}/agreement/a1, ``amount`` for an outcome's …/amount."""
    if iri.startswith(f"{ID}{dataset}/"):
        parts = iri[len(ID) + len(dataset) + 1 :].split("/")
        return "amount" if parts[-1] == "amount" else parts[0]
    if iri.startswith(ID):
        return iri[len(ID) :].split("/")[0]
    return "graph" if "/graph/" in iri else iri


def differences(quads: set[Quad], dataset: str) -> dict[str, int]:
    counts = Counter(f"{kind(q.subject.value, dataset)} {q.predicate.value}" for q in quads)
    return dict(sorted(counts.items()))


def main() -> None:
    folder, output = Path(sys.argv[1]), Path(sys.argv[2])
    mapped = read_dataset(folder, Reference.bundled())
    submission = mapped.submission
    now = dt.datetime.now(dt.UTC)
    coopkg = {*mapped.quads, *mapped.provenance, *submission.provenance(started=now, ended=now)}
    morph = set(parse(path=output, format=RdfFormat.N_QUADS))
    dataset = submission.manifest.id
    print(
        json.dumps(
            {
                "dataset": dataset,
                "records": sum(1 for _ in submission.records([])),
                "problems": len(mapped.problems),
                "coopkg": len(coopkg),
                "coopkg_mapped": len(set(mapped.quads)),
                "morph_kgc": len(morph),
                "common": len(coopkg & morph),
                "only_coopkg": differences(coopkg - morph, dataset),
                "only_morph_kgc": differences(morph - coopkg, dataset),
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
