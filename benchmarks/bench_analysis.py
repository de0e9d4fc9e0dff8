"""Benchmarks of the accessibility engine (measurements, not timed tests).

Run from the repository root::

    .venv/bin/python benchmarks/bench_analysis.py            # full run, about 10 minutes
    .venv/bin/python benchmarks/bench_analysis.py --quick    # fewer repeats, no 5x per-home run

It prints a markdown report and writes it to ``benchmarks/results.md``. Every figure is a median
with its range (min-max) over repeated runs, beside the previous run's figures:

- Gusev full analysis (every walking service: coverage, provision, FCA, gaps) cold (a fresh
  process: imports, load, graph, analysis) and warm (graph cached); catchment polygons, which are
  built only when a map or an export asks (``ServiceResult.catchments``), timed apart;
- a scenario-sized re-run (kindergartens only, one facility moved and resized);
- scaling over synthetic towns of N = 1, 2, 5, 10, 20 Gusev copies (``synthetic_town.py``):
  time per stage and peak memory, each N in its own process;
- against networkx, on the same attachment (planner's own augmented graph, so both compute the
  same distances, which is checked): first the fair baseline, one multi-source Dijkstra per
  service; then, secondary, the naive one Dijkstra per home, measured in full (not extrapolated).
"""

from __future__ import annotations

import argparse
import contextlib
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
from dataclasses import replace
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

from benchmarks.results_file import write_section
from benchmarks.synthetic_town import build_synthetic_town
from planner import analysis
from planner.access_network import (
    AccessNetwork,
    build_town_access_network,
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

TARGET_WARM_S = 0.2
"""Issue 12: median of the warm full analysis of Gusev."""
TARGET_20X_S = 2.0
"""Issue 12: median of graph + full analysis of the 20x town."""
WARM_REPEATS = 11

PREVIOUS = {
    "date": "2026-11-27 (commit 0b02385)",
    "warm": "best 256 ms, median 301 ms (of 5; catchment polygons included, built in a "
    "background thread)",
    "warm_no_catchments": "best 125 ms",
    "scenario": "median 39 ms",
    "cold": "best 1.27 s, median 1.29 s",
    "20x": "3.03 s (best of 1; catchments included)",
    "nx_multi": "4.1x (Gusev), 13.2x (20x), against networkx snapping to the nearest vertex "
    "(other answers: 112 m apart on average)",
}
"""The figures of the previous ``results.md``, shown beside the new ones."""

# Functions analyze_town calls, by the stage they are timed under (wrapped in its namespace).
STAGES: dict[str, tuple[str, ...]] = {
    "access": ("build_town_access_network",),
    "coverage": ("coverage_table",),
    "pairs": ("origin_destination_pairs", "label_pairs"),
    "lp": ("unit_demand", "solve_provision"),
    "fca": ("two_step_fca", "enhanced_two_step_fca"),
    "gaps": (
        "unit_proximity",
        "gap_zones",
        "overloaded_facilities",
        "service_requirements",
        "radius_circles",
    ),
}
STAGE_LABELS = {
    "graph": "graph",
    "access": "access net",
    "coverage": "coverage",
    "pairs": "pairs",
    "lp": "provision LP",
    "fca": "2SFCA+E2SFCA",
    "gaps": "gaps + radius circles",
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
        "load average at start (1/5/15 min)": " / ".join(f"{x:.1f}" for x in os.getloadavg()),
        "niceness (below 0: ahead of other work on the machine)": str(os.nice(0)),
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


def fmt_med(times: list[float]) -> str:
    """Median and range of repeated times: "123 ms (110-140 ms)"."""
    if len(times) == 1:
        return f"{fmt_s(times[0])} (one run)"
    return f"{fmt_s(statistics.median(times))} ({fmt_s(min(times))}–{fmt_s(max(times))})"


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
    """Cold, warm, scenario and catchment figures for the bundled Gusev model."""
    cold = bench_cold(3 if quick else 5)
    town = load_town(default_town_dir())
    norms = load_norms(town.meta.default_norms)
    graph = build_walk_graph(town.streets)
    analyze_town(town, norms, graph=graph)  # warm-up: imports, caches
    cpu_start = time.process_time()
    warm, result = timed(lambda: analyze_town(town, norms, graph=graph), WARM_REPEATS)
    warm_cpu = (time.process_time() - cpu_start) / WARM_REPEATS
    with stage_timers() as stages:
        analyze_town(town, norms, graph=graph)
    variants = scenario_towns(town, 11)
    scen = []
    for variant in variants:
        start = time.perf_counter()
        analyze_town(variant, norms, services=["kindergarten"], with_catchments=False, graph=graph)
        scen.append(time.perf_counter() - start)
    all_catchments, one_catchment = [], []
    for _ in range(3 if quick else 5):
        fresh = analyze_town(town, norms, graph=graph)
        start = time.perf_counter()
        _ = fresh.service("kindergarten").catchments
        one_catchment.append(time.perf_counter() - start)
        start = time.perf_counter()
        for service in fresh.services.values():
            _ = service.catchments
        all_catchments.append(time.perf_counter() - start + one_catchment[-1])
    return {
        "cold": cold,
        "warm": warm,
        "warm_cpu": warm_cpu,
        "warm_stages": stages,
        "scenario": scen,
        "catchments_one": one_catchment,
        "catchments_all": all_catchments,
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
        cpu_start = time.process_time()
        graph = build_walk_graph(town.streets)
        graph_s = time.perf_counter() - start
        with stage_timers() as stages:
            start = time.perf_counter()
            result = analyze_town(town, norms, graph=graph)
            analysis_s = time.perf_counter() - start
        row = {"graph": graph_s, **stages}
        row["other"] = analysis_s - sum(stages.values())
        row["total"] = graph_s + analysis_s
        row["cpu"] = time.process_time() - cpu_start
        runs.append(row)
    start = time.perf_counter()
    for service in result.services.values():
        _ = service.catchments
    catchments_s = time.perf_counter() - start
    return {
        "n": n_copies,
        "units": len(town.residential),
        "residents": int(town.residential["population"].sum()),
        "nodes": graph.n_nodes,
        "edges": len(graph.edges),
        "facilities": len(town.facilities),
        "services": len(result.services),
        "build_s": build_s,
        "runs": runs,
        "catchments_s": catchments_s,
        "repeats": repeats,
        "rss_town_mb": rss_town_mb,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


# --------------------------------------------------------------------------------------------
# Against networkx, on the same attachment


def nx_graph(net: AccessNetwork) -> nx.DiGraph:
    """planner's own augmented graph as a networkx DiGraph (same nodes, edges and lengths)."""
    graph: nx.DiGraph = nx.from_scipy_sparse_array(
        net.adjacency, create_using=nx.DiGraph, edge_attribute="length"
    )
    return graph


def facility_nodes(net: AccessNetwork, town: Town, services: list[str]) -> dict[str, list[int]]:
    """Per service, the graph nodes of its existing facilities."""
    fac = town.facilities[town.facilities["status"] == "existing"]
    out = {}
    for key in services:
        ids = fac.loc[fac["service"] == key, "id"].to_numpy()
        out[key] = [int(n) for n in net.destinations.node[net.destinations.positions(ids)]]
    return out


def nx_multi_source(
    graph: nx.DiGraph, homes: npt.NDArray[np.int64], sources: dict[str, list[int]]
) -> npt.NDArray[np.float64]:
    """The fair baseline: one multi-source Dijkstra per service from its facilities."""
    out = np.full((len(homes), len(sources)), np.inf)
    for j, nodes in enumerate(sources.values()):
        if nodes:
            lengths = nx.multi_source_dijkstra_path_length(graph, set(nodes), weight="length")
            out[:, j] = [lengths.get(int(n), math.inf) for n in homes]
    return out


def nx_per_home(
    graph: nx.DiGraph, homes: npt.NDArray[np.int64], sources: dict[str, list[int]]
) -> npt.NDArray[np.float64]:
    """The naive way: one full Dijkstra from every home (on the reversed graph: walking home ->
    facility), then the nearest facility of each service."""
    reverse = graph.reverse(copy=False)
    out = np.full((len(homes), len(sources)), np.inf)
    for i, home in enumerate(homes):
        lengths = nx.single_source_dijkstra_path_length(reverse, int(home), weight="length")
        for j, nodes in enumerate(sources.values()):
            out[i, j] = min((lengths.get(n, math.inf) for n in nodes), default=math.inf)
    return out


def planner_nearest(town: Town, norms: NormSet, services: list[str]) -> pd.DataFrame:
    """Planner's comparable step end to end: graph, attach points, nearest per unit + service."""
    graph = build_walk_graph(town.streets)
    net = build_town_access_network(town, graph)
    return coverage_table(town, norms, net, services=services)


def compare(
    name: str, town: Town, norms: NormSet, *, repeats: int, per_home: bool
) -> dict[str, Any]:
    """Time planner and networkx on the same graph; check that they give the same distances."""
    services = walk_services(norms)
    n_units = len(town.residential)
    e2e_times, _ = timed(lambda: planner_nearest(town, norms, services), repeats)
    attach_times, net = timed(
        lambda: build_town_access_network(town, build_walk_graph(town.streets)), repeats
    )
    step_times, cov = timed(lambda: coverage_table(town, norms, net, services=services), repeats)
    planner_m = cov["distance_m"].to_numpy().reshape(len(services), n_units).T
    homes = net.origins.node[net.origins.positions(town.residential["id"].to_numpy())]
    sources = facility_nodes(net, town, services)
    convert_times, graph = timed(lambda: nx_graph(net), 1)
    multi_times, multi_m = timed(lambda: nx_multi_source(graph, homes, sources), repeats)
    result: dict[str, Any] = {
        "name": name,
        "units": n_units,
        "services": len(services),
        "nodes": net.n_nodes,
        "planner_e2e": e2e_times,
        "planner_attach": attach_times,
        "planner_step": step_times,
        "nx_convert": convert_times,
        "nx_multi": multi_times,
        "multi_max_diff_m": float(
            np.max(np.abs(multi_m - planner_m)[np.isfinite(planner_m)], initial=0.0)
        ),
        "multi_same_reach": bool(np.array_equal(np.isfinite(multi_m), np.isfinite(planner_m))),
        "per_home": None,
    }
    # Like with like, or the comparison means nothing: the same distances, the same reach.
    assert result["multi_max_diff_m"] < 1e-6, result["multi_max_diff_m"]
    assert result["multi_same_reach"]
    if per_home:
        home_times, home_m = timed(lambda: nx_per_home(graph, homes, sources), 1)
        result["per_home"] = home_times
        result["home_max_diff_m"] = float(
            np.max(np.abs(home_m - planner_m)[np.isfinite(planner_m)], initial=0.0)
        )
        result["home_same_reach"] = bool(
            np.array_equal(np.isfinite(home_m), np.isfinite(planner_m))
        )
        assert result["home_max_diff_m"] < 1e-6, result["home_max_diff_m"]
        assert result["home_same_reach"]
    return result


# --------------------------------------------------------------------------------------------
# Report


def _ratio(slow: list[float], fast: list[float]) -> str:
    return f"{statistics.median(slow) / statistics.median(fast):.1f}x"


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
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC. Wall-clock times as *median (min–max)* of "
        "repeated runs; measurements, not tests. The machine is shared: ranges are wide when "
        "other work runs beside.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in info.items()),
        "",
        f"## Targets (issue 12), beside the previous run ({PREVIOUS['date']})",
        "",
        "| Target | Previous | Now | Met |",
        "|---|---|---|---|",
    ]
    warm_med = statistics.median(warm)
    rows = [
        (
            f"Gusev warm full analysis, median ≤ {fmt_s(TARGET_WARM_S)}",
            PREVIOUS["warm"],
            f"{fmt_med(warm)} of {len(warm)}; CPU {fmt_s(gusev['warm_cpu'])} a run",
            warm_med <= TARGET_WARM_S,
        )
    ]
    if big is not None:
        totals = [r["total"] for r in big["runs"]]
        rows.append(
            (
                f"20x town (graph + full analysis), median ≤ {fmt_s(TARGET_20X_S)}",
                PREVIOUS["20x"],
                f"{fmt_med(totals)} of {len(totals)}; CPU "
                f"{fmt_s(statistics.median(r['cpu'] for r in big['runs']))} "
                f"({big['residents']:,} residents)",
                statistics.median(totals) <= TARGET_20X_S,
            )
        )
    lines += [f"| {t} | {p} | {n} | {'yes' if ok else '**no**'} |" for t, p, n, ok in rows]
    lines += [
        "",
        '"Full analysis" is `analyze_town`: attachment, coverage, provision (exact LP), '
        "2SFCA/E2SFCA and gaps for every walking service. Catchment polygons are no longer part "
        "of it: `ServiceResult.catchments` builds them when a map or an export first asks for "
        "them (timed below); the previous figures included them. CPU is the process's own "
        "CPU time per run (mean, resp. median): on this shared machine wall times grow with "
        "the load average (above), CPU times far less.",
    ]
    parts = cold["parts"]
    lines += [
        "",
        f"## Gusev ({gusev['units']} residential units, {gusev['nodes']} street nodes, "
        f"{gusev['services']} walking services)",
        "",
        "| Run | Previous | Now |",
        "|---|---|---|",
        f"| cold, fresh process, wall incl. interpreter start ({len(cold['walls'])} runs) | "
        f"{PREVIOUS['cold']} | {fmt_med(cold['walls'])} |",
        f"| of which (fastest run): imports / load_town / graph / analyze_town | | "
        f"{fmt_s(parts['imports'])} / {fmt_s(parts['load'])} / {fmt_s(parts['graph'])} / "
        f"{fmt_s(parts['analysis'])} |",
        f"| warm full analysis, graph cached ({len(warm)} runs) | {PREVIOUS['warm']} | "
        f"{fmt_med(warm)} |",
        f"| catchment polygons on first access: one service (kindergarten) / all "
        f"{gusev['services']} ({len(gusev['catchments_one'])} runs) | part of the above | "
        f"{fmt_med(gusev['catchments_one'])} / {fmt_med(gusev['catchments_all'])} |",
        f"| scenario: kindergarten only, one facility moved + resized ({len(scen)} runs) | "
        f"{PREVIOUS['scenario']} | {fmt_med(scen)} |",
        "",
        "Warm full analysis by stage (one run): "
        + ", ".join(f"{STAGE_LABELS[k]} {fmt_s(v)}" for k, v in gusev["warm_stages"].items())
        + ".",
        "",
        "## Scaling: synthetic towns of N Gusev copies",
        "",
        "Each N in a fresh process (`benchmarks/synthetic_town.py`: copies tiled on a grid, "
        "joined by 3 streets per shared side). Stages and total = graph + `analyze_town` "
        "(the town is in memory; loading files is not included), median (min–max) of the runs; "
        "`other` is the total less the graph and the timed stages. Catchments: all services' "
        "polygons on first access, after the analysis (one run).",
        "",
    ]
    keys = ["graph", *STAGES, "other"]
    head = ["N", "residents", "units", "nodes", *(STAGE_LABELS[k] for k in keys)]
    head += ["**total**", "CPU", "catchments", "peak RSS"]
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for sc in scaling:
        cells = [
            str(sc["n"]),
            f"{sc['residents']:,}",
            f"{sc['units']:,}",
            f"{sc['nodes']:,}",
            *(fmt_s(statistics.median(r[k] for r in sc["runs"])) for k in keys),
            fmt_med([r["total"] for r in sc["runs"]]),
            fmt_s(statistics.median(r["cpu"] for r in sc["runs"])),
            fmt_s(sc["catchments_s"]),
            f"{sc['peak_rss_mb']:.0f} MB",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        "## Against networkx, on the same attachment",
        "",
        "The comparable step is the nearest facility's walking distance for every residential "
        "unit and every walking service (planner's coverage step). To compare like with like, "
        "networkx runs on planner's own augmented graph (homes and facilities attached to the "
        "nearest point of the nearest street, near-ties to each near street; "
        "`nx.from_scipy_sparse_array`, a DiGraph), so both must give the same distances — "
        "checked, `max diff` below. planner: `scipy.sparse.csgraph.dijkstra`, one multi-source "
        "search per service from the facilities, bounded and vectorised.",
        "",
        "**The fair baseline**: networkx's `multi_source_dijkstra_path_length`, one per service "
        "(what an analyst who knows networkx would write).",
        "",
        "| Town | units x services | planner paths step | networkx multi-source | "
        "networkx / planner | max diff | same reachability |",
        "|---|---|---|---|---|---|---|",
    ]
    for c in comparisons:
        lines.append(
            f"| {c['name']} | {c['units']:,} x {c['services']} | {fmt_med(c['planner_step'])} | "
            f"{fmt_med(c['nx_multi'])} | **{_ratio(c['nx_multi'], c['planner_step'])}** | "
            f"{c['multi_max_diff_m']:.2g} m | {'yes' if c['multi_same_reach'] else 'no'} |"
        )
    lines += [
        "",
        "planner end to end (graph from the street lines + attaching the points + the paths "
        "step): "
        + "; ".join(
            f"{c['name']} {fmt_med(c['planner_e2e'])} (attaching {fmt_med(c['planner_attach'])})"
            for c in comparisons
        )
        + ". networkx has no attachment of its own here (it reuses planner's graph; converting "
        "it took "
        + ", ".join(f"{fmt_s(c['nx_convert'][0])} ({c['name']})" for c in comparisons)
        + "), so only the paths step is compared.",
        "",
        "**Secondary, the naive way**: one full `single_source_dijkstra_path_length` per home "
        "(on the reversed graph, home to facilities), then the nearest facility of each service; "
        "measured in full, one run.",
        "",
        "| Town | homes | networkx per home | networkx per home / planner paths step | max diff |",
        "|---|---|---|---|---|",
    ]
    for c in comparisons:
        if c["per_home"] is None:
            lines.append(f"| {c['name']} | {c['units']:,} | not run | | |")
            continue
        lines.append(
            f"| {c['name']} | {c['units']:,} | {fmt_s(c['per_home'][0])} | "
            f"{_ratio(c['per_home'], c['planner_step'])} | {c['home_max_diff_m']:.2g} m |"
        )
    lines += [
        "",
        f"Previous report: {PREVIOUS['nx_multi']}; its 69x–2,344x headlines were against one "
        "Dijkstra per home with vertex snapping, the 20x figure extrapolated from a sample.",
        "",
    ]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Entry points


def run(quick: bool, scales: tuple[int, ...]) -> str:
    """Run every benchmark and return the report."""
    info = machine()
    start = time.perf_counter()
    print("Gusev: cold, warm, scenario, catchments ...", file=sys.stderr)
    gusev = bench_gusev(quick)
    scaling = []
    for n in scales:
        print(f"scaling: N = {n} ...", file=sys.stderr)
        scaling.append(run_worker(["scale", str(n), str(3 if not quick or n < 10 else 1)]))
    comparisons = []
    base = load_town(default_town_dir())
    norms = load_norms(base.meta.default_norms)
    for n in (1, 5, 20):
        if n != 1 and n not in scales:
            continue
        print(f"networkx comparison: N = {n} ...", file=sys.stderr)
        town = base if n == 1 else build_synthetic_town(n, base)
        name = "Gusev" if n == 1 else f"{n}x Gusev"
        per_home = n == 1 or (n == 5 and not quick)
        comparisons.append(compare(name, town, norms, repeats=5, per_home=per_home))
    info["load average at end (1/5/15 min)"] = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    info["benchmark duration"] = fmt_s(time.perf_counter() - start)
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
        write_section(RESULTS_FILE, "analysis", text)  # the other benchmarks' sections stay
        print(f"\nwritten to {RESULTS_FILE.relative_to(PROJECT_ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
