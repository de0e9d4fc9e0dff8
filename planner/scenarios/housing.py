"""New housing: residents from flats, age cohorts, and a footprint for a point development.

The household size turns a number of flats into residents. The default, 2.6 people per
household, is the average size of a private household in Russia at the 2010 census, as the
census press office restated it in June 2020 ("Домохозяйства России: что рассказывают
переписи?", e.g. http://gazetazarya.ru/obshestvo/domohozyaystva-rossii-chto-rasskazyvayut-perepisi-11-06-2020.html).
The 2021 census counted 66.1 million households for about 147 million people, about 2.2 per
household (41.8 % of them single people; https://agentnews.ru/ekonomika/perepis-pokazala-rost-chisla-odinochek-v-rossii.html),
so 2.6 suits new family flats better than the whole, older housing stock; a scenario can set
its own ``household_size``. docs/scenarios.md explains the choice.

Examples
--------
>>> residents_from(flats=100, household_size=None, residents=None)
260
>>> apportion(1000, {"pop_0_6": 0.07, "pop_7_17": 0.135, "pop_18_64": 0.63, "pop_65_plus": 0.165})
{'pop_0_6': 70, 'pop_7_17': 135, 'pop_18_64': 630, 'pop_65_plus': 165}
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from planner.layers import COHORT_COLUMNS

DEFAULT_HOUSEHOLD_SIZE = 2.6
"""People per flat when a scenario gives flats without a household size (2010 census, Russia)."""

POINT_FOOTPRINT_M = 20.0
"""A development given as a point is drawn as a square this wide, centred on the point."""


def residents_from(
    *, residents: int | None, flats: int | None, household_size: float | None
) -> int:
    """Return the residents of a development: as given, or flats × household size, rounded."""
    if residents is not None:
        return int(residents)
    size = DEFAULT_HOUSEHOLD_SIZE if household_size is None else household_size
    return round((flats or 0) * size)


def apportion(total: int, shares: Mapping[str, float]) -> dict[str, int]:
    """Split ``total`` people by ``shares`` into whole numbers that add up exactly.

    The largest-remainder method: each cohort gets the floor of its exact share, and the people
    left over go to the cohorts with the largest remainders (ties to the earlier cohort).
    """
    keys = list(shares)
    weights = np.array([max(float(shares[k]), 0.0) for k in keys])
    if total <= 0 or weights.sum() <= 0:
        return dict.fromkeys(keys, 0)
    exact = total * weights / weights.sum()
    counts = np.floor(exact).astype(int)
    left = total - int(counts.sum())
    order = np.argsort(-(exact - counts), kind="stable")
    counts[order[:left]] += 1
    return {k: int(c) for k, c in zip(keys, counts, strict=True)}


def town_cohort_shares(residential: pd.DataFrame) -> dict[str, float] | None:
    """Return the age structure of a residential layer, or None without cohort columns."""
    if not all(c in residential.columns for c in COHORT_COLUMNS):
        return None
    totals = residential[list(COHORT_COLUMNS)].apply(pd.to_numeric, errors="coerce").sum()
    total = float(totals.sum())
    if not math.isfinite(total) or total <= 0:
        return None
    return {c: float(totals[c]) / total for c in COHORT_COLUMNS}
