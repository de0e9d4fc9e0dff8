"""How fast the dashboard feels in a real headless Chromium (a measurement, not a timed test).

Run from the repository root::

    .venv/bin/python benchmarks/bench_dashboard.py [--runs 5]

For each run a fresh Streamlit server (cold caches) and a fresh browser page at 1366x768:

- **cold first page**: from ``page.goto`` to the Overview's headline metrics and charts drawn
  (the town loaded, the walking graph built, the analysis computed, the page rendered);
- **map page**: from clicking "Map" to the Leaflet map with its legend drawn;
- **service switch**: on the map page, from choosing another service in the sidebar to the
  live map's legend naming it (warm analysis: only the analysis layers are sent);
- **click -> explanation**: from a click on a residential block (its point placed through
  Leaflet's ``latLngToContainerPoint``) to that block's explanation beside the map;
- **compare-view switch**: from choosing "normative radius" to the legend saying so;
- **language switch**: from clicking "Русский" to the Russian legend on the map (a new base
  map: its labels are translated).

Prints the median and the range of each, as a small markdown table.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, expect  # noqa: E402

from planner.io import load_town  # noqa: E402
from planner.norms import load_norms  # noqa: E402
from planner.paths import default_town_dir  # noqa: E402
from tests.browser_support import chromium_context, streamlit_server  # noqa: E402
from tests.test_browser import LARGE_BLOCKS, block_point, click_block, map_frame  # noqa: E402

VIEWPORT = (1366, 768)


def _select_service(page: Page, label: str) -> None:
    page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").filter(
        has_text="Service"
    ).click()
    page.get_by_role("option", name=label, exact=True).click()


def one_run(log: Path) -> dict[str, float]:
    """Measure one cold server and one page; return seconds per step."""
    town = load_town(default_town_dir(), norms=load_norms())
    timings: dict[str, float] = {}
    with (
        streamlit_server(log) as base_url,
        chromium_context(viewport=VIEWPORT) as context,
    ):
        page = context.new_page()
        start = time.perf_counter()
        page.goto(base_url)
        expect(page.get_by_test_id("stMetricValue").first).to_be_visible(timeout=60_000)
        page.wait_for_selector("[data-testid='stVegaLiteChart']", timeout=60_000)
        timings["cold first page"] = time.perf_counter() - start

        start = time.perf_counter()
        page.get_by_role("link", name="Map", exact=True).first.click()  # not "OpenStreetMap"
        map_frame(page, "Kindergarten")
        timings["map page (map drawn)"] = time.perf_counter() - start

        start = time.perf_counter()
        _select_service(page, "School")
        map_frame(page, "School")
        timings["service switch (layers sent)"] = time.perf_counter() - start

        unit = next(u for u in LARGE_BLOCKS if block_point(page, town, u))
        start = time.perf_counter()
        click_block(page, town, unit)
        expect(page.get_by_role("heading", name=f"Block {unit}")).to_be_visible(timeout=30_000)
        timings["click -> explanation"] = time.perf_counter() - start

        start = time.perf_counter()
        page.get_by_text("normative radius", exact=True).click()
        map_frame(page, "Residential blocks: normative radius")
        timings["compare-view switch"] = time.perf_counter() - start

        start = time.perf_counter()
        page.get_by_text("Русский", exact=True).click()
        map_frame(page, "Легенда")
        timings["language switch (map rebuilt)"] = time.perf_counter() - start
    return timings


def main() -> None:
    """Run the measurements and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    results: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for run in range(args.runs):
            for key, value in one_run(Path(folder) / f"server-{run}.log").items():
                results.setdefault(key, []).append(value)
            print(f"run {run + 1}/{args.runs} done", file=sys.stderr)
    width, height = VIEWPORT
    print(
        f"Dashboard timings, Gusev, headless Chromium {width}x{height}, "
        f"{args.runs} cold runs (seconds)\n"
    )
    print("| step | median | min | max |")
    print("|---|---|---|---|")
    for key, values in results.items():
        print(
            f"| {key} | {statistics.median(values):.2f} | {min(values):.2f} | {max(values):.2f} |"
        )


if __name__ == "__main__":
    main()
