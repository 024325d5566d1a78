"""Shared fixtures: the bundled reference data, stores, and the test datasets."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

from coopkg import resources
from coopkg.ingest import load
from coopkg.reference import Reference
from coopkg.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
DATASETS = FIXTURES / "datasets"


def _sibling(name: str) -> ModuleType:
    """A module of tests/ (not a package), imported from its file."""
    path = Path(__file__).parent / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"coopkg_tests_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


servers = _sibling("servers")
oxigraph_server = servers.oxigraph_server
virtuoso_server = servers.virtuoso_server
serve_command = servers.serve_command


@pytest.fixture(scope="session")
def reference() -> Reference:
    return Reference.bundled()


@pytest.fixture(scope="session")
def example() -> Path:
    return resources.example_path("tibet-expo-2023")


@pytest.fixture(scope="session")
def example_store(reference: Reference, example: Path) -> Store:
    """An in-memory store holding the founding example (read-only for the tests)."""
    store = Store()
    load(example, store, reference)
    return store


@pytest.fixture
def dataset(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A writable copy of a test dataset: ``dataset("minimal")``."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(DATASETS / name, target)
        return target

    return copy


@pytest.fixture(autouse=True)
def _no_default_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test writes to the user's default store."""
    monkeypatch.setenv("COOPKG_STORE", str(tmp_path / "default-store"))


@pytest.fixture(scope="session")
def generator() -> ModuleType:
    """tools/build_classifications.py, imported from its file (tools/ is not a package)."""
    path = Path(__file__).resolve().parents[1] / "tools" / "build_classifications.py"
    spec = importlib.util.spec_from_file_location("build_classifications", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module
