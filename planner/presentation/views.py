"""Tables behind the analysis map and the dashboard: coverage classes and residents served.

Pure functions of a ``TownAnalysis`` (no folium, no Streamlit), so the map, the dashboard's
charts and tables, and the tests all classify and count the same way.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from planner.analysis import ServiceResult, TownAnalysis
from planner.maps.style import STATUS_COLORS

MapView = Literal["network", "radius", "disagree"]
VIEWS: tuple[MapView, ...] = ("network", "radius", "disagree")

CLASS_ORDER: tuple[str, ...] = tuple(STATUS_COLORS)
"""Legend order of the coverage classes."""


def unit_classes(analysis: TownAnalysis, service: str | None, view: MapView) -> pd.Series:
    """Return the coverage class of every residential unit (a key for ``words.unit_status``).

    Parameters
    ----------
    analysis
        The analysis.
    service
        A service key, or ``None`` for all analysed services at once.
    view
        ``network``: for a service with a demand rule its provision status (within_norm,
        beyond_norm, partly_unserved, unserved, no_demand), else within_walk / beyond_walk;
        ``radius``: within_radius / beyond_radius; ``disagree``: both, cut_off (in the radius,
        beyond the walk), walk_only, neither. For all services: the share of services reached
        (all, most, some, none), or for ``disagree`` cut_off_any / no_cut_off.

    Returns
    -------
    pandas.Series
        Class key per unit id, in residential-layer order.
    """
    ids = analysis.town.residential["id"].astype(str)
    if service is None:
        return _all_service_classes(analysis, view, ids)
    result = analysis.service(service)
    cov = result.coverage.set_index("unit_id").reindex(ids)
    within_limit = cov["within_limit"].fillna(False).astype(bool).to_numpy()
    within_radius = cov["within_radius"].fillna(False).astype(bool).to_numpy()
    if view == "radius":
        values = np.where(within_radius, "within_radius", "beyond_radius")
    elif view == "disagree":
        values = np.select(
            [within_limit & within_radius, within_radius, within_limit],
            ["both", "cut_off", "walk_only"],
            default="neither",
        )
    elif result.provision is not None:
        status = result.provision.units.set_index("unit_id")["status"].astype(str)
        status.index = status.index.astype(str)
        values = status.reindex(ids).fillna("no_demand").to_numpy()
    else:
        values = np.where(within_limit, "within_walk", "beyond_walk")
    return pd.Series(values, index=ids.to_numpy(), name="coverage_class", dtype=object)


def _all_service_classes(analysis: TownAnalysis, view: MapView, ids: pd.Series) -> pd.Series:
    cov = analysis.coverage
    if cov.empty:
        return pd.Series("none", index=ids.to_numpy(), dtype=object)
    column = {"network": "within_limit", "radius": "within_radius"}.get(view, "radius_not_network")
    flags = cov.assign(flag=cov[column].astype(float)).groupby("unit_id")["flag"]
    if view == "disagree":
        cut = flags.max().reindex(ids).fillna(0.0).to_numpy() > 0
        values = np.where(cut, "cut_off_any", "no_cut_off")
    else:
        share = flags.mean().reindex(ids).fillna(0.0).to_numpy()
        values = np.select(
            [share >= 1.0 - 1e-9, share >= 0.5, share > 0], ["all", "most", "some"], "none"
        )
    return pd.Series(values, index=ids.to_numpy(), name="coverage_class", dtype=object)


def residents_served_within(result: ServiceResult, residential: pd.DataFrame) -> pd.Series:
    """Return, per facility id, the residents it serves within the walking norm.

    A unit served by several facilities is split between them in proportion to the places each
    gives it: residents x places / demand, summed over the unit's links within the limit.
    Facilities serving nobody get 0; services without a demand rule give an empty series.
    """
    ids = result.facilities["id"].astype(str)
    if result.provision is None:
        return pd.Series(dtype=float, name="served_within_residents")
    links = result.provision.links
    links = links[links["within_limit"].astype(bool)]
    units = result.provision.units.set_index("unit_id")["demand"]
    population = residential.set_index("id")["population"].astype(float)
    demand = units.reindex(links["unit_id"]).to_numpy(dtype=float)
    people = population.reindex(links["unit_id"]).to_numpy(dtype=float)
    share = np.divide(
        links["places"].to_numpy(dtype=float),
        demand,
        out=np.zeros(len(links)),
        where=demand > 0,
    )
    served = pd.Series(people * share).groupby(links["facility_id"].astype(str).to_numpy()).sum()
    return served.reindex(ids.to_numpy()).fillna(0.0).rename("served_within_residents")
