"""Districts of an imported town from OSM ``place=suburb/quarter/neighbourhood`` polygons.

One level is used (the coarsest with polygons in the town), so districts never overlap; they are
cut to the boundary, and the part of town no polygon covers becomes one more district. A town
without such polygons gets a single district: the whole town.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import shapely

from planner.config import DISPLAY_CRS
from planner.osm.read import OsmFeature
from planner.osm.tags import DISTRICT_PLACES, district_place, names

DISTRICT_COLUMNS = ("id", "name", "name_ru", "provenance", "source")
REST_ID = "district-rest"
WHOLE_ID = "district-all"
MIN_REST_SHARE = 0.01
"""A remainder smaller than this share of the town is added to no district of its own: it is
merged into the district it touches most (slivers along polygon edges)."""


def build_districts(
    features: Sequence[OsmFeature],
    *,
    boundary: shapely.Geometry,
    town_name: str,
    town_name_ru: str,
    source: str,
    boundary_provenance: str = "osm",
) -> gpd.GeoDataFrame:
    """Return districts that tile ``boundary`` (lon/lat), with columns ``DISTRICT_COLUMNS``."""
    by_level: dict[str, list[OsmFeature]] = {level: [] for level in DISTRICT_PLACES}
    for feature in features:
        level = district_place(feature.tags)
        if level is not None and feature.geometry.area > 0:
            by_level[level].append(feature)
    rows: list[dict[str, Any]] = []
    covered = shapely.Polygon()
    for level in DISTRICT_PLACES:
        inside = [f for f in by_level[level] if f.geometry.intersection(boundary).area > 0]
        if not inside:
            continue
        for feature in sorted(inside, key=lambda f: f.ref):
            shape = _polygonal(feature.geometry.intersection(boundary).difference(covered))
            if shape is None:
                continue
            covered = covered.union(shape)
            name, name_ru = names(feature.tags)
            rows.append(
                {
                    "id": feature.ref,
                    "name": name or feature.ref,
                    "name_ru": name_ru,
                    "provenance": "osm",
                    "source": f"OpenStreetMap {feature.ref} (place={level}); {source}",
                    "geometry": shape,
                }
            )
        break
    rest = _polygonal(boundary.difference(covered))
    if not rows:
        rows.append(
            _district(WHOLE_ID, town_name, town_name_ru, boundary, source, boundary_provenance)
        )
    elif rest is not None and rest.area >= MIN_REST_SHARE * boundary.area:
        rows.append(
            _district(
                REST_ID,
                f"Rest of {town_name}",
                "Остальная часть города",
                rest,
                source,
                boundary_provenance,
            )
        )
    elif rest is not None:
        # Slivers: give them to the district sharing the longest edge with them.
        best = max(rows, key=lambda r: r["geometry"].intersection(rest.buffer(1e-9)).area)
        best["geometry"] = _polygonal(best["geometry"].union(rest)) or best["geometry"]
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=DISPLAY_CRS)


def assign_district(points: gpd.GeoSeries, districts: gpd.GeoDataFrame) -> list[str]:
    """Return, for each point, the id of the district containing it (nearest one otherwise)."""
    ids = [str(i) for i in districts["id"]]
    if len(ids) == 1:
        return ids * len(points)
    out = []
    shapes = list(districts.geometry)
    for point in points:
        containing = [i for i, shape in zip(ids, shapes, strict=True) if shape.covers(point)]
        if containing:
            out.append(containing[0])
        else:
            out.append(min(zip(ids, shapes, strict=True), key=lambda p: p[1].distance(point))[0])
    return out


def _district(
    district_id: str,
    name: str,
    name_ru: str,
    shape: shapely.Geometry,
    source: str,
    provenance: str,
) -> dict[str, Any]:
    return {
        "id": district_id,
        "name": name,
        "name_ru": name_ru,
        "provenance": provenance,
        "source": f"the town boundary; {source}",
        "geometry": shape,
    }


def _polygonal(geometry: shapely.Geometry) -> shapely.Geometry | None:
    """Return the polygonal part of a geometry (valid), or ``None`` if there is none."""
    geometry = shapely.make_valid(geometry)
    polygons = [p for p in shapely.get_parts(geometry) if p.geom_type == "Polygon" and p.area > 0]
    if not polygons:
        return None
    return polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(polygons)
