"""The ``planner import-osm`` subcommand: OpenStreetMap extract in, town folder out.

Like planner/cli/main.py, this module talks to the user, so it prints (hence the ruff directive).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from planner.cli.guard import EXIT_INVALID, non_negative_number, output_path, positive_number
from planner.norms import DEFAULT_NORM_SET
from planner.osm.importer import bbox_boundary, import_osm, load_boundary, parse_bbox
from planner.osm.options import (
    DEFAULT_MARGIN_M,
    ImportOptions,
    ImportReport,
    OsmImportError,
    require_file,
)
from planner.osm.population import DEFAULT_COHORT_SHARES, ResidentialAssumptions


def add_import_osm_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register ``import-osm`` on the ``planner`` command's subparsers."""
    defaults = ResidentialAssumptions()
    parser = commands.add_parser(
        "import-osm",
        help="import a town from an OpenStreetMap extract (.osm.pbf, .osm, .osm.bz2, "
        "Overpass JSON)",
        description="Turn an OpenStreetMap extract into a town folder: walkable streets, "
        "residential buildings with estimated residents, facilities mapped to the norm set's "
        "services, districts. See docs/osm-import.md.",
    )
    parser.add_argument("extract", type=Path, help="the OSM extract")
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--boundary", type=Path, help="town outline (GeoJSON polygon)")
    where.add_argument("--bbox", help="bounding box W,S,E,N in degrees, when no outline exists")
    parser.add_argument("--name", required=True, help="town name")
    parser.add_argument("--name-ru", default="", help="town name in Russian")
    parser.add_argument(
        "--out", type=output_path, required=True, help="town folder to write (must be new or empty)"
    )
    parser.add_argument(
        "--population", type=int, default=None, help="official total to scale residents to"
    )
    parser.add_argument("--population-year", type=int, default=None, help="year of that total")
    parser.add_argument(
        "--keep-facilities",
        type=Path,
        default=None,
        metavar="FILE",
        help="curated facilities layer to keep, matched to OSM by name and distance",
    )
    parser.add_argument(
        "--norms", default=DEFAULT_NORM_SET, help=f"norm set (default {DEFAULT_NORM_SET})"
    )
    parser.add_argument(
        "--margin-m",
        type=non_negative_number,
        default=DEFAULT_MARGIN_M,
        help=f"keep streets this far beyond the boundary (default {DEFAULT_MARGIN_M:g})",
    )
    parser.add_argument(
        "--living-area-m2",
        type=positive_number,
        default=defaults.living_area_per_person_m2,
        help="living space per resident in m² (default %(default)s)",
    )
    parser.add_argument(
        "--residential-share",
        type=positive_number,
        default=defaults.residential_share["apartment"],
        help="share of gross floor area that is housing in houses and blocks of flats "
        "(mixed-use buildings get two thirds of it; default %(default)s)",
    )
    parser.add_argument(
        "--cohort-shares",
        default=",".join(f"{s:g}" for s in DEFAULT_COHORT_SHARES),
        help="shares of ages 0-6, 7-17, 18-64, 65+ (default %(default)s)",
    )
    parser.add_argument(
        "--overwrite", action="store_true", help="replace the layers of an existing folder"
    )
    parser.set_defaults(func=run_import_osm)


def run_import_osm(args: argparse.Namespace) -> int:
    """Run ``import-osm``; print the report; return 0, or 1 when the folder has errors."""
    # Input files are checked before the (long) read of the extract, which checks its own.
    for flag, path in (("--boundary", args.boundary), ("--keep-facilities", args.keep_facilities)):
        if path is not None:
            require_file(flag, path)
    boundary = (
        load_boundary(args.boundary) if args.boundary else bbox_boundary(parse_bbox(args.bbox))
    )
    options = ImportOptions(
        name=args.name,
        name_ru=args.name_ru,
        population=args.population,
        population_year=args.population_year,
        margin_m=args.margin_m,
        norms=args.norms,
        assumptions=_assumptions(args),
        keep_facilities=args.keep_facilities,
        overwrite=args.overwrite,
    )
    report = import_osm(
        args.extract, boundary=boundary, out=args.out, options=options, progress=_progress()
    )
    _print_report(report)
    return EXIT_INVALID if report.errors else 0


def _assumptions(args: argparse.Namespace) -> ResidentialAssumptions:
    if args.population is not None and args.population <= 0:
        msg = f"--population {args.population} must be a positive whole number."
        raise OsmImportError(msg)
    if args.living_area_m2 <= 0 or not 0 < args.residential_share <= 1:
        msg = "--living-area-m2 must be positive and --residential-share in (0, 1]."
        raise OsmImportError(msg)
    try:
        shares = tuple(float(s) for s in args.cohort_shares.split(","))
    except ValueError as err:
        msg = (
            f"--cohort-shares {args.cohort_shares!r} must be four numbers, "
            "e.g. 0.07,0.135,0.63,0.165."
        )
        raise OsmImportError(msg) from err
    if len(shares) != 4 or any(s < 0 for s in shares) or abs(sum(shares) - 1) > 1e-6:
        msg = (
            f"--cohort-shares {args.cohort_shares!r} must be four non-negative shares "
            "adding up to 1."
        )
        raise OsmImportError(msg)
    share = float(args.residential_share)
    return ResidentialAssumptions(
        living_area_per_person_m2=float(args.living_area_m2),
        residential_share={"apartment": share, "low_rise": share, "mixed": share * 2 / 3},
        cohort_shares=shares,
    )


def _progress() -> Callable[[float, str], None]:
    start = time.perf_counter()

    def show(fraction: float, message: str) -> None:
        elapsed = time.perf_counter() - start
        print(f"[{fraction:4.0%} {elapsed:6.1f} s] {message}", file=sys.stderr, flush=True)

    return show


def _print_report(report: ImportReport) -> None:
    stamp = report.timestamp or "unknown"
    print(f"Wrote {report.folder} (data as of {stamp}, {report.timestamp_basis})")
    for name, count in report.layer_counts.items():
        print(f"  {name:<12} {count:>7,}")
    print(
        f"Streets: {report.street_components} connected piece(s); the largest holds "
        f"{report.largest_component_share:.1%} of the junctions."
    )
    print(
        f"Residents: {report.population:,} (floor-area estimate "
        f"{report.estimated_population:,.0f}, factor {report.scale_factor:.3f}); "
        f"{report.untagged_levels:,} building(s) without "
        "building:levels got the default."
    )
    services = ", ".join(f"{k} {v}" for k, v in report.facilities_by_service.items()) or "none"
    print(f"Facilities: {services}; {report.capacity_estimates} capacity estimate(s).")
    if report.merged_duplicates:
        count = len(report.merged_duplicates)
        print(f"Merged {count} facility mapping(s) into another (grounds + building).")
    if report.incomplete_relations:
        shown = ", ".join(report.incomplete_relations[:5])
        print(
            f"Skipped {len(report.incomplete_relations)} multipolygon relation(s) with members "
            f"missing from the extract: {shown}"
        )
    if report.merge is not None:
        merge = report.merge
        print(
            f"Curated facilities: {len(merge.matched)} matched, {len(merge.curated_only)} only "
            f"curated (kept), {len(merge.osm_only)} only in OSM (added), "
            f"{len(merge.dropped_stand_ins)} stand-ins dropped, "
            f"{len(merge.dropped_outside)} outside the boundary dropped."
        )
        for m in merge.matched:
            print(
                f"  matched {m.curated_id} = {m.osm_id} ({m.service}, {m.distance_m:.0f} m, "
                f"name similarity {m.name_similarity:.2f})"
            )
        for fid in merge.curated_only:
            print(f"  only curated: {fid}")
        for fid in merge.osm_only:
            print(f"  only in OSM: {fid}")
    errors = report.errors
    warnings = [i for i in report.issues if i.severity == "warning"]
    print(f"Validation: {len(errors)} error(s), {len(warnings)} warning(s).")
    for issue in errors[:20]:
        print(f"  - {issue}")
