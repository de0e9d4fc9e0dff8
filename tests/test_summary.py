"""Headline figures of a town (``planner.summary``), counted by hand on the tiny town.

The tiny town has 23 features: 1 boundary, 4 blocks, 2 facilities, 12 streets, 1 stream, 1
railway and 2 districts, all ``modelled`` except the two ``illustrative`` facilities.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from planner.model import Town
from planner.summary import town_summary


def test_counts_by_hand(tiny_town: Town) -> None:
    summary = town_summary(tiny_town)
    assert summary.name == "Tiny"
    assert summary.population == 1000
    assert summary.layer_counts == {
        "boundary": 1,
        "residential": 4,
        "facilities": 2,
        "streets": 12,
        "water": 1,
        "rail": 1,
        "districts": 2,
    }
    assert summary.facilities_by_service == {"school": 1, "kindergarten": 1}
    assert summary.provenance_counts["facilities"] == {"illustrative": 2}
    assert summary.modelled_share == 1.0
    assert summary.modelled_population_share == 1.0


def test_real_features_lower_the_modelled_shares(tiny_town: Town) -> None:
    facilities = tiny_town.facilities.assign(provenance=["verified", "approximate"])
    residential = tiny_town.residential.copy()
    residential.loc[residential["id"] == "R4", "provenance"] = "osm"  # 400 of 1,000 residents
    town = replace(tiny_town, facilities=facilities, residential=residential)
    summary = town_summary(town)
    assert summary.modelled_share == pytest.approx(20 / 23)
    assert summary.modelled_population_share == pytest.approx(0.6)
    assert summary.provenance_counts["residential"] == {"modelled": 3, "osm": 1}
    overall = summary.overall_provenance_shares
    assert overall == pytest.approx(
        {"osm": 1 / 23, "verified": 1 / 23, "approximate": 1 / 23, "modelled": 20 / 23}
    )
    assert list(overall) == ["osm", "verified", "approximate", "modelled"]  # most certain first


def test_absent_optional_layers_count_zero(tiny_town: Town) -> None:
    empty = tiny_town.water.iloc[0:0]
    summary = town_summary(replace(tiny_town, water=empty))
    assert summary.layer_counts["water"] == 0
    assert "water" not in summary.provenance_counts
    assert summary.modelled_share == 1.0
