"""Exact splitting and noding of line strings.

Streets must meet at *bit-identical* vertices: the walking graph joins lines only where they share
a coordinate. Shapely's ``substring`` and overlay functions recompute split points, so two pieces
that should meet can differ in the last bits. Here every split point is computed once and its
coordinates are copied into every piece that ends there.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np
import shapely
from shapely.geometry import LineString, MultiLineString, Point

Coord = tuple[float, float]

SAME_POINT_M = 1e-6
"""Split points closer than this to a vertex or to each other are the same point (metres)."""


def split_line(line: LineString, points: Sequence[Coord]) -> list[LineString]:
    """Split a line at the given points, which lie on it (within float noise).

    Parameters
    ----------
    line
        The line to split, in a metric CRS.
    points
        Split points; each becomes, exactly, the end vertex of one piece and the start vertex of
        the next. Points at the line's ends or repeated points are ignored.

    Returns
    -------
    list of LineString
        The pieces in order along ``line``; ``[line]`` when there is nothing to split.
    """
    coords: list[Coord] = [(float(x), float(y)) for x, y in line.coords]
    if not points:
        return [line]
    # Distance along the line of every vertex and of every split point.
    vertex_d = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(np.asarray(coords), axis=0).T))])
    total = float(vertex_d[-1])
    cuts: list[tuple[float, Coord]] = []
    for px, py in points:
        d = float(line.project(Point(px, py)))
        if d <= SAME_POINT_M or d >= total - SAME_POINT_M:
            continue
        cuts.append((d, (px, py)))
    cuts.sort()
    pieces: list[list[Coord]] = [[coords[0]]]
    next_vertex = 1
    last_d = 0.0
    for d, point in cuts:
        if d - last_d <= SAME_POINT_M:
            continue
        while next_vertex < len(coords) - 1 and vertex_d[next_vertex] < d - SAME_POINT_M:
            pieces[-1].append(coords[next_vertex])
            next_vertex += 1
        # A split point on top of a vertex replaces it, so no near-zero segment is left.
        if next_vertex < len(coords) - 1 and abs(vertex_d[next_vertex] - d) <= SAME_POINT_M:
            next_vertex += 1
        pieces[-1].append(point)
        pieces.append([point])
        last_d = d
    pieces[-1].extend(coords[next_vertex:])
    return [LineString(p) for p in pieces if len(p) >= 2 and LineString(p).length > 0]


def node_lines(lines: Sequence[LineString]) -> list[list[LineString]]:
    """Split every line at every point where it touches or crosses another line.

    Parameters
    ----------
    lines
        Line strings in a metric CRS. Lines must not overlap along a stretch (collinear overlap).

    Returns
    -------
    list of list of LineString
        For each input line (same order), its pieces. Pieces of different lines that meet share
        the exact same end coordinates.

    Raises
    ------
    ValueError
        If two lines overlap along a stretch: the model would then hold duplicate streets.
    """
    geoms = np.asarray(lines, dtype=object)
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    splits: list[list[Coord]] = [[] for _ in lines]
    crossings = shapely.intersection(geoms[left], geoms[right])
    for a, b, shared in zip(left, right, crossings, strict=True):
        for point in _points_of(shared, int(a), int(b)):
            splits[int(a)].append(point)
            splits[int(b)].append(point)
    return [split_line(line, pts) for line, pts in zip(lines, splits, strict=True)]


def explode_lines(geometry: shapely.Geometry) -> list[LineString]:
    """Return the non-empty line strings of any (multi)line or collection geometry."""
    if geometry.is_empty:
        return []
    if isinstance(geometry, LineString):
        return [geometry]
    if isinstance(geometry, MultiLineString):
        return [g for g in geometry.geoms if not g.is_empty]
    if hasattr(geometry, "geoms"):
        out: list[LineString] = []
        for part in geometry.geoms:
            out += explode_lines(part)
        return out
    return []


def pieces_outside(
    line: LineString, zone: shapely.Geometry
) -> tuple[list[LineString], list[LineString]]:
    """Split a line where it enters and leaves a polygon zone.

    Parameters
    ----------
    line
        A line in a metric CRS.
    zone
        A polygon or multipolygon.

    Returns
    -------
    tuple of (list of LineString, list of LineString)
        Pieces outside the zone and pieces inside it; neighbouring pieces share exact end points.
    """
    if not line.intersects(zone):
        return [line], []
    cut_points = [
        (float(p[0]), float(p[1]))
        for p in shapely.get_coordinates(line.intersection(zone.boundary))
    ]
    outside: list[LineString] = []
    inside: list[LineString] = []
    for piece in split_line(line, cut_points):
        mid = piece.interpolate(0.5, normalized=True)
        (inside if zone.contains(mid) else outside).append(piece)
    return outside, inside


def _points_of(shared: shapely.Geometry, a: int, b: int) -> list[Coord]:
    """Return the point coordinates of an intersection; reject collinear overlaps."""
    if shared.is_empty:
        return []
    kinds = {part.geom_type for part in getattr(shared, "geoms", [shared])}
    if kinds - {"Point"}:
        msg = f"lines {a} and {b} overlap along a stretch ({sorted(kinds)}); move one of them."
        raise ValueError(msg)
    return [(float(x), float(y)) for x, y in shapely.get_coordinates(shared)]


def merge_chains(
    lines: Sequence[LineString], keys: Sequence[Hashable]
) -> list[tuple[LineString, int]]:
    """Join lines end to end through nodes where exactly two lines with equal keys meet.

    A node shared by three or more lines, or by two lines with different keys, stays a line end,
    so the result is still split at every intersection. Coordinates are copied, never recomputed.

    Parameters
    ----------
    lines
        Noded lines (pieces meet only at their end points).
    keys
        One hashable attribute key per line; only lines with equal keys are joined.

    Returns
    -------
    list of tuple of (LineString, int)
        Each merged line and the index of the first input line it was built from.
    """
    ends: list[tuple[Coord, Coord]] = []
    incident: dict[Coord, list[int]] = {}
    for k, line in enumerate(lines):
        first, last = line.coords[0], line.coords[-1]
        pair = ((float(first[0]), float(first[1])), (float(last[0]), float(last[1])))
        ends.append(pair)
        for node in pair:
            incident.setdefault(node, []).append(k)

    def passes(node: Coord) -> bool:
        at = incident[node]
        return len(at) == 2 and at[0] != at[1] and keys[at[0]] == keys[at[1]]

    used = [False] * len(lines)
    merged: list[tuple[LineString, int]] = []
    # Walk from every line end that is a real node; lines left over form closed loops.
    for start in range(len(lines)):
        for start_node in ends[start]:
            if used[start] or passes(start_node):
                continue
            chain: list[Coord] = []
            k, node = start, start_node
            while True:
                used[k] = True
                coords = [(float(c[0]), float(c[1])) for c in lines[k].coords]
                if coords[0] != node:
                    coords.reverse()
                chain += coords if not chain else coords[1:]
                node = coords[-1]
                if not passes(node):
                    break
                a, b = incident[node]
                k = b if a == k else a
                if used[k]:
                    break
            merged.append((LineString(chain), start))
    merged += [(lines[k], k) for k in range(len(lines)) if not used[k]]
    return merged
