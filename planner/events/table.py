"""The events table in memory: one row per event or recurring series, whatever file it came from.

Columns (``EVENT_COLUMNS``): ``id``, ``venue`` (a facility id), ``title``, ``category``
(``planner.layers.EVENT_CATEGORIES``), ``audience`` (``EVENT_AUDIENCES``), ``start`` (a
time-zone-aware ``datetime``: the first occurrence), ``duration_min`` (float, NaN when unknown),
``rrule`` (an RFC 5545 rule ready for ``dateutil``, ``""`` for a single event), ``exdate`` and
``rdate`` (tuples of aware ``datetime``: occurrences removed and added), ``capacity`` (seats per
occurrence, NaN when unknown), ``price`` (``EVENT_PRICES``), ``provenance`` (``PROVENANCES``),
``source``, and where the row came from: ``file`` and ``line`` (the CSV row, or the position of the
calendar entry).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["EVENT_COLUMNS", "empty_events", "events_frame", "place"]

EVENT_COLUMNS: tuple[str, ...] = (
    "id",
    "venue",
    "title",
    "category",
    "audience",
    "start",
    "duration_min",
    "rrule",
    "exdate",
    "rdate",
    "capacity",
    "price",
    "provenance",
    "source",
    "file",
    "line",
)


def events_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Return the events table of some rows (dicts with the keys of ``EVENT_COLUMNS``)."""
    frame = pd.DataFrame({c: pd.Series([r[c] for r in rows], dtype=object) for c in EVENT_COLUMNS})
    frame["duration_min"] = frame["duration_min"].astype(float)
    frame["capacity"] = frame["capacity"].astype(float)
    frame["line"] = frame["line"].astype(np.int64)
    return frame


def empty_events() -> pd.DataFrame:
    """Return an events table with no rows (a town without a programme)."""
    return events_frame([])


def place(file: str, line: int) -> str:
    """Return where an event is in its file: "row 12" of a CSV, "event 3" of a calendar."""
    return f"event {line}" if file.lower().endswith(".ics") else f"row {line}"
