"""Facilities of the Gusev model: real objects at estimated positions, plus illustrative stand-ins.

Real objects (docs/gusev.md §6-7) keep their Russian names, addresses and source URLs; their
positions are estimated (provenance ``approximate``): on the modelled street named in the address
(house numbers about 12 m apart, odd numbers on the left), otherwise at a plausible place that the
``note`` describes. Where a town of 28,600 clearly has more facilities than sources name, stand-ins
with provenance ``illustrative`` fill in; they are never shown as real.

Capacity units follow geodata/norms/sp42_small_town.toml; ``capacity_basis`` says whether a figure
comes from a source, is this model's estimate (README.md explains each), or is unknown.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import LineString, Point

from gusev_model.layout import uv_to_xy
from gusev_model.streets import Street
from gusev_model.zones import Zones

FACILITIES_FILE = Path(__file__).with_name("facilities.toml")
"""The facility records: names, addresses, capacities, sources, notes and placement."""

HOUSE_SPACING_M = 12.0
"""Distance along a street per house number (both sides together)."""

SETBACK_M = 25.0
"""A building stands this far from the street centreline."""

NUMBERING_FROM = {
    "ул. Ленина": "north",  # from the station square
    "ул. Красноармейская": "south",  # from the river
    "ул. Московская": "east",
}
"""The end of each addressed street where house numbers start (unknown, so modelled)."""

ILLUSTRATIVE = (
    "illustrative stand-in: no public source names it (docs/gusev.md §9.6); a town of 28,600 "
    "has more of these than sources name"
)
NO_ADDRESS = "address not published"


@dataclass(frozen=True, slots=True)
class Facility:
    """One facility record and where to put it.

    Attributes
    ----------
    id, service, name, name_ru, address, capacity, capacity_basis, status, provenance, source, note
        Columns of ``facilities.geojson`` (capacity in the unit of the service's norm).
    street, number
        Place on this modelled street at this house number ('' / 0: use ``uv``).
    uv
        Grid position (metres) when there is no street address, or a nudge from the street point.
    """

    id: str
    service: str
    name: str
    name_ru: str
    address: str
    capacity: float | None
    capacity_basis: str
    status: str
    provenance: str
    source: str
    note: str
    street: str = ""
    number: int = 0
    uv: tuple[float, float] = (0.0, 0.0)


def load_facilities(path: Path = FACILITIES_FILE) -> list[Facility]:
    """Read the facility records (real ones, then illustrative stand-ins) from the TOML file."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    out: list[Facility] = []
    for entry in data["real"]:
        note = entry["note"] if entry.get("address") else f"{NO_ADDRESS}; {entry['note']}"
        out.append(
            Facility(
                entry["id"],
                entry["service"],
                entry["name"],
                entry["name_ru"],
                entry.get("address", ""),
                entry.get("capacity"),
                entry["capacity_basis"],
                "existing",
                "approximate",
                entry["source"],
                note,
                entry.get("street", ""),
                entry.get("number", 0),
                _uv(entry),
            )
        )
    for entry in data["illustrative"]:
        capacity = entry.get("capacity")
        out.append(
            Facility(
                entry["id"],
                entry["service"],
                entry["name"],
                entry["name_ru"],
                "",
                capacity,
                "unknown" if capacity is None else "estimate",
                "existing",
                "illustrative",
                ILLUSTRATIVE,
                f"{NO_ADDRESS} (not a real object); {entry['note']}",
                uv=_uv(entry),
            )
        )
    return out


def _uv(entry: dict[str, Any]) -> tuple[float, float]:
    u, v = entry.get("uv", (0.0, 0.0))
    return float(u), float(v)


def place_facilities(
    facilities: Sequence[Facility], streets: Sequence[Street], zones: Zones
) -> list[tuple[Facility, Point]]:
    """Give every facility a point (EPSG:32634) and check it is inside the town and dry.

    Raises
    ------
    RuntimeError
        If a facility lands outside the boundary, in water, or names a street the model lacks.
    """
    water = shapely.union(zones.pissa, zones.krasnaya).buffer(5.0)
    placed: list[tuple[Facility, Point]] = []
    for facility in sorted(facilities, key=lambda f: f.id):
        if facility.street:
            point = _on_street(facility.street, facility.number, streets)
        else:
            x, y = uv_to_xy(np.asarray(facility.uv[0]), np.asarray(facility.uv[1]))
            point = Point(float(x), float(y))
        if not zones.boundary.contains(point) or water.contains(point):
            msg = f"facility {facility.id} lands outside the town or in water; move it."
            raise RuntimeError(msg)
        placed.append((facility, point))
    return placed


def _on_street(name: str, number: int, streets: Sequence[Street]) -> Point:
    """Point at a house number along a street, odd numbers on the left, ``SETBACK_M`` off it."""
    parts = [s.geometry for s in streets if s.name == name]
    if not parts:
        msg = f"no modelled street is named {name!r}; add it to layout.NAMED_LINES."
        raise RuntimeError(msg)
    merged = shapely.line_merge(shapely.union_all(parts))
    line: LineString = max(getattr(merged, "geoms", [merged]), key=lambda g: g.length)
    start, end = np.asarray(line.coords[0]), np.asarray(line.coords[-1])
    # Where numbering starts is unknown; NUMBERING_FROM fixes it per street (a modelling choice).
    first = {
        "north": start[1] > end[1],
        "south": start[1] < end[1],
        "east": start[0] > end[0],
        "west": start[0] < end[0],
    }[NUMBERING_FROM[name]]
    if not first:
        line = line.reverse()
    distance_m = min(number * HOUSE_SPACING_M, line.length - 20.0)
    here = np.asarray(line.interpolate(distance_m).coords[0])
    ahead = np.asarray(line.interpolate(distance_m + 1.0).coords[0])
    direction = (ahead - here) / np.hypot(*(ahead - here))
    left = np.array([-direction[1], direction[0]])
    side = 1.0 if number % 2 else -1.0
    x, y = here + side * SETBACK_M * left
    return Point(float(x), float(y))
