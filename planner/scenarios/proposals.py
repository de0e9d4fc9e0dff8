"""Turning an optimiser's answer into a scenario that can be saved, run and compared."""

from __future__ import annotations

from planner.scenarios.edits import AddFacility, Scenario
from planner.scenarios.siting import SitingProblem, SitingSolution

__all__ = ["solution_to_scenario"]


def solution_to_scenario(
    solution: SitingSolution, problem: SitingProblem, *, name: str, town: str = "", author: str = ""
) -> Scenario:
    """Return a scenario adding the solution's sites as new facilities of the service.

    Each new facility carries the candidate it stands on, its size and the demand it serves in
    its ``note``; provenance ``modelled`` (a proposal, not a real plan).
    """
    edits = []
    for row in solution.sites.to_dict("records"):
        edits.append(
            AddFacility(
                id=f"proposed-{problem.service.replace('_', '-')}-{row['candidate_id']}",
                service=problem.service,
                lon=round(float(row["lon"]), 7),
                lat=round(float(row["lat"]), 7),
                capacity=float(row["size"]),
                name=f"Proposed {problem.service.replace('_', ' ')} at {row['candidate_id']}",
                provenance="modelled",
                note=(
                    f"Proposed by planner optimize ({solution.method}, {solution.status}): "
                    f"standard size {row['size']:g}, serving {row['load']:.1f} places within "
                    f"{problem.limit_m:g} m of {int(row['homes'])} homes."
                ),
            )
        )
    description = (
        f"{len(edits)} new {problem.service} site(s) chosen by planner optimize "
        f"({solution.method}): "
        f"demand served within the norm {solution.baseline_served:.1f} -> "
        f"{solution.served_within:.1f} of {solution.demand:.1f} places."
    )
    return Scenario(
        name=name, edits=tuple(edits), description=description, author=author, town=town
    )
