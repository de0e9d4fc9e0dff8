"""The walking network from OpenStreetMap ways: split at shared nodes, cut to the study area.

A way is split at every node it shares with another walkable way (or with itself), so that
junctions are vertices shared by the lines that meet there: exactly the OSM topology, no
snapping. A bridge crossing a road without a shared node stays unjoined. Lines are then cut to
the boundary plus a margin (people at the edge of town walk along streets just outside it).
Cutting happens in lon/lat, so every vertex keeps its exact OSM coordinates.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import geopandas as gpd
import shapely
from shapely.prepared import prep

from planner.config import DISPLAY_CRS
from planner.osm.read import OsmLine
from planner.osm.tags import walk_kind

STREET_COLUMNS = ("id", "kind", "name", "provenance", "osm_id", "source")


def build_streets(
    lines: Sequence[OsmLine], *, area: shapely.Geometry, source: str
) -> gpd.GeoDataFrame:
    """Return the walkable streets inside ``area``, split at shared nodes.

    Parameters
    ----------
    lines
        Ways read from the extract; those ``walk_kind`` rejects are ignored.
    area
        The study area (boundary plus margin) in lon/lat.
    source
        The ``source`` text of every street (extract and timestamp).

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``STREET_COLUMNS``, LineStrings in EPSG:4326; ``id`` is ``way/<id>`` or
        ``way/<id>:<part>`` when the way was split or cut into several parts.
    """
    walkable = [(line, kind) for line in lines if (kind := walk_kind(line.tags)) is not None]
    uses: Counter[int] = Counter()
    for line, _ in walkable:
        uses.update(line.node_ids)
    prepared = prep(area)
    rows: list[dict[str, object]] = []
    for line, kind in walkable:
        pieces = []
        for coords in _split(line, uses):
            geometry = shapely.LineString(coords)
            if prepared.contains(geometry):
                pieces.append(geometry)
            elif prepared.intersects(geometry):
                pieces += _line_parts(geometry.intersection(area))
        for k, piece in enumerate(pieces, start=1):
            rows.append(
                {
                    "id": f"way/{line.osm_id}" if len(pieces) == 1 else f"way/{line.osm_id}:{k}",
                    "kind": kind,
                    "name": line.tags.get("name", ""),
                    "provenance": "osm",
                    "osm_id": f"way/{line.osm_id}",
                    "source": source,
                    "geometry": piece,
                }
            )
    if not rows:
        return gpd.GeoDataFrame(
            {c: [] for c in STREET_COLUMNS}, geometry=gpd.GeoSeries([], crs=DISPLAY_CRS)
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=DISPLAY_CRS)


def _split(line: OsmLine, uses: Counter[int]) -> list[list[tuple[float, float]]]:
    """Cut a way's coordinates at interior nodes used more than once."""
    parts: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    last = len(line.node_ids) - 1
    for i, (node, coord) in enumerate(zip(line.node_ids, line.coords, strict=True)):
        if current and current[-1] == coord:
            continue  # a node repeated in place adds no length
        current.append(coord)
        if 0 < i < last and uses[node] > 1 and len(current) >= 2:
            parts.append(current)
            current = [coord]
    if len(current) >= 2:
        parts.append(current)
    return parts


def _line_parts(geometry: shapely.Geometry) -> list[shapely.LineString]:
    """Return the non-empty LineStrings of a clip result (which may be a collection)."""
    parts = shapely.get_parts(geometry)
    return [p for p in parts if isinstance(p, shapely.LineString) and p.length > 0]
