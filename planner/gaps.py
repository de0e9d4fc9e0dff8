"""Gaps: what is missing, where, and how much — turned into standard projects with their clause.

Three kinds of gap:

- **gap zones**: neighbouring residential units whose demand is not met within the walking norm
  (or, for services without a demand rule, that are beyond the walking limit), merged into
  polygons with their residents, unmet places, the districts they span (ids, most residents
  first, with the residents in each) and the standard project sizes that would close them;
- **overloaded facilities**: facilities whose nearest-walk catchment holds more demand than
  their capacity (the load a 'go to the nearest' rule would put on them);
- **missing services**: services the norm set requires for a town of this size that the town
  lacks — and, listed apart, the ones it does not require, so nothing is flagged wrongly.

Everything here is numbers, ids, keys and tuples of project sizes: the words ("1 × 180 places —
kindergarten", district names, citations) come from ``planner.presentation.words``.
"""

from __future__ import annotations

import math
from typing import Any

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely
from scipy import sparse
from scipy.sparse import csgraph

from planner.norms import NormSet, ServiceNorm
from planner.projects import suggest_projects
from planner.provision import ProvisionResult

GAP_JOIN_M = 150.0
"""Units with unmet demand closer than this to each other form one gap zone."""

MIN_UNMET_PLACES = 0.5
"""Below this many unmet places a unit is not part of a gap (rounding noise of the solver)."""

ZONE_COLUMNS = [
    "zone_id",
    "service",
    "n_units",
    "residents",
    "unmet_residents",
    "unmet_places",
    "unserved_places",
    "district_ids",
    "district_residents",
    "project_sizes",
]
"""Columns of a gap zone table (plus ``geometry``). ``district_ids`` and ``district_residents``
are tuples (str, int) of the districts the zone's units lie in, most residents first (ties by
id); ``project_sizes`` is a tuple of int, the standard projects suggested, largest first
(empty: no new building, or no standard size, or no demand rule)."""


def gap_zones(
    residential: gpd.GeoDataFrame,
    coverage: pd.DataFrame,
    service: ServiceNorm,
    provision: ProvisionResult | None,
    *,
    join_m: float = GAP_JOIN_M,
    neighbours: tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]] | None = None,
) -> gpd.GeoDataFrame:
    """Cluster the units with unmet demand of one service into gap zones.

    Parameters
    ----------
    residential
        The residential layer (``id``, ``population``, ``district``, polygons; metric CRS).
    coverage
        Coverage rows of this service (``unit_id``, ``within_limit``, ...).
    service
        The service's norm (project sizes and sources).
    provision
        The capacity-aware result, or ``None`` when the service has no demand rule: then a unit
        is in a gap when it is beyond the walking limit.
    join_m
        Units closer than this are merged into one zone.
    neighbours
        ``unit_neighbours(residential, join_m=join_m)`` when already computed (it depends on
        the residential layer only, so one computation serves every service).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per zone, largest unmet demand first, columns ``ZONE_COLUMNS`` + geometry.
    """
    # Plain arrays in residential order: pandas' per-call overhead costs more than the work here.
    ids = pd.Index(residential["id"].to_numpy(dtype=object))
    population = residential["population"].to_numpy(dtype=float)
    n_units = len(ids)
    if provision is not None:
        table = provision.units
        pos = ids.get_indexer(table["unit_id"].to_numpy(dtype=object))
        demand = _scatter(pos, table["demand"].to_numpy(dtype=float), n_units)
        unmet = np.clip(
            demand - _scatter(pos, table["served_within"].to_numpy(float), n_units), 0, None
        )
        unserved = np.clip(_scatter(pos, table["unserved"].to_numpy(dtype=float), n_units), 0, None)
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(demand > 0, unmet / demand, 0.0)
        in_gap = unmet >= MIN_UNMET_PLACES
    else:
        pos = ids.get_indexer(coverage["unit_id"].to_numpy(dtype=object))
        within = _scatter(pos, coverage["within_limit"].to_numpy(dtype=float), n_units)
        share = (within == 0).astype(float)
        unmet = unserved = np.full(n_units, np.nan)
        in_gap = (share > 0) & (population > 0)
    crs = residential.crs
    if not in_gap.any():
        return gpd.GeoDataFrame(
            {c: [] for c in ZONE_COLUMNS}, geometry=gpd.GeoSeries([], crs=crs), crs=crs
        )
    gap = np.flatnonzero(in_gap)
    geoms = residential.geometry.to_numpy()[gap]
    # Zones: units closer than join_m to each other, transitively (connected components of the
    # "within join_m" graph) — far cheaper than merging buffered polygons.
    left, right = unit_neighbours(residential, join_m=join_m) if neighbours is None else neighbours
    both = in_gap[left] & in_gap[right]
    rank = np.cumsum(in_gap) - 1  # position of each gap unit among the gap units
    near = sparse.coo_array(
        (np.ones(int(both.sum())), (rank[left[both]], rank[right[both]])),
        shape=(len(gap), len(gap)),
    )
    n_zones, zone = csgraph.connected_components(near, directed=False)
    places = _zone_sum(zone, unmet[gap], n_zones)
    district_ids, district_residents = _zone_districts(
        zone, residential["district"].to_numpy(dtype=object)[gap], population[gap], n_zones
    )
    # The zone is drawn as its blocks themselves: exact, and cheap (no polygon union).
    order_units = np.argsort(zone, kind="stable")
    bounds = np.searchsorted(zone[order_units], np.arange(n_zones))
    geometry = [
        shapely.multipolygons(shapely.get_parts(part))
        for part in np.split(geoms[order_units], bounds[1:])
    ]
    zones = gpd.GeoDataFrame(
        {
            "service": service.key,
            "n_units": np.bincount(zone, minlength=n_zones),
            "residents": np.round(_zone_sum(zone, population[gap], n_zones)).astype(np.int64),
            "unmet_residents": np.round(
                _zone_sum(zone, population[gap] * share[gap], n_zones)
            ).astype(np.int64),
            "unmet_places": places,
            "unserved_places": _zone_sum(zone, unserved[gap], n_zones),
            "district_ids": district_ids,
            "district_residents": district_residents,
            "project_sizes": [_sizes(service, p) for p in places],
        },
        geometry=geometry,
        crs=crs,
    )
    order = np.lexsort((-zones["unmet_residents"].to_numpy(), -np.nan_to_num(places)))
    zones = zones.iloc[order].reset_index(drop=True)
    zones.insert(0, "zone_id", [f"{service.key}-gap-{i + 1}" for i in range(len(zones))])
    return zones[[*ZONE_COLUMNS, "geometry"]]


def unit_neighbours(
    residential: gpd.GeoDataFrame, *, join_m: float = GAP_JOIN_M
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Return the pairs of residential units (row positions) closer than ``join_m`` metres."""
    geoms = residential.geometry.to_numpy()
    left, right = shapely.STRtree(geoms).query(geoms, predicate="dwithin", distance=join_m)
    return left.astype(np.intp), right.astype(np.intp)


def overloaded_facilities(
    coverage: pd.DataFrame, demand: pd.Series, provision: ProvisionResult
) -> pd.DataFrame:
    """Return the facilities whose nearest-walk demand exceeds their capacity.

    Parameters
    ----------
    coverage
        Coverage rows of one service (``unit_id``, ``nearest_facility_id``, ``within_limit``).
    demand
        Places needed per unit id.
    provision
        The capacity-aware result of the same service (for the assigned load).

    Returns
    -------
    pandas.DataFrame
        ``facility_id``, ``capacity``, ``nearest_demand`` (places of
        the units within the limit whose nearest facility it is), ``load`` (assigned by the
        exact solution), ``overload_places`` and ``overload_ratio`` (nearest demand over
        capacity), most overloaded first.
    """
    table = provision.facilities
    fac_ids = pd.Index(table["facility_id"].to_numpy(dtype=object))
    within = coverage["within_limit"].to_numpy(dtype=bool)
    unit_demand = demand.reindex(coverage["unit_id"].to_numpy(dtype=object)).to_numpy(dtype=float)
    fac_pos = fac_ids.get_indexer(coverage["nearest_facility_id"].to_numpy(dtype=object))
    counted = within & (fac_pos >= 0) & ~np.isnan(unit_demand)
    nearest = np.bincount(fac_pos[counted], weights=unit_demand[counted], minlength=len(fac_ids))
    capacity = table["capacity"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        over = ~np.isnan(capacity) & (nearest > capacity)
    keep = np.flatnonzero(over)
    keep = keep[np.argsort(-(nearest[keep] - capacity[keep]), kind="stable")]
    kept_ids = fac_ids[keep]
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(capacity[keep] > 0, nearest[keep] / capacity[keep], np.nan)
    return pd.DataFrame(
        {
            "facility_id": kept_ids,
            "capacity": capacity[keep],
            "nearest_demand": nearest[keep],
            "load": table["load"].to_numpy(dtype=float)[keep],
            "overload_places": nearest[keep] - capacity[keep],
            "overload_ratio": ratio,
        }
    )


def service_requirements(
    norms: NormSet, facilities: pd.DataFrame, *, population: int
) -> pd.DataFrame:
    """Compare what the norms require for a town of this size with what it has.

    Parameters
    ----------
    norms
        The norm set.
    facilities
        Facilities counted (e.g. existing ones) with a ``service`` column.
    population
        The town's population.

    Returns
    -------
    pandas.DataFrame
        One row per service of the norm set: ``service``, ``required`` (count), ``existing``,
        ``missing`` (count short), ``status`` ("missing", "ok", "not_required") and
        ``required_from_population`` (the town size from which the norm asks for one; 0 when
        it gives no minimum). ``words.requirement_reason`` says why, with the clause.
    """
    counts = facilities["service"].value_counts()
    rows = []
    for key, service in norms.services.items():
        required = service.required_count(population)
        existing = int(counts.get(key, 0))
        status = "not_required" if required == 0 else "missing" if existing < required else "ok"
        rows.append(
            {
                "service": key,
                "required": required,
                "existing": existing,
                "missing": max(required - existing, 0),
                "status": status,
                "required_from_population": int(service.required_from_population or 0),
            }
        )
    return pd.DataFrame(rows)


def _zone_districts(
    zone: npt.NDArray[np.intp],
    district: npt.NDArray[np.object_],
    population: npt.NDArray[np.float64],
    n_zones: int,
) -> tuple[list[tuple[str, ...]], list[tuple[int, ...]]]:
    """Per zone, the districts its units lie in and their residents, most residents first."""
    codes, names = pd.factorize(pd.Series(district).astype(str).to_numpy(), sort=True)
    residents = np.zeros((n_zones, len(names)))
    present = np.zeros((n_zones, len(names)), dtype=bool)
    np.add.at(residents, (zone, codes), np.nan_to_num(population))
    present[zone, codes] = True
    ids: list[tuple[str, ...]] = []
    counts: list[tuple[int, ...]] = []
    for z in range(n_zones):
        cols = np.flatnonzero(present[z])
        # Most residents first; names are sorted, so a stable sort breaks ties by id.
        cols = cols[np.argsort(-residents[z, cols], kind="stable")]
        ids.append(tuple(str(names[c]) for c in cols))
        counts.append(tuple(round(float(residents[z, c])) for c in cols))
    return ids, counts


def _scatter(pos: npt.NDArray[np.intp], values: npt.NDArray[Any], n: int) -> npt.NDArray[Any]:
    """Place ``values`` at positions ``pos`` of an array of ``n`` NaNs (-1 positions dropped)."""
    out = np.full(n, np.nan)
    keep = pos >= 0
    out[pos[keep]] = values[keep]
    return out


def _zone_sum(zone: npt.NDArray[Any], values: npt.NDArray[Any], n_zones: int) -> npt.NDArray[Any]:
    """Sum ``values`` per zone; NaN for a zone whose values are all NaN (pandas' min_count=1)."""
    v = np.asarray(values, dtype=float)
    ok = ~np.isnan(v)
    total = np.bincount(zone[ok], weights=v[ok], minlength=n_zones)
    return np.where(np.bincount(zone[ok], minlength=n_zones) > 0, total, np.nan)


def _sizes(service: ServiceNorm, places: float) -> tuple[int, ...]:
    return suggest_projects(places, service.project_sizes) if math.isfinite(places) else ()
