"""The analysis as a GeoPackage for GIS, with the reproducibility stamp inside.

The layers are those of ``planner analyze`` (``planner.exports.data.GPKG_LAYERS``: in the
analysis CRS, recorded in the file; typed fields; unknown and unreachable values NULL). An
``export_stamp`` attribute table (``key``, ``value``) holds ``planner.exports.stamp.stamp_rows``,
and every ``last_change`` time GDAL records is the stamp's date, so the same analysis and stamp
give the same bytes.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyogrio

from planner.analysis import TownAnalysis
from planner.exports.data import geopackage_layers, write_geopackage_layers
from planner.exports.stamp import ExportStamp, stamp_rows

__all__ = ["STAMP_TABLE", "gdal_date", "write_gpkg"]

STAMP_TABLE = "export_stamp"
"""The GeoPackage attribute table holding the stamp."""


def write_gpkg(analysis: TownAnalysis, stamp: ExportStamp, path: Path) -> None:
    """Write the GeoPackage to ``path`` (a new file: callers pass a staging path).

    Parameters
    ----------
    analysis
        The analysis (already narrowed to the exported service).
    stamp
        The reproducibility stamp.
    path
        A path that does not exist yet, ending in ``.gpkg``.
    """
    layers = geopackage_layers(analysis)
    with gdal_date(stamp):
        write_geopackage_layers(layers, path)
        table = pd.DataFrame(stamp_rows(stamp), columns=["key", "value"])
        pyogrio.write_dataframe(table, path, layer=STAMP_TABLE, driver="GPKG")


@contextlib.contextmanager
def gdal_date(stamp: ExportStamp) -> Iterator[None]:
    """Make GDAL write the stamp's date (midnight UTC) instead of the clock time."""
    key = "OGR_CURRENT_DATE"
    before = pyogrio.get_gdal_config_option(key)
    pyogrio.set_gdal_config_options({key: f"{stamp.date.isoformat()}T00:00:00.000Z"})
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({key: before})
