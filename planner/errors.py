"""Exception hierarchy: every error a user can cause is a ``PlannerError`` naming the fix."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem found in the input data.

    Attributes
    ----------
    file
        The file (or layer) the problem is in, relative to the town folder when possible.
    message
        What is wrong.
    fix
        How to fix it.
    feature_id
        The ``id`` of the offending feature, when the problem is one feature's.
    severity
        ``"error"`` blocks loading; ``"warning"`` is reported and loading goes on.
    """

    file: str
    message: str
    fix: str
    feature_id: str | None = None
    severity: Severity = "error"

    def __str__(self) -> str:
        where = self.file if self.feature_id is None else f"{self.file} [id={self.feature_id}]"
        return f"{self.severity}: {where}: {self.message} Fix: {self.fix}"


class PlannerError(Exception):
    """Base class for errors caused by input or setup; shown as one line, never a traceback."""


class DataValidationError(PlannerError, ValueError):
    """A town folder or norm set has one or more errors; ``issues`` lists every one of them."""

    def __init__(self, summary: str, issues: list[Issue]) -> None:
        self.issues = list(issues)
        errors = [i for i in self.issues if i.severity == "error"]
        first = f" First: {errors[0]}" if errors else ""
        super().__init__(f"{summary}: {len(errors)} error(s).{first}")


class CrsError(PlannerError, ValueError):
    """A layer has no CRS, or a measuring function received geographic coordinates."""


class NormsError(PlannerError, ValueError):
    """A norm set is missing, unknown or malformed."""


class NetworkError(PlannerError, ValueError):
    """The walking network cannot answer a question (empty, disconnected, nothing to snap to)."""


MAX_SHOWN_CHARS = 400
"""Longest text a message repeats in full; longer values are cut (a name can be a whole file)."""


def shorten(text: str, limit: int = MAX_SHOWN_CHARS) -> str:
    """Return ``text``, cut to ``limit`` characters with its full length said when longer.

    Examples
    --------
    >>> shorten("Gusev")
    'Gusev'
    >>> shorten("x" * 100_000, 10)
    'xxxxxxxxxx… (100,000 characters)'
    """
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text):,} characters)"
