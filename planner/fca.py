"""Floating catchment area scores (2SFCA, E2SFCA) for users who expect them.

Two-step floating catchment (Luo & Wang 2003): each facility's supply ratio is its capacity over
the (weighted) demand within its catchment; each unit's score is the (weighted) sum of the ratios
of the facilities within its catchment. The enhanced form (Luo & Qi 2009) weights both steps by
distance band. Scores are capacity units per unit of demand (places per needed place): with a
catchment covering everything, every unit scores total capacity / total demand.

Unlike ``planner.provision`` these scores do not assign anyone: a facility's places are counted
once per unit in reach ("demand inflation"), so they rank areas but cannot say who is unserved.
Catchments include their edge: a pair counts when ``distance_m <= limit_m`` (the coverage rule),
where PySAL ``access`` uses ``<``.

References
----------
Luo, W., Wang, F. (2003). Measures of spatial accessibility to health care in a GIS
environment. Environment and Planning B 30(6), 865-884.
Luo, W., Qi, Y. (2009). An enhanced two-step floating catchment area (E2SFCA) method for
measuring spatial accessibility to primary care physicians. Health & Place 15(4), 1100-1107.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from planner.provision import ProvisionError, index_pairs

__all__ = [
    "LUO_QI_BANDS",
    "FcaResult",
    "band_weights",
    "enhanced_two_step_fca",
    "two_step_fca",
]

LUO_QI_BANDS: tuple[tuple[float, float], ...] = ((1 / 3, 1.0), (2 / 3, 0.68), (1.0, 0.22))
"""E2SFCA bands as (upper edge as a share of the limit, weight): Luo & Qi (2009) split a
30-minute catchment into 0-10, 10-20 and 20-30 minutes weighted 1.00, 0.68 and 0.22."""


@dataclass(frozen=True, slots=True, eq=False)
class FcaResult:
    """Floating-catchment scores of one service.

    Attributes
    ----------
    units
        ``unit_id``, ``demand``, ``access_ratio`` (places per needed place from the facilities in
        reach; 0 when none) and ``reaches_unknown_capacity`` (a facility of unknown capacity is
        in reach and is left out of the score, so the score is a lower bound).
    facilities
        ``facility_id``, ``capacity`` (NaN = unknown), ``catchment_demand`` (weighted demand in
        reach) and ``supply_ratio`` (capacity / catchment demand; NaN when the capacity is
        unknown or no demand is in reach, and then it adds nothing to unit scores).
    method
        "2SFCA" or "E2SFCA".
    limit_m
        The catchment size in metres.
    """

    units: pd.DataFrame
    facilities: pd.DataFrame
    method: Literal["2SFCA", "E2SFCA"]
    limit_m: float

    @property
    def unit_ratio(self) -> pd.Series:
        """The unit scores indexed by unit id."""
        return self.units.set_index("unit_id")["access_ratio"]

    @property
    def facility_ratio(self) -> pd.Series:
        """The facility supply ratios indexed by facility id."""
        return self.facilities.set_index("facility_id")["supply_ratio"]


def two_step_fca(
    demand: pd.Series, capacity: pd.Series, pairs: pd.DataFrame, *, limit_m: float
) -> FcaResult:
    """Return 2SFCA scores: every pair within ``limit_m`` counts in full.

    Parameters
    ----------
    demand
        Places needed per unit, indexed by unique unit id.
    capacity
        Places per facility, indexed by unique facility id (NaN = unknown).
    pairs
        ``unit_id``, ``facility_id``, ``distance_m`` (network metres); longer pairs are ignored.
    limit_m
        Catchment size in metres.

    Returns
    -------
    FcaResult
        Unit scores and facility ratios.

    Raises
    ------
    ProvisionError
        Inconsistent inputs (see ``planner.provision.index_pairs``) or a non-positive limit.
    """
    return _fca(demand, capacity, pairs, limit_m=limit_m, bands=((1.0, 1.0),), method="2SFCA")


def enhanced_two_step_fca(
    demand: pd.Series,
    capacity: pd.Series,
    pairs: pd.DataFrame,
    *,
    limit_m: float,
    bands: Sequence[tuple[float, float]] = LUO_QI_BANDS,
) -> FcaResult:
    """Return E2SFCA scores: both steps weight each pair by its distance band.

    Parameters
    ----------
    demand, capacity, pairs, limit_m
        As for ``two_step_fca``.
    bands
        ``(upper edge as a share of limit_m, weight)`` in ascending order of edge, the last edge
        at most 1; a pair belongs to the first band whose edge it does not pass. Defaults to the
        Luo & Qi (2009) thirds.

    Returns
    -------
    FcaResult
        Unit scores and facility ratios.

    Raises
    ------
    ProvisionError
        Inconsistent inputs, a non-positive limit or malformed bands.
    """
    return _fca(demand, capacity, pairs, limit_m=limit_m, bands=bands, method="E2SFCA")


def band_weights(
    distance_m: np.ndarray, *, limit_m: float, bands: Sequence[tuple[float, float]]
) -> np.ndarray:
    """Return the step weight of each distance: the weight of its band, 0 beyond the last band.

    Parameters
    ----------
    distance_m
        Distances in metres.
    limit_m
        The catchment size the band edges are shares of.
    bands
        ``(upper edge share, weight)`` pairs, edges ascending in (0, 1], weights in [0, 1].

    Returns
    -------
    numpy.ndarray
        Float weights, one per distance.
    """
    edges = np.array([edge for edge, _ in bands], dtype=float)
    weights = np.array([weight for _, weight in bands], dtype=float)
    if (
        len(bands) == 0
        or np.any(np.diff(edges) <= 0)
        or edges[0] <= 0
        or edges[-1] > 1
        or np.any((weights < 0) | (weights > 1))
    ):
        msg = (
            f"E2SFCA bands must be (edge share, weight) pairs with edges ascending in (0, 1] and "
            f"weights in [0, 1], e.g. {LUO_QI_BANDS}; got {tuple(bands)}."
        )
        raise ProvisionError(msg)
    band = np.searchsorted(edges * limit_m, np.asarray(distance_m, dtype=float), side="left")
    padded = np.append(weights, 0.0)  # past the last edge: outside the catchment
    return padded[band]


def _fca(
    demand: pd.Series,
    capacity: pd.Series,
    pairs: pd.DataFrame,
    *,
    limit_m: float,
    bands: Sequence[tuple[float, float]],
    method: Literal["2SFCA", "E2SFCA"],
) -> FcaResult:
    if not (math.isfinite(limit_m) and limit_m > 0):
        msg = f"The catchment limit must be a positive number of metres, got {limit_m}."
        raise ProvisionError(msg)
    indexed = index_pairs(demand, capacity, pairs)
    weight = band_weights(indexed.distance_m, limit_m=limit_m, bands=bands)
    in_reach = weight > 0
    unit_pos, facility_pos = indexed.unit_pos[in_reach], indexed.facility_pos[in_reach]
    weight = weight[in_reach]
    demand_values = demand.to_numpy(dtype=float)
    capacity_values = capacity.to_numpy(dtype=float)
    # Step 1: supply ratio per facility over the weighted demand in its catchment.
    catchment = np.bincount(
        facility_pos, weights=weight * demand_values[unit_pos], minlength=len(capacity)
    )
    usable = (catchment > 0) & ~np.isnan(capacity_values)
    ratio = np.full(len(capacity), np.nan)
    ratio[usable] = capacity_values[usable] / catchment[usable]
    # Step 2: weighted sum of the ratios in reach of each unit.
    contribution = weight * np.nan_to_num(ratio[facility_pos], nan=0.0)
    access = np.bincount(unit_pos, weights=contribution, minlength=len(demand))
    unknown = np.bincount(
        unit_pos, weights=np.isnan(capacity_values[facility_pos]), minlength=len(demand)
    )
    units = pd.DataFrame(
        {
            "unit_id": demand.index.to_numpy(),
            "demand": demand_values,
            "access_ratio": access,
            "reaches_unknown_capacity": unknown > 0,
        }
    )
    facilities = pd.DataFrame(
        {
            "facility_id": capacity.index.to_numpy(),
            "capacity": capacity_values,
            "catchment_demand": catchment,
            "supply_ratio": ratio,
        }
    )
    return FcaResult(units=units, facilities=facilities, method=method, limit_m=float(limit_m))
