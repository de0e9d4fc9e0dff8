"""Coverage per residential unit and service, and its summaries, checked by hand."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString, Point, box

from planner.access_network import build_town_access_network
from planner.coverage import COVERAGE_COLUMNS, coverage_summary, coverage_table
from planner.errors import NetworkError, NormsError
from planner.model import Town, TownMeta
from planner.norms import FrozenMap, NormSet, load_norms
from tests.test_access_network import NOISE_M, TINY_EXPECTED_M

X0, Y0 = 576_000.0, 6_050_000.0
CRS = "EPSG:32634"

# --- the tiny town ----------------------------------------------------------------------------

# Straight lines from the block centres (see tests/test_access_network.py for the walks):
# R1 (50,50): F1 (0,0) 70.71, F2 (200,200) 212.13; R2 (150,50) and R3 (50,150): 158.11 to both;
# R4 (150,150): F1 212.13, F2 70.71.
STRAIGHT_M = {
    "R1": (70.711, 212.132),
    "R2": (158.114, 158.114),
    "R3": (158.114, 158.114),
    "R4": (212.132, 70.711),
}
POPULATION = {"R1": 100, "R2": 200, "R3": 300, "R4": 400}


def _with_service(norms: NormSet, key: str, **changes: float | None) -> NormSet:
    services = dict(norms.services)
    services[key] = replace(services[key], **changes)  # type: ignore[arg-type]
    return replace(norms, services=FrozenMap(services))


def test_tiny_town_coverage_by_hand(tiny_town: Town) -> None:
    norms = load_norms()
    net = build_town_access_network(tiny_town)
    cov = coverage_table(tiny_town, norms, net)
    assert list(cov.columns) == list(COVERAGE_COLUMNS)
    # Services with a walking norm, plus those with facilities, in norm-set order.
    services = ["kindergarten", "school", "polyclinic", "pharmacy", "sports_centre"]
    services.append("sports_ground")
    assert pd.unique(cov["service"]).tolist() == services
    assert len(cov) == 4 * len(services)
    walk = TINY_EXPECTED_M
    for service, fac_pos, fac_id in (("school", 0, "F1"), ("kindergarten", 1, "F2")):
        rows = cov[cov["service"] == service].set_index("unit_id")
        for unit, population in POPULATION.items():
            row = rows.loc[unit]
            assert row["nearest_facility_id"] == fac_id
            assert row["population"] == population
            assert row["distance_m"] == pytest.approx(walk[unit][fac_pos], abs=NOISE_M)
            assert row["walk_time_min"] == pytest.approx(walk[unit][fac_pos] / 75, abs=0.01)
            assert row["straight_m"] == pytest.approx(STRAIGHT_M[unit][fac_pos], abs=NOISE_M)
            # Every walk here is at most 400 m and every line at most 213 m: all within 500 m.
            assert row["within_limit"]
            assert row["within_radius"]
            assert not row["radius_not_network"]
    assert cov.loc[cov["service"] == "school", "district"].tolist() == [
        "west",
        "east",
        "west",
        "east",
    ]
    # No polyclinic in town: nobody reaches one.
    poly = cov[cov["service"] == "polyclinic"]
    assert poly["nearest_facility_id"].isna().all()
    assert np.isinf(poly["distance_m"]).all()
    assert np.isinf(poly["straight_m"]).all()
    assert not poly[["within_limit", "within_radius", "radius_not_network"]].any().any()


def test_tiny_town_with_a_tighter_norm(tiny_town: Town) -> None:
    # Kindergarten walking limit 250 m, radius 200 m: only some blocks are covered.
    norms = _with_service(load_norms(), "kindergarten", walk_limit_m=250.0, radius_m=200.0)
    net = build_town_access_network(tiny_town)
    cov = coverage_table(tiny_town, norms, net, services=["kindergarten"])
    assert cov["service"].unique().tolist() == ["kindergarten"]
    walk = TINY_EXPECTED_M
    rows = cov.set_index("unit_id")
    within_limit = {unit: walk[unit][1] <= 250 for unit in POPULATION}
    within_radius = {"R1": False, "R2": True, "R3": True, "R4": True}  # 212 m is beyond 200 m
    for unit in POPULATION:
        assert rows.loc[unit, "within_limit"] == within_limit[unit]
        assert rows.loc[unit, "within_radius"] == within_radius[unit]
        assert rows.loc[unit, "radius_not_network"] == (
            within_radius[unit] and not within_limit[unit]
        )
    summary = coverage_summary(cov, by="service").set_index("service").loc["kindergarten"]
    covered = sum(POPULATION[u] for u in POPULATION if within_limit[u])
    assert summary["residents"] == 1000
    assert summary["covered_network"] == covered
    assert summary["covered_radius"] == 900
    assert summary["covered_network_share"] == pytest.approx(covered / 1000)
    assert summary["covered_radius_share"] == pytest.approx(0.9)


def test_walk_time_uses_the_given_speed(tiny_town: Town) -> None:
    norms = load_norms()
    net = build_town_access_network(tiny_town)
    adult = coverage_table(tiny_town, norms, net, services=["school"])
    elderly = coverage_table(
        tiny_town, norms, net, services=["school"], walk_speed_m_min=norms.elderly_walk_speed_m_min
    )
    assert elderly["walk_time_min"].to_numpy() == pytest.approx(
        adult["distance_m"].to_numpy() / 50.0
    )
    assert adult["walk_time_min"].to_numpy() == pytest.approx(adult["distance_m"].to_numpy() / 75)
    with pytest.raises(NormsError, match="positive"):
        coverage_table(tiny_town, norms, net, walk_speed_m_min=0.0)
    with pytest.raises(NormsError, match="no service 'spaceport'"):
        coverage_table(tiny_town, norms, net, services=["spaceport"])


# --- a river with one bridge ------------------------------------------------------------------


def _frame(rows: list[dict[str, object]]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(pd.DataFrame(rows), geometry="geometry", crs=CRS)


def _block(uid: str, district: str, population: int, x: float, y: float) -> dict[str, object]:
    # A 20 m square centred on (x, y): its representative point is the centre.
    geometry = box(X0 + x - 10, Y0 + y - 10, X0 + x + 10, Y0 + y + 10)
    return {
        "id": uid,
        "population": population,
        "housing": "apartment",
        "district": district,
        "provenance": "modelled",
        "geometry": geometry,
    }


def _kindergarten(fid: str, status: str, x: float, y: float) -> dict[str, object]:
    return {
        "id": fid,
        "service": "kindergarten",
        "capacity": 100.0,
        "status": status,
        "geometry": Point(X0 + x, Y0 + y),
    }


def _river_town(*, extra: tuple[dict[str, object], ...] = ()) -> Town:
    """A river along x = 0 with bank streets at x = -50 and x = 50, bridged only at y = 1000.

    Blocks: W1 centred (-70, 100) and W2 (-70, 950) on the west bank, E1 (70, 300) on the east
    bank; all 20 m from their bank street. Kindergarten K (existing) at (60, 100), 10 m east of
    the east bank street.
    """

    def line(*points: tuple[float, float]) -> LineString:
        return LineString([(X0 + x, Y0 + y) for x, y in points])

    streets = _frame(
        [
            {"id": "west", "geometry": line((-50, 0), (-50, 1000))},
            {"id": "east", "geometry": line((50, 0), (50, 1000))},
            {"id": "bridge", "geometry": line((-50, 1000), (50, 1000))},
        ]
    )
    residential = _frame(
        [
            _block("W1", "west", 100, -70, 100),
            _block("W2", "west", 30, -70, 950),
            _block("E1", "east", 50, 70, 300),
        ]
    )
    facilities = _frame([_kindergarten("K", "existing", 60, 100), *extra])
    empty = gpd.GeoDataFrame({"id": []}, geometry=[], crs=CRS)
    meta = TownMeta(
        name="River",
        name_ru="Река",
        population=180,
        population_year=2025,
        population_source="test",
        crs=CRS,
        size_class="small",
        attribution="test",
    )
    return Town(
        folder=Path("river"),
        meta=meta,
        boundary=empty,
        residential=residential,
        facilities=facilities,
        streets=streets,
        water=empty,
        rail=empty,
        districts=empty,
    )


def test_river_cuts_off_a_unit_inside_the_radius() -> None:
    town = _river_town()
    norms = load_norms()  # kindergarten: radius 500 m, walking limit 500 m
    cov = coverage_table(town, norms, build_town_access_network(town), services=["kindergarten"])
    rows = cov.set_index("unit_id")
    # W1: 20 + 900 up the west bank + 100 bridge + 900 down the east bank + 10 = 1930 m;
    #     the straight line is 130 m.
    # W2: 20 + 50 + 100 + 900 + 10 = 1080 m; straight hypot(130, 850) = 859.9 m.
    # E1: 20 + 200 + 10 = 230 m; straight hypot(10, 200) = 200.2 m.
    expected = {
        "W1": (1930.0, 130.0, False, True),
        "W2": (1080.0, float(np.hypot(130, 850)), False, False),
        "E1": (230.0, float(np.hypot(10, 200)), True, True),
    }
    for unit, (walk_m, straight_m, in_limit, in_radius) in expected.items():
        row = rows.loc[unit]
        assert row["distance_m"] == pytest.approx(walk_m)
        assert row["walk_time_min"] == pytest.approx(walk_m / 75)
        assert row["straight_m"] == pytest.approx(straight_m)
        assert row["within_limit"] == in_limit
        assert row["within_radius"] == in_radius
        assert row["radius_not_network"] == (in_radius and not in_limit)
    assert rows["radius_not_network"].tolist() == [True, False, False]

    by_service = coverage_summary(cov, by="service").iloc[0]
    assert by_service[["units", "residents", "covered_network", "covered_radius"]].tolist() == [
        3,
        180,
        50,
        150,
    ]
    assert by_service["radius_not_network"] == 100
    assert by_service["network_not_radius"] == 0
    assert by_service["unreachable"] == 0
    assert by_service["radius_not_network_share"] == pytest.approx(100 / 180)
    assert by_service["mean_distance_m"] == pytest.approx((100 * 1930 + 30 * 1080 + 50 * 230) / 180)

    by_district = coverage_summary(cov, by="district").set_index("district")
    counts = ["residents", "covered_network", "covered_radius", "radius_not_network"]
    assert by_district[counts].to_numpy().tolist() == [[50, 50, 50, 0], [130, 0, 100, 100]]
    assert by_district.index.tolist() == ["east", "west"]


def test_planned_facilities_count_only_when_asked() -> None:
    # A planned kindergarten on the west bank, 10 m from its street at y = 120; a closed one
    # right next to W2.
    town = _river_town(
        extra=(_kindergarten("P", "planned", -60, 120), _kindergarten("C", "closed", -60, 950))
    )
    norms = load_norms()
    net = build_town_access_network(town)
    existing = coverage_table(town, norms, net, services=["kindergarten"]).set_index("unit_id")
    planned = coverage_table(
        town, norms, net, services=["kindergarten"], include_planned=True
    ).set_index("unit_id")
    assert existing["nearest_facility_id"].tolist() == ["K", "K", "K"]
    assert existing.loc["W1", "distance_m"] == pytest.approx(1930.0)
    # W1 to P: 20 + 20 along the west bank + 10 = 50 m.
    assert planned.loc["W1", "nearest_facility_id"] == "P"
    assert planned.loc["W1", "distance_m"] == pytest.approx(50.0)
    assert planned.loc["W1", "within_limit"]
    # W2 to P: 20 + 830 + 10 = 860 m; still beyond the limit, the closed one does not count.
    assert planned.loc["W2", "nearest_facility_id"] == "P"
    assert planned.loc["W2", "distance_m"] == pytest.approx(860.0)
    assert planned.loc["E1", "nearest_facility_id"] == "K"


def test_network_for_other_data_is_refused(tiny_town: Town) -> None:
    town = _river_town()
    with pytest.raises(NetworkError, match="Unknown origin id"):
        coverage_table(town, load_norms(), build_town_access_network(tiny_town))


def test_services_without_a_walking_norm_are_not_counted() -> None:
    # Museums have no walking norm: distances are reported, coverage counts are NaN.
    town = _river_town(
        extra=(
            {
                "id": "M",
                "service": "museum",
                "capacity": 1.0,
                "status": "existing",
                "geometry": Point(X0 + 60, Y0 + 300),
            },
        )
    )
    cov = coverage_table(town, load_norms(), build_town_access_network(town))
    museum = cov[cov["service"] == "museum"]
    assert museum["distance_m"].tolist() == pytest.approx(
        [20 + 900 + 100 + 700 + 10, 20 + 50 + 100 + 700 + 10, 30]
    )
    assert not museum["within_limit"].any()
    row = coverage_summary(cov).set_index("service").loc["museum"]
    assert np.isnan(row["covered_network"])
    assert np.isnan(row["covered_network_share"])
    assert row["unreachable_share"] == 0.0


# --- summaries --------------------------------------------------------------------------------


@st.composite
def coverage_tables(draw: st.DrawFn) -> pd.DataFrame:
    """Random coverage tables with the flags derived as coverage_table derives them."""
    n_units = draw(st.integers(1, 12))
    services = draw(st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=3, unique=True))
    districts = draw(st.lists(st.sampled_from(["n", "s"]), min_size=n_units, max_size=n_units))
    population = draw(st.lists(st.integers(0, 500), min_size=n_units, max_size=n_units))
    rows = []
    for service in services:
        limit = draw(st.sampled_from([np.nan, 300.0, 500.0]))
        radius = draw(st.sampled_from([np.nan, 300.0, 500.0]))
        for i in range(n_units):
            distance = draw(st.one_of(st.just(np.inf), st.floats(0, 1500)))
            straight = min(distance, draw(st.floats(0, 1500)))
            rows.append(
                {
                    "unit_id": f"u{i}",
                    "service": service,
                    "district": districts[i],
                    "population": population[i],
                    "distance_m": distance,
                    "straight_m": straight,
                    "walk_limit_m": limit,
                    "radius_m": radius,
                    "within_limit": distance <= limit,
                    "within_radius": straight <= radius,
                }
            )
    frame = pd.DataFrame(rows)
    frame["radius_not_network"] = frame["within_radius"] & ~frame["within_limit"]
    return frame


@settings(max_examples=40, deadline=None)
@given(coverage_tables())
def test_summary_shares_lie_in_unit_interval_and_counts_add_up(cov: pd.DataFrame) -> None:
    by_service = coverage_summary(cov, by="service")
    by_district = coverage_summary(cov, by="district")
    for summary in (by_service, by_district):
        shares = summary[[c for c in summary.columns if c.endswith("_share")]].to_numpy()
        finite = shares[~np.isnan(shares)]
        assert ((finite >= 0) & (finite <= 1 + 1e-12)).all()
        both = summary["covered_network"] - summary["network_not_radius"]
        assert both.to_numpy() == pytest.approx(
            (summary["covered_radius"] - summary["radius_not_network"]).to_numpy(), nan_ok=True
        )
        assert (summary["covered_network"].fillna(0) <= summary["residents"]).all()
        assert (summary["unreachable"] <= summary["residents"]).all()
    # Districts add up to the service totals; units and residents are counted once per service.
    totals = by_district.groupby("service", sort=False)[["units", "residents", "unreachable"]].sum()
    expected = by_service.set_index("service")[["units", "residents", "unreachable"]]
    pd.testing.assert_frame_equal(totals.loc[expected.index], expected, check_dtype=False)
    assert (by_service["units"] == cov["unit_id"].nunique()).all()
    assert by_service["residents"].tolist() == pytest.approx(
        [cov[cov["service"] == s]["population"].sum() for s in by_service["service"]]
    )


def test_summary_rejects_an_unknown_grouping(tiny_town: Town) -> None:
    cov = coverage_table(tiny_town, load_norms(), build_town_access_network(tiny_town))
    with pytest.raises(ValueError, match="by must be"):
        coverage_summary(cov, by="street")  # type: ignore[arg-type]


@pytest.mark.slow
def test_gusev_coverage_smoke(gusev_town: Town) -> None:
    norms = load_norms()
    net = build_town_access_network(gusev_town)
    cov = coverage_table(gusev_town, norms, net)
    assert len(cov) % len(gusev_town.residential) == 0
    summary = coverage_summary(cov)
    assert (summary["residents"] == gusev_town.residential["population"].sum()).all()
    school = summary.set_index("service").loc["school"]
    assert 0 < school["covered_network_share"] <= 1
    # Walking is never shorter than the straight line.
    reached = np.isfinite(cov["distance_m"])
    assert (cov.loc[reached, "distance_m"] >= cov.loc[reached, "straight_m"] - 1e-6).all()
