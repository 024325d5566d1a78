"""No term of the ontology is dead weight: shapes, loaders or queries use every class and property."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

from coopkg import resources
from coopkg.vocab import COOP

PREFIXED = re.compile(r"\bcoop:([A-Za-z][A-Za-z0-9]*)")
FULL = re.compile(re.escape(COOP.base) + r"([A-Za-z][A-Za-z0-9]*)")
PYTHON = re.compile(r"\bCOOP\.([A-Za-z][A-Za-z0-9]*)")


def terms_in(text: str, *patterns: re.Pattern[str]) -> set[str]:
    return {m.group(1) for p in patterns for m in p.finditer(text)}


def used_by_shapes() -> set[str]:
    return terms_in("\n".join(f.read_text(encoding="utf-8") for f in resources.shape_files()), PREFIXED, FULL)


def used_by_queries() -> set[str]:
    return terms_in("\n".join(f.read_text(encoding="utf-8") for f in resources.query_files()), PREFIXED, FULL)


def used_by_loaders() -> set[str]:
    """The loaders of datasets, of reference data (gazetteer) and of provenance."""
    names = ["coopkg.gazetteer", "coopkg.ingest", "coopkg.summary"]
    package = importlib.import_module("coopkg.loaders")
    names += [m.name for m in pkgutil.iter_modules(package.__path__, "coopkg.loaders.")]
    return terms_in(
        "\n".join(inspect.getsource(importlib.import_module(n)) for n in names), PYTHON, PREFIXED, FULL
    )


def test_every_term_is_used() -> None:
    used = used_by_shapes() | used_by_loaders() | used_by_queries()
    assert sorted(set(COOP.terms) - used) == []


def test_no_part_uses_a_term_the_ontology_lacks() -> None:
    for part in (used_by_shapes(), used_by_loaders(), used_by_queries()):
        assert sorted(part - set(COOP.terms)) == []


def test_the_checks_can_fail() -> None:
    assert terms_in("?x coop:Regoin ?y", PREFIXED) == {"Regoin"}
    assert "Regoin" not in COOP.terms
