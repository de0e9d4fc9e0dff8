"""Districts and residential blocks (with population and age cohorts) of the Gusev model.

Districts tile the real boundary along the modelled river and railway. Residential blocks are the
land between modelled streets, minus water, railway, park, industry and open land; their
population follows a density per housing type and is scaled to the official total.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry import LineString, MultiPolygon, Polygon

from gusev_model.layout import (
    APARTMENT_ZONES_UV,
    MIXED_CENTRE_UV,
    MIXED_RADIUS_M,
    SEED,
    uv_line,
    xy_to_uv,
)
from gusev_model.streets import Street
from gusev_model.zones import Zones

OFFICIAL_POPULATION = 28_600
"""Residents on 1 Jan 2025 (Kaliningradstat yearbook; docs/gusev.md §4)."""

DENSITY_PER_HA: dict[str, float] = {"apartment": 200.0, "mixed": 80.0, "low_rise": 32.0}
"""Residents per hectare of block (net of streets) before scaling to the official total."""

COHORT_SHARES: dict[str, float] = {
    "pop_0_6": 0.070,  # docs/norms.md §3: national birth cohorts, grade C
    "pop_7_17": 0.135,  # docs/norms.md §3
    "pop_18_64": 0.630,  # the remainder
    "pop_65_plus": 0.165,  # Rosstat, start of 2024: about 16-17 % aged 65+ (estimate)
}
"""Age shares applied to every block (no Gusev age data are available)."""

STREET_SETBACK_M: dict[str, float] = {"footway": 5.0, "path": 5.0}
"""Half-width of the strip kept free of housing along a street; others use ``ROAD_SETBACK_M``."""

NON_RESIDENTIAL_SHARE: dict[str, float] = {"apartment": 0.08, "mixed": 0.40, "low_rise": 0.45}
"""Share of blocks of each zone left without housing (public, commercial, garages, allotments)."""

ROAD_SETBACK_M = 12.0
MIN_BLOCK_M2 = 2_500.0
RIVER_STRIP_M = 40.0
RAIL_STRIP_M = 35.0

_DISTRICT_SOURCE = (
    "name from public sources (docs/gusev.md §3, §5); boundary modelled along the modelled "
    "river and railway"
)
_MODELLED_NAME = "no source names microdistricts (docs/gusev.md §5): name and shape modelled"
DISTRICT_INFO: dict[str, tuple[str, str, str]] = {
    "district-old-town": ("Old Town", "Старый город", _DISTRICT_SOURCE),
    "district-new-town": ("New Town", "Новый город", _DISTRICT_SOURCE),
    "district-north": (
        "Northern quarter",
        "Северный квартал",
        "a northern quarter of five-storey blocks is named in gusev-online "
        "news 4582 (docs/gusev.md §5); position north of the railway and "
        "shape modelled",
    ),
    "district-technopolis": (
        "Technopolis GS",
        "Технополис GS",
        "Technopolis GS exists (docs/gusev.md §7); its place at the "
        "north-east edge is a guess (see README)",
    ),
    "district-west": ("Western outskirts", "Западная окраина", _MODELLED_NAME),
    "district-east": ("Eastern outskirts", "Восточная окраина", _MODELLED_NAME),
}
"""District id -> (English name, Russian name, source)."""

WEST_CUT_U_M = -1450.0
EAST_CUT_U_M = 1150.0


@dataclass(frozen=True, slots=True)
class Block:
    """One residential block (EPSG:32634) with its population and cohorts."""

    geometry: Polygon
    housing: str
    district: str
    population: int
    cohorts: dict[str, int]


def build_districts(zones: Zones) -> dict[str, shapely.Geometry]:
    """Tile the boundary into districts (no gaps, no overlaps), keyed by district id.

    The boundary, river, railway and two cut lines are noded together and polygonized; each face
    goes to one district by where it lies. Faces share their edges exactly, so the districts do.
    """
    far = 20_000.0
    # The cut along the Krasnaya leaves it 30 m before its mouth (whose last vertex lies on the
    # Pissa axis) and runs due north across the Pissa, so no zero-width spike is formed.
    k = np.asarray(zones.krasnaya_axis.coords)[:-1]
    krasnaya_cut = LineString([*map(tuple, k), (k[-1, 0], k[-1, 1] + 300.0)])
    cuts = [
        zones.boundary.exterior,
        zones.pissa_axis,
        zones.rail,
        krasnaya_cut,
        uv_line([(WEST_CUT_U_M, -4000.0), (WEST_CUT_U_M, 4000.0)]),
        uv_line([(EAST_CUT_U_M, -600.0), (EAST_CUT_U_M, 4000.0)]),
    ]
    faces = shapely.get_parts(shapely.polygonize([shapely.union_all(cuts)]))
    north_of_rail = _side_of(zones.rail, north=True, far_m=far)
    north_of_pissa = _side_of(zones.pissa_axis, north=True, far_m=far)
    east_of_krasnaya = Polygon(
        [
            (k[0, 0], k[0, 1] - far),
            *map(tuple, k),
            (k[-1, 0], k[-1, 1] + 300.0),
            (k[-1, 0] + far, k[-1, 1] + 300.0),
            (k[-1, 0] + far, k[0, 1] - far),
        ]
    )
    members: dict[str, list[Polygon]] = {d: [] for d in DISTRICT_INFO}
    for face in faces:
        point = face.representative_point()
        if not zones.boundary.contains(point):
            continue
        u = float(xy_to_uv(np.asarray(point.x), np.asarray(point.y))[0])
        if north_of_rail.contains(point):
            district = (
                "district-technopolis"
                if u > EAST_CUT_U_M
                else "district-west"
                if u < WEST_CUT_U_M
                else "district-north"
            )
        elif u < WEST_CUT_U_M:
            district = "district-west"
        elif north_of_pissa.contains(point):
            district = "district-east" if u > EAST_CUT_U_M else "district-old-town"
        else:
            district = "district-east" if east_of_krasnaya.contains(point) else "district-new-town"
        members[district].append(face)
    return {d: _polygonal(shapely.union_all(parts)) for d, parts in members.items()}


def build_blocks(
    zones: Zones, streets: Sequence[Street], districts: dict[str, shapely.Geometry]
) -> list[Block]:
    """Cut residential blocks, give each a housing type, district, population and cohorts."""
    setbacks = [
        s.geometry.buffer(STREET_SETBACK_M.get(s.kind, ROAD_SETBACK_M), quad_segs=2)
        for s in streets
    ]
    excluded = shapely.union_all(
        [
            *setbacks,
            zones.pissa.buffer(RIVER_STRIP_M),
            zones.krasnaya.buffer(RIVER_STRIP_M * 0.75),
            zones.rail.buffer(RAIL_STRIP_M),
            zones.park,
            zones.industry,
            zones.open_land,
        ]
    )
    land = shapely.difference(zones.boundary, excluded)
    parts = [
        shapely.simplify(p, 0.5)
        for p in getattr(land, "geoms", [land])
        if p.area >= MIN_BLOCK_M2 and p.area / p.length > 6.0
    ]
    points = [p.representative_point() for p in parts]
    order = sorted(range(len(parts)), key=lambda i: (-round(points[i].y), round(points[i].x)))
    # Not every block between streets is housing: schools, shops, garages, allotments, depots.
    draws = np.random.default_rng(SEED + 1).uniform(0, 1, len(order))
    kept = []
    for i, draw in zip(order, draws, strict=True):
        housing_type = _housing_at(points[i].x, points[i].y)
        district_id = _district_of(points[i], districts)
        if district_id != "district-technopolis" and draw >= NON_RESIDENTIAL_SHARE[housing_type]:
            kept.append((parts[i], housing_type, district_id))
    parts = [k[0] for k in kept]
    housing = [k[1] for k in kept]
    district = [k[2] for k in kept]
    raw = np.array(
        [DENSITY_PER_HA[h] * p.area / 10_000 for h, p in zip(housing, parts, strict=True)]
    )
    population = largest_remainder(raw, OFFICIAL_POPULATION)
    shares = np.array(list(COHORT_SHARES.values()))
    blocks = []
    for geometry, h, d, pop in zip(parts, housing, district, population, strict=True):
        counts = largest_remainder(shares * pop, int(pop))
        blocks.append(
            Block(geometry, h, d, int(pop), dict(zip(COHORT_SHARES, map(int, counts), strict=True)))
        )
    return blocks


def largest_remainder(weights: npt.ArrayLike, total: int) -> npt.NDArray[np.int64]:
    """Round ``weights`` scaled to ``total`` to integers that sum exactly to ``total``.

    The floors are handed out first; the units still missing go to the largest fractional parts
    (ties to the lower index, so the result is deterministic).

    Examples
    --------
    >>> largest_remainder([1.0, 1.0, 1.0], 10).tolist()
    [4, 3, 3]
    """
    w = np.asarray(weights, dtype=np.float64)
    if total == 0 or w.sum() <= 0:
        return np.zeros(w.shape, dtype=np.int64)
    exact = w / w.sum() * total
    floor = np.floor(exact).astype(np.int64)
    missing = total - int(floor.sum())
    order = np.argsort(-(exact - floor), kind="stable")
    floor[order[:missing]] += 1
    return np.asarray(floor, dtype=np.int64)


def _polygonal(geometry: shapely.Geometry) -> shapely.Geometry:
    """Drop the zero-area lines and points that overlay operations leave behind."""
    polygons = [
        g
        for g in getattr(geometry, "geoms", [geometry])
        if isinstance(g, Polygon | MultiPolygon) and g.area > 0
    ]
    return shapely.union_all(polygons)


def _housing_at(x: float, y: float) -> str:
    """Housing type at a point: apartment zones, then mixed near the centre, else low-rise."""
    u, v = (float(c) for c in xy_to_uv(np.asarray(x), np.asarray(y)))
    if any(u0 <= u <= u1 and v0 <= v <= v1 for u0, v0, u1, v1 in APARTMENT_ZONES_UV):
        return "apartment"
    if np.hypot(u - MIXED_CENTRE_UV[0], v - MIXED_CENTRE_UV[1]) <= MIXED_RADIUS_M:
        return "mixed"
    return "low_rise"


def _district_of(point: shapely.Point, districts: dict[str, shapely.Geometry]) -> str:
    """Return the district containing a point (the nearest one for a point on a shared edge)."""
    for district_id, geometry in districts.items():
        if geometry.contains(point):
            return district_id
    return min(districts, key=lambda d: districts[d].distance(point))


def _side_of(line: LineString, *, north: bool, far_m: float) -> Polygon:
    """Return the half-plane north (or south) of a roughly west-east line, extended at both ends."""
    c = np.asarray(line.coords)
    if c[0, 0] > c[-1, 0]:
        c = c[::-1]
    edge_y = c[:, 1].max() + far_m if north else c[:, 1].min() - far_m
    ring = [
        (c[0, 0] - far_m, c[0, 1]),
        *map(tuple, c),
        (c[-1, 0] + far_m, c[-1, 1]),
        (c[-1, 0] + far_m, edge_y),
        (c[0, 0] - far_m, edge_y),
    ]
    return Polygon(ring)
