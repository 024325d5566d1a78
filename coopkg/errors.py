"""What can go wrong, said in the user's terms.

A :class:`Problem` is one finding about one input record: the file, the line (or sheet and row),
the field, the value, what is wrong and what to do. Problems are collected, never raised one by one,
so a data steward sees every problem of a submission at once.

>>> p = Problem("records/agreements.csv", 3, "parties", "Nagqux", "unknown region",
...             hint="use a name, alias or GB/T 2260 code")
>>> print(p)
records/agreements.csv:3: parties: 'Nagqux': unknown region (use a name, alias or GB/T 2260 code)
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How serious a problem is: a violation refuses the submission, the others only report."""

    VIOLATION = "violation"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Problem:
    """One finding about one input record."""

    file: str
    line: int | None
    field: str | None
    value: str | None
    message: str
    hint: str | None = None
    severity: Severity = Severity.VIOLATION
    source: str = "loader"  # "loader" or the IRI of the SHACL shape that found it
    focus: str | None = None  # the IRI of the node a SHACL result is about
    path: str | None = None  # the IRI of the property it is about

    @property
    def where(self) -> str:
        """``file:line`` as editors and CI systems read it."""
        return f"{self.file}:{self.line}" if self.line else self.file

    def __str__(self) -> str:
        return self.format()

    def format(self, *, severity: bool = False) -> str:
        """One line: where, (severity,) field, value, message and hint."""
        parts = [self.where]
        if severity:
            parts.append(self.severity.value)
        if self.field:
            parts.append(self.field)
        text = ": ".join(parts) + ": "
        if self.value is not None:
            text += f"{self.value!r}: "
        text += self.message
        if self.hint:
            text += f" ({self.hint})"
        return text


class CoopkgError(Exception):
    """A usage or I/O error: the command cannot run as asked (exit code 2)."""

    exit_code = 2


class SubmissionRefused(CoopkgError):
    """A submission has violations and was not written to the store (exit code 1)."""

    exit_code = 1

    def __init__(self, dataset: str, problems: list[Problem]) -> None:
        self.dataset = dataset
        self.problems = problems
        n = sum(1 for p in problems if p.severity is Severity.VIOLATION)
        super().__init__(f"{dataset}: refused, {n} violation(s); the store is unchanged")
