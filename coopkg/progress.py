"""A progress bar for long loads, on standard error, drawn only when that is a terminal.

>>> import io
>>> bar = Progress(total=10, stream=io.StringIO())  # not a terminal: draws nothing
>>> bar.advance(5); bar.done(); bar.stream.getvalue()
''
>>> bar = Progress(total=10, stream=io.StringIO(), enabled=True, every=0)
>>> bar.advance(5); "50%" in bar.stream.getvalue()
True
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

_WIDTH = 30


class Progress:
    """Records read out of an estimated total, and the phase a load is in."""

    def __init__(
        self,
        *,
        total: int | None = None,
        stream: TextIO | None = None,
        enabled: bool | None = None,
        every: float = 0.25,
        label: str = "mapping",
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.total = total
        self.count = 0
        self.every = every
        self.label = label
        self.started = time.monotonic()
        self._drawn = 0.0
        self._width = 0

    def restart(self, *, total: int | None, label: str = "mapping") -> None:
        """Count again from zero (a load that sets records aside reads the files again)."""
        self.total, self.count, self.label, self.started = total, 0, label, time.monotonic()

    def advance(self, records: int = 1) -> None:
        self.count += records
        if self.enabled and (now := time.monotonic()) - self._drawn >= self.every:
            self._drawn = now
            self._draw()

    def phase(self, label: str) -> None:
        """A new phase; the records are all read by then."""
        self.label = label
        self.total = self.count
        if self.enabled:
            self._draw()

    def done(self) -> None:
        if self.enabled and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()

    def _draw(self) -> None:
        elapsed = max(time.monotonic() - self.started, 1e-9)
        rate = f"{self.count / elapsed:,.0f} records/s"
        if self.total:
            share = min(self.count / self.total, 1.0)
            filled = int(share * _WIDTH)
            bar = "#" * filled + "-" * (_WIDTH - filled)
            text = f"{self.label:<10} [{bar}] {share:4.0%} {self.count:,} records, {rate}"
        else:
            text = f"{self.label:<10} {self.count:,} records, {rate}"
        text += f", {elapsed:,.0f} s"
        self.stream.write("\r" + text.ljust(self._width))
        self.stream.flush()
        self._width = len(text)
