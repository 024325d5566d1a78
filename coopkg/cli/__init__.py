"""The ``coopkg`` command: a thin shell over the library, one module per command.

Exit codes: 0 success (or a conforming dataset), 1 the data is invalid (nothing was written),
2 a usage or input/output error. This module is the one place that turns exceptions into messages.

>>> main(["queries"]) == 0  # doctest: +ELLIPSIS
agreements-by-area ...
True
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from types import ModuleType
from typing import TextIO

from coopkg import __version__
from coopkg.cli import (
    convert,
    demo,
    diff,
    docs,
    export,
    load,
    plot,
    provenance,
    publish,
    queries,
    query,
    reason,
    serve,
    sparql,
    validate,
)
from coopkg.errors import CoopkgError, SubmissionRefused
from coopkg.reports import render_problems

COMMANDS: dict[str, ModuleType] = {
    "load": load,
    "validate": validate,
    "diff": diff,
    "convert": convert,
    "query": query,
    "queries": queries,
    "sparql": sparql,
    "export": export,
    "plot": plot,
    "publish": publish,
    "provenance": provenance,
    "reason": reason,
    "docs": docs,
    "demo": demo,
    "serve": serve,
}

EXIT_OK, EXIT_INVALID, EXIT_ERROR = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """Usage errors exit 2 with a one-line message (argparse's own behaviour, kept explicit)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"coopkg: error: {message}\n")


def parser() -> argparse.ArgumentParser:
    top = _Parser(
        prog="coopkg",
        description="A knowledge graph of inter-regional cooperation.",
        epilog="Exit codes: 0 ok, 1 data invalid, 2 usage or I/O error.",
    )
    top.add_argument("--version", action="version", version=f"coopkg {__version__}")
    sub = top.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, module in COMMANDS.items():
        command = sub.add_parser(
            name,
            help=module.HELP,
            description=module.HELP,
            add_help=module is not query,
        )
        module.configure(command)
        command.set_defaults(module=module, parser=command)
    return top


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run one command; return its exit code."""
    out = out or sys.stdout
    args = parser().parse_args(argv)
    try:
        code: int = args.module.run(args, out)
        return code
    except SubmissionRefused as exc:
        out.write(render_problems(exc.problems, "text") + "\n")
        sys.stderr.write(f"coopkg: {exc}\n")
        return EXIT_INVALID
    except CoopkgError as exc:
        sys.stderr.write(f"coopkg: error: {exc}\n")
        return exc.exit_code
    except BrokenPipeError:  # the reader went away (| head): stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:
        sys.stderr.write(f"coopkg: error: {exc}\n")
        return EXIT_ERROR
    except KeyboardInterrupt:
        sys.stderr.write("coopkg: interrupted\n")
        return 130
    except Exception as exc:  # the one place where an unexpected error becomes a message
        if os.environ.get("COOPKG_DEBUG"):
            traceback.print_exc()
        sys.stderr.write(
            f"coopkg: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in coopkg: please report it with the command you ran "
            "(set COOPKG_DEBUG=1 to see the traceback).\n"
        )
        return EXIT_ERROR


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
