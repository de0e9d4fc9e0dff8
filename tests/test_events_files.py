"""The events files: CSV and iCalendar read into one table, and every malformed file refused with
its file, row (or entry) and field — through the loader and through ``planner validate``."""

from __future__ import annotations

import math
import shutil
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from planner.cli.main import main
from planner.events.csv_format import parse_events_csv
from planner.events.ics_format import VenueIndex, parse_events_ics
from planner.events.times import zone
from planner.io import check_town, load_town
from tests.testdata import TINY_TOWN_DIR

BROKEN = Path(__file__).parent / "data" / "broken_events"
EXPECTED = tomllib.loads((BROKEN / "expected.toml").read_text(encoding="utf-8"))["files"]
KALININGRAD = zone("Europe/Kaliningrad")
HEADER = (
    "id,venue,title,category,audience,start,duration_min,rrule,exdate,rdate,capacity,price,"
    "provenance,source"
)


def town_with_events(tmp_path: Path, name: str, content: bytes, *, timezone: bool = True) -> Path:
    folder = tmp_path / "town"
    shutil.copytree(TINY_TOWN_DIR, folder)
    if timezone:
        with (folder / "town.toml").open("a", encoding="utf-8") as toml:
            toml.write('timezone = "Europe/Kaliningrad"\n')
    (folder / name).write_bytes(content)
    return folder


@pytest.mark.parametrize("file", sorted(EXPECTED))
def test_every_broken_file_is_refused_naming_file_row_and_field(tmp_path, file):
    target = "events.csv" if file.endswith(".csv") else "events.ics"
    folder = town_with_events(tmp_path, target, (BROKEN / file).read_bytes())
    town, issues = check_town(folder)
    assert town is None
    errors = [str(i) for i in issues if i.severity == "error"]
    wanted = EXPECTED[file]["contains"]
    assert any(all(w in e for w in wanted) for e in errors), errors


def test_every_catalogue_file_is_listed():
    on_disk = {p.name for p in BROKEN.iterdir() if p.suffix in {".csv", ".ics"}}
    assert on_disk == set(EXPECTED)


@pytest.mark.parametrize("file", ["bad_category.csv", "unknown_location.ics"])
def test_validate_prints_the_problem_and_exits_1(tmp_path, capsys, file):
    target = "events.csv" if file.endswith(".csv") else "events.ics"
    folder = town_with_events(tmp_path, target, (BROKEN / file).read_bytes())
    code = main(["validate", str(folder)])
    out = capsys.readouterr().out
    assert code == 1
    assert EXPECTED[file]["contains"][1] in out


def test_a_local_time_needs_the_towns_time_zone(tmp_path):
    row = "e1,F1,Choir,workshop,children,2026-10-01T16:00,,,,,,free,illustrative,"
    folder = town_with_events(tmp_path, "events.csv", f"{HEADER}\n{row}\n".encode(), timezone=False)
    _, issues = check_town(folder)
    message = next(str(i) for i in issues if i.severity == "error")
    assert "row 2, field 'start'" in message
    assert "timezone" in message
    # With an explicit offset the same event needs no town time zone.
    row_utc = row.replace("2026-10-01T16:00", "2026-10-01T14:00Z")
    folder = town_with_events(
        tmp_path / "b", "events.csv", f"{HEADER}\n{row_utc}\n".encode(), timezone=False
    )
    town = load_town(folder)
    assert town.events["start"].iloc[0] == datetime(2026, 10, 1, 14, tzinfo=UTC)


def test_an_unknown_town_time_zone_is_refused(tmp_path):
    folder = town_with_events(tmp_path, "events.csv", f"{HEADER}\n".encode(), timezone=False)
    with (folder / "town.toml").open("a", encoding="utf-8") as toml:
        toml.write('timezone = "Europe/Gumbinnen"\n')
    _, issues = check_town(folder)
    assert any("timezone" in str(i) and "Europe/Gumbinnen" in str(i) for i in issues)


def test_csv_values_are_read_as_written():
    text = (
        f"{HEADER}\n"
        "e1,F1,Choir,Master class,children,2026-10-01T16:00,90,"
        "RRULE:FREQ=WEEKLY;UNTIL=20261031,2026-10-08T16:00;2026-10-15T16:00,2026-11-02T10:00,"
        "20,,illustrative,poster\n"
    )
    frame, issues = parse_events_csv(text, timezone=KALININGRAD, label="events.csv")
    assert issues == []
    assert frame is not None
    row = frame.iloc[0]
    assert row["category"] == "master_class"
    assert row["price"] == "unknown"  # blank reads as unknown
    assert row["start"] == datetime(2026, 10, 1, 16, tzinfo=KALININGRAD)
    # UNTIL without Z: the end of that local day, in UTC (21:59:59Z = 23:59:59 at UTC+2).
    assert row["rrule"] == "FREQ=WEEKLY;UNTIL=20261031T215959Z"
    assert row["exdate"] == (
        datetime(2026, 10, 8, 16, tzinfo=KALININGRAD),
        datetime(2026, 10, 15, 16, tzinfo=KALININGRAD),
    )
    assert row["rdate"] == (datetime(2026, 11, 2, 10, tzinfo=KALININGRAD),)
    assert row["capacity"] == 20.0
    assert row["duration_min"] == 90.0


def test_semicolon_separated_csv_with_bom_and_blank_capacity():
    header = HEADER.replace(",", ";")
    text = f"\ufeff{header}\ne1;F1;Хор;concert;all;2026-10-01;;;;;;paid;modelled;афиша\n\n"
    frame, issues = parse_events_csv(text, timezone=KALININGRAD, label="events.csv")
    assert issues == []
    assert frame is not None
    assert len(frame) == 1
    assert math.isnan(frame["capacity"].iloc[0])
    # A date alone is local midnight (an all-day event).
    assert frame["start"].iloc[0] == datetime(2026, 10, 1, tzinfo=KALININGRAD)


def test_unknown_columns_are_a_warning():
    text = f"{HEADER},colour\ne1,F1,Choir,concert,all,2026-10-01T16:00,,,,,,free,modelled,,red\n"
    frame, issues = parse_events_csv(text, timezone=KALININGRAD, label="events.csv")
    assert frame is not None
    assert [i.severity for i in issues] == ["warning"]
    assert "colour" in issues[0].message


ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Gusev Planner tests//EN
X-WR-CALNAME:House of culture
BEGIN:VEVENT
UID:choir
SUMMARY:Choir
DTSTART;TZID=Europe/Moscow:20261001T190000
DTEND;TZID=Europe/Moscow:20261001T210000
RRULE:FREQ=WEEKLY;UNTIL=20261231T000000Z
EXDATE;TZID=Europe/Moscow:20261008T190000
CATEGORIES:Концерт,Для детей,Бесплатно
LOCATION:School 1\\, Line 0
X-PLANNER-CAPACITY:120
END:VEVENT
BEGIN:VEVENT
UID:choir
RECURRENCE-ID;TZID=Europe/Moscow:20261022T190000
SUMMARY:Choir moved
DTSTART;TZID=Europe/Moscow:20261023T190000
DURATION:PT1H30M
END:VEVENT
BEGIN:VEVENT
UID:choir
RECURRENCE-ID;TZID=Europe/Moscow:20261029T190000
STATUS:CANCELLED
DTSTART;TZID=Europe/Moscow:20261029T190000
END:VEVENT
BEGIN:VEVENT
UID:fair
SUMMARY:Fair
DTSTART;VALUE=DATE:20261105
LOCATION:Школа 1
X-PLANNER-CATEGORY:festival
X-PLANNER-AUDIENCE:elderly
X-PLANNER-PROVENANCE:modelled
END:VEVENT
END:VCALENDAR
""".encode()

VENUES = VenueIndex.from_facilities(
    pd.DataFrame(
        {
            "id": ["F1", "F2"],
            "name": ["School 1", "Kindergarten 2"],
            "name_ru": ["Школа 1", "Детский сад 2"],
            "address": ["Line 0, 1", "Line 200, 2"],
        }
    )
)


def test_ics_entries_map_to_the_events_table():
    frame, issues = parse_events_ics(ICS, timezone=KALININGRAD, venues=VENUES, label="events.ics")
    assert [i for i in issues if i.severity == "error"] == []
    assert frame is not None
    rows = frame.set_index("id")
    choir = rows.loc["choir"]
    assert choir["venue"] == "F1"  # "School 1, Line 0": its part before the comma is a name
    assert (choir["category"], choir["audience"], choir["price"]) == ("concert", "children", "free")
    assert choir["capacity"] == 120.0
    assert choir["duration_min"] == 120.0
    assert choir["provenance"] == "verified"
    assert "House of culture" in choir["source"]
    moscow = zone("Europe/Moscow")
    # The moved and the cancelled occurrence both leave the series.
    assert set(choir["exdate"]) == {
        datetime(2026, 10, 8, 19, tzinfo=moscow),
        datetime(2026, 10, 22, 19, tzinfo=moscow),
        datetime(2026, 10, 29, 19, tzinfo=moscow),
    }
    moved = rows.loc["choir@20261022T160000Z"]
    assert moved["start"] == datetime(2026, 10, 23, 19, tzinfo=moscow)
    assert moved["venue"] == "F1"  # inherited from its series
    assert moved["category"] == "concert"
    assert moved["duration_min"] == 90.0
    assert "choir@20261029T160000Z" not in rows.index  # cancelled: no row
    fair = rows.loc["fair"]
    assert fair["venue"] == "F1"  # the Russian name
    assert (fair["category"], fair["audience"], fair["price"]) == ("festival", "elderly", "unknown")
    assert fair["provenance"] == "modelled"
    assert fair["start"] == datetime(2026, 11, 5, tzinfo=KALININGRAD)  # all day: local midnight


def test_ics_floating_times_follow_x_wr_timezone():
    data = ICS.replace(b"X-WR-CALNAME", b"X-WR-TIMEZONE:Asia/Tokyo\nX-WR-CALNAME").replace(
        b"DTSTART;VALUE=DATE:20261105", b"DTSTART:20261105T100000"
    )
    frame, _ = parse_events_ics(data, timezone=KALININGRAD, venues=VENUES, label="events.ics")
    assert frame is not None
    fair = frame.set_index("id").loc["fair"]
    assert fair["start"] == datetime(2026, 11, 5, 1, tzinfo=UTC)


def test_calendar_wide_venue_applies_to_entries_without_location():
    data = (
        b"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\nX-PLANNER-VENUE:F2\nBEGIN:VEVENT\nUID:a\n"
        b"DTSTART:20261001T100000Z\nSUMMARY:Story time\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    frame, issues = parse_events_ics(data, timezone=None, venues=VENUES, label="events.ics")
    assert frame is not None
    assert frame["venue"].tolist() == ["F2"]
    # No category word: "other", with one warning saying how to set it.
    assert frame["category"].tolist() == ["other"]
    assert [i.severity for i in issues] == ["warning"]


def test_events_csv_and_ics_are_read_together_with_unique_ids(tmp_path):
    row = "choir,F2,Choir,concert,all,2026-10-01T16:00,,,,,,free,modelled,"
    folder = town_with_events(tmp_path, "events.csv", f"{HEADER}\n{row}\n".encode())
    (folder / "events.ics").write_bytes(ICS)
    _, issues = check_town(folder)
    message = next(str(i) for i in issues if i.severity == "error")
    assert "event 1, field 'id': 'choir' is already the id of row 2 of events.csv" in message
    (folder / "events.csv").write_text(f"{HEADER}\n{row.replace('choir', 'gig')}\n")
    town = load_town(folder)
    assert sorted(town.events["id"]) == ["choir", "choir@20261022T160000Z", "fair", "gig"]


def test_events_at_a_closed_venue_are_a_warning(tmp_path):
    row = "gig,F2,Gig,concert,all,2026-10-01T16:00,,,,,,free,modelled,"
    folder = town_with_events(tmp_path, "events.csv", f"{HEADER}\n{row}\n".encode())
    facilities = (folder / "facilities.geojson").read_text()
    (folder / "facilities.geojson").write_text(
        facilities.replace('"status": "existing"', '"status": "closed"', 2)
    )
    town = load_town(folder)
    assert any("'F2' is closed" in w.message for w in town.warnings)
    assert len(town.events) == 1


def test_the_bundled_gusev_programme_loads_and_is_all_modelled(gusev_town):
    events = gusev_town.events
    assert len(events) >= 20
    assert set(events["provenance"]) <= {"modelled", "illustrative"}
    assert set(events["venue"]) <= set(gusev_town.facilities["id"])
    assert gusev_town.meta.timezone == "Europe/Kaliningrad"
    festival = events.set_index("id").loc["technopolis-day"]
    assert festival["category"] == "festival"
    assert festival["venue"] == "fac-fok"
