"""Proposals as a table, and per district and category: how many, how much support, their status."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from planner.config import DISPLAY_CRS
from planner.locate import district_of_points
from planner.participation.proposals import PROPOSAL_STATUSES, Proposal

if TYPE_CHECKING:
    from planner.model import Town

__all__ = ["PROPOSAL_COLUMNS", "proposal_frame", "proposals_by_district"]

PROPOSAL_COLUMNS: tuple[str, ...] = (
    "id",
    "category",
    "text",
    "submitted",
    "votes",
    "status",
    "district",
    "lon",
    "lat",
    "source",
    "scenario",
    "contact",
)
"""Columns of ``proposal_frame`` (``contact`` only when asked for)."""


def proposal_frame(
    proposals: Sequence[Proposal], town: Town | None = None, *, with_contact: bool = False
) -> gpd.GeoDataFrame:
    """Return proposals as a table of points (EPSG:4326), with their district when a town is given.

    Parameters
    ----------
    proposals
        The proposals.
    town
        The town whose districts the points fall in (``district`` is "" outside any, or
        without a town).
    with_contact
        Keep the ``contact`` column (personal data: only when explicitly asked for).
    """
    rows = [asdict(p) for p in proposals]
    columns = [c for c in PROPOSAL_COLUMNS if with_contact or c != "contact"]
    frame = pd.DataFrame(rows, columns=[*columns, "town"]).drop(columns="town")
    points = gpd.GeoSeries(
        [Point(p.lon, p.lat) for p in proposals], crs=DISPLAY_CRS, index=frame.index
    )
    frame["district"] = ""
    if town is not None and len(proposals) and not town.districts.empty:
        found = district_of_points(points.to_crs(town.districts.crs), town.districts)
        frame["district"] = [d or "" for d in found]
    frame["votes"] = frame["votes"].astype("int64")
    return gpd.GeoDataFrame(frame[columns], geometry=points, crs=DISPLAY_CRS)


def proposals_by_district(frame: pd.DataFrame) -> pd.DataFrame:
    """Return counts per district and category: ``proposals``, ``votes``, one column per status.

    Parameters
    ----------
    frame
        ``proposal_frame`` (its ``district``, ``category``, ``votes``, ``status``).

    Returns
    -------
    pandas.DataFrame
        Columns ``district``, ``category``, ``proposals``, ``votes`` and ``PROPOSAL_STATUSES``,
        most supported first.
    """
    columns = ["district", "category", "proposals", "votes", *PROPOSAL_STATUSES]
    if frame.empty:
        return pd.DataFrame({c: [] for c in columns})
    status = pd.crosstab([frame["district"], frame["category"]], frame["status"])
    status = status.reindex(columns=list(PROPOSAL_STATUSES), fill_value=0)
    grouped = frame.groupby(["district", "category"]).agg(
        proposals=("id", "size"), votes=("votes", "sum")
    )
    table = grouped.join(status).reset_index()
    table = table.sort_values(["votes", "proposals", "district", "category"],
                              ascending=[False, False, True, True])  # fmt: skip
    return table[columns].reset_index(drop=True)
