"""Scenarios on hand-checkable towns: who gains, who loses, and the invariants of applying."""

from __future__ import annotations

import contextlib
import copy

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.analysis import analyze_town
from planner.norms import load_norms
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
    add_facility_at,
    apply_scenario,
    check_scenario,
    move_facility_to,
    run_comparison,
)
from tests import factories
from tests.factories import make_tiny_town
from tests.scenario_towns import KG_PLACES_PER_HOME, X0, Y0, line_town, lonlat

NORMS = load_norms()


def _kg(comparison):
    return comparison.services.set_index("service").loc["kindergarten"]


def _changes(comparison) -> dict[str, str]:
    units = comparison.units[comparison.units["service"] == "kindergarten"]
    return dict(zip(units["unit_id"], units["change"], strict=True))


# --- a kindergarten in an unserved area -------------------------------------------------------

# Homes at x = 1000, 1200, 1400, 1600, 1900 along one street; the only kindergarten at x = 0 is
# more than 500 m from all of them. A new one at x = 1300 is 310, 110, 110, 310 and 610 m away.
HOMES = {"h1": 1000.0, "h2": 1200.0, "h3": 1400.0, "h4": 1600.0, "h5": 1900.0}


def _unserved_town():
    return line_town(HOMES, [("s1", 0.0, 2000.0)], [("k0", 0.0, 1000.0)])


def test_a_kindergarten_in_an_unserved_area_serves_exactly_the_homes_within_500_m():
    town = _unserved_town()
    scenario = Scenario("new kg").with_edit(
        AddFacility(id="k1", service="kindergarten", lon=lonlat(1300, 0)[0],
                    lat=lonlat(1300, 0)[1], capacity=1000)
    )  # fmt: skip
    comparison = run_comparison(town, scenario, NORMS, services=["kindergarten"])
    row = _kg(comparison)
    assert row["served_within_before"] == pytest.approx(0.0)
    assert row["served_within_after"] == pytest.approx(4 * KG_PLACES_PER_HOME)
    assert row["covered_network_after"] - row["covered_network_before"] == 4000
    assert _changes(comparison) == {
        "h1": "gained", "h2": "gained", "h3": "gained", "h4": "gained", "h5": "unchanged"
    }  # fmt: skip
    units = comparison.units.set_index("unit_id")
    assert units.loc["h2", "distance_m_after"] == pytest.approx(110.0, abs=0.05)
    assert units.loc["h5", "distance_m_after"] == pytest.approx(610.0, abs=0.05)
    added = comparison.facilities.set_index("facility_id").loc["k1"]
    assert added["change"] == "added"
    # h5 (610 m) is served there too, beyond the norm (within 3 × 500 m): load 5 × 51.
    assert added["load_after"] == pytest.approx(5 * KG_PLACES_PER_HOME)


def test_a_small_new_kindergarten_serves_only_its_capacity():
    town = _unserved_town()
    x, y = lonlat(1300, 0)
    scenario = Scenario("small").with_edit(
        AddFacility(id="k1", service="kindergarten", lon=x, lat=y, capacity=120)
    )
    row = _kg(run_comparison(town, scenario, NORMS, services=["kindergarten"]))
    assert row["served_within_after"] == pytest.approx(120.0)


def test_closing_the_new_kindergarten_again_gives_back_today():
    town = _unserved_town()
    x, y = lonlat(1300, 0)
    scenario = (
        Scenario("open and close")
        .with_edit(AddFacility(id="k1", service="kindergarten", lon=x, lat=y, capacity=500))
        .with_edit(CloseFacility(facility_id="k1"))
    )
    comparison = run_comparison(town, scenario, NORMS, services=["kindergarten"])
    assert set(_changes(comparison).values()) == {"unchanged"}
    assert comparison.facilities.set_index("facility_id").loc["k1", "status_after"] == "closed"


# --- a footbridge over a river -----------------------------------------------------------------

# West street x = 0..400, east street x = 600..1000, nothing across the river between them.
# Kindergarten at x = 300 (west). East homes at x = 650, 750, 900. A footbridge (400,0)-(600,0)
# makes them 100 + 200 + 50 + 10 = 360, 460 and 610 m away: the first two come within 500 m.
RIVER_HOMES = {"w1": 100.0, "e1": 650.0, "e2": 750.0, "e3": 900.0}


def _river_town(with_bridge: bool = False):
    streets = [("west", 0.0, 400.0), ("east", 600.0, 1000.0)]
    if with_bridge:
        streets.append(("bridge", 400.0, 600.0))
    return line_town(RIVER_HOMES, streets, [("k0", 300.0, 1000.0)])


def _footbridge(start=(400.0, 0.0), end=(600.0, 0.0), snap_m=30.0) -> AddStreet:
    return AddStreet(id="fb", kind="footbridge", line=(lonlat(*start), lonlat(*end)), snap_m=snap_m)


def test_a_footbridge_brings_exactly_the_expected_homes_within_the_limit():
    comparison = run_comparison(
        _river_town(), Scenario("bridge").with_edit(_footbridge()), NORMS, services=["kindergarten"]
    )
    units = comparison.units.set_index("unit_id")
    assert units.loc["e1", "distance_m_after"] == pytest.approx(360.0, abs=0.05)
    assert units.loc["e2", "distance_m_after"] == pytest.approx(460.0, abs=0.05)
    assert units.loc["e3", "distance_m_after"] == pytest.approx(610.0, abs=0.05)
    assert np.isinf(float(units.loc["e1", "distance_m_before"]))  # type: ignore[arg-type]
    access = dict(zip(units.index, units["access_change"], strict=True))
    assert access == {"w1": "unchanged", "e1": "gained", "e2": "gained", "e3": "unchanged"}
    assert _changes(comparison) == {
        "w1": "unchanged", "e1": "gained", "e2": "gained", "e3": "unchanged"
    }  # fmt: skip
    assert comparison.applied.streets_changed
    joins = comparison.applied.street_joins
    assert joins["joined"].all()
    assert not joins["split"].any()
    assert sorted(joins["to_street_id"]) == ["east", "west"]


def test_a_footbridge_drawn_a_little_off_the_street_ends_still_joins():
    # Ends 8 m off the street ends: joined to the end vertices, the 8 m connectors counted.
    edit = _footbridge(start=(400.0, 8.0), end=(600.0, 8.0))
    comparison = run_comparison(
        _river_town(), Scenario("bridge").with_edit(edit), NORMS, services=["kindergarten"]
    )
    units = comparison.units.set_index("unit_id")
    assert units.loc["e1", "distance_m_after"] == pytest.approx(360.0 + 16.0, abs=0.05)


def test_a_path_ending_mid_street_splits_that_street():
    # A path from (200, 0), the middle of the west street, north to (200, 150): the west street
    # gets a vertex at x = 200 and the path starts there.
    edit = AddStreet(id="p", kind="footway", line=(lonlat(200, 0), lonlat(200, 150)))
    applied = apply_scenario(_river_town(), Scenario("path").with_edit(edit), norms=NORMS)
    west = applied.town.streets.set_index("id").loc["west"].geometry
    assert (X0 + 200, Y0) in [tuple(np.round(c, 3)) for c in west.coords]
    assert west.length == pytest.approx(400.0)
    join = applied.street_joins.set_index("end").loc["start"]
    assert join["split"]
    assert join["to_street_id"] == "west"
    assert applied.street_joins.set_index("end").loc["end", "joined"] is np.False_
    assert any("dead end" in w.message for w in applied.warnings)


def test_a_segment_far_from_every_street_is_refused():
    edit = AddStreet(id="far", kind="footway", line=(lonlat(1500, 150), lonlat(1700, 150)))
    with pytest.raises(ScenarioError, match=r"edit 1 \(add_street 'far'\), field 'line'"):
        apply_scenario(_river_town(), Scenario("far").with_edit(edit))


def test_closing_the_bridge_loses_exactly_those_homes():
    comparison = run_comparison(
        _river_town(with_bridge=True),
        Scenario("close").with_edit(CloseStreet(street_id="bridge")),
        NORMS,
        services=["kindergarten"],
    )
    assert _changes(comparison) == {
        "w1": "unchanged",
        "e1": "lost",
        "e2": "lost",
        "e3": "unchanged",
    }
    assert list(comparison.street_layer()["change"]) == ["closed"]


# --- housing ------------------------------------------------------------------------------------


def test_new_housing_from_flats_adds_residents_and_demand():
    town = _unserved_town()
    polygon = tuple(lonlat(x, y) for x, y in ((200, 20), (300, 20), (300, 80), (200, 80)))
    edit = AddHousing(
        id="new", polygon=polygon, flats=100, household_size=2.5,
        cohort_shares={"pop_0_6": 0.1, "pop_7_17": 0.1, "pop_18_64": 0.7, "pop_65_plus": 0.1},  # type: ignore[arg-type]
    )  # fmt: skip
    applied = apply_scenario(town, Scenario("homes").with_edit(edit), norms=NORMS)
    row = applied.town.residential.set_index("id").loc["new"]
    assert row["population"] == 250
    assert row["pop_0_6"] == 25
    assert row["district"] == "d1"
    assert applied.town.meta.population == town.meta.population + 250
    assert applied.added_residents == 250
    comparison = run_comparison(
        town, Scenario("homes").with_edit(edit), NORMS, services=["kindergarten"]
    )
    assert _kg(comparison)["demand_change"] == pytest.approx(25 * 6 / 7 * 0.85)
    assert _changes(comparison)["new"] == "new"


def test_new_housing_without_cohorts_takes_the_town_age_structure():
    town = _unserved_town()
    edit = AddHousing(id="pt", point=lonlat(500, 50), residents=100)
    applied = apply_scenario(town, Scenario("pt").with_edit(edit))
    row = applied.town.residential.set_index("id").loc["pt"]
    assert (row["pop_0_6"], row["pop_7_17"], row["pop_18_64"], row["pop_65_plus"]) == (
        7,
        13,
        64,
        16,
    )
    assert row.geometry.area == pytest.approx(400.0)


# --- facilities: move, remove, change ----------------------------------------------------------


def test_moving_removing_and_changing_facilities():
    town = _unserved_town()
    scenario = (
        Scenario("edits")
        .with_edit(MoveFacility(facility_id="k0", lon=lonlat(1300, 0)[0], lat=lonlat(1300, 0)[1]))
        .with_edit(ChangeFacility(facility_id="k0", capacity=60))
    )
    comparison = run_comparison(town, scenario, NORMS, services=["kindergarten"])
    facility = comparison.facilities.set_index("facility_id").loc["k0"]
    assert facility["change"] == "moved"
    assert facility["moved_m"] == pytest.approx(1300.0)
    assert _kg(comparison)["served_within_after"] == pytest.approx(60.0)
    assert len(comparison.move_layer()) == 1
    removed = apply_scenario(town, Scenario("rm").with_edit(RemoveFacility(facility_id="k0")))
    assert "k0" not in set(removed.town.facilities["id"])


def test_edits_may_refer_to_what_earlier_edits_added_but_not_to_what_they_removed():
    town = _unserved_town()
    x, y = lonlat(1300, 0)
    ok = (
        Scenario("chain")
        .with_edit(AddFacility(id="k1", service="kindergarten", lon=x, lat=y, capacity=10))
        .with_edit(ChangeFacility(facility_id="k1", capacity=20))
    )
    assert apply_scenario(town, ok).town.facilities.set_index("id").loc["k1", "capacity"] == 20
    bad = (
        Scenario("gone")
        .with_edit(RemoveFacility(facility_id="k0"))
        .with_edit(ChangeFacility(facility_id="k0", status="closed"))
    )
    issues = check_scenario(town, bad)
    assert [(i.edit_index, i.field) for i in issues] == [(2, "facility_id")]
    assert "an earlier edit removed it" in issues[0].message


def test_every_problem_is_reported_at_once_with_scenario_edit_and_field():
    town = _unserved_town()
    far = lonlat(5000, 0)
    scenario = (
        Scenario("many problems")
        .with_edit(AddFacility(id="k0", service="kindergarten", lon=far[0], lat=far[1], capacity=5))
        .with_edit(
            AddFacility(id="k9", service="daycare", lon=lonlat(10, 0)[0], lat=lonlat(10, 0)[1])
        )
        .with_edit(ChangeFacility(facility_id="nope", capacity=-3))
    )
    issues = check_scenario(town, scenario, norms=NORMS)
    where = [(i.edit_index, i.edit_id, i.field) for i in issues]
    assert where == [
        (1, "k0", "id"),
        (1, "k0", "lon"),
        (2, "k9", "service"),
        (3, "nope", "capacity"),
    ]
    assert all(i.scenario == "many problems" for i in issues)
    assert "outside the town boundary" in issues[1].message


def test_builders_give_unique_ids_and_move_added_facilities_in_place():
    s = add_facility_at(Scenario("b"), service="kindergarten", lon=1.0, lat=2.0, capacity=80)
    s = add_facility_at(s, service="kindergarten", lon=1.0, lat=2.0, capacity=80)
    assert [e.target for e in s.edits] == ["new-kindergarten-1", "new-kindergarten-2"]
    s = move_facility_to(s, "new-kindergarten-2", lon=3.0, lat=4.0)
    s = move_facility_to(s, "k0", lon=5.0, lat=6.0)
    s = move_facility_to(s, "k0", lon=7.0, lat=8.0)
    assert len(s.edits) == 3
    assert (s.edits[1].lon, s.edits[2].lon) == (3.0, 7.0)  # type: ignore[union-attr]


# --- invariants ---------------------------------------------------------------------------------

TINY = make_tiny_town()
TINY_BASE = analyze_town(TINY, NORMS, services=["kindergarten", "school"], with_catchments=False)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    x=st.floats(-45, 245),
    y=st.floats(-45, 245),
    service=st.sampled_from(["kindergarten", "school"]),
)
def test_adding_a_facility_never_worsens_anyones_distance(x, y, service):
    from pyproj import Transformer

    lon, lat = Transformer.from_crs("EPSG:32634", "EPSG:4326", always_xy=True).transform(
        factories.X0 + x, factories.Y0 + y
    )
    scenario = Scenario("one more").with_edit(
        AddFacility(id="extra", service=service, lon=lon, lat=lat, capacity=100)
    )
    comparison = run_comparison(TINY, scenario, NORMS, baseline=TINY_BASE)
    units = comparison.units
    assert (units["distance_m_after"] <= units["distance_m_before"] + 1e-6).all()
    assert not (units["access_change"] == "lost").any()


def test_an_empty_scenario_changes_nothing():
    comparison = run_comparison(TINY, Scenario("nothing"), NORMS, baseline=TINY_BASE)
    assert set(comparison.units["change"]) == {"unchanged"}
    changes = comparison.services.filter(like="_change")
    assert (changes.abs() < 1e-9).all().all()
    assert set(comparison.facilities["change"]) == {"unchanged"}
    assert comparison.baseline.network.graph is comparison.scenario.network.graph


edit_strategy = st.one_of(
    st.builds(lambda x, y: AddFacility(id="n1", service="kindergarten", lon=x, lat=y, capacity=50),
              st.floats(22.1756, 22.1799), st.floats(54.5915, 54.5938)),
    st.builds(lambda c: ChangeFacility(facility_id="F1", capacity=c), st.floats(0, 500)),
    st.just(CloseFacility(facility_id="F2")),
    st.just(RemoveFacility(facility_id="F1")),
    st.just(CloseStreet(street_id="S2")),
    st.builds(lambda n: AddHousing(id="h9", point=(22.177, 54.592), residents=n), st.integers(0, 500)),  # noqa: E501
)  # fmt: skip


@settings(max_examples=30, deadline=None)
@given(edits=st.lists(edit_strategy, max_size=4))
def test_a_scenario_never_mutates_the_baseline(edits):
    town = make_tiny_town()
    frames = {
        name: copy.deepcopy(town.layer(name)) for name in ("facilities", "residential", "streets")
    }
    meta = town.meta
    scenario = Scenario("random", edits=tuple(edits))
    check_scenario(town, scenario, norms=NORMS)
    with contextlib.suppress(ScenarioError):
        apply_scenario(town, scenario, norms=NORMS)
    assert town.meta == meta
    for name, frame in frames.items():
        pd.testing.assert_frame_equal(town.layer(name), frame)
