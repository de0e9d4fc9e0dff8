"""The events CSV format: one row per event or recurring series, as a spreadsheet saves it.

UTF-8 (a byte-order mark is fine), comma- or semicolon-separated (the separator of the header
line), a header row with the columns of ``planner.layers.EVENTS_SPEC``. Every problem is reported
with the file, the row number as a spreadsheet shows it (the header is row 1) and the field:

======================  =========================================================================
column                  value
======================  =========================================================================
``id``                  unique text
``venue``               a facility id of the town (``facilities.geojson``)
``title``               text
``category``            exhibition, workshop, concert, screening, master_class, festival, other
``audience``            children, adults, elderly, all
``start``               ``2026-09-05T18:00`` (local time in the town's time zone), ``…Z`` or
                        ``…+02:00``; a date alone for an all-day event
``duration_min`` °      minutes, > 0
``rrule`` °             an iCalendar RRULE, e.g. ``FREQ=WEEKLY;BYDAY=SA;UNTIL=20270531``
``exdate``, ``rdate`` ° occurrences removed / added: date-times separated by ``;`` or spaces
``capacity`` °          seats per occurrence, ≥ 0; blank when unknown
``price``               free, paid, unknown (blank reads as unknown)
``provenance``          osm, verified, approximate, modelled, illustrative
``source`` °            where the event is known from
======================  =========================================================================
"""

from __future__ import annotations

import csv
import io
import math
import re
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

import pandas as pd

from planner.errors import Issue
from planner.events.table import events_frame
from planner.events.times import normalise_rrule, parse_datetime
from planner.layers import (
    EVENT_AUDIENCES,
    EVENT_CATEGORIES,
    EVENT_PRICES,
    EVENTS_SPEC,
    PROVENANCES,
)

__all__ = ["parse_events_csv", "read_events_csv"]

_SPLIT_DATES = re.compile(r"[;\s]+")


def read_events_csv(
    path: Path, *, timezone: tzinfo | None, label: str | None = None
) -> tuple[pd.DataFrame | None, list[Issue]]:
    """Read an events CSV file.

    Parameters
    ----------
    path
        The file.
    timezone
        The town's time zone, for local times (``None``: every time must carry its offset).
    label
        The file name used in messages (default: the file's name).

    Returns
    -------
    frame
        The events table (``planner.events.table``), or ``None`` when any row has an error.
    issues
        Every problem found, each naming the file, the row and the field.
    """
    label = path.name if label is None else label
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        return None, [
            Issue(
                label,
                f"is not UTF-8 text ({err.reason} at byte {err.start}).",
                "save it as CSV UTF-8 (LibreOffice: Save As, Text CSV, character set UTF-8).",
            )
        ]
    except OSError as err:
        return None, [Issue(label, f"cannot be read ({err.strerror}).", "check the file.")]
    return parse_events_csv(text, timezone=timezone, label=label)


def parse_events_csv(
    text: str, *, timezone: tzinfo | None, label: str
) -> tuple[pd.DataFrame | None, list[Issue]]:
    """Parse the text of an events CSV file (see ``read_events_csv``)."""
    text = text.removeprefix("\ufeff")
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        return None, [
            Issue(
                label,
                "is empty: it has no header row.",
                f"start it with the header {','.join(EVENTS_SPEC.columns)}.",
            )
        ]
    separator = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=separator, strict=True)
    header = [h.strip() for h in reader.fieldnames or []]
    reader.fieldnames = header
    missing = [c for c in EVENTS_SPEC.columns if c not in header]
    if missing:
        return None, [
            Issue(
                label,
                f"header row lacks the column(s) {', '.join(missing)}.",
                f"add them; the header needs {', '.join(EVENTS_SPEC.columns)} "
                f"(optional: {', '.join(EVENTS_SPEC.optional_columns)}).",
            )
        ]
    issues: list[Issue] = []
    known = set(EVENTS_SPEC.columns) | set(EVENTS_SPEC.optional_columns)
    unknown = [c for c in header if c not in known]
    if unknown:
        issues.append(
            Issue(
                label,
                f"unknown column(s) {', '.join(unknown)} are ignored.",
                f"remove them or fix their spelling (optional columns: "
                f"{', '.join(EVENTS_SPEC.optional_columns)}).",
                severity="warning",
            )
        )
    rows: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    try:
        for row in reader:
            number = reader.line_num
            if None in row:
                issues.append(
                    Issue(
                        label,
                        f"row {number} has more fields than the header.",
                        "quote fields that contain the separator, or remove the extra ones.",
                    )
                )
                continue
            if not any((v or "").strip() for v in row.values()):
                continue  # a blank line, as spreadsheets leave at the end
            event, row_issues = _row(row, number, label, timezone)
            issues += row_issues
            if event is None:
                continue
            first = seen.setdefault(event["id"], number)
            if first != number:
                issues.append(
                    Issue(
                        label,
                        f"row {number}, field 'id': {event['id']!r} is already the id of row "
                        f"{first}.",
                        "give every event its own id.",
                        feature_id=event["id"],
                    )
                )
                continue
            rows.append(event)
    except csv.Error as err:
        issues.append(
            Issue(
                label,
                f"row {reader.line_num} cannot be read as CSV ({err}).",
                "check the quotes on that row.",
            )
        )
    if any(i.severity == "error" for i in issues):
        return None, issues
    return events_frame(rows), issues


def _row(
    row: dict[str, str | None], number: int, label: str, tz: tzinfo | None
) -> tuple[dict[str, Any] | None, list[Issue]]:
    """Check and convert one row; return it (or ``None``) and its issues."""
    value = {k: (v or "").strip() for k, v in row.items()}
    event_id = value["id"] or None
    issues: list[Issue] = []

    def bad(field: str, message: str, fix: str) -> None:
        issues.append(
            Issue(label, f"row {number}, field {field!r}: {message}", fix, feature_id=event_id)
        )

    for field in ("id", "venue", "title"):
        if not value[field]:
            bad(field, "is empty.", f"give the event's {field}.")
    category = value["category"].lower().replace("-", "_").replace(" ", "_")
    audience = value["audience"].lower()
    price = value["price"].lower() or "unknown"
    provenance = value["provenance"].lower()
    for field, given, allowed in (
        ("category", category, EVENT_CATEGORIES),
        ("audience", audience, EVENT_AUDIENCES),
        ("price", price, EVENT_PRICES),
        ("provenance", provenance, PROVENANCES),
    ):
        if given not in allowed:
            bad(field, f"{value[field]!r} is not one of {', '.join(allowed)}.", "use one of them.")
    start: datetime | None = None
    try:
        start = parse_datetime(value["start"], tz)
    except ValueError as err:
        bad("start", f"{err}.", "write the first occurrence's date and time.")
    rule = value.get("rrule", "")
    if rule and start is not None:
        try:
            rule = normalise_rrule(rule, start)
        except ValueError as err:
            bad("rrule", f"{err}.", "write an iCalendar RRULE value (RFC 5545), or leave it empty.")
    dates: dict[str, tuple[datetime, ...]] = {}
    for field in ("exdate", "rdate"):
        parts = [p for p in _SPLIT_DATES.split(value.get(field, "")) if p]
        try:
            dates[field] = tuple(parse_datetime(p, tz) for p in parts)
        except ValueError as err:
            bad(field, f"{err}.", "list date-times separated by ';'.")
    duration = _number(value.get("duration_min", ""), positive=True)
    if duration is None:
        bad("duration_min", f"{value['duration_min']!r} is not a number > 0.", "give minutes.")
    capacity = _number(value.get("capacity", ""), positive=False)
    if capacity is None:
        bad(
            "capacity",
            f"{value['capacity']!r} is not a number ≥ 0.",
            "give seats, or leave it empty.",
        )
    if issues:
        return None, issues
    return {
        "id": value["id"],
        "venue": value["venue"],
        "title": value["title"],
        "category": category,
        "audience": audience,
        "start": start,
        "duration_min": duration,
        "rrule": rule,
        "exdate": dates["exdate"],
        "rdate": dates["rdate"],
        "capacity": capacity,
        "price": price,
        "provenance": provenance,
        "source": value.get("source", ""),
        "file": label,
        "line": number,
    }, issues


def _number(text: str, *, positive: bool) -> float | None:
    """Return the number in ``text`` (NaN when blank), or ``None`` when it is not a valid one."""
    if not text:
        return math.nan
    try:
        number = float(text.replace(",", ".") if text.count(",") == 1 and "." not in text else text)
    except ValueError:
        return None
    if not math.isfinite(number) or number < 0 or (positive and number == 0):
        return None
    return number
