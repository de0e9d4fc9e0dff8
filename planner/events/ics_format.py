"""Events from an iCalendar file (``.ics``, RFC 5545), as venues' calendars export them.

Parsing is ``icalendar``'s. Each ``VEVENT`` becomes a row of the events table:

- ``UID`` → ``id`` (an override of one occurrence, with ``RECURRENCE-ID``, gets
  ``UID@<occurrence in UTC>``; the occurrence it replaces is removed from its series, and a
  ``STATUS:CANCELLED`` entry only removes it);
- ``SUMMARY`` → ``title``; ``DTSTART`` → ``start`` (a date alone: local midnight, an all-day
  event; a time without ``TZID`` is local time in ``X-WR-TIMEZONE`` if the calendar names one,
  else in the town's time zone); ``DTEND`` or ``DURATION`` → ``duration_min``;
  ``RRULE``, ``EXDATE``, ``RDATE`` → the recurrence;
- the venue: ``X-PLANNER-VENUE`` (a facility id; on the ``VCALENDAR`` it applies to every entry),
  else ``LOCATION`` matched to a facility's id, name, Russian name or address (case, quotes and
  spacing ignored; the text before the first comma is tried too);
- ``X-PLANNER-CATEGORY``, ``-AUDIENCE``, ``-PRICE``, ``-CAPACITY``, ``-PROVENANCE`` when present,
  else words of ``CATEGORIES`` in English or Russian (``CATEGORY_WORDS`` …), else ``other``,
  ``all``, ``unknown``, unknown and ``verified`` (a venue's own calendar is a named source: the
  calendar's ``X-WR-CALNAME`` or the file name goes to ``source``).

Every problem names the file, the entry (its position and ``UID``) and the property.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from planner.errors import Issue
from planner.events.table import events_frame
from planner.events.times import normalise_rrule, zone
from planner.layers import EVENT_AUDIENCES, EVENT_CATEGORIES, EVENT_PRICES, PROVENANCES

if TYPE_CHECKING:
    from icalendar import Component

Report = Callable[[str, str, str], None]
"""Reports a problem of one entry: the property, what is wrong, how to fix it."""

__all__ = [
    "AUDIENCE_WORDS",
    "CATEGORY_WORDS",
    "PRICE_WORDS",
    "VenueIndex",
    "parse_events_ics",
    "read_events_ics",
]

CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    "master_class": ("master class", "masterclass", "мастер класс", "мастеркласс"),
    "exhibition": ("exhibition", "exposition", "выставка", "экспозиция", "вернисаж"),
    "workshop": ("workshop", "studio", "club", "мастерская", "кружок", "студия", "занятие"),
    "concert": ("concert", "recital", "концерт"),
    "screening": ("screening", "film", "movie", "cinema", "кино", "кинопоказ", "фильм", "показ"),
    "festival": ("festival", "фестиваль", "праздник", "ярмарка"),
}
"""Words of ``CATEGORIES`` (lower case, hyphens as spaces) that name an event category; the
first category whose word appears wins, master class before workshop."""

AUDIENCE_WORDS: dict[str, tuple[str, ...]] = {
    "children": ("children", "kids", "дети", "детей", "детям", "детский", "детская", "школьники"),
    "elderly": ("elderly", "seniors", "пенсионеры", "пожилые", "старшее поколение", "серебряный"),
    "adults": ("adults", "взрослые", "взрослых", "18+"),
}
"""Words of ``CATEGORIES`` that name an audience; none of them means ``all``."""

PRICE_WORDS: dict[str, tuple[str, ...]] = {
    "free": ("free", "free entry", "бесплатно", "вход свободный", "свободный вход"),
    "paid": ("paid", "tickets", "платно", "билеты"),
}
"""Words of ``CATEGORIES`` that say whether an event costs money; none of them means unknown."""

_PUNCT = re.compile(r"[\"'«»“”„.,;:()№#]")
_SPACES = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _SPACES.sub(" ", _PUNCT.sub(" ", text.casefold().replace("-", " "))).strip()


@dataclass(frozen=True, slots=True)
class VenueIndex:
    """The facilities an event's venue may name: ids, and names/addresses to match locations.

    Attributes
    ----------
    ids
        Facility ids.
    by_text
        Normalised name, Russian name, address or id → facility id (ambiguous texts left out).
    """

    ids: frozenset[str]
    by_text: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_facilities(cls, facilities: pd.DataFrame | None) -> VenueIndex:
        """Build the index from a facilities layer (``id``, ``name``, ``name_ru``, ``address``)."""
        if facilities is None or "id" not in facilities.columns:
            return cls(frozenset())
        seen: dict[str, set[str]] = {}
        for column in ("id", "name", "name_ru", "address"):
            if column not in facilities.columns:
                continue
            for fid, text in zip(facilities["id"], facilities[column], strict=True):
                if isinstance(text, str) and text.strip():
                    seen.setdefault(_norm(text), set()).add(str(fid))
        unique = {text: next(iter(ids)) for text, ids in seen.items() if len(ids) == 1}
        return cls(frozenset(str(i) for i in facilities["id"]), unique)

    def match(self, location: str) -> str | None:
        """Return the facility a location text names, or ``None``."""
        if location.strip() in self.ids:
            return location.strip()
        text = _norm(location)
        if text in self.by_text:
            return self.by_text[text]
        head = _norm(location.split(",", 1)[0])
        return self.by_text.get(head)


def read_events_ics(
    path: Path, *, timezone: tzinfo | None, venues: VenueIndex, label: str | None = None
) -> tuple[pd.DataFrame | None, list[Issue]]:
    """Read an iCalendar file into the events table.

    Parameters
    ----------
    path
        The ``.ics`` file.
    timezone
        The town's time zone, for times without one.
    venues
        The town's facilities, to resolve each entry's venue.
    label
        The file name used in messages (default: the file's name).

    Returns
    -------
    frame
        The events table, or ``None`` when any entry has an error.
    issues
        Every problem found.
    """
    label = path.name if label is None else label
    try:
        data = path.read_bytes()
    except OSError as err:
        return None, [Issue(label, f"cannot be read ({err.strerror}).", "check the file.")]
    return parse_events_ics(data, timezone=timezone, venues=venues, label=label)


def parse_events_ics(
    data: bytes, *, timezone: tzinfo | None, venues: VenueIndex, label: str
) -> tuple[pd.DataFrame | None, list[Issue]]:
    """Parse the bytes of an iCalendar file (see ``read_events_ics``)."""
    import icalendar

    fix = "export the calendar again as iCalendar (.ics, RFC 5545) and check the file."
    try:
        calendars = icalendar.Calendar.from_ical(data, multiple=True)
    except ValueError as err:
        return None, [Issue(label, f"is not an iCalendar file ({_short(err)}).", fix)]
    calendars = [c for c in calendars if c.name == "VCALENDAR"]
    if not calendars:
        return None, [Issue(label, "holds no VCALENDAR.", fix)]
    issues: list[Issue] = []
    rows: list[dict[str, Any]] = []
    position = 0
    for calendar in calendars:
        context = _CalendarContext.of(calendar, timezone, label, issues)
        entries = list(calendar.walk("VEVENT"))
        masters: dict[str, dict[str, Any]] = {}
        overrides: list[tuple[int, Any]] = []
        for entry in entries:
            position += 1
            if entry.get("RECURRENCE-ID") is not None:
                overrides.append((position, entry))
                continue
            row = _entry(entry, position, context, venues, None, issues)
            if row is None:
                continue
            if row["id"] in masters:
                issues.append(
                    _issue(
                        label,
                        position,
                        row["id"],
                        "UID",
                        "repeats another entry's UID.",
                        "give every event its own UID.",
                    )
                )
                continue
            masters[row["id"]] = row
            if row.pop("_cancelled"):
                continue
            rows.append(row)
        for position_of, entry in overrides:
            uid = str(entry.get("UID", ""))
            master = masters.get(uid)
            row = _entry(entry, position_of, context, venues, master, issues)
            if row is None:
                continue
            replaced = _when(entry, "RECURRENCE-ID", context.tz)
            if master is not None and replaced is not None:
                master["exdate"] = (*master["exdate"], replaced)
            row["id"] = f"{uid}@{replaced.astimezone(UTC):%Y%m%dT%H%M%SZ}" if replaced else uid
            if not row.pop("_cancelled"):
                rows.append(row)
    if any(i.severity == "error" for i in issues):
        return None, issues
    unknown = sum(1 for r in rows if r["category"] == "other")
    if unknown:
        issues.append(
            Issue(
                label,
                f"{unknown} event(s) have no recognised category and count as 'other'.",
                "add X-PLANNER-CATEGORY (one of " + ", ".join(EVENT_CATEGORIES) + ") or a "
                "CATEGORIES word such as Concert / Концерт.",
                severity="warning",
            )
        )
    return events_frame(rows), issues


@dataclass(frozen=True, slots=True)
class _CalendarContext:
    label: str
    tz: tzinfo | None
    venue: str | None
    provenance: str | None
    source: str

    @classmethod
    def of(
        cls, calendar: Component, town_tz: tzinfo | None, label: str, issues: list[Issue]
    ) -> _CalendarContext:
        tz = town_tz
        wr = calendar.get("X-WR-TIMEZONE")
        if wr is not None:
            try:
                tz = zone(str(wr))
            except ValueError as err:
                issues.append(
                    Issue(label, f"X-WR-TIMEZONE: {err}.", "correct the calendar's time zone.")
                )
        name = calendar.get("X-WR-CALNAME")
        venue = calendar.get("X-PLANNER-VENUE")
        provenance = calendar.get("X-PLANNER-PROVENANCE")
        return cls(
            label=label,
            tz=tz,
            venue=str(venue).strip() if venue is not None else None,
            provenance=str(provenance).strip().lower() if provenance is not None else None,
            source=f"{label}: calendar {str(name)!r}" if name is not None else f"{label}",
        )


def _entry(
    entry: Component,
    position: int,
    context: _CalendarContext,
    venues: VenueIndex,
    master: dict[str, Any] | None,
    issues: list[Issue],
) -> dict[str, Any] | None:
    """Convert one VEVENT; report its problems; ``None`` when it has an error."""
    label = context.label
    uid = str(entry.get("UID", "")).strip()
    before = len(issues)

    def bad(prop: str, message: str, fix: str) -> None:
        issues.append(_issue(label, position, uid or None, prop, message, fix))

    for prop, message in getattr(entry, "errors", []):
        bad(str(prop), f"cannot be read ({_short(message)}).", "correct the value.")
    if not uid:
        bad("UID", "is missing.", "give every event a UID (calendar programs always do).")
    start = _when(entry, "DTSTART", context.tz, bad)
    if entry.get("DTSTART") is None:
        bad("DTSTART", "is missing.", "give the event its start.")
    words = _category_words(entry)
    inherited = master or {}
    category = _pick(entry, "X-PLANNER-CATEGORY", words, CATEGORY_WORDS, EVENT_CATEGORIES, bad)
    category = category or inherited.get("category") or "other"
    audience = _pick(entry, "X-PLANNER-AUDIENCE", words, AUDIENCE_WORDS, EVENT_AUDIENCES, bad)
    audience = audience or inherited.get("audience") or "all"
    price = _pick(entry, "X-PLANNER-PRICE", words, PRICE_WORDS, EVENT_PRICES, bad)
    price = price or inherited.get("price") or "unknown"
    provenance = str(entry.get("X-PLANNER-PROVENANCE", "") or "").strip().lower()
    provenance = provenance or inherited.get("provenance") or context.provenance or "verified"
    if provenance not in PROVENANCES:
        bad(
            "X-PLANNER-PROVENANCE",
            f"{provenance!r} is not one of {', '.join(PROVENANCES)}.",
            "use one of them.",
        )
    capacity = math.nan
    raw_capacity = entry.get("X-PLANNER-CAPACITY")
    if raw_capacity is not None:
        try:
            capacity = float(str(raw_capacity))
            if not math.isfinite(capacity) or capacity < 0:
                raise ValueError
        except ValueError:
            bad(
                "X-PLANNER-CAPACITY",
                f"{str(raw_capacity)!r} is not a number ≥ 0.",
                "give the seats per occurrence.",
            )
    elif master is not None:
        capacity = master["capacity"]
    venue = _venue(entry, context, venues, inherited, bad)
    rule = ""
    if entry.get("RRULE") is not None and start is not None:
        rules = entry.get("RRULE")
        if isinstance(rules, list):
            bad("RRULE", "appears more than once.", "give one RRULE per event (RFC 5545).")
        else:
            try:
                rule = normalise_rrule(rules.to_ical().decode(), start)
            except ValueError as err:
                bad("RRULE", f"{err}.", "correct the rule.")
    recurrence_id = entry.get("RECURRENCE-ID")
    if recurrence_id is not None and recurrence_id.params.get("RANGE", "").upper() == (
        "THISANDFUTURE"
    ):
        bad(
            "RECURRENCE-ID",
            "with RANGE=THISANDFUTURE is not supported.",
            "export the calendar with every occurrence written out, or split the series.",
        )
    exdate = _date_list(entry, "EXDATE", context.tz, bad)
    rdate = _date_list(entry, "RDATE", context.tz, bad)
    if len(issues) > before:
        return None
    title = str(entry.get("SUMMARY", "") or "").strip() or str(inherited.get("title", "")) or uid
    return {
        "id": uid,
        "venue": venue,
        "title": title,
        "category": category,
        "audience": audience,
        "start": start,
        "duration_min": _duration_min(entry),
        "rrule": rule,
        "exdate": exdate,
        "rdate": rdate,
        "capacity": capacity,
        "price": price,
        "provenance": provenance,
        "source": str(entry.get("URL", "") or "") or context.source,
        "file": label,
        "line": position,
        "_cancelled": str(entry.get("STATUS", "")).upper() == "CANCELLED",
    }


def _issue(label: str, position: int, uid: str | None, prop: str, message: str, fix: str) -> Issue:
    return Issue(
        label,
        f"event {position} (UID {uid!r}), property {prop}: {message}",
        fix,
        feature_id=uid,
    )


def _short(err: object) -> str:
    text = str(err)
    return text if len(text) <= 160 else text[:157] + "..."


def _as_moment(value: object, tz: tzinfo | None) -> datetime:
    """Return a DATE as local midnight, a floating time as local time, an aware one as it is."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    else:
        msg = f"{value!r} is not a date or date-time"
        raise TypeError(msg)
    if moment.tzinfo is None:
        if tz is None:
            msg = (
                "is a local time but neither the calendar (X-WR-TIMEZONE) nor the town "
                "(timezone in town.toml) names a time zone"
            )
            raise ValueError(msg)
        moment = moment.replace(tzinfo=tz)
    return moment


def _when(
    entry: Component, prop: str, tz: tzinfo | None, bad: Report | None = None
) -> datetime | None:
    if entry.get(prop) is None:
        return None
    try:
        return _as_moment(entry.decoded(prop), tz)
    except (ValueError, TypeError, KeyError) as err:
        if bad is not None:
            bad(prop, f"{_short(err)}.", "write a date or date-time (RFC 5545).")
        return None


def _date_list(entry: Component, prop: str, tz: tzinfo | None, bad: Report) -> tuple[datetime, ...]:
    raw = entry.get(prop)
    if raw is None:
        return ()
    moments: list[datetime] = []
    for item in raw if isinstance(raw, list) else [raw]:
        for value in getattr(item, "dts", []):
            dt = value.dt
            if isinstance(dt, tuple):  # a PERIOD: its start
                dt = dt[0]
            try:
                moments.append(_as_moment(dt, tz))
            except (ValueError, TypeError) as err:
                bad(prop, f"{_short(err)}.", "write dates or date-times (RFC 5545).")
    return tuple(moments)


def _duration_min(entry: Component) -> float:
    try:
        duration = getattr(entry, "duration", None)  # icalendar's Event: DTEND or DURATION
    except (KeyError, ValueError, TypeError):
        return math.nan
    if isinstance(duration, timedelta) and duration.total_seconds() > 0:
        return duration.total_seconds() / 60.0
    return math.nan


def _category_words(entry: Component) -> list[str]:
    raw = entry.get("CATEGORIES")
    if raw is None:
        return []
    words: list[str] = []
    for item in raw if isinstance(raw, list) else [raw]:
        words += [_norm(str(c)) for c in getattr(item, "cats", [])]
    return words


def _pick(
    entry: Component,
    prop: str,
    words: Iterable[str],
    table: Mapping[str, tuple[str, ...]],
    allowed: tuple[str, ...],
    bad: Report,
) -> str | None:
    """Return an X-PLANNER property's value, else the first table key a CATEGORIES word names."""
    raw = entry.get(prop)
    if raw is not None:
        value = str(raw).strip().lower().replace("-", "_").replace(" ", "_")
        if value not in allowed:
            bad(prop, f"{str(raw)!r} is not one of {', '.join(allowed)}.", "use one of them.")
            return None
        return value
    found = list(words)
    for key, synonyms in table.items():
        if any(s in word for word in found for s in synonyms):
            return key
    return None


def _venue(
    entry: Component,
    context: _CalendarContext,
    venues: VenueIndex,
    inherited: Mapping[str, Any],
    bad: Report,
) -> str:
    own = entry.get("X-PLANNER-VENUE")
    if own is not None:
        return str(own).strip()
    location = entry.get("LOCATION")
    if location is not None:
        found = venues.match(str(location))
        if found is not None:
            return found
    if inherited.get("venue"):
        return str(inherited["venue"])
    if context.venue:
        return context.venue
    where = f"LOCATION {str(location)!r} matches no facility" if location else "no LOCATION"
    bad(
        "LOCATION",
        f"{where}, and there is no X-PLANNER-VENUE.",
        "add X-PLANNER-VENUE:<facility id> to the event or to the calendar, or write the "
        "facility's name or address as its LOCATION.",
    )
    return ""
