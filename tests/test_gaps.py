"""Gaps (planner.gaps): zones, project sizes, districts, overloads and requirements, by hand.

The world: four 20 m square blocks on a line (metric CRS), kindergarten norms (projects of 80,
180 and 320 places, a 500 m walk):

    block  x (m)  district  residents  demand  reaches
    U1        0   west           100      90   F1 at 100 m
    U2      100   east            50      60   F1 at 200 m
    U3     1000   east            30      20   nothing
    U4     2000   west            40      10   F2 at 50 m

F1 has 30 places, F2 100. The exact assignment gives F1's 30 places to U1 (the shorter walk),
so U1 lacks 60, U2 60, U3 20, and U4 is served. U1 and U2 are 80 m apart (< 150 m): one zone
spanning west (100 residents) and east (50) with 120 places short, residents not served
100 x 60/90 + 50 x 60/60 = 116.7; U3 alone is a second zone of 20 places in east.
Projects: 120 places -> one 180 (no 80 covers it, 320 is more than needed); 20 places is a
quarter of the smallest size (80), so one 80.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from scipy.sparse import csgraph

from planner.gaps import (
    PAIR_LIMIT,
    ZONE_COLUMNS,
    gap_zones,
    overloaded_facilities,
    proximity_zones,
    service_requirements,
    unit_proximity,
)
from planner.norms import load_norms
from planner.provision import solve_provision

CRS = "EPSG:32634"
LIMIT_M = 500.0


def _blocks(rows: list[tuple[str, float, str, int]]) -> gpd.GeoDataFrame:
    """Blocks ``(id, x, district, population)``: 20 m squares with their corner at (x, 0)."""
    ids, xs, districts, population = zip(*rows, strict=True)
    return gpd.GeoDataFrame(
        {"id": list(ids), "population": list(population), "district": list(districts)},
        geometry=[shapely.box(x, 0, x + 20, 20) for x in xs],
        crs=CRS,
    )


@pytest.fixture(scope="module")
def kindergarten():
    return load_norms().service("kindergarten")


@pytest.fixture(scope="module")
def world():
    residential = _blocks(
        [
            ("U1", 0, "west", 100),
            ("U2", 100, "east", 50),
            ("U3", 1000, "east", 30),
            ("U4", 2000, "west", 40),
        ]
    )
    demand = pd.Series({"U1": 90.0, "U2": 60.0, "U3": 20.0, "U4": 10.0})
    pairs = pd.DataFrame(
        [("U1", "F1", 100.0), ("U2", "F1", 200.0), ("U4", "F2", 50.0)],
        columns=["unit_id", "facility_id", "distance_m"],
    )
    provision = solve_provision(
        demand, pd.Series({"F1": 30.0, "F2": 100.0}), pairs, limit_m=LIMIT_M
    )
    coverage = pd.DataFrame(
        {
            "unit_id": ["U1", "U2", "U3", "U4"],
            "nearest_facility_id": ["F1", "F1", None, "F2"],
            "within_limit": [True, True, False, True],
        }
    )
    return residential, demand, provision, coverage


def test_zones_hold_the_unmet_places_with_their_projects(world, kindergarten) -> None:
    residential, _, provision, coverage = world
    zones = gap_zones(residential, coverage, kindergarten, provision)
    assert list(zones.columns) == [*ZONE_COLUMNS, "geometry"]
    assert zones["zone_id"].tolist() == ["kindergarten-gap-1", "kindergarten-gap-2"]
    assert zones["n_units"].tolist() == [2, 1]
    assert zones["residents"].tolist() == [150, 30]
    assert zones["unmet_residents"].tolist() == [117, 30]
    assert zones["unmet_places"].tolist() == pytest.approx([120.0, 20.0])
    assert zones["unserved_places"].tolist() == pytest.approx([120.0, 20.0])
    assert zones["project_sizes"].tolist() == [(180,), (80,)]
    # The zone is drawn as its blocks.
    assert zones.geometry.iloc[0].area == pytest.approx(2 * 400.0)


def test_a_zone_spanning_two_districts_names_both(world, kindergarten) -> None:
    residential, _, provision, coverage = world
    zones = gap_zones(residential, coverage, kindergarten, provision)
    assert zones["district_ids"].tolist() == [("west", "east"), ("east",)]
    assert zones["district_residents"].tolist() == [(100, 50), (30,)]


def test_districts_with_equal_residents_are_ordered_by_id(kindergarten) -> None:
    residential = _blocks([("A", 0, "south", 50), ("B", 60, "north", 50)])
    demand = pd.Series({"A": 5.0, "B": 5.0})
    pairs = pd.DataFrame(columns=["unit_id", "facility_id", "distance_m"])
    provision = solve_provision(demand, pd.Series({"F": 1.0}), pairs, limit_m=LIMIT_M)
    coverage = pd.DataFrame({"unit_id": ["A", "B"], "within_limit": [False, False]})
    zones = gap_zones(residential, coverage, kindergarten, provision)
    assert zones["district_ids"].tolist() == [("north", "south")]
    # 10 places short: below a quarter of 80, so no new building is suggested.
    assert zones["project_sizes"].tolist() == [()]


def test_larger_deficits_take_several_projects(kindergarten) -> None:
    residential = _blocks([("A", 0, "d", 1000)])
    pairs = pd.DataFrame(columns=["unit_id", "facility_id", "distance_m"])
    provision = solve_provision(
        pd.Series({"A": 700.0}), pd.Series({"F": 1.0}), pairs, limit_m=LIMIT_M
    )
    coverage = pd.DataFrame({"unit_id": ["A"], "within_limit": [False]})
    zones = gap_zones(residential, coverage, kindergarten, provision)
    # 700 = 2 x 320 + 60; 60 >= 20 and the smallest size covering it is 80.
    assert zones["project_sizes"].tolist() == [(320, 320, 80)]


def test_without_a_demand_rule_units_beyond_the_walk_are_the_gap(world) -> None:
    residential, _, _, coverage = world
    pharmacy = load_norms().service("pharmacy")
    zones = gap_zones(residential, coverage, pharmacy, None)
    assert zones["n_units"].tolist() == [1]
    assert zones["district_ids"].tolist() == [("east",)]
    assert zones["residents"].tolist() == zones["unmet_residents"].tolist() == [30]
    assert math.isnan(zones["unmet_places"].iloc[0])
    assert zones["project_sizes"].tolist() == [()]


def test_no_gap_gives_an_empty_table_with_the_columns(kindergarten) -> None:
    residential = _blocks([("A", 0, "d", 10)])
    pairs = pd.DataFrame([("A", "F", 10.0)], columns=["unit_id", "facility_id", "distance_m"])
    provision = solve_provision(
        pd.Series({"A": 5.0}), pd.Series({"F": 10.0}), pairs, limit_m=LIMIT_M
    )
    coverage = pd.DataFrame({"unit_id": ["A"], "within_limit": [True]})
    zones = gap_zones(residential, coverage, kindergarten, provision)
    assert zones.empty
    assert [*ZONE_COLUMNS, "geometry"] == list(zones.columns)


def _same_partition(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether two zone labellings group the units alike (zone numbers may differ)."""
    return (
        len(set(zip(a.tolist(), b.tolist(), strict=True)))
        == len(set(a.tolist()))
        == len(set(b.tolist()))
    )


def test_zones_join_within_the_distance(world) -> None:
    geoms = world[0].geometry.to_numpy()
    proximity = unit_proximity(geoms, join_m=150.0)
    n_zones, zone = proximity_zones(proximity, np.ones(4, dtype=bool))
    # U1-U2 are 80 m apart; U3 (1,000 m) and U4 (2,000 m) are far from everything.
    assert n_zones == 3
    assert _same_partition(zone, np.array([0, 0, 1, 2]))
    # Only the members count: without U2, U1 stands alone.
    n_zones, zone = proximity_zones(proximity, np.array([True, False, True, False]))
    assert n_zones == 2
    assert len(zone) == 2


@pytest.mark.parametrize("max_pairs", [0, PAIR_LIMIT])
def test_a_chain_joins_through_a_member_and_breaks_without_it(max_pairs: int) -> None:
    # Blocks every 140 m (120 m apart edge to edge): a chain, whatever the cells.
    geoms = np.array([shapely.box(x, 0, x + 20, 20) for x in range(0, 1400, 140)])
    proximity = unit_proximity(geoms, join_m=150.0, max_pairs=max_pairs)
    assert proximity_zones(proximity, np.ones(10, dtype=bool))[0] == 1
    members = np.ones(10, dtype=bool)
    members[5] = False
    n_zones, zone = proximity_zones(proximity, members)
    assert n_zones == 2
    assert _same_partition(zone, np.array([0] * 5 + [1] * 4))


@pytest.mark.parametrize("max_pairs", [0, PAIR_LIMIT])
def test_a_distance_of_exactly_join_m_joins(max_pairs: int) -> None:
    geoms = np.array([shapely.box(0, 0, 10, 10), shapely.box(160, 0, 170, 10)])  # 150 m apart
    both = np.ones(2, dtype=bool)
    assert proximity_zones(unit_proximity(geoms, join_m=150.0, max_pairs=max_pairs), both)[0] == 1
    assert proximity_zones(unit_proximity(geoms, join_m=149.9, max_pairs=max_pairs), both)[0] == 2


def test_pairs_are_listed_for_sparse_blocks_and_not_for_dense_ones() -> None:
    # 40 x 40 blocks 300 m apart: each near itself only. The same blocks 5 m apart: every block
    # within 150 m of hundreds of others — too many pairs to list, so cells it is.
    sparse_geoms = np.array(
        [
            shapely.box(x, y, x + 4, y + 4)
            for x in range(0, 12000, 300)
            for y in range(0, 12000, 300)
        ]
    )
    dense_geoms = np.array(
        [shapely.box(x, y, x + 4, y + 4) for x in range(0, 200, 5) for y in range(0, 200, 5)]
    )
    proximity = unit_proximity(sparse_geoms, join_m=150.0, max_pairs=10_000)
    assert proximity.pairs is not None
    assert len(proximity.pairs[0]) == len(sparse_geoms)  # self-pairs only
    assert unit_proximity(dense_geoms, join_m=150.0, max_pairs=10_000).pairs is None


def _all_pairs_zones(geoms: np.ndarray, members: np.ndarray, join_m: float) -> np.ndarray:
    """The definition, by brute force: every pair's distance, then connected components."""
    chosen = geoms[members]
    near = shapely.distance(chosen[:, None], chosen[None, :]) <= join_m
    _, labels = csgraph.connected_components(sparse.csr_array(near.astype(float)), directed=False)
    return np.asarray(labels)


@settings(max_examples=60, deadline=None)
@given(
    boxes=st.lists(
        st.tuples(st.floats(0, 2000), st.floats(0, 2000), st.floats(1, 400), st.floats(1, 60)),
        min_size=1,
        max_size=40,
    ),
    chosen=st.lists(st.booleans(), min_size=40, max_size=40),
    join_m=st.sampled_from([50.0, 150.0, 300.0]),
    max_pairs=st.sampled_from([0, 10**9]),
)
def test_zones_equal_the_connected_components_of_all_pairs(
    boxes: list[tuple[float, float, float, float]],
    chosen: list[bool],
    join_m: float,
    max_pairs: int,
) -> None:
    # Long thin blocks too (up to 400 m): a block reaches far beyond its own cell. Both ways
    # are checked: through grid cells (max_pairs 0) and through the pairs listed once.
    geoms = np.array([shapely.box(x, y, x + w, y + h) for x, y, w, h in boxes])
    members = np.array(chosen[: len(geoms)])
    proximity = unit_proximity(geoms, join_m=join_m, max_pairs=max_pairs)
    assert (proximity.pairs is None) == (max_pairs == 0)
    n_zones, zone = proximity_zones(proximity, members)
    expected = _all_pairs_zones(geoms, members, join_m)
    assert n_zones == len(set(expected.tolist()))
    assert _same_partition(zone, expected)


def test_overloaded_facility_by_its_nearest_demand(world) -> None:
    _, demand, provision, coverage = world
    over = overloaded_facilities(coverage, demand, provision)
    # F1 is nearest to U1 and U2 (150 places) with 30 places; F2's 10 fit in 100.
    assert over["facility_id"].tolist() == ["F1"]
    assert over["nearest_demand"].tolist() == pytest.approx([150.0])
    assert over["overload_places"].tolist() == pytest.approx([120.0])
    assert over["overload_ratio"].tolist() == pytest.approx([5.0])
    assert over["load"].tolist() == pytest.approx([30.0])
    assert not {"name", "name_ru"} & set(over.columns)  # ids only; names come from words


def test_requirements_by_town_size() -> None:
    norms = load_norms()
    facilities = pd.DataFrame({"service": ["school", "school", "kindergarten"]})
    req = service_requirements(norms, facilities, population=28_600).set_index("service")
    assert req.loc["school", "existing"] == 2
    assert req.loc["concert_hall", "status"] == "not_required"
    assert req.loc["concert_hall", "required_from_population"] == 50_000
    assert req.loc["concert_hall", "missing"] == 0
    assert set(req["status"]) <= {"missing", "ok", "not_required"}
    missing = req[req["status"] == "missing"]
    assert (missing["missing"] == missing["required"] - missing["existing"]).all()
    assert req["required"].dtype.kind == "i"
