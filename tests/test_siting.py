"""The siting MILP against independent answers: brute force and spopt's MCLP."""

from __future__ import annotations

import itertools

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
import shapely

from planner.norms import load_norms
from planner.scenarios import Scenario, run_comparison
from planner.scenarios.proposals import solution_to_scenario
from planner.scenarios.siting import (
    SitingProblem,
    build_problem,
    cover_all,
    greedy_sites,
    optimize_sites,
)
from tests.scenario_towns import X0, Y0, line_town


def _random_problem(seed: int, *, sizes=(3.0, 7.0), unlimited=False) -> SitingProblem:
    """8 homes, 2 existing facilities, 6 sites; random pairs within the limit, integer demand."""
    rng = np.random.default_rng(seed)
    n_units, n_fac, n_cand = 8, 2, 6
    fac = rng.random((n_units, n_fac)) < 0.3
    cand = rng.random((n_units, n_cand)) < 0.35
    fu, fp = np.nonzero(fac)
    cu, cp = np.nonzero(cand)
    points = shapely.points(np.column_stack([X0 + np.arange(n_cand) * 10, np.full(n_cand, Y0)]))
    return SitingProblem(
        service="kindergarten",
        limit_m=500.0,
        sizes=(1e9,) if unlimited else sizes,
        unit_ids=np.array([f"u{i}" for i in range(n_units)], dtype=object),
        demand=rng.integers(0, 6, n_units).astype(float),
        facility_ids=np.array([f"f{i}" for i in range(n_fac)], dtype=object),
        capacity=np.array([np.nan if unlimited else 2.0, np.nan if unlimited else 4.0]) * (
            0.0 if unlimited else 1.0
        ),
        fac_unit=fu,
        fac_pos=fp,
        candidates=gpd.GeoDataFrame({"id": [f"c{j}" for j in range(n_cand)]}, geometry=points,
                                    crs="EPSG:32634"),
        cand_unit=cu,
        cand_pos=cp,
    )  # fmt: skip


def _flow(problem: SitingProblem, chosen: dict[int, float]) -> float:
    """Maximum flow with networkx: source -> homes -> facilities/sites -> sink."""
    g = nx.DiGraph()
    for u, d in enumerate(problem.demand):
        g.add_edge("s", ("u", u), capacity=float(d))
    for u, f in zip(problem.fac_unit, problem.fac_pos, strict=True):
        g.add_edge(("u", int(u)), ("f", int(f)))
    for f, c in enumerate(problem.capacity):
        if np.isnan(c):
            g.add_edge(("f", f), "t")
        else:
            g.add_edge(("f", f), "t", capacity=float(c))
    for u, j in zip(problem.cand_unit, problem.cand_pos, strict=True):
        if int(j) in chosen:
            g.add_edge(("u", int(u)), ("c", int(j)))
    for j, size in chosen.items():
        g.add_edge(("c", j), "t", capacity=size)
    if "t" not in g:
        return 0.0
    return float(nx.maximum_flow_value(g, "s", "t"))


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("k", [1, 2, 3])
def test_milp_equals_brute_force_over_all_k_subsets_and_sizes(seed: int, k: int):
    problem = _random_problem(seed)
    best = 0.0
    for subset in itertools.combinations(range(problem.n_candidates), k):
        for sizes in itertools.product(problem.sizes, repeat=k):
            best = max(best, _flow(problem, dict(zip(subset, sizes, strict=True))))
    solution = optimize_sites(problem, k)
    assert solution.status == "optimal"
    assert solution.served_within == pytest.approx(best, abs=1e-6)
    # Its own sites, checked independently, give what it reports.
    chosen = dict(zip(
        [int(problem.candidates.index[problem.candidates["id"] == c][0]) for c in solution.sites["candidate_id"]],  # noqa: E501
        solution.sites["size"], strict=True))  # fmt: skip
    assert _flow(problem, chosen) == pytest.approx(solution.served_within, abs=1e-6)
    assert len(solution.sites) <= k
    assert greedy_sites(problem, k).served_within <= solution.served_within + 1e-6


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # pulp 3 announces its 4.0 API
@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("k", [1, 2])
def test_uncapacitated_milp_equals_spopt_mclp(seed: int, k: int):
    import pulp
    from spopt.locate import MCLP

    problem = _random_problem(seed, unlimited=True)
    problem = SitingProblem(**{**{f: getattr(problem, f) for f in problem.__dataclass_fields__},
                               "fac_unit": np.zeros(0, int), "fac_pos": np.zeros(0, int),
                               "facility_ids": np.zeros(0, object), "capacity": np.zeros(0)})  # fmt: skip  # noqa: E501
    cost = np.full((len(problem.demand), problem.n_candidates), 1000.0)
    cost[problem.cand_unit, problem.cand_pos] = 100.0
    mclp = MCLP.from_cost_matrix(cost, problem.demand, service_radius=500.0, p_facilities=k)
    mclp = mclp.solve(pulp.PULP_CBC_CMD(msg=False))
    covered = float(pulp.value(mclp.problem.objective))
    assert optimize_sites(problem, k).served_within == pytest.approx(covered, abs=1e-6)


def test_cover_uses_the_fewest_sites_that_serve_all_reachable_demand():
    problem = _random_problem(3)
    cover = cover_all(problem)
    everything = dict.fromkeys(range(problem.n_candidates), problem.sizes[-1])
    target = _flow(problem, everything)
    assert cover.served_within == pytest.approx(target, abs=1e-6)
    fewer = len(cover.sites) - 1
    for subset in itertools.combinations(range(problem.n_candidates), max(fewer, 0)):
        assert _flow(problem, dict.fromkeys(subset, problem.sizes[-1])) < target - 1e-6


def test_the_proposal_run_as_a_scenario_serves_what_the_optimiser_says():
    # Homes at 1000..1900 unserved; sites every 100 m along the street.
    homes = {"h1": 1000.0, "h2": 1200.0, "h3": 1400.0, "h4": 1600.0, "h5": 1900.0}
    town = line_town(homes, [("s1", 0.0, 2000.0)], [("k0", 0.0, 1000.0)])
    xs = np.arange(50.0, 2000.0, 100.0)
    sites = gpd.GeoDataFrame({"id": [f"c{int(x)}" for x in xs]},
                             geometry=shapely.points(np.column_stack([X0 + xs, np.full(len(xs), Y0)])),  # noqa: E501
                             crs="EPSG:32634")  # fmt: skip
    norms = load_norms()
    problem = build_problem(town, norms, "kindergarten", sites)
    solution = optimize_sites(problem, 1)
    # Only the site at x = 1450 reaches all five homes (h1 and h5 at 450 + 10 = 460 m): 5 × 51
    # places, and the smallest standard size holding 255 is 320.
    assert solution.served_within == pytest.approx(255.0)
    assert list(solution.sites["candidate_id"]) == ["c1450"]
    assert list(solution.sites["size"]) == [320.0]
    scenario = solution_to_scenario(solution, problem, name="proposal")
    comparison = run_comparison(town, scenario, norms, services=["kindergarten"])
    row = comparison.services.set_index("service").loc["kindergarten"]
    assert row["served_within_after"] == pytest.approx(solution.served_within)
    assert run_comparison(town, Scenario("x"), norms, services=["kindergarten"]).services[
        "served_within_after"
    ].iloc[0] == pytest.approx(solution.baseline_served)


@pytest.mark.slow
def test_gusev_kindergartens_are_proven_optimal():
    from planner.io import load_town
    from planner.paths import default_town_dir
    from planner.scenarios.candidates import street_candidates

    norms = load_norms()
    town = load_town(default_town_dir(), norms=norms)
    problem = build_problem(town, norms, "kindergarten", street_candidates(town, spacing_m=150))
    solution = optimize_sites(problem, 2)
    assert solution.status == "optimal"
    assert solution.gap == 0.0
    assert solution.served_within > solution.baseline_served
    assert greedy_sites(problem, 2).served_within <= solution.served_within + 1e-6
    assert pd.Series(solution.sites["size"]).isin(norms.service("kindergarten").project_sizes).all()
