"""Demand per residential unit (``planner.demand``): the norm's rule applied to a table.

On the tiny town (tests/factories.py) the kindergarten rule is pop_0_6 x 6/7 x 0.85: R1..R4 have
7, 14, 21 and 28 children aged 0-6, so 5.1, 10.2, 15.3 and 20.4 places, 51 in all.
"""

from __future__ import annotations

import pandas as pd
import pytest

from planner.demand import DemandError, unit_demand
from planner.model import Town
from planner.norms import load_norms


@pytest.fixture(scope="module")
def norms():
    return load_norms()


def test_tiny_town_kindergarten_places_by_hand(tiny_town: Town, norms) -> None:
    places = unit_demand(tiny_town.residential, norms.service("kindergarten"))
    assert places.name == "kindergarten"
    assert places.to_dict() == pytest.approx({"R1": 5.1, "R2": 10.2, "R3": 15.3, "R4": 20.4})
    assert places.sum() == pytest.approx(51.0)


def test_cohorts_first_and_per_1000_where_a_row_has_none(norms) -> None:
    kindergarten = norms.service("kindergarten")
    units = pd.DataFrame({"id": ["R1", "R2"], "population": [1000, 500], "pop_0_6": [70, None]})
    places = unit_demand(units, kindergarten)
    assert places.index.tolist() == ["R1", "R2"]
    assert places.index.name == "unit_id"
    rule = kindergarten.demand
    assert places["R1"] == pytest.approx(70 * rule.cohort_share * rule.coverage_share)
    assert rule.per_1000 is not None
    assert places["R2"] == pytest.approx(500 / 1000 * rule.per_1000)  # 26 places


def test_a_service_counted_only_needs_no_places(norms) -> None:
    units = pd.DataFrame({"id": ["R1"], "population": [1000]})
    assert unit_demand(units, norms.service("museum")).tolist() == [0.0]


def test_ids_come_from_the_row_labels_without_an_id_column(norms) -> None:
    units = pd.DataFrame({"population": [1000, 2000]}, index=["a", "b"])
    places = unit_demand(units, norms.service("polyclinic"))  # 18.15 visits per 1,000
    assert places.to_dict() == pytest.approx({"a": 18.15, "b": 36.3})


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (pd.DataFrame({"id": ["R1", "R2"], "population": [10, -1]}), r"non-negative.*R2"),
        (pd.DataFrame({"id": ["R1", "R2"], "population": [10, None]}), r"non-negative.*R2"),
        (pd.DataFrame({"id": ["R1", "R1"], "population": [10, 1]}), "unique; repeated: R1"),
        (pd.DataFrame({"id": ["R1"], "people": [10]}), "no 'population' column"),
        (
            pd.DataFrame({"id": ["R1"], "population": [10], "pop_7_17": [-2]}),
            r"'pop_7_17'.*R1",
        ),
    ],
    ids=["negative", "missing", "repeated id", "no population", "negative cohort"],
)
def test_bad_tables_are_refused_naming_the_unit(frame: pd.DataFrame, message: str, norms) -> None:
    with pytest.raises(DemandError, match=message):
        unit_demand(frame, norms.service("school"))
