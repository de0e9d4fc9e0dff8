"""The explanation sentence (planner.presentation.explain.provision_sentence), hand-checked.

Small provision worlds whose answers are worked out by hand: kindergarten demand, one or two
facilities, a 500 m limit. The engine gives the figures (tests/test_provision.py); here the one
function that says them in words is checked in English and Russian, with the plural forms.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from planner.norms import load_norms
from planner.presentation.explain import provision_sentence
from planner.presentation.words import Lang
from planner.provision import explain_unit, solve_provision

LIMIT_M = 500.0


@pytest.fixture(scope="module")
def kindergarten():
    return load_norms().service("kindergarten")


def _pairs(*rows: tuple[str, str, float]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["unit_id", "facility_id", "distance_m"])


def test_a_unit_crowded_out_of_a_full_facility(kindergarten) -> None:
    # A (80 places, 200 m) and B (60, 400 m) share F (100 places): the exact solution gives A
    # all 80 and B the remaining 20 within the limit; 40 of B's places stay unserved.
    demand = pd.Series({"A": 80.0, "B": 60.0})
    pairs = _pairs(("A", "F", 200.0), ("B", "F", 400.0))
    result = solve_provision(demand, pd.Series({"F": 100.0}), pairs, limit_m=LIMIT_M)
    why = explain_unit(result, pairs, "B", limit_m=LIMIT_M)
    names = {"F": "Sunflower"}
    assert provision_sentence(why, kindergarten, "en", names) == (
        "Block B: 40 of 60 places unserved (20 served within the 500 m limit, 0 beyond it); "
        "the nearest facility, Sunflower, is 400 m away (within the limit) and full "
        "(100 of 100 places taken, mostly by A (80), B (20))."
    )
    assert provision_sentence(why, kindergarten, "ru", {"F": "Подсолнух"}) == (
        "Квартал B: не обеспечено 40 из 60 мест (20 — в пределах 500 м, 0 — дальше); "
        "ближайшее учреждение, Подсолнух, в 400 м (в пределах норматива) и заполнено "
        "(занято 100 из 100 мест, в основном кварталами A (80), B (20))."
    )
    # Without a name the facility is shown by its id.
    assert "the nearest facility, F, is 400 m away" in provision_sentence(why, kindergarten, "en")


def test_served_unreachable_beyond_and_empty_units(kindergarten) -> None:
    # A: 10 places at 120 m from F (100 places): all within, 90 free. B: no pair at all.
    # C: 7 places 900 m from G of unknown capacity: all served, beyond the limit. D: no demand.
    # E: 1 place at 300 m from F: the unit word agrees with 1.
    demand = pd.Series({"A": 10.0, "B": 5.0, "C": 7.0, "D": 0.0, "E": 1.0})
    capacity = pd.Series({"F": 100.0, "G": math.nan})
    pairs = _pairs(("A", "F", 120.0), ("C", "G", 900.0), ("E", "F", 300.0))
    result = solve_provision(demand, capacity, pairs, limit_m=LIMIT_M)

    def say(unit: str, lang: Lang) -> str:
        return provision_sentence(
            explain_unit(result, pairs, unit, limit_m=LIMIT_M), kindergarten, lang
        )

    assert say("A", "en") == (
        "Block A: all 10 places served within 500 m; the nearest facility, F, is 120 m away "
        "(within the limit) and has 89 of 100 places free."
    )
    assert say("A", "ru") == (
        "Квартал A: потребность (10 мест) обеспечена полностью в пределах 500 м; ближайшее "
        "учреждение, F, в 120 м (в пределах норматива); свободно 89 из 100 мест."
    )
    assert say("B", "en") == (
        "Block B: none of its 5 places is served because no facility is reachable."
    )
    assert say("B", "ru").startswith("Квартал B: потребность (5 мест) не обеспечена")
    assert say("C", "en") == (
        "Block C: all 7 places served, 7 of them only beyond the 500 m limit; the nearest "
        "facility, G, is 900 m away (beyond the limit) and has an unknown capacity, counted as "
        "unlimited."
    )
    assert say("D", "en") == "Block D has no demand, so there is nothing to serve."
    assert say("E", "en").startswith("Block E: all 1 place served within 500 m")
    assert say("E", "ru").startswith("Квартал E: потребность (1 место) обеспечена полностью")
