"""Writing a town folder: GeoJSON that diffs well, ``town.toml``, atomically.

Used by the OpenStreetMap importer and by the bundled Gusev model's generator
(scripts/gusev_model/output.py), so both write one format: RFC 7946 FeatureCollection
in EPSG:4326, coordinates rounded to 7 decimals (about 1 cm), features sorted by ``id``, one feature
per line, polygon exteriors counter-clockwise. Every file is written to a temporary name and moved
into place (``planner.fileio``), so an interrupted import never leaves half a file.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Point, Polygon
from shapely.geometry.polygon import orient

from planner.config import DISPLAY_CRS
from planner.fileio import atomic_path

DECIMALS = 7
"""Coordinate precision of the GeoJSON files (about 1 cm)."""


def write_layer(path: Path, name: str, frame: gpd.GeoDataFrame) -> int:
    """Write a layer as GeoJSON (see the module docstring); return the features written.

    Features whose geometry collapses when rounded are skipped.
    """
    frame = frame.to_crs(DISPLAY_CRS)
    columns = [c for c in frame.columns if c != frame.geometry.name]
    records = frame[columns].to_dict("records")
    text, count = geojson_text(name, zip(records, frame.geometry, strict=True))
    write_text(path, text)
    return count


def geojson_text(
    name: str, features: Iterable[tuple[Mapping[str, object], shapely.Geometry | None]]
) -> tuple[str, int]:
    """Return a FeatureCollection in the town-folder format and the number of features in it.

    Parameters
    ----------
    name
        The collection's name (the layer name).
    features
        (properties, geometry) pairs in EPSG:4326; properties must hold an ``id``.
    """
    rows = []
    for record, geometry in features:
        geo = geometry_json(geometry)
        if geo is None:
            continue
        properties = {str(k): _plain(v) for k, v in record.items()}
        rows.append((str(properties["id"]), properties, geo))
    lines = [
        json.dumps(
            {"type": "Feature", "properties": props, "geometry": geo},
            ensure_ascii=False,
            separators=(", ", ": "),
        )
        for _, props, geo in sorted(rows, key=lambda f: f[0])
    ]
    head = f'{{"type": "FeatureCollection", "name": "{name}", "features": [\n'
    return head + ",\n".join(lines) + "\n]}\n", len(lines)


def write_text(path: Path, text: str) -> None:
    """Write a text file atomically (UTF-8)."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def town_toml(values: Mapping[str, str | int], *, header: str) -> str:
    """Return ``town.toml`` text with the keys in order (strings as TOML basic strings)."""
    lines = [f"# {line}" if line else "#" for line in header.splitlines()]
    lines.append("")
    lines += [f"{key} = {json.dumps(value, ensure_ascii=False)}" for key, value in values.items()]
    return "\n".join(lines) + "\n"


def geometry_json(geometry: shapely.Geometry | None) -> dict[str, Any] | None:
    """Return the GeoJSON geometry member with rounded coordinates, or ``None`` if it collapses."""
    if geometry is None or geometry.is_empty:
        return None
    if isinstance(geometry, Point):
        return {"type": "Point", "coordinates": _round([geometry.coords[0]])[0]}
    if isinstance(geometry, LineString):
        coords = _round(geometry.coords)
        return {"type": "LineString", "coordinates": coords} if len(coords) >= 2 else None
    if isinstance(geometry, MultiLineString):
        lines = [c for c in (_round(g.coords) for g in geometry.geoms) if len(c) >= 2]
        return {"type": "MultiLineString", "coordinates": lines} if lines else None
    if isinstance(geometry, Polygon):
        rings = _rings(geometry)
        return {"type": "Polygon", "coordinates": rings} if rings else None
    if isinstance(geometry, MultiPolygon):
        parts = [r for r in (_rings(p) for p in geometry.geoms) if r]
        if len(parts) == 1:
            return {"type": "Polygon", "coordinates": parts[0]}
        return {"type": "MultiPolygon", "coordinates": parts} if parts else None
    msg = f"cannot write a {geometry.geom_type} to a town layer."
    raise TypeError(msg)


def _round(coords: Iterable[Sequence[float]]) -> list[list[float]]:
    out: list[list[float]] = []
    for coord in coords:
        point = [round(float(coord[0]), DECIMALS), round(float(coord[1]), DECIMALS)]
        if not out or out[-1] != point:
            out.append(point)
    return out


def _rings(polygon: Polygon) -> list[list[list[float]]] | None:
    polygon = orient(polygon, sign=1.0)
    rings = [_round(polygon.exterior.coords)]
    rings += [_round(ring.coords) for ring in polygon.interiors]
    rings = [r for r in rings if len(r) >= 4]
    return rings if rings and len(rings[0]) >= 4 else None


def _plain(value: object) -> object:
    """Return a JSON-ready value: numpy scalars unwrapped, NaN as null."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value
