"""Comparing a scenario with today: per service, per district, per facility and per home.

``compare_analyses`` is pure: it takes the analysis of the baseline and of the edited town and
returns tables plus map-ready layers. ``run_comparison`` applies a scenario and runs both
analyses (reusing the baseline's analysis and walking graph when it can: the graph depends on
the streets only, so it is rebuilt only when a scenario adds or closes a street).

How a home is classed per service (``change``):

- ``new``: a development the scenario adds; ``removed``: none today (kept for completeness).
- With a demand rule (kindergarten, school, polyclinic...): ``gained`` when the share of its
  demand served within the norm rises, ``lost`` when it falls, else ``unchanged``. This is the
  capacity-aware measure: a home next to a full kindergarten has no place there.
- Without one (pharmacy): ``gained`` / ``lost`` when it comes within / falls out of the walking
  limit.

``access_change`` gives the walking-limit view for every service, whatever its demand rule.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from planner.analysis import ServiceResult, TownAnalysis, analyze_town
from planner.model import Town
from planner.norms import NormSet
from planner.scenarios.apply import AppliedScenario, apply_scenario
from planner.scenarios.edits import Scenario

__all__ = [
    "CHANGE_CLASSES",
    "FIGURES",
    "ScenarioComparison",
    "compare_analyses",
    "run_comparison",
]

CHANGE_CLASSES: tuple[str, ...] = ("gained", "lost", "unchanged", "new", "removed")
"""Classes of ``ScenarioComparison.units['change']`` (the gained / lost map)."""

FIGURES: tuple[str, ...] = (
    "facilities",
    "capacity",
    "residents",
    "covered_network",
    "covered_radius",
    "demand",
    "served_within",
    "served_beyond",
    "unserved",
)
"""Figures compared per service and district: each gets ``_before``, ``_after``, ``_change``."""

SHARE_TOLERANCE = 1e-6
"""Changes in a home's served share smaller than this are solver noise, not a change."""

MOVED_M = 0.5
"""A facility whose position changed by more than this many metres has moved."""


@dataclass(frozen=True, slots=True, eq=False)
class ScenarioComparison:
    """A scenario compared with the baseline.

    Attributes
    ----------
    applied
        The applied scenario (edited town, street joins, warnings).
    baseline, scenario
        The analyses of the town as it is and as edited (same services and options).
    services
        One row per service: ``FIGURES`` before / after / change, ``units_gained``,
        ``units_lost``, ``units_new``, ``residents_gained``, ``residents_lost``.
    districts
        One row per service and district with the ``FIGURES`` (except ``facilities`` and
        ``capacity``) before / after / change.
    facilities
        One row per facility of an analysed service in either town: ``facility_id``,
        ``service``, ``name``, ``change`` (added, removed, closed, reopened, moved, capacity,
        status, unchanged), ``moved_m``, ``status_*``, ``capacity_*``, ``load_*``,
        ``load_share_*`` (before / after; NaN where it does not apply).
    units
        One row per residential unit and service: ``unit_id``, ``service``, ``district``,
        ``population_*``, ``distance_m_*``, ``within_limit_*``, ``demand_*``,
        ``served_within_*``, ``served_share_*`` (before / after), ``access_change`` and
        ``change`` (``CHANGE_CLASSES``).
    """

    applied: AppliedScenario
    baseline: TownAnalysis
    scenario: TownAnalysis
    services: pd.DataFrame
    districts: pd.DataFrame
    facilities: pd.DataFrame
    units: pd.DataFrame

    @property
    def service_keys(self) -> list[str]:
        """The services compared."""
        return list(self.scenario.services)

    def unit_layer(self, service: str) -> gpd.GeoDataFrame:
        """Return the homes of one service as polygons with their ``change`` (metric CRS)."""
        rows = self.units[self.units["service"] == service].reset_index(drop=True)
        shapes = _geometries(self.applied.town.residential, self.applied.baseline.residential)
        return gpd.GeoDataFrame(
            rows, geometry=shapes.reindex(rows["unit_id"]).to_numpy(), crs=self.crs
        )

    def facility_layer(self, service: str | None = None) -> gpd.GeoDataFrame:
        """Return facilities as points where they stand after the scenario (removed: before)."""
        rows = self.facilities
        if service is not None:
            rows = rows[rows["service"] == service]
        rows = rows.reset_index(drop=True)
        shapes = _geometries(self.applied.town.facilities, self.applied.baseline.facilities)
        return gpd.GeoDataFrame(
            rows, geometry=shapes.reindex(rows["facility_id"]).to_numpy(), crs=self.crs
        )

    def move_layer(self) -> gpd.GeoDataFrame:
        """Return one line per moved facility, from where it was to where it goes."""
        moved = self.facilities[self.facilities["change"] == "moved"]
        before = _geometries(self.applied.baseline.facilities, None)
        after = _geometries(self.applied.town.facilities, None)
        lines = [shapely.LineString([before[i], after[i]]) for i in moved["facility_id"]]
        return gpd.GeoDataFrame(
            moved[["facility_id", "service", "name", "moved_m"]].reset_index(drop=True),
            geometry=lines,
            crs=self.crs,
        )

    def street_layer(self) -> gpd.GeoDataFrame:
        """Return the streets the scenario adds (``change`` added) and closes (closed)."""
        parts = []
        for frame, change in (
            (self.applied.added_streets, "added"),
            (self.applied.closed_streets, "closed"),
        ):
            if len(frame):
                part = frame[["id", "kind", "name", "geometry"]].copy()
                part["change"] = change
                parts.append(part)
        if not parts:
            columns = {c: pd.Series(dtype=object) for c in ("id", "kind", "name", "change")}
            return gpd.GeoDataFrame(columns, geometry=gpd.GeoSeries([], crs=self.crs), crs=self.crs)
        return gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=self.crs)

    @property
    def crs(self) -> str:
        """The metric CRS of every layer."""
        return self.applied.town.meta.crs

    def summary(self) -> dict[str, Any]:
        """Return the headline figures as plain data (JSON-ready: NaN becomes None)."""
        applied = self.applied
        return {
            "scenario": applied.scenario.name,
            "town": applied.town.meta.name,
            "norms": self.scenario.norms.key,
            "edits": len(applied.scenario.edits),
            "residents_before": int(applied.baseline.meta.population),
            "residents_after": int(applied.town.meta.population),
            "streets_changed": applied.streets_changed,
            "warnings": [str(w) for w in applied.warnings],
            "services": [
                _plain({str(k): v for k, v in row.items()})
                for row in self.services.to_dict("records")
            ],
        }


def run_comparison(
    town: Town,
    scenario: Scenario,
    norms: NormSet,
    *,
    services: list[str] | None = None,
    walk_speed_m_min: float | None = None,
    include_planned: bool = False,
    baseline: TownAnalysis | None = None,
    with_catchments: bool = False,
) -> ScenarioComparison:
    """Apply a scenario to a town, analyse both and compare them.

    Parameters
    ----------
    town
        The baseline town.
    scenario
        The edits.
    norms
        The norm set.
    services
        Services to analyse (default: every service with a walking norm).
    walk_speed_m_min, include_planned, with_catchments
        As in ``planner.analysis.analyze_town``.
    baseline
        The baseline's analysis when already done (a dashboard keeps it): it must be of this
        town and norm set; its services, pace and planned-facility option are used.

    Returns
    -------
    ScenarioComparison
        Tables and layers.

    Raises
    ------
    ScenarioError
        If the scenario does not fit the town (every problem listed).
    """
    applied = apply_scenario(town, scenario, norms=norms)
    if baseline is None or baseline.town is not town or baseline.norms != norms:
        baseline = analyze_town(
            town,
            norms,
            services=services,
            walk_speed_m_min=walk_speed_m_min,
            include_planned=include_planned,
            with_catchments=with_catchments,
        )
    graph = None if applied.streets_changed else baseline.network.graph
    edited = analyze_town(
        applied.town,
        norms,
        services=list(baseline.services),
        walk_speed_m_min=baseline.walk_speed_m_min,
        include_planned=baseline.include_planned,
        with_catchments=with_catchments,
        graph=graph,
    )
    return compare_analyses(applied, baseline, edited)


def compare_analyses(
    applied: AppliedScenario, baseline: TownAnalysis, scenario: TownAnalysis
) -> ScenarioComparison:
    """Compare two analyses of a town before and after a scenario (a pure function).

    Parameters
    ----------
    applied
        The applied scenario.
    baseline, scenario
        Analyses of ``applied.baseline`` and ``applied.town`` (services compared: those of
        ``scenario`` that ``baseline`` also has).
    """
    keys = [k for k in scenario.services if k in baseline.services]
    units = pd.concat(
        [_unit_changes(baseline.services[k], scenario.services[k], k) for k in keys],
        ignore_index=True,
    )
    services = pd.DataFrame(
        [_service_row(baseline.services[k], scenario.services[k], units, k) for k in keys]
    )
    districts = pd.concat(
        [_district_rows(units[units["service"] == k], k) for k in keys], ignore_index=True
    )
    facilities = _facility_changes(applied, baseline, scenario, keys)
    return ScenarioComparison(
        applied=applied,
        baseline=baseline,
        scenario=scenario,
        services=services,
        districts=districts,
        facilities=facilities,
        units=units,
    )


def _unit_table(result: ServiceResult) -> pd.DataFrame:
    cov = result.coverage.set_index("unit_id")
    table = pd.DataFrame(
        {
            "district": cov["district"],
            "population": cov["population"].astype(float),
            "distance_m": cov["distance_m"].astype(float),
            "within_limit": cov["within_limit"].astype(bool),
            "within_radius": cov["within_radius"].astype(bool),
        }
    )
    if result.provision is not None:
        units = result.provision.units.set_index("unit_id")
        for column in ("demand", "served_within", "served_beyond", "unserved", "status"):
            table[column] = units[column].reindex(table.index)
    else:
        for column in ("demand", "served_within", "served_beyond", "unserved"):
            table[column] = np.nan
        table["status"] = np.where(table["within_limit"], "within_walk", "beyond_walk")
    demand = table["demand"].where(table["demand"] > 0)
    table["served_share"] = table["served_within"] / demand
    return table


def _unit_changes(before: ServiceResult, after: ServiceResult, key: str) -> pd.DataFrame:
    old, new = _unit_table(before), _unit_table(after)
    ids = old.index.union(new.index, sort=False)
    old, new = old.reindex(ids), new.reindex(ids)
    in_old, in_new = ids.isin(before.coverage["unit_id"]), ids.isin(after.coverage["unit_id"])
    table = pd.DataFrame({"unit_id": ids, "service": key})
    table["district"] = new["district"].fillna(old["district"]).to_numpy()
    for column in (
        "population",
        "distance_m",
        "within_limit",
        "within_radius",
        "demand",
        "served_within",
        "served_beyond",
        "unserved",
        "served_share",
        "status",
    ):
        table[f"{column}_before"] = old[column].to_numpy()
        table[f"{column}_after"] = new[column].to_numpy()
    wl_old = old["within_limit"].fillna(False).astype(bool).to_numpy()
    wl_new = new["within_limit"].fillna(False).astype(bool).to_numpy()
    access = np.where(wl_new & ~wl_old, "gained", np.where(wl_old & ~wl_new, "lost", "unchanged"))
    share_old = old["served_share"].to_numpy(dtype=float)
    share_new = new["served_share"].to_numpy(dtype=float)
    by_share = np.isfinite(share_old) & np.isfinite(share_new)
    delta = np.where(by_share, share_new - share_old, 0.0)
    provision = np.where(
        delta > SHARE_TOLERANCE, "gained", np.where(delta < -SHARE_TOLERANCE, "lost", "unchanged")
    )
    change = np.where(by_share, provision, access)
    change = np.where(~in_old, "new", np.where(~in_new, "removed", change))
    access = np.where(~in_old, "new", np.where(~in_new, "removed", access))
    table["access_change"] = access
    table["change"] = change
    return table


def _figures(result: ServiceResult) -> dict[str, float]:
    cov = result.coverage
    facilities = result.facilities
    figures = {
        "facilities": float(len(facilities)),
        "capacity": float(pd.to_numeric(facilities["capacity"], errors="coerce").sum()),
        "residents": float(cov["population"].sum()),
        "covered_network": float(cov.loc[cov["within_limit"], "population"].sum()),
        "covered_radius": float(cov.loc[cov["within_radius"], "population"].sum()),
        "demand": math.nan,
        "served_within": math.nan,
        "served_beyond": math.nan,
        "unserved": math.nan,
    }
    if result.provision is not None:
        totals = result.provision.totals()
        figures |= {
            "demand": totals.demand,
            "served_within": totals.served_within,
            "served_beyond": totals.served_beyond,
            "unserved": totals.unserved,
        }
    return figures


def _service_row(
    before: ServiceResult, after: ServiceResult, units: pd.DataFrame, key: str
) -> dict[str, object]:
    old, new = _figures(before), _figures(after)
    row: dict[str, object] = {"service": key}
    for name in FIGURES:
        row[f"{name}_before"] = old[name]
        row[f"{name}_after"] = new[name]
        row[f"{name}_change"] = new[name] - old[name]
    mine = units[units["service"] == key]
    for change in ("gained", "lost", "new"):
        chosen = mine[mine["change"] == change]
        row[f"units_{change}"] = len(chosen)
        population = chosen["population_after"].fillna(chosen["population_before"])
        row[f"residents_{change}"] = float(population.sum())
    return row


def _district_rows(units: pd.DataFrame, key: str) -> pd.DataFrame:
    rows = []
    for district, group in units.groupby("district", sort=True):
        row: dict[str, object] = {"service": key, "district": district}
        for side in ("before", "after"):
            population = group[f"population_{side}"].fillna(0.0)
            within = group[f"within_limit_{side}"].fillna(False).astype(bool)
            radius = group[f"within_radius_{side}"].fillna(False).astype(bool)
            row[f"residents_{side}"] = float(population.sum())
            row[f"covered_network_{side}"] = float(population[within].sum())
            row[f"covered_radius_{side}"] = float(population[radius].sum())
            for figure in ("demand", "served_within", "served_beyond", "unserved"):
                values = group[f"{figure}_{side}"]
                row[f"{figure}_{side}"] = float(values.sum()) if values.notna().any() else math.nan
        for figure in FIGURES[2:]:
            row[f"{figure}_change"] = row[f"{figure}_after"] - row[f"{figure}_before"]  # type: ignore[operator]
        row["units_gained"] = int((group["change"] == "gained").sum())
        row["units_lost"] = int((group["change"] == "lost").sum())
        rows.append(row)
    return pd.DataFrame(rows)


def _facility_changes(
    applied: AppliedScenario, baseline: TownAnalysis, scenario: TownAnalysis, keys: list[str]
) -> pd.DataFrame:
    old = applied.baseline.facilities.set_index("id")
    new = applied.town.facilities.set_index("id")
    old = old[old["service"].isin(keys)]
    new = new[new["service"].isin(keys)]
    ids = old.index.union(new.index, sort=False)
    o, n = old.reindex(ids), new.reindex(ids)
    moved_m = np.full(len(ids), np.nan)
    both = ids.isin(old.index) & ids.isin(new.index)
    if both.any():
        moved_m[both] = shapely.distance(o.geometry.to_numpy()[both], n.geometry.to_numpy()[both])
    cap_old = pd.to_numeric(o["capacity"], errors="coerce").to_numpy(dtype=float)
    cap_new = pd.to_numeric(n["capacity"], errors="coerce").to_numpy(dtype=float)
    same_cap = (cap_old == cap_new) | (np.isnan(cap_old) & np.isnan(cap_new))
    status_old = o["status"].to_numpy(dtype=object)
    status_new = n["status"].to_numpy(dtype=object)
    change = np.full(len(ids), "unchanged", dtype=object)
    change[both & (status_old != status_new)] = "status"
    change[both & ~same_cap] = "capacity"
    change[both & (moved_m > MOVED_M)] = "moved"
    change[both & (status_old == "closed") & (status_new != "closed")] = "reopened"
    change[both & (status_old != "closed") & (status_new == "closed")] = "closed"
    change[~ids.isin(old.index)] = "added"
    change[~ids.isin(new.index)] = "removed"
    table = pd.DataFrame(
        {
            "facility_id": ids,
            "service": n["service"].fillna(o["service"]).to_numpy(),
            "name": n["name"].fillna(o["name"]).to_numpy(),
            "name_ru": n["name_ru"].fillna(o["name_ru"]).to_numpy(),
            "provenance": n["provenance"].fillna(o["provenance"]).to_numpy(),
            "change": change,
            "moved_m": moved_m,
            "status_before": status_old,
            "status_after": status_new,
            "capacity_before": cap_old,
            "capacity_after": cap_new,
        }
    )
    for side, analysis in (("before", baseline), ("after", scenario)):
        loads = _loads(analysis, keys)
        table[f"load_{side}"] = loads["load"].reindex(ids).to_numpy()
        table[f"load_share_{side}"] = loads["load_share"].reindex(ids).to_numpy()
    return table


def _loads(analysis: TownAnalysis, keys: list[str]) -> pd.DataFrame:
    frames = [
        analysis.services[k].provision.facilities[["facility_id", "load", "load_share"]]  # type: ignore[union-attr]
        for k in keys
        if analysis.services[k].provision is not None
    ]
    if not frames:
        return pd.DataFrame({"load": [], "load_share": []}, index=pd.Index([]))
    table: pd.DataFrame = pd.concat(frames).drop_duplicates("facility_id")
    return table.set_index("facility_id")


def _geometries(primary: gpd.GeoDataFrame, fallback: gpd.GeoDataFrame | None) -> pd.Series:
    shapes = pd.Series(primary.geometry.to_numpy(), index=primary["id"].to_numpy())
    if fallback is not None:
        extra = fallback[~fallback["id"].isin(primary["id"])]
        shapes = pd.concat(
            [shapes, pd.Series(extra.geometry.to_numpy(), index=extra["id"].to_numpy())]
        )
    return shapes


def _plain(row: dict[str, object]) -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in row.items():
        if isinstance(value, float | np.floating):
            out[key] = None if math.isnan(float(value)) else float(value)
        elif isinstance(value, np.integer | np.bool_):
            out[key] = value.item()
        else:
            out[key] = value
    return out
