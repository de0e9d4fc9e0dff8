"""Checks on one edit that need no town: sizes, allowed values, shapes.

``edit_problems`` returns ``(field, message, fix)`` triples; the file reader and
``apply_scenario`` turn them into ``ScenarioIssue``s that name the scenario and the edit. The
checks against a town (unknown ids, positions outside the boundary, unknown services and
districts, streets far from the network) run while applying, in ``planner.scenarios.apply``.
"""

from __future__ import annotations

import math

import shapely

from planner.layers import COHORT_COLUMNS, FACILITY_STATUSES, HOUSING_TYPES, PROVENANCES
from planner.scenarios.edits import (
    AddFacility,
    AddHousing,
    AddStreet,
    ChangeFacility,
    Edit,
)

Problem = tuple[str, str, str]
"""(field, message, fix)."""

SHARE_TOLERANCE = 1e-3
"""How far cohort shares may add up from 1 (rounding in a hand-written file)."""


def edit_problems(edit: Edit) -> list[Problem]:
    """Return every town-independent problem of one edit (empty when it is sound)."""
    problems: list[Problem] = []
    if isinstance(edit, AddFacility | AddHousing | AddStreet) and not edit.id.strip():
        problems.append(("id", "is empty.", "give the new feature a unique id."))
    if isinstance(edit, AddFacility):
        problems += _capacity(edit.capacity)
        problems += _allowed("status", edit.status, FACILITY_STATUSES)
        problems += _allowed("provenance", edit.provenance, PROVENANCES)
        if not edit.service.strip():
            problems.append(("service", "is empty.", "give a service key such as kindergarten."))
    elif isinstance(edit, ChangeFacility):
        if edit.capacity is None and edit.status is None:
            problems.append(
                ("capacity", "change_facility changes nothing.", "give capacity, status or both.")
            )
        problems += _capacity(edit.capacity)
        if edit.status is not None:
            problems += _allowed("status", edit.status, FACILITY_STATUSES)
    elif isinstance(edit, AddHousing):
        problems += _housing(edit)
    elif isinstance(edit, AddStreet):
        problems += _allowed("provenance", edit.provenance, PROVENANCES)
        if not (edit.snap_m >= 0 and math.isfinite(edit.snap_m)):
            problems.append(
                (
                    "snap_m",
                    f"must be a non-negative distance in metres, got {edit.snap_m}.",
                    "give e.g. snap_m = 30.",
                )
            )
        if len(set(edit.line)) < 2:
            problems.append(("line", "has fewer than two distinct points.", "draw a segment."))
    return problems


def _capacity(capacity: float | None) -> list[Problem]:
    if capacity is not None and not (capacity >= 0 and math.isfinite(capacity)):
        return [
            (
                "capacity",
                f"must be a non-negative number, got {capacity}.",
                "give the capacity in the unit of the service's norm (e.g. places); leave it out "
                "when unknown.",
            )
        ]
    return []


def _allowed(field: str, value: str, allowed: tuple[str, ...]) -> list[Problem]:
    if value in allowed:
        return []
    return [(field, f"{value!r} is not allowed.", f"use one of: {', '.join(allowed)}.")]


def _housing(edit: AddHousing) -> list[Problem]:
    problems: list[Problem] = []
    if (edit.polygon is None) == (edit.point is None):
        problems.append(
            (
                "polygon",
                "give exactly one of polygon and point.",
                "draw the development as an outline (polygon) or a single point (point).",
            )
        )
    if edit.polygon is not None:
        ring = shapely.Polygon(edit.polygon)
        if not ring.is_valid or ring.area <= 0:
            reason = shapely.is_valid_reason(ring)
            problems.append(
                (
                    "polygon",
                    f"is not a valid outline ({reason}).",
                    "list the corners in order around the area without crossing edges.",
                )
            )
    if (edit.residents is None) == (edit.flats is None):
        problems.append(
            (
                "residents",
                "give exactly one of residents and flats.",
                "give residents = N, or flats = N (residents = flats × household_size).",
            )
        )
    for field in ("residents", "flats"):
        value = getattr(edit, field)
        if value is not None and value < 0:
            problems.append((field, f"must not be negative, got {value}.", "give a count >= 0."))
    if edit.household_size is not None:
        if edit.flats is None:
            problems.append(
                (
                    "household_size",
                    "applies only with flats.",
                    "remove it or give flats instead of residents.",
                )
            )
        if not (edit.household_size > 0 and math.isfinite(edit.household_size)):
            problems.append(
                (
                    "household_size",
                    f"must be a positive number of people per flat, got {edit.household_size}.",
                    "give e.g. household_size = 2.6.",
                )
            )
    problems += _allowed("housing", edit.housing, HOUSING_TYPES)
    problems += _allowed("provenance", edit.provenance, PROVENANCES)
    if edit.cohorts and edit.cohort_shares:
        problems.append(
            ("cohorts", "give cohorts or cohort_shares, not both.", "keep one of them.")
        )
    for field, table in (("cohorts", edit.cohorts), ("cohort_shares", edit.cohort_shares)):
        if not table:
            continue
        if set(table) != set(COHORT_COLUMNS):
            problems.append(
                (
                    field,
                    f"names {', '.join(table)}, not the four cohorts.",
                    f"give all of {', '.join(COHORT_COLUMNS)}.",
                )
            )
            continue
        if any(v < 0 for v in table.values()):
            problems.append((field, "has a negative value.", "give counts or shares >= 0."))
            continue
        total = sum(table.values())
        if field == "cohort_shares" and abs(total - 1.0) > SHARE_TOLERANCE:
            problems.append(
                (field, f"add up to {total:g}, not 1.", "make the four shares add up to 1.")
            )
        if field == "cohorts" and edit.residents is not None and abs(total - edit.residents) > 0.5:
            problems.append(
                (
                    field,
                    f"add up to {total:g}, but residents = {edit.residents}.",
                    "make the four cohort counts add up to residents, or give cohort_shares.",
                )
            )
        if field == "cohorts" and edit.residents is None:
            problems.append(
                (field, "head counts need residents, not flats.", "give cohort_shares with flats.")
            )
    return problems
