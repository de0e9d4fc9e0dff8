"""Demand per residential unit: how many capacity units (places) each unit needs of a service.

The rule comes from the norm set (``ServiceNorm.demand``): places per 1,000 residents, or an age
cohort times its shares. This module only applies it to a residential table and returns the
result keyed by unit id, the shape ``planner.provision`` and ``planner.fca`` take.

Examples
--------
>>> import pandas as pd
>>> from planner.norms import load_norms
>>> units = pd.DataFrame({"id": ["R1", "R2"], "population": [1000, 500], "pop_0_6": [70, None]})
>>> unit_demand(units, load_norms().service("kindergarten")).round(1).to_dict()
{'R1': 51.0, 'R2': 26.0}
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.errors import PlannerError
from planner.norms import ServiceNorm

__all__ = ["DemandError", "unit_demand"]


class DemandError(PlannerError, ValueError):
    """The residential table cannot give a demand (negative or missing population, bad ids)."""


def unit_demand(residential: pd.DataFrame, service: ServiceNorm) -> pd.Series:
    """Return the places of ``service`` needed by each residential unit.

    Parameters
    ----------
    residential
        Residential units: ``population`` and, when the rule is cohort based, the cohort column
        (``planner.layers.COHORT_COLUMNS``; a missing or NaN value falls back to the per-1,000
        rule). Unit ids come from the ``id`` column when there is one, else from the row labels.
    service
        The service norm whose demand rule applies.

    Returns
    -------
    pandas.Series
        Float places (in ``service.capacity_unit``), never negative, indexed by unit id (index
        name ``unit_id``), in the row order of ``residential``, named after the service key.
        All zero when the norm defines no demand (the service is checked by count).

    Raises
    ------
    DemandError
        A population or cohort value is negative or missing, or unit ids are repeated.
    NormsError
        The rule needs a cohort column that a row lacks and has no per-1,000 fallback.
    """
    if "population" not in residential.columns:
        msg = "The residential table has no 'population' column. Add one (residents per unit)."
        raise DemandError(msg)
    ids = residential["id"] if "id" in residential.columns else residential.index.to_series()
    if ids.duplicated().any():
        dupes = ", ".join(map(str, ids[ids.duplicated()].unique()[:5]))
        msg = f"Residential unit ids must be unique; repeated: {dupes}. Give each unit its own id."
        raise DemandError(msg)
    _check_non_negative(residential, "population", ids, allow_missing=False)
    cohort = service.demand.cohort
    if cohort is not None and cohort in residential.columns:
        _check_non_negative(residential, cohort, ids, allow_missing=True)
    places = service.demand_places(residential)
    return pd.Series(
        places.to_numpy(dtype=float),
        index=pd.Index(ids.to_numpy(), name="unit_id"),
        name=service.key,
    )


def _check_non_negative(
    frame: pd.DataFrame, column: str, ids: pd.Series, *, allow_missing: bool
) -> None:
    values = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)
    bad = values < 0 if allow_missing else ~(values >= 0)  # ~(>= 0) also catches NaN
    if np.any(bad):
        first = ", ".join(map(str, ids.to_numpy()[bad][:5]))
        msg = (
            f"Column {column!r} must be a non-negative number on every residential unit; "
            f"check unit(s) {first}."
        )
        raise DemandError(msg)
