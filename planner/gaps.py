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
from dataclasses import dataclass
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

PAIR_LIMIT = 250_000
"""Up to about this many unit pairs within ``join_m`` (a few MB), ``unit_proximity`` lists them
once per town, so each service's zones are a lookup; beyond it (dense blocks), zones are found
through grid cells per call, whose cost does not grow with the pairs."""


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
    proximity: UnitProximity | None = None,
) -> gpd.GeoDataFrame:
    """Cluster the units with unmet demand of one service into gap zones.

    Parameters
    ----------
    residential
        The residential layer (``id``, ``population``, ``district``, polygons; metric CRS).
    coverage
        Coverage rows of this service (``unit_id``, ``within_limit``, ...).
    service
        The service's norm (project sizes).
    provision
        The capacity-aware result, or ``None`` when the service has no demand rule: then a unit
        is in a gap when it is beyond the walking limit.
    join_m
        Units closer than this are merged into one zone.
    proximity
        ``unit_proximity(residential.geometry.to_numpy(), join_m=join_m)`` when already built
        (it depends on the residential layer only, so one serves every service).

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
    # Zones: units closer than join_m to each other, transitively — far cheaper than merging
    # buffered polygons, and bounded however dense the blocks are (see unit_proximity).
    if proximity is None or proximity.join_m != join_m:
        proximity = unit_proximity(residential.geometry.to_numpy(), join_m=join_m)
    n_zones, zone = proximity_zones(proximity, in_gap)
    places = _zone_sum(zone, unmet[gap], n_zones)
    district_ids, district_residents = _zone_districts(
        zone, residential["district"].to_numpy(dtype=object)[gap], population[gap], n_zones
    )
    # The zone is drawn as its blocks themselves: exact, and cheap (no polygon union).
    sorted_units = np.argsort(zone, kind="stable")
    parts, part_unit = shapely.get_parts(geoms[sorted_units], return_index=True)
    geometry = shapely.multipolygons(parts, indices=zone[sorted_units][part_unit])
    residents = np.round(_zone_sum(zone, population[gap], n_zones)).astype(np.int64)
    unmet_residents = np.round(_zone_sum(zone, population[gap] * share[gap], n_zones)).astype(
        np.int64
    )
    # Largest unmet demand first, then most residents unmet; the frame is built once, in order.
    order = np.lexsort((-unmet_residents, -np.nan_to_num(places)))
    columns = {
        "zone_id": [f"{service.key}-gap-{i + 1}" for i in range(n_zones)],
        "service": service.key,
        "n_units": np.bincount(zone, minlength=n_zones)[order],
        "residents": residents[order],
        "unmet_residents": unmet_residents[order],
        "unmet_places": places[order],
        "unserved_places": _zone_sum(zone, unserved[gap], n_zones)[order],
        "district_ids": [district_ids[i] for i in order],
        "district_residents": [district_residents[i] for i in order],
        "project_sizes": [_sizes(service, places[i]) for i in order],
    }
    return gpd.GeoDataFrame(columns, geometry=geometry[order], crs=crs)


@dataclass(frozen=True, slots=True, eq=False)
class UnitProximity:
    """Residential units indexed for "closer than ``join_m``" questions; built once per town.

    Attributes
    ----------
    geoms
        The units' geometries (metric CRS), in layer order.
    tree
        An STRtree over ``geoms``.
    cell
        Per unit, the grid cell (side ``join_m`` / √2) holding its first vertex.
    join_m
        The distance that joins two units.
    pairs
        Every ordered pair (a, b) of units within ``join_m`` of each other (self-pairs
        included), when a few: ``None`` when the layer is too dense to list them.
    """

    geoms: npt.NDArray[np.object_]
    tree: shapely.STRtree
    cell: npt.NDArray[np.int64]
    join_m: float
    pairs: tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]] | None = None


def unit_proximity(
    geoms: npt.NDArray[np.object_], *, join_m: float = GAP_JOIN_M, max_pairs: int = PAIR_LIMIT
) -> UnitProximity:
    """Index residential units for ``proximity_zones``.

    Parameters
    ----------
    geoms
        The units' (multi)polygons in a metric CRS.
    join_m
        Units this close (or closer) are joined.
    max_pairs
        List the pairs within ``join_m`` once (fast lookups per service) when the first
        vertices suggest no more than this many; otherwise keep only the cells.
    """
    geoms = np.asarray(geoms, dtype=object)
    n = len(geoms)
    coords, index = shapely.get_coordinates(geoms, return_index=True)
    anchor = coords[np.searchsorted(index, np.arange(n))] if n else np.zeros((0, 2))
    # Two points in one cell are at most side × √2 apart; a hair under join_m keeps rounding out.
    side_m = join_m / math.sqrt(2.0) * (1.0 - 1e-9)
    ij = np.floor(anchor / side_m).astype(np.int64)
    cell = np.unique(ij, axis=0, return_inverse=True)[1].reshape(-1) if n else np.zeros(0, int)
    tree = shapely.STRtree(geoms)
    pairs = None
    if n and _anchor_pairs(ij) <= max_pairs:
        a, b = tree.query(geoms, predicate="dwithin", distance=join_m)
        pairs = (a.astype(np.intp), b.astype(np.intp))
    return UnitProximity(
        geoms=geoms, tree=tree, cell=cell.astype(np.int64), join_m=join_m, pairs=pairs
    )


def _anchor_pairs(ij: npt.NDArray[np.int64]) -> int:
    """Estimate the pairs within ``join_m`` from the units' grid cells ``ij``.

    Counts the pairs of first vertices in cells at most 2 apart (a cell's side is ``join_m`` /
    √2), per cell, never per pair: cheap however dense the layer.
    """
    cells, count = np.unique(ij - ij.min(axis=0), axis=0, return_counts=True)
    width = int(cells[:, 1].max()) + 5
    key = (cells[:, 0] + 2) * width + cells[:, 1] + 2
    total = 0
    for di in range(-2, 3):
        for dj in range(-2, 3):
            pos = np.searchsorted(key, key + di * width + dj)
            pos = np.minimum(pos, len(key) - 1)
            hit = key[pos] == key + di * width + dj
            total += int((count[hit] * count[pos[hit]]).sum())
    return total


def proximity_zones(
    proximity: UnitProximity, members: npt.NDArray[np.bool_]
) -> tuple[int, npt.NDArray[np.intp]]:
    """Group the member units into zones of units within ``join_m`` of each other, transitively.

    The connected components of the graph "unit a is within ``join_m`` of unit b" among the
    members. When that graph is small (``UnitProximity.pairs``, listed once per town), its
    components among the members are taken directly. Otherwise they are found without listing
    its edges (which grow with the square of the density: 10,000 blocks within 150 m of each
    other are 100 million pairs). Every vertex of a unit is a point
    of it, so two units whose first vertices share a cell of side ``join_m`` / √2 are within
    ``join_m``: a cell's members are one zone without looking. What is left is which *cells* are
    linked: each occupied cell, as one multipolygon of its members, asks the STRtree for the
    members within ``join_m`` of it (GEOS answers "within a distance" of a prepared polygon
    from an index of its edges). Work and memory grow with the number of units times the units
    near a cell, not with the pairs.

    Parameters
    ----------
    proximity
        The index of every unit (``unit_proximity``).
    members
        Boolean mask over the units: which take part (e.g. the units in a gap).

    Returns
    -------
    n_zones : int
        The number of zones.
    zone : numpy.ndarray
        The zone (0 .. n_zones - 1) of each member, in unit order; zones are numbered in the
        order of their first member.
    """
    member = np.flatnonzero(members)
    if not len(member):
        return 0, np.zeros(0, dtype=np.intp)
    if proximity.pairs is not None:
        n_zones, zone = _pair_zones(proximity.pairs, member, len(proximity.geoms))
    else:
        n_zones, zone = _cell_zones(proximity, member)
    # Number the zones in the order of their first member, as a connected-components labelling
    # of the units themselves would: ties elsewhere are then broken by unit order.
    first = np.full(n_zones, len(member))
    np.minimum.at(first, zone, np.arange(len(member)))
    rank = np.empty(n_zones, dtype=np.intp)
    rank[np.argsort(first, kind="stable")] = np.arange(n_zones)
    return int(n_zones), rank[zone]


def _pair_zones(
    pairs: tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]],
    member: npt.NDArray[np.intp],
    n_units: int,
) -> tuple[int, npt.NDArray[np.intp]]:
    """Zones of the members from the listed pairs: components of the pairs between members."""
    rank = np.full(n_units, -1, dtype=np.intp)
    rank[member] = np.arange(len(member))
    a, b = rank[pairs[0]], rank[pairs[1]]
    keep = (a >= 0) & (b >= 0)
    linked = sparse.coo_array(
        (np.ones(int(keep.sum())), (a[keep], b[keep])), shape=(len(member), len(member))
    )
    n_zones, zone = csgraph.connected_components(linked, directed=False)
    return int(n_zones), zone


def _cell_zones(
    proximity: UnitProximity, member: npt.NDArray[np.intp]
) -> tuple[int, npt.NDArray[np.intp]]:
    """Zones of the members through grid cells (see ``proximity_zones``)."""
    _, cell_of = np.unique(proximity.cell[member], return_inverse=True)
    cell_of = cell_of.reshape(-1)
    n_cells = int(cell_of.max()) + 1
    parts, part_unit = shapely.get_parts(proximity.geoms[member], return_index=True)
    part_cell = cell_of[part_unit]
    order = np.argsort(part_cell, kind="stable")
    cells = shapely.multipolygons(parts[order], indices=part_cell[order])
    hit_cell, hit_unit = proximity.tree.query(cells, predicate="dwithin", distance=proximity.join_m)
    in_member = np.zeros(len(proximity.geoms), dtype=bool)
    in_member[member] = True
    keep = in_member[hit_unit]
    rank = np.full(len(proximity.geoms), -1, dtype=np.int64)
    rank[member] = np.arange(len(member))
    linked = sparse.coo_array(
        (
            np.ones(int(keep.sum())),
            (hit_cell[keep], cell_of[rank[hit_unit[keep]]]),
        ),
        shape=(n_cells, n_cells),
    )
    n_zones, cell_zone = csgraph.connected_components(linked, directed=False)
    return int(n_zones), cell_zone[cell_of]


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
