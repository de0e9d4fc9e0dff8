"""How long the presentation layer takes on Gusev, per call (a measurement, not a timed test).

Run from the repository root::

    .venv/bin/python benchmarks/bench_presentation.py [--runs 7]

One warm analysis of the bundled Gusev model (every walking service, no catchments), then each
call the dashboard or the CLI makes on a view, timed ``--runs`` times: the service summary
(``planner.figures.summary_table``), the scorecard of one district, the district × service
matrix of the overview, the ranked gap table, the CLI gap report and one block's explanation,
in Russian (the language with more work: plurals, no-break spaces). Prints the median and the
range of each as a small markdown table.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from planner.analysis import analyze_town  # noqa: E402
from planner.figures import summary_table  # noqa: E402
from planner.io import load_town  # noqa: E402
from planner.norms import load_norms  # noqa: E402
from planner.presentation.explain import explain_block  # noqa: E402
from planner.presentation.report import gaps_lines  # noqa: E402
from planner.presentation.tables import district_table, gaps_table, scorecard  # noqa: E402


def _times_ms(call: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(1000 * (time.perf_counter() - start))
    return times


def main() -> None:
    """Time the presentation calls and print a markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    norms = load_norms()
    town = load_town(ROOT / "geodata" / "gusev", norms=norms)
    analysis = analyze_town(town, norms, with_catchments=False)
    district = str(town.districts["id"].iloc[0])
    unit = str(town.residential["id"].iloc[100])
    calls: dict[str, Callable[[], object]] = {
        "summary_table (every service)": lambda: summary_table(analysis),
        f"scorecard, district {district}": lambda: scorecard(analysis, "ru", district),
        "district × service matrix": lambda: district_table(analysis, None, "ru"),
        "ranked gap table": lambda: gaps_table(analysis, None, None, "ru"),
        "CLI gap report": lambda: gaps_lines(analysis, "ru"),
        f"explain_block {unit}, kindergarten": lambda: explain_block(
            analysis, "kindergarten", unit, "ru"
        ),
    }
    print(f"Gusev, {args.runs} runs each, warm analysis\n")
    print("| call | median | range |")
    print("|---|---|---|")
    for name, call in calls.items():
        times = _times_ms(call, args.runs)
        print(
            f"| {name} | {statistics.median(times):.0f} ms | {min(times):.0f}–{max(times):.0f} ms |"
        )


if __name__ == "__main__":
    main()
