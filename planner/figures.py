"""Headline figures of a service, for the whole town or one district, and its status key.

``service_figures`` is the one function that computes what a service's summary shows — residents
within the walk and within the radius, demand served within the norm, places short, gap zones,
overloaded facilities — and rates it with a status key (``good``, ``fair``, ``poor``, ``n/a``).
The CLI's table, the dashboard's cards and scorecard, and the CSV exports all read it, so they
cannot disagree. Numbers and keys only: ``planner.presentation.words`` turns them into text.
"""

from __future__ import annotations

import functools
import math
from dataclasses import asdict, dataclass
from typing import Literal

import numpy as np
import pandas as pd

from planner.analysis import TownAnalysis
from planner.locate import district_of_points

__all__ = [
    "FAIR_SHARE",
    "GOOD_SHARE",
    "STATUSES",
    "ServiceFigures",
    "ServiceStatus",
    "district_figures",
    "facility_districts",
    "service_figures",
    "summary_table",
    "traffic_light",
]

GOOD_SHARE = 0.9
"""A service is ``good`` from this share of demand served within the norm (or residents within
the walk, for a service without a demand rule)."""

FAIR_SHARE = 0.7
"""A service is ``fair`` from this share, ``poor`` below it."""

ServiceStatus = Literal["good", "fair", "poor", "n/a"]
STATUSES: tuple[ServiceStatus, ...] = ("good", "fair", "poor", "n/a")


def traffic_light(share: float | None) -> ServiceStatus:
    """Rate a share: ``good`` >= 90 %, ``fair`` >= 70 %, else ``poor``; NaN is ``n/a``.

    Examples
    --------
    >>> [traffic_light(s) for s in (0.95, 0.9, 0.75, 0.2, float("nan"))]
    ['good', 'good', 'fair', 'poor', 'n/a']
    """
    if share is None or math.isnan(share):
        return "n/a"
    if share >= GOOD_SHARE:
        return "good"
    return "fair" if share >= FAIR_SHARE else "poor"


@dataclass(frozen=True, slots=True)
class ServiceFigures:
    """One service's headline figures (whole town, or the units and facilities of one district).

    Attributes
    ----------
    service
        The service key.
    district
        The district id, or ``None`` for the whole town.
    facilities
        Facilities counted (in the district, when one is given).
    residents
        Residents of the units counted.
    covered_network, covered_network_share
        Residents within the walking limit along the streets, and their share.
    covered_radius, covered_radius_share
        Residents within the normative straight-line radius, and their share.
    radius_not_network
        Residents inside the radius but beyond the walk (cut off by a river, railway, ...).
    within_time_share
        Share of residents whose walk takes at most the norm's minutes at the analysis pace.
    median_walk_min
        Median walking time to the nearest facility over units (NaN when none is reachable).
    demand, served_within, served_beyond, unserved
        Places needed and how they are served (NaN without a demand rule).
    unmet_places
        Demand not served within the norm (``demand - served_within``).
    provision_ratio
        ``served_within / demand`` (NaN without a demand rule or demand).
    gap_zones
        Gap zones (in the district: those that include any of its units).
    overloaded
        Overloaded facilities (in the district: those located in it).
    """

    service: str
    district: str | None
    facilities: int
    residents: float
    covered_network: float
    covered_network_share: float
    covered_radius: float
    covered_radius_share: float
    radius_not_network: float
    within_time_share: float
    median_walk_min: float
    demand: float
    served_within: float
    served_beyond: float
    unserved: float
    unmet_places: float
    provision_ratio: float
    gap_zones: int
    overloaded: int
    has_demand_rule: bool

    @property
    def score(self) -> float:
        """The share the status rates: provision ratio, or coverage without a demand rule."""
        return self.provision_ratio if self.has_demand_rule else self.covered_network_share

    @property
    def status(self) -> ServiceStatus:
        """The status key of ``score`` (``traffic_light``)."""
        return traffic_light(self.score)

    def as_row(self) -> dict[str, object]:
        """Return the figures as a table row, with ``score`` and ``status`` added."""
        return asdict(self) | {"score": self.score, "status": self.status}


def service_figures(
    analysis: TownAnalysis, service: str, district: str | None = None
) -> ServiceFigures:
    """Compute one service's headline figures for the whole town or one district.

    Parameters
    ----------
    analysis
        The analysis.
    service
        The service key (one of ``analysis.services``).
    district
        A district id: count only its residential units, the gap zones that include them and
        the facilities located in it. ``None``: the whole town.

    Returns
    -------
    ServiceFigures
        The figures; shares of zero residents are NaN.

    Raises
    ------
    NormsError
        If the service was not analysed.
    """
    result = analysis.service(service)
    # Plain arrays: this runs once per service and district on every dashboard view.
    cov = result.coverage
    keep = np.ones(len(cov), dtype=bool)
    if district is not None:
        keep = cov["district"].to_numpy(dtype=object) == district
    people = cov["population"].to_numpy(dtype=float)[keep]
    residents = float(people.sum())

    def residents_where(column: str) -> float:
        return float(people[cov[column].to_numpy(dtype=bool)[keep]].sum())

    def share(count: float) -> float:
        return count / residents if residents > 0 else math.nan

    minutes = cov["walk_time_min"].to_numpy(dtype=float)[keep]
    limit_min = result.norm.walk_limit_min
    within_time = float(people[minutes <= limit_min].sum()) if limit_min else 0.0
    finite = minutes[np.isfinite(minutes)]
    covered_network = residents_where("within_limit")
    covered_radius = residents_where("within_radius")
    demand = served_within = served_beyond = unserved = math.nan
    if result.provision is not None:
        units = result.provision.units
        rows = np.ones(len(units), dtype=bool)
        if district is not None:
            ids = cov["unit_id"].to_numpy(dtype=object)[keep]
            rows = np.isin(units["unit_id"].to_numpy(dtype=object), ids)
        demand = float(units["demand"].to_numpy(dtype=float)[rows].sum())
        served_within = float(units["served_within"].to_numpy(dtype=float)[rows].sum())
        served_beyond = float(units["served_beyond"].to_numpy(dtype=float)[rows].sum())
        unserved = float(units["unserved"].to_numpy(dtype=float)[rows].sum())
    facilities = [str(f) for f in result.facilities["id"]]
    overloaded = [str(f) for f in result.overloaded.get("facility_id", [])]
    zones = list(result.gap_zones["district_ids"])
    if district is not None:
        where = facility_districts(analysis)
        facilities = [f for f in facilities if where.get(f) == district]
        overloaded = [f for f in overloaded if where.get(f) == district]
        zones = [ids for ids in zones if district in ids]
    return ServiceFigures(
        service=service,
        district=district,
        facilities=len(facilities),
        residents=residents,
        covered_network=covered_network,
        covered_network_share=share(covered_network),
        covered_radius=covered_radius,
        covered_radius_share=share(covered_radius),
        radius_not_network=residents_where("radius_not_network"),
        within_time_share=share(within_time),
        median_walk_min=float(np.median(finite)) if finite.size else math.nan,
        demand=demand,
        served_within=served_within,
        served_beyond=served_beyond,
        unserved=unserved,
        unmet_places=demand - served_within,
        provision_ratio=served_within / demand if demand > 0 else math.nan,
        gap_zones=len(zones),
        overloaded=len(overloaded),
        has_demand_rule=result.provision is not None,
    )


@functools.lru_cache(maxsize=4)
def facility_districts(analysis: TownAnalysis) -> dict[str, str | None]:
    """Return the district id each facility lies in (facilities carry no district column).

    Cached per analysis (a ``TownAnalysis`` is immutable): the dashboard asks for it once per
    service and district. Do not modify the returned mapping.
    """
    fac = analysis.town.facilities
    if fac.empty:
        return {}
    where = district_of_points(fac.geometry.representative_point(), analysis.town.districts)
    return dict(zip(fac["id"].astype(str), where, strict=True))


def summary_table(analysis: TownAnalysis, district: str | None = None) -> pd.DataFrame:
    """Return one row of figures per analysed service (``ServiceFigures.as_row``), in order."""
    rows = [service_figures(analysis, key, district).as_row() for key in analysis.services]
    return pd.DataFrame(rows)


def district_figures(analysis: TownAnalysis, service: str) -> pd.DataFrame:
    """Return one service's figures per district with residents, in district-id order."""
    districts = sorted(set(analysis.service(service).coverage["district"].dropna().astype(str)))
    return pd.DataFrame([service_figures(analysis, service, d).as_row() for d in districts])
