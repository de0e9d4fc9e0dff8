"""Geometry helpers for applying edits: lon/lat to the town's CRS, and joining a new street.

A new street joins the network at its ends. Each end is moved onto the nearest point of the
nearest street when that is within the edit's ``snap_m``; when a vertex of that street lies
within ``JOIN_VERTEX_M`` of the point, the end goes to the vertex instead (no sliver of a
street is cut off), else the street gets a new vertex there, which the walking graph turns
into a junction (``planner.network`` makes a node of every vertex and joins lines that share
one).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapely
from pyproj import Transformer

JOIN_VERTEX_M = 5.0
"""A new street end joins an existing vertex when one is this close to its nearest point."""

SAME_POINT_M = 0.01
"""Points closer than this (the walking graph's 1 cm node grid) are the same point."""


@lru_cache(maxsize=8)
def _to_metric(crs: str) -> Transformer:
    return Transformer.from_crs("EPSG:4326", crs, always_xy=True)


def lonlat_to_xy(
    points: list[tuple[float, float]] | tuple[tuple[float, float], ...], crs: str
) -> np.ndarray:
    """Return (n, 2) coordinates in ``crs`` for (lon, lat) pairs in degrees."""
    array = np.asarray(points, dtype=float).reshape(-1, 2)
    x, y = _to_metric(crs).transform(array[:, 0], array[:, 1])
    return np.column_stack([x, y])


@dataclass(frozen=True, slots=True)
class Join:
    """Where one end of a new street meets the network.

    Attributes
    ----------
    street_pos
        Row position of the street joined (None when the end is too far).
    xy
        The point joined to (the end itself when not joined).
    distance_m
        Distance from the drawn end to the nearest point of the network.
    split
        Whether the joined street gets a new vertex there (else an existing vertex is used).
    """

    street_pos: int | None
    xy: tuple[float, float]
    distance_m: float
    split: bool


def nearest_join(lines: np.ndarray, tree: shapely.STRtree, end: np.ndarray, snap_m: float) -> Join:
    """Return how the point ``end`` joins the street lines (see the module docstring).

    Parameters
    ----------
    lines
        Street geometries (LineString or MultiLineString), metric CRS.
    tree
        An STRtree over ``lines``.
    end
        The drawn end point, shape (2,).
    snap_m
        The largest distance to join over.
    """
    point = shapely.Point(end)
    if not len(lines):
        return Join(None, (float(end[0]), float(end[1])), float("inf"), split=False)
    pos, dist = tree.query_nearest(point, return_distance=True, all_matches=False)
    street_pos = int(pos[0])
    distance_m = float(dist[0])
    if distance_m > snap_m:
        return Join(None, (float(end[0]), float(end[1])), distance_m, split=False)
    line = lines[street_pos]
    nearest = shapely.get_coordinates(shapely.shortest_line(line, point))[0]
    vertices = shapely.get_coordinates(line)
    gaps = np.hypot(*(vertices - nearest).T)
    best = int(np.argmin(gaps))
    if gaps[best] <= JOIN_VERTEX_M:
        vx, vy = vertices[best]
        return Join(street_pos, (float(vx), float(vy)), distance_m, split=False)
    return Join(street_pos, (float(nearest[0]), float(nearest[1])), distance_m, split=True)


def insert_vertex(line: shapely.Geometry, xy: tuple[float, float]) -> shapely.Geometry:
    """Return ``line`` with the point ``xy`` (which lies on it) inserted as a vertex.

    The vertex goes into the segment nearest to it, so the line's shape and length do not
    change; a MultiLineString gets it in its nearest part.
    """
    point = shapely.Point(xy)
    parts = list(shapely.get_parts(line))
    nearest_part = int(np.argmin([part.distance(point) for part in parts]))
    coords = shapely.get_coordinates(parts[nearest_part])
    a, b = coords[:-1], coords[1:]
    d = b - a
    len2 = np.maximum(np.einsum("ij,ij->i", d, d), 1e-18)
    t = np.clip(np.einsum("ij,ij->i", np.asarray(xy) - a, d) / len2, 0.0, 1.0)
    gap = np.hypot(*(a + t[:, None] * d - np.asarray(xy)).T)
    segment = int(np.argmin(gap))
    new = np.vstack([coords[: segment + 1], np.asarray(xy)[None, :], coords[segment + 1 :]])
    parts[nearest_part] = shapely.LineString(new)
    if isinstance(line, shapely.MultiLineString):
        return shapely.MultiLineString(parts)
    return parts[0]


def joined_line(start: Join, drawn: np.ndarray, end: Join) -> shapely.LineString:
    """Return the new street: the joined start point, the drawn points, the joined end point.

    A drawn end is replaced by its join point when they coincide, else kept and followed by
    the join point (the short connecting piece is walked too, so its length counts).
    """
    coords = [np.asarray(start.xy)]
    coords += list(drawn)
    coords.append(np.asarray(end.xy))
    kept = [coords[0]]
    for p in coords[1:]:
        if np.hypot(*(p - kept[-1])) > SAME_POINT_M:
            kept.append(p)
    return shapely.LineString(np.vstack(kept))
