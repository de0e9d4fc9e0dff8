"""Building scenarios edit by edit, as a map interface does: ids chosen for the caller.

Each function returns a new ``Scenario`` (scenarios are values). Moving a facility that the
scenario itself added changes that edit's position instead of appending a move, so a scenario
built by dragging stays short and readable.

Examples
--------
>>> from planner.scenarios.edits import Scenario
>>> s = add_facility_at(Scenario("demo"), service="kindergarten", lon=22.2, lat=54.6, capacity=180)
>>> s.edits[0].id
'new-kindergarten-1'
>>> s = move_facility_to(s, "new-kindergarten-1", lon=22.21, lat=54.6)
>>> len(s.edits), s.edits[0].lon
(1, 22.21)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from planner.scenarios.edits import (
    DEFAULT_SNAP_M,
    AddFacility,
    AddHousing,
    AddStreet,
    LonLat,
    MoveFacility,
    Scenario,
)

__all__ = [
    "add_facility_at",
    "add_housing_at",
    "add_street_between",
    "move_facility_to",
    "new_edit_id",
]


def new_edit_id(scenario: Scenario, prefix: str, taken: Iterable[str] = ()) -> str:
    """Return ``prefix-N`` with the smallest N >= 1 used neither by the scenario nor ``taken``."""
    used = set(scenario.targets()) | set(taken)
    n = 1
    while f"{prefix}-{n}" in used:
        n += 1
    return f"{prefix}-{n}"


def add_facility_at(
    scenario: Scenario,
    *,
    service: str,
    lon: float,
    lat: float,
    capacity: float | None,
    name: str = "",
    name_ru: str = "",
    note: str = "",
    taken: Iterable[str] = (),
) -> Scenario:
    """Return the scenario with a new facility at (lon, lat); ``taken`` are ids to avoid."""
    ident = new_edit_id(scenario, f"new-{service.replace('_', '-')}", taken)
    edit = AddFacility(
        id=ident,
        service=service,
        lon=lon,
        lat=lat,
        capacity=capacity,
        name=name,
        name_ru=name_ru,
        note=note,
    )
    return scenario.with_edit(edit)


def move_facility_to(scenario: Scenario, facility_id: str, *, lon: float, lat: float) -> Scenario:
    """Return the scenario with ``facility_id`` at (lon, lat).

    A facility added by the scenario has its ``add_facility`` edit moved; an earlier move of
    the same facility is replaced; otherwise a ``move_facility`` edit is appended.
    """
    for index, edit in enumerate(scenario.edits):
        if isinstance(edit, AddFacility) and edit.id == facility_id:
            return scenario.replace_edit(index, replace(edit, lon=lon, lat=lat))
    for index, edit in enumerate(scenario.edits):
        if isinstance(edit, MoveFacility) and edit.facility_id == facility_id:
            return scenario.replace_edit(index, replace(edit, lon=lon, lat=lat))
    return scenario.with_edit(MoveFacility(facility_id=facility_id, lon=lon, lat=lat))


def add_housing_at(
    scenario: Scenario,
    *,
    polygon: Iterable[LonLat] | None = None,
    point: LonLat | None = None,
    residents: int | None = None,
    flats: int | None = None,
    household_size: float | None = None,
    housing: str = "apartment",
    note: str = "",
    taken: Iterable[str] = (),
) -> Scenario:
    """Return the scenario with a housing development (an outline or a point).

    ``household_size`` applies to ``flats`` (default ``DEFAULT_HOUSEHOLD_SIZE``).
    """
    edit = AddHousing(
        id=new_edit_id(scenario, "new-housing", taken),
        polygon=None if polygon is None else tuple((float(x), float(y)) for x, y in polygon),
        point=None if point is None else (float(point[0]), float(point[1])),
        residents=residents,
        flats=flats,
        household_size=household_size,
        housing=housing,
        note=note,
    )
    return scenario.with_edit(edit)


def add_street_between(
    scenario: Scenario,
    line: Iterable[LonLat],
    *,
    kind: str = "footway",
    snap_m: float = DEFAULT_SNAP_M,
    note: str = "",
    taken: Iterable[str] = (),
) -> Scenario:
    """Return the scenario with a walkable segment along ``line`` (joined at its ends)."""
    edit = AddStreet(
        id=new_edit_id(scenario, f"new-{kind}", taken),
        line=tuple((float(x), float(y)) for x, y in line),
        kind=kind,
        snap_m=snap_m,
        note=note,
    )
    return scenario.with_edit(edit)
