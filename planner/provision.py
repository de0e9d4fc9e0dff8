"""Capacity-aware provision: an exact assignment of each unit's demand to facilities.

Input is pure tables (no geometry, no network): the demand of every residential unit, the capacity
of every facility, and the reachable (unit, facility, network distance) pairs. One linear programme,
solved by HiGHS through ``scipy.optimize.linprog`` on sparse matrices, gives the assignment that,
in this order of priority,

1. serves as much demand as possible **within** the walking limit (``distance_m <= limit_m``);
2. then serves as much of the rest as possible **beyond** the limit (weak provision), using the
   pairs given (the caller caps them, e.g. at a multiple of the limit);
3. then minimises the total walking distance (place-metres).

Capacities are never exceeded. A facility whose capacity is unknown (NaN) is treated as unlimited
and flagged (``capacity_known`` False), so its figures are an upper bound.

Why costs give the order exactly: with ``D`` the place-metres, ``W`` the demand served within and
``T`` the demand served at all, the objective ``D - BIG*W - M*T`` (link costs ``d`` within,
``BIG + d`` beyond, unserved ``BIG + M``) is minimised. Any two assignments differ by a sum of
simple cycles in the flow network (source -> units -> facilities -> sink, plus unit -> sink for
unserved demand); a simple cycle carrying ``delta`` changes ``W`` by a whole multiple of ``delta``,
``T`` by at most ``delta`` and ``D`` by at most ``delta * L`` with ``L = 2 * min(units,
facilities) * max distance``. So ``M > L`` makes ``T`` outrank ``D`` and ``BIG > M + L`` makes
``W`` outrank both: the LP optimum is the lexicographic optimum, not an approximation of it.

Note the order's consequence: maximising service within the norm first can leave more demand
unserved than a plain maximum flow would (a unit within reach of a full facility keeps its place
there even if a unit that can only reach that facility beyond the limit then goes unserved).
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.optimize import linprog

from planner.errors import PlannerError

__all__ = [
    "PAIR_COLUMNS",
    "IndexedPairs",
    "ProvisionError",
    "ProvisionResult",
    "ProvisionTotals",
    "ServedUnit",
    "UnitExplanation",
    "explain_unit",
    "index_pairs",
    "solve_provision",
]

PAIR_COLUMNS: tuple[str, ...] = ("unit_id", "facility_id", "distance_m")
"""Columns of the pairs table: a unit id, a facility id and the network distance in metres."""

_TINY_PLACES = 1e-9
"""Assigned amounts below this many places (relative to the largest demand) are solver noise."""

_STATUS_EPS = 1e-6
"""Places treated as zero when labelling a unit's status or a facility as full."""


class ProvisionError(PlannerError, ValueError):
    """Provision inputs are inconsistent, or the solver failed; the message names the fix."""


@dataclass(frozen=True, slots=True)
class IndexedPairs:
    """Pairs validated against the demand and capacity tables and turned into positions.

    Attributes
    ----------
    unit_pos, facility_pos
        Row positions in ``demand`` and ``capacity`` (int64 arrays, one per pair).
    distance_m
        Network distance of each pair in metres (float64).
    """

    unit_pos: np.ndarray
    facility_pos: np.ndarray
    distance_m: np.ndarray


@dataclass(frozen=True, slots=True)
class ProvisionTotals:
    """Demand and its service over all units, in capacity units (places).

    ``served_unknown_capacity`` is the part served by facilities of unknown capacity (treated as
    unlimited), so an upper bound rather than a fact.
    """

    demand: float
    served_within: float
    served_beyond: float
    unserved: float
    served_unknown_capacity: float
    mean_distance_m: float

    @property
    def within_share(self) -> float:
        """Share of demand served within the limit (NaN without demand)."""
        return self.served_within / self.demand if self.demand > 0 else math.nan

    @property
    def served_share(self) -> float:
        """Share of demand served at all, within or beyond the limit (NaN without demand)."""
        served = self.served_within + self.served_beyond
        return served / self.demand if self.demand > 0 else math.nan


@dataclass(frozen=True, slots=True, eq=False)
class ProvisionResult:
    """The solved assignment of one service.

    Attributes
    ----------
    units
        One row per unit, in demand order: ``unit_id``, ``demand``, ``served_within``,
        ``served_beyond``, ``unserved`` (the three sum to ``demand``), ``served_within_share``,
        ``served_share``, ``unserved_share`` (in [0, 1]; NaN when demand is zero),
        ``via_unknown_capacity`` (places served by facilities of unknown capacity),
        ``mean_distance_m`` (place-weighted, NaN when nothing is served) and ``status``: one of
        "no_demand", "within_norm", "beyond_norm", "partly_unserved", "unserved".
    facilities
        One row per facility, in capacity order: ``facility_id``, ``capacity`` (NaN = unknown),
        ``capacity_known``, ``load``, ``load_within``, ``load_beyond``, ``load_share``
        (load / capacity in [0, 1]; NaN when capacity is unknown or zero), ``spare_capacity``
        and ``is_full``.
    links
        Who is served by whom: ``unit_id``, ``facility_id``, ``distance_m``, ``places``,
        ``within_limit``; only links carrying places, by unit then distance.
    limit_m
        The walking limit the tiers were split at.
    """

    units: pd.DataFrame
    facilities: pd.DataFrame
    links: pd.DataFrame
    limit_m: float

    def totals(self) -> ProvisionTotals:
        """Return demand, served and unserved places summed over all units."""
        units = self.units
        served = float((units["served_within"] + units["served_beyond"]).sum())
        place_m = float((self.links["places"] * self.links["distance_m"]).sum())
        return ProvisionTotals(
            demand=float(units["demand"].sum()),
            served_within=float(units["served_within"].sum()),
            served_beyond=float(units["served_beyond"].sum()),
            unserved=float(units["unserved"].sum()),
            served_unknown_capacity=float(units["via_unknown_capacity"].sum()),
            mean_distance_m=place_m / served if served > 0 else math.nan,
        )

    def summary(self, groups: pd.Series) -> pd.DataFrame:
        """Return demand, service and provision shares per group of units (e.g. district).

        Parameters
        ----------
        groups
            Group label per unit id (index: unit ids); units missing from it form no group.

        Returns
        -------
        pandas.DataFrame
            Indexed by group: ``demand``, ``served_within``, ``served_beyond``, ``unserved``,
            ``within_share`` and ``served_share`` (NaN for a group without demand).
        """
        units = self.units.set_index("unit_id")
        label = groups.reindex(units.index)
        columns = ["demand", "served_within", "served_beyond", "unserved"]
        table = units[columns].groupby(label, sort=True).sum()
        demand = table["demand"].where(table["demand"] > 0)
        table["within_share"] = (table["served_within"] / demand).clip(0.0, 1.0)
        table["served_share"] = ((table["served_within"] + table["served_beyond"]) / demand).clip(
            0.0, 1.0
        )
        return table

    @property
    def unknown_capacity_ids(self) -> tuple[Hashable, ...]:
        """Ids of facilities whose capacity is unknown and was treated as unlimited."""
        table = self.facilities
        return tuple(table.loc[~table["capacity_known"], "facility_id"])


@dataclass(frozen=True, slots=True)
class ServedUnit:
    """One unit served by a facility: its places there and their share of the facility's load."""

    unit_id: Hashable
    places: float
    distance_m: float
    share_of_load: float


@dataclass(frozen=True, slots=True)
class UnitExplanation:
    """Why a unit is (not) served: its figures, its nearest facility and who fills that facility.

    Attributes
    ----------
    unit_id, demand, served_within, served_beyond, unserved
        The unit's row of ``ProvisionResult.units``.
    nearest_facility_id, nearest_distance_m
        The nearest reachable facility (None and inf when none is reachable).
    nearest_within_limit
        Whether the nearest facility is within the walking limit.
    nearest_capacity, nearest_load, nearest_capacity_known, nearest_is_full
        That facility's capacity (NaN if unknown), load, and whether it is full
        (``load >= capacity - eps``; never for an unknown capacity).
    nearest_top_units
        The units that facility serves with the most places, largest first.
    limit_m
        The walking limit the unit was judged against, metres.

    Figures only: ``planner.presentation.explain.provision_sentence`` says it in words.
    """

    unit_id: Hashable
    demand: float
    served_within: float
    served_beyond: float
    unserved: float
    nearest_facility_id: Hashable | None
    nearest_distance_m: float
    nearest_within_limit: bool
    nearest_capacity: float
    nearest_load: float
    nearest_capacity_known: bool
    nearest_is_full: bool
    nearest_top_units: tuple[ServedUnit, ...]
    limit_m: float


def index_pairs(demand: pd.Series, capacity: pd.Series, pairs: pd.DataFrame) -> IndexedPairs:
    """Validate the three inputs of provision and FCA and return the pairs as row positions.

    Parameters
    ----------
    demand
        Places needed per unit (index: unique unit ids); finite and non-negative.
    capacity
        Places offered per facility (index: unique facility ids); non-negative or NaN (unknown).
    pairs
        ``unit_id``, ``facility_id``, ``distance_m`` (finite, non-negative metres); each pair
        at most once; every id present in ``demand`` / ``capacity``.

    Returns
    -------
    IndexedPairs
        Positions into ``demand`` and ``capacity`` and the distances, in the pairs' row order.

    Raises
    ------
    ProvisionError
        Any of the conditions above is broken; the message names the offending ids.
    """
    _check_ids(demand.index, "demand", "unit")
    _check_ids(capacity.index, "capacity", "facility")
    demand_values = demand.to_numpy(dtype=float)
    if not np.all(np.isfinite(demand_values) & (demand_values >= 0)):
        bad = demand.index[~(np.isfinite(demand_values) & (demand_values >= 0))]
        msg = (
            f"Demand must be a finite, non-negative number of places per unit; "
            f"check units {_first(bad)}."
        )
        raise ProvisionError(msg)
    capacity_values = capacity.to_numpy(dtype=float)
    bad_capacity = (capacity_values < 0) | np.isinf(capacity_values)
    if bad_capacity.any():
        msg = (
            f"Capacity must be non-negative and finite (NaN when unknown); "
            f"check facilities {_first(capacity.index[bad_capacity])}."
        )
        raise ProvisionError(msg)
    missing = [column for column in PAIR_COLUMNS if column not in pairs.columns]
    if missing:
        msg = f"The pairs table lacks column(s) {', '.join(missing)}; it needs {PAIR_COLUMNS}."
        raise ProvisionError(msg)
    unit_pos = demand.index.get_indexer(pd.Index(pairs["unit_id"]))
    facility_pos = capacity.index.get_indexer(pd.Index(pairs["facility_id"]))
    if (unit_pos < 0).any():
        unknown = pairs["unit_id"].to_numpy()[unit_pos < 0]
        msg = f"Pairs name unit ids that have no demand: {_first(unknown)}. Add them to demand."
        raise ProvisionError(msg)
    if (facility_pos < 0).any():
        unknown = pairs["facility_id"].to_numpy()[facility_pos < 0]
        msg = (
            f"Pairs name facility ids that have no capacity entry: {_first(unknown)}. "
            "Add them to capacity (NaN when unknown)."
        )
        raise ProvisionError(msg)
    distance_m = pd.to_numeric(pairs["distance_m"], errors="coerce").to_numpy(dtype=float)
    bad_distance = ~(np.isfinite(distance_m) & (distance_m >= 0))
    if bad_distance.any():
        msg = (
            "Pair distances must be finite, non-negative metres; "
            f"check the pairs of units {_first(pairs['unit_id'].to_numpy()[bad_distance])}."
        )
        raise ProvisionError(msg)
    key = unit_pos.astype(np.int64) * max(len(capacity), 1) + facility_pos
    if len(np.unique(key)) != len(key):
        msg = "A (unit_id, facility_id) pair appears more than once; keep the shortest distance."
        raise ProvisionError(msg)
    return IndexedPairs(unit_pos.astype(np.int64), facility_pos.astype(np.int64), distance_m)


def solve_provision(
    demand: pd.Series, capacity: pd.Series, pairs: pd.DataFrame, *, limit_m: float
) -> ProvisionResult:
    """Assign each unit's demand to facilities, within the limit first, respecting capacity.

    Parameters
    ----------
    demand
        Places needed per unit, indexed by unique unit id (``planner.demand.unit_demand``).
    capacity
        Places per facility, indexed by unique facility id; NaN means unknown and is treated as
        unlimited (flagged in the result).
    pairs
        Every reachable pair to consider: ``unit_id``, ``facility_id``, ``distance_m`` (network
        metres), up to whatever cap the caller sets for weak (beyond-limit) provision.
    limit_m
        Walking limit in metres: pairs with ``distance_m <= limit_m`` serve within the norm.

    Returns
    -------
    ProvisionResult
        Per-unit, per-facility and per-link tables (see the class); deterministic.

    Raises
    ------
    ProvisionError
        Invalid inputs (see ``index_pairs``), a non-positive limit, or a solver failure.
    """
    if not (math.isfinite(limit_m) and limit_m > 0):
        msg = f"The walking limit must be a positive number of metres, got {limit_m}."
        raise ProvisionError(msg)
    indexed = index_pairs(demand, capacity, pairs)
    demand_values = demand.to_numpy(dtype=float)
    capacity_values = capacity.to_numpy(dtype=float)
    places = _solve(indexed, demand_values, capacity_values, limit_m=limit_m)
    return _build_result(
        indexed, places, demand, capacity, pairs, limit_m=limit_m, demand_values=demand_values
    )


def explain_unit(
    result: ProvisionResult,
    pairs: pd.DataFrame,
    unit_id: Hashable,
    *,
    limit_m: float,
    top_n: int = 3,
) -> UnitExplanation:
    """Explain one unit's provision: its nearest facility, its distance, and whether it is full.

    Parameters
    ----------
    result
        The solved provision.
    pairs
        The pairs table it was solved on (``unit_id``, ``facility_id``, ``distance_m``).
    unit_id
        The unit to explain.
    limit_m
        The walking limit in metres.
    top_n
        How many of the units served by the nearest facility to list.

    Returns
    -------
    UnitExplanation
        The figures (no text: see ``planner.presentation.explain``).

    Raises
    ------
    ProvisionError
        ``unit_id`` is not in the result.
    """
    rows = result.units.loc[result.units["unit_id"] == unit_id]
    if rows.empty:
        msg = f"Unit {unit_id!r} is not in the provision result; pick one of its unit ids."
        raise ProvisionError(msg)
    row = rows.iloc[0]
    own = pairs.loc[pairs["unit_id"] == unit_id]
    nearest_id: Hashable | None = None
    distance_m, capacity, load = math.inf, math.nan, 0.0
    known = full = False
    top: tuple[ServedUnit, ...] = ()
    if not own.empty:
        best = own.sort_values("distance_m", kind="stable").iloc[0]
        nearest_id, distance_m = best["facility_id"], float(best["distance_m"])
        table = result.facilities
        facility = table.loc[table["facility_id"] == nearest_id].iloc[0]
        capacity, load = float(facility["capacity"]), float(facility["load"])
        known, full = bool(facility["capacity_known"]), bool(facility["is_full"])
        top = _top_units(result.links, nearest_id, load, top_n)
    within = distance_m <= limit_m
    return UnitExplanation(
        unit_id=unit_id,
        demand=float(row["demand"]),
        served_within=float(row["served_within"]),
        served_beyond=float(row["served_beyond"]),
        unserved=float(row["unserved"]),
        nearest_facility_id=nearest_id,
        nearest_distance_m=distance_m,
        nearest_within_limit=within,
        nearest_capacity=capacity,
        nearest_load=load,
        nearest_capacity_known=known,
        nearest_is_full=full,
        nearest_top_units=top,
        limit_m=float(limit_m),
    )


def _solve(
    indexed: IndexedPairs, demand: np.ndarray, capacity: np.ndarray, *, limit_m: float
) -> np.ndarray:
    """Return the places on each pair (zeros where a pair carries none)."""
    places = np.zeros(len(indexed.distance_m))
    # Pairs to a unit without demand or a facility without places can carry nothing.
    active = np.flatnonzero((demand[indexed.unit_pos] > 0) & ~(capacity[indexed.facility_pos] <= 0))
    if active.size == 0:
        return places
    unit_pos = indexed.unit_pos[active]
    facility_pos = indexed.facility_pos[active]
    distance_m = indexed.distance_m[active]
    fixed, keep, unlimited = _presolve(
        unit_pos, facility_pos, distance_m, demand, capacity, limit_m=limit_m
    )
    places[active] = fixed
    if keep.any():
        lp_capacity = np.where(unlimited, np.nan, capacity)
        places[active[keep]] = _solve_lp(
            unit_pos[keep],
            facility_pos[keep],
            distance_m[keep],
            demand,
            lp_capacity,
            limit_m=limit_m,
        )
    return places


def _presolve(
    unit_pos: np.ndarray,
    facility_pos: np.ndarray,
    distance_m: np.ndarray,
    demand: np.ndarray,
    capacity: np.ndarray,
    *,
    limit_m: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Settle what needs no LP: return fixed places per pair, pairs left, unlimited facilities.

    Exact reductions, repeated until nothing changes. A facility is *unlimited* when its capacity
    is unknown or at least the whole demand that can reach it (the constraint can never bind).
    For each unit, moving flow from any pair ranked worse (beyond before within, then longer) than
    its best pair to an unlimited facility onto that pair never worsens the objective and only
    frees capacity; so those worse pairs are dropped, and a unit whose best pair of all goes to
    an unlimited facility is served there in full and leaves the LP.
    """
    n_units, n_fac = len(demand), len(capacity)
    # One number ranks pairs as the objective does: every beyond pair after every within pair.
    rank = np.where(distance_m <= limit_m, distance_m, distance_m.max() + 1.0 + distance_m)
    order = np.lexsort((facility_pos, rank, unit_pos))
    fixed = np.zeros(len(rank))
    keep = np.ones(len(rank), dtype=bool)
    unlimited = np.isnan(capacity)
    while True:
        reach = np.bincount(facility_pos[keep], weights=demand[unit_pos[keep]], minlength=n_fac)
        unlimited |= reach <= capacity  # NaN compares False: stays as set above
        open_pair = keep & unlimited[facility_pos]
        best = np.full(n_units, np.inf)
        np.minimum.at(best, unit_pos[keep], rank[keep])
        best_open = np.full(n_units, np.inf)
        np.minimum.at(best_open, unit_pos[open_pair], rank[open_pair])
        settled = np.isfinite(best_open) & (best_open <= best)
        choice = open_pair & settled[unit_pos] & (rank == best_open[unit_pos])
        chosen = order[choice[order]]  # by unit, rank, facility: the first of each unit wins
        first = np.ones(len(chosen), dtype=bool)
        first[1:] = unit_pos[chosen][1:] != unit_pos[chosen][:-1]
        fixed[chosen[first]] = demand[unit_pos[chosen[first]]]
        dropped = keep & (settled[unit_pos] | (rank > best_open[unit_pos]))
        keep &= ~dropped
        if not dropped.any():
            return fixed, keep, unlimited


def _solve_lp(
    unit_pos: np.ndarray,
    facility_pos: np.ndarray,
    distance_m: np.ndarray,
    demand: np.ndarray,
    capacity: np.ndarray,
    *,
    limit_m: float,
) -> np.ndarray:
    """Solve the linear programme on the given pairs (NaN capacity = unlimited); places per pair."""
    # Rows: one per unit with pairs (served <= demand), one per limited facility
    # (load <= capacity). Unlimited facilities get no row.
    units, unit_row = np.unique(unit_pos, return_inverse=True)
    facilities, facility_row = np.unique(facility_pos, return_inverse=True)
    known = ~np.isnan(capacity[facilities])
    known_row = np.cumsum(known) - 1 + len(units)
    pair_known = known[facility_row]
    n_pairs = len(unit_pos)
    rows = np.concatenate([unit_row, known_row[facility_row][pair_known]])
    cols = np.concatenate([np.arange(n_pairs), np.flatnonzero(pair_known)])
    n_rows = len(units) + int(known.sum())
    matrix = sp.csc_array((np.ones(len(rows)), (rows, cols)), shape=(n_rows, n_pairs))
    rhs = np.concatenate([demand[units], capacity[facilities][known]])
    costs = _link_costs(distance_m, limit_m=limit_m, n_units=len(units), n_fac=len(facilities))
    # The primal is  min costs @ x  s.t.  matrix @ x <= rhs, x >= 0.  HiGHS solves its dual
    # (min rhs @ y  s.t.  -matrix.T @ y <= costs, y >= 0: one row per pair, one column per unit or
    # facility) several times faster on town-sized instances, and the dual's simplex multipliers
    # are a basic optimal x of the primal (x = -marginals).
    solution = linprog(rhs, A_ub=-matrix.T.tocsc(), b_ub=costs, bounds=(0, None), method="highs")
    if solution.status != 0 or solution.get("ineqlin") is None:
        msg = (
            f"The provision solver (HiGHS) failed with status {solution.status}: "
            f"{solution.message} Check the inputs for extreme values (e.g. capacities of 1e15) "
            "and report the case if they look normal."
        )
        raise ProvisionError(msg)
    x: np.ndarray = np.clip(-np.asarray(solution.ineqlin.marginals, dtype=float), 0.0, None)
    x[x < _TINY_PLACES * max(1.0, float(demand[units].max()))] = 0.0
    # Solver tolerance can put a hair more than a unit's demand on its links: scale it back so
    # served + unserved equals demand exactly.
    served = np.bincount(unit_row, weights=x, minlength=len(units))
    over = served > demand[units]
    if over.any():
        scale = np.ones(len(units))
        scale[over] = demand[units][over] / served[over]
        x *= scale[unit_row]
    return x


def _link_costs(distance_m: np.ndarray, *, limit_m: float, n_units: int, n_fac: int) -> np.ndarray:
    """Costs per pair minus the unserved cost, so minimising gives the lexicographic optimum.

    See the module docstring for why ``M > L`` and ``BIG > M + L`` suffice.
    """
    max_d = float(distance_m.max()) if distance_m.size else 0.0
    cycle_m = 2.0 * min(n_units, n_fac) * max_d  # L: bound on distance change along a cycle
    tier_m = cycle_m + max_d + 1.0  # M: weight of "served at all"
    big = tier_m + cycle_m + max_d + 1.0  # BIG: weight of "served within"
    unserved_cost = big + tier_m
    costs = np.where(distance_m <= limit_m, distance_m, big + distance_m)
    # Expressed against the unserved cost, the slack variables disappear: x <= demand instead.
    return costs - unserved_cost


def _build_result(
    indexed: IndexedPairs,
    places: np.ndarray,
    demand: pd.Series,
    capacity: pd.Series,
    pairs: pd.DataFrame,
    *,
    limit_m: float,
    demand_values: np.ndarray,
) -> ProvisionResult:
    n_units, n_fac = len(demand), len(capacity)
    within = indexed.distance_m <= limit_m
    capacity_values = capacity.to_numpy(dtype=float)
    known_pair = ~np.isnan(capacity_values[indexed.facility_pos])

    def per_unit(weights: np.ndarray) -> np.ndarray:
        return np.bincount(indexed.unit_pos, weights=weights, minlength=n_units)

    def per_facility(weights: np.ndarray) -> np.ndarray:
        return np.bincount(indexed.facility_pos, weights=weights, minlength=n_fac)

    served_within = per_unit(places * within)
    served_beyond = per_unit(places * ~within)
    served = served_within + served_beyond
    unserved = np.clip(demand_values - served, 0.0, None)
    with np.errstate(invalid="ignore", divide="ignore"):
        has_demand = demand_values > 0
        share = np.where(has_demand, 1.0, np.nan) / np.where(has_demand, demand_values, 1.0)
        place_m = per_unit(places * indexed.distance_m)
        mean_distance = np.where(served > 0, place_m / np.where(served > 0, served, 1.0), np.nan)
    units = pd.DataFrame(
        {
            "unit_id": demand.index.to_numpy(),
            "demand": demand_values,
            "served_within": served_within,
            "served_beyond": served_beyond,
            "unserved": unserved,
            "served_within_share": np.clip(served_within * share, 0.0, 1.0),
            "served_share": np.clip(served * share, 0.0, 1.0),
            "unserved_share": np.clip(unserved * share, 0.0, 1.0),
            "via_unknown_capacity": per_unit(places * ~known_pair),
            "mean_distance_m": mean_distance,
            "status": _status(demand_values, served_beyond, unserved, served),
        }
    )
    load_within = per_facility(places * within)
    load_beyond = per_facility(places * ~within)
    load = load_within + load_beyond
    known = ~np.isnan(capacity_values)
    positive = known & (capacity_values > 0)
    safe_capacity = np.where(positive, capacity_values, 1.0)
    facilities = pd.DataFrame(
        {
            "facility_id": capacity.index.to_numpy(),
            "capacity": capacity_values,
            "capacity_known": known,
            "load": load,
            "load_within": load_within,
            "load_beyond": load_beyond,
            "load_share": np.where(positive, np.clip(load / safe_capacity, 0.0, 1.0), np.nan),
            "spare_capacity": np.where(known, np.clip(capacity_values - load, 0.0, None), np.nan),
            "is_full": known & (load >= capacity_values - _STATUS_EPS * np.maximum(1.0, load)),
        }
    )
    used = np.flatnonzero(places > 0)
    links = pd.DataFrame(
        {
            "unit_id": pairs["unit_id"].to_numpy()[used],
            "facility_id": pairs["facility_id"].to_numpy()[used],
            "distance_m": indexed.distance_m[used],
            "places": places[used],
            "within_limit": within[used],
        }
    )
    order = np.lexsort(
        (indexed.facility_pos[used], indexed.distance_m[used], indexed.unit_pos[used])
    )
    links = links.iloc[order].reset_index(drop=True)
    return ProvisionResult(units=units, facilities=facilities, links=links, limit_m=float(limit_m))


def _status(
    demand: np.ndarray, served_beyond: np.ndarray, unserved: np.ndarray, served: np.ndarray
) -> np.ndarray:
    tolerance = _STATUS_EPS * np.maximum(1.0, demand)
    # Assigned from the weakest condition to the strongest, so the strongest wins.
    status = np.full(len(demand), "partly_unserved", dtype=object)
    status[served <= tolerance] = "unserved"
    full = unserved <= tolerance
    status[full] = np.where(served_beyond[full] <= tolerance[full], "within_norm", "beyond_norm")
    status[demand <= tolerance] = "no_demand"
    return status


def _top_units(
    links: pd.DataFrame, facility_id: Hashable, load: float, top_n: int
) -> tuple[ServedUnit, ...]:
    served = links.loc[links["facility_id"] == facility_id]
    served = served.sort_values("places", ascending=False, kind="stable").head(top_n)
    return tuple(
        ServedUnit(
            unit_id=unit,
            places=float(amount),
            distance_m=float(distance),
            share_of_load=float(amount) / load if load > 0 else math.nan,
        )
        for unit, amount, distance in served[["unit_id", "places", "distance_m"]].itertuples(
            index=False
        )
    )


def _check_ids(index: pd.Index, table: str, kind: str) -> None:
    if index.has_duplicates:
        msg = f"The {table} table repeats {kind} ids: {_first(index[index.duplicated()])}."
        raise ProvisionError(msg + f" Give each {kind} one row.")


def _first(values: object, n: int = 5) -> str:
    items = list(pd.unique(pd.Series(np.asarray(values, dtype=object))))
    shown = ", ".join(map(str, items[:n]))
    return shown + (f" and {len(items) - n} more" if len(items) > n else "")
