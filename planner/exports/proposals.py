"""Residents' proposals written as CSV or GeoJSON, atomically, contact details only when asked.

The frame comes from ``planner.participation.summary.proposal_frame``, which leaves the
``contact`` column out unless ``with_contact=True``: what is not in the frame cannot leak.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from planner.errors import PlannerError
from planner.exports.data import write_csv
from planner.fileio import write_atomic

__all__ = ["export_proposals"]


def export_proposals(frame: gpd.GeoDataFrame, path: Path) -> Path:
    """Write proposals to ``path``: ``.csv`` (UTF-8 with BOM) or ``.geojson`` (EPSG:4326).

    Raises
    ------
    PlannerError
        If the file name ends in neither.
    """
    suffix = path.suffix.lower()
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        return write_csv(pd.DataFrame(frame.drop(columns="geometry")), path)
    if suffix in {".geojson", ".json"}:
        return write_atomic(path, lambda tmp: frame.to_file(tmp, driver="GeoJSON"))
    msg = f"Cannot write proposals to {path.name}: give a .csv or .geojson file name."
    raise PlannerError(msg)
