"""The modelled walking network: a warped street grid, named main streets, bridges and crossings.

Steps: grid edges with kinds and names -> clip to the boundary plus margin -> cut at the river
and the railway except where a bridge or crossing is designated -> node every intersection ->
prune short dead ends -> keep one connected component (and check it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

import numpy as np
import shapely
from scipy import sparse
from scipy.sparse import csgraph
from shapely.geometry import LineString

from gusev_model.layout import (
    APARTMENT_ZONES_UV,
    NAMED_LINES,
    PISSA_WIDTH_M,
    SEED,
    SPECIAL_CROSSINGS,
    NamedLine,
    grid_positions,
    uv_to_xy,
    xy_to_uv,
)
from gusev_model.lines import explode_lines, merge_chains, node_lines, pieces_outside
from gusev_model.zones import Zones

CROSSING_ZONE_M = 8.0
"""A bridge or level crossing reaches this far beyond the water's edge or the track centreline."""

CUT_BACK_M = {"pissa": 3.0, "krasnaya": 3.0, "rail": 10.0}
"""Other streets stop this far from the water or the track (metres)."""

PARALLEL_CLEARANCE_M = {"pissa": 35.0, "krasnaya": 30.0, "rail": 25.0}
"""A street piece lying mostly this close to a barrier runs along it and is dropped."""

EMBANKMENT_OFFSET_M = PISSA_WIDTH_M / 2 + 18.0
"""Riverside paths run 18 m from the Pissa's banks."""

DEAD_END_MIN_M = 30.0
"""Dead-end pieces shorter than this are stubs left by cutting and are removed."""

CROSSING_KINDS = frozenset({"bridge", "footbridge", "crossing"})

EXPECTED_CROSSINGS: dict[str, Counter[str]] = {
    "Pissa": Counter({"bridge": 2, "footbridge": 1}),  # 2 road bridges + 1 footbridge (§3)
    "Krasnaya": Counter({"bridge": 1, "footbridge": 1}),  # modelled
    "railway": Counter({"crossing": 4}),  # 3 level crossings + the station footway crossing
}


@dataclass(frozen=True, slots=True)
class Street:
    """One street line with its attributes (EPSG:32634).

    Attributes
    ----------
    geometry
        The line.
    kind, name, name_source
        Attributes written to ``streets.geojson``.
    crosses
        Barriers (pissa, krasnaya, rail) this line is allowed to cross.
    crossing_kind, crossing_name
        Kind and name of the piece over a barrier ('' name keeps ``name``).
        On a bridge or crossing piece they hold the kind and name of the street it carries.
    hugs_water
        True for riverside paths, which are exempt from the along-the-river rule.
    """

    geometry: LineString
    kind: str
    name: str
    name_source: str
    crosses: tuple[str, ...] = ()
    crossing_kind: str = "bridge"
    crossing_name: str = ""
    hugs_water: bool = False


def build_streets(zones: Zones) -> list[Street]:
    """Build the whole walking network, noded and connected.

    Raises
    ------
    RuntimeError
        If the result is not one connected component or a street enters water or the track
        without being a bridge or crossing; the message names the problem.
    """
    rng = np.random.default_rng(SEED)
    raw = [*_grid_streets(zones, rng), *_embankments(zones)]
    clipped = [
        replace(s, geometry=g)
        for s in raw
        for g in explode_lines(s.geometry.intersection(zones.network_area))
    ]
    cut = [piece for s in clipped for piece in _apply_barriers(s, zones)]
    noded = [
        replace(s, geometry=g)
        for s, pieces in zip(cut, node_lines([s.geometry for s in cut]), strict=True)
        for g in pieces
    ]
    pruned = _largest_component(_prune_dead_ends(_unbridge_dry_pieces(noded, zones)))
    keys = [(s.kind, s.name, s.name_source) for s in pruned]
    streets = [
        replace(pruned[k], geometry=g) for g, k in merge_chains([s.geometry for s in pruned], keys)
    ]
    _check(streets, zones)
    return streets


def _grid_streets(zones: Zones, rng: np.random.Generator) -> list[Street]:
    """Return the grid edges as streets, with kinds and names by line and land use."""
    us = grid_positions(-3900.0, 3500.0)
    vs = grid_positions(-3700.0, 3500.0)
    uu, vv = np.meshgrid(us, vs, indexing="ij")
    central = (np.abs(uu) < 700) & (np.abs(vv + 100) < 800)
    amplitude = np.where(central, 10.0, 22.0)
    ju = rng.uniform(-1, 1, uu.shape) * amplitude
    jv = rng.uniform(-1, 1, uu.shape) * amplitude
    # Named streets keep straight along their own axis: only jitter along the line.
    for line in (*NAMED_LINES, *SPECIAL_CROSSINGS):
        if line.axis == "row":
            jv[:, int(np.argmin(np.abs(vs - line.at_m)))] = 0.0
        else:
            ju[int(np.argmin(np.abs(us - line.at_m))), :] = 0.0
    x, y = uv_to_xy(uu + ju, vv + jv)
    drop_draw = rng.uniform(0, 1, (2, *uu.shape))
    streets: list[Street] = []
    for axis, di, dj in (("row", 1, 0), ("col", 0, 1)):
        for i in range(len(us) - di):
            for j in range(len(vs) - dj):
                a, b = (i, j), (i + di, j + dj)
                geometry = LineString([(x[a], y[a]), (x[b], y[b])])
                if not geometry.intersects(zones.network_area):
                    continue
                u_mid = (us[i] + us[i + di]) / 2
                v_mid = (vs[j] + vs[j + dj]) / 2
                named = _named_line(
                    axis,
                    us[i] if axis == "col" else vs[j],
                    v_mid if axis == "col" else u_mid,
                    us,
                    vs,
                )
                if named is not None:
                    streets.append(_from_named(named, geometry))
                    continue
                street = _local_street(geometry, zones, float(drop_draw[di][a]))
                if street is not None:
                    streets.append(street)
    streets += _courtyard_paths(x, y, us, vs)
    return streets


def _named_line(
    axis: str, at_m: float, along_m: float, us: np.ndarray, vs: np.ndarray
) -> NamedLine | None:
    """Return the named line carried by a grid edge, if any (special crossings win)."""
    positions = vs if axis == "row" else us
    for line in (*SPECIAL_CROSSINGS, *NAMED_LINES):
        if line.axis != axis:
            continue
        nearest = float(positions[int(np.argmin(np.abs(positions - line.at_m)))])
        if nearest == at_m and line.start_m <= along_m <= line.end_m:
            return line
    return None


def _from_named(line: NamedLine, geometry: LineString) -> Street:
    return Street(
        geometry,
        line.kind,
        line.name,
        line.name_source,
        line.crosses,
        line.crossing_kind,
        line.crossing_name,
    )


def _local_street(geometry: LineString, zones: Zones, draw: float) -> Street | None:
    """Kind of an unnamed grid edge by land use; some outer edges are left out (larger blocks)."""
    mid = geometry.interpolate(0.5, normalized=True)
    if zones.park.contains(mid):
        return Street(geometry, "footway", "", "park path; modelled")
    if zones.industry.contains(mid):
        return None if draw < 0.45 else Street(geometry, "service", "", "")
    if zones.open_land.contains(mid):
        return None if draw < 0.5 else Street(geometry, "path", "", "")
    u_mid, v_mid = xy_to_uv(np.asarray(mid.x), np.asarray(mid.y))
    if np.hypot(u_mid, v_mid + 100) > 1100 and draw < 0.14:
        return None
    return Street(geometry, "residential", "", "")


def _courtyard_paths(x: np.ndarray, y: np.ndarray, us: np.ndarray, vs: np.ndarray) -> list[Street]:
    """Footpaths through every other cell of the apartment zones (courtyards between blocks).

    Each path runs from the middle of a cell's south edge to the middle of its north edge and
    overshoots by 1 m, so it crosses both edges; the overshoots are pruned as stubs later.
    """
    paths: list[Street] = []
    for i in range(len(us) - 1):
        for j in range(len(vs) - 1):
            u_mid, v_mid = (us[i] + us[i + 1]) / 2, (vs[j] + vs[j + 1]) / 2
            if (i + j) % 2 or not any(
                u0 < u_mid < u1 and v0 < v_mid < v1 for u0, v0, u1, v1 in APARTMENT_ZONES_UV
            ):
                continue
            south = np.array([(x[i, j] + x[i + 1, j]) / 2, (y[i, j] + y[i + 1, j]) / 2])
            north = np.array(
                [(x[i, j + 1] + x[i + 1, j + 1]) / 2, (y[i, j + 1] + y[i + 1, j + 1]) / 2]
            )
            step = (north - south) / np.hypot(*(north - south))
            paths.append(Street(LineString([south - step, north + step]), "footway", "", ""))
    return paths


def _embankments(zones: Zones) -> list[Street]:
    """Return riverside paths on both banks of the Pissa (the south one bridges the Krasnaya).

    The central stretches are the Pissa embankment named in sources (docs/gusev.md §5).
    """
    centre = shapely.box(576500.0, 6049300.0, 578350.0, 6050200.0)
    source = "the Pissa embankment is named in sources (docs/gusev.md §5); position modelled"
    streets: list[Street] = []
    for side in (1.0, -1.0):
        offset = zones.pissa_axis.offset_curve(side * EMBANKMENT_OFFSET_M)
        for line in explode_lines(offset):
            outer, inner = pieces_outside(line, centre)
            crosses = ("krasnaya",) if side > 0 else ()
            streets += [
                Street(
                    g,
                    "footway",
                    "набережная р. Писсы",
                    source,
                    crosses,
                    "footbridge",
                    "пешеходный мост через Красную",
                    True,
                )
                for g in inner
            ]
            streets += [
                Street(
                    g, "path", "", "", crosses, "footbridge", "пешеходный мост через Красную", True
                )
                for g in outer
            ]
    return streets


def _apply_barriers(street: Street, zones: Zones) -> list[Street]:
    """Cut a street back from water and track; turn designated crossings into bridges."""
    barriers: dict[str, shapely.Geometry] = {
        "pissa": zones.pissa,
        "krasnaya": zones.krasnaya,
        "rail": zones.rail,
    }
    pieces = [street]
    for name, barrier in barriers.items():
        out: list[Street] = []
        for piece in pieces:
            if piece.kind in CROSSING_KINDS:
                out.append(piece)
                continue
            if name in piece.crosses:
                zone = barrier.buffer(CROSSING_ZONE_M)
                outside, inside = pieces_outside(piece.geometry, zone)
                out += [replace(piece, geometry=g) for g in outside]
                out += [
                    replace(
                        piece,
                        geometry=g,
                        kind=piece.crossing_kind,
                        name=piece.crossing_name or piece.name,
                        crossing_kind=piece.kind,
                        crossing_name=piece.name,
                    )
                    for g in inside
                ]
                continue
            outside, _ = pieces_outside(piece.geometry, barrier.buffer(CUT_BACK_M[name]))
            near = barrier.buffer(PARALLEL_CLEARANCE_M[name])
            out += [
                replace(piece, geometry=g)
                for g in outside
                if piece.hugs_water or g.intersection(near).length < 0.5 * g.length
            ]
        pieces = out
    return pieces


def _unbridge_dry_pieces(streets: list[Street], zones: Zones) -> list[Street]:
    """Give a bridge's end piece that a junction split off over dry land its street's kind back."""
    barriers = shapely.union_all([zones.pissa, zones.krasnaya, zones.rail])
    return [
        replace(s, kind=s.crossing_kind, name=s.crossing_name)
        if s.kind in CROSSING_KINDS and not s.geometry.intersects(barriers)
        else s
        for s in streets
    ]


def _endpoint_graph(streets: list[Street]) -> tuple[np.ndarray, int]:
    """Return each street's (start, end) node and the node count; a node is an exact coordinate."""
    index: dict[tuple[float, float], int] = {}
    ends = np.empty((len(streets), 2), dtype=np.int64)
    for k, s in enumerate(streets):
        coords = s.geometry.coords
        for e, c in enumerate((coords[0], coords[-1])):
            ends[k, e] = index.setdefault((float(c[0]), float(c[1])), len(index))
    return ends, len(index)


def _prune_dead_ends(streets: list[Street]) -> list[Street]:
    """Remove short dead-end stubs (left where streets were cut back), repeatedly."""
    for _ in range(4):
        ends, n_nodes = _endpoint_graph(streets)
        degree = np.bincount(ends.ravel(), minlength=n_nodes)
        stub = np.array(
            [
                s.kind not in CROSSING_KINDS
                and s.geometry.length < DEAD_END_MIN_M
                and (degree[a] == 1 or degree[b] == 1)
                for s, (a, b) in zip(streets, ends, strict=True)
            ]
        )
        if not stub.any():
            break
        streets = [s for s, drop in zip(streets, stub, strict=True) if not drop]
    return streets


def component_labels(streets: list[Street]) -> tuple[int, np.ndarray]:
    """Return the number of connected components and each street's component label."""
    ends, n_nodes = _endpoint_graph(streets)
    graph = sparse.coo_array(
        (np.ones(len(streets)), (ends[:, 0], ends[:, 1])), shape=(n_nodes, n_nodes)
    )
    n, labels = csgraph.connected_components(graph, directed=False)
    return int(n), labels[ends[:, 0]]


def _largest_component(streets: list[Street]) -> list[Street]:
    """Keep the largest connected piece; the rest are fragments cut off by river or boundary."""
    _, labels = component_labels(streets)
    largest = int(np.bincount(labels).argmax())
    return [s for s, label in zip(streets, labels, strict=True) if label == largest]


def _check(streets: Iterable[Street], zones: Zones) -> None:
    """Fail loudly if the network breaks the model's own rules."""
    streets = list(streets)
    n, _ = component_labels(streets)
    if n != 1:
        msg = f"street network has {n} connected components; it must have exactly one."
        raise RuntimeError(msg)
    for name, barrier, allowed in (
        ("Pissa", zones.pissa, {"bridge", "footbridge"}),
        ("Krasnaya", zones.krasnaya, {"bridge", "footbridge"}),
        ("railway", zones.rail, {"crossing"}),
    ):
        over = [s for s in streets if s.geometry.intersects(barrier)]
        bad = [s for s in over if s.kind not in allowed]
        if bad:
            msg = f"{len(bad)} street piece(s) cross the {name} without being a {allowed}."
            raise RuntimeError(msg)
        counts = Counter(s.kind for s in over)
        if counts != EXPECTED_CROSSINGS[name]:
            msg = f"the {name} is crossed by {dict(counts)}; expected {EXPECTED_CROSSINGS[name]}."
            raise RuntimeError(msg)
