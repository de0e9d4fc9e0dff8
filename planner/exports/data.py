"""Exports of an analysis: a GeoPackage for GIS users and CSV tables for spreadsheets.

The GeoPackage stays in the analysis CRS (EPSG:32634 for Gusev), recorded in the file; CSV files
are UTF-8 with a byte-order mark so that Excel shows Cyrillic, with lon/lat in EPSG:4326 where a
row has a place. Every file is written atomically.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from planner.analysis import TownAnalysis
from planner.config import DISPLAY_CRS
from planner.figures import district_figures, summary_table
from planner.fileio import write_atomic
from planner.presentation.words import requirement_reason, service_label, zone_clause

GPKG_LAYERS: dict[str, str] = {
    "residential_coverage": "one row per residential unit and service: nearest facility, "
    "network and straight-line distance, walking time, the two norm tests, demand and how it "
    "is served",
    "facilities": "facilities with their capacity, assigned load and load share per service",
    "catchments": "per facility, the area reachable on foot within the walking limit",
    "radius_circles": "per facility, the normative straight-line radius",
    "gap_zones": "clusters of homes whose demand is not met within the norm, with residents, "
    "unmet places, the districts they span and the suggested standard project sizes",
    "links": "who is served by whom: a line from each unit to each facility serving it",
    "boundary": "the town boundary",
}
"""Layers of the analysis GeoPackage and what each holds (documented in the README too)."""

CSV_ENCODING = "utf-8-sig"

TABLE_NAMES = (
    "service_summary",
    "district_summary",
    "coverage",
    "gap_zones",
    "requirements",
    "facilities",
)
"""The CSV tables of an analysis, written as ``<name>.csv``."""

RESULT_FILES = ("analysis.gpkg", *(f"{name}.csv" for name in TABLE_NAMES))
"""Every file of an analysis result set (``planner analyze --out``), besides its manifest."""


def coverage_frame(analysis: TownAnalysis) -> gpd.GeoDataFrame:
    """Return the long coverage table with demand and provision per unit, on unit polygons."""
    cov = analysis.coverage.copy()
    parts = []
    for key, result in analysis.services.items():
        rows = cov[cov["service"] == key]
        if result.provision is not None:
            units = result.provision.units.set_index("unit_id")
            columns = ["demand", "served_within", "served_beyond", "unserved", "status"]
            rows = rows.join(units[columns], on="unit_id")
        for name, fca in (("fca_2sfca", result.fca), ("fca_e2sfca", result.e2sfca)):
            if fca is not None:
                rows = rows.join(fca.unit_ratio.rename(name), on="unit_id")
        parts.append(rows)
    table = pd.concat(parts, ignore_index=True) if parts else cov
    geometry = analysis.town.residential.set_index("id").geometry
    return gpd.GeoDataFrame(
        table,
        geometry=geometry.reindex(table["unit_id"]).to_numpy(),
        crs=analysis.town.residential.crs,
    )


def facilities_frame(analysis: TownAnalysis) -> gpd.GeoDataFrame:
    """Return every facility with its assigned load, load share and served residents."""
    facilities = analysis.town.facilities.copy()
    loads = [
        r.provision.facilities.assign(service=key)
        for key, r in analysis.services.items()
        if r.provision is not None
    ]
    if loads:
        load = pd.concat(loads, ignore_index=True).set_index("facility_id")
        for column in ("load", "load_within", "load_share"):
            facilities[column] = load[column].reindex(facilities["id"]).to_numpy()
        # A real boolean, empty (NULL) where unknown: a facility of a service not analysed.
        facilities["is_full"] = pd.array(
            load["is_full"].reindex(facilities["id"]).to_numpy(), dtype="boolean"
        )
    return facilities


def links_frame(analysis: TownAnalysis) -> gpd.GeoDataFrame:
    """Return the served links as lines from unit representative points to facilities."""
    net = analysis.network
    frames = []
    for key, result in analysis.services.items():
        if result.provision is None or result.provision.links.empty:
            continue
        links = result.provision.links.assign(service=key)
        origin = net.origins.xy[net.origins.positions(links["unit_id"].to_numpy(dtype=object))]
        dest = net.destinations.xy[
            net.destinations.positions(links["facility_id"].to_numpy(dtype=object))
        ]
        lines = shapely.linestrings(np.stack([origin, dest], axis=1))
        frames.append(gpd.GeoDataFrame(links, geometry=lines, crs=net.graph.crs))
    crs = analysis.town.residential.crs
    if not frames:
        return gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs=crs), crs=crs)
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=crs)


def service_layers(analysis: TownAnalysis, attribute: str) -> gpd.GeoDataFrame:
    """Concatenate a per-service GeoDataFrame attribute (catchments, radius_circles, gap_zones)."""
    crs = analysis.town.residential.crs
    frames = [
        getattr(r, attribute).assign(service=key)
        for key, r in analysis.services.items()
        if getattr(r, attribute) is not None and len(getattr(r, attribute))
    ]
    if not frames:
        return gpd.GeoDataFrame(
            {"service": pd.Series(dtype="str")}, geometry=gpd.GeoSeries([], crs=crs), crs=crs
        )
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=crs)


def export_geopackage(analysis: TownAnalysis, path: Path) -> Path:
    """Write the analysis layers (``GPKG_LAYERS``) to one GeoPackage, atomically.

    Parameters
    ----------
    analysis
        The analysis to export.
    path
        The ``.gpkg`` file to write (replaced if it exists).

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    layers = geopackage_layers(analysis)
    return write_atomic(path, lambda tmp: write_geopackage_layers(layers, tmp))


def geopackage_layers(analysis: TownAnalysis) -> dict[str, gpd.GeoDataFrame]:
    """Return the layers of the analysis GeoPackage by name (``GPKG_LAYERS``), in order."""
    return {
        "residential_coverage": coverage_frame(analysis),
        "facilities": facilities_frame(analysis),
        "catchments": service_layers(analysis, "catchments"),
        "radius_circles": service_layers(analysis, "radius_circles"),
        "gap_zones": gap_zones_frame(analysis),
        "links": links_frame(analysis),
        "boundary": analysis.town.boundary,
    }


def write_geopackage_layers(layers: dict[str, gpd.GeoDataFrame], path: Path) -> None:
    """Write non-empty layers into the GeoPackage at ``path`` (not atomic: a staging path)."""
    for name, frame in layers.items():
        if len(frame):
            _for_gpkg(frame).to_file(path, layer=name, driver="GPKG")


def export_tables(analysis: TownAnalysis, folder: Path) -> list[Path]:
    """Write the CSV summaries into ``folder`` and return their paths.

    Files: ``service_summary.csv``, ``district_summary.csv`` (all services), ``coverage.csv``
    (long, with lon/lat of each unit), ``gap_zones.csv``, ``requirements.csv`` and
    ``facilities.csv`` (with lon/lat).
    """
    return [
        write_csv(table, folder / f"{name}.csv")
        for name, table in analysis_tables(analysis).items()
    ]


def analysis_tables(analysis: TownAnalysis) -> dict[str, pd.DataFrame]:
    """Return the CSV tables of an analysis by name (lists already written as JSON arrays)."""
    tables: dict[str, pd.DataFrame] = {
        "service_summary": summary_table(analysis),
        "district_summary": pd.concat(
            [district_figures(analysis, k) for k in analysis.services], ignore_index=True
        )
        if analysis.services
        else pd.DataFrame(),
        "coverage": _with_lonlat(coverage_frame(analysis)),
        "gap_zones": _with_lonlat(gap_zones_frame(analysis)),
        "requirements": requirements_frame(analysis),
        "facilities": _with_lonlat(facilities_frame(analysis)),
    }
    return {name: _flat_lists(table) for name, table in tables.items()}


def gap_zones_frame(analysis: TownAnalysis) -> gpd.GeoDataFrame:
    """Return the gap zones of every service with the clause behind each (English)."""
    zones = service_layers(analysis, "gap_zones")
    if zones.empty:
        return zones
    norms = analysis.norms
    clauses = [zone_clause(norms.service(str(s)), "en") for s in zones["service"]]
    return zones.assign(clause=clauses)


def requirements_frame(analysis: TownAnalysis) -> pd.DataFrame:
    """Return the required/existing/missing counts with each service's label and reason."""
    req = analysis.requirements
    norms = analysis.norms
    population = analysis.town.meta.population
    return req.assign(
        label=[service_label(norms, str(k), "en") for k in req["service"]],
        reason=[
            requirement_reason(norms.service(str(k)), int(n), population, "en")
            for k, n in zip(req["service"], req["required"], strict=True)
        ],
    )


def _flat_lists(table: pd.DataFrame) -> pd.DataFrame:
    """Write tuple/list cells (a zone's district ids, project sizes) as JSON arrays.

    GeoPackage and CSV have no list type; a JSON array (``[320, 80]``, ``["west", "east"]``)
    is what GDAL itself writes for list fields, and any tool can read it back.
    """
    out = table.copy()
    for column in out.columns:
        values = out[column]
        if values.dtype == object and values.map(lambda v: isinstance(v, tuple | list)).any():
            out[column] = values.map(
                lambda v: (
                    json.dumps(list(v), ensure_ascii=False) if isinstance(v, tuple | list) else v
                )
            )
    return out


def write_csv(table: pd.DataFrame, path: Path) -> Path:
    """Write a table as UTF-8 CSV with a byte-order mark (Excel reads Cyrillic), atomically.

    Unknown and unreachable values (NaN, infinite distances) are empty cells, as they are NULL
    in the GeoPackage.
    """
    table = finite_or_empty(table)
    return write_atomic(path, lambda tmp: table.to_csv(tmp, index=False, encoding=CSV_ENCODING))


def finite_or_empty(table: pd.DataFrame) -> pd.DataFrame:
    """Return ``table`` with infinities in float columns replaced by NaN (written as empty)."""
    floats = [c for c in table.columns if pd.api.types.is_float_dtype(table[c].dtype)]
    if not floats:
        return table
    out = table.copy()
    out[floats] = out[floats].replace([np.inf, -np.inf], np.nan)
    return out


def _with_lonlat(frame: gpd.GeoDataFrame) -> pd.DataFrame:
    """Drop the geometry, adding lon/lat (EPSG:4326) of a point on each feature."""
    if frame.empty:
        return pd.DataFrame(frame.drop(columns="geometry", errors="ignore"))
    points = frame.geometry.representative_point().to_crs(DISPLAY_CRS)
    table = pd.DataFrame(frame.drop(columns="geometry"))
    table["lon"] = points.x.round(7).to_numpy()
    table["lat"] = points.y.round(7).to_numpy()
    return table


def _for_gpkg(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Make columns GDAL can store with their type.

    Lists become JSON arrays; booleans (NULL when unknown) stay booleans; other objects become
    text; missing values and infinities become NULL.
    """
    out = _flat_lists(frame)
    for column in out.columns:
        if column == out.geometry.name:
            continue
        values = out[column]
        if values.dtype == object:
            present = values[values.notna()]
            if len(present) and present.map(lambda v: isinstance(v, bool | np.bool_)).all():
                out[column] = values.astype("boolean")
            else:
                out[column] = values.map(_as_text)
        elif pd.api.types.is_float_dtype(values.dtype):
            out[column] = values.replace([np.inf, -np.inf], np.nan)
    return out


def _as_text(value: object) -> str | None:
    """Return text for the GeoPackage; NaN / NA become NULL, never the text "nan"."""
    if value is None or isinstance(value, str):
        return value
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float | np.floating) and np.isnan(value):
        return None
    return str(value)
