"""How long programme access takes for a year of events (a measurement, not a timed test).

Run from the repository root::

    .venv/bin/python benchmarks/bench_programme.py [--runs 5]

The bundled Gusev model with its modelled season (27 series, about 500 occurrences a year) and
the same programme repeated 4× and 16× across the cultural venues (about 2,000 and 8,000
occurrences), then the 16× programme on tiled copies of Gusev (``synthetic_town``, 5 and 20
copies: 1,435 and 5,740 blocks). Per case, ``--runs`` times, median and range of:

- *expand year*: every occurrence of September 2026 – August 2027 (``occurrences``);
- *who reaches which venue*: ``programme_reach``, the month-independent part (bounded shortest
  paths from the venues on the access network the dashboard already holds), built once;
- *access, one month*: ``programme_access`` of one month from that (what a month switch costs);
- *access 12 months*: ``programme_reach`` once and the 12 months;
- *year end to end*: expanding the year, building the access network, the reach and 12 months.

Beside it, the straightforward baseline on the same data: every occurrence joined to every
(unit, venue) pair in reach with pandas and counted with ``groupby`` (one month, 15 and 30
minutes, everyone), checked equal to planner's counts.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic_town import build_synthetic_town  # noqa: E402
from planner.access_network import (  # noqa: E402
    build_town_access_network,
    label_pairs,
    origin_destination_pairs,
)
from planner.events.recurrence import occurrences  # noqa: E402
from planner.events.times import month_window, zone  # noqa: E402
from planner.io import load_town  # noqa: E402
from planner.model import Town  # noqa: E402
from planner.norms import load_norms  # noqa: E402
from planner.programme.access import (  # noqa: E402
    cultural_services,
    programme_access,
    programme_reach,
)

MONTHS = [f"2026-{m:02d}" for m in range(9, 13)] + [f"2027-{m:02d}" for m in range(1, 9)]
KALININGRAD = zone("Europe/Kaliningrad")


def repeated_programme(town: Town, times: int, cultural: tuple[str, ...]) -> pd.DataFrame:
    """The town's programme ``times`` over, copies spread over its cultural venues in turn."""
    venues = town.facilities.loc[town.facilities["service"].isin(cultural), "id"].tolist()
    parts = []
    for k in range(times):
        part = town.events.copy()
        part["id"] = part["id"] + f"-r{k}"
        if k:
            part["venue"] = [venues[(i + k) % len(venues)] for i in range(len(part))]
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def tiled(base: Town, copies: int, events: pd.DataFrame) -> Town:
    """Tiled copies of a town with its events at the copied venues."""
    town = build_synthetic_town(copies, base)
    parts = []
    for k in range(copies):
        part = events.copy()
        part["id"] = f"x{k:02d}-" + part["id"]
        part["venue"] = f"x{k:02d}-" + part["venue"]
        parts.append(part)
    meta = replace(town.meta, timezone=base.meta.timezone)
    return replace(town, meta=meta, events=pd.concat(parts, ignore_index=True))


def _times(call: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        out.append(time.perf_counter() - start)
    return out


def _fmt(seconds: list[float]) -> str:
    med = statistics.median(seconds)
    return f"{1000 * med:.0f} ms ({1000 * min(seconds):.0f}–{1000 * max(seconds):.0f})"


def baseline_counts(town: Town, net: object, month_occ: pd.DataFrame, limit_m: float) -> pd.Series:
    """Events per unit within ``limit_m``: occurrences joined to (unit, venue) pairs, counted."""
    venues = sorted(set(month_occ["venue"]))
    pairs = label_pairs(
        net,  # type: ignore[arg-type]
        origin_destination_pairs(
            net,  # type: ignore[arg-type]
            net.destinations.positions(venues),  # type: ignore[attr-defined]
            limit_m=limit_m,
        ),
    )
    joined = pairs.merge(month_occ, left_on="facility_id", right_on="venue")
    counts = joined.groupby("unit_id").size()
    return counts.reindex(town.residential["id"], fill_value=0)


def run_case(label: str, town: Town, cultural: tuple[str, ...], runs: int) -> dict[str, str]:
    start, _ = month_window(MONTHS[0], KALININGRAD)
    _, end = month_window(MONTHS[-1], KALININGRAD)
    year = occurrences(town.events, start, end)
    net = build_town_access_network(town)
    by_month = {}
    local = year["start"].dt.tz_convert("Europe/Kaliningrad").dt.strftime("%Y-%m")
    for month in MONTHS:
        by_month[month] = year[local.to_numpy() == month].reset_index(drop=True)

    def access_year() -> None:
        reach = programme_reach(town, network=net, cultural=cultural)
        for month in MONTHS:
            programme_access(town, month, reach=reach, month_occurrences=by_month[month])

    def end_to_end() -> None:
        occ = occurrences(town.events, start, end)
        network = build_town_access_network(town)
        reach = programme_reach(town, network=network, cultural=cultural)
        months = occ["start"].dt.tz_convert("Europe/Kaliningrad").dt.strftime("%Y-%m").to_numpy()
        for month in MONTHS:
            programme_access(
                town,
                month,
                reach=reach,
                month_occurrences=occ[months == month].reset_index(drop=True),
            )

    month = "2026-10"
    ours = programme_access(
        town, month, network=net, cultural=cultural, month_occurrences=by_month[month]
    )
    checks = []
    for minutes in (15.0, 30.0):
        part = ours.units[(ours.units["audience"] == "all") & (ours.units["minutes"] == minutes)]
        theirs = baseline_counts(town, net, by_month[month], minutes * 75.0)
        checks.append((part.set_index("unit_id")["events"] == theirs).all())
    base_times = _times(
        lambda: [baseline_counts(town, net, by_month[month], m * 75.0) for m in (15.0, 30.0)],
        runs,
    )
    reach = programme_reach(town, network=net, cultural=cultural)
    reach_times = _times(lambda: programme_reach(town, network=net, cultural=cultural), runs)
    one_month = _times(
        lambda: programme_access(town, month, reach=reach, month_occurrences=by_month[month]),
        runs,
    )
    return {
        "case": label,
        "blocks": f"{len(town.residential):,}",
        "series": f"{len(town.events):,}",
        "occurrences / year": f"{len(year):,}",
        "expand year": _fmt(_times(lambda: occurrences(town.events, start, end), runs)),
        "who reaches which venue (once)": _fmt(reach_times),
        "access, one month": _fmt(one_month),
        "access, 12 months": _fmt(_times(access_year, runs)),
        "year end to end": _fmt(_times(end_to_end, runs)),
        "baseline join, one month": _fmt(base_times),
        "same counts": "yes" if all(checks) else "NO",
    }


def main() -> None:
    """Time the cases and print a markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    norms = load_norms()
    cultural = cultural_services(norms)
    gusev = load_town(ROOT / "geodata" / "gusev", norms=norms)
    x16 = repeated_programme(gusev, 16, cultural)
    cases = [
        ("Gusev, bundled season", gusev),
        ("Gusev, 4× programme", replace(gusev, events=repeated_programme(gusev, 4, cultural))),
        ("Gusev, 16× programme", replace(gusev, events=x16)),
        ("5× Gusev, 16× programme each", tiled(gusev, 5, x16)),
        ("20× Gusev, 16× programme each", tiled(gusev, 20, x16)),
    ]
    rows = [run_case(label, town, cultural, args.runs) for label, town in cases]
    header = list(rows[0])
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row[h] for h in header) + " |")


if __name__ == "__main__":
    main()
