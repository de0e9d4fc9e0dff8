"""The ``planner`` command line: one subcommand per task.

A ``PlannerError`` becomes one line on stderr and exit code 2, never a traceback; a town folder
that fails validation prints every problem and exits with code 1.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from planner import __version__
from planner.errors import Issue, PlannerError
from planner.io import check_town, read_town_meta
from planner.layers import PROVENANCES
from planner.paths import default_town_dir
from planner.summary import TownSummary, town_summary

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
    return parser


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


def _cmd_validate(args: argparse.Namespace) -> int:
    from planner.norms import load_norms

    folder: Path = args.town
    meta, _ = read_town_meta(folder) if folder.is_dir() else (None, [])
    norms_name = args.norms or (meta.default_norms if meta else None)
    norms = load_norms(norms_name) if norms_name else None
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
