"""The programme access as a GeoPackage, CSV tables and a workbook.

``programme.gpkg`` (analysis CRS, recorded in the file): ``units`` (blocks with their figures,
one row per unit × audience × walking time), ``venues`` (points), ``deserts`` (zones), the
``boundary`` and the reproducibility stamp (``export_stamp``, as in ``analysis.gpkg``). CSV
(UTF-8 with a byte-order mark, lon/lat in EPSG:4326): ``programme_units.csv``,
``programme_venues.csv``, ``programme_districts.csv``, ``programme_summary.csv``,
``programme_deserts.csv``, ``programme_occurrences.csv`` (every occurrence of the month, with the
event's title and provenance). ``programme.xlsx``: the town's figures, the districts and the
venues with headers in the report's language, and the stamp. Every file is written atomically;
``planner programme --out`` swaps the whole set in at once.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from planner.exports.data import _flat_lists, _for_gpkg, _with_lonlat, write_csv
from planner.exports.gpkg import STAMP_TABLE, gdal_date
from planner.exports.stamp import ExportStamp, stamp_rows
from planner.exports.workbook import stamp_sheet, write_sheets
from planner.fileio import write_atomic
from planner.model import Town
from planner.norms import NormSet
from planner.presentation.programme import (
    programme_district_table,
    programme_summary_table,
    programme_venue_table,
)
from planner.presentation.words import Lang, month_label, t
from planner.programme.access import ProgrammeAccess

__all__ = [
    "PROGRAMME_FILES",
    "PROGRAMME_LAYERS",
    "export_programme",
    "programme_tables",
    "programme_workbook",
    "programme_xlsx_bytes",
    "write_programme_xlsx",
]

PROGRAMME_LAYERS: tuple[str, ...] = ("units", "venues", "deserts", "boundary")
"""Layers of ``programme.gpkg`` (beside the ``export_stamp`` table)."""

PROGRAMME_FILES: tuple[str, ...] = (
    "programme.gpkg",
    "programme_units.csv",
    "programme_venues.csv",
    "programme_districts.csv",
    "programme_summary.csv",
    "programme_deserts.csv",
    "programme_occurrences.csv",
    "programme.xlsx",
)
"""Every file ``export_programme`` writes."""


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


def programme_workbook(
    result: ProgrammeAccess, town: Town, norms: NormSet, lang: Lang, stamp: ExportStamp
) -> list[tuple[str, pd.DataFrame]]:
    """Return the sheets of ``programme.xlsx`` as (title, table).

    The town's figures per audience and walking time, the districts (everyone), the venues and
    the stamp.
    """
    return [
        (t("programme.xlsx.summary", lang), programme_summary_table(result, lang)),
        (t("programme.xlsx.districts", lang), programme_district_table(result, town, lang)),
        (t("programme.xlsx.venues", lang), programme_venue_table(result, town, norms, lang)),
        stamp_sheet(stamp, lang),
    ]


def export_programme(
    result: ProgrammeAccess,
    town: Town,
    folder: Path,
    *,
    norms: NormSet,
    lang: Lang,
    stamp: ExportStamp,
) -> list[Path]:
    """Write ``PROGRAMME_FILES`` into ``folder`` (created when missing).

    Parameters
    ----------
    result, town
        The programme access and its town.
    folder
        Where to write (``planner programme`` passes the staging folder of the whole set).
    norms
        The norm set (service names of the venues).
    lang
        Language of the workbook's headers and words.
    stamp
        The reproducibility stamp (``planner.exports.stamp.town_stamp``).

    Returns
    -------
    list of Path
        The files written, in ``PROGRAMME_FILES`` order.
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
        with gdal_date(stamp):
            for name, frame in layers.items():
                if len(frame):
                    _for_gpkg(frame).to_file(tmp, layer=name, driver="GPKG")
            stamp_table = pd.DataFrame(stamp_rows(stamp), columns=["key", "value"])
            pyogrio.write_dataframe(stamp_table, tmp, layer=STAMP_TABLE, driver="GPKG")

    written = [write_atomic(folder / "programme.gpkg", write)]
    for name, table in programme_tables(result, town).items():
        written.append(write_csv(table, folder / f"{name}.csv"))
    written.append(
        write_atomic(
            folder / "programme.xlsx",
            lambda tmp: write_programme_xlsx(result, town, norms, lang, stamp, tmp),
        )
    )
    return written


def write_programme_xlsx(
    result: ProgrammeAccess,
    town: Town,
    norms: NormSet,
    lang: Lang,
    stamp: ExportStamp,
    path: Path,
) -> None:
    """Write ``programme.xlsx`` (``programme_workbook``) to ``path``, a staging path."""
    write_sheets(
        programme_workbook(result, town, norms, lang, stamp),
        path,
        title=t("programme.title", lang, month=month_label(result.month, lang)),
        date=stamp.date,
        share_headers={t("programme.col.share_with_events", lang)},
        decimal_headers={
            t(f"programme.col.{c}", lang) for c in ("events_mean", "seats_per_resident")
        },
    )


def programme_xlsx_bytes(
    result: ProgrammeAccess, town: Town, norms: NormSet, lang: Lang, stamp: ExportStamp
) -> bytes:
    """Return ``programme.xlsx`` as bytes: the dashboard's download, equal to the CLI's file."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "programme.xlsx"
        write_programme_xlsx(result, town, norms, lang, stamp, path)
        return path.read_bytes()


def _venue_layer(result: ProgrammeAccess, town: Town) -> gpd.GeoDataFrame:
    facilities = town.facilities[["id", "name", "name_ru", "geometry"]].rename(
        columns={"id": "facility_id"}
    )
    merged = result.venues.merge(facilities, on="facility_id", how="left")
    return gpd.GeoDataFrame(merged, geometry="geometry", crs=town.facilities.crs)
