"""CRS guards and conversions: measuring needs metres, display needs lon/lat."""

from __future__ import annotations

import geopandas as gpd

from planner.config import DISPLAY_CRS
from planner.errors import CrsError


def require_projected(frame: gpd.GeoDataFrame | gpd.GeoSeries, what: str) -> None:
    """Raise unless ``frame`` has a projected (metric) CRS.

    Parameters
    ----------
    frame
        The data about to be measured.
    what
        A name for the data, used in the message.

    Raises
    ------
    CrsError
        If the CRS is missing or geographic.
    """
    if frame.crs is None:
        msg = f"{what} has no CRS. Set one with .set_crs(...) before measuring."
        raise CrsError(msg)
    if not frame.crs.is_projected:
        msg = (
            f"{what} is in {frame.crs.to_string()}, a geographic CRS in degrees; distances need "
            "metres. Reproject with .to_crs(town.meta.crs) (e.g. EPSG:32634 for Gusev)."
        )
        raise CrsError(msg)


def to_display_crs(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return a copy of ``frame`` in lon/lat (EPSG:4326) for maps and CSV columns."""
    return frame.to_crs(DISPLAY_CRS)
