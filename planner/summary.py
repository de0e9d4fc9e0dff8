"""Headline figures of a town: counts, population and how much of it is modelled."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from planner.layers import LAYER_SPECS, MODELLED_PROVENANCES, PROVENANCES
from planner.model import Town


@dataclass(frozen=True, slots=True)
class TownSummary:
    """What ``planner validate`` prints and the dashboard's headline shows.

    Attributes
    ----------
    name
        Town name.
    population
        Sum of the residential layer's population.
    layer_counts
        Number of features per layer (layers in contract order; absent optional layers give 0).
    facilities_by_service
        Number of facilities per service key, most common first.
    provenance_counts
        Per layer, the number of features of each provenance.
    modelled_share
        Share of all features whose provenance is ``modelled`` or ``illustrative``, in [0, 1].
    modelled_population_share
        Share of residents living in modelled residential units, in [0, 1].
    """

    name: str
    population: int
    layer_counts: dict[str, int]
    facilities_by_service: dict[str, int]
    provenance_counts: dict[str, dict[str, int]]
    modelled_share: float
    modelled_population_share: float

    @property
    def overall_provenance_shares(self) -> dict[str, float]:
        """Share of all features of each provenance, summed over layers."""
        totals: Counter[str] = Counter()
        for counts in self.provenance_counts.values():
            totals.update(counts)
        n = sum(totals.values())
        return {p: totals[p] / n for p in PROVENANCES if totals[p]} if n else {}


def town_summary(town: Town) -> TownSummary:
    """Summarise a loaded town.

    Parameters
    ----------
    town
        A validated town.

    Returns
    -------
    TownSummary
        Counts, population and provenance shares.
    """
    layer_counts = {name: len(town.layer(name)) for name in LAYER_SPECS}
    provenance_counts: dict[str, dict[str, int]] = {}
    for name, spec in LAYER_SPECS.items():
        frame = town.layer(name)
        if spec.has_provenance and len(frame):
            counts = frame["provenance"].value_counts()
            provenance_counts[name] = {p: int(counts[p]) for p in PROVENANCES if p in counts}
    n_features = sum(sum(c.values()) for c in provenance_counts.values())
    n_modelled = sum(
        n for c in provenance_counts.values() for p, n in c.items() if p in MODELLED_PROVENANCES
    )
    population = town.residential["population"].astype(float)
    modelled_rows = town.residential["provenance"].isin(MODELLED_PROVENANCES)
    total_population = float(population.sum())
    services = town.facilities["service"].value_counts()
    return TownSummary(
        name=town.meta.name,
        population=round(total_population),
        layer_counts=layer_counts,
        facilities_by_service={str(k): int(v) for k, v in services.items()},
        provenance_counts=provenance_counts,
        modelled_share=n_modelled / n_features if n_features else 0.0,
        modelled_population_share=(
            float(population[modelled_rows].sum()) / total_population if total_population else 0.0
        ),
    )
