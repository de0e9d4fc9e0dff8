"""Residents per OpenStreetMap building: floor area over living space per person, then scaled.

For each residential building (``planner.osm.tags.housing_type``)::

    residents = footprint_m2 × levels × residential_share[housing] ÷ living_area_per_person_m2

then all buildings are scaled together to an official total when one is given, rounded to whole
people by the largest-remainder method (so the total is exact), and split into age cohorts the
same way. The defaults are documented in ``ResidentialAssumptions`` and can all be overridden.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd

from planner.layers import COHORT_COLUMNS
from planner.osm.tags import HousingType, housing_type, parse_number

# fmt: off
DEFAULT_COHORT_SHARES: tuple[float, ...] = (0.07, 0.135, 0.63, 0.165)
"""Shares of pop_0_6, pop_7_17, pop_18_64, pop_65_plus: the national shares of
geodata/gusev/README.md (docs/norms.md §3: Russian birth cohorts 2006-2023 over ≈146 M residents;
65+ ≈ 16.5 % from Rosstat, start of 2024)."""
# fmt: on


@dataclass(frozen=True, slots=True)
class ResidentialAssumptions:
    """The documented defaults behind the population estimate; override any of them.

    Attributes
    ----------
    living_area_per_person_m2
        Total living space per resident: 28 m², about Russia's average (Rosstat's «общая
        площадь жилых помещений, приходящаяся в среднем на одного жителя», ≈ 27-28 m² in
        2022-2023). Use the region's figure when known (``--living-area-m2``).
    residential_share
        Share of gross floor area (footprint × levels) that is flats or houses: 0.75 for
        apartment blocks and houses (walls, stairwells and cellars take the rest), 0.5 for
        mixed-use buildings (shops on the ground floor).
    default_levels
        Levels assumed when ``building:levels`` is not tagged: 4 for an apartment block (the
        four- and five-storey blocks of small Russian towns), 3 for mixed use, 1 for a house.
    min_footprint_m2
        Buildings smaller than this (sheds, garages on residential land) house nobody.
    cohort_shares
        Shares of ``COHORT_COLUMNS``; they must add up to 1.
    """

    living_area_per_person_m2: float = 28.0
    residential_share: Mapping[str, float] = field(
        default_factory=lambda: {"apartment": 0.75, "low_rise": 0.75, "mixed": 0.5}
    )
    default_levels: Mapping[str, float] = field(
        default_factory=lambda: {"apartment": 4.0, "low_rise": 1.0, "mixed": 3.0}
    )
    min_footprint_m2: float = 30.0
    cohort_shares: tuple[float, ...] = DEFAULT_COHORT_SHARES

    def describe(self) -> str:
        """Return the assumptions as one line, for ``source`` columns and READMEs."""
        shares = ", ".join(f"{k} {v:g}" for k, v in self.residential_share.items())
        levels = ", ".join(f"{k} {v:g}" for k, v in self.default_levels.items())
        return (
            f"footprint × levels × residential share ({shares}) ÷ "
            f"{self.living_area_per_person_m2:g} m² per person; untagged levels: {levels}"
        )


@dataclass(frozen=True, slots=True)
class ResidentialEstimate:
    """Residential buildings with their estimated residents.

    Attributes
    ----------
    frame
        One row per building, metric CRS: ``id``, ``housing``, ``levels``, ``levels_tagged``,
        ``footprint_m2``, ``floor_area_m2``, ``estimate`` (unrounded), ``population``,
        cohort columns, ``geometry``.
    estimated_total
        Sum of the unscaled estimates.
    scale_factor
        Factor applied to reach the official total (1.0 when none was given).
    untagged_levels
        Buildings whose levels were assumed.
    """

    frame: gpd.GeoDataFrame
    estimated_total: float
    scale_factor: float
    untagged_levels: int


def estimate_residents(
    buildings: gpd.GeoDataFrame,
    *,
    residential_land: gpd.GeoSeries,
    excluded_land: gpd.GeoSeries,
    assumptions: ResidentialAssumptions,
    target_population: int | None,
) -> ResidentialEstimate:
    """Pick the residential buildings and estimate how many people live in each.

    Parameters
    ----------
    buildings
        Building areas in a metric CRS with columns ``id`` and ``tags`` (dict).
    residential_land
        ``landuse=residential`` polygons, same CRS.
    excluded_land
        Grounds of facilities (schools, hospitals, ...): buildings there are not housing.
    assumptions
        The defaults of the estimate.
    target_population
        The official total to scale to, or ``None`` to keep the estimate (rounded).

    Returns
    -------
    ResidentialEstimate
        The residential buildings; empty when none qualifies.
    """
    frame = buildings.copy()
    frame["footprint_m2"] = frame.geometry.area
    points = frame.geometry.representative_point()
    frame["on_residential_land"] = _inside(points, residential_land)
    frame = frame[~_inside(points, excluded_land)]
    levels_tag = [parse_number(tags.get("building:levels")) for tags in frame["tags"]]
    housing: list[HousingType | None] = [
        housing_type(tags, levels=lv, footprint_m2=fp, on_residential_land=res)
        for tags, lv, fp, res in zip(
            frame["tags"],
            levels_tag,
            frame["footprint_m2"],
            frame["on_residential_land"],
            strict=True,
        )
    ]
    frame["housing"] = housing
    frame["levels_tagged"] = [lv is not None and lv > 0 for lv in levels_tag]
    frame["levels"] = [
        lv if lv is not None and lv > 0 else assumptions.default_levels.get(str(h), 1.0)
        for lv, h in zip(levels_tag, housing, strict=True)
    ]
    keep = frame["housing"].notna() & (frame["footprint_m2"] >= assumptions.min_footprint_m2)
    frame = frame[keep].copy()
    frame["floor_area_m2"] = frame["footprint_m2"] * frame["levels"]
    shares = frame["housing"].map(dict(assumptions.residential_share)).astype(float)
    frame["estimate"] = frame["floor_area_m2"] * shares / assumptions.living_area_per_person_m2
    total = float(frame["estimate"].sum())
    if target_population is None or total <= 0:
        factor, target = 1.0, round(total)
    else:
        factor, target = target_population / total, target_population
    frame["population"] = largest_remainder(frame["estimate"].to_numpy() * factor, target)
    cohorts = split_cohorts(frame["population"].to_numpy(), assumptions.cohort_shares)
    for i, column in enumerate(COHORT_COLUMNS):
        frame[column] = cohorts[:, i]
    return ResidentialEstimate(
        frame=frame.drop(columns=["on_residential_land"]),
        estimated_total=total,
        scale_factor=factor,
        untagged_levels=int((~frame["levels_tagged"]).sum()),
    )


def largest_remainder(values: npt.ArrayLike, total: int) -> npt.NDArray[np.int64]:
    """Round non-negative ``values`` to whole numbers that add up to ``total`` exactly.

    Each value gets its floor, then the ``total - sum(floors)`` largest fractional parts get
    one more (ties broken by position).

    Examples
    --------
    >>> largest_remainder([1.5, 1.5, 1.0], 4).tolist()
    [2, 1, 1]
    """
    array = np.asarray(values, dtype=float)
    if array.size == 0:
        return np.zeros(0, dtype=np.int64)
    scaled = array * (total / array.sum()) if array.sum() > 0 else array
    floors: npt.NDArray[np.int64] = np.floor(scaled).astype(np.int64)
    missing = int(total - floors.sum())
    order = np.argsort(-(scaled - floors), kind="stable")
    floors[order[: max(missing, 0)]] += 1
    return floors


def split_cohorts(population: npt.ArrayLike, shares: Sequence[float]) -> npt.NDArray[np.int64]:
    """Split each unit's population into cohorts that add up to it exactly.

    Returns
    -------
    numpy.ndarray
        Shape (units, len(shares)), integers.

    Examples
    --------
    >>> split_cohorts([100, 3], (0.07, 0.135, 0.63, 0.165)).tolist()
    [[7, 14, 63, 16], [0, 0, 2, 1]]
    """
    people = np.asarray(population, dtype=np.int64)
    out = np.zeros((people.size, len(shares)), dtype=np.int64)
    weights = np.asarray(shares, dtype=float)
    for i, count in enumerate(people):
        if count > 0:
            out[i] = largest_remainder(weights * count, int(count))
    return out


def _inside(points: gpd.GeoSeries, polygons: gpd.GeoSeries) -> pd.Series:
    """Return, for each point, whether it lies in any of ``polygons``."""
    if polygons.empty or points.empty:
        return pd.Series(False, index=points.index)
    hits = polygons.sindex.query(points.to_numpy(), predicate="within")
    mask = np.zeros(len(points), dtype=bool)
    mask[hits[0]] = True
    return pd.Series(mask, index=points.index)
