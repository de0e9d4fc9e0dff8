"""Normative sets as immutable values: service radii, walking limits, demand, minimum counts.

A norm set is data (``geodata/norms/<key>.toml``), so every number the planner shows can be
traced to its document and clause. ``planner.norms.loading.load_norms`` parses a file, validates
all of it at once (``planner.norms.schema``) and returns a hashable ``NormSet`` defined here.

Examples
--------
>>> from planner.norms import load_norms
>>> norms = load_norms("sp42_small_town")
>>> norms.services["kindergarten"].radius_m
500.0
>>> norms.services["kindergarten"].places_for(1000, {"pop_0_6": 70})
51.0
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypeVar

import pandas as pd

from planner.errors import NormsError

__all__ = [
    "DEFAULT_NORM_SET",
    "PACES",
    "SERVICE_KEYS",
    "Category",
    "Confidence",
    "DemandRule",
    "FrozenMap",
    "MinCount",
    "NormSet",
    "Pace",
    "ServiceNorm",
    "Source",
]

Category = Literal["education", "health", "culture", "sport"]
Confidence = Literal["A", "B", "C"]

DEFAULT_NORM_SET = "sp42_small_town"
"""The set used when a town names none (``TownMeta.default_norms`` defaults to it)."""

Pace = Literal["adult", "elderly"]
"""A walking pace: adults, or small children and elderly walkers (``NormSet.walk_speed_for``)."""
PACES: tuple[Pace, ...] = ("adult", "elderly")

# fmt: off
SERVICE_KEYS: tuple[str, ...] = (
    "kindergarten", "school", "supplementary_education", "art_school",
    "polyclinic", "hospital", "pharmacy",
    "house_of_culture", "library", "museum", "cinema", "concert_hall", "exhibition_space",
    "sports_centre", "sports_ground", "swimming_pool",
)
"""The service keys shared by the bundled norm sets and the facilities layer's ``service``."""
# fmt: on

K = TypeVar("K")
V = TypeVar("V")


class FrozenMap(Mapping[K, V]):
    """A read-only, hashable and picklable mapping that keeps insertion order.

    Unlike ``types.MappingProxyType`` it can be pickled (Streamlit's ``cache_data``) and hashed
    (so a ``NormSet`` can be a cache key).
    """

    __slots__ = ("_data",)

    def __init__(self, items: Mapping[K, V] | Iterable[tuple[K, V]] = ()) -> None:
        self._data: dict[K, V] = dict(items)

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return hash(tuple(self._data.items()))

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"

    def __reduce__(self) -> tuple[type[FrozenMap[K, V]], tuple[list[tuple[K, V]]]]:
        return (type(self), (list(self._data.items()),))


@dataclass(frozen=True, slots=True)
class Source:
    """Where one group of values comes from.

    Attributes
    ----------
    document
        The normative document (e.g. "СП 42.13330.2016").
    clause
        The table, clause or appendix within it.
    url
        Where the text (or the text that quotes it) can be read; None when there is none.
    confidence
        "A" read in the document, "B" several secondary sources agree, "C" practice
        (docs/norms.md §1).
    note
        Caveats, alternatives and the reason a conflicting value was chosen.
    document_ru, clause_ru
        The document and clause in Russian where the norm set gives them (empty: the same as
        ``document`` / ``clause``, e.g. a Russian title); the Russian report and tables use them.
    """

    document: str
    clause: str
    url: str | None
    confidence: Confidence
    note: str = ""
    document_ru: str = ""
    clause_ru: str = ""

    def document_in(self, lang: str) -> str:
        """Return the document's name in a language (``ru``: ``document_ru`` when given)."""
        return self.document_ru or self.document if lang == "ru" else self.document

    def clause_in(self, lang: str) -> str:
        """Return the clause in a language (``ru``: ``clause_ru`` when given)."""
        return self.clause_ru or self.clause if lang == "ru" else self.clause


_NO_SOURCES: FrozenMap[str, Source] = FrozenMap()


@dataclass(frozen=True, slots=True)
class DemandRule:
    """How many capacity units (places, seats, visits per shift...) residents need.

    Places for a residential unit are ``cohort_count * cohort_share * coverage_share`` when its
    age cohort is known, else ``population / 1000 * per_1000``; zero when no rule is defined.

    Attributes
    ----------
    per_1000
        Capacity units per 1,000 residents: the flat rule and the fallback without age data.
    cohort
        The ``planner.layers.COHORT_COLUMNS`` column the rule is based on, if any.
    cohort_share
        Share of that column in the target ages (kindergarten: ages 1-6 of 0-6 = 6/7).
    coverage_share
        Share of the target ages that needs a place (kindergarten: 0.85).
    """

    per_1000: float | None = None
    cohort: str | None = None
    cohort_share: float = 1.0
    coverage_share: float = 1.0

    @property
    def is_defined(self) -> bool:
        """Whether the norm gives any demand (museums and pharmacies are checked by count)."""
        return self.per_1000 is not None or self.cohort is not None

    def places(self, population: float, cohorts: Mapping[str, float] | None = None) -> float:
        """Return the capacity units needed by ``population`` residents (see the class doc)."""
        if population < 0:
            msg = f"Population must not be negative, got {population}."
            raise ValueError(msg)
        count = None if cohorts is None or self.cohort is None else cohorts.get(self.cohort)
        if count is not None and not math.isnan(count):
            if count < 0:
                msg = f"Cohort {self.cohort} must not be negative, got {count}."
                raise ValueError(msg)
            return float(count) * self.cohort_share * self.coverage_share
        if self.per_1000 is not None:
            return population / 1000.0 * self.per_1000
        if self.cohort is not None:
            msg = f"The demand rule needs the {self.cohort} column and has no per_1000 fallback."
            raise NormsError(msg + " Add cohort counts or a per_1000 value to the norm set.")
        return 0.0


@dataclass(frozen=True, slots=True)
class MinCount:
    """At least ``count`` objects in a town of at least ``min_population`` residents."""

    min_population: int
    count: int


@dataclass(frozen=True, slots=True)
class ServiceNorm:
    """The norms for one service (kindergarten, school, library...).

    Attributes
    ----------
    key, label, label_ru, category
        Service key (as in the facilities layer), English and Russian labels, category.
    radius_m
        Straight-line normative service radius; None when the norm has none.
    walk_limit_m, walk_limit_min
        Limit on the walking network in metres and minutes; None for services with no walking
        norm (checked by count instead).
    capacity_unit, capacity_unit_ru
        Unit of facility capacity and demand (e.g. "places", "мест").
    demand
        The demand rule.
    min_counts
        Minimum object counts by town size.
    required_from_population
        Town size below which the service is not normed at all (concert hall: 50,000).
    project_sizes
        Standard project capacities, ascending, used to turn deficits into buildings.
    sources
        Source per value group: "radius", "demand", "min_count", "project_sizes".
    radius_low_rise_m
        Radius that applies in low-rise (detached-house) areas (pharmacy: 800 m).
    radius_strict_m
        A stricter radius offered as an option (kindergarten in multi-storey blocks: 300 m).
    radius_tolerance_m
        A more lenient radius reported as a tolerance band (school: 750 m).
    """

    key: str
    label: str
    label_ru: str
    category: Category
    radius_m: float | None
    walk_limit_m: float | None
    walk_limit_min: float | None
    capacity_unit: str
    capacity_unit_ru: str
    demand: DemandRule = DemandRule()
    min_counts: tuple[MinCount, ...] = ()
    required_from_population: int | None = None
    project_sizes: tuple[int, ...] = ()
    sources: FrozenMap[str, Source] = _NO_SOURCES
    radius_low_rise_m: float | None = None
    radius_strict_m: float | None = None
    radius_tolerance_m: float | None = None

    @property
    def has_walk_norm(self) -> bool:
        """Whether the service is checked by walking distance (else only by count)."""
        return self.walk_limit_m is not None

    def required_count(self, population: int) -> int:
        """Return the minimum number of objects the norms require in a town of ``population``."""
        start = self.required_from_population
        if start is not None and population < start:
            return 0
        applicable = (rule.count for rule in self.min_counts if population >= rule.min_population)
        count = max(applicable, default=0)
        return max(count, 1) if start is not None else count

    def places_for(self, population: float, cohorts: Mapping[str, float] | None = None) -> float:
        """Return the capacity units needed by one residential unit (``DemandRule.places``).

        Parameters
        ----------
        population
            Residents of the unit.
        cohorts
            Age-cohort head counts by ``COHORT_COLUMNS`` name; a missing or NaN value falls back
            to the per-1,000 rule.

        Returns
        -------
        float
            Places (in ``capacity_unit``), never negative.
        """
        return self.demand.places(population, cohorts)

    def demand_places(self, residential: pd.DataFrame) -> pd.Series:
        """Return ``places_for`` of every row of a residential frame, keeping its row labels.

        Rows whose cohort column is absent or NaN use the per-1,000 rule.

        Parameters
        ----------
        residential
            A frame with ``population`` and optionally the ``COHORT_COLUMNS``.

        Returns
        -------
        pandas.Series
            Float places named after the service key, indexed like ``residential``.
        """
        rule = self.demand
        population = residential["population"].astype(float)
        if not rule.is_defined:
            return (population * 0.0).rename(self.key)
        per_1000 = math.nan if rule.per_1000 is None else rule.per_1000
        places = population / 1000.0 * per_1000
        if rule.cohort is not None and rule.cohort in residential.columns:
            cohort = residential[rule.cohort].astype(float)
            by_cohort = cohort * rule.cohort_share * rule.coverage_share
            places = by_cohort.where(cohort.notna(), places)
        if places.isna().any():
            msg = f"The {self.key} demand needs the {rule.cohort} column on every row."
            raise NormsError(msg + " Add cohort counts or a per_1000 value to the norm set.")
        return places.rename(self.key)


@dataclass(frozen=True, slots=True)
class NormSet:
    """One normative set: services in file order plus the walking speeds it assumes.

    Attributes
    ----------
    key, title, title_ru, description
        Set name (the file stem), English and Russian titles, description.
    walk_speed_m_min, elderly_walk_speed_m_min
        Walking speeds in metres per minute (adults; small children and elderly walkers).
    services
        Service norms by key, in file order.
    source_file
        The TOML file it was loaded from.
    sources
        Sources of the set-level values ("walk_speed", "elderly_walk_speed").
    """

    key: str
    title: str
    title_ru: str
    description: str
    walk_speed_m_min: float
    elderly_walk_speed_m_min: float
    services: FrozenMap[str, ServiceNorm]
    source_file: Path
    sources: FrozenMap[str, Source] = _NO_SOURCES

    def walk_speed_for(self, pace: Pace) -> float:
        """Return the walking speed of a pace in metres per minute (the one place deciding it).

        Raises
        ------
        NormsError
            If ``pace`` is not one of ``PACES``.
        """
        speeds = {"adult": self.walk_speed_m_min, "elderly": self.elderly_walk_speed_m_min}
        if pace not in speeds:
            msg = f"Unknown walking pace {pace!r}; use one of: {', '.join(PACES)}."
            raise NormsError(msg)
        return speeds[pace]

    def service(self, key: str) -> ServiceNorm:
        """Return the norm of one service; an unknown key raises ``NormsError`` listing them."""
        if key not in self.services:
            msg = (
                f"Norm set {self.key!r} has no service {key!r}. "
                f"Use one of: {', '.join(self.services)}."
            )
            raise NormsError(msg)
        return self.services[key]

    def required_services(self, population: int) -> list[tuple[ServiceNorm, int]]:
        """Return the services whose norms require at least one object in a town of this size.

        Parameters
        ----------
        population
            Residents of the town (or okrug: count norms apply to the municipality as a whole).

        Returns
        -------
        list[tuple[ServiceNorm, int]]
            ``(service, required_count)`` in file order, ``required_count >= 1``.
        """
        pairs = ((norm, norm.required_count(population)) for norm in self.services.values())
        return [(norm, count) for norm, count in pairs if count > 0]
