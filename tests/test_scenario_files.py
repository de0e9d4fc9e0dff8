"""Scenario files: round trips, and the catalogue of malformed files each refused specifically."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from planner.norms import FrozenMap, load_norms
from planner.paths import default_town_dir
from planner.scenarios import (
    AddFacility,
    AddHousing,
    AddStreet,
    ChangeFacility,
    CloseFacility,
    CloseStreet,
    MoveFacility,
    RemoveFacility,
    Scenario,
    ScenarioError,
    check_scenario,
    read_scenario,
    scenario_from_toml,
    scenario_to_toml,
    write_scenario,
)
from tests.scenario_towns import line_town

BROKEN = Path(__file__).parent / "data" / "broken_scenarios"

# file -> (where the message must point, what it must say)
FILE_CASES: dict[str, tuple[str, str]] = {
    "not_toml": ("scenario 'not_toml.toml'", "is not valid TOML"),
    "missing_version": ("field 'version'", "has no version"),
    "future_version": ("field 'version'", "version 7 is not a format this planner reads"),
    "missing_name": ("field 'name'", "has no name"),
    "unknown_top_key": ("field 'autor'", "did you mean 'author'?"),
    "unknown_op": (
        "edit 1 (build_kindergarten 'k1'), field 'op'",
        "unknown op 'build_kindergarten'",
    ),
    "missing_field": ("edit 1 (add_facility 'k1'), field 'service'", "add_facility needs service"),
    "misspelt_field": ("field 'capcity'", "did you mean 'capacity'?"),
    "text_for_number": ("edit 1 (add_facility 'k1'), field 'lon'", "must be a number, not '22.21'"),
    "negative_capacity": ("field 'capacity'", "must be a non-negative number, got -180.0"),
    "negative_residents": ("edit 1 (add_housing 'h9'), field 'residents'", "must not be negative"),
    "residents_and_flats": ("field 'residents'", "give exactly one of residents and flats"),
    "cohorts_do_not_add_up": ("field 'cohorts'", "add up to 40, but residents = 100"),
    "zero_household_size": ("field 'household_size'", "must be a positive number of people"),
    "bad_status": ("edit 1 (change_facility 'k0'), field 'status'", "'demolished' is not allowed"),
    "short_line": ("field 'line'", "must list at least 2"),
}
TOWN_CASES: dict[str, tuple[str, str]] = {
    "outside_boundary": ("edit 1 (add_facility 'k1'), field 'lon'", "outside the town boundary"),
    "unknown_facility": ("field 'facility_id'", "no facility 'kindergarten-99' in the town"),
    "unknown_service": ("field 'service'", "'daycare' is not a service of the norm set"),
    "duplicate_id": ("field 'id'", "'k0' is already the id of a facility"),
    "unknown_street": ("edit 1 (close_street 's99'), field 'street_id'", "no street 's99'"),
    "unknown_district": ("field 'district'", "'district-nowhere' is not a district"),
    "street_far_from_network": ("field 'line'", "neither end is within 30 m of a street"),
}


def test_the_catalogue_lists_every_file():
    on_disk = {p.stem for p in BROKEN.glob("*.toml")}
    assert on_disk == set(FILE_CASES) | set(TOWN_CASES)


@pytest.mark.parametrize("case", sorted(FILE_CASES))
def test_each_malformed_file_is_refused_with_its_message(case: str):
    where, what = FILE_CASES[case]
    with pytest.raises(ScenarioError) as caught:
        read_scenario(BROKEN / f"{case}.toml")
    text = str(caught.value)
    assert where in text
    assert what in text
    assert "Fix:" in text


@pytest.mark.parametrize("case", sorted(TOWN_CASES))
def test_each_file_that_does_not_fit_the_town_is_refused_with_its_message(case: str):
    where, what = TOWN_CASES[case]
    town = line_town({"h1": 1000.0}, [("s1", 0.0, 2000.0)], [("k0", 0.0, 100.0)])
    scenario = read_scenario(BROKEN / f"{case}.toml")
    errors = [
        i for i in check_scenario(town, scenario, norms=load_norms()) if i.severity == "error"
    ]
    assert len(errors) == 1
    assert where in str(errors[0])
    assert what in str(errors[0])


def test_a_missing_file_is_named():
    with pytest.raises(ScenarioError, match="does not exist"):
        read_scenario(BROKEN / "nope.toml")


EVERY_EDIT = Scenario(
    name="Всё сразу \"quoted\"",
    description="line one\nline two",
    author="Tester",
    town="Line",
    edits=(
        AddFacility(id="k1", service="kindergarten", lon=22.2, lat=54.6, capacity=180.0,
                    name="Сад", note="why: because"),
        MoveFacility(facility_id="k0", lon=22.21, lat=54.61),
        RemoveFacility(facility_id="k2"),
        CloseFacility(facility_id="k3", note="old"),
        ChangeFacility(facility_id="k4", capacity=90.0, status="planned"),
        AddHousing(id="h1", polygon=((22.1, 54.5), (22.2, 54.5), (22.2, 54.6)), flats=300,
                   household_size=2.6, cohort_shares=FrozenMap({"pop_0_6": 0.1, "pop_7_17": 0.2,
                   "pop_18_64": 0.6, "pop_65_plus": 0.1}), housing="mixed", district="d1"),
        AddHousing(id="h2", point=(22.15, 54.55), residents=40,
                   cohorts=FrozenMap({"pop_0_6": 4.0, "pop_7_17": 6.0, "pop_18_64": 20.0,
                   "pop_65_plus": 10.0})),
        AddStreet(id="p1", line=((22.1, 54.5), (22.11, 54.51), (22.12, 54.5)), kind="footbridge",
                  snap_m=12.5),
        CloseStreet(street_id="s1"),
    ),
)  # fmt: skip


def test_every_edit_survives_a_round_trip_through_toml(tmp_path: Path):
    text = scenario_to_toml(EVERY_EDIT)
    assert tomllib.loads(text)["version"] == 1
    assert scenario_from_toml(text) == EVERY_EDIT
    path = write_scenario(tmp_path / "s.toml", EVERY_EDIT)
    assert read_scenario(path) == EVERY_EDIT
    # A coordinate pair stays on one line, so a file reads like the map.
    assert "point = [22.15, 54.55]" in text


def test_the_bundled_scenarios_read_and_apply():
    from planner.io import load_town

    folder = default_town_dir() / "scenarios"
    files = sorted(folder.glob("*.toml"))
    assert files, "the Gusev model bundles at least the Technopolis GS scenario"
    norms = load_norms()
    town = load_town(default_town_dir(), norms=norms)
    for path in files:
        scenario = read_scenario(path)
        errors = [i for i in check_scenario(town, scenario, norms=norms) if i.severity == "error"]
        assert errors == [], path.name
