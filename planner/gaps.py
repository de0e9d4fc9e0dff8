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

    Returns
    -------
    geopandas.GeoDataFrame
        One row per zone, largest unmet demand first, columns ``ZONE_COLUMNS`` + geometry.
    """
    units = residential.set_index("id")[["population", "district", "geometry"]]
    if provision is not None:
        table = provision.units.set_index("unit_id")
        unmet = (table["demand"] - table["served_within"]).clip(lower=0.0)
        unserved = table["unserved"].clip(lower=0.0)
        share = (unmet / table["demand"].where(table["demand"] > 0)).fillna(0.0)
        in_gap = unmet >= MIN_UNMET_PLACES
    else:
        beyond = ~coverage.set_index("unit_id")["within_limit"].astype(bool)
        unmet = pd.Series(np.nan, index=beyond.index)
        unserved = pd.Series(np.nan, index=beyond.index)
        share = beyond.astype(float)
        in_gap = beyond & (units["population"].reindex(beyond.index) > 0)
    gap_ids = in_gap[in_gap].index
    crs = residential.crs
    if len(gap_ids) == 0:
        return gpd.GeoDataFrame(
            {c: [] for c in ZONE_COLUMNS}, geometry=gpd.GeoSeries([], crs=crs), crs=crs
        )
    gap_units = units.loc[gap_ids]
    # Zones: units closer than join_m to each other, transitively (connected components of the
    # "within join_m" graph) — far cheaper than merging buffered polygons.
    geoms = gap_units.geometry.to_numpy()
    left, right = shapely.STRtree(geoms).query(geoms, predicate="dwithin", distance=join_m)
    near = sparse.coo_array((np.ones(len(left)), (left, right)), shape=(len(geoms), len(geoms)))
    _, zone_of_unit = csgraph.connected_components(near, directed=False)
    frame = pd.DataFrame(
        {
            "zone": zone_of_unit,
            "population": gap_units["population"].to_numpy(dtype=float),
            "unmet_residents": gap_units["population"].to_numpy(dtype=float)
            * share.reindex(gap_ids).to_numpy(),
            "unmet_places": unmet.reindex(gap_ids).to_numpy(),
            "unserved_places": unserved.reindex(gap_ids).to_numpy(),
            "district": gap_units["district"].to_numpy(),
        }
    )
    # Sums per zone with numpy (pandas' groupby costs more than the rest of the step here).
    zone = frame["zone"].to_numpy()
    n_zones = int(zone.max()) + 1
    sums = pd.DataFrame(
        {
            "n_units": np.bincount(zone, minlength=n_zones),
            "residents": _zone_sum(zone, frame["population"], n_zones),
            "unmet_residents": _zone_sum(zone, frame["unmet_residents"], n_zones),
            "unmet_places": _zone_sum(zone, frame["unmet_places"], n_zones),
            "unserved_places": _zone_sum(zone, frame["unserved_places"], n_zones),
        }
    )
    # The district holding most of the zone's gap units names it.
    codes, names = pd.factorize(frame["district"], sort=True)
    counts = np.zeros((n_zones, len(names)), dtype=np.int64)
    np.add.at(counts, (zone, codes), 1)
    district = pd.Series(np.asarray(names)[counts.argmax(axis=1)], index=sums.index)
    # The zone is drawn as its blocks themselves: exact, and cheap (no polygon union).
    order_units = np.argsort(zone_of_unit, kind="stable")
    bounds = np.searchsorted(zone_of_unit[order_units], sums.index.to_numpy())
    geometry = [
        shapely.multipolygons(shapely.get_parts(part))
        for part in np.split(geoms[order_units], bounds[1:])
    ]
    places = sums["unmet_places"].to_numpy(dtype=float)
    zones = gpd.GeoDataFrame(
        {
            "service": service.key,
            "n_units": sums["n_units"].to_numpy(dtype=np.int64),
            "residents": sums["residents"].round().to_numpy(dtype=np.int64),
            "unmet_residents": sums["unmet_residents"].round().to_numpy(dtype=np.int64),
            "unmet_places": places,
            "unserved_places": sums["unserved_places"].to_numpy(dtype=float),
            "district": [_name(str(d), district_names) for d in district.reindex(sums.index)],
            "projects": [_project_text(service, _sizes(service, p), p) for p in places],
            "project_sizes": [" + ".join(map(str, _sizes(service, p))) for p in places],
            "clause": _gap_clause(service),
        },
        geometry=geometry,
        crs=crs,
    )
    order = zones["unmet_places"].fillna(0) * 1e6 + zones["unmet_residents"]
    zones = zones.loc[order.sort_values(ascending=False).index].reset_index(drop=True)
    zones.insert(0, "zone_id", [f"{service.key}-gap-{i + 1}" for i in range(len(zones))])
    return zones[[*ZONE_COLUMNS, "geometry"]]


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
    rows = coverage[coverage["within_limit"].astype(bool)]
    nearest = (
        demand.reindex(rows["unit_id"].to_numpy())
        .groupby(rows["nearest_facility_id"].to_numpy())
        .sum()
    )
    table = provision.facilities.set_index("facility_id")
    info = facilities.set_index("id")
    result = pd.DataFrame(
        {
            "facility_id": table.index,
            "capacity": table["capacity"].to_numpy(),
            "nearest_demand": nearest.reindex(table.index).fillna(0.0).to_numpy(),
            "load": table["load"].to_numpy(),
        }
    )
    result = result[result["capacity"].notna() & (result["nearest_demand"] > result["capacity"])]
    result["overload_places"] = result["nearest_demand"] - result["capacity"]
    result["overload_ratio"] = result["nearest_demand"] / result["capacity"].where(
        result["capacity"] > 0
    )
    result.insert(1, "name", info["name"].reindex(result["facility_id"]).to_numpy())
    result.insert(2, "name_ru", info["name_ru"].reindex(result["facility_id"]).to_numpy())
    return result.sort_values("overload_places", ascending=False).reset_index(drop=True)


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


def _zone_sum(zone: npt.NDArray[np.int64], values: pd.Series, n_zones: int) -> npt.NDArray[Any]:
    """Sum ``values`` per zone; NaN for a zone whose values are all NaN (pandas' min_count=1)."""
    v = values.to_numpy(dtype=float)
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
