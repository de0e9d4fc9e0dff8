"""Find what lies under a point of the map: the residential unit, the district.

The dashboard turns a map click (lon/lat) into the unit it fell on, then explains that unit's
coverage. Kept here, pure and tested, because the click round trip itself only happens in a
browser.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Transformer

from planner.config import DISPLAY_CRS
from planner.crs import to_display_crs
from planner.model import Town

if TYPE_CHECKING:
    from pyproj import CRS

    from planner.analysis import TownAnalysis

Bounds = list[list[float]]
"""``[[south, west], [north, east]]`` in degrees, as Leaflet's ``fitBounds`` takes them."""


def _to_town_crs(frame: gpd.GeoDataFrame, lon: float, lat: float) -> shapely.Point:
    transformer = Transformer.from_crs(DISPLAY_CRS, frame.crs, always_xy=True)
    x, y = transformer.transform(lon, lat)
    return shapely.Point(x, y)


def unit_at(town: Town, lon: float, lat: float, *, tolerance_m: float = 0.0) -> str | None:
    """Return the id of the residential unit at a lon/lat point, or ``None``.

    Parameters
    ----------
    town
        The town (residential units in its metric CRS).
    lon, lat
        The point in EPSG:4326 degrees (as a map click reports it).
    tolerance_m
        Also accept a unit this close to the point (for clicks on a block's outline); the
        nearest such unit wins.

    Returns
    -------
    str or None
        The unit id; where units overlap, the smallest unit containing the point (the most
        specific one, e.g. a building inside a block).
    """
    frame = town.residential
    if frame.empty or not (np.isfinite(lon) and np.isfinite(lat)):
        return None
    point = _to_town_crs(frame, lon, lat)
    geoms = frame.geometry.to_numpy()
    tree = shapely.STRtree(geoms)
    hits = tree.query(point, predicate="intersects")
    if len(hits):
        areas = shapely.area(geoms[hits])
        return str(frame["id"].iloc[int(hits[int(np.argmin(areas))])])
    if tolerance_m > 0:
        nearest = tree.query_nearest(point, max_distance=tolerance_m)
        if len(nearest):
            return str(frame["id"].iloc[int(nearest[0])])
    return None


def district_of_points(points: gpd.GeoSeries, districts: gpd.GeoDataFrame) -> list[str | None]:
    """Return the id of the district holding each point (``None`` outside every district).

    Parameters
    ----------
    points
        Points (or any geometry: its representative point is used) in the districts' CRS.
    districts
        The districts layer (``id``, polygons).
    """
    if districts.empty or points.empty:
        return [None] * len(points)
    geoms = districts.geometry.to_numpy()
    reps = shapely.point_on_surface(points.to_numpy())
    point_idx, district_idx = shapely.STRtree(geoms).query(reps, predicate="intersects")
    result: list[str | None] = [None] * len(points)
    ids = districts["id"].astype(str).to_numpy()
    # Where districts overlap, the first one listed wins (iterate in reverse so it is set last).
    for p, d in zip(point_idx[::-1], district_idx[::-1], strict=True):
        result[int(p)] = str(ids[int(d)])
    return result


def geometry_bounds(geometry: shapely.Geometry, crs: CRS | str) -> Bounds:
    """Return the lon/lat bounds of a geometry given in ``crs``."""
    display = to_display_crs(gpd.GeoDataFrame(geometry=[geometry], crs=crs))
    west, south, east, north = display.total_bounds
    return [[float(south), float(west)], [float(north), float(east)]]


def zone_bounds(analysis: TownAnalysis, zone_id: str) -> Bounds | None:
    """Return the lon/lat bounds of a gap zone, or ``None`` when no zone has that id."""
    zones = analysis.all_gap_zones()
    if zones.empty:
        return None
    rows = zones[zones["zone_id"] == zone_id]
    if rows.empty:
        return None
    return geometry_bounds(rows.geometry.iloc[0], zones.crs)


def district_bounds(town: Town, district_id: str) -> Bounds | None:
    """Return the lon/lat bounds of a district, or ``None`` when it is unknown."""
    rows = town.districts[town.districts["id"].astype(str) == district_id]
    if rows.empty:
        return None
    return geometry_bounds(rows.geometry.iloc[0], town.districts.crs)
