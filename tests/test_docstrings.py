"""Every docstring example of the library runs and gives what it shows."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

# The card's folders are mapped into coopkg by the packaging, so each package is walked on its own.
PACKAGES = [
    "coopkg",
    "coopkg.cli",
    "coopkg.pictures",
    "coopkg.loaders",
    "coopkg.ontology",
    "coopkg.shapes",
    "coopkg.queries",
    "coopkg.examples",
    "coopkg.refdata",
]


def modules() -> list[str]:
    found = set(PACKAGES)
    for package in PACKAGES:
        path = importlib.import_module(package).__path__
        found.update(m.name for m in pkgutil.iter_modules(path, package + ".") if not m.ispkg)
    return sorted(found - {"coopkg.__main__"})


MODULES = modules()


def test_modules_are_found() -> None:
    assert {"coopkg.gazetteer", "coopkg.loaders.mapping", "coopkg.catalogue"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
