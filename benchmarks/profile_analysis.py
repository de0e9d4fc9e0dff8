"""Profile the full analysis of a synthetic town N times Gusev's size (cProfile).

Run from the repository root::

    .venv/bin/python benchmarks/profile_analysis.py 20 [--top 30] [--sort tottime]

The walking graph is built before profiling starts (it is cached in real use); the profile covers
one ``analyze_town`` call with every walking service and catchments.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.synthetic_town import build_synthetic_town
from planner.analysis import analyze_town
from planner.network import build_walk_graph
from planner.norms import load_norms


def profile(n_copies: int, *, top: int, sort: str) -> str:
    """Return the profile report of one full analysis of the N-copy town."""
    town = build_synthetic_town(n_copies)
    norms = load_norms(town.meta.default_norms)
    graph = build_walk_graph(town.streets)
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    analyze_town(town, norms, graph=graph, with_catchments=False)
    profiler.disable()
    elapsed = time.perf_counter() - start
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats(sort).print_stats(top)
    head = (
        f"analyze_town on {town.meta.name}: {len(town.residential)} units, "
        f"{graph.n_nodes} nodes; {elapsed:.2f} s under the profiler\n"
    )
    return head + out.getvalue()


def main(argv: list[str] | None = None) -> int:
    """Print the profile."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("copies", type=int, nargs="?", default=20, help="N (default 20)")
    parser.add_argument("--top", type=int, default=30, help="rows to show")
    parser.add_argument(
        "--sort", default="cumulative", choices=["cumulative", "tottime"], help="sort key"
    )
    args = parser.parse_args(argv)
    print(profile(args.copies, top=args.top, sort=args.sort))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
