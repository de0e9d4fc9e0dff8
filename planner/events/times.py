"""Date-times, time zones and recurrence rules as event files write them.

A time written without an offset ("floating", as iCalendar calls it) is local time in the town's
time zone (``town.toml``'s ``timezone``, e.g. ``Europe/Kaliningrad``: UTC+2 all year, no daylight
saving since 2014). A recurrence rule is the iCalendar ``RRULE`` value (RFC 5545 §3.3.10), read
by ``dateutil.rrule``, the parser ``icalendar`` itself relies on.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrule, rrulestr

__all__ = [
    "ALLOWED_FREQUENCIES",
    "month_window",
    "normalise_rrule",
    "parse_datetime",
    "parse_month",
    "zone",
]

ALLOWED_FREQUENCIES: tuple[str, ...] = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
"""Recurrence frequencies accepted; an event repeating every hour or minute is a data error."""

_UNTIL = re.compile(r"UNTIL=(\d{8})(?:T(\d{6}))?(Z?)", re.IGNORECASE)
_FREQ = re.compile(r"(?:^|;)FREQ=([A-Z]+)", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def zone(name: str) -> ZoneInfo:
    """Return the IANA time zone ``name`` (e.g. ``"Europe/Kaliningrad"``).

    Raises
    ------
    ValueError
        If the name is not a time zone of the IANA database.
    """
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        msg = f"{name!r} is not a time zone name of the IANA database (e.g. Europe/Kaliningrad)"
        raise ValueError(msg) from None


def parse_datetime(text: str, tz: tzinfo | None) -> datetime:
    """Return the time-zone-aware moment an ISO 8601 text names.

    Parameters
    ----------
    text
        ``2026-09-05T18:00`` (local time in ``tz``), ``2026-09-05T16:00Z`` or
        ``2026-09-05T18:00+02:00`` (that offset), or a date alone, ``2026-09-05`` (midnight, local:
        an all-day event counts on that date).
    tz
        The time zone of local times; ``None`` when the town has none.

    Raises
    ------
    ValueError
        If the text is not such a date or date-time, or is local while ``tz`` is ``None``.

    Examples
    --------
    >>> parse_datetime("2026-09-05T18:00", zone("Europe/Kaliningrad")).isoformat()
    '2026-09-05T18:00:00+02:00'
    >>> parse_datetime("2026-09-05T16:00Z", None).isoformat()
    '2026-09-05T16:00:00+00:00'
    """
    text = text.strip()
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        msg = f"{text!r} is not a date or date-time (write e.g. 2026-09-05T18:00 or 2026-09-05)"
        raise ValueError(msg) from None
    if value.tzinfo is None:
        if tz is None:
            msg = (
                f"{text!r} is a local time but the town has no time zone (add timezone = "
                '"Europe/Kaliningrad" or the like to town.toml, or write the offset, e.g. +02:00)'
            )
            raise ValueError(msg)
        value = value.replace(tzinfo=tz)
    return value


def normalise_rrule(text: str, dtstart: datetime) -> str:
    """Return a recurrence rule checked and ready for ``dateutil`` with this start.

    ``RRULE:`` in front is dropped. ``UNTIL`` without ``Z`` is read as local time in the
    start's time zone (a date alone includes that whole day) and rewritten in UTC, as RFC 5545
    requires for a start with a time zone.

    Raises
    ------
    ValueError
        If the rule cannot be parsed, has no ``FREQ`` or repeats more often than daily.

    Examples
    --------
    >>> start = datetime(2026, 9, 5, 18, tzinfo=zone("Europe/Kaliningrad"))
    >>> normalise_rrule("RRULE:FREQ=WEEKLY;UNTIL=20261231", start)
    'FREQ=WEEKLY;UNTIL=20261231T215959Z'
    """
    rule = text.strip()
    if rule.upper().startswith("RRULE:"):
        rule = rule[6:]
    found = _FREQ.search(rule)
    if found is None:
        msg = f"recurrence rule {text!r} has no FREQ (write e.g. FREQ=WEEKLY;BYDAY=SA)"
        raise ValueError(msg)
    if found.group(1).upper() not in ALLOWED_FREQUENCIES:
        msg = (
            f"recurrence rule {text!r} repeats {found.group(1).upper()}; events may repeat "
            f"{', '.join(ALLOWED_FREQUENCIES)}"
        )
        raise ValueError(msg)
    rule = _UNTIL.sub(lambda m: _until_utc(m, dtstart), rule)
    try:
        parsed = rrulestr(rule, dtstart=dtstart)
    except (ValueError, TypeError) as err:
        msg = f"recurrence rule {text!r} cannot be read ({err})"
        raise ValueError(msg) from None
    if not isinstance(parsed, rrule):
        msg = f"recurrence rule {text!r} must be one RRULE value, without DTSTART or EXDATE"
        raise ValueError(msg)
    return rule


def _until_utc(match: re.Match[str], dtstart: datetime) -> str:
    day, clock, utc = match.group(1), match.group(2), match.group(3)
    if utc:
        return match.group(0).upper()
    local_date = date(int(day[:4]), int(day[4:6]), int(day[6:8]))
    if clock is None:
        local = datetime.combine(local_date, time(23, 59, 59), tzinfo=dtstart.tzinfo)
    else:
        local = datetime.combine(
            local_date,
            time(int(clock[:2]), int(clock[2:4]), int(clock[4:6])),
            tzinfo=dtstart.tzinfo,
        )
    return "UNTIL=" + local.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def parse_month(text: str) -> tuple[int, int]:
    """Return (year, month) of a ``YYYY-MM`` text.

    Raises
    ------
    ValueError
        If the text is not a month in that form.
    """
    found = _MONTH.match(text.strip())
    if found is None or not 1 <= int(found.group(2)) <= 12:
        msg = f"{text!r} is not a month; write it as YYYY-MM, e.g. 2026-10"
        raise ValueError(msg)
    return int(found.group(1)), int(found.group(2))


def month_window(month: str, tz: tzinfo) -> tuple[datetime, datetime]:
    """Return the first moment of a month and of the next one, local time in ``tz``.

    Examples
    --------
    >>> start, end = month_window("2026-12", zone("Europe/Kaliningrad"))
    >>> start.isoformat(), end.isoformat()
    ('2026-12-01T00:00:00+02:00', '2027-01-01T00:00:00+02:00')
    """
    year, number = parse_month(month)
    start = datetime(year, number, 1, tzinfo=tz)
    following = (start.replace(tzinfo=None) + timedelta(days=32)).replace(day=1)
    return start, following.replace(tzinfo=tz)
