"""The OSM tag tables and the population arithmetic, case by case."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.norms import SERVICE_KEYS
from planner.osm.merge import name_similarity
from planner.osm.population import largest_remainder, split_cohorts
from planner.osm.tags import (
    CAPACITY_RULES,
    FACILITY_RULES,
    facility_service,
    housing_type,
    names,
    parse_number,
    walk_kind,
)


@pytest.mark.parametrize(
    ("tags", "kind"),
    [
        ({"highway": "footway"}, "footway"),
        ({"highway": "steps"}, "steps"),
        ({"highway": "residential"}, "residential"),
        ({"highway": "primary_link"}, "primary"),
        ({"highway": "secondary", "sidewalk": "both"}, "secondary"),
        ({"highway": "secondary", "sidewalk": "no"}, None),
        ({"highway": "tertiary", "sidewalk:left": "no", "sidewalk:right": "no"}, None),
        ({"highway": "trunk"}, None),
        ({"highway": "trunk", "sidewalk": "right"}, "trunk"),
        ({"highway": "motorway"}, None),
        ({"highway": "cycleway"}, None),
        ({"highway": "cycleway", "foot": "designated"}, "cycleway"),
        ({"highway": "service", "access": "private"}, None),
        ({"highway": "service", "access": "no", "foot": "yes"}, "service"),
        ({"highway": "path", "foot": "no"}, None),
        ({"highway": "pedestrian", "area": "yes"}, None),
        ({"highway": "footway", "bridge": "yes"}, "footbridge"),
        ({"highway": "residential", "bridge": "viaduct"}, "bridge"),
        ({"highway": "footway", "tunnel": "yes"}, "footway"),
        ({"building": "yes"}, None),
    ],
)
def test_walk_kind(tags: dict[str, str], kind: str | None) -> None:
    assert walk_kind(tags) == kind


def test_every_rule_maps_to_a_known_service_with_a_capacity_rule() -> None:
    services = {service for _, _, service in FACILITY_RULES}
    assert services <= set(SERVICE_KEYS)
    assert set(CAPACITY_RULES) == set(SERVICE_KEYS)


@pytest.mark.parametrize(
    ("tags", "service"),
    [
        ({"amenity": "kindergarten"}, "kindergarten"),
        ({"amenity": "doctors"}, "polyclinic"),
        ({"healthcare": "hospital"}, "hospital"),
        ({"tourism": "museum", "building": "yes"}, "museum"),
        ({"leisure": "sports_centre", "sport": "swimming"}, "swimming_pool"),
        ({"leisure": "sports_centre", "sport": "soccer;swimming"}, "swimming_pool"),
        ({"leisure": "stadium"}, "sports_ground"),
        ({"amenity": "community_centre"}, "house_of_culture"),
        ({"amenity": "restaurant"}, None),
        ({"amenity": "school", "access": "private"}, None),
    ],
)
def test_facility_service(tags: dict[str, str], service: str | None) -> None:
    assert facility_service(tags) == service


@pytest.mark.parametrize(
    ("tags", "levels", "footprint", "on_land", "housing"),
    [
        ({"building": "apartments"}, None, 800.0, False, "apartment"),
        ({"building": "apartments", "shop": "bakery"}, 5, 800.0, False, "mixed"),
        ({"building": "house"}, None, 100.0, False, "low_rise"),
        ({"building": "residential"}, 2, 400.0, False, "low_rise"),
        ({"building": "residential"}, 3, 400.0, False, "apartment"),
        ({"building": "yes"}, None, 100.0, True, "low_rise"),
        ({"building": "yes"}, None, 600.0, True, "apartment"),
        ({"building": "yes"}, None, 100.0, False, None),
        ({"building": "school"}, 3, 2000.0, True, None),
        ({"building": "garage"}, 1, 20.0, True, None),
    ],
)
def test_housing_type(
    tags: dict[str, str], levels: float | None, footprint: float, on_land: bool, housing: str | None
) -> None:
    assert (
        housing_type(tags, levels=levels, footprint_m2=footprint, on_residential_land=on_land)
        == housing
    )


def test_names_and_numbers() -> None:
    assert names({"name": "Гусев", "name:en": "Gusev"}) == ("Gusev", "Гусев")
    assert names({"name": "Gusev", "name:ru": "Гусев"}) == ("Gusev", "Гусев")
    assert names({}) == ("", "")
    assert parse_number("3.5") == 3.5
    assert parse_number("2,5") == 2.5
    assert parse_number("") is None


def test_largest_remainder_and_cohorts() -> None:
    assert largest_remainder([1.5, 1.5, 1.0], 4).tolist() == [2, 1, 1]
    assert largest_remainder([], 0).tolist() == []
    assert split_cohorts([100], (0.07, 0.135, 0.63, 0.165)).tolist() == [[7, 14, 63, 16]]


@given(st.lists(st.floats(0.1, 1000.0), min_size=1, max_size=30), st.integers(0, 100_000))
def test_largest_remainder_sums_exactly(values: list[float], total: int) -> None:
    out = largest_remainder(values, total)
    assert int(out.sum()) == total
    scaled = np.asarray(values) * total / sum(values)
    assert (np.abs(out - scaled) < 1.0 + 1e-9).all()


def test_name_similarity() -> None:
    assert name_similarity("МАОУ «СОШ № 1 им. С. И. Гусева»", "СОШ №1 имени С.И. Гусева") > 0.8
    assert name_similarity("Детский сад № 5", "Детский сад № 26") < name_similarity(
        "Детский сад № 5", "детский сад №5"
    )
    assert name_similarity("", "x") == 0.0
