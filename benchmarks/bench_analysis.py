"""Benchmarks of the accessibility engine (measurements, not timed tests).

Run from the repository root::

    .venv/bin/python benchmarks/bench_analysis.py            # full run, ~5 minutes
    .venv/bin/python benchmarks/bench_analysis.py --quick    # fewer repeats, sampled baselines

It prints a markdown report and writes it to ``benchmarks/results.md``:

- Gusev full analysis (every walking service: coverage, provision, gaps, catchments) cold (a
  fresh process: imports, load, graph, analysis) and warm (graph cached);
- a scenario-sized re-run (kindergartens only, one facility moved and resized, no catchments);
- scaling over synthetic towns of N = 1, 2, 5, 10, 20 Gusev copies (``synthetic_town.py``):
  time per stage and peak memory, each N in its own process;
- side by side in the same run, the straightforward networkx approach (a Dijkstra per
  residential unit; and a fairer multi-source Dijkstra per service) computing the same
  "nearest facility distance per unit per service" as planner's coverage step, with the ratio
  and the difference between the two answers.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import math
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    # Run as a script: make the repository root importable (``planner``, ``benchmarks``).
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import networkx as nx
import numpy as np
import numpy.typing as npt
import pandas as pd
import scipy
import shapely
from scipy.spatial import cKDTree

from benchmarks.synthetic_town import build_synthetic_town
from planner import analysis
from planner.access_network import (
    AccessNetwork,
    build_town_access_network,
    town_destinations,
    town_origins,
)
from planner.analysis import analyze_town
from planner.coverage import coverage_table
from planner.io import load_town
from planner.model import Town
from planner.network import build_walk_graph
from planner.norms import NormSet, load_norms
from planner.paths import PROJECT_ROOT, default_town_dir

RESULTS_FILE = Path(__file__).resolve().parent / "results.md"
SCALES = (1, 2, 5, 10, 20)

TARGET_WARM_S = 0.3
TARGET_SCENARIO_S = 0.2
TARGET_20X_S = 20.0
TARGET_SPEEDUP = 20.0

# Functions analyze_town calls, by the stage they are timed under (wrapped in its namespace).
STAGES: dict[str, tuple[str, ...]] = {
    "access": ("build_town_access_network",),
    "coverage": ("coverage_table",),
    "pairs": ("origin_destination_pairs", "label_pairs"),
    "lp": ("unit_demand", "solve_provision"),
    "fca": ("two_step_fca", "enhanced_two_step_fca"),
    "gaps": ("gap_zones", "overloaded_facilities", "service_requirements", "radius_circles"),
    # Built in a background thread while the stages above run: it overlaps them.
    "catchments": ("network_catchments",),
}
STAGE_LABELS = {
    "graph": "graph",
    "access": "access net",
    "coverage": "coverage",
    "pairs": "pairs",
    "lp": "provision LP",
    "fca": "2SFCA+E2SFCA",
    "gaps": "gaps + radius circles",
    "catchments": "catchments (background thread)",
    "other": "other",
    "total": "**total**",
}

COLD_CODE = """
import json, time
t0 = time.perf_counter()
from planner.analysis import analyze_town
from planner.io import load_town
from planner.network import build_walk_graph
from planner.norms import load_norms
t1 = time.perf_counter()
town = load_town({folder!r})
norms = load_norms(town.meta.default_norms)
t2 = time.perf_counter()
graph = build_walk_graph(town.streets)
t3 = time.perf_counter()
result = analyze_town(town, norms, graph=graph)
t4 = time.perf_counter()
print(json.dumps({{"imports": t1 - t0, "load": t2 - t1, "graph": t3 - t2, "analysis": t4 - t3,
                   "services": len(result.services)}}))
"""


# --------------------------------------------------------------------------------------------
# Helpers


def machine() -> dict[str, str]:
    """Return what the figures depend on: CPUs, CPU model, Python and library versions."""
    model = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return {
        "nproc": f"{os.cpu_count()} (usable: {affinity})",
        "cpu": model,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "shapely": shapely.__version__,
        "pandas": pd.__version__,
        "networkx": nx.__version__,
        "os": platform.platform(),
    }


def timed(fn: Callable[[], Any], repeats: int) -> tuple[list[float], Any]:
    """Call ``fn`` ``repeats`` times; return the wall times and the last result."""
    times = []
    result = None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return times, result


@contextlib.contextmanager
def stage_timers() -> Iterator[dict[str, float]]:
    """Time the stages of ``analyze_town`` by wrapping the functions it calls, in its namespace.

    Yields a dict stage -> accumulated seconds; the wrappers are removed on exit.
    """
    totals = dict.fromkeys(STAGES, 0.0)
    saved: dict[str, Any] = {}

    def wrap(stage: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                totals[stage] += time.perf_counter() - start

        return wrapper

    for stage, names in STAGES.items():
        for name in names:
            if hasattr(analysis, name):
                saved[name] = getattr(analysis, name)
                setattr(analysis, name, wrap(stage, saved[name]))
    try:
        yield totals
    finally:
        for name, fn in saved.items():
            setattr(analysis, name, fn)


def walk_services(norms: NormSet) -> list[str]:
    """Return the services analyze_town analyses by default (those with a walking norm)."""
    return [key for key, norm in norms.services.items() if norm.has_walk_norm]


def fmt_s(seconds: float) -> str:
    """Format a duration for the tables (ms below a second)."""
    if not math.isfinite(seconds):
        return "n/a"
    if seconds < 1.0:
        return f"{seconds * 1000:.0f} ms" if seconds >= 0.01 else f"{seconds * 1000:.1f} ms"
    return f"{seconds:.2f} s"


def run_worker(args: list[str], *, timeout_s: float = 1800) -> dict[str, Any]:
    """Run ``python -m benchmarks.bench_analysis --worker ...`` and return its JSON answer."""
    cmd = [sys.executable, "-m", "benchmarks.bench_analysis", "--worker", *args]
    done = subprocess.run(
        cmd, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False, timeout=timeout_s
    )
    if done.returncode:
        msg = f"worker {args} failed:\n{done.stderr[-3000:]}"
        raise RuntimeError(msg)
    answer: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return answer


# --------------------------------------------------------------------------------------------
# Gusev: cold, warm, scenario


def bench_cold(repeats: int) -> dict[str, Any]:
    """Full analysis of Gusev in fresh processes (imports + load + graph + analysis)."""
    code = COLD_CODE.format(folder=str(default_town_dir()))
    walls, parts = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", code],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        walls.append(time.perf_counter() - start)
        parts.append(json.loads(done.stdout.strip().splitlines()[-1]))
    best = min(range(repeats), key=lambda i: walls[i])
    return {"walls": walls, "parts": parts[best]}


def scenario_towns(town: Town, count: int) -> list[Town]:
    """Return ``count`` scenario variants: one kindergarten moved 60 m east and resized."""
    fac = town.facilities
    kg = np.flatnonzero(fac["service"].to_numpy() == "kindergarten")
    variants = []
    for i in range(count):
        row = int(kg[i % len(kg)])
        edited = fac.copy()
        geoms = edited.geometry.to_numpy().copy()
        geoms[row] = shapely.transform(geoms[row], lambda xy: xy + np.array([60.0, 0.0]))
        edited = edited.set_geometry(geoms, crs=fac.crs)
        capacity = float(edited.loc[edited.index[row], "capacity"])
        edited.loc[edited.index[row], "capacity"] = (capacity if capacity > 0 else 100.0) * 1.5
        variants.append(replace(town, facilities=edited))
    return variants


def bench_gusev(quick: bool) -> dict[str, Any]:
    """Cold, warm and scenario figures for the bundled Gusev model."""
    cold = bench_cold(2 if quick else 3)
    town = load_town(default_town_dir())
    norms = load_norms(town.meta.default_norms)
    graph = build_walk_graph(town.streets)
    analyze_town(town, norms, graph=graph)  # warm-up: imports, caches
    warm, result = timed(lambda: analyze_town(town, norms, graph=graph), 5)
    with stage_timers() as stages:
        analyze_town(town, norms, graph=graph)
    variants = scenario_towns(town, 10)
    scen = []
    for variant in variants:
        start = time.perf_counter()
        analyze_town(variant, norms, services=["kindergarten"], with_catchments=False, graph=graph)
        scen.append(time.perf_counter() - start)
    no_catch, _ = timed(
        lambda: analyze_town(town, norms, graph=graph, with_catchments=False), 3 if quick else 5
    )
    return {
        "cold": cold,
        "warm": warm,
        "warm_stages": stages,
        "warm_no_catchments": no_catch,
        "scenario": scen,
        "services": len(result.services),
        "units": len(town.residential),
        "nodes": graph.n_nodes,
    }


# --------------------------------------------------------------------------------------------
# Scaling (one process per N, for peak memory)


def worker_scale(n_copies: int, repeats: int) -> dict[str, Any]:
    """Build the N-copy town, then time graph + analyze_town per stage; report peak memory."""
    start = time.perf_counter()
    town = build_synthetic_town(n_copies)
    build_s = time.perf_counter() - start
    norms = load_norms(town.meta.default_norms)
    rss_town_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        graph = build_walk_graph(town.streets)
        graph_s = time.perf_counter() - start
        with stage_timers() as stages:
            start = time.perf_counter()
            result = analyze_town(town, norms, graph=graph)
            analysis_s = time.perf_counter() - start
        row = {"graph": graph_s, **stages}
        # Catchments overlap the other stages (a background thread), so they are not subtracted.
        row["other"] = analysis_s - sum(v for k, v in stages.items() if k != "catchments")
        row["total"] = graph_s + analysis_s
        runs.append(row)
    best = min(runs, key=lambda r: r["total"])
    return {
        "n": n_copies,
        "units": len(town.residential),
        "residents": int(town.residential["population"].sum()),
        "nodes": graph.n_nodes,
        "edges": len(graph.edges),
        "facilities": len(town.facilities),
        "services": len(result.services),
        "build_s": build_s,
        "stages": best,
        "repeats": repeats,
        "rss_town_mb": rss_town_mb,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


# --------------------------------------------------------------------------------------------
# The straightforward networkx approach


@dataclass
class NxBaseline:
    """A networkx graph of the streets with every unit and facility snapped to a node."""

    graph: nx.Graph
    unit_node: list[tuple[float, float]]
    unit_connector_m: npt.NDArray[np.float64]
    facility_connector_m: npt.NDArray[np.float64]
    facility_nodes: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


def nx_build(town: Town, services: list[str]) -> NxBaseline:
    """Build the networkx graph the way most analysts would, and snap points to nearest nodes.

    Street vertices are nodes (rounded to 1 cm, as planner does, so both see the same
    junctions), consecutive vertices are edges weighted by length. Each residential unit's
    representative point and each facility snaps to its nearest node (a k-d tree); a facility
    becomes a leaf joined to its node by its straight connector, and a unit's connector is
    added to its distances.
    """
    graph = nx.Graph()
    for geom in town.streets.geometry:
        for line in getattr(geom, "geoms", [geom]):
            coords = [(round(x, 2), round(y, 2)) for x, y in line.coords]
            for a, b in itertools.pairwise(coords):
                if a == b:
                    continue
                length = math.hypot(b[0] - a[0], b[1] - a[1])
                if not graph.has_edge(a, b) or graph[a][b]["length"] > length:
                    graph.add_edge(a, b, length=length)
    nodes = list(graph.nodes)
    tree = cKDTree(np.array(nodes))
    origins = shapely.get_coordinates(town_origins(town).to_numpy())
    unit_dist, unit_idx = tree.query(origins)
    fac = town.facilities[town.facilities["status"] == "existing"]
    fac_xy = shapely.get_coordinates(town_destinations(town).loc[fac["id"]].to_numpy())
    fac_dist, fac_idx = tree.query(fac_xy)
    baseline = NxBaseline(
        graph=graph,
        unit_node=[nodes[i] for i in unit_idx],
        unit_connector_m=np.asarray(unit_dist, dtype=np.float64),
        facility_connector_m=np.asarray(fac_dist, dtype=np.float64),
    )
    for fid, service, node_i, conn in zip(
        fac["id"], fac["service"], fac_idx, fac_dist, strict=True
    ):
        leaf = ("facility", str(fid))
        graph.add_edge(leaf, nodes[node_i], length=float(conn))
        if service in services:
            baseline.facility_nodes.setdefault(str(service), []).append(leaf)
    return baseline


def nx_per_unit(
    base: NxBaseline, services: list[str], order: npt.NDArray[np.int64], budget_s: float
) -> tuple[npt.NDArray[np.float64], int, float]:
    """One full Dijkstra per residential unit (cutoff None), min over each service's facilities.

    Units are done in ``order`` until all are done or ``budget_s`` is spent.

    Returns
    -------
    distances
        (units, services), NaN for units not done.
    done
        Units done.
    seconds
        Time spent.
    """
    out = np.full((len(base.unit_node), len(services)), np.nan)
    start = time.perf_counter()
    done = 0
    for i in order:
        lengths = nx.single_source_dijkstra_path_length(
            base.graph, base.unit_node[i], weight="length"
        )
        for j, key in enumerate(services):
            leaves = base.facility_nodes.get(key, [])
            best = min((lengths.get(leaf, math.inf) for leaf in leaves), default=math.inf)
            out[i, j] = best + base.unit_connector_m[i]
        done += 1
        if time.perf_counter() - start > budget_s:
            break
    return out, done, time.perf_counter() - start


def nx_multi_source(base: NxBaseline, services: list[str]) -> npt.NDArray[np.float64]:
    """One multi-source Dijkstra per service from its facility leaves; look each unit up."""
    out = np.full((len(base.unit_node), len(services)), np.inf)
    for j, key in enumerate(services):
        leaves = base.facility_nodes.get(key, [])
        if not leaves:
            continue
        lengths = nx.multi_source_dijkstra_path_length(base.graph, set(leaves), weight="length")
        out[:, j] = [lengths.get(node, math.inf) for node in base.unit_node]
        out[:, j] += base.unit_connector_m
    return out


def planner_nearest(town: Town, norms: NormSet, services: list[str]) -> pd.DataFrame:
    """Planner's comparable step: graph, attach points, coverage (nearest per unit+service)."""
    graph = build_walk_graph(town.streets)
    net = build_town_access_network(town, graph)
    return coverage_table(town, norms, net, services=services)


def compare(
    name: str, town: Town, norms: NormSet, *, budget_s: float, repeats: int
) -> dict[str, Any]:
    """Time planner and both networkx baselines on one town; compare their distances."""
    services = walk_services(norms)
    n_units = len(town.residential)
    # Planner end to end (graph + attach + nearest per service) and the paths step alone.
    e2e_times, cov = timed(lambda: planner_nearest(town, norms, services), repeats)
    net = build_town_access_network(town, build_walk_graph(town.streets))
    step_times, _ = timed(lambda: coverage_table(town, norms, net, services=services), repeats)
    planner_m = cov["distance_m"].to_numpy().reshape(len(services), n_units).T

    start = time.perf_counter()
    base = nx_build(town, services)
    nx_build_s = time.perf_counter() - start
    order = np.random.default_rng(0).permutation(n_units)
    per_unit_m, done, per_unit_s = nx_per_unit(base, services, order, budget_s)
    extrapolated = done < n_units
    per_unit_full_s = per_unit_s * n_units / done
    start = time.perf_counter()
    multi_m = nx_multi_source(base, services)
    multi_s = time.perf_counter() - start

    exact_m = nx_on_planner_graph(net, town, services)
    exact_diff = np.abs(exact_m - planner_m)[np.isfinite(planner_m)]
    fac_existing = town.facilities["status"].to_numpy() == "existing"
    fac_pos = net.destinations.positions(town.facilities["id"].to_numpy()[fac_existing])

    rows = order[:done]
    both = np.isfinite(planner_m[rows]) & np.isfinite(per_unit_m[rows])
    diff = (per_unit_m[rows] - planner_m[rows])[both]
    finite_multi = np.isfinite(multi_m) & np.isfinite(planner_m)
    multi_agree = float(np.max(np.abs(multi_m[rows] - per_unit_m[rows])[both], initial=0.0))
    reach_agree = bool(np.array_equal(np.isfinite(planner_m[rows]), np.isfinite(per_unit_m[rows])))
    return {
        "name": name,
        "units": n_units,
        "services": len(services),
        "nodes": base.graph.number_of_nodes(),
        "planner_e2e_s": min(e2e_times),
        "planner_step_s": min(step_times),
        "nx_build_s": nx_build_s,
        "per_unit_done": done,
        "per_unit_s": per_unit_full_s,
        "per_unit_extrapolated": extrapolated,
        "multi_s": multi_s,
        "mean_abs_diff_m": float(np.mean(np.abs(diff))) if len(diff) else math.nan,
        "mean_signed_diff_m": float(np.mean(diff)) if len(diff) else math.nan,
        "p95_abs_diff_m": float(np.percentile(np.abs(diff), 95)) if len(diff) else math.nan,
        "max_abs_diff_m": float(np.max(np.abs(diff))) if len(diff) else math.nan,
        "mean_planner_m": float(np.mean(planner_m[rows][both])) if len(diff) else math.nan,
        "pairs_compared": len(diff),
        "multi_vs_per_unit_max_m": multi_agree,
        "multi_pairs": int(finite_multi.sum()),
        "same_reachability": reach_agree,
        "exact_max_diff_m": float(exact_diff.max(initial=0.0)),
        "exact_reach_same": bool(np.array_equal(np.isfinite(exact_m), np.isfinite(planner_m))),
        "unit_connector_edge_m": float(net.origins.connector_m.mean()),
        "unit_connector_node_m": float(base.unit_connector_m.mean()),
        "fac_connector_edge_m": float(net.destinations.connector_m[fac_pos].mean()),
        "fac_connector_node_m": float(base.facility_connector_m.mean()),
    }


def nx_on_planner_graph(
    net: AccessNetwork, town: Town, services: list[str]
) -> npt.NDArray[np.float64]:
    """Independent check: networkx multi-source Dijkstra on planner's own augmented graph.

    Same graph (edge-point attachment), different shortest-path code: the distances must agree
    with planner's to rounding, which isolates the snapping as the only source of difference.
    """
    graph = nx.from_scipy_sparse_array(net.adjacency, edge_attribute="length")
    fac = town.facilities[town.facilities["status"] == "existing"]
    origin_node = net.origins.node[net.origins.positions(town.residential["id"].to_numpy())]
    out = np.full((len(origin_node), len(services)), np.inf)
    for j, key in enumerate(services):
        ids = fac.loc[fac["service"] == key, "id"].to_numpy()
        if not len(ids):
            continue
        sources = {int(n) for n in net.destinations.node[net.destinations.positions(ids)]}
        lengths = nx.multi_source_dijkstra_path_length(graph, sources, weight="length")
        out[:, j] = [lengths.get(int(n), math.inf) for n in origin_node]
    return out


# --------------------------------------------------------------------------------------------
# Report


def report(
    info: dict[str, str],
    gusev: dict[str, Any],
    scaling: list[dict[str, Any]],
    comparisons: list[dict[str, Any]],
    *,
    quick: bool,
) -> str:
    """Return the markdown report."""
    cold, warm, scen = gusev["cold"], gusev["warm"], gusev["scenario"]
    big = next((s for s in scaling if s["n"] == 20), None)
    lines = [
        "# Engine benchmarks",
        "",
        f"Generated by `benchmarks/bench_analysis.py{' --quick' if quick else ''}` on "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC. Wall-clock seconds; measurements, not tests.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in info.items()),
        "",
        "## Targets (issue 3)",
        "",
        "| Target | Measured | Met |",
        "|---|---|---|",
    ]
    warm_best = min(warm)
    scen_med = statistics.median(scen)
    gusev_cmp = next(c for c in comparisons if c["name"].startswith("Gusev"))
    ratio_unit = gusev_cmp["per_unit_s"] / gusev_cmp["planner_e2e_s"]
    ratio_multi = gusev_cmp["multi_s"] / gusev_cmp["planner_step_s"]
    targets = [
        (
            f"warm full analysis of Gusev < {TARGET_WARM_S} s",
            f"best {fmt_s(warm_best)}, median {fmt_s(statistics.median(warm))}",
            warm_best < TARGET_WARM_S,
        ),
        (
            f"scenario-sized re-run < {TARGET_SCENARIO_S} s",
            f"median {fmt_s(scen_med)} (of {len(scen)})",
            scen_med < TARGET_SCENARIO_S,
        ),
    ]
    if big is not None:
        targets.append(
            (
                f"20x town (graph + full analysis) < {TARGET_20X_S:.0f} s on 2 cores",
                f"{fmt_s(big['stages']['total'])} ({big['residents']:,} residents)",
                big["stages"]["total"] < TARGET_20X_S,
            )
        )
    targets.append(
        (
            f">= {TARGET_SPEEDUP:.0f}x faster than networkx per-unit (Gusev, nearest distances)",
            f"{ratio_unit:.0f}x end to end; vs multi-source networkx {ratio_multi:.0f}x "
            "(paths step only)",
            ratio_unit >= TARGET_SPEEDUP,
        )
    )
    lines += [f"| {t} | {m} | {'yes' if ok else '**no**'} |" for t, m, ok in targets]
    parts = cold["parts"]
    lines += [
        "",
        f"## Gusev ({gusev['units']} residential units, {gusev['nodes']} street nodes, "
        f"{gusev['services']} walking services)",
        "",
        "| Run | Time |",
        "|---|---|",
        f"| cold, fresh process, wall incl. interpreter start (best / median of "
        f"{len(cold['walls'])}) | {fmt_s(min(cold['walls']))} / "
        f"{fmt_s(statistics.median(cold['walls']))} |",
        f"| of which: imports / load_town / graph / analyze_town | {fmt_s(parts['imports'])} / "
        f"{fmt_s(parts['load'])} / {fmt_s(parts['graph'])} / {fmt_s(parts['analysis'])} |",
        f"| warm full analysis, graph cached (best / median of {len(warm)}) | "
        f"{fmt_s(warm_best)} / {fmt_s(statistics.median(warm))} |",
        f"| warm, without catchments (best of {len(gusev['warm_no_catchments'])}) | "
        f"{fmt_s(min(gusev['warm_no_catchments']))} |",
        f"| scenario: kindergarten only, one facility moved + resized, no catchments "
        f"(median / best of {len(scen)}) | {fmt_s(scen_med)} / {fmt_s(min(scen))} |",
        "",
        "Warm full analysis by stage (one run): "
        + ", ".join(f"{STAGE_LABELS[k]} {fmt_s(v)}" for k, v in gusev["warm_stages"].items())
        + ".",
        "",
        "## Scaling: synthetic towns of N Gusev copies",
        "",
        "Each N in a fresh process (`benchmarks/synthetic_town.py`: copies tiled on a grid, "
        "joined by 3 streets per shared side). Best of the repeats shown; total = graph + "
        "`analyze_town` (the town is in memory; loading files is not included). Catchment "
        "polygons are built in a background thread while the other stages run, so their time "
        "overlaps the rest and the columns add up to more than the total; `other` is the total "
        "less the graph and the main-thread stages.",
        "",
    ]
    keys = ["graph", *STAGES, "other", "total"]
    head = ["N", "residents", "units", "nodes", *(STAGE_LABELS[k] for k in keys), "peak RSS"]
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for s in scaling:
        cells = [
            str(s["n"]),
            f"{s['residents']:,}",
            f"{s['units']:,}",
            f"{s['nodes']:,}",
            *(fmt_s(s["stages"][k]) for k in keys),
            f"{s['peak_rss_mb']:.0f} MB",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        "## Planner vs the straightforward networkx approach (same run, same data)",
        "",
        "The comparable step is the nearest facility distance for every residential unit and "
        "every walking service (planner's coverage step). End to end = build the graph from the "
        "streets + attach/snap the points + all nearest distances. networkx per unit: one "
        "`nx.single_source_dijkstra_path_length` (cutoff None) per unit, min over each "
        "service's facilities; networkx multi-source: one `nx.multi_source_dijkstra_path_length` "
        "per service (the fairer baseline). Points snap to the nearest node (k-d tree) there, "
        "to the nearest point on the nearest edge in planner.",
        "",
        "| Town | units x services | planner end to end | planner paths step | nx graph + snap "
        "| nx per unit (paths) | nx multi-source (paths) | per unit / planner (e2e) "
        "| per unit / planner (paths) | multi-source / planner (paths) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for c in comparisons:
        unit_time = fmt_s(c["per_unit_s"])
        if c["per_unit_extrapolated"]:
            unit_time += f" (extrapolated from {c['per_unit_done']} units)"
        e2e_nx = c["nx_build_s"] + c["per_unit_s"]
        lines.append(
            f"| {c['name']} | {c['units']:,} x {c['services']} | {fmt_s(c['planner_e2e_s'])} | "
            f"{fmt_s(c['planner_step_s'])} | {fmt_s(c['nx_build_s'])} | {unit_time} | "
            f"{fmt_s(c['multi_s'])} | {e2e_nx / c['planner_e2e_s']:.0f}x | "
            f"{c['per_unit_s'] / c['planner_step_s']:.0f}x | "
            f"{c['multi_s'] / c['planner_step_s']:.1f}x |"
        )
    lines += [
        "",
        "Agreement of the distances (networkx per unit minus planner, over the units both "
        "computed; the connector difference explained below):",
        "",
        "| Town | pairs | mean planner distance | mean abs diff | mean signed diff | p95 abs "
        "| max abs | same reachability | multi-source = per unit |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for c in comparisons:
        lines.append(
            f"| {c['name']} | {c['pairs_compared']:,} | {c['mean_planner_m']:.0f} m | "
            f"{c['mean_abs_diff_m']:.1f} m | {c['mean_signed_diff_m']:+.1f} m | "
            f"{c['p95_abs_diff_m']:.1f} m | {c['max_abs_diff_m']:.1f} m | "
            f"{'yes' if c['same_reachability'] else 'no'} | "
            f"max diff {c['multi_vs_per_unit_max_m']:.2g} m |"
        )
    lines += [
        "",
        "| Town | networkx on planner's own graph: max diff | same reachability "
        "| mean home connector: nearest node / nearest edge point "
        "| mean facility connector: node / edge point |",
        "|---|---|---|---|---|",
    ]
    for c in comparisons:
        lines.append(
            f"| {c['name']} | {c['exact_max_diff_m']:.2g} m | "
            f"{'yes' if c['exact_reach_same'] else 'no'} | "
            f"{c['unit_connector_node_m']:.1f} m / {c['unit_connector_edge_m']:.1f} m | "
            f"{c['fac_connector_node_m']:.1f} m / {c['fac_connector_edge_m']:.1f} m |"
        )
    lines += [
        "",
        "Why they differ: networkx here snaps a home or a facility to the nearest street "
        "*vertex* and walks a straight connector to it; planner attaches it to the nearest "
        "*point on the nearest street edge* (a perpendicular foot), splits the edge there and "
        "walks on from that point. On long street segments the nearest vertex can be tens of "
        "metres from the foot, so the vertex connector is longer, and the walk along the street "
        "starts at the vertex instead of the foot (which can be shorter or longer depending on "
        "the direction of travel); and where two streets pass a home, the nearest vertex may "
        "lie on the other one, possibly far away by network, which gives the large "
        "maximum differences. Both use the same street "
        "geometry and lengths, and the shortest-path codes agree: networkx run on planner's "
        "own augmented graph reproduces planner's distances to rounding (the table above), and "
        "the multi-source and per-unit networkx figures are equal.",
        "",
    ]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Entry points


def run(quick: bool, scales: tuple[int, ...]) -> str:
    """Run every benchmark and return the report."""
    info = machine()
    print("Gusev: cold, warm, scenario ...", file=sys.stderr)
    gusev = bench_gusev(quick)
    scaling = []
    for n in scales:
        print(f"scaling: N = {n} ...", file=sys.stderr)
        repeats = 1 if quick or n >= 10 else 3
        scaling.append(run_worker(["scale", str(n), str(repeats)]))
    comparisons = []
    base = load_town(default_town_dir())
    norms = load_norms(base.meta.default_norms)
    budgets = {1: 600.0, 5: 30.0 if quick else 240.0, 20: 20.0 if quick else 120.0}
    for n, budget in budgets.items():
        if n not in scales and n != 1:
            continue
        print(f"networkx comparison: N = {n} ...", file=sys.stderr)
        town = base if n == 1 else build_synthetic_town(n, base)
        name = "Gusev" if n == 1 else f"{n}x Gusev"
        comparisons.append(compare(name, town, norms, budget_s=budget, repeats=3))
    return report(info, gusev, scaling, comparisons, quick=quick)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks (or, with ``--worker``, one measurement in this process)."""
    parser = argparse.ArgumentParser(description="Benchmarks of the accessibility engine.")
    parser.add_argument("--quick", action="store_true", help="fewer repeats, sampled baselines")
    parser.add_argument(
        "--scales", default=",".join(map(str, SCALES)), help="synthetic sizes N, comma-separated"
    )
    parser.add_argument("--no-write", action="store_true", help="do not write results.md")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        kind, *rest = args.worker
        if kind != "scale":
            parser.error(f"unknown worker {kind!r}")
        print(json.dumps(worker_scale(int(rest[0]), int(rest[1]))))
        return 0
    scales = tuple(int(s) for s in args.scales.split(",") if s)
    text = run(args.quick, scales)
    print(text)
    if not args.no_write:
        RESULTS_FILE.write_text(text, encoding="utf-8")
        print(f"\nwritten to {RESULTS_FILE.relative_to(PROJECT_ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
