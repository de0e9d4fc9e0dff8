"""The data contract of a town folder: which layers exist and what each must hold.

One ``LayerSpec`` per GeoJSON layer. The validator, the loader, the model generator and the
OpenStreetMap importer all read this registry, so the contract is written down once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ColumnKind = Literal["str", "int", "float", "bool"]

PROVENANCES: tuple[str, ...] = ("osm", "verified", "approximate", "modelled", "illustrative")
"""Allowed ``provenance`` values, from most to least certain (docs/architecture.md)."""

MODELLED_PROVENANCES: frozenset[str] = frozenset({"modelled", "illustrative"})
"""Provenances that stand in for what is not known: counted as 'modelled' in the UI and exports."""

HOUSING_TYPES: tuple[str, ...] = ("apartment", "low_rise", "mixed")
FACILITY_STATUSES: tuple[str, ...] = ("existing", "planned", "closed")
CAPACITY_BASES: tuple[str, ...] = ("source", "estimate", "unknown")

COHORT_COLUMNS: tuple[str, ...] = ("pop_0_6", "pop_7_17", "pop_18_64", "pop_65_plus")
"""Optional age-cohort head counts on residential units; when present they sum to ``population``."""


@dataclass(frozen=True, slots=True)
class LayerSpec:
    """What one layer of a town folder must contain.

    Attributes
    ----------
    name
        Layer name; the file is ``<name>.geojson``.
    geometry_types
        Allowed geometry types (shapely ``geom_type``).
    columns
        Required columns and their kinds.
    optional_columns
        Columns that are checked when present.
    required
        Whether the file must exist.
    has_provenance
        Whether every feature must carry a ``provenance`` from ``PROVENANCES``.
    """

    name: str
    geometry_types: tuple[str, ...]
    columns: tuple[tuple[str, ColumnKind], ...]
    optional_columns: tuple[tuple[str, ColumnKind], ...] = ()
    required: bool = True
    has_provenance: bool = True

    @property
    def filename(self) -> str:
        """The file name of the layer inside a town folder."""
        return f"{self.name}.geojson"


_POLYGONS = ("Polygon", "MultiPolygon")
_LINES = ("LineString", "MultiLineString")

LAYER_SPECS: dict[str, LayerSpec] = {
    spec.name: spec
    for spec in (
        LayerSpec(
            "boundary",
            _POLYGONS,
            (("id", "str"), ("name", "str"), ("provenance", "str"), ("source", "str")),
        ),
        LayerSpec(
            "residential",
            _POLYGONS,
            (
                ("id", "str"),
                ("population", "int"),
                ("housing", "str"),
                ("district", "str"),
                ("provenance", "str"),
            ),
            optional_columns=(*((c, "int") for c in COHORT_COLUMNS), ("source", "str")),
        ),
        LayerSpec(
            "facilities",
            ("Point", *_POLYGONS),
            (
                ("id", "str"),
                ("service", "str"),
                ("name", "str"),
                ("name_ru", "str"),
                ("address", "str"),
                ("capacity", "float"),
                ("status", "str"),
                ("provenance", "str"),
                ("source", "str"),
            ),
            optional_columns=(("capacity_basis", "str"), ("note", "str")),
        ),
        LayerSpec(
            "streets",
            _LINES,
            (("id", "str"), ("kind", "str"), ("name", "str"), ("provenance", "str")),
        ),
        LayerSpec(
            "water",
            (*_POLYGONS, *_LINES),
            (("id", "str"), ("name", "str"), ("provenance", "str")),
            required=False,
        ),
        LayerSpec(
            "rail",
            _LINES,
            (("id", "str"), ("name", "str"), ("provenance", "str")),
            required=False,
        ),
        LayerSpec(
            "districts",
            _POLYGONS,
            (("id", "str"), ("name", "str"), ("name_ru", "str"), ("provenance", "str")),
            required=False,
        ),
    )
}
"""Every layer a town folder may hold, by name."""


# -- The events table (optional): the cultural programme of the town's venues ------------------

EVENT_CATEGORIES: tuple[str, ...] = (
    "exhibition",
    "workshop",
    "concert",
    "screening",
    "master_class",
    "festival",
    "other",
)
"""Kinds of event, as the Technopolis GS statement names them, plus ``other``."""

EVENT_AUDIENCES: tuple[str, ...] = ("children", "adults", "elderly", "all")
"""Whom an event is for; ``all`` is everyone (a family concert, a festival)."""

EVENT_PRICES: tuple[str, ...] = ("free", "paid", "unknown")
"""Whether an event costs money to attend (``unknown`` when the source does not say)."""

EVENT_FILES: tuple[str, ...] = ("events.csv", "events.ics")
"""Files of a town folder that hold events; either, both or none may be present."""


@dataclass(frozen=True, slots=True)
class TableSpec:
    """What a table without geometry (a CSV file) of a town folder must contain.

    Attributes
    ----------
    name
        Table name; the file is ``<name>.csv``.
    columns
        Required columns (a value may still be blank where the column's meaning allows it).
    optional_columns
        Columns that are read when present.
    """

    name: str
    columns: tuple[str, ...]
    optional_columns: tuple[str, ...] = ()

    @property
    def filename(self) -> str:
        """The CSV file name of the table inside a town folder."""
        return f"{self.name}.csv"


EVENTS_SPEC = TableSpec(
    "events",
    ("id", "venue", "title", "category", "audience", "start", "price", "provenance"),
    ("duration_min", "rrule", "exdate", "rdate", "capacity", "source"),
)
"""The events table: one row per event or recurring series (docs/architecture.md)."""
