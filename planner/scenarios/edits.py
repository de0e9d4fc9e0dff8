"""The scenario model: a named, ordered tuple of edits, each an immutable value.

Positions are longitude/latitude in degrees (EPSG:4326), as in the town's GeoJSON files, so a
scenario file reads the same as the map a person clicked on; applying converts them to the
town's metric CRS. Every edit carries a ``note`` (why: the assumption behind it) and the edits
that add something carry a ``provenance`` (``illustrative`` unless a source says otherwise).

Examples
--------
>>> s = Scenario("Kindergarten north").with_edit(
...     AddFacility(id="kg-new", service="kindergarten", lon=22.20, lat=54.60, capacity=180)
... )
>>> [edit.op for edit in s.edits], s.edits[0].target
(['add_facility'], 'kg-new')
>>> s.without_edit(0).edits
()
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import ClassVar

from planner.norms import FrozenMap

__all__ = [
    "DEFAULT_SNAP_M",
    "EDIT_TYPES",
    "AddFacility",
    "AddHousing",
    "AddStreet",
    "ChangeFacility",
    "CloseFacility",
    "CloseStreet",
    "Edit",
    "LonLat",
    "MoveFacility",
    "RemoveFacility",
    "Scenario",
]

LonLat = tuple[float, float]

DEFAULT_SNAP_M = 30.0
"""How far a new street's end may lie from the network and still be joined to it, metres."""

_NO_MAP: FrozenMap[str, float] = FrozenMap()


class _Adds:
    """An edit that adds something new to the town, named by its new ``id``."""

    __slots__ = ()
    id: str

    @property
    def target(self) -> str:
        """The id this edit adds."""
        return self.id


class _OnFacility:
    """An edit of one existing (or earlier added) facility, named by ``facility_id``."""

    __slots__ = ()
    facility_id: str

    @property
    def target(self) -> str:
        """The id of the facility this edit is about."""
        return self.facility_id


@dataclass(frozen=True, slots=True)
class AddFacility(_Adds):
    """Build a facility at a point.

    Attributes
    ----------
    id
        A new facility id, unique in the town and the scenario.
    service
        A service key of the norm set (``kindergarten``, ``school``...).
    lon, lat
        Position in degrees (EPSG:4326); must lie inside the town boundary.
    capacity
        Capacity in the unit of the service's norm; None when unknown (counted as unlimited).
    name, name_ru, address
        As in the facilities layer.
    status
        ``existing`` (the default: the scenario's town has it), ``planned`` or ``closed``.
    provenance, source, note
        Where the facility comes from and why it is placed and sized so.
    """

    op: ClassVar[str] = "add_facility"
    id: str
    service: str
    lon: float
    lat: float
    capacity: float | None = None
    name: str = ""
    name_ru: str = ""
    address: str = ""
    status: str = "existing"
    provenance: str = "illustrative"
    source: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class MoveFacility(_OnFacility):
    """Move an existing (or earlier added) facility to another point."""

    op: ClassVar[str] = "move_facility"
    facility_id: str
    lon: float
    lat: float
    note: str = ""


@dataclass(frozen=True, slots=True)
class RemoveFacility(_OnFacility):
    """Take a facility out of the town altogether (it was never there)."""

    op: ClassVar[str] = "remove_facility"
    facility_id: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class CloseFacility(_OnFacility):
    """Close a facility: it stays on the map with status ``closed`` and serves no one."""

    op: ClassVar[str] = "close_facility"
    facility_id: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class ChangeFacility(_OnFacility):
    """Change a facility's capacity, its status, or both (None leaves a value as it is)."""

    op: ClassVar[str] = "change_facility"
    facility_id: str
    capacity: float | None = None
    status: str | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class AddHousing(_Adds):
    """Add a residential development: an area (polygon) or a building (point).

    Residents are given directly (``residents``) or as ``flats`` times a household size
    (``household_size``, default ``planner.scenarios.housing.DEFAULT_HOUSEHOLD_SIZE``). Age
    cohorts are head counts (``cohorts``, adding up to the residents) or shares
    (``cohort_shares``, adding up to 1); without either, the new residents get the age
    structure of the town's existing residents.

    Attributes
    ----------
    id
        A new residential unit id.
    polygon
        The outline as (lon, lat) pairs (the ring need not repeat its first point).
    point
        A point instead of an outline; drawn as a small square around it.
    residents, flats, household_size
        How many people live there (see above).
    cohorts, cohort_shares
        Age cohorts by ``planner.layers.COHORT_COLUMNS`` name.
    housing
        ``apartment``, ``low_rise`` or ``mixed``.
    district
        A district id; None puts the unit in the district that contains it.
    name, provenance, source, note
        Description and why it is assumed so.
    """

    op: ClassVar[str] = "add_housing"
    id: str
    polygon: tuple[LonLat, ...] | None = None
    point: LonLat | None = None
    residents: int | None = None
    flats: int | None = None
    household_size: float | None = None
    cohorts: FrozenMap[str, float] = field(default=_NO_MAP)
    cohort_shares: FrozenMap[str, float] = field(default=_NO_MAP)
    housing: str = "apartment"
    district: str | None = None
    name: str = ""
    provenance: str = "illustrative"
    source: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class AddStreet(_Adds):
    """Add a walkable segment (footpath, footbridge, bridge, crossing) joined at its ends.

    Each end within ``snap_m`` of the network is joined to it: to the nearest street vertex
    when one is that close, else to the nearest point of the nearest street, which is split
    there. An end farther away is left loose and reported; a segment with neither end joined
    is refused.
    """

    op: ClassVar[str] = "add_street"
    id: str
    line: tuple[LonLat, ...]
    kind: str = "footway"
    name: str = ""
    snap_m: float = DEFAULT_SNAP_M
    provenance: str = "illustrative"
    note: str = ""


@dataclass(frozen=True, slots=True)
class CloseStreet:
    """Close a street segment: it leaves the walking network."""

    op: ClassVar[str] = "close_street"
    street_id: str
    note: str = ""

    @property
    def target(self) -> str:
        """The id this edit closes."""
        return self.street_id


Edit = (
    AddFacility
    | MoveFacility
    | RemoveFacility
    | CloseFacility
    | ChangeFacility
    | AddHousing
    | AddStreet
    | CloseStreet
)

EDIT_TYPES: dict[str, type[Edit]] = {
    cls.op: cls
    for cls in (
        AddFacility,
        MoveFacility,
        RemoveFacility,
        CloseFacility,
        ChangeFacility,
        AddHousing,
        AddStreet,
        CloseStreet,
    )
}
"""Edit classes by their ``op`` (the ``op`` key of a scenario file's ``[[edits]]``)."""


@dataclass(frozen=True, slots=True)
class Scenario:
    """A named, ordered list of edits to a town; a value (hashable, never changed in place).

    Attributes
    ----------
    name
        A name people recognise (unique in a scenario store).
    edits
        The edits, applied in this order.
    description
        What the scenario is about and what is assumed.
    author
        Who made it.
    town
        The name of the town it was made for (a mismatch is reported, not refused).
    """

    name: str
    edits: tuple[Edit, ...] = ()
    description: str = ""
    author: str = ""
    town: str = ""

    def with_edit(self, edit: Edit) -> Scenario:
        """Return the scenario with ``edit`` appended."""
        return replace(self, edits=(*self.edits, edit))

    def without_edit(self, index: int) -> Scenario:
        """Return the scenario without the edit at ``index`` (counting from 0)."""
        self._check_index(index)
        return replace(self, edits=self.edits[:index] + self.edits[index + 1 :])

    def replace_edit(self, index: int, edit: Edit) -> Scenario:
        """Return the scenario with the edit at ``index`` (counting from 0) replaced."""
        self._check_index(index)
        return replace(self, edits=(*self.edits[:index], edit, *self.edits[index + 1 :]))

    def renamed(self, name: str) -> Scenario:
        """Return the scenario under another name."""
        return replace(self, name=name)

    def targets(self) -> list[str]:
        """Return the id every edit adds or targets, in order."""
        return [edit.target for edit in self.edits]

    def _check_index(self, index: int) -> None:
        if not 0 <= index < len(self.edits):
            msg = f"Scenario {self.name!r} has {len(self.edits)} edit(s); no edit at {index}."
            raise IndexError(msg)
