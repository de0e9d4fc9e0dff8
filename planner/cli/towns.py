"""The ``planner towns`` subcommand: the towns known by name, with their provenance summary.

Like planner/cli/main.py, this module talks to the user, so it prints.
"""

from __future__ import annotations

import argparse

from planner.io import check_town
from planner.norms import available_norm_sets
from planner.paths import DEFAULT_TOWN
from planner.scenarios.toml_format import SCENARIOS_FOLDER, town_scenarios
from planner.summary import TownSummary, town_summary
from planner.towns import KnownTown, known_towns

_INDENT = "    "


def add_towns_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register ``towns`` on the ``planner`` command's subparsers."""
    parser = commands.add_parser(
        "towns",
        help="list the towns known by name (bundled and PLANNER_GEODATA) with their provenance",
        description="List the towns that can be given by name instead of a folder, with "
        "population, where the folder is and how much of the data is real or modelled.",
    )
    parser.set_defaults(func=_cmd_towns)


def provenance_lines(summary: TownSummary) -> list[str]:
    """Return the two lines saying where the town's features come from and how much is modelled."""
    shares = summary.overall_provenance_shares
    return [
        "Provenance of all features: " + ", ".join(f"{p} {s:.1%}" for p, s in shares.items()),
        f"Modelled (modelled + illustrative): {summary.modelled_share:.1%} of features, "
        f"{summary.modelled_population_share:.1%} of residents",
    ]


def _cmd_towns(_args: argparse.Namespace) -> int:
    towns = known_towns()
    if not towns:
        print("No towns found by name (no geodata folder holds a town folder).")
    for entry in towns:
        _print_town(entry)
    print(f"Norm sets: {', '.join(available_norm_sets()) or 'none'}")
    names = [entry.name for entry in towns]
    example = DEFAULT_TOWN if DEFAULT_TOWN in names or not names else names[0]
    print(
        "Give a town's name wherever a town folder is asked for, "
        f"e.g. `planner analyze {example} --out out/`."
    )
    return 0


def _print_town(entry: KnownTown) -> None:
    town, issues = check_town(entry.folder)
    origin = "bundled with planner" if entry.bundled else "user folder (PLANNER_GEODATA)"
    if entry.shadows_bundled:
        origin += ", overrides the bundled town of that name"
    if town is None:
        errors = sum(issue.severity == "error" for issue in issues)
        print(f"{entry.name}: cannot be loaded ({errors} error(s)); {origin}")
        print(f"{_INDENT}{entry.folder}")
        print(f"{_INDENT}`planner validate {entry.name}` lists the problems.\n")
        return
    meta = town.meta
    summary = town_summary(town)
    print(
        f"{entry.name}: {meta.name} ({meta.name_ru}), {meta.population:,} residents "
        f"({meta.population_year}); {origin}"
    )
    print(f"{_INDENT}{entry.folder}")
    for line in provenance_lines(summary):
        print(_INDENT + line)
    print(f"{_INDENT}Default norm set: {meta.default_norms or 'none (give --norms)'}")
    scenarios = town_scenarios(entry.folder)
    if scenarios:
        # By name they run from anywhere; the folder is shown for those who want to copy one.
        print(
            f"{_INDENT}Scenarios (by name, e.g. `planner scenario run {entry.name} "
            f"{scenarios[0]} --out out/`; files in {entry.folder / SCENARIOS_FOLDER}): "
            + ", ".join(scenarios)
        )
    print()
