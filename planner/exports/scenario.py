"""Exports of a scenario comparison: a GeoPackage of gained / lost layers and CSV tables.

Same conventions as ``planner.exports.data``: the GeoPackage in the analysis CRS, CSV in UTF-8
with a byte-order mark and lon/lat in EPSG:4326 where a row has a place, every file atomic.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from planner.exports.data import _for_gpkg, _with_lonlat, write_csv
from planner.fileio import write_atomic
from planner.scenarios.compare import ScenarioComparison
from planner.scenarios.toml_format import scenario_to_toml

__all__ = ["COMPARISON_LAYERS", "export_comparison"]

COMPARISON_LAYERS: dict[str, str] = {
    "unit_changes": "one row per residential unit and service: before / after distance, "
    "walking-limit test, demand and places served within the norm, and the change "
    "(gained, lost, unchanged, new)",
    "facility_changes": "facilities of the compared services after the scenario (removed ones "
    "where they were), with the change and the capacity and load before / after",
    "facility_moves": "a line from where each moved facility was to where it goes",
    "street_changes": "streets the scenario adds or closes",
    "boundary": "the town boundary",
}
"""Layers of ``comparison.gpkg`` and what each holds."""


def export_comparison(comparison: ScenarioComparison, folder: Path) -> list[Path]:
    """Write ``comparison.gpkg``, the CSV tables and the scenario's TOML into ``folder``.

    Returns
    -------
    list of Path
        The files written: ``comparison.gpkg``, ``service_changes.csv``,
        ``district_changes.csv``, ``facility_changes.csv``, ``unit_changes.csv``,
        ``scenario.toml``.
    """
    folder.mkdir(parents=True, exist_ok=True)
    units = pd.concat(
        [comparison.unit_layer(k) for k in comparison.service_keys], ignore_index=True
    )
    units = gpd.GeoDataFrame(units, geometry="geometry", crs=comparison.crs)
    layers = {
        "unit_changes": units,
        "facility_changes": comparison.facility_layer(),
        "facility_moves": comparison.move_layer(),
        "street_changes": comparison.street_layer(),
        "boundary": comparison.applied.town.boundary,
    }

    def write(tmp: Path) -> None:
        for name, frame in layers.items():
            if len(frame):
                _for_gpkg(frame).to_file(tmp, layer=name, driver="GPKG")

    written = [write_atomic(folder / "comparison.gpkg", write)]
    tables = {
        "service_changes": comparison.services,
        "district_changes": comparison.districts,
        "facility_changes": _with_lonlat(layers["facility_changes"]),
        "unit_changes": _with_lonlat(units),
    }
    written += [write_csv(table, folder / f"{name}.csv") for name, table in tables.items()]
    text = scenario_to_toml(comparison.applied.scenario)
    written.append(
        write_atomic(folder / "scenario.toml", lambda tmp: tmp.write_text(text, encoding="utf-8"))
    )
    return written
