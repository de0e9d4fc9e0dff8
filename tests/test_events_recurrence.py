"""Recurrence: occurrences of a month counted in the town's time zone, across month ends, daylight
saving changes and offsets; and the whole expansion checked against recurring-ical-events, an
independent implementation of RFC 5545, on random calendars."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar
import pandas as pd
import recurring_ical_events
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.events.csv_format import parse_events_csv
from planner.events.ics_format import VenueIndex, parse_events_ics
from planner.events.recurrence import occurrences
from planner.events.times import month_window, zone

KALININGRAD = zone("Europe/Kaliningrad")
HEADER = (
    "id,venue,title,category,audience,start,duration_min,rrule,exdate,rdate,capacity,price,"
    "provenance,source"
)


def events(*rows: str) -> pd.DataFrame:
    text = HEADER + "\n" + "\n".join(rows) + "\n"
    frame, issues = parse_events_csv(text, timezone=KALININGRAD, label="events.csv")
    assert frame is not None, issues
    return frame


def row(start: str, rrule: str = "", exdate: str = "", rdate: str = "", ident: str = "e") -> str:
    return f"{ident},V,T,concert,all,{start},,{rrule},{exdate},{rdate},10,free,modelled,"


def starts(frame: pd.DataFrame, month: str) -> list[datetime]:
    found = occurrences(frame, *month_window(month, KALININGRAD))
    return [t.to_pydatetime().astimezone(KALININGRAD) for t in found["start"]]


def test_monthly_on_the_31st_skips_short_months():
    frame = events(row("2026-10-31T18:00", "FREQ=MONTHLY;BYMONTHDAY=31;COUNT=4"))
    assert [len(starts(frame, m)) for m in ("2026-10", "2026-11", "2026-12", "2027-01")] == [
        1,
        0,
        1,
        1,
    ]
    assert [d.day for d in starts(frame, "2027-03")] == [31]  # the 4th: Oct, Dec, Jan, Mar


def test_an_event_late_on_the_last_day_in_utc_falls_in_the_next_month_locally():
    # 23:30 UTC on 31 January is 01:30 on 1 February in Kaliningrad (UTC+2).
    frame = events(row("2027-01-31T23:30Z"))
    assert starts(frame, "2027-01") == []
    assert starts(frame, "2027-02") == [datetime(2027, 2, 1, 1, 30, tzinfo=KALININGRAD)]


def test_a_weekly_series_crossing_the_month_end_counts_in_each_month():
    # Thursdays 22:30 local from 29 Oct 2026: 29 Oct, then 5, 12, 19, 26 Nov.
    frame = events(row("2026-10-29T22:30", "FREQ=WEEKLY;COUNT=5"))
    assert len(starts(frame, "2026-10")) == 1
    assert [d.day for d in starts(frame, "2026-11")] == [5, 12, 19, 26]


def test_recurrence_keeps_local_time_across_a_daylight_saving_change():
    # Saturdays 18:00 in Berlin: CET (UTC+1) until 28 March 2027, CEST (UTC+2) after.
    frame = events(row("2027-03-20T18:00+01:00", "FREQ=WEEKLY;COUNT=3"))
    frame.loc[0, "start"] = datetime(2027, 3, 20, 18, tzinfo=zone("Europe/Berlin"))
    found = occurrences(frame, *month_window("2027-03", KALININGRAD))
    utc = [t.to_pydatetime() for t in found["start"]]
    assert utc == [
        datetime(2027, 3, 20, 17, tzinfo=UTC),
        datetime(2027, 3, 27, 17, tzinfo=UTC),
    ]
    found = occurrences(frame, *month_window("2027-04", KALININGRAD))
    assert [t.to_pydatetime() for t in found["start"]] == [datetime(2027, 4, 3, 16, tzinfo=UTC)]


def test_exdate_removes_rdate_adds_and_the_start_always_counts():
    # The start (a Wednesday) is not a Saturday of the rule but counts, as calendars show it.
    frame = events(
        row(
            "2026-11-04T12:00",
            "FREQ=WEEKLY;BYDAY=SA;UNTIL=20261130",
            exdate="2026-11-14T12:00",
            rdate="2026-11-30T09:00;2026-12-01T09:00",
        )
    )
    assert [d.day for d in starts(frame, "2026-11")] == [4, 7, 21, 28, 30]
    assert [d.day for d in starts(frame, "2026-12")] == [1]


def test_the_window_includes_its_start_and_excludes_its_end():
    frame = events(row("2026-12-01T00:00", ident="a"), row("2027-01-01T00:00", ident="b"))
    found = occurrences(frame, *month_window("2026-12", KALININGRAD))
    assert found["event_id"].tolist() == ["a"]


def test_an_open_ended_yearly_rule_counts_in_any_later_year():
    frame = events(row("2026-09-05T13:00", "FREQ=YEARLY;BYMONTH=9;BYDAY=1SA"))
    assert starts(frame, "2031-09") == [datetime(2031, 9, 6, 13, tzinfo=KALININGRAD)]
    assert starts(frame, "2031-08") == []


def test_programme_months_span_first_to_last_occurrence_in_local_time():
    from planner.events.recurrence import programme_months

    frame = events(
        row("2026-11-30T23:30Z", ident="a"),  # 1 December in Kaliningrad
        row("2027-02-10T10:00", "FREQ=WEEKLY;COUNT=4", ident="b"),  # into March
    )
    assert programme_months(frame, KALININGRAD) == ["2026-12", "2027-01", "2027-02", "2027-03"]
    # An open-ended rule counts for a year after the latest start.
    endless = events(row("2026-09-05T13:00", "FREQ=YEARLY"))
    assert programme_months(endless, KALININGRAD)[-1] == "2027-09"


ZONES = ("Europe/Kaliningrad", "Europe/Berlin", "America/New_York", "UTC")
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@st.composite
def calendars(draw: st.DrawFn) -> tuple[bytes, datetime, datetime]:
    tz_name = draw(st.sampled_from(ZONES))
    tz = zone(tz_name)
    base = datetime(2026, 1, 1, tzinfo=tz)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//tests//EN", "X-PLANNER-VENUE:V"]
    for k in range(draw(st.integers(1, 4))):
        start = base + timedelta(
            days=draw(st.integers(0, 400)), minutes=15 * draw(st.integers(0, 95))
        )
        local = start.strftime("%Y%m%dT%H%M%S")
        freq = draw(st.sampled_from(("DAILY", "WEEKLY", "MONTHLY", "YEARLY")))
        parts = [f"FREQ={freq}", f"INTERVAL={draw(st.integers(1, 3))}"]
        if freq == "WEEKLY" and draw(st.booleans()):
            parts.append("BYDAY=" + ",".join(draw(st.sets(st.sampled_from(DAYS), min_size=1))))
        end = draw(st.sampled_from(("count", "until", "none")))
        if end == "count":
            parts.append(f"COUNT={draw(st.integers(1, 40))}")
        elif end == "until":
            until = (start + timedelta(days=draw(st.integers(0, 300)))).astimezone(UTC)
            parts.append(f"UNTIL={until:%Y%m%dT%H%M%SZ}")
        lines += ["BEGIN:VEVENT", f"UID:e{k}", "SUMMARY:x"]
        lines.append(
            f"DTSTART:{start.astimezone(UTC):%Y%m%dT%H%M%SZ}"
            if tz_name == "UTC"
            else f"DTSTART;TZID={tz_name}:{local}"
        )
        lines.append("RRULE:" + ";".join(parts))
        for skip in draw(st.lists(st.integers(1, 30), max_size=3)):
            gone = start + timedelta(days=skip)
            lines.append(
                f"EXDATE;TZID={tz_name}:{gone:%Y%m%dT%H%M%S}"
                if tz_name != "UTC"
                else f"EXDATE:{gone.astimezone(UTC):%Y%m%dT%H%M%SZ}"
            )
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    window_start = base + timedelta(days=draw(st.integers(0, 500)))
    window_end = window_start + timedelta(days=draw(st.integers(1, 120)))
    return ("\r\n".join(lines) + "\r\n").encode(), window_start, window_end


@settings(max_examples=60, deadline=None)
@given(calendars())
def test_expansion_agrees_with_recurring_ical_events(case):
    data, start, end = case
    frame, issues = parse_events_ics(
        data, timezone=KALININGRAD, venues=VenueIndex(frozenset({"V"})), label="events.ics"
    )
    assert frame is not None, issues
    ours = sorted(t.to_pydatetime() for t in occurrences(frame, start, end)["start"])
    calendar = icalendar.Calendar.from_ical(data)
    theirs = sorted(
        e.decoded("DTSTART").astimezone(UTC)
        for e in recurring_ical_events.of(calendar).between(start, end)
        if start <= e.decoded("DTSTART") < end
    )
    assert ours == theirs
