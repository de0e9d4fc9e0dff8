"""Land-use zones and barriers of the model: water polygons, railway, park, industry, open land.

All shapes are modelled (see ``layout``); they are built once and shared by the street, district
and residential builders, so every layer agrees on where the river and the railway are.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import LineString, Polygon

from gusev_model.layout import (
    KRASNAYA_AXIS,
    KRASNAYA_WIDTH_M,
    NETWORK_MARGIN_M,
    PISSA_AXIS,
    PISSA_WIDTH_M,
    RAIL_AXIS,
    uv_polygon,
)


@dataclass(frozen=True, slots=True)
class Zones:
    """The modelled barriers and land uses, in EPSG:32634.

    Attributes
    ----------
    boundary
        The real town polygon (OpenStreetMap).
    network_area
        The boundary grown by the street margin: streets are clipped to it.
    pissa_axis, krasnaya_axis
        River centrelines with meanders.
    pissa, krasnaya
        River polygons; the Krasnaya stops at the Pissa's bank.
    rail
        The railway centreline.
    park
        The town park with the sports complex and stadium (no housing, paths only).
    industry
        The Technopolis GS industrial area (no housing).
    open_land
        Allotments, fields and other unbuilt land inside the boundary (no housing, tracks only).
    """

    boundary: Polygon
    network_area: shapely.Geometry
    pissa_axis: LineString
    krasnaya_axis: LineString
    pissa: Polygon
    krasnaya: shapely.Geometry
    rail: LineString
    park: Polygon
    industry: shapely.Geometry
    open_land: shapely.Geometry


def build_zones(boundary: Polygon) -> Zones:
    """Build every modelled zone around the real boundary (EPSG:32634)."""
    pissa_axis = _meander(LineString(PISSA_AXIS), amplitude_m=30.0, wavelength_m=1150.0)
    krasnaya_axis = _meander(LineString(KRASNAYA_AXIS), amplitude_m=16.0, wavelength_m=640.0)
    # The Krasnaya's mouth is moved onto the meandering Pissa so the two rivers really meet.
    mouth = pissa_axis.interpolate(pissa_axis.project(shapely.Point(KRASNAYA_AXIS[-1])))
    krasnaya_axis = LineString([*krasnaya_axis.coords[:-1], mouth.coords[0]])
    # Simplified by 0.5 m: the 10 m vertex spacing of the meanders is more detail than needed.
    pissa = pissa_axis.buffer(PISSA_WIDTH_M / 2, cap_style="flat", quad_segs=4).simplify(0.5)
    # The mouth reaches into the Pissa so the two polygons touch; then the overlap is removed.
    krasnaya = krasnaya_axis.buffer(KRASNAYA_WIDTH_M / 2, cap_style="flat", quad_segs=4)
    krasnaya = shapely.difference(krasnaya.simplify(0.5), pissa)
    rail = _smooth(LineString(RAIL_AXIS))
    park = uv_polygon(20.0, -560.0, 600.0, -200.0)
    park = shapely.difference(park, pissa.buffer(18.0))
    industry = shapely.intersection(
        shapely.union_all([uv_polygon(1180.0, 760.0, 3200.0, 3400.0)]),
        boundary.buffer(NETWORK_MARGIN_M),
    )
    industry = shapely.difference(industry, rail.buffer(25.0))
    open_land = shapely.union_all(
        [
            shapely.box(574900.0, 6050480.0, 575850.0, 6051750.0),  # allotments, north-west
            shapely.box(574300.0, 6048850.0, 575050.0, 6050100.0),  # fields at the western tip
            shapely.box(575600.0, 6047200.0, 576950.0, 6047880.0),  # fields at the southern tip
            shapely.box(578320.0, 6048350.0, 578950.0, 6048950.0),  # Krasnaya valley meadows
        ]
    )
    return Zones(
        boundary=boundary,
        network_area=boundary.buffer(NETWORK_MARGIN_M),
        pissa_axis=pissa_axis,
        krasnaya_axis=krasnaya_axis,
        pissa=pissa,
        krasnaya=krasnaya,
        rail=rail,
        park=park,
        industry=industry,
        open_land=open_land,
    )


def _meander(axis: LineString, *, amplitude_m: float, wavelength_m: float) -> LineString:
    """Densify a centreline every 10 m and swing it sideways along a smooth sine (meanders)."""
    smooth = _smooth(axis)
    length = smooth.length
    dist = np.linspace(0.0, length, max(2, math.ceil(length / 10.0) + 1))
    pts = shapely.get_coordinates(shapely.line_interpolate_point(smooth, dist))
    tangent = np.gradient(pts, axis=0)
    tangent /= np.hypot(tangent[:, 0], tangent[:, 1])[:, None]
    normal = np.column_stack([-tangent[:, 1], tangent[:, 0]])
    # Two sines of different period give irregular, natural-looking bends; the taper keeps the
    # ends on the hand-placed axis.
    taper = np.minimum(1.0, np.minimum(dist, length - dist) / 150.0)
    swing = (
        amplitude_m
        * taper
        * (
            np.sin(2 * np.pi * dist / wavelength_m)
            + 0.45 * np.sin(2 * np.pi * dist / (wavelength_m / 2.3) + 1.0)
        )
    )
    return LineString(pts + normal * swing[:, None])


def _smooth(line: LineString, iterations: int = 3) -> LineString:
    """Round the corners of a polyline (Chaikin's algorithm), keeping its end points."""
    pts = np.asarray(line.coords, dtype=np.float64)
    for _ in range(iterations):
        q = 0.75 * pts[:-1] + 0.25 * pts[1:]
        r = 0.25 * pts[:-1] + 0.75 * pts[1:]
        inner = np.empty((2 * len(q), 2))
        inner[0::2] = q
        inner[1::2] = r
        pts = np.vstack([pts[:1], inner, pts[-1:]])
    return LineString(pts)
