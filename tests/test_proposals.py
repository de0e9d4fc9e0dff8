"""Residents' proposals: import from survey exports, the database beside scenarios (with the
schema migration), aggregation by district and category, and one proposal turned into a
scenario whose comparison is checked by hand."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from planner.norms import load_norms
from planner.participation.importing import parse_proposals
from planner.participation.proposals import Proposal, proposal_id
from planner.participation.scenario import proposal_edit, proposal_scenario
from planner.participation.store import ProposalStore
from planner.participation.summary import proposal_frame, proposals_by_district
from planner.scenarios.compare import run_comparison
from planner.scenarios.edits import AddFacility, Scenario
from planner.scenarios.store import SCHEMA_VERSION, ScenarioStore, StoreError
from tests.scenario_towns import KG_PLACES_PER_HOME, line_town, lonlat

NORMS = load_norms()
SERVICES = {k: (s.label, s.label_ru) for k, s in NORMS.services.items()}


def parse(text: str, label: str = "survey.csv"):
    return parse_proposals(text.encode(), label=label, services=SERVICES, town="Tiny")


def test_a_survey_csv_with_russian_headers_and_labels_imports():
    text = (
        "Номер;Долгота;Широта;Категория;Предложение;Контакт;Дата;Голоса\n"
        "17;22,19;54,59;Детский сад;Нужен сад у школы;anna@example.org;01.10.2026 12:30;5\n"
        "18;22,20;54,60;мероприятие;Киноклуб для подростков;;2026-10-02;0\n"
    )
    proposals, issues = parse(text)
    assert issues == []
    first, second = proposals
    assert (first.id, first.category, first.votes) == ("17", "kindergarten", 5)
    assert (first.lon, first.lat) == (22.19, 54.59)
    assert first.submitted == "2026-10-01"
    assert first.contact == "anna@example.org"
    assert first.status == "new"
    assert first.town == "Tiny"
    assert second.category == "event"


def test_missing_ids_come_from_the_content_so_a_second_import_adds_nothing(tmp_path):
    text = "lon,lat,category,comment,date\n22.19,54.59,school,More places,2026-10-01\n"
    (proposal,), _ = parse(text)
    assert proposal.id == proposal_id(22.19, 54.59, "school", "More places", "2026-10-01")
    store = ProposalStore(tmp_path / "db.sqlite")
    assert store.add([proposal]).added == 1
    again = store.add(parse(text)[0])
    assert (again.added, again.updated, again.unchanged) == (0, 0, 1)
    assert len(store.all()) == 1


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("lon,lat,category\nabc,54.6,school\n", "row 2, field 'lon': 'abc' is not a number"),
        ("lon,lat,category\n22.2,95,school\n", "row 2, field 'lat': 95.0 is not a latitude"),
        ("lon,lat,category\n22.2,54.6,zoo\n", "row 2, field 'category': 'zoo' is not one of"),
        (
            "lon,lat,category,status\n22.2,54.6,school,maybe\n",
            "row 2, field 'status': 'maybe' is not one of new, accepted",
        ),
        ("lon,lat,category,votes\n22.2,54.6,school,-3\n", "row 2, field 'votes': -3 is negative"),
        ("lon,lat,category,date\n22.2,54.6,school,yesterday\n", "row 2, field 'date'"),
        ("lat,category\n54.6,school\n", "has no column for lon"),
        (
            "id,lon,lat,category\na,22.2,54.6,school\na,22.3,54.6,school\n",
            "row 3, field 'id': 'a' is already the id of row 2",
        ),
    ],
)
def test_bad_rows_are_refused_with_file_row_and_field(text, fragment):
    proposals, issues = parse(text)
    assert proposals == []
    assert any(fragment in str(i) and "survey.csv" in str(i) for i in issues), issues


def test_geojson_points_import_and_other_shapes_are_refused():
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [22.2, 54.6]},
            "properties": {"type": "Library", "description": "<b>books</b>", "likes": 3},
        },
        {
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": [[22.2, 54.6], [22.3, 54.6]]},
            "properties": {"type": "library"},
        },
    ]
    text = json.dumps({"type": "FeatureCollection", "features": features})
    proposals, issues = parse(text, "survey.geojson")
    assert proposals == []
    assert any("feature 2, field 'geometry': is a LineString" in str(i) for i in issues)
    (proposal,), issues = parse(
        json.dumps({"type": "FeatureCollection", "features": features[:1]}), "survey.geojson"
    )
    assert issues == []
    assert (proposal.lon, proposal.lat, proposal.category) == (22.2, 54.6, "library")
    assert proposal.text == "<b>books</b>"  # kept as written; escaped where shown
    assert proposal.votes == 3


def test_store_round_trip_filters_and_status(tmp_path):
    store = ProposalStore(tmp_path / "db.sqlite")
    a = Proposal(
        "a", 22.2, 54.6, "school", "Ещё школа", "2026-10-01", "tel 123", 4, "new", "f", "Tiny"
    )
    b = Proposal("b", 22.3, 54.6, "event", "Фестиваль", "2026-10-02", "", 9, "new", "f", "Tiny")
    c = Proposal("c", 22.3, 54.7, "school", "x", "2026-10-03", "", 1, "new", "f", "Other")
    assert store.add([a, b, c]).added == 3
    assert store.get("a") == a
    assert [p.id for p in store.all(town="Tiny")] == ["b", "a"]  # most votes first
    assert [p.id for p in store.all(categories=["school"])] == ["a", "c"]
    assert store.set_status("a", "accepted").status == "accepted"
    assert [p.id for p in store.all(statuses=["accepted"])] == ["a"]
    with pytest.raises(StoreError, match="not one of new, accepted"):
        store.set_status("a", "maybe")
    with pytest.raises(StoreError, match="No proposal 'zzz'"):
        store.set_status("zzz", "done")
    # Replacing content keeps the status staff set (the new file still says "new").
    changed = Proposal(
        "a", 22.2, 54.6, "school", "Edited", "2026-10-01", "", 6, "new", "f2", "Tiny"
    )
    assert store.add([changed], replace=True).updated == 1
    stored = store.get("a")
    assert (stored.text, stored.votes, stored.status) == ("Edited", 6, "accepted")
    store.delete("c")
    assert len(store.all()) == 2


def test_proposals_and_scenarios_share_one_database(tmp_path):
    path = tmp_path / "planner.sqlite"
    ScenarioStore(path).save(Scenario("Plan A"))
    ProposalStore(path).add([Proposal("a", 22.2, 54.6, "school")])
    assert ScenarioStore(path).names() == ["Plan A"]
    assert [p.id for p in ProposalStore(path).all()] == ["a"]


def test_a_version_1_database_is_migrated_and_keeps_its_scenarios(tmp_path):
    path = tmp_path / "old.sqlite"
    document = 'version = 1\nname = "Old plan"\n'
    with sqlite3.connect(path) as db:  # the schema as planner wrote it before proposals
        db.execute(
            "CREATE TABLE scenarios (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE "
            "NOCASE, author TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL, updated_at TEXT "
            "NOT NULL, document TEXT NOT NULL, edit_count INTEGER NOT NULL, town_name TEXT NOT "
            "NULL DEFAULT '', town_hash TEXT NOT NULL DEFAULT '', summary TEXT)"
        )
        db.execute(
            "INSERT INTO scenarios (name, created_at, updated_at, document, edit_count) "
            "VALUES ('Old plan', 't', 't', ?, 0)",
            (document,),
        )
        db.execute("PRAGMA user_version = 1")
    store = ProposalStore(path)
    store.add([Proposal("a", 22.2, 54.6, "school")])
    assert ScenarioStore(path).get("Old plan").scenario.name == "Old plan"
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 2


def test_a_database_from_a_newer_planner_is_refused(tmp_path):
    path = tmp_path / "new.sqlite"
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer planner"):
        ProposalStore(path)


def test_aggregation_by_district_and_category(tiny_town):
    # Tiny town: district west is x < 100 m, east x >= 100 m (tests/factories.py).
    from pyproj import Transformer

    from tests.factories import X0, Y0

    to_lonlat = Transformer.from_crs("EPSG:32634", "EPSG:4326", always_xy=True)
    west = to_lonlat.transform(X0 + 50, Y0 + 50)
    east = to_lonlat.transform(X0 + 150, Y0 + 50)
    proposals = [
        Proposal("w1", *west, "school", votes=2),
        Proposal("w2", *west, "school", votes=3, status="accepted"),
        Proposal("e1", *east, "event", votes=7),
        Proposal("out", X0 * 0 + 10.0, 10.0, "school", votes=1),
    ]
    frame = proposal_frame(proposals, tiny_town)
    assert frame.set_index("id")["district"].to_dict() == {
        "w1": "west", "w2": "west", "e1": "east", "out": ""
    }  # fmt: skip
    assert "contact" not in frame.columns
    assert "contact" in proposal_frame(proposals, tiny_town, with_contact=True).columns
    table = proposals_by_district(frame).set_index(["district", "category"])
    assert table.loc[("west", "school"), "proposals"] == 2
    assert table.loc[("west", "school"), "votes"] == 5
    assert table.loc[("west", "school"), "accepted"] == 1
    assert table.loc[("west", "school"), "new"] == 1
    assert table.loc[("east", "event"), "votes"] == 7
    assert next(iter(table.index)) == ("east", "event")  # most votes first


def test_an_event_proposal_has_no_facility_edit():
    with pytest.raises(Exception, match="asks for an event"):
        proposal_edit(Proposal("e", 22.2, 54.6, "event"), NORMS)


def test_a_kindergarten_proposal_becomes_a_scenario_whose_comparison_adds_its_places():
    # Two homes on a line: h1 at x = 0 next to a kindergarten of 51 places (its own demand),
    # h2 at x = 1,500 m, 1.5 km beyond the 500 m walk: 0 of its 51 places served within.
    town = line_town({"h1": 0.0, "h2": 1500.0}, [("s1", -50.0, 2050.0)], [("k1", 0.0, 51.0)])
    lon, lat = lonlat(1500.0, 25.0)
    proposal = Proposal("p1", lon, lat, "kindergarten", "Детский сад рядом", votes=12, town="Line")
    scenario = proposal_scenario(proposal, NORMS)
    (edit,) = scenario.edits
    assert isinstance(edit, AddFacility)
    assert edit.service == "kindergarten"
    assert edit.capacity == min(NORMS.service("kindergarten").project_sizes)
    assert "p1" in edit.note
    assert "Детский сад рядом" in edit.note
    comparison = run_comparison(town, scenario, NORMS, services=["kindergarten"])
    row = comparison.services.set_index("service").loc["kindergarten"]
    assert row["served_within_before"] == pytest.approx(KG_PLACES_PER_HOME)
    assert row["served_within_after"] == pytest.approx(2 * KG_PLACES_PER_HOME)


def test_the_contact_is_written_only_when_asked(tmp_path: Path):
    # Covered through the CLI export in tests/test_cli_programme.py; here the frame itself.
    frame = proposal_frame([Proposal("a", 22.2, 54.6, "school", contact="tel 1")])
    assert "tel 1" not in frame.to_csv()
