"""Gaps: what is missing, where, and how much — turned into standard projects with their clause.

Three kinds of gap:

- **gap zones**: neighbouring residential units whose demand is not met within the walking norm
  (or, for services without a demand rule, that are beyond the walking limit), merged into
  polygons with their residents and unmet places;
- **overloaded facilities**: facilities whose nearest-walk catchment holds more demand than
  their capacity (the load a 'go to the nearest' rule would put on them);
- **missing services**: services the norm set requires for a town of this size that the town
  lacks — and, listed apart, the ones it does not require, so nothing is flagged wrongly.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely
from scipy import sparse
from scipy.sparse import csgraph

from planner.norms import NormSet, ServiceNorm, Source
from planner.projects import describe_projects, suggest_projects
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
    "district",
    "projects",
    "project_sizes",
    "clause",
]


def cite(source: Source | None) -> str:
    """Return a short citation: document, clause (confidence)."""
    if source is None:
        return "no normative source"
    return f"{source.document}, {source.clause} (confidence {source.confidence})"


def gap_zones(
    residential: gpd.GeoDataFrame,
    coverage: pd.DataFrame,
    service: ServiceNorm,
    provision: ProvisionResult | None,
    *,
    district_names: Mapping[str, str] | None = None,
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
    district_names
        District name per district id, for the ``district`` column (ids are kept otherwise).
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
    # The district holding most of the zone's gap units names it.
    codes, names = pd.factorize(residential["district"].to_numpy(dtype=object)[gap], sort=True)
    counts = np.zeros((n_zones, len(names)), dtype=np.int64)
    np.add.at(counts, (zone, codes), 1)
    district = np.asarray(names)[counts.argmax(axis=1)]
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
            "district": [_name(str(d), district_names) for d in district],
            "projects": [_project_text(service, _sizes(service, p), p) for p in places],
            "project_sizes": [" + ".join(map(str, _sizes(service, p))) for p in places],
            "clause": _gap_clause(service),
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
    coverage: pd.DataFrame,
    demand: pd.Series,
    provision: ProvisionResult,
    facilities: pd.DataFrame,
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
    facilities
        The facilities layer (``id``, ``name``, ``name_ru``, ``capacity``).

    Returns
    -------
    pandas.DataFrame
        ``facility_id``, ``name``, ``name_ru``, ``capacity``, ``nearest_demand`` (places of
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
    info = facilities.set_index("id")
    kept_ids = fac_ids[keep]
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(capacity[keep] > 0, nearest[keep] / capacity[keep], np.nan)
    return pd.DataFrame(
        {
            "facility_id": kept_ids,
            "name": info["name"].reindex(kept_ids).to_numpy(),
            "name_ru": info["name_ru"].reindex(kept_ids).to_numpy(),
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
        One row per service of the norm set: ``service``, ``label``, ``required`` (count),
        ``existing``, ``missing`` (count short), ``status`` ("missing", "ok", "not_required")
        and ``clause`` (the rule that decides it; for "not_required", why not).
    """
    counts = facilities["service"].value_counts()
    rows = []
    for key, service in norms.services.items():
        required = service.required_count(population)
        existing = int(counts.get(key, 0))
        if required == 0:
            status = "not_required"
            if service.required_from_population:
                reason = (
                    f"required only from {service.required_from_population:,} residents; "
                    f"the town has {population:,}"
                )
            else:
                reason = "the norm set gives no minimum count"
            clause = f"{reason} ({cite(service.sources.get('min_count'))})"
        else:
            status = "missing" if existing < required else "ok"
            clause = cite(service.sources.get("min_count"))
        rows.append(
            {
                "service": key,
                "label": service.label,
                "required": required,
                "existing": existing,
                "missing": max(required - existing, 0),
                "status": status,
                "clause": clause,
            }
        )
    return pd.DataFrame(rows)


def _project_text(service: ServiceNorm, sizes: tuple[int, ...], places: float) -> str:
    if not math.isfinite(places):
        return f"1 new {service.label.lower()} within {service.walk_limit_m:.0f} m walk"
    if not service.project_sizes:
        return (
            f"{places:,.0f} {service.capacity_unit} short "
            "(the norm set gives no standard project size)"
        )
    return describe_projects(sizes, service.capacity_unit, service.label)


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


def _name(district_id: str, names: Mapping[str, str] | None) -> str:
    return names.get(district_id, district_id) if names else district_id


def _gap_clause(service: ServiceNorm) -> str:
    """Cite the walking rule and, where projects are suggested, the project sizes."""
    walk = cite(service.sources.get("radius"))
    sizes = service.sources.get("project_sizes")
    return walk if sizes is None else f"{walk}; project sizes: {cite(sizes)}"
