"""The ``planner optimize`` subcommand: propose new sites (and sizes) for one service.

Prints the exact answer (objective, optimality gap, solve time) beside the greedy one, and the
fewest new facilities that serve all reachable demand when asked (``--cover``); ``--save``
stores the exact proposal as a scenario, ``--toml`` writes it as a scenario file.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

from planner.errors import DataValidationError
from planner.paths import default_town_dir
from planner.scenarios.candidates import DEFAULT_SPACING_M
from planner.scenarios.siting import DEFAULT_TIME_LIMIT_S, SitingSolution

EXIT_INVALID = 1


def add_optimize_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register ``optimize`` on the ``planner`` command's subparsers."""
    parser = commands.add_parser(
        "optimize",
        help="propose k new sites and sizes for a service that serve the most demand",
        description="Choose k new sites and their standard sizes that serve the most demand "
        "within the walking norm, keeping the existing facilities; an exact MILP (HiGHS) beside "
        "the greedy answer. See docs/scenarios.md.",
    )
    parser.add_argument(
        "town", nargs="?", type=Path, default=default_town_dir(), help="town folder (default Gusev)"
    )
    parser.add_argument("--service", required=True, help="service key (e.g. kindergarten)")
    parser.add_argument("--k", type=int, required=True, help="number of new facilities")
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--candidates", type=Path, default=None, help="candidate sites: a point or polygon layer"
    )
    where.add_argument(
        "--spacing-m",
        type=float,
        default=DEFAULT_SPACING_M,
        help="distance between street candidates in residential districts (default %(default)g)",
    )
    parser.add_argument(
        "--sizes", default=None, help="sizes to choose from, e.g. 80,180 (default: the norm's)"
    )
    parser.add_argument("--cover", action="store_true", help="also the fewest facilities for all")
    parser.add_argument(
        "--time-limit-s",
        type=float,
        default=DEFAULT_TIME_LIMIT_S,
        help="stop the solver after this long (default %(default)g)",
    )
    parser.add_argument("--include-planned", action="store_true", help="count planned facilities")
    parser.add_argument("--norms", default=None, help="norm set (default: the town's)")
    parser.add_argument("--save", metavar="NAME", default=None, help="save as a scenario")
    parser.add_argument("--toml", type=Path, default=None, help="write as a scenario file")
    parser.add_argument("--db", type=Path, default=None, help="scenario database for --save")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.set_defaults(func=_cmd_optimize)


def _cmd_optimize(args: argparse.Namespace) -> int:
    from planner.io import load_town, norm_set_for
    from planner.norms import load_norms
    from planner.scenarios.candidates import file_candidates, street_candidates
    from planner.scenarios.proposals import solution_to_scenario
    from planner.scenarios.siting import build_problem, cover_all, greedy_sites, optimize_sites

    folder: Path = args.town
    norms = load_norms(args.norms or norm_set_for(folder))
    try:
        town = load_town(folder, norms=norms)
    except DataValidationError as err:
        print(f"planner: invalid: {err}", file=sys.stderr)
        return EXIT_INVALID
    sizes = _sizes(args.sizes)
    candidates = (
        file_candidates(args.candidates, town)
        if args.candidates is not None
        else street_candidates(town, spacing_m=args.spacing_m)
    )
    problem = build_problem(
        town, norms, args.service, candidates, sizes=sizes, include_planned=args.include_planned
    )
    exact = optimize_sites(problem, args.k, time_limit_s=args.time_limit_s)
    greedy = greedy_sites(problem, args.k)
    cover = cover_all(problem, time_limit_s=args.time_limit_s) if args.cover else None
    name = args.save or f"optimize {args.service} k={args.k}"
    scenario = solution_to_scenario(exact, problem, name=name, town=town.meta.name)
    messages = []
    if args.save:
        from planner.scenarios.store import ScenarioStore

        store = ScenarioStore(args.db)
        store.save(scenario)
        messages.append(f"Saved the proposal as scenario {args.save!r} in {store.path}")
    if args.toml is not None:
        from planner.scenarios.toml_format import write_scenario

        messages.append(f"Wrote {write_scenario(args.toml, scenario)}")
    if args.json:
        doc = {"service": args.service, "k": args.k, "candidates": problem.n_candidates}
        doc |= {"exact": _as_dict(exact), "greedy": _as_dict(greedy)}
        if cover is not None:
            doc["cover"] = _as_dict(cover)
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return 0
    unit = norms.service(args.service).capacity_unit
    print(
        f"{args.service}: {problem.n_candidates} candidate sites, sizes "
        f"{', '.join(f'{s:g}' for s in problem.sizes)} {unit}, walking limit {problem.limit_m:g} m"
    )
    print(
        f"Demand {exact.demand:,.1f} {unit}; served within the norm today "
        f"{exact.baseline_served:,.1f}\n"
    )
    _print_solution(f"Exact (MILP, HiGHS), k = {args.k}", exact, unit)
    _print_solution(f"Greedy, k = {args.k}", greedy, unit)
    if cover is not None:
        _print_solution("Fewest new facilities serving all reachable demand", cover, unit)
        print(f"  demand no site can serve within the norm: {cover.unreachable:,.1f} {unit}\n")
    for message in messages:
        print(message)
    return 0


def _sizes(text: str | None) -> tuple[float, ...] | None:
    if text is None:
        return None
    from planner.scenarios.siting import SitingError

    try:
        return tuple(float(part) for part in text.split(","))
    except ValueError:
        msg = f"--sizes must be numbers separated by commas (e.g. 80,180), not {text!r}."
        raise SitingError(msg) from None


def _print_solution(title: str, solution: SitingSolution, unit: str) -> None:
    gap = "-" if math.isnan(solution.gap) else f"{solution.gap:.2%}"
    print(f"{title}: {solution.status}, gap {gap}, {solution.solve_s:.2f} s")
    print(
        f"  served within the norm {solution.served_within:,.1f} {unit} "
        f"(+{solution.gain:,.1f}); {len(solution.sites)} site(s); "
        f"{solution.candidates_used} of {solution.candidates_given} candidates after reductions"
    )
    for row in solution.sites.to_dict("records"):
        print(
            f"  {row['candidate_id']:<12} size {row['size']:>6g}  serves {row['load']:>7.1f} "
            f"({row['homes']} homes)  at {row['lon']:.6f}, {row['lat']:.6f}"
        )
    print()


def _as_dict(solution: SitingSolution) -> dict[str, Any]:
    def clean(value: float) -> float | None:
        return None if math.isnan(value) else value

    return {
        "method": solution.method,
        "status": solution.status,
        "objective_served_within": solution.served_within,
        "baseline_served_within": solution.baseline_served,
        "gain": solution.gain,
        "demand": solution.demand,
        "gap": clean(solution.gap),
        "solve_s": solution.solve_s,
        "candidates_given": solution.candidates_given,
        "candidates_used": solution.candidates_used,
        "variables": solution.variables,
        "constraints": solution.constraints,
        "unreachable": solution.unreachable,
        "sites": solution.sites.drop(columns=["x", "y"]).to_dict("records"),
    }
