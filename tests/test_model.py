"""The in-memory town (``planner.model``): layers by contract name, immutable values."""

from __future__ import annotations

import dataclasses

import pytest

from planner.layers import LAYER_SPECS
from planner.model import Town, TownMeta
from tests.factories import make_tiny_town, tiny_meta


def test_every_contract_layer_is_reachable_by_name() -> None:
    town = make_tiny_town()
    for name in LAYER_SPECS:
        assert town.layer(name) is getattr(town, name)


def test_an_unknown_layer_name_lists_the_valid_ones() -> None:
    with pytest.raises(ValueError, match="Unknown layer 'roads'; valid layers: boundary, "):
        make_tiny_town().layer("roads")


def test_town_and_meta_are_frozen() -> None:
    town = make_tiny_town()
    with pytest.raises(dataclasses.FrozenInstanceError):
        town.meta = tiny_meta(name="Other")  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        town.meta.population = 5  # type: ignore[misc]


def test_an_edit_is_a_new_town_that_leaves_the_original_alone() -> None:
    town = make_tiny_town()
    edited: Town = dataclasses.replace(town, facilities=town.facilities.iloc[:1])
    assert len(edited.facilities) == 1
    assert len(town.facilities) == 2
    assert edited.streets is town.streets  # untouched layers are shared, not copied


def test_a_town_without_default_norms_uses_the_project_default() -> None:
    fields = {f.name: getattr(tiny_meta(), f.name) for f in dataclasses.fields(TownMeta)}
    del fields["default_norms"]
    assert TownMeta(**fields).default_norms == "sp42_small_town"
