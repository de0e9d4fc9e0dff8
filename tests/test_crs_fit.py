"""Does a declared CRS fit the town? Scale error, area of use, units, swapped coordinates."""

from __future__ import annotations

import math

import geopandas as gpd
import pytest
from pyproj import CRS
from shapely.geometry import Point, box

from planner.crs_fit import (
    LonLatBox,
    crs_fit_issues,
    declared_crs_issues,
    far_feature_issues,
    far_layer_issue,
    lonlat_box,
    scale_error,
    suggest_utm,
    swapped_layer_issue,
)

GUSEV = LonLatBox(22.15, 54.56, 22.25, 54.62)


def test_web_mercator_stretches_by_one_over_cos_latitude() -> None:
    # Mercator's scale factor is sec(latitude); the largest is at the town's northern edge.
    expected = 1 / math.cos(math.radians(54.62)) - 1
    assert scale_error(CRS.from_user_input("EPSG:3857"), GUSEV) == pytest.approx(expected, 1e-3)


def test_utm_distorts_gusev_by_less_than_a_thousandth() -> None:
    # UTM's central scale is 0.9996; Gusev lies 1.2° west of zone 34's meridian (21° E).
    assert scale_error(CRS.from_user_input("EPSG:32634"), GUSEV) < 1e-3


@pytest.mark.parametrize(
    ("crs", "severity", "phrase"),
    [
        ("EPSG:32634", None, None),
        ("EPSG:3857", "error", "distorts distances by up to 73%"),
        ("EPSG:32604", "error", "is made for 162.00° W to 156.00° W"),
        ("EPSG:32635", "warning", "lies 1.8° outside it"),  # 24° E - 22.2° E
        ("EPSG:32636", "error", "is made for 30.00° E to 36.00° E"),  # 7.8° away
    ],
)
def test_crs_fit(crs: str, severity: str | None, phrase: str | None) -> None:
    issues = crs_fit_issues(crs, GUSEV)
    if severity is None:
        assert issues == []
        return
    (issue,) = issues
    assert issue.severity == severity
    assert issue.file == "town.toml"
    assert phrase is not None
    assert phrase in issue.message
    assert "EPSG:32634 (WGS 84 / UTM zone 34N)" in issue.fix


def test_declared_crs_must_be_projected_and_in_metres() -> None:
    assert declared_crs_issues("EPSG:32634") == []
    (geographic,) = declared_crs_issues("EPSG:4326")
    assert "geographic (degrees)" in geographic.message
    (feet,) = declared_crs_issues("EPSG:2263")
    assert "measures in US survey foot, not metres" in feet.message
    (unknown,) = declared_crs_issues("EPSG:999999")
    assert "not a known CRS" in unknown.message


@pytest.mark.parametrize(
    ("lon", "lat", "expected"),
    [
        (22.2, 54.6, "EPSG:32634"),  # Gusev
        (-73.9, 40.7, "EPSG:32618"),  # New York: zone 18N (78-72° W)
        (151.2, -33.9, "EPSG:32756"),  # Sydney: zone 56S (150-156° E)
    ],
)
def test_suggested_utm_zone(lon: float, lat: float, expected: str) -> None:
    assert suggest_utm(LonLatBox(lon, lat, lon, lat)).startswith(expected)


def test_a_swapped_layer_is_named_and_the_crs_not_blamed() -> None:
    swapped = GUSEV.swapped()
    issue = swapped_layer_issue("EPSG:32634", swapped, "streets.geojson")
    assert issue is not None
    assert "longitude and latitude look swapped" in issue.message
    assert "swapped it lies at 22.20° E, 54.59° N" in issue.message
    assert crs_fit_issues("EPSG:32634", swapped) == []  # the data are wrong, not the CRS
    assert swapped_layer_issue("EPSG:32634", GUSEV, "streets.geojson") is None


def test_layers_far_from_the_boundary() -> None:
    # 0.5° east: about 32 km at this latitude
    moved = LonLatBox(GUSEV.west + 0.5, GUSEV.south, GUSEV.east + 0.5, GUSEV.north)
    issue = far_layer_issue(moved, GUSEV, "streets.geojson")
    assert issue is not None
    assert "far from the town boundary" in issue.message
    assert far_layer_issue(GUSEV, GUSEV, "streets.geojson") is None
    # streets kept 300 m (about 0.005°) beyond the boundary are near
    margin = LonLatBox(GUSEV.west - 0.005, GUSEV.south, GUSEV.east + 0.005, GUSEV.north)
    assert far_layer_issue(margin, GUSEV, "streets.geojson") is None


def test_features_reaching_far_beyond_the_town() -> None:
    frame = gpd.GeoDataFrame(
        {"id": ["ok", "globe", "elsewhere"]},
        geometry=[Point(22.2, 54.6), box(-180, -85, 180, 85), Point(37.6, 55.75)],
        crs="EPSG:4326",
    )
    issues = far_feature_issues(frame, GUSEV, "residential.geojson")
    assert [i.feature_id for i in issues] == ["globe", "elsewhere"]
    assert "spans 360.00° of longitude × 170.00° of latitude" in issues[0].message
    assert "lies at 37.60° E, 55.75° N, far from the town" in issues[1].message


def test_lonlat_box_skips_empty_geometries_and_reprojects() -> None:
    metric = gpd.GeoDataFrame(geometry=[Point(576_000, 6_050_000), Point()], crs="EPSG:32634")
    box_ = lonlat_box(metric)
    assert box_ is not None
    assert box_.west == pytest.approx(box_.east)
    assert 22.1 < box_.west < 22.3
    assert 54.5 < box_.south < 54.7
    assert lonlat_box(gpd.GeoDataFrame(geometry=[Point()], crs="EPSG:4326")) is None
