"""The ``planner`` command line: one subcommand per task.

A ``PlannerError`` becomes one line on stderr and exit code 2, never a traceback; a town folder
that fails validation prints every problem and exits with code 1.
"""

from __future__ import annotations

import argparse
import logging
import math
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from planner import __version__
from planner.cli.osm import add_import_osm_parser
from planner.errors import Issue, PlannerError
from planner.io import check_town, load_town, read_town_meta
from planner.layers import PROVENANCES
from planner.paths import default_town_dir
from planner.summary import TownSummary, town_summary

if TYPE_CHECKING:
    from planner.analysis import TownAnalysis
    from planner.model import Town
    from planner.norms import NormSet

EXIT_INVALID = 1
EXIT_ERROR = 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Parameters
    ----------
    argv
        Arguments without the program name; ``None`` reads ``sys.argv``.

    Returns
    -------
    int
        The exit code: 0 success, 1 invalid data, 2 any other error the user can fix.
    """
    parser = _build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    command: Callable[[argparse.Namespace], int] = args.func
    try:
        return command(args)
    except PlannerError as err:
        print(f"planner: error: {err}", file=sys.stderr)
        return EXIT_ERROR


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="planner",
        description="Gusev Planner: walking access to social infrastructure against norms.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress and details")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser(
        "validate",
        help="check a town folder against the data contract and print a summary",
        description="Check a town folder; print every problem (exit 1) or a summary (exit 0).",
    )
    _add_town_argument(validate)
    _add_norms_option(validate)
    validate.set_defaults(func=_cmd_validate)

    analyze = commands.add_parser(
        "analyze",
        help="measure coverage, provision and gaps; write a GeoPackage and CSV tables",
        description="Analyse walking access to every service (or one) and write the results.",
    )
    _add_town_argument(analyze)
    _add_norms_option(analyze)
    _add_analysis_options(analyze)
    analyze.add_argument(
        "--out", type=Path, required=True, help="output folder (created if missing)"
    )
    analyze.set_defaults(func=_cmd_analyze)

    gaps = commands.add_parser(
        "gaps",
        help="print what is missing: gap zones, overloaded facilities, missing services",
        description="Print the gap list as readable tables.",
    )
    _add_town_argument(gaps)
    _add_norms_option(gaps)
    _add_analysis_options(gaps)
    gaps.set_defaults(func=_cmd_gaps)

    explain = commands.add_parser(
        "explain",
        help="explain one residential unit's access to one service",
        description="Why is this unit served, or not: its nearest facility, the walk, the "
        "straight line, and whether the facility has room.",
    )
    _add_town_argument(explain)
    _add_norms_option(explain)
    explain.add_argument("--unit", required=True, help="residential unit id (e.g. res-0001)")
    explain.add_argument("--service", required=True, help="service key (e.g. kindergarten)")
    explain.add_argument(
        "--elderly", action="store_true", help="walking time at the elderly / small-child pace"
    )
    explain.set_defaults(func=_cmd_explain, include_planned=False)
    add_import_osm_parser(commands)
    return parser


def _add_analysis_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--service",
        action="append",
        default=None,
        metavar="S",
        help="analyse only this service (repeatable; default: every service with a walking norm)",
    )
    parser.add_argument(
        "--elderly",
        action="store_true",
        help="walking times at the elderly / small-child pace of the norm set",
    )
    parser.add_argument(
        "--include-planned", action="store_true", help="count planned facilities as well"
    )


def _add_town_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "town",
        nargs="?",
        type=Path,
        default=default_town_dir(),
        help="town folder (default: the bundled Gusev model, geodata/gusev)",
    )


def _add_norms_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--norms",
        default=None,
        help="norm set name (a file in geodata/norms) or path to a .toml "
        "(default: the town's default_norms)",
    )


def _norms_for(args: argparse.Namespace) -> NormSet | None:
    """Return the norm set named by --norms, else the town's default; None if neither is known."""
    from planner.norms import load_norms

    folder: Path = args.town
    meta, _ = read_town_meta(folder) if folder.is_dir() else (None, [])
    name = args.norms or (meta.default_norms if meta else None)
    return load_norms(name) if name else None


def _cmd_validate(args: argparse.Namespace) -> int:
    folder: Path = args.town
    norms = _norms_for(args)
    town, issues = check_town(folder, norms=norms)
    errors = [i for i in issues if i.severity == "error"]
    warnings = [i for i in issues if i.severity == "warning"]
    if town is None:
        print(f"{folder}: {len(errors)} error(s), {len(warnings)} warning(s)")
        _print_issues(issues)
        return EXIT_INVALID
    summary = town_summary(town)
    norms_line = f"checked against norm set {norms.key!r}" if norms else "no norm set"
    print(f"{folder}: valid ({norms_line}), {len(warnings)} warning(s)")
    _print_summary(summary, official=town.meta.population)
    if warnings:
        print("\nWarnings:")
        _print_issues(warnings)
    return 0


def _print_issues(issues: list[Issue]) -> None:
    for issue in issues:
        print(f"  - {issue}")


def _print_summary(summary: TownSummary, *, official: int) -> None:
    print(f"\n{summary.name}: population {summary.population:,} (official {official:,})")
    print("\nLayers:")
    for layer, count in summary.layer_counts.items():
        counts = summary.provenance_counts.get(layer, {})
        detail = ", ".join(f"{p} {counts[p]}" for p in PROVENANCES if p in counts)
        print(f"  {layer:<12} {count:>6}  {detail}")
    print("\nFacilities by service:")
    for service, count in summary.facilities_by_service.items():
        print(f"  {service:<24} {count:>4}")
    shares = summary.overall_provenance_shares
    print("\nProvenance of all features: " + ", ".join(f"{p} {s:.1%}" for p, s in shares.items()))
    print(
        f"Modelled (modelled + illustrative): {summary.modelled_share:.1%} of features, "
        f"{summary.modelled_population_share:.1%} of residents"
    )


def _load_for_analysis(args: argparse.Namespace) -> tuple[Town, NormSet]:
    """Load the town and its norm set, or raise one DataValidationError with every issue."""
    from planner.norms import load_norms

    norms = _norms_for(args) or load_norms()
    return load_town(args.town, norms=norms), norms


def _run_analysis(args: argparse.Namespace, *, with_catchments: bool) -> TownAnalysis:
    from planner.analysis import analyze_town

    town, norms = _load_for_analysis(args)
    speed = norms.elderly_walk_speed_m_min if args.elderly else norms.walk_speed_m_min
    return analyze_town(
        town,
        norms,
        services=args.service,
        walk_speed_m_min=speed,
        include_planned=args.include_planned,
        with_catchments=with_catchments,
        progress=_progress_printer(),
    )


def _progress_printer() -> Callable[[float, str], None]:
    """Return a progress callback printing to stderr once a step is more than a second in."""
    start = time.perf_counter()

    def show(fraction: float, message: str) -> None:
        if time.perf_counter() - start > 1.0 or (
            fraction >= 1.0 and time.perf_counter() - start > 1.0
        ):
            print(f"[{fraction:4.0%}] {message}", file=sys.stderr, flush=True)

    return show


def _cmd_analyze(args: argparse.Namespace) -> int:
    from planner.exports.data import export_geopackage, export_tables

    analysis = _run_analysis(args, with_catchments=True)
    out: Path = args.out
    gpkg = export_geopackage(analysis, out / "analysis.gpkg")
    tables = export_tables(analysis, out)
    print(f"Wrote {gpkg}")
    for path in tables:
        print(f"Wrote {path}")
    print()
    _print_service_table(analysis)
    _print_far_points(analysis)
    return 0


def _cmd_gaps(args: argparse.Namespace) -> int:
    analysis = _run_analysis(args, with_catchments=False)
    _print_gaps(analysis)
    _print_far_points(analysis)
    return 0


def _cmd_explain(args: argparse.Namespace) -> int:
    from planner.presentation.explain import explain_block

    service = args.service
    args.service = [service]
    analysis = _run_analysis(args, with_catchments=False)
    known = analysis.service(service).coverage["unit_id"]
    if args.unit not in set(known):
        msg = (
            f"No residential unit {args.unit!r} in this town "
            f"(ids look like {', '.join(known.head(3))}, ...)."
        )
        raise PlannerError(msg)
    # The dashboard's explanation, so both say the same thing.
    block = explain_block(analysis, service, args.unit, "en")
    print(f"{block.title}: {analysis.norms.service(service).label}")
    width = max(len(label) for label, _ in block.facts)
    for label, value in block.facts:
        print(f"  {label:<{width}}  {value}")
    print(f"\n{block.sentence}")
    return 0


def _print_far_points(analysis: TownAnalysis) -> None:
    """Warn about homes and facilities far from any street: their walks start with a long leg."""
    far = analysis.network.far_points
    if far.empty:
        return
    limit_m = analysis.network.far_connector_m
    print(f"\nWarning: {len(far)} place(s) lie more than {limit_m:.0f} m from any street:")
    for row in far.itertuples():
        what = "home" if row.kind == "origin" else "facility"
        print(f"  {what} {row.id}: {row.connector_m:,.0f} m to the nearest street")
    print("  Add the footpath or entrance that serves them to streets.geojson.")


def _print_service_table(analysis: TownAnalysis) -> None:
    summary = analysis.service_summary()
    print(
        f"{'service':<16} {'within walk':>11} {'within radius':>13} {'cut off':>8} "
        f"{'demand':>8} {'unmet':>8} {'provision':>9}  status"
    )
    for row in summary.itertuples():
        print(
            f"{row.service:<16} {row.covered_network_share:>11.0%} "
            f"{row.covered_radius_share:>13.0%} {row.radius_not_network:>8,.0f} "
            f"{_num(row.demand):>8} {_num(row.unmet_places):>8} "
            f"{_pct(row.provision_ratio):>9}  {row.status}"
        )


def _print_gaps(analysis: TownAnalysis) -> None:
    town = analysis.town
    print(f"Gaps in {town.meta.name} under {analysis.norms.key!r}")
    print(f"\nServices the norms require for a town of {town.meta.population:,} residents:")
    req = analysis.requirements
    for row in req.itertuples():
        if row.status == "missing":
            print(f"  MISSING  {row.label}: {row.existing} of {row.required} ({row.clause})")
    if not (req["status"] == "missing").any():
        print("  none missing")
    not_required = req[req["status"] == "not_required"]
    if len(not_required):
        print("  not required here: " + ", ".join(not_required["label"]))
    zones = analysis.all_gap_zones()
    print(f"\nGap zones ({len(zones)}), largest first:")
    print(f"  {'zone':<24} {'district':<20} {'residents':>9} {'unmet places':>12}  project")
    for row in zones.itertuples():
        print(
            f"  {row.zone_id:<24} {row.district:<20} {row.unmet_residents:>9,} "
            f"{_num(row.unmet_places):>12}  {row.projects}"
        )
    print("\nOverloaded facilities (demand of the homes nearest to them above capacity):")
    found = False
    for key, result in analysis.services.items():
        for row in result.overloaded.itertuples():
            found = True
            print(
                f"  {key:<16} {row.name} ({row.facility_id}): capacity {row.capacity:,.0f}, "
                f"nearest demand {row.nearest_demand:,.0f} ({row.overload_ratio:.0%})"
            )
    if not found:
        print("  none")


def _num(value: object) -> str:
    number = float(value)  # type: ignore[arg-type]
    return "-" if math.isnan(number) else f"{number:,.0f}"


def _pct(value: object) -> str:
    number = float(value)  # type: ignore[arg-type]
    return "-" if math.isnan(number) else f"{number:.0%}"
