"""The full analysis of a town: coverage, capacity-aware provision, catchments and gaps.

``analyze_town`` is the one entry point the CLI, the dashboard, the exports and the benchmarks
call, so they all show the same numbers (``planner.figures`` sums them up per service). The
expensive, reusable part (the walking graph) can be passed in, so a scenario re-run only
re-attaches points and re-solves.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Generic, TypeVar

import geopandas as gpd
import pandas as pd

from planner.access_network import (
    AccessNetwork,
    build_town_access_network,
    label_pairs,
    origin_destination_pairs,
)
from planner.catchments import network_catchments, radius_circles
from planner.coverage import counted_statuses, coverage_table
from planner.demand import unit_demand
from planner.errors import NormsError
from planner.fca import FcaResult, enhanced_two_step_fca, two_step_fca
from planner.gaps import (
    UnitProximity,
    gap_zones,
    overloaded_facilities,
    service_requirements,
    unit_proximity,
)
from planner.model import Town
from planner.network import WalkGraph
from planner.norms import NormSet, ServiceNorm
from planner.provision import ProvisionResult, solve_provision

logger = logging.getLogger(__name__)

Progress = Callable[[float, str, str | None], None]
"""Called with the fraction done, a step key (``attach``, ``distances``, ``service``,
``catchments``, ``done``; ``words`` has their text) and, for a ``service`` step, the service key."""

WEAK_TIER_FACTOR = 3.0
"""Demand served beyond the walking limit counts as 'served beyond the norm' up to this multiple
of the limit (e.g. 1.5 km for a 500 m kindergarten norm); farther, it counts as unserved."""


@dataclass(frozen=True, slots=True, eq=False)
class ServiceResult:
    """Everything computed for one service.

    Attributes
    ----------
    norm
        The service's norm.
    facilities
        The facilities counted (status existing, or planned too), metric CRS.
    coverage
        Coverage rows of this service (``planner.coverage.COVERAGE_COLUMNS``).
    demand
        Places needed per unit id (``None`` when the norm has no demand rule).
    provision
        The exact capacity-aware assignment (``None`` without a demand rule or facilities).
    pairs
        Unit-facility pairs within the weak-tier distance (``unit_id``, ``facility_id``,
        ``distance_m``), the input of the assignment.
    fca, e2sfca
        Two-step floating catchment (2SFCA) and its enhanced, distance-banded form (E2SFCA)
        scores, for users who expect them (``None`` without a demand rule).
    catchments
        Network catchment polygon per facility (``None`` when not asked for). Built on first
        access and kept (the costliest step, and only a map or an export draws them): reading
        ``catchments`` may take a moment the first time; several threads may read it at once.
    radius_circles
        Normative radius circle per facility (``None`` without a radius). Built on first
        access, like ``catchments``: only a map or an export draws them.
    gap_zones
        Gap zones of this service (``planner.gaps.ZONE_COLUMNS``).
    overloaded
        Facilities whose nearest-walk demand exceeds their capacity.
    """

    norm: ServiceNorm
    facilities: gpd.GeoDataFrame
    coverage: pd.DataFrame
    demand: pd.Series | None
    provision: ProvisionResult | None
    pairs: pd.DataFrame | None
    fca: FcaResult | None
    e2sfca: FcaResult | None
    catchment_polygons: Lazy[gpd.GeoDataFrame]
    radius_circle_polygons: Lazy[gpd.GeoDataFrame]
    gap_zones: gpd.GeoDataFrame
    overloaded: pd.DataFrame

    @property
    def catchments(self) -> gpd.GeoDataFrame | None:
        """Return the network catchment polygon per facility (``None`` if not asked for).

        Built on first access, then kept.
        """
        return self.catchment_polygons.get()

    @property
    def radius_circles(self) -> gpd.GeoDataFrame | None:
        """Return the normative radius circle per facility (``None`` without a radius).

        Built on first access, then kept.
        """
        return self.radius_circle_polygons.get()


T = TypeVar("T")


class Lazy(Generic[T]):
    """A value computed on first use, once, even when several threads ask at the same time.

    Parameters
    ----------
    compute
        Returns the value; ``None`` makes the value ``None`` (nothing to compute).
    """

    __slots__ = ("_compute", "_lock", "_value")

    def __init__(self, compute: Callable[[], T] | None) -> None:
        self._compute = compute
        self._lock = threading.Lock()
        self._value: T | None = None

    @property
    def ready(self) -> bool:
        """Whether the value is known without computing (computed already, or nothing to do)."""
        return self._compute is None

    def get(self) -> T | None:
        """Return the value, computing it the first time."""
        if self._compute is None:
            return self._value
        with self._lock:
            if self._compute is not None:  # another thread may have finished meanwhile
                self._value = self._compute()
                self._compute = None
        return self._value


@dataclass(frozen=True, slots=True, eq=False)
class TownAnalysis:
    """The analysis of one town under one norm set.

    Attributes
    ----------
    town, norms
        The inputs.
    walk_speed_m_min
        The walking pace used for times.
    include_planned
        Whether planned facilities were counted.
    network
        The access network (residential units and facilities attached to the streets).
    coverage
        Coverage rows of every analysed service.
    services
        Per service key, its results (services with a walking norm, in norm-set order).
    requirements
        Required, existing and missing counts per service of the norm set.
    """

    town: Town
    norms: NormSet
    walk_speed_m_min: float
    include_planned: bool
    network: AccessNetwork
    coverage: pd.DataFrame
    services: dict[str, ServiceResult]
    requirements: pd.DataFrame

    def service(self, key: str) -> ServiceResult:
        """Return one service's results.

        Raises
        ------
        NormsError
            If the service was not analysed; the message lists those that were.
        """
        if key not in self.services:
            msg = f"Service {key!r} was not analysed; analysed: {', '.join(self.services)}."
            raise NormsError(msg)
        return self.services[key]

    def all_gap_zones(self) -> gpd.GeoDataFrame:
        """Return the gap zones of every service in one frame, largest unmet demand first."""
        frames = [r.gap_zones for r in self.services.values() if len(r.gap_zones)]
        crs = self.town.residential.crs
        if not frames:
            return gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs=crs), crs=crs)
        return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=crs)


def analyze_town(
    town: Town,
    norms: NormSet,
    *,
    services: Sequence[str] | None = None,
    walk_speed_m_min: float | None = None,
    include_planned: bool = False,
    with_catchments: bool = True,
    graph: WalkGraph | None = None,
    progress: Progress | None = None,
) -> TownAnalysis:
    """Analyse a town: coverage, provision, catchments and gaps for each walking service.

    Parameters
    ----------
    town
        The loaded town.
    norms
        The norm set.
    services
        Service keys to analyse; default every service of the norm set with a walking norm.
    walk_speed_m_min
        Walking pace; default the norm set's adult pace.
    include_planned
        Count planned facilities too.
    with_catchments
        Offer network catchment polygons: ``ServiceResult.catchments`` builds them on first
        access (the costliest step, needed only by a map or an export). ``False``: none.
    graph
        The town's walking graph, when already built (it depends on the streets only).
    progress
        Called as the work goes on with a fraction in [0, 1], a step key and, for the
        ``service`` step, the service key (``Progress``).

    Returns
    -------
    TownAnalysis
        All results.

    Raises
    ------
    NormsError
        If a requested service is unknown or has no walking norm.
    """
    report = progress or (lambda _f, _s, _k: None)
    keys = _walk_services(norms, services)
    speed = norms.walk_speed_m_min if walk_speed_m_min is None else walk_speed_m_min
    report(0.0, "attach", None)
    net = build_town_access_network(town, graph)
    report(0.1, "distances", None)
    coverage = coverage_table(
        town, norms, net, services=keys, walk_speed_m_min=speed, include_planned=include_planned
    )
    counted = town.facilities[
        town.facilities["status"].isin(counted_statuses(include_planned=include_planned))
    ]
    results: dict[str, ServiceResult] = {}
    by_service = dict(tuple(coverage.groupby("service", sort=False)))
    proximity = unit_proximity(town.residential.geometry.to_numpy())
    for i, key in enumerate(keys):
        report(0.1 + 0.9 * i / max(len(keys), 1), "service", key)
        ids = counted.loc[counted["service"] == key, "id"].tolist()
        limit_m = float(norms.services[key].walk_limit_m or 0.0)
        polygons: Lazy[gpd.GeoDataFrame] = Lazy(
            partial(network_catchments, net, ids, limit_m=limit_m)
            if with_catchments and ids
            else None
        )
        results[key] = _analyze_service(
            town,
            norms.services[key],
            net,
            by_service.get(key, coverage.iloc[:0]),
            counted[counted["service"] == key],
            proximity=proximity,
            catchments=polygons,
        )
    report(1.0, "done", None)
    return TownAnalysis(
        town=town,
        norms=norms,
        walk_speed_m_min=float(speed),
        include_planned=include_planned,
        network=net,
        coverage=coverage,
        services=results,
        requirements=service_requirements(norms, counted, population=town.meta.population),
    )


def _walk_services(norms: NormSet, services: Sequence[str] | None) -> list[str]:
    if services is None:
        return [k for k, s in norms.services.items() if s.has_walk_norm]
    keys = []
    for key in services:
        service = norms.service(key)
        if not service.has_walk_norm:
            msg = (
                f"Service {key!r} has no walking norm in {norms.key!r}, so it has no coverage "
                f"to analyse (it is checked by count). Services with one: "
                f"{', '.join(k for k, s in norms.services.items() if s.has_walk_norm)}."
            )
            raise NormsError(msg)
        keys.append(key)
    return keys


def _analyze_service(
    town: Town,
    norm: ServiceNorm,
    net: AccessNetwork,
    coverage: pd.DataFrame,
    facilities: gpd.GeoDataFrame,
    *,
    proximity: UnitProximity,
    catchments: Lazy[gpd.GeoDataFrame],
) -> ServiceResult:
    limit_m = float(norm.walk_limit_m or 0.0)
    fac_ids = facilities["id"].to_numpy(dtype=object)
    demand = unit_demand(town.residential, norm) if norm.demand.is_defined else None
    provision = None
    pairs = None
    fca = e2sfca = None
    if demand is not None:
        demand.index = town.residential["id"].to_numpy(dtype=object)
        positions = net.destinations.positions(fac_ids)
        raw = origin_destination_pairs(net, positions, limit_m=WEAK_TIER_FACTOR * limit_m)
        pairs = label_pairs(net, raw)
        capacity = pd.Series(
            facilities["capacity"].to_numpy(dtype=float), index=fac_ids, name="capacity"
        )
        provision = solve_provision(demand, capacity, pairs, limit_m=limit_m)
        fca = two_step_fca(demand, capacity, pairs, limit_m=limit_m)
        e2sfca = enhanced_two_step_fca(demand, capacity, pairs, limit_m=limit_m)
    circles: Lazy[gpd.GeoDataFrame] = Lazy(
        partial(radius_circles, facilities, radius_m=norm.radius_m) if norm.radius_m else None
    )
    zones = gap_zones(town.residential, coverage, norm, provision, proximity=proximity)
    overloaded = (
        overloaded_facilities(coverage, demand, provision)
        if provision is not None and demand is not None
        else pd.DataFrame()
    )
    return ServiceResult(
        norm=norm,
        facilities=facilities,
        coverage=coverage,
        demand=demand,
        provision=provision,
        pairs=pairs,
        fca=fca,
        e2sfca=e2sfca,
        catchment_polygons=catchments,
        radius_circle_polygons=circles,
        gap_zones=zones,
        overloaded=overloaded,
    )
