"""Gap-zone clustering on dense residential layers: the bounded search against all pairs.

Run from the repository root::

    .venv/bin/python benchmarks/bench_gap_zones.py            # 10,000 and 100,000 blocks
    .venv/bin/python benchmarks/bench_gap_zones.py --quick    # 10,000 only

Gap zones are the connected components of "closer than 150 m" among the units with unmet
demand. The former code listed every pair of units closer than 150 m (one STRtree ``dwithin``
query) and took connected components: the pairs grow with the square of the local density, so a
layer of 10,287 blocks all within 150 m of each other ran 165 s at 2.95 GB. ``planner.gaps``
now puts units into cells of side 150 m / √2 (any two units in one cell are closer than 150 m,
so a cell is joined without looking), and looks only for cell-to-unit links.

Layers (squares on a grid, every unit in a gap, the worst case):

- ``dense``: 8 m blocks every 10 m (a terrace town drawn building by building);
- ``packed``: every block within 150 m of every other (the hostile input of the issue).

Each method runs in its own process (peak memory is per process); a method that would list
more than ``MAX_PAIRS`` pairs is not run (its pair count is given instead). Both methods must
find the same zones, checked where both ran.

Then the whole analysis (``analyze_town``, every walking service, no catchment polygons) of a
dense town: the 10,000 ``dense`` blocks (100 residents each) with streets every 100 m and one
small kindergarten and school in a corner, so that nearly every block is in a gap: nothing else
of the analysis may grow faster than the blocks.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import geopandas as gpd
import numpy as np
import shapely
from scipy import sparse
from scipy.sparse import csgraph

from planner.analysis import analyze_town
from planner.gaps import GAP_JOIN_M, proximity_zones, unit_proximity
from planner.model import Town, TownMeta
from planner.norms import load_norms

CRS = "EPSG:32634"

RESULTS_FILE = Path(__file__).resolve().parent / "results_gap_zones.md"
MAX_PAIRS = 150_000_000
"""All-pairs runs above this many pairs (about 2.4 GB of indices alone) are skipped."""


def blocks(n: int, layout: str) -> np.ndarray:
    """Return ``n`` square blocks on a grid: ``dense`` (10 m pitch) or ``packed`` (in 150 m)."""
    side = math.ceil(math.sqrt(n))
    # packed: the whole grid fits in a 100 m square, so every pair is within 150 m
    pitch_m = 10.0 if layout == "dense" else 100.0 / side
    size_m = 0.8 * pitch_m
    i = np.arange(n)
    x = (i % side) * pitch_m
    y = (i // side) * pitch_m
    boxes: np.ndarray = shapely.box(x, y, x + size_m, y + size_m)
    return boxes


def expected_pairs(n: int, layout: str) -> float:
    """Rough count of ordered pairs closer than 150 m (what all-pairs would list)."""
    if layout == "packed":
        return float(n) * n
    per_unit = math.pi * (GAP_JOIN_M + 8) ** 2 / 100.0  # blocks within reach, 10 m pitch
    return n * min(per_unit, n)


def run_all_pairs(geoms: np.ndarray) -> tuple[int, np.ndarray]:
    """The former method: every pair within the distance, then connected components."""
    left, right = shapely.STRtree(geoms).query(geoms, predicate="dwithin", distance=GAP_JOIN_M)
    graph = sparse.coo_array((np.ones(len(left)), (left, right)), shape=(len(geoms),) * 2)
    n_zones, zone = csgraph.connected_components(graph, directed=False)
    return int(n_zones), zone


def run_cells(geoms: np.ndarray) -> tuple[int, np.ndarray]:
    """planner.gaps: cells of side join / √2, then cell-to-unit links."""
    proximity = unit_proximity(geoms)
    n_zones, zone = proximity_zones(proximity, np.ones(len(geoms), dtype=bool))
    return int(n_zones), zone


def _child(method: str, n: int, layout: str) -> dict[str, object]:
    geoms = blocks(n, layout)
    run = run_all_pairs if method == "all_pairs" else run_cells
    # One run where all pairs take minutes; three otherwise.
    repeats = 1 if method == "all_pairs" and expected_pairs(n, layout) > 1e7 else 3
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        n_zones, zone = run(geoms)
        times.append(time.perf_counter() - start)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # The zones as "the first unit of my zone", per unit: equal for equal partitions.
    canonical = np.unique(zone, return_inverse=True)[1].reshape(-1)
    first = np.full(n_zones, len(zone))
    np.minimum.at(first, canonical, np.arange(len(zone)))
    return {
        "times_s": times,
        "peak_mb": peak_mb,
        "zones": n_zones,
        "labels_digest": hashlib.sha256(first[canonical].astype(np.int64).tobytes()).hexdigest(),
    }


def dense_town(n: int) -> Town:
    """A town of ``n`` dense blocks (10 m pitch), streets every 100 m, two small facilities."""
    geoms = blocks(n, "dense")
    xmin, ymin, xmax, ymax = shapely.total_bounds(geoms)
    x0, y0 = 576_000.0, 6_050_000.0
    geoms = shapely.transform(geoms, lambda xy: xy + np.array([x0, y0]))
    residential = gpd.GeoDataFrame(
        {
            "id": [f"b{i}" for i in range(n)],
            "population": 100,
            "housing": "apartment",
            "district": "d",
            "provenance": "modelled",
            "pop_0_6": 7,
            "pop_7_17": 13,
            "pop_18_64": 63,
            "pop_65_plus": 17,
        },
        geometry=geoms,
        crs=CRS,
    )
    lines = []
    for k in np.arange(xmin - 5, xmax + 100, 100.0):
        lines.append(shapely.linestrings([[x0 + k, y0 + ymin - 5], [x0 + k, y0 + ymax + 5]]))
    for k in np.arange(ymin - 5, ymax + 100, 100.0):
        lines.append(shapely.linestrings([[x0 + xmin - 5, y0 + k], [x0 + xmax + 5, y0 + k]]))
    pieces = shapely.get_parts(shapely.node(shapely.multilinestrings(lines)))
    streets = gpd.GeoDataFrame(
        {
            "id": [f"s{i}" for i in range(len(pieces))],
            "kind": "residential",
            "name": "",
            "provenance": "modelled",
        },
        geometry=pieces,
        crs=CRS,
    )
    facilities = gpd.GeoDataFrame(
        {
            "id": ["k1", "s1"],
            "service": ["kindergarten", "school"],
            "name": ["K", "S"],
            "name_ru": ["К", "Ш"],
            "address": "",
            "capacity": [80.0, 300.0],
            "capacity_basis": "estimate",
            "status": "existing",
            "provenance": "illustrative",
            "source": "benchmark",
        },
        geometry=[shapely.Point(x0, y0), shapely.Point(x0 + 10, y0)],
        crs=CRS,
    )
    boundary = gpd.GeoDataFrame(
        {"id": ["b"], "name": ["Dense"], "provenance": ["modelled"], "source": ["benchmark"]},
        geometry=[shapely.box(x0 + xmin - 50, y0 + ymin - 50, x0 + xmax + 50, y0 + ymax + 50)],
        crs=CRS,
    )
    empty = gpd.GeoDataFrame(
        {"id": [], "name": [], "name_ru": [], "provenance": []}, geometry=[], crs=CRS
    )
    meta = TownMeta(
        name="Dense",
        name_ru="Плотный",
        population=100 * n,
        population_year=2025,
        population_source="benchmark",
        crs=CRS,
        size_class="large",
        attribution="benchmark, no real data",
    )
    return Town(
        folder=Path(),
        meta=meta,
        boundary=boundary,
        residential=residential,
        facilities=facilities,
        streets=streets,
        water=empty.drop(columns=["name_ru"]),
        rail=empty.drop(columns=["name_ru"]),
        districts=empty,
    )


def _analysis_child(n: int) -> dict[str, object]:
    town = dense_town(n)
    norms = load_norms()
    times = []
    zones = 0
    for _ in range(3):
        start = time.perf_counter()
        result = analyze_town(town, norms, with_catchments=False)
        times.append(time.perf_counter() - start)
        zones = sum(len(r.gap_zones) for r in result.services.values())
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"times_s": times, "peak_mb": peak_mb, "zones": zones, "streets": len(town.streets)}


def measure(method: str, n: int, layout: str) -> dict[str, object] | None:
    """Run one method in a fresh process; ``None`` when it would list too many pairs."""
    if method == "all_pairs" and expected_pairs(n, layout) > MAX_PAIRS:
        return None
    call = (
        f"_child({method!r}, {n}, {layout!r})" if method != "analysis" else f"_analysis_child({n})"
    )
    code = (
        "import json, sys; from benchmarks.bench_gap_zones import _child, _analysis_child; "
        f"print(json.dumps({call}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def _median_range(times: list[float]) -> str:
    if len(times) == 1:
        return f"{_seconds(times[0])} (one run)"
    return f"{_seconds(statistics.median(times))} ({_seconds(min(times))}–{_seconds(max(times))})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 blocks only")
    args = parser.parse_args()
    sizes = (10_000,) if args.quick else (10_000, 100_000)
    rows = []
    for layout in ("dense", "packed"):
        for n in sizes:
            cells = measure("cells", n, layout)
            pairs = measure("all_pairs", n, layout)
            rows.append((layout, n, cells, pairs))
            print(layout, n, cells, pairs, flush=True)
    lines = [
        "# Gap-zone clustering on dense residential layers",
        "",
        f"Generated by `benchmarks/bench_gap_zones.py` on "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; 2-core machine. Median (range) "
        "of 3 runs in one fresh process per method (one run where all pairs number over 10 "
        "million); peak = the process's maximum resident memory (Python, numpy, shapely loaded: "
        "about 100 MB before any work).",
        "",
        "| layout | blocks | ordered pairs < 150 m | cells (planner): time | peak | "
        "all pairs (former): time | peak | same zones |",
        "|---|---:|---:|---|---:|---|---:|---|",
    ]
    for layout, n, cells, pairs in rows:
        assert cells is not None
        c_times = [float(t) for t in cells["times_s"]]  # type: ignore[attr-defined]
        c_text = _median_range(c_times)
        if pairs is None:
            p_text, p_peak, same = "not run (too many pairs)", "–", "–"
        else:
            p_times = [float(t) for t in pairs["times_s"]]  # type: ignore[attr-defined]
            p_text = _median_range(p_times)
            p_peak = f"{float(pairs['peak_mb']):,.0f} MB"  # type: ignore[arg-type]
            same = (
                "yes"
                if (cells["zones"], cells["labels_digest"])
                == (pairs["zones"], pairs["labels_digest"])
                else "NO"
            )
        lines.append(
            f"| {layout} | {n:,} | {expected_pairs(n, layout):,.0f} | {c_text} | "
            f"{float(cells['peak_mb']):,.0f} MB | {p_text} | {p_peak} | {same} |"  # type: ignore[arg-type]
        )
    full = measure("analysis", 10_000, "dense")
    assert full is not None
    f_times = [float(t) for t in full["times_s"]]  # type: ignore[attr-defined]
    lines += [
        "",
        "The whole analysis of the dense town (10,000 blocks of 100 residents, "
        f"{full['streets']:,} street pieces every 100 m, one kindergarten and one school in a "
        "corner; every walking service; no catchment polygons), in a fresh process: "
        f"median {_median_range(f_times)}, peak "
        f"{float(full['peak_mb']):,.0f} MB, {full['zones']} gap zones.",  # type: ignore[arg-type]
    ]
    text = "\n".join(lines) + "\n"
    RESULTS_FILE.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
