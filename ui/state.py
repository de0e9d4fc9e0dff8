"""Cached calls into ``planner`` and the dashboard's context (the sidebar's choices).

- ``@st.cache_resource`` holds the norm sets, the loaded towns and their walking graphs, and the
  analyses: shared by every session and **read-only** by contract (nothing in the UI edits them);
- the analysis is keyed by (town folder, norm set, walking speed, planned facilities counted):
  the language, the selected service or district, the map view and map pans never recompute it;
  a scenario's comparison with today is keyed by the same and the scenario's hash (SHA-256 of
  its canonical TOML) and the services compared;
- safe under concurrent sessions: Streamlit takes a lock per cache key while computing, so
  sessions asking for the same analysis at once compute it once and share it; catchment
  polygons inside it are built once on first use, under their own lock
  (``planner.analysis.Lazy``);
- bounded: at most ``MAX_TOWNS`` towns (and graphs) and ``MAX_ANALYSES`` analyses stay cached,
  the least recently used dropped first. Measured on Gusev: a town about 3 MB, an analysis
  about 2 MB with all its catchments (``benchmarks/results_sessions.md`` has the server's
  memory under 20 sessions); a town 20 times Gusev's size takes about 20 times that.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from planner.analysis import TownAnalysis, analyze_town
from planner.config import DEFAULT_WALK_SPEED_M_MIN
from planner.events.recurrence import programme_months
from planner.io import load_town
from planner.model import Town
from planner.network import WalkGraph, build_walk_graph
from planner.norms import NormSet, Pace, load_norms
from planner.presentation.words import Lang
from planner.programme.access import (
    ProgrammeAccess,
    ProgrammeReach,
    cultural_services,
    programme_access,
    programme_reach,
    town_timezone,
)
from planner.scenarios import Scenario, ScenarioComparison, run_comparison, scenario_to_toml

ALL = "__all__"
"""Select-box value meaning "all services" / "all districts"."""

DEFAULT_SERVICE = "kindergarten"
MAX_TOWNS = 4
"""Towns (and their walking graphs) kept: each folder typed in the sidebar loads one."""
MAX_ANALYSES = 8
"""Analyses kept: (town, norm set, pace, planned facilities) combinations in use."""


@st.cache_resource(show_spinner=False)
def get_norms(key: str) -> NormSet:
    """Return a norm set by name (cached)."""
    return load_norms(key)


@st.cache_resource(show_spinner=False, max_entries=MAX_TOWNS)
def get_town(folder: str, norm_key: str) -> Town:
    """Return the validated town of a folder (cached per folder and norm set; read-only)."""
    return load_town(Path(folder), norms=get_norms(norm_key))


@st.cache_resource(show_spinner=False, max_entries=MAX_TOWNS)
def get_graph(folder: str, norm_key: str) -> WalkGraph:
    """Return the town's walking graph (it depends on the streets only; cached, read-only)."""
    return build_walk_graph(get_town(folder, norm_key).streets)


@st.cache_resource(show_spinner=False, max_entries=MAX_ANALYSES)
def get_analysis(
    folder: str, norm_key: str, walk_speed_m_min: float, include_planned: bool
) -> TownAnalysis:
    """Return the full analysis (cached per folder, norm set, speed and planned flag)."""
    return analyze_town(
        get_town(folder, norm_key),
        get_norms(norm_key),
        walk_speed_m_min=walk_speed_m_min,
        include_planned=include_planned,
        graph=get_graph(folder, norm_key),
    )


@st.cache_resource(show_spinner=False, max_entries=MAX_ANALYSES)
def get_programme(
    folder: str, norm_key: str, month: str, walk_speed_m_min: float, include_planned: bool
) -> ProgrammeAccess:
    """Return the programme access of a month (counting only: who reaches what is cached)."""
    analysis = get_analysis(folder, norm_key, walk_speed_m_min, include_planned)
    reach = get_programme_reach(folder, norm_key, walk_speed_m_min, include_planned)
    return programme_access(analysis.town, month, reach=reach)


@st.cache_resource(show_spinner=False, max_entries=MAX_ANALYSES)
def get_programme_reach(
    folder: str, norm_key: str, walk_speed_m_min: float, include_planned: bool
) -> ProgrammeReach:
    """Return who reaches which venue (the same every month; on the analysis' network)."""
    analysis = get_analysis(folder, norm_key, walk_speed_m_min, include_planned)
    return programme_reach(
        analysis.town,
        network=analysis.network,
        walk_speed_m_min=walk_speed_m_min,
        cultural=cultural_services(analysis.norms),
        include_planned=include_planned,
    )


@st.cache_resource(show_spinner=False)
def get_programme_months(folder: str, norm_key: str) -> list[str]:
    """Return the months the town's events span (``programme_months``; cached)."""
    town = get_town(folder, norm_key)
    return programme_months(town.events, town_timezone(town))


def scenario_hash(scenario: Scenario) -> str:
    """Return the SHA-256 of the scenario's canonical TOML (what its comparison is keyed by)."""
    return hashlib.sha256(scenario_to_toml(scenario).encode("utf-8")).hexdigest()


@st.cache_resource(show_spinner=False, max_entries=MAX_ANALYSES)
def get_comparison(
    folder: str,
    norm_key: str,
    walk_speed_m_min: float,
    include_planned: bool,
    service: str | None,
    scenario_key: str,
    _scenario: Scenario,
) -> ScenarioComparison:
    """Return a scenario compared with today (cached per inputs and ``scenario_hash``).

    ``service`` narrows both analyses to one service, as ``planner export --service S
    --scenario FILE`` does (``None``: every service), so downloads match the CLI's files.

    Raises
    ------
    ScenarioError
        If the scenario does not fit the town (not cached: the next call tries again).
    """
    from planner.exports.selection import for_service

    del scenario_key  # only the cache's key: the scenario itself is not hashed by Streamlit
    today = for_service(get_analysis(folder, norm_key, walk_speed_m_min, include_planned), service)
    # Catchments are built only if an export asks (lazy), as in the CLI's comparison.
    return run_comparison(today.town, _scenario, today.norms, baseline=today, with_catchments=True)


def clear_town_caches() -> None:
    """Forget loaded towns, graphs, analyses and programmes (after the town's files were edited)."""
    get_town.clear()
    get_graph.clear()
    get_analysis.clear()
    get_programme.clear()
    get_programme_reach.clear()
    get_programme_months.clear()
    get_comparison.clear()


@dataclass(frozen=True, slots=True, eq=False)
class Context:
    """What the sidebar chose and what was loaded for it.

    Attributes
    ----------
    lang
        Interface language.
    folder, norm_key
        The town folder and norm set chosen.
    norms, town, analysis
        What could be loaded (``None`` when loading failed; ``error`` says why).
    service
        The chosen service key, or ``None`` for all services.
    district
        The chosen district id, or ``None`` for all districts.
    pace, walk_speed_m_min
        The walking pace and its speed (``NormSet.walk_speed_for``).
    include_planned
        Whether planned facilities count.
    today
        The analysis of the town as it is (``analysis`` too unless a scenario is shown).
    scenario, comparison
        The saved scenario the sidebar shows instead of today (``analysis`` is then
        ``comparison.scenario``), or ``None``.
    error
        The error that stopped loading, shown on every page.
    """

    lang: Lang
    folder: str
    norm_key: str | None
    norms: NormSet | None = None
    town: Town | None = None
    analysis: TownAnalysis | None = None
    service: str | None = None
    district: str | None = None
    pace: Pace = "adult"
    walk_speed_m_min: float = DEFAULT_WALK_SPEED_M_MIN
    include_planned: bool = False
    today: TownAnalysis | None = None
    scenario: Scenario | None = None
    comparison: ScenarioComparison | None = None
    error: Exception | None = None
