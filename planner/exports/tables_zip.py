"""The analysis tables as CSV files in one ZIP archive, with the stamp as ``stamp.csv``.

The tables are those ``planner analyze`` writes (``planner.exports.data.analysis_tables``:
stable English column names for programs, UTF-8 with a byte-order mark so that Excel reads
Cyrillic, lon/lat in EPSG:4326, unknown and unreachable values empty). One archive keeps the
set together as one download; ``stamp.csv`` (``key``, ``value``) says what it was computed
from. Entries carry the stamp's date, so the archive is reproducible byte for byte.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd

from planner.analysis import TownAnalysis
from planner.exports.data import CSV_ENCODING, analysis_tables, finite_or_empty
from planner.exports.stamp import ExportStamp, stamp_rows

__all__ = ["STAMP_FILE", "csv_bytes", "write_tables_zip"]

STAMP_FILE = "stamp.csv"


def csv_bytes(table: pd.DataFrame) -> bytes:
    """Return a table as ``write_csv`` writes it: UTF-8 with a BOM, unknown values empty."""
    return finite_or_empty(table).to_csv(index=False).encode(CSV_ENCODING)


def write_tables_zip(analysis: TownAnalysis, stamp: ExportStamp, path: Path) -> None:
    """Write the CSV tables and ``stamp.csv`` into a ZIP archive at ``path``."""
    files = {f"{name}.csv": csv_bytes(t) for name, t in analysis_tables(analysis).items()}
    files[STAMP_FILE] = csv_bytes(pd.DataFrame(stamp_rows(stamp), columns=["key", "value"]))
    moment = (stamp.date.year, stamp.date.month, stamp.date.day, 0, 0, 0)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=moment)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    path.write_bytes(buffer.getvalue())
