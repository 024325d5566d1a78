"""A dataset's manifest: ``manifest.toml`` names the dataset, its licence, publisher and sources.

>>> from coopkg import resources
>>> m = read_manifest(resources.example_path("tibet-expo-2023"))
>>> m.id, m.sources[0].publisher, m.sources[0].released.isoformat()
('tibet-expo-2023', 'Liaoning Daily', '2023-06-20')
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from coopkg.errors import CoopkgError, Problem
from coopkg.vocab import RESERVED_GRAPH_NAMES

MANIFEST = "manifest.toml"
SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_REQUIRED = ("title", "licence", "publisher")


@dataclass(frozen=True)
class Source:
    """A document the dataset's records cite: a news article, a government report."""

    id: str
    title: str
    publisher: str
    released: dt.date
    language: str | None = None
    url: str | None = None
    line: int | None = None


@dataclass
class Manifest:
    """What ``manifest.toml`` says of a dataset."""

    folder: Path
    id: str
    title: str
    licence: str
    publisher: str
    description: str = ""
    language: str = "en"
    sources: list[Source] = field(default_factory=list)

    def source(self, source_id: str) -> Source | None:
        return next((s for s in self.sources if s.id == source_id), None)


def _line_of(text: str, needle: str) -> int | None:
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return number
    return None


def read_manifest(folder: Path, problems: list[Problem] | None = None) -> Manifest:
    """Read and check ``folder/manifest.toml``; data problems go to ``problems``.

    A missing folder or manifest is a usage error (:class:`CoopkgError`).
    """
    problems = problems if problems is not None else []
    path = folder / MANIFEST
    if not folder.is_dir():
        raise CoopkgError(f"{folder}: not a folder; a dataset is a folder with a {MANIFEST}")
    if not path.is_file():
        raise CoopkgError(f"{folder}: no {MANIFEST}; see docs/records.md for what it holds")
    text = path.read_text(encoding="utf-8-sig")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        problems.append(
            Problem(
                MANIFEST,
                int(line.group(1)) if line else None,
                None,
                None,
                f"not valid TOML: {exc}",
                hint="fix the syntax; strings need double quotes",
            )
        )
        data = {}

    def need(key: str, table: dict[str, object], where: int | None, prefix: str = "") -> str:
        value = table.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
        problems.append(
            Problem(
                MANIFEST,
                where,
                prefix + key,
                None if value is None else str(value),
                "missing" if value is None else "must be non-empty text",
                hint=f'add a line {key} = "…"',
            )
        )
        return ""

    dataset_id = str(data.get("id") or folder.name)
    if dataset_id in RESERVED_GRAPH_NAMES:
        problems.append(
            Problem(
                MANIFEST,
                _line_of(text, "id"),
                "id",
                dataset_id,
                "this name is reserved for coopkg's own graphs",
                hint='choose another id = "…"',
            )
        )
        dataset_id += "-dataset"
    if not SLUG.match(dataset_id):
        problems.append(
            Problem(
                MANIFEST,
                _line_of(text, "id"),
                "id",
                dataset_id,
                "a dataset id is lowercase letters, digits, '.', '_' and '-'",
                hint='set id = "my-dataset" in the manifest',
            )
        )
        dataset_id = re.sub(r"[^a-z0-9._-]+", "-", dataset_id.lower()).strip("-._") or "dataset"
    manifest = Manifest(
        folder=folder,
        id=dataset_id,
        title=need("title", data, 1),
        licence=need("licence", data, 1),
        publisher=need("publisher", data, 1),
        description=str(data.get("description", "")),
        language=str(data.get("language", "en")),
    )
    raw_sources = data.get("sources", [])
    if not isinstance(raw_sources, list) or not raw_sources:
        problems.append(
            Problem(
                MANIFEST,
                None,
                "sources",
                None,
                "a dataset lists the sources its records cite",
                hint="add a [[sources]] table with id, title, publisher and released",
            )
        )
        raw_sources = []
    for raw in raw_sources:
        sid = str(raw.get("id", ""))
        where = _line_of(text, f'"{sid}"') if sid else None
        released = raw.get("released")
        if not isinstance(released, dt.date) or isinstance(released, dt.datetime):
            problems.append(
                Problem(
                    MANIFEST,
                    where,
                    "sources.released",
                    None if released is None else str(released),
                    "a source needs its release date",
                    hint="write it as a TOML date: released = 2023-06-20",
                )
            )
            released = dt.date.min
        if not SLUG.match(sid):
            problems.append(
                Problem(
                    MANIFEST,
                    where,
                    "sources.id",
                    sid,
                    "a source id is lowercase letters, digits, '.', '_' and '-'",
                    hint='give it id = "publisher-yyyy-mm-dd"',
                )
            )
        manifest.sources.append(
            Source(
                id=sid,
                title=need("title", raw, where, "sources."),
                publisher=need("publisher", raw, where, "sources."),
                released=released,
                language=raw.get("language"),
                url=raw.get("url"),
                line=where,
            )
        )
    return manifest
