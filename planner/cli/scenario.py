"""The ``planner scenario`` subcommands: run a scenario file, and keep scenarios in a database.

``run`` applies a scenario to a town, compares it with today and writes the comparison; the
others manage the SQLite store (``planner.scenarios.store``). A scenario that does not fit the
town, or a file that is not a valid scenario, prints one line and exits 1; any other error the
user can fix exits 2 (through ``planner.cli.main``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from planner.errors import DataValidationError
from planner.paths import default_town_dir
from planner.scenarios.compare import ScenarioComparison
from planner.scenarios.errors import ScenarioError
from planner.scenarios.store import ScenarioStore

EXIT_INVALID = 1

Command = Callable[[argparse.Namespace], int]


SCENARIO_FILE_HELP = (
    "scenario file (.toml), or the name of one of the town's own scenarios "
    "(a file in the town folder's scenarios/, e.g. technopolis_gs for gusev)"
)


def add_scenario_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register ``scenario`` and its subcommands on the ``planner`` command's subparsers."""
    parser = commands.add_parser(
        "scenario",
        help="run a scenario file against today, and save, list, show, rename, duplicate, "
        "delete, export or import scenarios",
        description="Placement scenarios: edits to a town compared with the town as it is. "
        "File format: docs/scenarios.md.",
    )
    sub = parser.add_subparsers(dest="scenario_command", required=True, metavar="ACTION")

    run = sub.add_parser(
        "run",
        help="compare a scenario with today; write a GeoPackage and CSV tables",
        description="Apply the scenario to the town, analyse both and write the comparison "
        "(comparison.gpkg, service_changes.csv, district_changes.csv, facility_changes.csv, "
        "unit_changes.csv, scenario.toml, and a gained/lost map PNG per service with changes).",
    )
    run.add_argument("town", type=Path, help="town folder (e.g. geodata/gusev)")
    run.add_argument("scenario_file", metavar="file", type=Path, help=SCENARIO_FILE_HELP)
    run.add_argument("--out", type=Path, required=True, help="output folder (created if missing)")
    _analysis_options(run)
    run.add_argument("--json", action="store_true", help="print the summary as JSON")
    run.add_argument("--no-maps", action="store_true", help="skip the PNG maps")
    run.add_argument("--lang", choices=("en", "ru"), default="en", help="language of the maps")
    run.set_defaults(func=_guarded(_cmd_run))

    save = sub.add_parser(
        "save",
        help="save a scenario file to the database with its summary results on a town",
        description="Check the scenario on the town, run the comparison and save the scenario, "
        "the town's data hash and the summary results.",
    )
    save.add_argument("scenario_file", metavar="file", type=Path, help=SCENARIO_FILE_HELP)
    save.add_argument(
        "--town", type=Path, default=default_town_dir(), help="town folder (default: Gusev)"
    )
    save.add_argument("--name", default=None, help="save under this name (default: the file's)")
    save.add_argument("--author", default=None, help="author (default: the file's)")
    save.add_argument("--replace", action="store_true", help="overwrite a scenario of that name")
    _analysis_options(save)
    _db_option(save)
    save.set_defaults(func=_guarded(_cmd_save))

    listing = sub.add_parser("list", help="list saved scenarios")
    listing.add_argument("--json", action="store_true", help="print as JSON")
    _db_option(listing)
    listing.set_defaults(func=_cmd_list)

    show = sub.add_parser("show", help="show one saved scenario: edits and summary results")
    show.add_argument("name")
    show.add_argument("--json", action="store_true", help="print as JSON")
    _db_option(show)
    show.set_defaults(func=_cmd_show)

    rename = sub.add_parser("rename", help="rename a saved scenario")
    rename.add_argument("name")
    rename.add_argument("new_name")
    _db_option(rename)
    rename.set_defaults(func=_cmd_rename)

    duplicate = sub.add_parser("duplicate", help="copy a saved scenario under a new name")
    duplicate.add_argument("name")
    duplicate.add_argument("new_name")
    _db_option(duplicate)
    duplicate.set_defaults(func=_cmd_duplicate)

    delete = sub.add_parser("delete", help="delete a saved scenario")
    delete.add_argument("name")
    _db_option(delete)
    delete.set_defaults(func=_cmd_delete)

    export = sub.add_parser("export", help="write a saved scenario to a TOML file")
    export.add_argument("name")
    export.add_argument("file", type=Path, help="the .toml file to write")
    _db_option(export)
    export.set_defaults(func=_cmd_export)

    imp = sub.add_parser(
        "import", help="store a TOML scenario file as it is (no town, no summary results)"
    )
    imp.add_argument("file", type=Path)
    imp.add_argument("--name", default=None, help="store under this name (default: the file's)")
    imp.add_argument("--replace", action="store_true", help="overwrite a scenario of that name")
    _db_option(imp)
    imp.set_defaults(func=_guarded(_cmd_import))


def _analysis_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--service",
        action="append",
        default=None,
        metavar="S",
        help="compare only this service (repeatable; default: every service with a walking norm)",
    )
    parser.add_argument("--norms", default=None, help="norm set (default: the town's)")
    parser.add_argument("--include-planned", action="store_true", help="count planned facilities")


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        type=Path,
        default=None,
        help="scenario database (default: $XDG_DATA_HOME/gusev-planner/scenarios.sqlite, "
        "i.e. ~/.local/share/gusev-planner/scenarios.sqlite)",
    )


def _guarded(command: Command) -> Command:
    """Turn an invalid scenario or town into one line on stderr and exit code 1."""

    def run(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except (ScenarioError, DataValidationError) as err:
            print(f"planner: invalid: {err}", file=sys.stderr)
            return EXIT_INVALID

    return run


def _compare(args: argparse.Namespace, town_dir: Path, file: Path) -> ScenarioComparison:
    from planner.io import load_town, norm_set_for
    from planner.norms import load_norms
    from planner.scenarios.compare import run_comparison
    from planner.scenarios.toml_format import read_scenario

    scenario = read_scenario(file)
    norms = load_norms(args.norms or norm_set_for(town_dir))
    town = load_town(town_dir, norms=norms)
    return run_comparison(
        town, scenario, norms, services=args.service, include_planned=args.include_planned
    )


def _cmd_run(args: argparse.Namespace) -> int:
    from planner.exports.scenario import export_comparison
    from planner.exports.scenario_map import changed_services, save_comparison_map
    from planner.presentation.scenarios import comparison_table

    comparison = _compare(args, args.town, args.scenario_file)
    out: Path = args.out
    written = export_comparison(comparison, out)
    if not args.no_maps:
        for key in changed_services(comparison):
            written.append(
                save_comparison_map(comparison, key, out / f"map_{key}.png", lang=args.lang)
            )
    if args.json:
        print(json.dumps(comparison.summary(), ensure_ascii=False, indent=2))
        return 0
    for path in written:
        print(f"Wrote {path}")
    for warning in comparison.applied.warnings:
        print(f"Warning: {warning}")
    print()
    print(comparison_table(comparison, "en").to_string(index=False))
    return 0


def _store(args: argparse.Namespace) -> ScenarioStore:
    return ScenarioStore(args.db)


def _cmd_save(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from planner.scenarios.fingerprint import town_data_hash

    comparison = _compare(args, args.town, args.scenario_file)
    scenario = comparison.applied.scenario
    if args.name:
        scenario = scenario.renamed(args.name)
    if args.author is not None:
        scenario = replace(scenario, author=args.author)
    store = _store(args)
    saved = store.save(
        scenario,
        town_name=comparison.applied.town.meta.name,
        town_hash=town_data_hash(args.town),
        summary=comparison.summary(),
        replace_existing=args.replace,
    )
    print(f"Saved {saved.name!r} ({len(saved.scenario.edits)} edits) to {store.path}")
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from planner.scenarios.toml_format import read_scenario

    scenario = read_scenario(args.file)
    if args.name:
        scenario = scenario.renamed(args.name)
    store = _store(args)
    saved = store.save(scenario, replace_existing=args.replace)
    print(f"Imported {saved.name!r} ({len(saved.scenario.edits)} edits) into {store.path}")
    return 0


def _cmd_list(args: argparse.Namespace) -> int:

    store = _store(args)
    saved = store.all()
    if args.json:
        rows = [
            {
                "name": s.name,
                "author": s.author,
                "created_at": s.created_at,
                "updated_at": s.updated_at,
                "edits": len(s.scenario.edits),
                "town": s.town_name,
                "town_hash": s.town_hash,
            }
            for s in saved
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not saved:
        print(f"No saved scenarios in {store.path}.")
        return 0
    width = max(len(s.name) for s in saved)
    print(f"{'name':<{width}}  {'edits':>5}  {'author':<16} {'updated (UTC)':<23}  town")
    for s in saved:
        print(
            f"{s.name:<{width}}  {len(s.scenario.edits):>5}  {s.author[:16]:<16} "
            f"{s.updated_at[:23]:<23}  {s.town_name or '-'}"
        )
    return 0


def _cmd_show(args: argparse.Namespace) -> int:
    from planner.scenarios.toml_format import scenario_to_dict

    store = _store(args)
    saved = store.get(args.name)
    if args.json:
        doc = {
            "name": saved.name,
            "author": saved.author,
            "created_at": saved.created_at,
            "updated_at": saved.updated_at,
            "town": saved.town_name,
            "town_hash": saved.town_hash,
            "scenario": scenario_to_dict(saved.scenario),
            "summary": saved.summary,
        }
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return 0
    print(f"{saved.name} — {len(saved.scenario.edits)} edit(s), by {saved.author or 'unknown'}")
    print(f"created {saved.created_at}, updated {saved.updated_at}")
    if saved.scenario.description:
        print(f"\n{saved.scenario.description}")
    print()
    for index, edit in enumerate(saved.scenario.edits, start=1):
        print(f"  {index:>3}. {edit.op:<16} {edit.target}")
    if saved.summary:
        print(f"\nResults on {saved.town_name} (data {saved.town_hash[:12]}):")
        for row in saved.summary.get("services", []):
            before, after = row.get("served_within_before"), row.get("served_within_after")
            if before is None:
                before, after = row["covered_network_before"], row["covered_network_after"]
                what = "residents within the walk"
            else:
                what = "places served within the norm"
            print(f"  {row['service']:<16} {what}: {before:,.0f} -> {after:,.0f}")
    return 0


def _cmd_rename(args: argparse.Namespace) -> int:

    store = _store(args)
    store.rename(args.name, args.new_name)
    print(f"Renamed {args.name!r} to {args.new_name!r}")
    return 0


def _cmd_duplicate(args: argparse.Namespace) -> int:

    store = _store(args)
    store.duplicate(args.name, args.new_name)
    print(f"Copied {args.name!r} to {args.new_name!r}")
    return 0


def _cmd_delete(args: argparse.Namespace) -> int:

    store = _store(args)
    store.delete(args.name)
    print(f"Deleted {args.name!r}")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from planner.scenarios.toml_format import write_scenario

    store = _store(args)
    path = write_scenario(args.file, store.get(args.name).scenario)
    print(f"Wrote {path}")
    return 0
