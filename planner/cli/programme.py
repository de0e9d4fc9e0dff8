"""The ``planner programme`` command: events within walking reach for a month.

Prints, in English or Russian, what residents can walk to (per audience and walking time), the
venues and whether they stand idle, and the districts; ``--out`` writes the GeoPackage and CSV
tables (``planner.exports.programme``). Invalid town data prints one line and exits 1; any other
error the user can fix exits 2 (``planner.cli.main``).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path

from planner.cli.guard import output_path
from planner.errors import DataValidationError, PlannerError
from planner.paths import default_town_dir
from planner.presentation.catalogue import LANGUAGES

__all__ = ["add_programme_parser"]

EXIT_INVALID = 1


def add_programme_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register ``programme`` on the ``planner`` command's subparsers."""
    parser = commands.add_parser(
        "programme",
        help="cultural events within walking reach in a month: per audience, venue and district",
        description="Count the events of a month (events.csv / events.ics of the town folder) "
        "that residents can walk to within each walking time; list idle venues and cultural "
        "deserts; optionally write a GeoPackage and CSV tables.",
    )
    parser.add_argument(
        "town",
        nargs="?",
        type=Path,
        default=default_town_dir(),
        help="town folder (default: the bundled Gusev model)",
    )
    parser.add_argument(
        "--month",
        default=None,
        help="YYYY-MM (default: this month in the town's time zone)",
    )
    parser.add_argument(
        "--out",
        type=output_path,
        default=None,
        help="write programme.gpkg, CSV tables and programme.xlsx (in --lang) here",
    )
    parser.add_argument(
        "--minutes",
        default="15,30",
        help="walking times in minutes, comma-separated (default 15,30)",
    )
    parser.add_argument(
        "--elderly", action="store_true", help="walk at the elderly / small-child pace"
    )
    parser.add_argument(
        "--include-planned", action="store_true", help="count events at planned venues too"
    )
    parser.add_argument("--norms", default=None, help="norm set (default: the town's)")
    parser.add_argument("--lang", choices=LANGUAGES, default="en", help="language of the report")
    parser.add_argument("--json", action="store_true", help="print the town summary as JSON")
    parser.set_defaults(func=_guarded)


def _guarded(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except DataValidationError as err:
        print(f"planner: invalid: {err}", file=sys.stderr)
        return EXIT_INVALID


def _minutes(text: str) -> tuple[float, ...]:
    try:
        values = tuple(float(part) for part in text.split(",") if part.strip())
    except ValueError:
        msg = f"--minutes {text!r} is not a list of numbers; write e.g. 15,30."
        raise PlannerError(msg) from None
    if not values or min(values) <= 0:
        msg = f"--minutes {text!r} must list positive walking times, e.g. 15,30."
        raise PlannerError(msg)
    return values


def _run(args: argparse.Namespace) -> int:
    from planner.io import load_town, norm_set_for
    from planner.norms import Pace, load_norms
    from planner.presentation.programme import programme_lines
    from planner.presentation.words import pace_label
    from planner.programme.access import cultural_services, programme_access, town_timezone

    minutes = _minutes(args.minutes)
    norms = load_norms(args.norms or norm_set_for(args.town))
    town = load_town(args.town, norms=norms)
    month = args.month or datetime.now(town_timezone(town)).strftime("%Y-%m")
    pace: Pace = "elderly" if args.elderly else "adult"
    result = programme_access(
        town,
        month,
        minutes=minutes,
        walk_speed_m_min=norms.walk_speed_for(pace),
        cultural=cultural_services(norms),
        include_planned=args.include_planned,
    )
    written: list[Path] = []
    if args.out is not None:
        from planner.exports.programme import PROGRAMME_FILES, export_programme
        from planner.exports.stamp import town_stamp
        from planner.fileio import atomic_folder
        from planner.stamp import run_manifest

        speed = norms.walk_speed_for(pace)
        manifest = run_manifest(
            "programme",
            {
                "month": month,
                "minutes": list(minutes),
                "walk_speed_m_min": speed,
                "elderly": bool(args.elderly),
                "include_planned": bool(args.include_planned),
                "lang": args.lang,
            },
            town_folder=town.folder,
            norms=norms,
        )
        stamp = town_stamp(
            town, norms, walk_speed_m_min=speed, include_planned=args.include_planned
        )
        # The whole set is staged and swapped in at once: a reader never sees two runs mixed.
        with atomic_folder(args.out, manifest=manifest, expected=PROGRAMME_FILES) as stage:
            staged = export_programme(result, town, stage, norms=norms, lang=args.lang, stamp=stamp)
        written = [args.out / path.name for path in staged]
    if args.json:
        print(json.dumps(result.summary.to_dict(orient="records"), ensure_ascii=False, indent=2))
        return 0
    for path in written:
        print(f"Wrote {path}")
    if written:
        print()
    for line in programme_lines(
        result, town, norms, args.lang, pace=pace_label(pace, norms, args.lang)
    ):
        print(line)
    return 0
