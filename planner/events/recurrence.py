"""Events expanded into dated occurrences within a window (a month, a year).

A series is its ``start``, its ``rrule`` (RFC 5545, through ``dateutil.rrule``), plus ``rdate``
and minus ``exdate``; the start itself always counts, as iCalendar programs show it. Recurrence
runs in the start's own time zone, so a weekly 18:00 stays at 18:00 local time across daylight
saving changes of that zone; the window is compared as absolute moments, so an event at 23:30 on
31 January in UTC (01:30 on 1 February in Kaliningrad) falls in February for a town in
Europe/Kaliningrad.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo

import numpy as np
import pandas as pd
from dateutil.rrule import rruleset, rrulestr

from planner.errors import PlannerError

__all__ = ["OCCURRENCE_COLUMNS", "occurrences", "programme_months"]

OCCURRENCE_COLUMNS: tuple[str, ...] = (
    "event_id",
    "venue",
    "category",
    "audience",
    "capacity",
    "price",
    "start",
)
"""Columns of ``occurrences``: the event's attributes and the occurrence's ``start`` (UTC)."""


def occurrences(events: pd.DataFrame, start: datetime, end: datetime) -> pd.DataFrame:
    """Return every occurrence of the events that starts in ``[start, end)``.

    Parameters
    ----------
    events
        The events table (``planner.events.table``).
    start, end
        Time-zone-aware bounds of the window.

    Returns
    -------
    pandas.DataFrame
        Columns ``OCCURRENCE_COLUMNS``, one row per occurrence, ordered by start then event;
        ``start`` is a UTC timestamp.

    Raises
    ------
    PlannerError
        If a bound has no time zone.
    """
    if start.tzinfo is None or end.tzinfo is None:
        msg = "The window of occurrences needs time-zone-aware bounds (e.g. from month_window)."
        raise PlannerError(msg)
    index: list[int] = []
    moments: list[datetime] = []
    for position, (first, rule, exdate, rdate) in enumerate(
        zip(events["start"], events["rrule"], events["exdate"], events["rdate"], strict=True)
    ):
        found = _starts(first, rule, exdate, rdate, start, end)
        index += [position] * len(found)
        moments += found
    rows = np.asarray(index, dtype=np.int64)
    stamps = pd.DatetimeIndex([m.astimezone(UTC) for m in moments], tz=UTC)
    frame = pd.DataFrame(
        {
            "event_id": events["id"].to_numpy(dtype=object)[rows],
            "venue": events["venue"].to_numpy(dtype=object)[rows],
            "category": events["category"].to_numpy(dtype=object)[rows],
            "audience": events["audience"].to_numpy(dtype=object)[rows],
            "capacity": events["capacity"].to_numpy(dtype=float)[rows],
            "price": events["price"].to_numpy(dtype=object)[rows],
            "start": pd.Series(stamps, dtype="datetime64[ns, UTC]"),
        }
    )
    return frame.sort_values(["start", "event_id"], kind="stable").reset_index(drop=True)


def _starts(
    first: datetime,
    rule: str,
    exdate: tuple[datetime, ...],
    rdate: tuple[datetime, ...],
    start: datetime,
    end: datetime,
) -> list[datetime]:
    if not rule and not rdate:
        # A single event: the common case, without building a rule set.
        return [first] if start <= first < end and first not in exdate else []
    series = rruleset()
    if rule:
        series.rrule(rrulestr(rule, dtstart=first))
    series.rdate(first)
    for moment in rdate:
        series.rdate(moment)
    for moment in exdate:
        series.exdate(moment)
    return [m for m in series.between(start, end, inc=True) if m < end]


def programme_months(events: pd.DataFrame, tz: tzinfo) -> list[str]:
    """Return every month (``YYYY-MM``, local time) from the first occurrence to the last.

    A series without an end counts for a year after the latest start, so an open-ended weekly
    club does not make the list endless. ``[]`` without events.

    Examples
    --------
    >>> programme_months(pd.DataFrame(columns=list(OCCURRENCE_COLUMNS)), UTC)
    []
    """
    if events.empty:
        return []
    first = min(events["start"])
    last = max(events["start"]) + timedelta(days=366)
    found = occurrences(events, first, last)
    if found.empty:
        return []
    months = found["start"].dt.tz_convert(tz).dt.strftime("%Y-%m")
    span = pd.period_range(months.min(), months.max(), freq="M")
    return [str(p) for p in span]
