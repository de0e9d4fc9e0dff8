"""The ``planner export`` and ``planner report`` subcommands.

``export`` writes one file of any format (``planner.exports.run.FORMATS``) for one service or
all; ``report`` writes the PDF report of every service. Both analyse the town as ``analyze``
does (same options), write atomically and print progress on stderr when the work takes more
than a second. Errors are one line (``planner.cli.main``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.cli.guard import output_path
from planner.errors import PlannerError
from planner.presentation.catalogue import t
from planner.presentation.views import VIEWS

if TYPE_CHECKING:
    from planner.analysis import Progress, TownAnalysis
    from planner.norms import NormSet
    from planner.presentation.words import Lang

__all__ = ["add_export_parsers"]

EXIT_INVALID = 1
"""Exit code of an invalid scenario file (as ``planner scenario``)."""

AddOptions = Callable[[argparse.ArgumentParser], None]
RunAnalysis = Callable[[argparse.Namespace], "TownAnalysis"]
ProgressFactory = Callable[["NormSet", "Lang"], "Progress"]


def add_export_parsers(
    commands: argparse._SubParsersAction[Any],
    *,
    add_options: AddOptions,
    run_analysis: RunAnalysis,
    progress: ProgressFactory,
) -> None:
    """Register ``export`` and ``report``.

    Parameters
    ----------
    commands
        The subparsers of ``planner``.
    add_options
        Adds the options every analysing command shares (town, norms, service, pace, planned,
        language) — the main parser's, so the commands agree.
    run_analysis
        Analyses the town the parsed options name.
    progress
        Returns a progress callback printing to stderr in a language.
    """
    export = commands.add_parser(
        "export",
        help="write a map, the report or the data of one service (or all) as one file",
        description="Export the analysis: an interactive HTML map, a print map (PNG, SVG), the "
        "PDF report, a GeoPackage, the CSV tables (one ZIP) or an Excel workbook.",
    )
    add_options(export)
    export.add_argument(
        "--format",
        required=True,
        choices=("html", "png", "svg", "pdf", "gpkg", "csv", "xlsx"),
        help="what to write; csv writes every table into one .zip",
    )
    _add_output_options(export)
    export.add_argument(
        "--view",
        choices=VIEWS,
        default="network",
        help="maps: colour homes by the walking network (default), the normative radius, or "
        "where the two disagree",
    )
    export.add_argument("--paper", choices=("a4", "a3"), default="a4", help="print map paper")
    export.add_argument(
        "--orientation",
        choices=("portrait", "landscape"),
        default="landscape",
        help="print map orientation",
    )
    export.set_defaults(func=lambda args: _cmd_export(args, run_analysis, progress))

    report = commands.add_parser(
        "report",
        help="write the PDF report for the council (every service, or one)",
        description="The report: a summary page, a page per service and an annex with the "
        "data's provenance, the norms and what reproduces the figures.",
    )
    add_options(report)
    _add_output_options(report)
    report.set_defaults(
        func=lambda args: _cmd_export(args, run_analysis, progress),
        format="pdf",
        view="network",
        paper="a4",
        orientation="landscape",
    )


def _add_output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out",
        type=output_path,
        required=True,
        help="the file to write (its suffix must match the format: .html .png .svg .pdf .gpkg "
        ".zip .xlsx), or an existing folder to write a file with the default name into",
    )
    parser.add_argument(
        "--scenario",
        type=Path,
        default=None,
        metavar="FILE",
        help="export the town as a scenario file (.toml) would make it, or one of the town's own "
        "scenarios by name (technopolis_gs for gusev); the report adds a before/after page, "
        "and every file names the scenario and its hash",
    )
    parser.add_argument(
        "--date",
        type=_iso_date,
        default=None,
        help="date printed in the export, YYYY-MM-DD (default: SOURCE_DATE_EPOCH if set, "
        "else today); the same inputs and date give the same bytes",
    )


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        msg = f"{text!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-12-02"
        raise argparse.ArgumentTypeError(msg) from None


def _cmd_export(
    args: argparse.Namespace, run_analysis: RunAnalysis, progress: ProgressFactory
) -> int:
    """Run ``export`` or ``report``; an invalid scenario is one line and exit code 1."""
    from planner.scenarios.errors import ScenarioError

    try:
        return _export(args, run_analysis, progress)
    except ScenarioError as err:
        print(f"planner: invalid: {err}", file=sys.stderr)
        return EXIT_INVALID


def _export(args: argparse.Namespace, run_analysis: RunAnalysis, progress: ProgressFactory) -> int:
    from planner.exports.run import ExportRequest, default_filename, write_export
    from planner.exports.stamp import make_stamp

    services: list[str] | None = args.service
    if services is not None and len(services) > 1:
        msg = "Export one service at a time (give --service once), or none for all services."
        raise PlannerError(msg)
    scenario = comparison = None
    if args.scenario is not None:
        from planner.scenarios import read_scenario, run_comparison

        scenario = read_scenario(args.scenario)  # a bad file fails before the analysis runs
    analysis = run_analysis(args)
    if scenario is not None:
        comparison = run_comparison(
            analysis.town, scenario, analysis.norms, baseline=analysis, with_catchments=True
        )
        analysis = comparison.scenario
    request = ExportRequest(
        format=args.format,
        service=services[0] if services else None,
        lang=args.lang,
        view=args.view,
        paper=args.paper,
        orientation=args.orientation,
    )
    stamp = make_stamp(analysis, date=args.date, scenario=scenario)
    out: Path = args.out
    if out.is_dir():
        out = out / default_filename(analysis, request, stamp)
    printer = progress(analysis.norms, args.lang)
    written = write_export(analysis, request, stamp, out, progress=printer, comparison=comparison)
    print(t("cli.wrote", args.lang, path=written))
    return 0
