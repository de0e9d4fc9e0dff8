"""Does the town's declared CRS fit its data? Checks that stop a silently wrong analysis.

A projected CRS can still measure wrongly: Web Mercator (EPSG:3857) stretches distances by
1/cos(latitude) — 1.73 at Gusev, so every walk looks 73 % longer; a UTM zone on the other side of
the globe puts the town where the projection is not meant to be used; coordinates written
latitude-first put the town in another country. Each is caught here, with the numbers and the
fix (the UTM zone ``estimate_utm_crs`` would choose).

Rules (documented in docs/architecture.md):

- the CRS must be projected, with metres as its unit;
- its scale error (``pyproj.Proj.get_factors``) at the town's corners and centre must stay within
  ``MAX_SCALE_ERROR`` (1 %): error otherwise;
- the town must lie within the CRS's area of use (``pyproj.CRS.area_of_use``): a town up to
  ``AREA_OF_USE_MARGIN_DEG`` outside it (a neighbouring UTM zone) is a warning, farther an error;
- when the coordinates would fit with longitude and latitude exchanged, the layers are blamed,
  not the CRS: "longitude and latitude look swapped".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS, Proj
from pyproj.aoi import AreaOfInterest
from pyproj.database import query_utm_crs_info
from pyproj.exceptions import CRSError as PyprojCrsError

from planner.config import DISPLAY_CRS
from planner.errors import Issue, shorten

MAX_SCALE_ERROR = 0.01
"""Largest share by which the CRS may stretch or shrink distances anywhere in the town."""

AREA_OF_USE_MARGIN_DEG = 3.0
"""A town this far (degrees) outside the CRS's area of use gets a warning, farther an error."""

TOWN_FILE = "town.toml"


@dataclass(frozen=True, slots=True)
class LonLatBox:
    """A lon/lat extent in degrees (EPSG:4326)."""

    west: float
    south: float
    east: float
    north: float

    @property
    def centre(self) -> tuple[float, float]:
        """The middle as (lon, lat)."""
        return (self.west + self.east) / 2, (self.south + self.north) / 2

    def swapped(self) -> LonLatBox:
        """Return the extent with longitude and latitude exchanged."""
        return LonLatBox(self.south, self.west, self.north, self.east)

    def is_lonlat(self) -> bool:
        """Whether it lies within longitude [-180, 180] and latitude [-90, 90]."""
        return -180 <= self.west <= self.east <= 180 and -90 <= self.south <= self.north <= 90

    def describe(self) -> str:
        """Return the centre as text, e.g. "22.19° E, 54.59° N"."""
        lon, lat = self.centre
        return f"{_deg(lon, 'E', 'W')}, {_deg(lat, 'N', 'S')}"


def declared_crs_issues(crs_text: str) -> list[Issue]:
    """Check the CRS named in ``town.toml`` on its own: known, projected, in metres."""
    try:
        crs = CRS.from_user_input(crs_text)
    except PyprojCrsError:
        shown = shorten(crs_text, 60)
        return [Issue(TOWN_FILE, f"crs {shown!r} is not a known CRS.", 'use e.g. "EPSG:32634".')]
    if not crs.is_projected:
        return [
            Issue(
                TOWN_FILE,
                f"crs {crs_text!r} is geographic (degrees); analysis needs metres.",
                "use the town's UTM zone, e.g. EPSG:32634 for Gusev "
                "(geopandas: frame.estimate_utm_crs()).",
            )
        ]
    unit = crs.axis_info[0].unit_name if crs.axis_info else "unknown"
    factor = crs.axis_info[0].unit_conversion_factor if crs.axis_info else math.nan
    if not math.isclose(factor, 1.0):
        return [
            Issue(
                TOWN_FILE,
                f"crs {crs_text!r} ({crs.name}) measures in {unit}, not metres; every "
                "distance would be read in the wrong unit.",
                "use a CRS in metres, such as the town's UTM zone.",
            )
        ]
    return []


def crs_fit_issues(crs_text: str, town: LonLatBox) -> list[Issue]:
    """Check that a (projected, metric) CRS measures the town correctly.

    Parameters
    ----------
    crs_text
        The CRS of ``town.toml``.
    town
        The town's extent in lon/lat (the boundary's, else all layers').

    Returns
    -------
    list of Issue
        Errors (or warnings) on ``town.toml``'s ``crs``; empty when the CRS fits. When the
        town would fit with longitude and latitude swapped, nothing is said here: the layers
        are at fault (``swapped_layer_issue``).
    """
    crs = CRS.from_user_input(crs_text)
    name = f"{crs_text!r} ({crs.name})"
    if not town.is_lonlat():
        return []  # the layers' own checks report coordinates that are not lon/lat
    suggestion = suggest_utm(town)
    fix = f"use {suggestion}, the UTM zone of this town (geopandas: estimate_utm_crs())."
    outside_deg = _degrees_outside(crs, town)
    if outside_deg > AREA_OF_USE_MARGIN_DEG and _degrees_outside(crs, town.swapped()) == 0.0:
        return []  # the coordinates are swapped, not the CRS wrong
    scale = scale_error(crs, town)
    if not math.isfinite(scale):
        return [
            Issue(
                TOWN_FILE,
                f"crs {name} cannot project the town at {town.describe()}.",
                fix,
            )
        ]
    if outside_deg > AREA_OF_USE_MARGIN_DEG:
        return [
            Issue(
                TOWN_FILE,
                f"crs {name} is made for {_area(crs)}; the town lies at {town.describe()}, "
                f"{outside_deg:.0f}° outside it.",
                fix,
            )
        ]
    if scale > MAX_SCALE_ERROR:
        return [
            Issue(
                TOWN_FILE,
                f"crs {name} distorts distances by up to {scale:.0%} at {town.describe()}; "
                "every walking distance and radius would be off by that much.",
                fix,
            )
        ]
    if outside_deg > 0:
        return [
            Issue(
                TOWN_FILE,
                f"crs {name} is made for {_area(crs)}; the town lies {outside_deg:.1f}° outside "
                f"it (distances are still within {scale:.2%}).",
                fix,
                severity="warning",
            )
        ]
    return []


def swapped_layer_issue(crs_text: str, layer: LonLatBox, file: str) -> Issue | None:
    """Return an error when a layer fits the CRS only with longitude and latitude exchanged."""
    crs = CRS.from_user_input(crs_text)
    swapped = layer.swapped()
    if not swapped.is_lonlat() or _degrees_outside(crs, swapped) > 0.0:
        return None
    if layer.is_lonlat() and _degrees_outside(crs, layer) <= AREA_OF_USE_MARGIN_DEG:
        return None
    return Issue(
        file,
        f"longitude and latitude look swapped: as written the layer lies at "
        f"{layer.describe()}, outside the area of {crs_text} ({_area(crs)}); swapped it lies "
        f"at {swapped.describe()}.",
        "write every coordinate as longitude, latitude (x, y: the GeoJSON order) and save again.",
    )


def far_layer_issue(layer: LonLatBox, town: LonLatBox, file: str) -> Issue | None:
    """Return an error when a layer lies nowhere near the town boundary.

    Near means within ``NEAR_TOWN_DEG`` of the boundary's extent; streets kept beyond the
    boundary (the importer keeps 300 m) are well inside that.
    """
    if _boxes_apart_deg(layer, town) <= NEAR_TOWN_DEG:
        return None
    hint = ""
    if _boxes_apart_deg(layer.swapped(), town) <= NEAR_TOWN_DEG:
        hint = " Longitude and latitude look swapped in this layer."
    return Issue(
        file,
        f"the layer lies at {layer.describe()}, far from the town boundary at "
        f"{town.describe()}.{hint}",
        "check that it is this town's layer and that its coordinates are longitude, latitude.",
    )


def far_feature_issues(frame: gpd.GeoDataFrame, town: LonLatBox, file: str) -> list[Issue]:
    """Return an error per feature that lies, or reaches, far beyond the town's extent.

    A block drawn around the whole globe, or a facility typed in another country, cannot be
    projected into the town's CRS meaningfully; it is caught here, in lon/lat, before any
    measuring. ``frame`` must be in lon/lat (EPSG:4326).
    """
    values = frame.geometry.to_numpy()
    usable = ~shapely.is_missing(values) & ~shapely.is_empty(values)
    bounds = np.full((len(values), 4), np.nan)
    bounds[usable] = shapely.bounds(values[usable])
    west = town.west - NEAR_TOWN_DEG
    south = town.south - NEAR_TOWN_DEG
    east = town.east + NEAR_TOWN_DEG
    north = town.north + NEAR_TOWN_DEG
    with np.errstate(invalid="ignore"):
        beyond = (
            (bounds[:, 0] < west)
            | (bounds[:, 1] < south)
            | (bounds[:, 2] > east)
            | (bounds[:, 3] > north)
        )
    ids = frame["id"].astype(str).to_numpy() if "id" in frame.columns else None
    issues = []
    for pos in np.flatnonzero(beyond):
        box = LonLatBox(*(float(v) for v in bounds[pos]))
        span = max(box.east - box.west, box.north - box.south)
        where = (
            f"spans {box.east - box.west:.2f}° of longitude × {box.north - box.south:.2f}° of "
            f"latitude, far beyond the town around {town.describe()}"
            if span > 2 * NEAR_TOWN_DEG
            else f"lies at {box.describe()}, far from the town at {town.describe()}"
        )
        issues.append(
            Issue(
                file,
                f"the feature {where}.",
                "correct its coordinates (longitude, latitude), or remove it from this town.",
                feature_id=None if ids is None else str(ids[pos]),
            )
        )
    return issues


def _box_text(box: LonLatBox) -> str:
    return (
        f"{_deg(box.west, 'E', 'W')} to {_deg(box.east, 'E', 'W')}, "
        f"{_deg(box.south, 'N', 'S')} to {_deg(box.north, 'N', 'S')}"
    )


NEAR_TOWN_DEG = 0.1
"""A layer whose extent stays farther than this (about 7-11 km) from the boundary's is not the
town's."""


def scale_error(crs: CRS, town: LonLatBox) -> float:
    """Return the largest share by which ``crs`` stretches or shrinks distances in the town.

    Evaluated at the four corners and the centre; ``inf`` where the projection fails.
    """
    lons = np.array([town.west, town.east, town.west, town.east, town.centre[0]])
    lats = np.array([town.south, town.south, town.north, town.north, town.centre[1]])
    factors = Proj(crs).get_factors(lons, lats, errcheck=False)
    scales = np.concatenate(
        [np.asarray(factors.meridional_scale), np.asarray(factors.parallel_scale)]
    )
    if not np.isfinite(scales).all():
        return math.inf
    return float(np.abs(scales - 1.0).max())


def suggest_utm(town: LonLatBox) -> str:
    """Return the WGS 84 UTM zone of the town's centre, as geopandas' ``estimate_utm_crs`` does.

    The text names the code and the zone, e.g. "EPSG:32634 (WGS 84 / UTM zone 34N)".
    """
    lon, lat = town.centre
    infos = query_utm_crs_info(
        datum_name="WGS 84", area_of_interest=AreaOfInterest(lon, lat, lon, lat)
    )
    if not infos:
        return "the UTM zone of the town"
    return f"{infos[0].auth_name}:{infos[0].code} ({infos[0].name})"


def _degrees_outside(crs: CRS, town: LonLatBox) -> float:
    """Return how far (degrees) the town's centre lies outside the CRS's area of use.

    The larger of the east-west and north-south gaps; 0 inside, or when the CRS declares none.
    """
    area = crs.area_of_use
    if area is None:
        return 0.0
    lon, lat = town.centre
    west, south, east, north = area.bounds
    if west > east:  # crosses the antimeridian
        east += 360.0
        if lon < west:
            lon += 360.0
    dx = max(west - lon, 0.0, lon - east)
    dy = max(south - lat, 0.0, lat - north)
    return max(dx, dy)


def _boxes_apart_deg(a: LonLatBox, b: LonLatBox) -> float:
    dx = max(b.west - a.east, 0.0, a.west - b.east)
    dy = max(b.south - a.north, 0.0, a.south - b.north)
    return max(dx, dy)


def _area(crs: CRS) -> str:
    area = crs.area_of_use
    if area is None:
        return "an unknown area"
    return _box_text(LonLatBox(*area.bounds))


def _deg(value: float, positive: str, negative: str) -> str:
    return f"{abs(value):.2f}° {positive if value >= 0 else negative}"


def lonlat_box(frame: gpd.GeoDataFrame) -> LonLatBox | None:
    """Return the lon/lat extent of a layer's drawable geometries (``None`` if it has none).

    Geometries that are missing, empty or hold non-numbers are left out; a layer in another
    CRS is reprojected first.
    """
    if frame.crs is None or frame.empty:
        return None
    geoms = frame.geometry
    if not frame.crs.equals(DISPLAY_CRS):
        with np.errstate(all="ignore"):
            geoms = geoms.to_crs(DISPLAY_CRS)
    values = geoms.to_numpy()
    usable = ~shapely.is_missing(values) & ~shapely.is_empty(values)
    if not usable.any():
        return None
    bounds = shapely.bounds(values[usable])
    finite = np.isfinite(bounds).all(axis=1)
    if not finite.any():
        return None
    west, south = bounds[finite, 0].min(), bounds[finite, 1].min()
    east, north = bounds[finite, 2].max(), bounds[finite, 3].max()
    return LonLatBox(float(west), float(south), float(east), float(north))
