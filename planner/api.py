"""The public Python API: load a town and a norm set, analyse, sum up, explain, test a placement.

These are thin wrappers over the engine (``planner.io``, ``planner.norms``, ``planner.analysis``,
``planner.figures``, ``planner.presentation.explain``, ``planner.scenarios``) with the defaults a
notebook wants, so that a script testing a placement needs a handful of calls and no knowledge of
the module layout. ``import planner`` re-exports
everything here (lazily, see ``planner/__init__.py``); the README's "Using it from Python" shows
them at work.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from planner.analysis import ServiceResult, TownAnalysis, analyze_town
from planner.errors import DataValidationError, Issue, NormsError, PlannerError
from planner.figures import ServiceFigures, service_figures, summary_table
from planner.io import load_town as _load_town
from planner.model import Town, TownMeta
from planner.norms import NormSet, ServiceNorm, available_norm_sets
from planner.norms import load_norms as _load_norms
from planner.presentation.catalogue import Lang
from planner.presentation.explain import BlockExplanation, explain_block
from planner.scenarios import (
    AddFacility,
    AddHousing,
    ChangeFacility,
    CloseFacility,
    MoveFacility,
    RemoveFacility,
    Scenario,
    ScenarioComparison,
    ScenarioError,
    apply_scenario,
    run_comparison,
)
from planner.towns import KnownTown, TownNotFoundError, known_towns

__all__ = [
    "AddFacility",
    "AddHousing",
    "BlockExplanation",
    "ChangeFacility",
    "CloseFacility",
    "DataValidationError",
    "Issue",
    "KnownTown",
    "MoveFacility",
    "NormSet",
    "NormsError",
    "PlannerError",
    "RemoveFacility",
    "Scenario",
    "ScenarioComparison",
    "ScenarioError",
    "ServiceFigures",
    "ServiceNorm",
    "ServiceResult",
    "Town",
    "TownAnalysis",
    "TownMeta",
    "TownNotFoundError",
    "analyze",
    "apply_scenario",
    "available_norm_sets",
    "compare",
    "explain",
    "known_towns",
    "load_norms",
    "load_town",
    "service_figures",
    "summary_table",
]


def load_town(folder: Path | str, *, norms: NormSet | None = None) -> Town:
    """Load and validate a town folder.

    Parameters
    ----------
    folder
        A folder with ``town.toml`` and the layers of the data contract (docs/architecture.md),
        e.g. ``"geodata/gusev"``, or the name of a known town, e.g. ``"gusev"`` (the bundled
        towns and those in ``PLANNER_GEODATA`` folders; ``known_towns()`` lists them). A path
        that exists wins over a name.
    norms
        When given, facilities must use this norm set's service keys.

    Returns
    -------
    Town
        Every layer in the town's metric CRS.

    Raises
    ------
    DataValidationError
        If anything is wrong; ``.issues`` lists every problem with its file, feature and fix.
    """
    return _load_town(folder, norms=norms)


def load_norms(name_or_path: str | Path | None = None, *, town: Town | None = None) -> NormSet:
    """Load a norm set: the one named, else the town's default, else the project default.

    Parameters
    ----------
    name_or_path
        A set name in ``geodata/norms`` (``"sp42_small_town"``, ``"fifteen_minute_city"``) or the
        path of a ``.toml`` file.
    town
        Without a name, this town's ``default_norms`` (from its ``town.toml``) is loaded.

    Returns
    -------
    NormSet
        The validated set.

    Raises
    ------
    NormsError
        If the name is unknown (the message lists the sets) or the file is missing.
    DataValidationError
        If the file breaks the norm-set format.

    Examples
    --------
    >>> load_norms().key
    'sp42_small_town'
    >>> load_norms("fifteen_minute_city").services["school"].walk_limit_m
    1200.0
    """
    if name_or_path is None and town is not None:
        # A loaded town carries its choice (``TownMeta.default_norms``, read from town.toml the
        # way ``planner.io.norm_set_for`` reads it for the CLI and the dashboard).
        name_or_path = town.meta.default_norms
    return _load_norms() if name_or_path is None else _load_norms(name_or_path)


def analyze(
    town: Town,
    norms: NormSet | None = None,
    *,
    services: Sequence[str] | None = None,
    walk_speed_m_min: float | None = None,
    include_planned: bool = False,
    with_catchments: bool = False,
) -> TownAnalysis:
    """Analyse a town: coverage, capacity-aware provision and gaps per walking service.

    Parameters
    ----------
    town
        The town (``load_town``), or an edited copy of it.
    norms
        The norm set; default the town's own default set.
    services
        Service keys to analyse; default every service with a walking norm.
    walk_speed_m_min
        Walking pace in metres per minute; default the norm set's adult pace (75).
    include_planned
        Count facilities with status ``planned`` as well.
    with_catchments
        Also draw the walking catchment polygons (for maps; the slowest step, so off here).

    Returns
    -------
    TownAnalysis
        ``service(key)`` (coverage, provision, gap zones, overloaded facilities) and
        ``requirements``; ``summary_table(analysis)`` and ``service_figures(analysis, key,
        district)`` give the headline figures and status of each service.

    Raises
    ------
    NormsError
        If a requested service is unknown or has no walking norm.
    """
    return analyze_town(
        town,
        norms if norms is not None else load_norms(town=town),
        services=services,
        walk_speed_m_min=walk_speed_m_min,
        include_planned=include_planned,
        with_catchments=with_catchments,
    )


def explain(
    analysis: TownAnalysis, unit_id: str, service: str, *, lang: Lang = "en"
) -> BlockExplanation:
    """Explain why one residential unit is (not) served by one service.

    Parameters
    ----------
    analysis
        The result of ``analyze``.
    unit_id
        A residential unit id, e.g. ``"res-0100"``.
    service
        An analysed service key, e.g. ``"kindergarten"``.
    lang
        ``"en"`` or ``"ru"``.

    Returns
    -------
    BlockExplanation
        ``facts`` (label, value pairs) and ``sentence``, as the dashboard and
        ``planner explain`` show them.

    Raises
    ------
    NormsError
        If the service was not analysed.
    PlannerError
        If the unit is not in the town.
    """
    return explain_block(analysis, service, unit_id, lang)


def compare(
    town: Town,
    scenario: Scenario,
    norms: NormSet | None = None,
    *,
    services: Sequence[str] | None = None,
    walk_speed_m_min: float | None = None,
    include_planned: bool = False,
    baseline: TownAnalysis | None = None,
) -> ScenarioComparison:
    """Apply a scenario (new, moved, resized facilities, new housing) and compare with today.

    Parameters
    ----------
    town
        The town as it is (never modified).
    scenario
        The edits, e.g. ``Scenario("name").with_edit(AddFacility(...))``.
    norms
        The norm set; default the town's own default set.
    services, walk_speed_m_min, include_planned
        As in ``analyze``.
    baseline
        Today's analysis when already done (``analyze``): saves analysing the town again; its
        services, pace and planned-facility choice are used.

    Returns
    -------
    ScenarioComparison
        ``services`` (each figure before, after and its change, residents gained and lost),
        ``districts``, ``facilities``, ``units``, and both analyses.

    Raises
    ------
    ScenarioError
        If an edit does not fit the town (every problem listed, each naming its edit).
    """
    return run_comparison(
        town,
        scenario,
        norms if norms is not None else load_norms(town=town),
        services=None if services is None else list(services),
        walk_speed_m_min=walk_speed_m_min,
        include_planned=include_planned,
        baseline=baseline,
    )
