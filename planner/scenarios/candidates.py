"""Candidate sites for a new facility: points along the streets, or a user's layer.

Street candidates are spread along the walkable streets at a given spacing, kept only inside
the districts where people live (a kindergarten is not sited in an industrial park), never on
bridges or crossings. A user layer (GeoJSON, GeoPackage...) may hold points or parcels; a
parcel stands for the point on its surface. Either way only sites inside the town boundary
are kept, and each gets an ``id``.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from scipy.spatial import cKDTree

from planner.errors import PlannerError
from planner.model import Town

__all__ = ["DEFAULT_SPACING_M", "CandidateError", "file_candidates", "street_candidates"]

DEFAULT_SPACING_M = 100.0
"""Distance between street candidates, metres (Gusev: about 1,000 sites)."""

NOT_SITES: frozenset[str] = frozenset({"bridge", "footbridge", "crossing"})
"""Street kinds where no facility can stand."""


class CandidateError(PlannerError, ValueError):
    """Candidate sites cannot be made (bad spacing, unreadable file, nothing inside the town)."""


def street_candidates(town: Town, *, spacing_m: float = DEFAULT_SPACING_M) -> gpd.GeoDataFrame:
    """Return candidate sites every ``spacing_m`` along the streets of residential districts.

    Parameters
    ----------
    town
        The town.
    spacing_m
        Distance between neighbouring sites along a street (and the least distance between
        any two sites), metres.

    Returns
    -------
    geopandas.GeoDataFrame
        ``id`` (``site-0001``...) and point geometry in the town's CRS, ordered west to east.

    Raises
    ------
    CandidateError
        If the spacing is not positive or no site falls inside a residential district.
    """
    if not (spacing_m > 0 and np.isfinite(spacing_m)):
        msg = f"The candidate spacing must be a positive number of metres, got {spacing_m}."
        raise CandidateError(msg)
    streets = town.streets
    streets = streets[~streets["kind"].isin(NOT_SITES)]
    lines = shapely.line_merge(shapely.union_all(streets.geometry.to_numpy()))
    parts = shapely.get_parts(lines)
    lengths = shapely.length(parts)
    points = []
    for part, length in zip(parts, lengths, strict=True):
        offsets = np.arange(spacing_m / 2, max(length, spacing_m / 2 + 1e-9), spacing_m)
        offsets = offsets[offsets <= length] if length > spacing_m / 2 else np.array([length / 2])
        points.append(shapely.line_interpolate_point(part, offsets))
    xy = shapely.get_coordinates(np.concatenate(points)) if points else np.zeros((0, 2))
    xy = _thin(xy, spacing_m / 2)
    area = _residential_area(town)
    inside = shapely.covers(area, shapely.points(xy)) if len(xy) else np.zeros(0, dtype=bool)
    xy = xy[inside]
    if not len(xy):
        msg = "No candidate site lies inside a district where people live; lower --spacing-m."
        raise CandidateError(msg)
    return _frame(xy, town.meta.crs, prefix="site")


def file_candidates(path: Path | str, town: Town) -> gpd.GeoDataFrame:
    """Read candidate sites from a vector file of points or polygons (any CRS it declares).

    Returns
    -------
    geopandas.GeoDataFrame
        ``id`` (the file's ``id`` column, else ``site-0001``...) and point geometry in the
        town's CRS; sites outside the town boundary are left out.

    Raises
    ------
    CandidateError
        If the file is unreadable, has no CRS, repeats ids, or has no site inside the town.
    """
    path = Path(path)
    try:
        frame = gpd.read_file(path)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, ValueError) as err:
        msg = f"Cannot read the candidate sites {path} ({err}); give a GeoJSON or GeoPackage file."
        raise CandidateError(msg) from None
    if frame.crs is None:
        msg = f"The candidate file {path} has no CRS; save it with one (GeoJSON: EPSG:4326)."
        raise CandidateError(msg)
    frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty].to_crs(town.meta.crs)
    points = frame.geometry.representative_point()
    boundary = shapely.union_all(town.boundary.geometry.to_numpy())
    inside = points.within(boundary).to_numpy()
    if not inside.any():
        msg = f"None of the {len(frame)} sites in {path} lies inside the town boundary."
        raise CandidateError(msg)
    xy = shapely.get_coordinates(points.to_numpy()[inside])
    result = _frame(xy, town.meta.crs, prefix="site")
    if "id" in frame.columns:
        ids = frame["id"].astype(str).to_numpy()[inside]
        if len(set(ids)) != len(ids):
            msg = f"The candidate file {path} repeats ids; give every site its own id."
            raise CandidateError(msg)
        result["id"] = ids
    return result


def _residential_area(town: Town) -> shapely.Geometry:
    """Districts with residents (the boundary when the town has no districts)."""
    districts = town.districts
    populated = town.residential.loc[town.residential["population"] > 0, "district"]
    chosen = districts[districts["id"].isin(set(populated))] if len(districts) else districts
    if not len(chosen):
        return shapely.union_all(town.boundary.geometry.to_numpy())
    return shapely.union_all(chosen.geometry.to_numpy())


def _thin(xy: np.ndarray, min_gap_m: float) -> np.ndarray:
    """Drop points closer than ``min_gap_m`` to an earlier kept one (order: west to east)."""
    if not len(xy):
        return xy
    xy = xy[np.lexsort((xy[:, 1], xy[:, 0]))]
    tree = cKDTree(xy)
    keep = np.ones(len(xy), dtype=bool)
    for i in range(len(xy)):
        if keep[i]:
            near = tree.query_ball_point(xy[i], min_gap_m)
            for j in near:
                if j > i:
                    keep[j] = False
    return xy[keep]


def _frame(xy: np.ndarray, crs: str, *, prefix: str) -> gpd.GeoDataFrame:
    ids = [f"{prefix}-{i:04d}" for i in range(1, len(xy) + 1)]
    return gpd.GeoDataFrame(pd.DataFrame({"id": ids}), geometry=shapely.points(xy), crs=crs)
