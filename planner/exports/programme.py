"""The programme access as a GeoPackage and CSV tables, and proposals as CSV or GeoJSON.

``programme.gpkg`` (analysis CRS, recorded in the file): ``units`` (blocks with their figures,
one row per unit × audience × walking time), ``venues`` (points), ``deserts`` (zones) and the
``boundary``. CSV (UTF-8 with a byte-order mark, lon/lat in EPSG:4326): ``programme_units.csv``,
``programme_venues.csv``, ``programme_districts.csv``, ``programme_summary.csv``,
``programme_occurrences.csv`` (every occurrence of the month, with the event's title and
provenance). Everything is written atomically.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from planner.exports.data import _flat_lists, _for_gpkg, _with_lonlat, write_csv
from planner.fileio import write_atomic
from planner.model import Town
from planner.programme.access import ProgrammeAccess

__all__ = ["PROGRAMME_LAYERS", "export_programme", "programme_tables"]

PROGRAMME_LAYERS: tuple[str, ...] = ("units", "venues", "deserts", "boundary")
"""Layers of ``programme.gpkg``."""


def programme_tables(result: ProgrammeAccess, town: Town) -> dict[str, pd.DataFrame]:
    """Return the tables written as CSV, by file stem (plain columns, lon/lat where placed)."""
    events = town.events.set_index("id")
    occurrences = result.occurrences.copy()
    local = occurrences["start"].dt.tz_convert(result.timezone)
    occurrences.insert(1, "title", events["title"].reindex(occurrences["event_id"]).to_numpy())
    occurrences["start_local"] = local.dt.strftime("%Y-%m-%dT%H:%M")
    occurrences["start"] = occurrences["start"].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    occurrences["provenance"] = events["provenance"].reindex(occurrences["event_id"]).to_numpy()
    return {
        "programme_units": result.units.assign(month=result.month),
        "programme_venues": _with_lonlat(_venue_layer(result, town)),
        "programme_districts": result.districts.assign(month=result.month),
        "programme_summary": result.summary.assign(month=result.month),
        "programme_deserts": _flat_lists(_with_lonlat(result.deserts)),
        "programme_occurrences": occurrences,
    }


def export_programme(result: ProgrammeAccess, town: Town, folder: Path) -> list[Path]:
    """Write ``programme.gpkg`` and the CSV tables into ``folder`` (created when missing).

    Returns
    -------
    list of Path
        The files written.
    """
    folder.mkdir(parents=True, exist_ok=True)
    blocks = town.residential[["id", "geometry"]].rename(columns={"id": "unit_id"})
    units = gpd.GeoDataFrame(
        result.units.merge(blocks, on="unit_id", how="left"), geometry="geometry", crs=blocks.crs
    )
    layers = {
        "units": units.assign(month=result.month),
        "venues": _venue_layer(result, town),
        "deserts": result.deserts,
        "boundary": town.boundary,
    }

    def write(tmp: Path) -> None:
        for name, frame in layers.items():
            if len(frame):
                _for_gpkg(frame).to_file(tmp, layer=name, driver="GPKG")

    written = [write_atomic(folder / "programme.gpkg", write)]
    for name, table in programme_tables(result, town).items():
        written.append(write_csv(table, folder / f"{name}.csv"))
    return written


def _venue_layer(result: ProgrammeAccess, town: Town) -> gpd.GeoDataFrame:
    facilities = town.facilities[["id", "name", "name_ru", "geometry"]].rename(
        columns={"id": "facility_id"}
    )
    merged = result.venues.merge(facilities, on="facility_id", how="left")
    return gpd.GeoDataFrame(merged, geometry="geometry", crs=town.facilities.crs)
