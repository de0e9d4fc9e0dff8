"""Point lookups behind map clicks: the unit under a lon/lat point, districts, bounds."""

from __future__ import annotations

import geopandas as gpd
import pytest
from pyproj import Transformer
from shapely.geometry import Point

from planner.locate import district_bounds, district_of_points, geometry_bounds, unit_at
from tests.factories import X0, Y0, make_tiny_town

TO_LONLAT = Transformer.from_crs("EPSG:32634", "EPSG:4326", always_xy=True)


def _lonlat(x: float, y: float) -> tuple[float, float]:
    return TO_LONLAT.transform(X0 + x, Y0 + y)


@pytest.fixture(scope="module")
def town():
    return make_tiny_town()


@pytest.mark.parametrize(
    ("x", "y", "expected"),
    [
        (50, 50, "R1"),  # centre of R1 (10-90 x 10-90)
        (150, 50, "R2"),
        (50, 150, "R3"),
        (150, 150, "R4"),
        (11, 89, "R1"),  # just inside a corner
        (100, 50, None),  # on street Line 100, between R1 and R2
        (-30, 100, None),  # in the stream, west of every block
    ],
)
def test_unit_at_finds_the_block_under_the_point(town, x, y, expected):
    assert unit_at(town, *_lonlat(x, y)) == expected


def test_unit_at_tolerance_catches_clicks_on_the_outline(town):
    assert unit_at(town, *_lonlat(50, 93)) is None  # 3 m north of R1's edge at y = 90
    assert unit_at(town, *_lonlat(50, 93), tolerance_m=5.0) == "R1"
    assert unit_at(town, float("nan"), 54.0) is None


def test_district_of_points(town):
    points = gpd.GeoSeries(
        [Point(X0 + 50, Y0 + 150), Point(X0 + 150, Y0 + 150), Point(X0 + 5000, Y0)],
        crs=town.residential.crs,
    )
    assert district_of_points(points, town.districts) == ["west", "east", None]


def test_bounds_are_south_west_north_east(town):
    corners = [_lonlat(x, y) for x in (0, 100) for y in (0, 100)]
    bounds = geometry_bounds(Point(X0 + 50, Y0 + 50).buffer(50, cap_style="square"), "EPSG:32634")
    lons, lats = [c[0] for c in corners], [c[1] for c in corners]
    assert bounds[0] == pytest.approx([min(lats), min(lons)], abs=1e-9)
    assert bounds[1] == pytest.approx([max(lats), max(lons)], abs=1e-9)
    west = district_bounds(town, "west")
    assert west is not None
    assert west[0][1] < west[1][1]
    assert district_bounds(town, "nowhere") is None
