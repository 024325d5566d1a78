"""Options that several commands share."""

from __future__ import annotations

import argparse
from pathlib import Path

from coopkg.store import ENV_STORE, Store, default_store_path


def add_store(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store",
        type=Path,
        metavar="PATH",
        help=f"the store folder (default: ${ENV_STORE}, else {default_store_path()})",
    )


def open_store(args: argparse.Namespace, *, create: bool = False) -> Store:
    """The store the command works on; only loading creates one."""
    return Store(args.store or default_store_path(), create=create)


def add_lang(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lang", choices=("en", "zh"), default="en", help="language of the messages (default: en)"
    )


def add_encoding(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--encoding",
        metavar="NAME",
        help="the encoding of CSV and TSV files, e.g. gb18030 (default: UTF-8; a byte-order mark wins)",
    )
