"""Gusev Planner: walking access to social infrastructure against Russian planning norms.

The public API, for notebooks and scripts (README, "Using it from Python")::

    import planner
    town = planner.load_town("gusev")  # a bundled town by name, or a folder
    result = planner.analyze(town, services=["kindergarten"])
    planner.summary_table(result)
    planner.explain(result, "res-0100", "kindergarten").sentence

``load_town``, ``load_norms``, ``analyze``, ``summary_table``, ``service_figures``, ``explain``,
the placement tools (``Scenario``, ``AddFacility`` and the other edits, ``apply_scenario``,
``compare``) and the result types (``Town``, ``NormSet``, ``TownAnalysis``, ``ServiceResult``,
``ServiceFigures``, ``BlockExplanation``, ``ScenarioComparison``, the errors) live in
``planner.api`` and are re-exported here.

They are imported lazily, on first access (PEP 562 module ``__getattr__``): every
``import planner.<module>`` runs this file first, and an eager import of the API would load the
whole engine (geopandas, SciPy, folium) even for the light modules — the OpenStreetMap tag tables,
the command line's ``--help``, the constants — and would make this package import its own
submodules while they are being imported. Type checkers see the names through the
``TYPE_CHECKING`` import below.
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from planner.api import (
        AddFacility,
        AddHousing,
        BlockExplanation,
        ChangeFacility,
        CloseFacility,
        DataValidationError,
        Issue,
        KnownTown,
        MoveFacility,
        NormsError,
        NormSet,
        PlannerError,
        RemoveFacility,
        Scenario,
        ScenarioComparison,
        ScenarioError,
        ServiceFigures,
        ServiceNorm,
        ServiceResult,
        Town,
        TownAnalysis,
        TownMeta,
        TownNotFoundError,
        analyze,
        apply_scenario,
        available_norm_sets,
        compare,
        explain,
        known_towns,
        load_norms,
        load_town,
        service_figures,
        summary_table,
    )

try:
    __version__ = version("gusev-planner")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"

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
    "__version__",
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

_API = frozenset(__all__) - {"__version__"}


def __getattr__(name: str) -> Any:  # noqa: ANN401 - whatever the API name is
    """Return an API name from ``planner.api``, importing it on first use."""
    if name in _API:
        value = getattr(importlib.import_module("planner.api"), name)
        globals()[name] = value  # later look-ups skip this function
        return value
    msg = f"module 'planner' has no attribute {name!r}"
    raise AttributeError(msg)


def __dir__() -> list[str]:
    """List the API names too, so completion in a notebook finds them before first use."""
    return sorted({*globals(), *_API})
