"""Options that several commands share."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator
from pathlib import Path

from coopkg.backend import Backend, Embedded
from coopkg.config import endpoint_config
from coopkg.endpoint import ENV_PASSWORD, ENV_USER, Endpoint
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


def add_backend(
    parser: argparse.ArgumentParser, *, purpose: str = "work on a SPARQL 1.1 server instead of the store"
) -> None:
    """--store, or --endpoint and its companions: where the data lives."""
    add_store(parser)
    remote = parser.add_argument_group(
        "remote SPARQL endpoint",
        f"{purpose}; credentials come from ${ENV_USER} and ${ENV_PASSWORD}",
    )
    remote.add_argument(
        "--endpoint",
        metavar="URL|NAME",
        help="the query endpoint's URL, or the name of an [endpoints.NAME] section of the "
        "configuration file ($COOPKG_CONFIG, ./coopkg.toml or ~/.config/coopkg/config.toml)",
    )
    remote.add_argument("--update-endpoint", metavar="URL", help="the SPARQL Update endpoint (for loads)")
    remote.add_argument(
        "--graph-store", metavar="URL", help="the Graph Store Protocol endpoint (faster loads)"
    )
    remote.add_argument(
        "--timeout", type=float, metavar="SECONDS", help="time limit of each request (default 60)"
    )


@contextlib.contextmanager
def open_backend(args: argparse.Namespace, *, create: bool = False) -> Iterator[Backend]:
    """The store, or the endpoint, that the command works on."""
    if getattr(args, "endpoint", None):
        yield Endpoint(
            endpoint_config(
                args.endpoint, update=args.update_endpoint, graph_store=args.graph_store, timeout=args.timeout
            )
        )
        return
    with open_store(args, create=create) as store:
        yield Embedded(store)


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
