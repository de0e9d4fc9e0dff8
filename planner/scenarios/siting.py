"""Optimal siting: where to build k new facilities of one service, and how big.

The question: given the existing facilities and their capacities (kept as they are), which k
candidate sites, each with one of the norm set's standard project sizes, serve the most demand
within the walking norm? Demand and distances are those of the analysis (``planner.demand``,
the walking network with homes and sites attached to the streets), so a proposal re-analysed as
a scenario gives exactly the served figure the optimiser reports.

The model is a mixed-integer programme solved exactly by HiGHS (``scipy.optimize.milp``):

- ``x`` flow of places from each home to each facility or site within the walking limit;
- ``y[j, s]`` = 1 when site j gets size s; at most one size per site and at most k sites;
- each home's flows add up to at most its demand; each existing facility's to at most its
  capacity (an unknown capacity is unlimited); each site's to at most its chosen size, and each
  single flow to at most the home's demand when the site is open (a standard strengthening that
  tightens the relaxation without changing the optimum);
- maximise the total flow.

Exact reductions keep it small: only pairs within the walking limit exist; homes without
demand and sites that reach no demand are dropped; parts of the town that no site reaches are
solved once as a plain maximum flow and added as a constant; and a site is dropped when at
least k other kept sites reach every home it reaches (in any optimum using it, one of those is
unused and can take its place with the same size and flows). The answer's sizes are then the
smallest standard size that carries each site's flow.

Also here: ``greedy_sites`` (one site at a time, the one that serves most of the demand still
unserved, for comparison) and ``cover_all`` (the fewest new facilities that serve all the
demand that new facilities can serve within the norm).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import csgraph

from planner.access_network import build_access_network, town_destinations, town_origins
from planner.coverage import counted_statuses
from planner.demand import unit_demand
from planner.errors import PlannerError
from planner.model import Town
from planner.network import WalkGraph, build_walk_graph
from planner.norms import NormSet

__all__ = [
    "SiteChoice",
    "SitingError",
    "SitingProblem",
    "SitingSolution",
    "build_problem",
    "cover_all",
    "greedy_sites",
    "max_served",
    "optimize_sites",
]

DEFAULT_TIME_LIMIT_S = 60.0
"""The solver stops after this long and reports the best answer and its gap."""

_FLOW_EPS = 1e-7
"""Flows below this many places are solver noise."""


class SitingError(PlannerError, ValueError):
    """The siting question cannot be asked (service without a walking norm or sizes, k < 1)."""


SiteChoice = tuple[int, float]
"""(candidate position, size)."""


@dataclass(frozen=True, slots=True, eq=False)
class SitingProblem:
    """One siting question, reduced to tables of positions (no geometry in the solver).

    Attributes
    ----------
    service, limit_m
        The service and its walking limit in metres.
    sizes
        The sizes a new facility may have (ascending).
    unit_ids, demand
        Homes and their demand (places).
    facility_ids, capacity
        Existing facilities of the service that count, and their capacity (NaN: unlimited).
    fac_unit, fac_pos
        Home-facility pairs within the limit (positions).
    candidates
        Candidate sites (``id``, point geometry, metric CRS).
    cand_unit, cand_pos
        Home-site pairs within the limit (positions).
    """

    service: str
    limit_m: float
    sizes: tuple[float, ...]
    unit_ids: np.ndarray
    demand: np.ndarray
    facility_ids: np.ndarray
    capacity: np.ndarray
    fac_unit: np.ndarray
    fac_pos: np.ndarray
    candidates: gpd.GeoDataFrame
    cand_unit: np.ndarray
    cand_pos: np.ndarray

    @property
    def n_candidates(self) -> int:
        """Number of candidate sites."""
        return len(self.candidates)


@dataclass(frozen=True, slots=True, eq=False)
class SitingSolution:
    """An answer: the chosen sites and what they achieve.

    Attributes
    ----------
    method
        ``milp`` (exact), ``greedy`` or ``cover`` (fewest facilities for all reachable demand).
    sites
        One row per new facility: ``candidate_id``, ``size``, ``load`` (places it serves within
        the norm), ``homes`` (homes it serves), ``x``, ``y`` (metric CRS), ``lon``, ``lat``.
    served_within
        Demand served within the norm with the new facilities, places.
    baseline_served
        The same with the existing facilities only.
    demand
        Total demand of the service.
    status
        ``optimal``, ``time_limit`` (best found, see ``gap``) or ``heuristic``.
    gap
        Relative optimality gap HiGHS proves (0 when optimal; NaN for the greedy answer).
    solve_s
        Wall time of the solve (the model build included), seconds.
    candidates_given, candidates_used
        Sites offered and sites left after the exact reductions.
    variables, constraints
        Size of the model solved.
    unreachable
        Demand no site and no facility can serve within the norm (the cover's remainder).
    """

    method: str
    sites: pd.DataFrame
    served_within: float
    baseline_served: float
    demand: float
    status: str
    gap: float
    solve_s: float
    candidates_given: int
    candidates_used: int
    variables: int = 0
    constraints: int = 0
    unreachable: float = 0.0
    notes: tuple[str, ...] = field(default=())

    @property
    def gain(self) -> float:
        """Places served within the norm that the new facilities add."""
        return self.served_within - self.baseline_served


def build_problem(
    town: Town,
    norms: NormSet,
    service: str,
    candidates: gpd.GeoDataFrame,
    *,
    sizes: tuple[float, ...] | None = None,
    include_planned: bool = False,
    graph: WalkGraph | None = None,
) -> SitingProblem:
    """Measure the walking distances a siting question needs.

    Parameters
    ----------
    town
        The town.
    norms
        The norm set (walking limit, demand rule, standard project sizes).
    service
        The service key.
    candidates
        Candidate sites (``id`` and points in the town's CRS; see ``planner.scenarios.candidates``).
    sizes
        Sizes a new facility may have; default the norm's standard project sizes.
    include_planned
        Count planned facilities as existing.
    graph
        The town's walking graph when already built.

    Raises
    ------
    SitingError
        If the service has no walking norm, no demand rule or no sizes, or a size is not positive.
    """
    norm = norms.service(service)
    if norm.walk_limit_m is None or not norm.demand.is_defined:
        msg = (
            f"Service {service!r} has no walking norm or no demand rule in {norms.key!r}, so "
            "there is no demand within a walk to serve. Choose e.g. kindergarten or school."
        )
        raise SitingError(msg)
    chosen = tuple(sorted(float(s) for s in (sizes if sizes is not None else norm.project_sizes)))
    if not chosen:
        msg = (
            f"Service {service!r} has no standard project sizes; give sizes (e.g. --sizes 80,180)."
        )
        raise SitingError(msg)
    if chosen[0] <= 0 or not all(math.isfinite(s) for s in chosen):
        msg = f"Facility sizes must be positive numbers, got {', '.join(map(str, chosen))}."
        raise SitingError(msg)
    limit_m = float(norm.walk_limit_m)
    demand = unit_demand(town.residential, norm)
    facilities = town.facilities[
        (town.facilities["service"] == service)
        & town.facilities["status"].isin(counted_statuses(include_planned=include_planned))
    ]
    points = town_destinations(town)
    existing = points[points.index.isin(set(facilities["id"]))]
    cand_ids = candidates["id"].astype(str).to_numpy()
    # Candidates join the network as destinations; their ids are kept apart from facility ids.
    cand_points = gpd.GeoSeries(
        candidates.geometry.to_numpy(),
        index=pd.Index([f"\0site:{i}" for i in cand_ids], name="id"),
        crs=candidates.crs,
    )
    graph = build_walk_graph(town.streets) if graph is None else graph
    net = build_access_network(graph, town_origins(town), pd.concat([existing, cand_points]))
    dist = csgraph.dijkstra(
        net.reverse_adjacency, directed=True, indices=net.origins.node, limit=limit_m
    )
    dist = np.asarray(dist).reshape(len(net.origins.ids), net.n_nodes)
    n_fac = len(existing)
    to_fac = dist[:, net.destinations.node[:n_fac]]
    to_cand = dist[:, net.destinations.node[n_fac:]]
    fac_unit, fac_pos = np.nonzero(to_fac <= limit_m)
    cand_unit, cand_pos = np.nonzero(to_cand <= limit_m)
    capacity = pd.to_numeric(
        facilities.set_index("id")["capacity"].reindex(existing.index), errors="coerce"
    ).to_numpy(dtype=float)
    return SitingProblem(
        service=service,
        limit_m=limit_m,
        sizes=chosen,
        unit_ids=net.origins.ids,
        demand=demand.reindex(net.origins.ids).to_numpy(dtype=float),
        facility_ids=np.asarray(existing.index, dtype=object),
        capacity=capacity,
        fac_unit=fac_unit.astype(np.int64),
        fac_pos=fac_pos.astype(np.int64),
        candidates=candidates.reset_index(drop=True),
        cand_unit=cand_unit.astype(np.int64),
        cand_pos=cand_pos.astype(np.int64),
    )


def max_served(problem: SitingProblem, sites: list[SiteChoice]) -> tuple[float, np.ndarray]:
    """Return the most demand served within the norm with the existing facilities plus ``sites``.

    A maximum flow solved as a linear programme; also returns the places served per home.
    """
    chosen = dict(sites)
    keep = np.isin(problem.cand_pos, list(chosen))
    cand_unit = problem.cand_unit[keep]
    cand_pos = problem.cand_pos[keep]
    cap_sites = np.array(
        [chosen[int(j)] for j in cand_pos[np.unique(cand_pos, return_index=True)[1]]]
    )
    sites_order, site_row = np.unique(cand_pos, return_inverse=True)
    cap_sites = np.array([chosen[int(j)] for j in sites_order])
    unit = np.concatenate([problem.fac_unit, cand_unit])
    n_pairs = len(unit)
    n_units = len(problem.demand)
    if n_pairs == 0:
        return 0.0, np.zeros(n_units)
    limited = ~np.isnan(problem.capacity)
    fac_row = np.cumsum(limited) - 1
    pair_limited = limited[problem.fac_pos]
    rows = [
        unit,
        n_units + fac_row[problem.fac_pos][pair_limited],
        n_units + int(limited.sum()) + site_row,
    ]
    cols = [
        np.arange(n_pairs),
        np.flatnonzero(pair_limited),
        len(problem.fac_unit) + np.arange(len(cand_unit)),
    ]
    n_rows = n_units + int(limited.sum()) + len(sites_order)
    matrix = sp.csr_array(
        (np.ones(sum(len(r) for r in rows)), (np.concatenate(rows), np.concatenate(cols))),
        shape=(n_rows, n_pairs),
    )
    rhs = np.concatenate([problem.demand, problem.capacity[limited], cap_sites])
    result = linprog(-np.ones(n_pairs), A_ub=matrix, b_ub=rhs, bounds=(0, None), method="highs")
    if result.status != 0:
        msg = f"The flow solver (HiGHS) failed: {result.message}"
        raise SitingError(msg)
    x = np.clip(result.x, 0.0, None)
    per_unit = np.bincount(unit, weights=x, minlength=n_units)
    return float(-result.fun), per_unit


def optimize_sites(
    problem: SitingProblem, k: int, *, time_limit_s: float = DEFAULT_TIME_LIMIT_S
) -> SitingSolution:
    """Choose ``k`` sites and sizes that serve the most demand within the norm, exactly.

    Parameters
    ----------
    problem
        The siting question (``build_problem``).
    k
        How many new facilities (at most; fewer only when more would serve nothing more).
    time_limit_s
        Stop after this long with the best answer found and its proven gap.

    Returns
    -------
    SitingSolution
        The sites, the served demand, the optimality gap and the solve time.
    """
    if k < 1:
        msg = f"The number of new facilities must be at least 1, got {k}."
        raise SitingError(msg)
    start = time.perf_counter()
    baseline, _ = max_served(problem, [])
    reduced = _reduce(problem, k)
    model = _model(problem, reduced, objective="served", k=k)
    result = milp(
        model.c,
        integrality=model.integrality,
        bounds=Bounds(0, model.upper),
        constraints=LinearConstraint(model.matrix, model.lower_rows, model.upper_rows),
        options={"time_limit": time_limit_s, "mip_rel_gap": 1e-9, "disp": False},
    )
    if result.x is None:
        msg = f"The siting solver (HiGHS) found no answer: {result.message}"
        raise SitingError(msg)
    sites = _chosen(problem, model, result.x)
    served, _ = max_served(problem, sites)
    status = "optimal" if result.status == 0 else "time_limit"
    gap = float(result.mip_gap) if result.mip_gap is not None else math.nan
    return SitingSolution(
        method="milp",
        sites=_site_table(problem, sites),
        served_within=served,
        baseline_served=baseline,
        demand=float(problem.demand.sum()),
        status=status,
        gap=0.0 if status == "optimal" and not gap > 0 else gap,
        solve_s=time.perf_counter() - start,
        candidates_given=problem.n_candidates,
        candidates_used=len(reduced.sites),
        variables=len(model.c),
        constraints=model.matrix.shape[0],
    )


def greedy_sites(problem: SitingProblem, k: int) -> SitingSolution:
    """Choose ``k`` sites one at a time, for comparison with the exact answer.

    Each step takes the site and size that serve the most demand still unserved within its
    reach, given the previous steps' exact assignment (ties: the smaller size, the first site).
    """
    start = time.perf_counter()
    baseline, per_unit = max_served(problem, [])
    sites: list[SiteChoice] = []
    for _ in range(k):
        choice = _best_next(problem, sites, per_unit)
        if choice is None:
            break
        sites.append(choice)
        _, per_unit = max_served(problem, sites)
    sites = _shrink(problem, sites)
    served, _ = max_served(problem, sites)
    return SitingSolution(
        method="greedy",
        sites=_site_table(problem, sites),
        served_within=served,
        baseline_served=baseline,
        demand=float(problem.demand.sum()),
        status="heuristic",
        gap=math.nan,
        solve_s=time.perf_counter() - start,
        candidates_given=problem.n_candidates,
        candidates_used=problem.n_candidates,
    )


def cover_all(
    problem: SitingProblem, *, time_limit_s: float = DEFAULT_TIME_LIMIT_S
) -> SitingSolution:
    """Find the fewest new facilities that serve all the demand new facilities can serve.

    "All" is the demand served within the norm when every site gets the largest size; what
    stays unserved even then (no site or facility within a walk, or more demand than sizes) is
    reported as ``unreachable``. Among answers with the fewest facilities the one with the least
    total capacity is chosen.
    """
    start = time.perf_counter()
    baseline, _ = max_served(problem, [])
    everything = [(j, problem.sizes[-1]) for j in range(problem.n_candidates)]
    target, _ = max_served(problem, everything)
    demand = float(problem.demand.sum())
    if target <= baseline + _FLOW_EPS * max(1.0, demand):
        return SitingSolution(
            method="cover",
            sites=_site_table(problem, []),
            served_within=baseline,
            baseline_served=baseline,
            demand=demand,
            status="optimal",
            gap=0.0,
            solve_s=time.perf_counter() - start,
            candidates_given=problem.n_candidates,
            candidates_used=0,
            unreachable=demand - baseline,
        )
    greedy = greedy_sites(problem, problem.n_candidates)
    # The greedy count bounds the optimum, so dominance with that many dominators is exact.
    bound = max(1, len(greedy.sites))
    reduced = _reduce(problem, bound)
    model = _model(problem, reduced, objective="count", k=bound, target=target * (1 - 1e-9))
    result = milp(
        model.c,
        integrality=model.integrality,
        bounds=Bounds(0, model.upper),
        constraints=LinearConstraint(model.matrix, model.lower_rows, model.upper_rows),
        options={"time_limit": time_limit_s, "mip_rel_gap": 1e-9, "disp": False},
    )
    if result.x is None:
        msg = f"The covering solver (HiGHS) found no answer: {result.message}"
        raise SitingError(msg)
    sites = _chosen(problem, model, result.x)
    served, _ = max_served(problem, sites)
    status = "optimal" if result.status == 0 else "time_limit"
    return SitingSolution(
        method="cover",
        sites=_site_table(problem, sites),
        served_within=served,
        baseline_served=baseline,
        demand=demand,
        status=status,
        gap=0.0 if status == "optimal" else float(result.mip_gap or math.nan),
        solve_s=time.perf_counter() - start,
        candidates_given=problem.n_candidates,
        candidates_used=len(reduced.sites),
        variables=len(model.c),
        constraints=model.matrix.shape[0],
        unreachable=demand - served,
    )


# -- reductions ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Reduced:
    sites: np.ndarray  # kept candidate positions
    units: np.ndarray  # homes in the model (reachable by a kept site, or sharing a facility)
    facilities: np.ndarray  # existing facilities in the model


def _reduce(problem: SitingProblem, k: int) -> _Reduced:
    n_units, n_cand = len(problem.demand), problem.n_candidates
    useful = problem.demand[problem.cand_unit] > 0
    reach = sp.csr_array(
        (np.ones(int(useful.sum())), (problem.cand_pos[useful], problem.cand_unit[useful])),
        shape=(n_cand, n_units),
    )
    size = np.asarray(reach.sum(axis=1)).ravel()
    alive = np.flatnonzero(size > 0)
    # Process sites by decreasing reach; drop one when k kept sites already reach all it reaches.
    order = alive[np.lexsort((alive, -size[alive]))]
    overlap = (reach[order] @ reach[order].T).toarray() if len(order) else np.zeros((0, 0))
    kept_mask = np.zeros(len(order), dtype=bool)
    for i in range(len(order)):
        dominators = (overlap[i, :i] >= size[order[i]] - 0.5) & kept_mask[:i]
        kept_mask[i] = int(dominators.sum()) < k
    sites = np.sort(order[kept_mask])
    # Homes and facilities connected (through pairs) to a kept site enter the model; the rest
    # of the town is a separate maximum flow that no new site changes.
    site_units = np.unique(problem.cand_unit[np.isin(problem.cand_pos, sites)])
    n_fac = len(problem.facility_ids)
    graph = sp.coo_array(
        (np.ones(len(problem.fac_unit)), (problem.fac_unit, n_units + problem.fac_pos)),
        shape=(n_units + n_fac, n_units + n_fac),
    )
    _, label = csgraph.connected_components(graph, directed=False)
    touched = np.isin(label, label[site_units]) if len(site_units) else np.zeros(len(label), bool)
    units = np.flatnonzero(touched[:n_units] & (problem.demand > 0))
    facilities = np.flatnonzero(touched[n_units:])
    return _Reduced(sites=sites, units=units, facilities=facilities)


# -- the model -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Model:
    c: np.ndarray
    integrality: np.ndarray
    upper: np.ndarray
    matrix: sp.csr_array
    lower_rows: np.ndarray
    upper_rows: np.ndarray
    n_fac_pairs: int
    cand_pairs: np.ndarray  # positions into problem.cand_* of the site pairs in the model
    site_of_y: np.ndarray  # candidate position of each y
    size_of_y: np.ndarray


def _model(
    problem: SitingProblem, reduced: _Reduced, *, objective: str, k: int, target: float = 0.0
) -> _Model:
    unit_index = np.full(len(problem.demand), -1)
    unit_index[reduced.units] = np.arange(len(reduced.units))
    fac_index = np.full(len(problem.facility_ids), -1)
    fac_index[reduced.facilities] = np.arange(len(reduced.facilities))
    site_index = np.full(problem.n_candidates, -1)
    site_index[reduced.sites] = np.arange(len(reduced.sites))
    fp = np.flatnonzero((unit_index[problem.fac_unit] >= 0) & (fac_index[problem.fac_pos] >= 0))
    cp = np.flatnonzero((unit_index[problem.cand_unit] >= 0) & (site_index[problem.cand_pos] >= 0))
    n_fp, n_cp = len(fp), len(cp)
    n_sites, n_sizes = len(reduced.sites), len(problem.sizes)
    n_y = n_sites * n_sizes
    n_var = n_fp + n_cp + n_y
    pair_unit = np.concatenate(
        [unit_index[problem.fac_unit[fp]], unit_index[problem.cand_unit[cp]]]
    )
    demand = problem.demand[reduced.units]
    sizes = np.asarray(problem.sizes)
    y_site = np.repeat(np.arange(n_sites), n_sizes)
    y_size = np.tile(sizes, n_sites)
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    vals: list[np.ndarray] = []
    lower: list[np.ndarray] = []
    upper: list[np.ndarray] = []
    row = 0

    def block(r: np.ndarray, c: np.ndarray, v: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> None:
        nonlocal row
        rows.append(r + row)
        cols.append(c)
        vals.append(v)
        lower.append(lo)
        upper.append(hi)
        row += len(lo)

    # Homes: sum of flows <= demand (== demand is not required: some may stay unserved).
    block(
        pair_unit,
        np.arange(n_fp + n_cp),
        np.ones(n_fp + n_cp),
        np.full(len(demand), -np.inf),
        demand,
    )
    # Existing facilities with a known capacity.
    caps = problem.capacity[reduced.facilities]
    limited = ~np.isnan(caps)
    lim_row = np.cumsum(limited) - 1
    local_fac = fac_index[problem.fac_pos[fp]]
    pick = limited[local_fac]
    block(
        lim_row[local_fac][pick],
        np.flatnonzero(pick),
        np.ones(int(pick.sum())),
        np.full(int(limited.sum()), -np.inf),
        caps[limited],
    )
    # Sites: flows - sum(size * y) <= 0.
    local_site = site_index[problem.cand_pos[cp]]
    block(
        np.concatenate([local_site, y_site]),
        np.concatenate([n_fp + np.arange(n_cp), n_fp + n_cp + np.arange(n_y)]),
        np.concatenate([np.ones(n_cp), -y_size]),
        np.full(n_sites, -np.inf),
        np.zeros(n_sites),
    )
    # One size per site.
    block(
        y_site,
        n_fp + n_cp + np.arange(n_y),
        np.ones(n_y),
        np.full(n_sites, -np.inf),
        np.ones(n_sites),
    )
    # Strengthening: each flow to a site <= the home's demand when the site is open.
    pair_demand = demand[unit_index[problem.cand_unit[cp]]]
    y_of_pair = n_fp + n_cp + local_site[:, None] * n_sizes + np.arange(n_sizes)[None, :]
    block(
        np.concatenate([np.arange(n_cp), np.repeat(np.arange(n_cp), n_sizes)]),
        np.concatenate([n_fp + np.arange(n_cp), y_of_pair.ravel()]),
        np.concatenate([np.ones(n_cp), -np.repeat(pair_demand, n_sizes)]),
        np.full(n_cp, -np.inf),
        np.zeros(n_cp),
    )
    c = np.zeros(n_var)
    if objective == "served":
        block(
            np.zeros(n_y, dtype=np.int64),
            n_fp + n_cp + np.arange(n_y),
            np.ones(n_y),
            np.array([-np.inf]),
            np.array([float(k)]),
        )
        c[: n_fp + n_cp] = -1.0
    else:
        # Serve at least the target (minus the part of the town outside the model).
        outside = _outside_served(problem, reduced)
        block(
            np.zeros(n_fp + n_cp, dtype=np.int64),
            np.arange(n_fp + n_cp),
            np.ones(n_fp + n_cp),
            np.array([target - outside]),
            np.array([np.inf]),
        )
        # Fewest sites first; among those, least capacity (weights < 1 / number of sites).
        c[n_fp + n_cp :] = 1.0 + y_size / (sizes[-1] * (n_sites + 1))
    matrix = sp.csr_array(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(row, n_var)
    )
    ub = np.concatenate([np.full(n_fp + n_cp, np.inf), np.ones(n_y)])
    integrality = np.concatenate([np.zeros(n_fp + n_cp), np.ones(n_y)])
    return _Model(
        c=c,
        integrality=integrality,
        upper=ub,
        matrix=matrix,
        lower_rows=np.concatenate(lower),
        upper_rows=np.concatenate(upper),
        n_fac_pairs=n_fp,
        cand_pairs=cp,
        site_of_y=reduced.sites[y_site],
        size_of_y=y_size,
    )


def _outside_served(problem: SitingProblem, reduced: _Reduced) -> float:
    """Demand served by the part of the town that is not in the model (a plain maximum flow)."""
    total, per_unit = max_served(problem, [])
    inside = per_unit[reduced.units].sum()
    return float(total - inside)


def _chosen(problem: SitingProblem, model: _Model, x: np.ndarray) -> list[SiteChoice]:
    y = x[len(x) - len(model.site_of_y) :]
    picked = np.flatnonzero(y > 0.5)
    sites = [(int(model.site_of_y[i]), float(model.size_of_y[i])) for i in picked]
    return _shrink(problem, sites)


def _shrink(problem: SitingProblem, sites: list[SiteChoice]) -> list[SiteChoice]:
    """Give each site the smallest standard size that still lets the same demand be served."""
    if not sites:
        return sites
    best, _ = max_served(problem, sites)
    tolerance = 1e-7 * max(1.0, best)
    result = list(sites)
    for index, (site, size) in enumerate(result):
        for smaller in problem.sizes:
            if smaller >= size:
                break
            trial = [*result[:index], (site, smaller), *result[index + 1 :]]
            if max_served(problem, trial)[0] >= best - tolerance:
                result = trial
                break
    # A site that serves nothing is no proposal.
    return [
        s
        for s in result
        if max_served(problem, [t for t in result if t != s])[0] < best - tolerance
    ]


def _best_next(
    problem: SitingProblem, sites: list[SiteChoice], per_unit: np.ndarray
) -> SiteChoice | None:
    residual = np.clip(problem.demand - per_unit, 0.0, None)
    taken = {j for j, _ in sites}
    reach = np.bincount(
        problem.cand_pos, weights=residual[problem.cand_unit], minlength=problem.n_candidates
    )
    if taken:
        reach[list(taken)] = -1.0
    best_gain, best = _FLOW_EPS, None
    for size in problem.sizes:
        gains = np.minimum(reach, size)
        j = int(np.argmax(gains))
        if gains[j] > best_gain + _FLOW_EPS:
            best_gain, best = float(gains[j]), (j, float(size))
    return best


def _site_table(problem: SitingProblem, sites: list[SiteChoice]) -> pd.DataFrame:
    columns = ["candidate_id", "size", "load", "homes", "x", "y", "lon", "lat"]
    if not sites:
        return pd.DataFrame(
            {c: pd.Series(dtype=float if c not in ("candidate_id",) else object) for c in columns}
        )
    chosen = problem.candidates.iloc[[j for j, _ in sites]]
    lonlat = chosen.to_crs("EPSG:4326").geometry
    loads = _site_loads(problem, sites)
    return pd.DataFrame(
        {
            "candidate_id": chosen["id"].astype(str).to_numpy(),
            "size": [s for _, s in sites],
            "load": [loads[j][0] for j, _ in sites],
            "homes": [loads[j][1] for j, _ in sites],
            "x": chosen.geometry.x.to_numpy(),
            "y": chosen.geometry.y.to_numpy(),
            "lon": lonlat.x.to_numpy(),
            "lat": lonlat.y.to_numpy(),
        }
    )


def _site_loads(problem: SitingProblem, sites: list[SiteChoice]) -> dict[int, tuple[float, int]]:
    """Places and homes each new site serves in one optimal assignment (existing ones first)."""
    chosen = dict(sites)
    keep = np.isin(problem.cand_pos, list(chosen))
    cand_unit, cand_pos = problem.cand_unit[keep], problem.cand_pos[keep]
    unit = np.concatenate([problem.fac_unit, cand_unit])
    n_units = len(problem.demand)
    limited = ~np.isnan(problem.capacity)
    fac_row = np.cumsum(limited) - 1
    pair_limited = limited[problem.fac_pos]
    order, site_row = np.unique(cand_pos, return_inverse=True)
    n_f = len(problem.fac_unit)
    rows = np.concatenate(
        [
            unit,
            n_units + fac_row[problem.fac_pos][pair_limited],
            n_units + int(limited.sum()) + site_row,
        ]
    )
    cols = np.concatenate(
        [np.arange(len(unit)), np.flatnonzero(pair_limited), n_f + np.arange(len(cand_unit))]
    )
    n_rows = n_units + int(limited.sum()) + len(order)
    matrix = sp.csr_array((np.ones(len(rows)), (rows, cols)), shape=(n_rows, len(unit)))
    rhs = np.concatenate(
        [problem.demand, problem.capacity[limited], [chosen[int(j)] for j in order]]
    )
    # Most flow first; then prefer existing facilities (new sites carry only what they must).
    cost = -np.ones(len(unit))
    cost[n_f:] += 1e-6
    result = linprog(cost, A_ub=matrix, b_ub=rhs, bounds=(0, None), method="highs")
    flow = np.clip(result.x, 0.0, None) if result.x is not None else np.zeros(len(unit))
    site_flow = flow[n_f:]
    out = {}
    for pos, j in enumerate(order):
        mine = site_row == pos
        out[int(j)] = (float(site_flow[mine].sum()), int((site_flow[mine] > _FLOW_EPS).sum()))
    return out
