"""Placement scenarios: edits to a town, applying them, comparing with today, optimal siting.

A scenario is a value (``Scenario``: a name and an ordered tuple of edits); applying it
(``apply_scenario``) builds a new ``Town`` and never touches the baseline; comparing
(``compare_analyses`` / ``run_comparison``) gives tables and map-ready layers of who gains and
who loses; ``optimize_sites`` proposes new sites; ``ScenarioStore`` keeps scenarios in SQLite.
"""

from __future__ import annotations

from planner.scenarios.apply import AppliedScenario, apply_scenario, check_scenario
from planner.scenarios.builders import (
    add_facility_at,
    add_housing_at,
    add_street_between,
    move_facility_to,
    new_edit_id,
)
from planner.scenarios.compare import ScenarioComparison, compare_analyses, run_comparison
from planner.scenarios.edits import (
    EDIT_TYPES,
    AddFacility,
    AddHousing,
    AddStreet,
    ChangeFacility,
    CloseFacility,
    CloseStreet,
    Edit,
    MoveFacility,
    RemoveFacility,
    Scenario,
)
from planner.scenarios.errors import ScenarioError, ScenarioIssue
from planner.scenarios.housing import DEFAULT_HOUSEHOLD_SIZE
from planner.scenarios.toml_format import (
    FORMAT_VERSION,
    read_scenario,
    scenario_from_toml,
    scenario_to_toml,
    write_scenario,
)

__all__ = [
    "DEFAULT_HOUSEHOLD_SIZE",
    "EDIT_TYPES",
    "FORMAT_VERSION",
    "AddFacility",
    "AddHousing",
    "AddStreet",
    "AppliedScenario",
    "ChangeFacility",
    "CloseFacility",
    "CloseStreet",
    "Edit",
    "MoveFacility",
    "RemoveFacility",
    "Scenario",
    "ScenarioComparison",
    "ScenarioError",
    "ScenarioIssue",
    "add_facility_at",
    "add_housing_at",
    "add_street_between",
    "apply_scenario",
    "check_scenario",
    "compare_analyses",
    "move_facility_to",
    "new_edit_id",
    "read_scenario",
    "run_comparison",
    "scenario_from_toml",
    "scenario_to_toml",
    "write_scenario",
]
