"""Capacity-aware provision: hand-checked assignments, explanations and LP invariants."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.errors import PlannerError
from planner.provision import (
    ProvisionError,
    ProvisionResult,
    explain_unit,
    solve_provision,
)

LIMIT_M = 500.0
TOL = 1e-6


def _pairs(*rows: tuple[str, str, float]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["unit_id", "facility_id", "distance_m"])


def _unit(result: ProvisionResult, unit_id: str) -> pd.Series:
    units = result.units
    return units.loc[units["unit_id"] == unit_id].iloc[0]


def _facility(result: ProvisionResult, facility_id: str) -> pd.Series:
    facilities = result.facilities
    return facilities.loc[facilities["facility_id"] == facility_id].iloc[0]


# --- hand-checked cases -------------------------------------------------------------------------


def test_capacity_runs_out_and_the_farther_unit_loses() -> None:
    # F (100 places) is within 500 m of A (80 places at 200 m) and B (60 places at 400 m).
    # Tier 1 (serve within the limit): at most 100 of the 140 places, all within.
    # Tier 3 (walking): with a + b = 100, a <= 80, b <= 60, minimise 200 a + 400 b: fill the
    # nearer unit first, a = 80, b = 20 (24,000 place-metres; a = 40, b = 60 would be 32,000).
    # So B loses: 20 served, 40 unserved.
    demand = pd.Series({"A": 80.0, "B": 60.0})
    capacity = pd.Series({"F": 100.0})
    pairs = _pairs(("A", "F", 200.0), ("B", "F", 400.0))
    result = solve_provision(demand, capacity, pairs, limit_m=LIMIT_M)
    a, b = _unit(result, "A"), _unit(result, "B")
    assert a["served_within"] == pytest.approx(80.0)
    assert a["unserved"] == pytest.approx(0.0, abs=TOL)
    assert a["status"] == "within_norm"
    assert b["served_within"] == pytest.approx(20.0)
    assert b["unserved"] == pytest.approx(40.0)
    assert b["status"] == "partly_unserved"
    assert b["unserved_share"] == pytest.approx(40 / 60)
    f = _facility(result, "F")
    assert f["load"] == pytest.approx(100.0)
    assert f["load_share"] == pytest.approx(1.0)
    assert bool(f["is_full"])
    totals = result.totals()
    assert totals.served_within == pytest.approx(100.0)
    assert totals.unserved == pytest.approx(40.0)
    assert totals.mean_distance_m == pytest.approx(24_000 / 100)
    assert result.links[["unit_id", "places"]].values.tolist() == [
        ["A", pytest.approx(80.0)],
        ["B", pytest.approx(20.0)],
    ]


def test_unit_only_reachable_beyond_the_limit_is_weakly_served() -> None:
    demand = pd.Series({"A": 30.0})
    capacity = pd.Series({"F": 100.0})
    result = solve_provision(demand, capacity, _pairs(("A", "F", 800.0)), limit_m=LIMIT_M)
    a = _unit(result, "A")
    assert a["served_within"] == pytest.approx(0.0, abs=TOL)
    assert a["served_beyond"] == pytest.approx(30.0)
    assert a["status"] == "beyond_norm"
    assert not bool(result.links.loc[0, "within_limit"])
    assert _facility(result, "F")["load_beyond"] == pytest.approx(30.0)


def test_serving_everyone_outranks_a_shorter_walk() -> None:
    # F and G have 50 places each. A needs 50 and reaches only F (450 m, within); B needs 50 and
    # reaches F (100 m, within) and G (600 m, beyond). Within the limit F serves 50 whoever takes
    # it; serving both (A at F, B at G: 100 places) beats the shorter walk of B at F (50 served).
    demand = pd.Series({"A": 50.0, "B": 50.0})
    capacity = pd.Series({"F": 50.0, "G": 50.0})
    pairs = _pairs(("A", "F", 450.0), ("B", "F", 100.0), ("B", "G", 600.0))
    result = solve_provision(demand, capacity, pairs, limit_m=LIMIT_M)
    assert _unit(result, "A")["served_within"] == pytest.approx(50.0)
    assert _unit(result, "B")["served_beyond"] == pytest.approx(50.0)
    assert result.totals().unserved == pytest.approx(0.0, abs=TOL)


def test_within_first_can_leave_more_unserved_than_a_plain_maximum_flow() -> None:
    # A reaches F within (200 m) and G beyond (800 m); B reaches only F, beyond (900 m).
    # F and G have 100 places each; A and B need 100 each. A maximum flow serves 200 (A at G,
    # B at F, none within); the norm-first order serves A within at F and leaves B unserved.
    demand = pd.Series({"A": 100.0, "B": 100.0})
    capacity = pd.Series({"F": 100.0, "G": 100.0})
    pairs = _pairs(("A", "F", 200.0), ("A", "G", 800.0), ("B", "F", 900.0))
    result = solve_provision(demand, capacity, pairs, limit_m=LIMIT_M)
    assert _unit(result, "A")["served_within"] == pytest.approx(100.0)
    assert _unit(result, "B")["unserved"] == pytest.approx(100.0)
    assert _unit(result, "B")["status"] == "unserved"


def test_unknown_capacity_is_unlimited_and_flagged() -> None:
    demand = pd.Series({"A": 500.0, "B": 700.0})
    capacity = pd.Series({"F": math.nan, "G": 10.0})
    pairs = _pairs(("A", "F", 300.0), ("B", "F", 450.0), ("B", "G", 100.0))
    result = solve_provision(demand, capacity, pairs, limit_m=LIMIT_M)
    assert result.totals().unserved == pytest.approx(0.0, abs=TOL)
    assert result.unknown_capacity_ids == ("F",)
    f = _facility(result, "F")
    assert not bool(f["capacity_known"])
    assert f["load"] == pytest.approx(1190.0)  # B's nearest, G, takes 10 of its 700
    assert math.isnan(f["load_share"])
    assert not bool(f["is_full"])
    assert _unit(result, "B")["via_unknown_capacity"] == pytest.approx(690.0)
    assert result.totals().served_unknown_capacity == pytest.approx(1190.0)


def test_zero_demand_unit_needs_nothing() -> None:
    demand = pd.Series({"A": 0.0, "B": 10.0})
    capacity = pd.Series({"F": 5.0})
    pairs = _pairs(("A", "F", 50.0), ("B", "F", 60.0))
    result = solve_provision(demand, capacity, pairs, limit_m=LIMIT_M)
    a = _unit(result, "A")
    assert a["status"] == "no_demand"
    assert a[["served_within", "served_beyond", "unserved"]].sum() == 0.0
    assert math.isnan(a["served_share"])
    assert _unit(result, "B")["served_within"] == pytest.approx(5.0)


def test_no_pairs_leaves_everything_unserved() -> None:
    demand = pd.Series({"A": 10.0, "B": 20.0})
    capacity = pd.Series({"F": 100.0})
    result = solve_provision(demand, capacity, _pairs(), limit_m=LIMIT_M)
    assert result.units["unserved"].tolist() == [10.0, 20.0]
    assert (result.units["status"] == "unserved").all()
    assert result.links.empty
    assert result.facilities["load"].tolist() == [0.0]


def test_unknown_facility_id_in_pairs_is_a_clear_error() -> None:
    demand = pd.Series({"A": 10.0})
    capacity = pd.Series({"F": 100.0})
    with pytest.raises(ProvisionError, match=r"facility ids that have no capacity entry: G"):
        solve_provision(demand, capacity, _pairs(("A", "G", 10.0)), limit_m=LIMIT_M)
    assert issubclass(ProvisionError, PlannerError)


@pytest.mark.parametrize(
    ("demand", "capacity", "pairs", "match"),
    [
        ({"A": -1.0}, {"F": 1.0}, [("A", "F", 1.0)], "non-negative number of places.*A"),
        ({"A": math.nan}, {"F": 1.0}, [("A", "F", 1.0)], "non-negative number of places"),
        ({"A": 1.0}, {"F": -5.0}, [("A", "F", 1.0)], "Capacity must be non-negative.*F"),
        ({"A": 1.0}, {"F": math.inf}, [("A", "F", 1.0)], "NaN when unknown"),
        ({"A": 1.0}, {"F": 1.0}, [("B", "F", 1.0)], "unit ids that have no demand: B"),
        ({"A": 1.0}, {"F": 1.0}, [("A", "F", -3.0)], "finite, non-negative metres"),
        ({"A": 1.0}, {"F": 1.0}, [("A", "F", 1.0), ("A", "F", 2.0)], "more than once"),
    ],
)
def test_invalid_inputs_are_clear_errors(
    demand: dict[str, float],
    capacity: dict[str, float],
    pairs: list[tuple[str, str, float]],
    match: str,
) -> None:
    with pytest.raises(ProvisionError, match=match):
        solve_provision(pd.Series(demand), pd.Series(capacity), _pairs(*pairs), limit_m=LIMIT_M)


def test_non_positive_limit_and_missing_columns_are_errors() -> None:
    demand, capacity = pd.Series({"A": 1.0}), pd.Series({"F": 1.0})
    with pytest.raises(ProvisionError, match="positive number of metres"):
        solve_provision(demand, capacity, _pairs(("A", "F", 1.0)), limit_m=0.0)
    with pytest.raises(ProvisionError, match="lacks column"):
        solve_provision(demand, capacity, pd.DataFrame({"unit_id": ["A"]}), limit_m=1.0)


def test_summary_by_district_gives_provision_shares() -> None:
    demand = pd.Series({"A": 80.0, "B": 60.0, "C": 10.0})
    capacity = pd.Series({"F": 100.0})
    pairs = _pairs(("A", "F", 200.0), ("B", "F", 400.0))
    result = solve_provision(demand, capacity, pairs, limit_m=LIMIT_M)
    table = result.summary(pd.Series({"A": "north", "B": "south", "C": "south"}))
    assert table.loc["north", "within_share"] == pytest.approx(1.0)
    assert table.loc["south", "demand"] == pytest.approx(70.0)
    assert table.loc["south", "within_share"] == pytest.approx(20 / 70)


# --- explanations -------------------------------------------------------------------------------


def test_explain_a_unit_crowded_out_of_a_full_facility() -> None:
    demand = pd.Series({"A": 80.0, "B": 60.0})
    capacity = pd.Series({"F": 100.0})
    pairs = _pairs(("A", "F", 200.0), ("B", "F", 400.0))
    result = solve_provision(demand, capacity, pairs, limit_m=LIMIT_M)
    why = explain_unit(result, pairs, "B", limit_m=LIMIT_M)
    assert why.nearest_facility_id == "F"
    assert why.nearest_distance_m == 400.0
    assert why.nearest_within_limit
    assert why.nearest_is_full
    assert [u.unit_id for u in why.nearest_top_units] == ["A", "B"]
    assert [u.places for u in why.nearest_top_units] == pytest.approx([80.0, 20.0])
    assert why.nearest_top_units[0].share_of_load == pytest.approx(0.8)
    assert (why.demand, why.served_within, why.unserved) == pytest.approx((60.0, 20.0, 40.0))
    assert why.limit_m == LIMIT_M


def test_explain_served_unreachable_and_beyond_units() -> None:
    demand = pd.Series({"A": 10.0, "B": 5.0, "C": 7.0, "D": 0.0})
    capacity = pd.Series({"F": 100.0, "G": math.nan})
    pairs = _pairs(("A", "F", 120.0), ("C", "G", 900.0))
    result = solve_provision(demand, capacity, pairs, limit_m=LIMIT_M)
    a = explain_unit(result, pairs, "A", limit_m=LIMIT_M)
    assert not a.nearest_is_full
    assert (a.served_within, a.nearest_load, a.nearest_capacity) == (10.0, 10.0, 100.0)
    b = explain_unit(result, pairs, "B", limit_m=LIMIT_M)
    assert b.nearest_facility_id is None
    assert b.nearest_distance_m == math.inf
    assert b.unserved == 5.0
    c = explain_unit(result, pairs, "C", limit_m=LIMIT_M)
    assert not c.nearest_within_limit
    assert not c.nearest_capacity_known
    assert c.served_beyond == pytest.approx(7.0)
    assert explain_unit(result, pairs, "D", limit_m=LIMIT_M).demand == 0.0
    with pytest.raises(ProvisionError, match="not in the provision result"):
        explain_unit(result, pairs, "Z", limit_m=LIMIT_M)


# --- invariants ---------------------------------------------------------------------------------


@st.composite
def instances(draw: st.DrawFn) -> tuple[pd.Series, pd.Series, pd.DataFrame]:
    """Small random bipartite instances with integer data (so networkx flows are exact)."""
    n_units = draw(st.integers(1, 6))
    n_fac = draw(st.integers(1, 4))
    demand = pd.Series(
        draw(st.lists(st.integers(0, 50), min_size=n_units, max_size=n_units)),
        index=[f"U{i}" for i in range(n_units)],
        dtype=float,
    )
    capacity = pd.Series(
        draw(
            st.lists(st.one_of(st.integers(0, 60), st.just(None)), min_size=n_fac, max_size=n_fac)
        ),
        index=[f"F{j}" for j in range(n_fac)],
        dtype=float,
    )
    rows = []
    for unit in demand.index:
        for facility in capacity.index:
            if draw(st.booleans()):
                rows.append((unit, facility, float(draw(st.integers(0, 1000)))))
    return demand, capacity, _pairs(*rows)


def _max_flow(demand: pd.Series, capacity: pd.Series, pairs: pd.DataFrame) -> float:
    graph = nx.DiGraph()
    graph.add_node("s")
    graph.add_node("t")
    for unit, amount in demand.items():
        graph.add_edge("s", ("u", unit), capacity=amount)
    for facility, amount in capacity.items():
        if math.isnan(amount):
            graph.add_edge(("f", facility), "t")  # no capacity attribute: unlimited
        else:
            graph.add_edge(("f", facility), "t", capacity=amount)
    for unit, facility in zip(pairs["unit_id"], pairs["facility_id"], strict=True):
        graph.add_edge(("u", unit), ("f", facility))
    return float(nx.maximum_flow_value(graph, "s", "t"))


def _lexicographic_optimum(
    demand: pd.Series, capacity: pd.Series, pairs: pd.DataFrame, *, limit_m: float
) -> tuple[float, float]:
    """(within, total) served by the within-first order, from networkx's network simplex.

    Integer costs without distances: within link 0, beyond link 2, unserved 3, i.e. minimise
    -2 * within - total; a flow cycle changes total by at most its change of within, so within
    comes first, then total.
    """
    total = int(demand.sum())
    graph = nx.DiGraph()
    graph.add_node("s", demand=-total)
    graph.add_node("t", demand=total)
    for unit, amount in demand.items():
        graph.add_edge("s", ("u", unit), capacity=int(amount), weight=0)
        graph.add_edge(("u", unit), "t", weight=3)  # unserved
    for facility, amount in capacity.items():
        attrs = {} if math.isnan(amount) else {"capacity": int(amount)}
        graph.add_edge(("f", facility), "t", weight=0, **attrs)
    for unit, facility, distance in pairs.itertuples(index=False):
        graph.add_edge(("u", unit), ("f", facility), weight=0 if distance <= limit_m else 2)
    _, flow = nx.network_simplex(graph)
    within = sum(
        flow[("u", u)][("f", f)] for u, f, d in pairs.itertuples(index=False) if d <= limit_m
    )
    served = total - sum(flow[("u", u)]["t"] for u in demand.index)
    return float(within), float(served)


def _check_invariants(
    demand: pd.Series, capacity: pd.Series, pairs: pd.DataFrame, result: ProvisionResult
) -> None:
    units, facilities = result.units, result.facilities
    parts = units["served_within"] + units["served_beyond"] + units["unserved"]
    np.testing.assert_allclose(parts, demand.to_numpy(), atol=TOL)
    for column in ("served_within", "served_beyond", "unserved"):
        assert (units[column] >= 0).all()
    for column in ("served_within_share", "served_share", "unserved_share"):
        shares = units[column].dropna()
        assert ((shares >= 0) & (shares <= 1)).all()
    assert units.loc[units["demand"] > 0, "served_share"].notna().all()
    known = facilities["capacity_known"]
    assert (facilities.loc[known, "load"] <= facilities.loc[known, "capacity"] + TOL).all()
    load_shares = facilities["load_share"].dropna()
    assert ((load_shares >= 0) & (load_shares <= 1)).all()
    # Links match the unit and facility tables, and only use given pairs.
    by_unit = result.links.groupby("unit_id")["places"].sum()
    served = units.set_index("unit_id")
    np.testing.assert_allclose(
        by_unit.reindex(served.index, fill_value=0.0),
        served["served_within"] + served["served_beyond"],
        atol=TOL,
    )
    given_pairs = set(zip(pairs["unit_id"], pairs["facility_id"], strict=True))
    assert set(zip(result.links["unit_id"], result.links["facility_id"], strict=True)) <= (
        given_pairs
    )


@settings(max_examples=40, deadline=None)
@given(instances())
def test_solution_respects_capacity_and_meets_the_flow_bounds(
    instance: tuple[pd.Series, pd.Series, pd.DataFrame],
) -> None:
    demand, capacity, pairs = instance
    result = solve_provision(demand, capacity, pairs, limit_m=LIMIT_M)
    _check_invariants(demand, capacity, pairs, result)
    totals = result.totals()
    within_pairs = pairs.loc[pairs["distance_m"] <= LIMIT_M]
    # Tier 1 is exactly a maximum flow over the within-limit pairs.
    assert totals.served_within == pytest.approx(_max_flow(demand, capacity, within_pairs))
    # Tier 2 can never beat a maximum flow over all pairs, and equals the within-first optimum
    # computed independently (network simplex). It equals the plain maximum flow whenever the
    # within tier does not have to give way (see the hand case above), e.g. without beyond pairs.
    all_pairs_flow = _max_flow(demand, capacity, pairs)
    served = totals.served_within + totals.served_beyond
    assert served <= all_pairs_flow + TOL
    assert (totals.served_within, served) == pytest.approx(
        _lexicographic_optimum(demand, capacity, pairs, limit_m=LIMIT_M)
    )
    if len(within_pairs) == len(pairs):
        assert served == pytest.approx(all_pairs_flow)
        assert totals.unserved == pytest.approx(demand.sum() - all_pairs_flow)


@settings(max_examples=40, deadline=None)
@given(instances(), st.data())
def test_adding_capacity_never_lowers_service(
    instance: tuple[pd.Series, pd.Series, pd.DataFrame], data: st.DataObject
) -> None:
    demand, capacity, pairs = instance
    before = solve_provision(demand, capacity, pairs, limit_m=LIMIT_M).totals()
    facility = data.draw(st.sampled_from(list(capacity.index)))
    extra = data.draw(st.integers(1, 50))
    more = capacity.copy()
    if not math.isnan(more[facility]):
        more[facility] += extra
    after = solve_provision(demand, more, pairs, limit_m=LIMIT_M).totals()
    assert after.served_within >= before.served_within - TOL
    assert after.served_within + after.served_beyond >= (
        before.served_within + before.served_beyond - TOL
    )


@settings(max_examples=40, deadline=None)
@given(instances())
def test_walking_is_minimal_given_the_served_tiers(
    instance: tuple[pd.Series, pd.Series, pd.DataFrame],
) -> None:
    # Independent check of tier 3: networkx's network simplex on the same costs in integers.
    demand, capacity, pairs = instance
    result = solve_provision(demand, capacity, pairs, limit_m=LIMIT_M)
    place_m = float((result.links["places"] * result.links["distance_m"]).sum())
    total = int(demand.sum())
    max_d = int(pairs["distance_m"].max()) if len(pairs) else 0
    cycle = 2 * min(len(demand), len(capacity)) * max_d
    tier = cycle + max_d + 1
    big = tier + cycle + max_d + 1
    graph = nx.DiGraph()
    graph.add_node("s", demand=-total)
    graph.add_node("t", demand=total)
    for unit, amount in demand.items():
        graph.add_edge("s", ("u", unit), capacity=int(amount), weight=0)
        graph.add_edge(("u", unit), "t", weight=big + tier)
    for facility, amount in capacity.items():
        attrs = {} if math.isnan(amount) else {"capacity": int(amount)}
        graph.add_edge(("f", facility), "t", weight=0, **attrs)
    for unit, facility, distance in pairs.itertuples(index=False):
        cost = int(distance) if distance <= LIMIT_M else big + int(distance)
        graph.add_edge(("u", unit), ("f", facility), weight=cost)
    _, flow = nx.network_simplex(graph)
    best_place_m = sum(flow[("u", u)][("f", f)] * d for u, f, d in pairs.itertuples(index=False))
    assert place_m == pytest.approx(best_place_m, abs=1e-4)


def test_result_is_deterministic() -> None:
    rng = np.random.default_rng(7)
    demand = pd.Series(rng.integers(0, 30, 40).astype(float), index=[f"U{i}" for i in range(40)])
    capacity = pd.Series(rng.integers(10, 90, 6).astype(float), index=[f"F{j}" for j in range(6)])
    pairs = _pairs(
        *(
            (u, f, float(rng.integers(0, 1200)))
            for u in demand.index
            for f in capacity.index
            if rng.random() < 0.5
        )
    )
    first = solve_provision(demand, capacity, pairs, limit_m=LIMIT_M)
    second = solve_provision(demand, capacity, pairs, limit_m=LIMIT_M)
    pd.testing.assert_frame_equal(first.links, second.links)
    _check_invariants(demand, capacity, pairs, first)
