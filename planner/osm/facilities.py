"""Facilities from OpenStreetMap objects: service, point on surface, capacity, names.

Services come from ``planner.osm.tags.FACILITY_RULES``; areas become a point on their surface;
capacity is read from the tags the service's ``CapacityRule`` names, else estimated (and
``capacity_basis`` says ``estimate``, with the reason in ``note``). When one facility is mapped
twice — a school's grounds tagged ``amenity=school`` and its building tagged the same, or a node
inside the area — the two become one: the outer object's tags and id, the inner object's point
(the building is where people enter), and the missing name or capacity filled from the inner one.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import shapely

from planner.config import DISPLAY_CRS
from planner.osm.read import OsmFeature
from planner.osm.tags import CAPACITY_RULES, address, facility_service, names, parse_number

FACILITY_COLUMNS = (
    "id",
    "service",
    "name",
    "name_ru",
    "address",
    "capacity",
    "capacity_basis",
    "status",
    "provenance",
    "source",
    "note",
    "osm_tag",
)


@dataclass(frozen=True, slots=True)
class _Candidate:
    feature: OsmFeature
    service: str
    area_m2: float


def build_facilities(
    features: Sequence[OsmFeature],
    *,
    metric_crs: str,
    boundary: shapely.Geometry,
    services: Collection[str],
    source: str,
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Return the facilities inside ``boundary`` and the refs merged into another facility.

    Parameters
    ----------
    features
        Areas and nodes read from the extract (lon/lat).
    metric_crs
        CRS used to measure areas in m².
    boundary
        The town boundary in lon/lat; facilities outside it are left out.
    services
        Service keys of the norm set; other services are left out.
    source
        The ``source`` text (extract, timestamp, licence); the OSM id is prefixed to it.

    Returns
    -------
    facilities
        Columns ``FACILITY_COLUMNS``, Points in EPSG:4326, sorted by id.
    merged
        ``"inner -> outer"`` for every duplicate mapping merged away.
    """
    candidates = []
    for feature in features:
        service = facility_service(feature.tags)
        if service is None or service not in services:
            continue
        candidates.append(_Candidate(feature, service, 0.0))
    if candidates:
        areas = gpd.GeoSeries([c.feature.geometry for c in candidates], crs=DISPLAY_CRS)
        area_m2 = areas.to_crs(metric_crs).area.to_numpy()
        candidates = [
            _Candidate(c.feature, c.service, float(a) if c.feature.geometry.area > 0 else 0.0)
            for c, a in zip(candidates, area_m2, strict=True)
        ]
    kept, merged = _merge_duplicates(candidates)
    rows = []
    for outer, inner in kept:
        point = (inner or outer).feature.geometry
        if point.geom_type != "Point":
            point = point.representative_point()
        if not boundary.intersects(point):
            continue
        rows.append(_row(outer, inner, point, source))
    if not rows:
        empty: dict[str, list[object]] = {c: [] for c in FACILITY_COLUMNS}
        return gpd.GeoDataFrame(empty, geometry=gpd.GeoSeries([], crs=DISPLAY_CRS)), merged
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs=DISPLAY_CRS)
    return frame.sort_values("id", ignore_index=True), merged


def _merge_duplicates(
    candidates: list[_Candidate],
) -> tuple[list[tuple[_Candidate, _Candidate | None]], list[str]]:
    """Pair each same-service object lying inside a larger area with that area."""
    by_size = sorted(candidates, key=lambda c: -c.area_m2)
    inner_of: dict[int, _Candidate] = {}
    absorbed: set[int] = set()
    merged: list[str] = []
    for i, outer in enumerate(by_size):
        if i in absorbed or outer.area_m2 <= 0:
            continue
        shape = outer.feature.geometry
        for j in range(i + 1, len(by_size)):
            inner = by_size[j]
            if j in absorbed or inner.service != outer.service:
                continue
            if shape.contains(inner.feature.geometry.representative_point()):
                absorbed.add(j)
                merged.append(f"{inner.feature.ref} -> {outer.feature.ref}")
                # The largest contained object (the main building) gives the position.
                inner_of.setdefault(i, inner)
    kept = [(c, inner_of.get(i)) for i, c in enumerate(by_size) if i not in absorbed]
    return kept, merged


def _row(
    outer: _Candidate, inner: _Candidate | None, point: shapely.Geometry, source: str
) -> dict[str, object]:
    tags = dict(inner.feature.tags) if inner else {}
    tags.update({k: v for k, v in outer.feature.tags.items() if v})
    name, name_ru = names(tags)
    capacity, basis, reason = _capacity(outer.service, tags, outer.area_m2)
    notes = [reason] if reason else []
    if inner is not None:
        notes.append(f"also mapped as {inner.feature.ref}; placed on it")
    key, value = _matched_tag(outer.feature.tags)
    return {
        "id": outer.feature.ref,
        "service": outer.service,
        "name": name,
        "name_ru": name_ru,
        "address": address(tags),
        "capacity": capacity,
        "capacity_basis": basis,
        "status": "existing",
        "provenance": "osm",
        "source": f"OpenStreetMap {outer.feature.ref}; {source}",
        "note": "; ".join(notes),
        "osm_tag": f"{key}={value}",
        "geometry": point,
    }


def _capacity(service: str, tags: dict[str, str], area_m2: float) -> tuple[float | None, str, str]:
    """Return capacity, capacity_basis and the reason, by the service's ``CapacityRule``."""
    rule = CAPACITY_RULES[service]
    for key in rule.tags:
        value = parse_number(tags.get(key))
        if value is not None:
            return value, "source", f"capacity from the OSM tag {key}={tags[key]}"
    if rule.estimate == "object":
        return 1.0, "source", "the norm counts objects: 1"
    if rule.estimate == "unknown" or rule.default is None:
        return None, "unknown", f"capacity unknown ({rule.reason})"
    if rule.estimate == "area" and area_m2 > 0:
        value = round(area_m2 * rule.area_factor, 1)
        return value, "estimate", f"capacity estimated: {rule.reason}"
    return rule.default, "estimate", f"capacity estimated: {rule.reason}"


def _matched_tag(tags: dict[str, str]) -> tuple[str, str]:
    from planner.osm.tags import FACILITY_RULES

    for key, value, _ in FACILITY_RULES:
        if tags.get(key) == value:
            return key, value
    return "", ""


def facilities_by_service(frame: pd.DataFrame) -> dict[str, int]:
    """Return the number of facilities per service, most first."""
    if frame.empty:
        return {}
    return {str(k): int(v) for k, v in frame["service"].value_counts().items()}
