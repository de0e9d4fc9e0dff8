"""Applying a scenario: a new, edited ``Town``; the baseline is never touched.

The edits are applied in order to copies of the baseline's layers, so an edit may refer to a
facility an earlier edit added. Every problem of every edit is collected (unknown ids, positions
outside the town boundary, unknown services and districts, a new street far from the network,
plus the checks of ``planner.scenarios.validate``) and raised together as one ``ScenarioError``;
``check_scenario`` returns them instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from planner.layers import COHORT_COLUMNS
from planner.model import Town
from planner.norms import NormSet
from planner.scenarios.edits import (
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
from planner.scenarios.geometry import (
    insert_vertex,
    joined_line,
    lonlat_to_xy,
    nearest_join,
)
from planner.scenarios.housing import (
    POINT_FOOTPRINT_M,
    apportion,
    residents_from,
    town_cohort_shares,
)
from planner.scenarios.validate import edit_problems

__all__ = ["JOIN_COLUMNS", "AppliedScenario", "apply_scenario", "check_scenario"]

BOUNDARY_TOLERANCE_M = 1.0
"""A new feature may reach this far beyond the boundary (rounding of clicked coordinates)."""

JOIN_COLUMNS: tuple[str, ...] = (
    "street_id",
    "end",
    "joined",
    "to_street_id",
    "distance_m",
    "split",
)
"""Columns of ``AppliedScenario.street_joins``: how each end of each new street was joined."""


@dataclass(frozen=True, slots=True, eq=False)
class AppliedScenario:
    """A scenario applied to a town.

    Attributes
    ----------
    scenario
        The scenario.
    baseline
        The town as it is (unchanged).
    town
        The edited town: new frames, new population total in ``meta.population``.
    streets_changed
        Whether any street was added or closed (then the walking graph must be rebuilt).
    street_joins
        One row per end of each new street (``JOIN_COLUMNS``).
    added_streets, closed_streets
        The streets added (as joined) and closed, with their attributes, metric CRS.
    warnings
        Problems that did not stop the scenario (a loose street end, another town's name).
    """

    scenario: Scenario
    baseline: Town
    town: Town
    streets_changed: bool
    street_joins: pd.DataFrame
    added_streets: gpd.GeoDataFrame
    closed_streets: gpd.GeoDataFrame
    warnings: tuple[ScenarioIssue, ...] = field(default=())

    @property
    def added_residents(self) -> int:
        """Residents the scenario adds (new housing)."""
        return int(self.town.meta.population - self.baseline.meta.population)


def apply_scenario(
    town: Town, scenario: Scenario, *, norms: NormSet | None = None
) -> AppliedScenario:
    """Apply a scenario's edits, in order, to copies of the town's layers.

    Parameters
    ----------
    town
        The baseline town (never modified).
    scenario
        The edits.
    norms
        The norm set whose services new facilities must use; None skips that check.

    Returns
    -------
    AppliedScenario
        The edited town and what was done.

    Raises
    ------
    ScenarioError
        Listing every problem of every edit (each names the scenario, the edit and the field).
    """
    applied, issues = _run(town, scenario, norms)
    if applied is None:
        raise ScenarioError(issues)
    return applied


def check_scenario(
    town: Town, scenario: Scenario, *, norms: NormSet | None = None
) -> list[ScenarioIssue]:
    """Return every problem (errors and warnings) of applying ``scenario`` to ``town``."""
    return _run(town, scenario, norms)[1]


def _run(
    town: Town, scenario: Scenario, norms: NormSet | None
) -> tuple[AppliedScenario | None, list[ScenarioIssue]]:
    bench = _Workbench(town, scenario, norms)
    for index, edit in enumerate(scenario.edits, start=1):
        bench.apply(index, edit)
    if scenario.town and scenario.town not in (town.meta.name, town.meta.name_ru):
        bench.issues.append(
            ScenarioIssue(
                scenario.name,
                f"was made for the town {scenario.town!r}, not {town.meta.name!r}.",
                "check that ids and positions fit this town.",
                field="town",
                severity="warning",
            )
        )
    issues = bench.issues
    if any(i.severity == "error" for i in issues):
        return None, issues
    return bench.result(), issues


class _Workbench:
    """The layers being edited and the problems found so far."""

    def __init__(self, town: Town, scenario: Scenario, norms: NormSet | None) -> None:
        self.town = town
        self.scenario = scenario
        self.norms = norms
        self.crs = town.meta.crs
        self.facilities = town.facilities.copy()
        self.residential = town.residential.copy()
        self.streets = town.streets.copy()
        self.boundary = shapely.union_all(town.boundary.geometry.to_numpy()).buffer(
            BOUNDARY_TOLERANCE_M
        )
        shapely.prepare(self.boundary)
        self.issues: list[ScenarioIssue] = []
        self.joins: list[dict[str, object]] = []
        self.added_streets: list[str] = []
        self.closed: list[gpd.GeoDataFrame] = []
        self.population = int(town.meta.population)
        self.used_ids = {
            "facility": set(town.facilities["id"]),
            "residential": set(town.residential["id"]),
            "street": set(town.streets["id"]),
        }
        self._index = 0
        self._edit: Edit | None = None

    # -- reporting -------------------------------------------------------------------------
    def problem(self, field: str | None, message: str, fix: str, *, warning: bool = False) -> None:
        edit = self._edit
        self.issues.append(
            ScenarioIssue(
                self.scenario.name,
                message,
                fix,
                edit_index=self._index,
                edit_op=None if edit is None else edit.op,
                edit_id=None if edit is None else edit.target,
                field=field,
                severity="warning" if warning else "error",
            )
        )

    # -- dispatch --------------------------------------------------------------------------
    def apply(self, index: int, edit: Edit) -> None:
        self._index, self._edit = index, edit
        problems = edit_problems(edit)
        for field_name, message, fix in problems:
            self.problem(field_name, message, fix)
        if problems:
            return
        if isinstance(edit, AddFacility):
            self._add_facility(edit)
        elif isinstance(edit, MoveFacility):
            self._move_facility(edit)
        elif isinstance(edit, RemoveFacility | CloseFacility | ChangeFacility):
            self._change_facility(edit)
        elif isinstance(edit, AddHousing):
            self._add_housing(edit)
        elif isinstance(edit, AddStreet):
            self._add_street(edit)
        else:
            self._close_street(edit)

    # -- facilities ------------------------------------------------------------------------
    def _new_id(self, kind: str, ident: str) -> bool:
        if ident in self.used_ids[kind]:
            self.problem(
                "id", f"{ident!r} is already the id of a {kind} feature.", "choose an unused id."
            )
            return False
        return True

    def _inside(self, field: str, geometry: shapely.Geometry, what: str) -> bool:
        inside = (
            self.boundary.covers(geometry)
            if what != "street"
            else self.boundary.intersects(geometry)
        )
        if not inside:
            self.problem(
                field,
                f"the {what} lies outside the town boundary of {self.town.meta.name}.",
                "place it inside the town (longitude first, then latitude, in degrees).",
            )
        return bool(inside)

    def _point(self, lon: float, lat: float) -> shapely.Point:
        x, y = lonlat_to_xy([(lon, lat)], self.crs)[0]
        return shapely.Point(x, y)

    def _add_facility(self, edit: AddFacility) -> None:
        ok = self._new_id("facility", edit.id)
        if self.norms is not None and edit.service not in self.norms.services:
            self.problem(
                "service",
                f"{edit.service!r} is not a service of the norm set {self.norms.key!r}.",
                f"use one of: {', '.join(self.norms.services)}.",
            )
            ok = False
        point = self._point(edit.lon, edit.lat)
        ok = self._inside("lon", point, "facility") and ok
        if not ok:
            return
        row = {
            "id": edit.id,
            "service": edit.service,
            "name": edit.name or edit.id,
            "name_ru": edit.name_ru or edit.name or edit.id,
            "address": edit.address,
            "capacity": np.nan if edit.capacity is None else float(edit.capacity),
            "status": edit.status,
            "provenance": edit.provenance,
            "source": edit.source or f"scenario {self.scenario.name!r}",
            "capacity_basis": "unknown" if edit.capacity is None else "estimate",
            "note": edit.note,
        }
        self.facilities = _append(self.facilities, row, point)
        self.used_ids["facility"].add(edit.id)

    def _facility_row(self, facility_id: str) -> int | None:
        matches = np.flatnonzero(self.facilities["id"].to_numpy() == facility_id)
        if matches.size:
            return int(matches[0])
        removed = facility_id in self.used_ids["facility"]
        self.problem(
            "facility_id",
            f"no facility {facility_id!r} in the town"
            + (" (an earlier edit removed it)." if removed else "."),
            "use the id of a facility of the town or of an earlier add_facility edit.",
        )
        return None

    def _move_facility(self, edit: MoveFacility) -> None:
        row = self._facility_row(edit.facility_id)
        point = self._point(edit.lon, edit.lat)
        if not self._inside("lon", point, "facility") or row is None:
            return
        frame = self.facilities.copy()
        frame.loc[frame.index[row], "geometry"] = point
        self.facilities = frame

    def _change_facility(self, edit: RemoveFacility | CloseFacility | ChangeFacility) -> None:
        row = self._facility_row(edit.facility_id)
        if row is None:
            return
        label = self.facilities.index[row]
        frame = self.facilities.copy()
        if isinstance(edit, RemoveFacility):
            frame = frame.drop(index=label)
        elif isinstance(edit, CloseFacility):
            frame.loc[label, "status"] = "closed"
        else:
            if edit.capacity is not None:
                frame.loc[label, "capacity"] = float(edit.capacity)
                if "capacity_basis" in frame.columns:
                    frame.loc[label, "capacity_basis"] = "estimate"
            if edit.status is not None:
                frame.loc[label, "status"] = edit.status
        self.facilities = frame

    # -- housing ---------------------------------------------------------------------------
    def _add_housing(self, edit: AddHousing) -> None:
        ok = self._new_id("residential", edit.id)
        if edit.polygon is not None:
            shape = shapely.Polygon(lonlat_to_xy(edit.polygon, self.crs))
        else:
            assert edit.point is not None  # edit_problems guarantees one of the two
            x, y = lonlat_to_xy([edit.point], self.crs)[0]
            half = POINT_FOOTPRINT_M / 2
            shape = shapely.box(x - half, y - half, x + half, y + half)
        ok = (
            self._inside("polygon" if edit.polygon is not None else "point", shape, "development")
            and ok
        )
        district = self._district(edit, shape)
        if not ok or district is None:
            return
        residents = residents_from(
            residents=edit.residents, flats=edit.flats, household_size=edit.household_size
        )
        row: dict[str, object] = {
            "id": edit.id,
            "population": residents,
            "housing": edit.housing,
            "district": district,
            "provenance": edit.provenance,
            "source": edit.source or f"scenario {self.scenario.name!r}",
        }
        cohorts = self._cohorts(edit, residents)
        if cohorts is not None:
            row |= cohorts
        self.residential = _append(self.residential, row, shape)
        self.used_ids["residential"].add(edit.id)
        self.population += residents

    def _district(self, edit: AddHousing, shape: shapely.Geometry) -> str | None:
        districts = self.town.districts
        known = [str(i) for i in districts["id"]] if "id" in districts.columns else []
        if edit.district is not None:
            if edit.district not in known:
                self.problem(
                    "district",
                    f"{edit.district!r} is not a district of the town.",
                    f"use one of: {', '.join(known) or '(none)'}, or leave it out.",
                )
                return None
            return edit.district
        if not known:
            return ""
        # The district holding the development's representative point, else the nearest one.
        point = shape.representative_point()
        geoms = districts.geometry.to_numpy()
        holder = np.flatnonzero(shapely.covers(geoms, point))
        pos = int(holder[0]) if holder.size else int(np.argmin(shapely.distance(geoms, point)))
        return known[pos]

    def _cohorts(self, edit: AddHousing, residents: int) -> dict[str, object] | None:
        if edit.cohorts:
            return {c: round(edit.cohorts[c]) for c in COHORT_COLUMNS}
        shares = (
            dict(edit.cohort_shares) if edit.cohort_shares else town_cohort_shares(self.residential)
        )
        if shares is None:
            return None
        return dict(apportion(residents, {c: shares[c] for c in COHORT_COLUMNS}))

    # -- streets ---------------------------------------------------------------------------
    def _add_street(self, edit: AddStreet) -> None:
        ok = self._new_id("street", edit.id)
        drawn = lonlat_to_xy(edit.line, self.crs)
        ok = self._inside("line", shapely.LineString(drawn), "street") and ok
        if not ok:
            return
        lines = self.streets.geometry.to_numpy()
        tree = shapely.STRtree(lines)
        start = nearest_join(lines, tree, drawn[0], edit.snap_m)
        end = nearest_join(lines, tree, drawn[-1], edit.snap_m)
        if start.street_pos is None and end.street_pos is None:
            self.problem(
                "line",
                f"neither end is within {edit.snap_m:g} m of a street (the nearest are "
                f"{start.distance_m:,.0f} m and {end.distance_m:,.0f} m away), so nobody could "
                "walk onto it.",
                "draw the ends on or next to existing streets, or raise snap_m.",
            )
            return
        ids = self.streets["id"].to_numpy()
        frame = self.streets.copy()
        for which, join in (("start", start), ("end", end)):
            if join.street_pos is None:
                self.problem(
                    "line",
                    f"the {which} is {join.distance_m:,.0f} m from the nearest street "
                    f"(more than snap_m = {edit.snap_m:g} m), so it is left as a dead end.",
                    "move that end next to a street or raise snap_m if it should join.",
                    warning=True,
                )
            elif join.split:
                label = frame.index[join.street_pos]
                frame.loc[label, "geometry"] = insert_vertex(
                    frame.geometry.iloc[join.street_pos], join.xy
                )
            self.joins.append(
                {
                    "street_id": edit.id,
                    "end": which,
                    "joined": join.street_pos is not None,
                    "to_street_id": None if join.street_pos is None else str(ids[join.street_pos]),
                    "distance_m": join.distance_m,
                    "split": join.split,
                }
            )
        line = joined_line(start, drawn, end)
        row: dict[str, object] = {
            "id": edit.id,
            "kind": edit.kind,
            "name": edit.name,
            "provenance": edit.provenance,
        }
        if "note" in frame.columns or edit.note:
            row["note"] = edit.note
        self.streets = _append(frame, row, line)
        self.used_ids["street"].add(edit.id)
        self.added_streets.append(edit.id)

    def _close_street(self, edit: CloseStreet) -> None:
        ids = self.streets["id"].to_numpy()
        matches = np.flatnonzero(ids == edit.street_id)
        if not matches.size:
            self.problem(
                "street_id",
                f"no street {edit.street_id!r} in the town"
                + (
                    " (an earlier edit closed it)."
                    if edit.street_id in self.used_ids["street"]
                    else "."
                ),
                "use the id of a street of the town's streets layer.",
            )
            return
        self.closed.append(self.streets.iloc[matches])
        self.streets = self.streets.drop(index=self.streets.index[matches])

    # -- result ----------------------------------------------------------------------------
    def result(self) -> AppliedScenario:
        town = self.town
        meta = replace(town.meta, population=self.population)
        edited = replace(
            town,
            meta=meta,
            facilities=self.facilities.reset_index(drop=True),
            residential=self.residential.reset_index(drop=True),
            streets=self.streets.reset_index(drop=True),
        )
        streets = edited.streets
        added = streets[streets["id"].isin(self.added_streets)].reset_index(drop=True)
        closed = (
            gpd.GeoDataFrame(pd.concat(self.closed), crs=town.streets.crs).reset_index(drop=True)
            if self.closed
            else town.streets.iloc[:0].copy()
        )
        return AppliedScenario(
            scenario=self.scenario,
            baseline=town,
            town=edited,
            streets_changed=bool(self.added_streets or self.closed),
            street_joins=pd.DataFrame(self.joins, columns=list(JOIN_COLUMNS)),
            added_streets=added,
            closed_streets=closed,
            warnings=tuple(i for i in self.issues if i.severity == "warning"),
        )


def _append(
    frame: gpd.GeoDataFrame, row: dict[str, object], geometry: shapely.Geometry
) -> gpd.GeoDataFrame:
    """Return ``frame`` with one more row (columns it lacks are added, empty elsewhere)."""
    new = gpd.GeoDataFrame(pd.DataFrame([row]), geometry=[geometry], crs=frame.crs)
    for column in frame.columns:
        if column not in new.columns:
            new[column] = None if frame[column].dtype == object else np.nan
    combined = pd.concat(
        [frame, new[[*frame.columns, *[c for c in new.columns if c not in frame.columns]]]],
        ignore_index=True,
    )
    return gpd.GeoDataFrame(combined, geometry=frame.geometry.name, crs=frame.crs)
