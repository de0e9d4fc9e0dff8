"""Floating catchment scores (2SFCA, E2SFCA) on hand-made grids, in the style of PySAL access."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from planner.fca import LUO_QI_BANDS, band_weights, enhanced_two_step_fca, two_step_fca
from planner.provision import ProvisionError


def _grid(n: int, spacing_m: float) -> pd.DataFrame:
    """Units on an n x n grid with demand 1, 2, 3...; facility F0 at one corner, F1 opposite.

    Distances are Manhattan (along a street grid), so the far corner is 2 (n - 1) spacings away.
    """
    rows = []
    for i in range(n):
        for j in range(n):
            unit = f"U{i}{j}"
            rows.append((unit, "F0", (i + j) * spacing_m))
            rows.append((unit, "F1", (2 * (n - 1) - i - j) * spacing_m))
    return pd.DataFrame(rows, columns=["unit_id", "facility_id", "distance_m"])


def _pairs(*rows: tuple[str, str, float]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["unit_id", "facility_id", "distance_m"])


def test_catchment_covering_everything_gives_total_supply_over_total_demand() -> None:
    pairs = _grid(4, 100.0)
    units = sorted(pairs["unit_id"].unique())
    demand = pd.Series(np.arange(1.0, len(units) + 1), index=units)  # 1..16, total 136
    capacity = pd.Series({"F0": 30.0, "F1": 72.0})
    result = two_step_fca(demand, capacity, pairs, limit_m=600.0)  # farthest pair: 600 m
    np.testing.assert_allclose(result.unit_ratio.to_numpy(), 102.0 / 136.0)
    assert result.facility_ratio["F0"] == pytest.approx(30 / 136)
    assert result.facilities["catchment_demand"].tolist() == [136.0, 136.0]
    # 2SFCA spreads exactly the supply: the demand-weighted scores add up to the capacity.
    assert (result.units["demand"] * result.units["access_ratio"]).sum() == pytest.approx(102.0)


def test_small_catchment_on_the_grid() -> None:
    # 3 x 3 grid, 100 m spacing, limit 100 m: F0 reaches U00 (0 m), U01 and U10 (100 m);
    # F1 reaches U22, U21, U12. Demands 1..9 in row order: U00=1, U01=2, U10=4; U12=6, U21=8,
    # U22=9. R0 = 14 / (1 + 2 + 4) = 2; R1 = 23 / (6 + 8 + 9) = 1.
    pairs = _grid(3, 100.0)
    units = sorted(pairs["unit_id"].unique())
    demand = pd.Series(np.arange(1.0, 10.0), index=units)
    capacity = pd.Series({"F0": 14.0, "F1": 23.0})
    ratio = two_step_fca(demand, capacity, pairs, limit_m=100.0).unit_ratio
    assert ratio[["U00", "U01", "U10"]].tolist() == [2.0, 2.0, 2.0]
    assert ratio[["U12", "U21", "U22"]].tolist() == [1.0, 1.0, 1.0]
    assert ratio[["U02", "U11", "U20"]].tolist() == [0.0, 0.0, 0.0]


def test_two_facilities_worked_by_hand() -> None:
    # F1 (60 places) reaches A (100 needed, 100 m) and B (50, 300 m); C is 700 m away (outside
    # the 500 m catchment). F2 (20 places) reaches B (200 m) and C (50, 400 m).
    # Step 1: R1 = 60 / 150 = 0.4, R2 = 20 / 100 = 0.2.
    # Step 2: A = 0.4, B = 0.4 + 0.2 = 0.6, C = 0.2.
    demand = pd.Series({"A": 100.0, "B": 50.0, "C": 50.0})
    capacity = pd.Series({"F1": 60.0, "F2": 20.0})
    pairs = _pairs(
        ("A", "F1", 100.0),
        ("B", "F1", 300.0),
        ("C", "F1", 700.0),
        ("B", "F2", 200.0),
        ("C", "F2", 400.0),
    )
    result = two_step_fca(demand, capacity, pairs, limit_m=500.0)
    assert result.method == "2SFCA"
    assert result.facility_ratio.to_dict() == {"F1": pytest.approx(0.4), "F2": pytest.approx(0.2)}
    assert result.unit_ratio.to_dict() == {
        "A": pytest.approx(0.4),
        "B": pytest.approx(0.6),
        "C": pytest.approx(0.2),
    }


def test_enhanced_weights_by_distance_band() -> None:
    # Limit 600 m with Luo & Qi thirds: <= 200 m weight 1, <= 400 m 0.68, <= 600 m 0.22.
    # F1 (60): A at 150 m (1.0), B at 350 m (0.68), C at 650 m (outside).
    # F2 (20): B at 200 m (1.0, the edge belongs to the nearer band), C at 550 m (0.22).
    # Step 1: F1 demand 100 * 1 + 50 * 0.68 = 134; F2 demand 50 * 1 + 40 * 0.22 = 58.8.
    # Step 2: A = 60/134; B = 0.68 * 60/134 + 20/58.8; C = 0.22 * 20/58.8.
    demand = pd.Series({"A": 100.0, "B": 50.0, "C": 40.0})
    capacity = pd.Series({"F1": 60.0, "F2": 20.0})
    pairs = _pairs(
        ("A", "F1", 150.0),
        ("B", "F1", 350.0),
        ("C", "F1", 650.0),
        ("B", "F2", 200.0),
        ("C", "F2", 550.0),
    )
    result = enhanced_two_step_fca(demand, capacity, pairs, limit_m=600.0)
    assert result.method == "E2SFCA"
    assert result.facilities["catchment_demand"].tolist() == [
        pytest.approx(134.0),
        pytest.approx(58.8),
    ]
    r1, r2 = 60 / 134, 20 / 58.8
    assert result.unit_ratio.to_dict() == {
        "A": pytest.approx(r1),
        "B": pytest.approx(0.68 * r1 + r2),
        "C": pytest.approx(0.22 * r2),
    }


def test_band_weights_edges_belong_to_the_nearer_band() -> None:
    distance_m = np.array([0.0, 200.0, 200.5, 400.0, 600.0, 600.5])
    weights = band_weights(distance_m, limit_m=600.0, bands=LUO_QI_BANDS)
    assert weights.tolist() == [1.0, 1.0, 0.68, 0.68, 0.22, 0.0]


@pytest.mark.parametrize(
    "bands",
    [(), ((0.5, 1.0), (0.4, 0.5)), ((0.5, 1.0), (1.5, 0.5)), ((1.0, 1.2),), ((0.0, 1.0),)],
)
def test_malformed_bands_are_refused(bands: tuple[tuple[float, float], ...]) -> None:
    with pytest.raises(ProvisionError, match="bands must be"):
        band_weights(np.array([1.0]), limit_m=100.0, bands=bands)


def test_unknown_capacity_and_empty_catchments_add_nothing_but_are_visible() -> None:
    demand = pd.Series({"A": 10.0, "B": 0.0})
    capacity = pd.Series({"F1": math.nan, "F2": 5.0, "F3": 8.0})
    pairs = _pairs(("A", "F1", 100.0), ("A", "F2", 100.0), ("B", "F3", 50.0))
    result = two_step_fca(demand, capacity, pairs, limit_m=500.0)
    ratios = result.facility_ratio
    assert math.isnan(ratios["F1"])  # unknown capacity
    assert math.isnan(ratios["F3"])  # only a unit without demand in reach
    assert ratios["F2"] == pytest.approx(0.5)
    assert result.unit_ratio.to_dict() == {"A": pytest.approx(0.5), "B": 0.0}
    flags = result.units.set_index("unit_id")["reaches_unknown_capacity"]
    assert flags.to_dict() == {"A": True, "B": False}


def test_inputs_are_checked_like_provision() -> None:
    demand, capacity = pd.Series({"A": 1.0}), pd.Series({"F": 1.0})
    with pytest.raises(ProvisionError, match="no capacity entry: G"):
        two_step_fca(demand, capacity, _pairs(("A", "G", 1.0)), limit_m=100.0)
    with pytest.raises(ProvisionError, match="positive number of metres"):
        enhanced_two_step_fca(demand, capacity, _pairs(("A", "F", 1.0)), limit_m=-1.0)
