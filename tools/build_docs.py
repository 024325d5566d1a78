"""Regenerate the documentation generated from coopkg/loaders/kinds.py (what `make docs` runs).

- docs/records.md: the field tables between ``<!-- BEGIN GENERATED`` and ``<!-- END GENERATED``;
- docs/schema/{kind}.schema.json: a JSON Schema per record kind (a file of a kind no longer defined
  is removed).

Usage (from anywhere; paths are relative to this file's repository)::

    .venv/bin/python tools/build_docs.py           # (re)write the files
    .venv/bin/python tools/build_docs.py --check   # exit 1, naming the stale files, if any differs
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from coopkg.loaders.kinds import fields_markdown
from coopkg.loaders.schema import schema_files

ROOT = Path(__file__).resolve().parents[1]
RECORDS = ROOT / "docs" / "records.md"
SCHEMAS = ROOT / "docs" / "schema"
SCHEMA_GLOB = "*.schema.json"


def records_markdown(text: str) -> str:
    """records.md with its generated part replaced by the field tables of the kinds."""
    begin = text.index("-->", text.index("<!-- BEGIN GENERATED")) + 3
    end = text.index("<!-- END GENERATED")
    return text[:begin] + "\n" + fields_markdown() + "\n" + text[end:]


def wanted() -> dict[Path, str | None]:
    """Each generated file and its text; ``None`` for a file to remove."""
    files: dict[Path, str | None] = {p: None for p in SCHEMAS.glob(SCHEMA_GLOB)}
    files.update({SCHEMAS / name: text for name, text in schema_files().items()})
    files[RECORDS] = records_markdown(RECORDS.read_text(encoding="utf-8"))
    return files


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate docs/records.md's tables and docs/schema/.")
    parser.add_argument("--check", action="store_true", help="exit 1 if a generated file is stale")
    args = parser.parse_args(argv)
    stale = []
    for path, text in sorted(wanted().items()):
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(path)
        if args.check:
            continue
        if text is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
    for path in stale:
        verb = "stale" if args.check else "wrote" if path.exists() else "removed"
        print(f"{verb}: {path.relative_to(ROOT).as_posix()}", file=sys.stderr)
    if args.check and stale:
        print("run `make docs`", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
