"""CRS guards (``planner.crs``): measuring refuses degrees and missing CRSs, with the fix."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import Point

from planner.crs import require_projected, to_display_crs
from planner.errors import CrsError


def _frame(crs: str | None) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(geometry=[Point(576_000, 6_050_000)], crs=crs)


def test_a_metric_crs_passes() -> None:
    require_projected(_frame("EPSG:32634"), "blocks")


def test_no_crs_is_refused_naming_the_data() -> None:
    with pytest.raises(CrsError, match=r"blocks has no CRS\. Set one with \.set_crs"):
        require_projected(_frame(None), "blocks")


def test_degrees_are_refused_with_the_reprojection_to_use() -> None:
    with pytest.raises(CrsError, match=r"EPSG:4326, a geographic CRS.*\.to_crs\(town\.meta\.crs\)"):
        require_projected(_frame("EPSG:4326"), "blocks")


def test_display_crs_is_lon_lat_and_leaves_the_input_alone() -> None:
    metric = _frame("EPSG:32634")
    shown = to_display_crs(metric)
    assert shown.crs.to_epsg() == 4326
    # 576 km east in UTM 34N is about 22.2 deg E; 6,050 km north about 54.6 deg N (Gusev).
    assert shown.geometry.iloc[0].x == pytest.approx(22.18, abs=0.01)
    assert shown.geometry.iloc[0].y == pytest.approx(54.59, abs=0.01)
    assert metric.crs.to_epsg() == 32634
