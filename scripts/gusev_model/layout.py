"""The hand-placed frame of the Gusev model, in EPSG:32634 metres.

Everything here is a modelling decision, not a survey: the river and railway alignments, the
street grid and which grid line carries which real street name. Only the town boundary (read
elsewhere) is real. Positions were chosen to agree with what public sources say (docs/gusev.md
§3, §5): the Pissa crosses the middle of town from east to west with the Old Town on its right
(north) bank; the Krasnaya joins it from the south inside town; the railway runs west to east
north of the centre with the station on the Old Town's north side; the E28 passes through.

The street grid lives in a local frame (u east, v north, metres, origin near the recommended
centre 54.5922 N, 22.1997 E), rotated by ``GRID_ROTATION_DEG`` and gently warped so streets are
not ruler-straight.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from shapely.geometry import LineString, Polygon

FloatArray = npt.NDArray[np.float64]

SEED = 20250101
"""Seed of every random choice (jitter, dropped edges): the output is reproducible."""

ORIGIN_X, ORIGIN_Y = 577450.0, 6050020.0
"""Grid origin in EPSG:32634, about 100 m south-west of the centre of docs/gusev.md §9."""

GRID_ROTATION_DEG = 6.0
"""Grid rows rise 6 degrees towards the east, roughly parallel to the river and railway."""

WARP_U_M, WARP_V_M = 25.0, 35.0
"""Amplitudes of the gentle sinusoidal warp of the grid (metres)."""

NETWORK_MARGIN_M = 150.0
"""Streets extend this far beyond the town boundary."""

PISSA_WIDTH_M = 30.0
KRASNAYA_WIDTH_M = 16.0

PISSA_AXIS: tuple[tuple[float, float], ...] = (
    (580500.0, 6050230.0),
    (579700.0, 6050080.0),
    (579100.0, 6050030.0),
    (578600.0, 6049900.0),
    (578200.0, 6049820.0),
    (577700.0, 6049760.0),
    (577200.0, 6049720.0),
    (576700.0, 6049650.0),
    (576100.0, 6049620.0),
    (575500.0, 6049560.0),
    (574900.0, 6049520.0),
    (574100.0, 6049480.0),
)
"""Pissa centreline, east to west (flow direction), before meanders are added."""

KRASNAYA_AXIS: tuple[tuple[float, float], ...] = (
    (578150.0, 6047950.0),
    (578220.0, 6048450.0),
    (578300.0, 6048900.0),
    (578330.0, 6049350.0),
    (578420.0, 6049700.0),
    (578440.0, 6049860.0),
)
"""Krasnaya centreline, south to its mouth on the Pissa."""

RAIL_AXIS: tuple[tuple[float, float], ...] = (
    (574000.0, 6050230.0),
    (575500.0, 6050440.0),
    (576800.0, 6050610.0),
    (577500.0, 6050700.0),
    (578500.0, 6050830.0),
    (579500.0, 6050980.0),
    (580500.0, 6051140.0),
)
"""Kaliningrad–Kaunas railway, west to east."""

STATION_UV = (60.0, 610.0)
"""Station building (south of the tracks, north edge of the Old Town), grid coordinates."""


@dataclass(frozen=True, slots=True)
class NamedLine:
    """A grid row or column that carries a named main street over a range.

    Attributes
    ----------
    axis
        ``"row"`` (constant v, runs east-west) or ``"col"`` (constant u, runs north-south).
    at_m
        Approximate grid coordinate of the line; the nearest grid line is used.
    start_m, end_m
        Range along the line (u for rows, v for columns), metres.
    kind
        Street kind (primary, secondary, tertiary, footway).
    name
        Russian street name ('' for unnamed).
    name_source
        Where the name comes from.
    crosses
        Barriers the line may cross: ``pissa``, ``krasnaya``, ``rail``. Elsewhere it is cut back.
    crossing_kind
        Kind of the piece over each barrier: bridge, footbridge or crossing.
    crossing_name
        Name of the piece over the barrier ('' keeps ``name``).
    """

    axis: str
    at_m: float
    start_m: float
    end_m: float
    kind: str
    name: str
    name_source: str
    crosses: tuple[str, ...] = ()
    crossing_kind: str = "bridge"
    crossing_name: str = ""


_SRC = "street name from public sources (docs/gusev.md §5); position modelled"

NAMED_LINES: tuple[NamedLine, ...] = (
    NamedLine(
        "row",
        300,
        -4000,
        4000,
        "primary",
        "E28",
        "E28 passes through the town (docs/gusev.md §3); alignment modelled",
    ),
    NamedLine("row", 0, -1250, 1150, "secondary", "ул. Московская", _SRC),
    NamedLine("row", 450, -950, 950, "tertiary", "ул. Пушкина", _SRC),
    NamedLine("row", -600, -1900, 1500, "secondary", "ул. Победы", _SRC, ("krasnaya",)),
    NamedLine("row", -1050, -1600, 550, "tertiary", "ул. Морская", _SRC),
    NamedLine("row", 1050, -950, 1100, "tertiary", "ул. Зелёная", _SRC),
    NamedLine("row", 1600, 1150, 2600, "tertiary", "ул. Зворыкина", _SRC),
    NamedLine("col", 0, -1900, 600, "primary", "ул. Ленина", _SRC, ("pissa",)),
    NamedLine("col", -1050, -2900, 300, "secondary", "ул. Советская", _SRC, ("pissa",)),
    NamedLine(
        "col", 300, -120, 1500, "secondary", "ул. Красноармейская", _SRC, ("rail",), "crossing"
    ),
    NamedLine("col", -450, -1700, -250, "tertiary", "ул. Школьная", _SRC),
    NamedLine(
        "col", 1650, 300, 3000, "secondary", "ул. Индустриальная", _SRC, ("rail",), "crossing"
    ),
    NamedLine(
        "col",
        -1650,
        300,
        2000,
        "secondary",
        "дорога на Советск",
        "the road to Sovetsk branches off in town (docs/gusev.md §3); alignment modelled",
        ("rail",),
        "crossing",
    ),
)
"""Main streets. Which grid line carries which name is a modelling choice."""

SPECIAL_CROSSINGS: tuple[NamedLine, ...] = (
    NamedLine(
        "col",
        300,
        -650,
        -120,
        "footway",
        "",
        "the Pissa has one footbridge (docs/gusev.md §3); position modelled",
        ("pissa",),
        "footbridge",
        "пешеходный мост через Писсу",
    ),
    NamedLine(
        "col",
        0,
        600,
        900,
        "footway",
        "",
        "pedestrian crossing at the station; modelled",
        ("rail",),
        "crossing",
        "пешеходный переход у вокзала",
    ),
)
"""Grid-line stretches that exist only to cross a barrier (footbridge, station crossing)."""


def uv_to_xy(u: FloatArray, v: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Map grid coordinates (metres) to EPSG:32634 metres: rotate, then warp gently."""
    theta = math.radians(GRID_ROTATION_DEG)
    x = ORIGIN_X + u * math.cos(theta) - v * math.sin(theta) + WARP_U_M * np.sin(v / 650.0)
    y = ORIGIN_Y + u * math.sin(theta) + v * math.cos(theta) + WARP_V_M * np.sin(u / 720.0)
    return x, y


def xy_to_uv(x: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Approximate inverse of ``uv_to_xy`` (ignores the warp; error below about 40 m)."""
    theta = math.radians(GRID_ROTATION_DEG)
    dx, dy = x - ORIGIN_X, y - ORIGIN_Y
    return dx * math.cos(theta) + dy * math.sin(theta), -dx * math.sin(theta) + dy * math.cos(theta)


def uv_polygon(u0: float, v0: float, u1: float, v1: float, step_m: float = 25.0) -> Polygon:
    """Return the grid-space rectangle [u0, u1] x [v0, v1] as a polygon in EPSG:32634."""
    nu = max(2, math.ceil((u1 - u0) / step_m) + 1)
    nv = max(2, math.ceil((v1 - v0) / step_m) + 1)
    us = np.concatenate(
        [np.linspace(u0, u1, nu), np.full(nv, u1), np.linspace(u1, u0, nu), np.full(nv, u0)]
    )
    vs = np.concatenate(
        [np.full(nu, v0), np.linspace(v0, v1, nv), np.full(nu, v1), np.linspace(v1, v0, nv)]
    )
    x, y = uv_to_xy(us, vs)
    return Polygon(np.column_stack([x, y]))


def uv_line(points: list[tuple[float, float]], step_m: float = 20.0) -> LineString:
    """Return a grid-space polyline, densified and mapped to EPSG:32634."""
    out_u: list[float] = []
    out_v: list[float] = []
    for (u0, v0), (u1, v1) in itertools.pairwise(points):
        n = max(2, math.ceil(math.hypot(u1 - u0, v1 - v0) / step_m) + 1)
        out_u += list(np.linspace(u0, u1, n)[:-1])
        out_v += list(np.linspace(v0, v1, n)[:-1])
    out_u.append(points[-1][0])
    out_v.append(points[-1][1])
    x, y = uv_to_xy(np.asarray(out_u), np.asarray(out_v))
    return LineString(np.column_stack([x, y]))


def grid_positions(low_m: float, high_m: float) -> FloatArray:
    """Grid-line positions from ``low_m`` to ``high_m``: 150 m apart in the centre, 240 m outside.

    The spacing grows linearly from 150 m at 600 m from the origin to 240 m at 2,000 m: small
    pre-war and Soviet blocks in the middle, larger low-rise blocks on the outskirts.
    """

    def spacing(d: float) -> float:
        return 150.0 + 90.0 * min(1.0, max(0.0, (abs(d) - 600.0) / 1400.0))

    up = [0.0]
    while up[-1] < high_m:
        up.append(up[-1] + spacing(up[-1]))
    down = [0.0]
    while down[-1] > low_m:
        down.append(down[-1] - spacing(down[-1]))
    return np.asarray(sorted(set(down) | set(up)), dtype=np.float64)


APARTMENT_ZONES_UV: tuple[tuple[float, float, float, float], ...] = (
    (-450.0, -330.0, 450.0, 520.0),  # Old Town core, between the river and the railway
    (-700.0, -850.0, -150.0, -330.0),  # New Town core, west of ул. Ленина
    (-150.0, 760.0, 600.0, 1150.0),  # northern quarter: five-storey blocks built after ~1995
)
"""Grid-space rectangles (u0, v0, u1, v1) of apartment housing (4-5 storeys)."""

MIXED_CENTRE_UV = (0.0, -100.0)
MIXED_RADIUS_M = 1300.0
"""Outside the apartment zones, housing within this distance of the centre is mixed."""
