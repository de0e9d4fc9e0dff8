"""What an OpenStreetMap import is asked to do and what it reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import shapely

from planner.errors import Issue, PlannerError
from planner.norms.model import DEFAULT_NORM_SET
from planner.osm.merge import MergeReport
from planner.osm.population import ResidentialAssumptions

DEFAULT_MARGIN_M = 300.0
"""Streets are kept this far beyond the boundary, so homes at the edge reach facilities around
the outside of town and the network does not end at an arbitrary line."""


class OsmImportError(PlannerError, ValueError):
    """The extract and the boundary do not give a usable town (nothing inside, bad options)."""


def require_file(what: str, path: Path) -> None:
    """Raise ``OsmImportError`` unless ``path`` is an existing file (``what`` names the option).

    Called before the extract is read, so a mistyped path is reported in a second, not after
    minutes of reading.
    """
    if not path.is_file():
        state = "is a folder, not a file" if path.is_dir() else "does not exist"
        msg = f"{what} {path} {state}; check the path."
        raise OsmImportError(msg)


@dataclass(frozen=True, slots=True)
class Boundary:
    """The town boundary in lon/lat, with its provenance and source for ``boundary.geojson``."""

    shape: shapely.Geometry
    provenance: str
    source: str


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """Choices of an import; every default is documented in docs/osm-import.md.

    Attributes
    ----------
    name, name_ru
        Town name (``name_ru`` defaults to ``name`` when that is Cyrillic, else "").
    population
        The official total to scale residents to; ``None`` keeps the floor-area estimate.
    population_year
        Year of that figure; default the extract's year.
    margin_m
        How far beyond the boundary streets are kept.
    norms
        The norm set the facilities are checked against and the town's default.
    assumptions
        Defaults of the population estimate.
    keep_facilities
        A curated facilities layer to keep (matched to OSM facilities by ``planner.osm.merge``).
    overwrite
        Replace the layers of an existing town folder.
    """

    name: str
    name_ru: str = ""
    population: int | None = None
    population_year: int | None = None
    margin_m: float = DEFAULT_MARGIN_M
    norms: str = DEFAULT_NORM_SET
    assumptions: ResidentialAssumptions = field(default_factory=ResidentialAssumptions)
    keep_facilities: Path | None = None
    overwrite: bool = False


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import wrote and found.

    Attributes
    ----------
    folder
        The town folder written.
    timestamp, timestamp_basis
        When the extract's data are from, and whether the header or the newest object says so.
    layer_counts
        Features written per layer.
    street_components, largest_component_share
        Connected pieces of the walking network, and the share of nodes in the largest.
    incomplete_relations
        Multipolygon relations that could not be built (members missing from the extract).
    merged_duplicates
        Facilities mapped twice (grounds and building), merged into one.
    untagged_levels
        Residential buildings whose number of levels was assumed.
    estimated_population, population, scale_factor
        The floor-area estimate, the total written, and the factor between them.
    facilities_by_service
        Facilities written per service.
    capacity_estimates
        Facilities whose capacity is estimated.
    merge
        The curated-facilities match report, when a curated layer was kept.
    issues
        Everything ``check_town`` reported on the written folder.
    """

    folder: Path
    timestamp: str
    timestamp_basis: str
    layer_counts: dict[str, int]
    street_components: int
    largest_component_share: float
    incomplete_relations: list[str]
    merged_duplicates: list[str]
    untagged_levels: int
    estimated_population: float
    population: int
    scale_factor: float
    facilities_by_service: dict[str, int]
    capacity_estimates: int
    merge: MergeReport | None
    issues: list[Issue]

    @property
    def errors(self) -> list[Issue]:
        """The blocking issues of the written folder (none when the import is usable)."""
        return [i for i in self.issues if i.severity == "error"]
