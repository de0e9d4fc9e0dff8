"""The in-memory town: immutable metadata plus GeoDataFrames in the metric analysis CRS."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from planner.errors import Issue
from planner.events.table import empty_events
from planner.norms.model import DEFAULT_NORM_SET


@dataclass(frozen=True, slots=True)
class TownMeta:
    """The contents of ``town.toml``.

    Attributes
    ----------
    name, name_ru
        Town name in English and Russian.
    population
        Official resident population that the residential layer must add up to.
    population_year, population_source
        When and where that figure comes from.
    crs
        The metric CRS all analysis runs in (e.g. ``"EPSG:32634"``).
    size_class
        Settlement size class under SP 42.13330.2016 (e.g. ``"small"``: up to 50,000).
    attribution
        The licence and attribution line every map and export carries.
    attribution_ru, population_source_ru
        The same in Russian (optional, ``""`` when ``town.toml`` gives none: the English text
        is shown); ``planner.presentation.words.town_attribution`` picks one.
    default_norms
        The norm set used when the user names none.
    timezone
        The IANA time zone of local times in event files (e.g. ``"Europe/Kaliningrad"``);
        ``""`` when ``town.toml`` names none.
    """

    name: str
    name_ru: str
    population: int
    population_year: int
    population_source: str
    crs: str
    size_class: str
    attribution: str
    default_norms: str = DEFAULT_NORM_SET
    timezone: str = ""
    attribution_ru: str = ""
    population_source_ru: str = ""


@dataclass(frozen=True, slots=True)
class Town:
    """One town, loaded and validated, every layer in ``meta.crs`` and indexed by nothing special.

    The frames are shared, read-only inputs: functions that edit a town (scenarios) build a new
    ``Town`` with copies rather than mutating these.

    Attributes
    ----------
    folder
        The town folder it was loaded from.
    meta
        Metadata from ``town.toml``.
    boundary, residential, facilities, streets
        Required layers (columns as in ``planner.layers.LAYER_SPECS``).
    water, rail, districts
        Optional layers; an absent file gives an empty frame with the layer's columns.
    warnings
        Non-blocking issues found while loading (e.g. a polygon facility reduced to a point).
    events
        The cultural programme (``planner.events.table``; no rows when the folder has none).
    """

    folder: Path
    meta: TownMeta
    boundary: gpd.GeoDataFrame
    residential: gpd.GeoDataFrame
    facilities: gpd.GeoDataFrame
    streets: gpd.GeoDataFrame
    water: gpd.GeoDataFrame
    rail: gpd.GeoDataFrame
    districts: gpd.GeoDataFrame
    warnings: tuple[Issue, ...] = field(default=())
    events: pd.DataFrame = field(default_factory=empty_events)

    def layer(self, name: str) -> gpd.GeoDataFrame:
        """Return a layer by its name in the data contract.

        Raises
        ------
        ValueError
            If ``name`` is not a layer name; the message lists the valid ones.
        """
        frames = {
            "boundary": self.boundary,
            "residential": self.residential,
            "facilities": self.facilities,
            "streets": self.streets,
            "water": self.water,
            "rail": self.rail,
            "districts": self.districts,
        }
        if name not in frames:
            msg = f"Unknown layer {name!r}; valid layers: {', '.join(frames)}."
            raise ValueError(msg)
        return frames[name]
