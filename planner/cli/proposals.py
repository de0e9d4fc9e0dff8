"""The ``planner proposals`` subcommands: residents' proposals in the planner's database.

``import`` reads a survey export (CSV or GeoJSON), checks it against the town (categories of its
norm set, points inside its boundary) and stores it; ``list`` prints them (or per district and
category); ``export`` writes CSV or GeoJSON, without contact details unless ``--with-contact``;
``set-status`` records a decision; ``scenario`` turns a proposal into a scenario, prints its
comparison and can save it. A file or town that is not valid prints one line and exits 1; any
other error the user can fix exits 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from planner.errors import DataValidationError
from planner.paths import default_town_dir
from planner.presentation.catalogue import LANGUAGES, t

if TYPE_CHECKING:
    from planner.model import Town
    from planner.norms import NormSet
    from planner.participation.store import ProposalStore

__all__ = ["add_proposals_parser"]

EXIT_INVALID = 1

Command = Callable[[argparse.Namespace], int]


def add_proposals_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register ``proposals`` and its subcommands on the ``planner`` command's subparsers."""
    parser = commands.add_parser(
        "proposals",
        help="residents' proposals: import, list, export, set-status, scenario",
        description="Residents' proposals (a point, what is asked for, free text), kept in the "
        "same database as saved scenarios.",
    )
    sub = parser.add_subparsers(dest="proposals_command", required=True, metavar="ACTION")

    imp = sub.add_parser("import", help="store the proposals of a survey export (CSV, GeoJSON)")
    imp.add_argument("file", type=Path, help="a .csv or .geojson file")
    _town_options(imp)
    imp.add_argument("--replace", action="store_true", help="update proposals already stored")
    _db_option(imp)
    imp.set_defaults(func=_guarded(_cmd_import))

    listing = sub.add_parser("list", help="list stored proposals")
    _town_options(listing)
    listing.add_argument("--status", action="append", default=[], help="only this status")
    listing.add_argument("--category", action="append", default=[], help="only this category")
    listing.add_argument(
        "--by-district", action="store_true", help="count per district and category instead"
    )
    listing.add_argument("--json", action="store_true", help="print as JSON")
    listing.add_argument("--lang", choices=LANGUAGES, default="en", help="language of the table")
    _db_option(listing)
    listing.set_defaults(func=_guarded(_cmd_list))

    export = sub.add_parser("export", help="write proposals to CSV or GeoJSON")
    export.add_argument("file", type=Path, help="a .csv or .geojson file to write")
    _town_options(export)
    export.add_argument("--status", action="append", default=[], help="only this status")
    export.add_argument(
        "--with-contact",
        action="store_true",
        help="include residents' contact details (personal data: only when you must)",
    )
    _db_option(export)
    export.set_defaults(func=_guarded(_cmd_export))

    status = sub.add_parser("set-status", help="record a decision on a proposal")
    status.add_argument("id")
    status.add_argument("status", choices=("new", "accepted", "rejected", "done"))
    _db_option(status)
    status.set_defaults(func=_guarded(_cmd_status))

    scenario = sub.add_parser(
        "scenario", help="turn a proposal into a scenario and print its comparison with today"
    )
    scenario.add_argument("id")
    _town_options(scenario)
    scenario.add_argument("--capacity", type=float, default=None, help="capacity of the facility")
    scenario.add_argument("--save", action="store_true", help="save the scenario to the database")
    scenario.add_argument("--name", default=None, help="scenario name (default: from the id)")
    scenario.add_argument("--out", type=Path, default=None, help="write the comparison here")
    _db_option(scenario)
    scenario.set_defaults(func=_guarded(_cmd_scenario))


def _town_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--town", type=Path, default=default_town_dir(), help="town folder (default: Gusev)"
    )
    parser.add_argument("--norms", default=None, help="norm set (default: the town's)")


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        type=Path,
        default=None,
        help="planner database (default: $XDG_DATA_HOME/gusev-planner/scenarios.sqlite)",
    )


def _guarded(command: Command) -> Command:
    """Turn invalid data into one line on stderr and exit code 1."""

    def run(args: argparse.Namespace) -> int:
        from planner.scenarios.errors import ScenarioError

        try:
            return command(args)
        except (DataValidationError, ScenarioError) as err:
            print(f"planner: invalid: {err}", file=sys.stderr)
            return EXIT_INVALID

    return run


def _town(args: argparse.Namespace) -> tuple[Town, NormSet]:
    from planner.io import load_town, norm_set_for
    from planner.norms import load_norms

    norms = load_norms(args.norms or norm_set_for(args.town))
    return load_town(args.town, norms=norms), norms


def _store(args: argparse.Namespace) -> ProposalStore:
    from planner.participation.store import ProposalStore

    return ProposalStore(args.db)


def _cmd_import(args: argparse.Namespace) -> int:
    from planner.participation.importing import read_proposals, town_outline

    town, norms = _town(args)
    services = {k: (s.label, s.label_ru) for k, s in norms.services.items()}
    proposals, issues = read_proposals(
        args.file, services=services, town=town.meta.name, boundary=town_outline(town.boundary)
    )
    errors = [i for i in issues if i.severity == "error"]
    if errors:
        summary = f"{args.file} has {len(errors)} problem(s)"
        raise DataValidationError(summary, issues)
    counts = _store(args).add(proposals, replace=args.replace)
    print(
        t(
            "proposal.imported",
            "en",
            added=counts.added,
            file=args.file.name,
            updated=counts.updated,
            unchanged=counts.unchanged,
        )
    )
    return 0


def _cmd_list(args: argparse.Namespace) -> int:
    from planner.participation.summary import proposal_frame, proposals_by_district
    from planner.presentation.proposals import proposal_district_table, proposal_table

    town, norms = _town(args)
    proposals = _store(args).all(
        town=town.meta.name, statuses=args.status, categories=args.category
    )
    frame = proposal_frame(proposals, town)
    table = proposals_by_district(frame) if args.by_district else frame.drop(columns="geometry")
    if args.json:
        print(json.dumps(table.to_dict(orient="records"), ensure_ascii=False, indent=2))
        return 0
    if not len(frame):
        print(t("proposal.none", args.lang))
        return 0
    shown = (
        proposal_district_table(table, town, norms, args.lang)
        if args.by_district
        else proposal_table(frame, town, norms, args.lang)
    )
    print(shown.to_string(index=False, max_colwidth=60))
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from planner.exports.proposals import export_proposals
    from planner.participation.summary import proposal_frame

    town, _ = _town(args)
    proposals = _store(args).all(town=town.meta.name, statuses=args.status)
    frame = proposal_frame(proposals, town, with_contact=args.with_contact)
    path = export_proposals(frame, args.file)
    print(t("cli.wrote", "en", path=path))
    return 0


def _cmd_status(args: argparse.Namespace) -> int:
    proposal = _store(args).set_status(args.id, args.status)
    print(f"{proposal.id}: {proposal.status}")
    return 0


def _cmd_scenario(args: argparse.Namespace) -> int:
    from planner.participation.scenario import proposal_scenario
    from planner.presentation.scenarios import comparison_table
    from planner.scenarios.compare import run_comparison

    town, norms = _town(args)
    store = _store(args)
    proposal = store.get(args.id)
    scenario = proposal_scenario(proposal, norms, capacity=args.capacity, name=args.name)
    comparison = run_comparison(town, scenario, norms, services=[proposal.category])
    if args.out is not None:
        from planner.exports.scenario import export_comparison

        for path in export_comparison(comparison, args.out):
            print(t("cli.wrote", "en", path=path))
    if args.save:
        from planner.scenarios.fingerprint import town_data_hash
        from planner.scenarios.store import ScenarioStore

        saved = ScenarioStore(store.path).save(
            scenario,
            town_name=town.meta.name,
            town_hash=town_data_hash(args.town),
            summary=comparison.summary(),
        )
        store.link_scenario(proposal.id, saved.name)
        print(f"Saved {saved.name!r} to {store.path}")
    print(comparison_table(comparison, "en").to_string(index=False))
    return 0
