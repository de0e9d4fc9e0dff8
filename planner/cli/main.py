"""The ``planner`` command line: one subcommand per task.

Every failure is reported by ``planner.cli.guard``: invalid data lists every problem and exits
with code 1; any other error is one line and exit code 2; never a traceback.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from planner import __version__
from planner.cli.export import add_export_parsers
from planner.cli.guard import (
    EXIT_INVALID,
    OneLineParser,
    configure_logging,
    output_path,
    run_guarded,
)
from planner.cli.optimize import add_optimize_parser
from planner.cli.osm import add_import_osm_parser
from planner.cli.programme import add_programme_parser
from planner.cli.proposals import add_proposals_parser
from planner.cli.scenario import add_scenario_parser
from planner.cli.towns import add_towns_parser, provenance_lines
from planner.errors import Issue, PlannerError, shorten
from planner.io import check_town, load_town, norm_set_for
from planner.layers import PROVENANCES
from planner.paths import DEFAULT_TOWN
from planner.presentation.catalogue import LANGUAGES, Lang, t
from planner.summary import TownSummary, town_summary
from planner.towns import resolve_town

if TYPE_CHECKING:
    from planner.analysis import Progress, TownAnalysis
    from planner.model import Town
    from planner.norms import NormSet


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Parameters
    ----------
    argv
        Arguments without the program name; ``None`` reads ``sys.argv``.

    Returns
    -------
    int
        The exit code: 0 success, 1 invalid data, 2 any other error, 130 interrupted
        (``planner.cli.guard``).
    """
    parser = _build_parser()
    args = parser.parse_args(argv)
    configure_logging(verbose=args.verbose)
    command: Callable[[argparse.Namespace], int] = args.func

    def run(args: argparse.Namespace) -> int:
        if isinstance(getattr(args, "town", None), str | Path):
            args.town = resolve_town(args.town)  # a town's name, or a folder (every subcommand)
            _resolve_scenarios(args)
        return command(args)

    return run_guarded(run, args)


SCENARIO_ARGUMENTS = ("scenario", "scenario_file")
"""Arguments naming a scenario file, resolved against the town's own ``scenarios/`` folder."""


def _resolve_scenarios(args: argparse.Namespace) -> None:
    """Turn a scenario given by name into the town's file (``technopolis_gs`` for gusev)."""
    for name in SCENARIO_ARGUMENTS:
        given = getattr(args, name, None)
        if isinstance(given, Path):
            from planner.scenarios.toml_format import resolve_scenario

            setattr(args, name, resolve_scenario(args.town, given))


def _build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
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
    _add_analysis_command_options(analyze)
    analyze.add_argument(
        "--out",
        type=output_path,
        required=True,
        help="output folder (created if missing; replaced as a whole by each run, so it must be "
        "new, empty or an earlier result)",
    )
    analyze.set_defaults(func=_cmd_analyze)

    gaps = commands.add_parser(
        "gaps",
        help="print what is missing: gap zones, overloaded facilities, missing services",
        description="Print the gap list as readable tables.",
    )
    _add_analysis_command_options(gaps)
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
    _add_lang_option(explain)
    explain.set_defaults(func=_cmd_explain, include_planned=False)
    add_import_osm_parser(commands)
    add_scenario_parser(commands)
    add_optimize_parser(commands)
    add_programme_parser(commands)
    add_proposals_parser(commands)
    add_towns_parser(commands)
    add_export_parsers(
        commands,
        add_options=_add_analysis_command_options,
        run_analysis=lambda args: _run_analysis(args, with_catchments=True),
        progress=_progress_printer,
    )
    return parser


def _add_analysis_command_options(parser: argparse.ArgumentParser) -> None:
    """Add the town, --norms, the analysis options and --lang (analyze and gaps)."""
    _add_town_argument(parser)
    _add_norms_option(parser)
    _add_analysis_options(parser)
    _add_lang_option(parser)


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


def _add_lang_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default="en",
        help="language of the printed report: en (default) or ru; files are unaffected",
    )


def _add_town_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "town",
        nargs="?",
        default=DEFAULT_TOWN,
        help="town folder, or a town's name from `planner towns` (default: gusev, the bundled "
        "Gusev model)",
    )


def _add_norms_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--norms",
        default=None,
        help="norm set name (a file in geodata/norms) or path to a .toml "
        "(default: the town's default_norms)",
    )


def _norms_for(args: argparse.Namespace) -> NormSet:
    """Return the norm set named by --norms, else the one the town folder asks for."""
    from planner.norms import load_norms

    return load_norms(args.norms or norm_set_for(args.town))


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
    norms_line = f"checked against norm set {norms.key!r}"
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
    name = shorten(summary.name, 80)
    print(f"\n{name}: population {summary.population:,} (official {official:,})")
    print("\nLayers:")
    for layer, count in summary.layer_counts.items():
        counts = summary.provenance_counts.get(layer, {})
        detail = ", ".join(f"{p} {counts[p]}" for p in PROVENANCES if p in counts)
        print(f"  {layer:<12} {count:>6}  {detail}")
    print("\nFacilities by service:")
    for service, count in summary.facilities_by_service.items():
        print(f"  {service:<24} {count:>4}")
    print()
    print("\n".join(provenance_lines(summary)))


def _load_for_analysis(args: argparse.Namespace) -> tuple[Town, NormSet]:
    """Load the town and its norm set, or raise one DataValidationError with every issue."""
    norms = _norms_for(args)
    return load_town(args.town, norms=norms), norms


def _run_analysis(args: argparse.Namespace, *, with_catchments: bool) -> TownAnalysis:
    from planner.analysis import analyze_town

    town, norms = _load_for_analysis(args)
    return analyze_town(
        town,
        norms,
        services=args.service,
        walk_speed_m_min=norms.walk_speed_for("elderly" if args.elderly else "adult"),
        include_planned=args.include_planned,
        with_catchments=with_catchments,
        progress=_progress_printer(norms, args.lang),
    )


def _progress_printer(norms: NormSet, lang: Lang) -> Progress:
    """Return a progress callback printing to stderr once the work is more than a second in."""
    from planner.presentation.words import fmt_share, progress_step

    start = time.perf_counter()

    def show(fraction: float, step: str, service: str | None) -> None:
        if time.perf_counter() - start > 1.0:
            message = progress_step(step, service, norms, lang)
            print(f"[{fmt_share(fraction, lang):>5}] {message}", file=sys.stderr, flush=True)

    return show


def _cmd_analyze(args: argparse.Namespace) -> int:
    from planner.exports.data import RESULT_FILES, export_geopackage, export_tables
    from planner.fileio import atomic_folder
    from planner.presentation.report import far_point_lines, service_table_lines
    from planner.stamp import run_manifest

    analysis = _run_analysis(args, with_catchments=True)
    out: Path = args.out
    manifest = run_manifest(
        "analyze",
        {
            "services": list(analysis.services),
            "walk_speed_m_min": analysis.walk_speed_m_min,
            "elderly": bool(args.elderly),
            "include_planned": analysis.include_planned,
        },
        town_folder=analysis.town.folder,
        norms=analysis.norms,
    )
    # The whole set is staged and swapped in at once: a reader never sees two runs mixed.
    with atomic_folder(out, manifest=manifest, expected=RESULT_FILES) as stage:
        written = [export_geopackage(analysis, stage / "analysis.gpkg")]
        written += export_tables(analysis, stage)
    for path in written:
        print(t("cli.wrote", args.lang, path=out / path.name))
    print()
    _print_lines(service_table_lines(analysis, args.lang))
    _print_lines(far_point_lines(analysis, args.lang))
    return 0


def _cmd_gaps(args: argparse.Namespace) -> int:
    from planner.presentation.report import far_point_lines, gaps_lines

    analysis = _run_analysis(args, with_catchments=False)
    _print_lines(gaps_lines(analysis, args.lang))
    _print_lines(far_point_lines(analysis, args.lang))
    return 0


def _cmd_explain(args: argparse.Namespace) -> int:
    from planner.presentation.explain import explain_block
    from planner.presentation.report import explanation_lines
    from planner.presentation.words import service_label

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
    block = explain_block(analysis, service, args.unit, args.lang)
    _print_lines(explanation_lines(block, service_label(analysis.norms, service, args.lang)))
    return 0


def _print_lines(lines: list[str]) -> None:
    for line in lines:
        print(line)
