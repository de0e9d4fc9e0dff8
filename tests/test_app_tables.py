"""Display tables and explanations (planner.presentation: tables, explain, views).

Pure functions, tested without Streamlit on the tiny town folder (tests/data/tiny_town).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from planner.analysis import analyze_town
from planner.figures import service_figures, summary_table, traffic_light
from planner.norms import load_norms
from planner.presentation.explain import coverage_by_service, explain_block
from planner.presentation.tables import (
    coverage_breakdown,
    district_table,
    facilities_table,
    gaps_table,
    norms_table,
    provenance_table,
    requirement_tables,
    scorecard,
)
from planner.presentation.views import residents_served_within, unit_classes


@pytest.fixture(scope="module")
def analysis():
    from planner.io import load_town
    from tests.testdata import TINY_TOWN_DIR

    norms = load_norms()
    return analyze_town(load_town(TINY_TOWN_DIR, norms=norms), norms)


def test_scorecard_shows_the_figures_of_the_summary(analysis):
    table = scorecard(analysis, "en").set_index("key")
    summary = summary_table(analysis).set_index("service")
    assert list(table.index) == list(summary.index)
    for service, row in summary.iterrows():
        key = str(service)
        assert table.loc[key, "Within walk (network)"] == pytest.approx(
            row["covered_network_share"]
        )
        assert table.loc[key, "Within radius"] == pytest.approx(row["covered_radius_share"])
        assert table.loc[key, "Residents"] == row["residents"]
        if math.isfinite(row["provision_ratio"]):
            assert table.loc[key, "Provision"] == pytest.approx(row["provision_ratio"])
            assert table.loc[key, "Shortfall"] == pytest.approx(row["unmet_places"])
        assert table.loc[key, "status_key"] == row["status"]
        assert str(table.loc[key, "Status"]).endswith(str(row["status"]))


def test_district_figures_add_up_to_the_town(analysis):
    town = service_figures(analysis, "kindergarten")
    parts = [service_figures(analysis, "kindergarten", d) for d in ("west", "east")]
    assert sum(p.residents for p in parts) == town.residents == 1000
    assert sum(p.covered_network for p in parts) == town.covered_network
    assert sum(p.demand for p in parts) == pytest.approx(town.demand)
    assert sum(p.unmet_places for p in parts) == pytest.approx(town.unmet_places)
    assert sum(p.facilities for p in parts) == town.facilities


def test_within_time_depends_on_pace():
    from planner.io import load_town
    from tests.testdata import TINY_TOWN_DIR

    norms = load_norms()
    town = load_town(TINY_TOWN_DIR, norms=norms)
    fast = analyze_town(town, norms, walk_speed_m_min=norms.walk_speed_for("adult"))
    slow = analyze_town(town, norms, walk_speed_m_min=norms.walk_speed_for("elderly"))
    a = service_figures(fast, "kindergarten")
    b = service_figures(slow, "kindergarten")
    assert b.median_walk_min == pytest.approx(a.median_walk_min * 75 / 50)
    assert b.within_time_share <= a.within_time_share
    assert b.covered_network_share == a.covered_network_share  # metres do not change


def test_traffic_light_thresholds():
    assert [traffic_light(s) for s in (0.95, 0.9, 0.75, 0.2, np.nan)] == [
        "good",
        "good",
        "fair",
        "poor",
        "n/a",
    ]


def test_unit_classes_by_view(analysis):
    result = analysis.service("kindergarten")
    cov = result.coverage.set_index("unit_id")
    network = unit_classes(analysis, "kindergarten", "network")
    status = result.provision.units.set_index("unit_id")["status"]
    assert dict(network) == dict(status)
    radius = unit_classes(analysis, "kindergarten", "radius")
    assert (radius == "within_radius").to_dict() == cov["within_radius"].to_dict()
    disagree = unit_classes(analysis, "kindergarten", "disagree")
    assert (disagree == "cut_off").to_dict() == cov["radius_not_network"].to_dict()
    # A service without a demand rule: distance only.
    pharmacy = unit_classes(analysis, "pharmacy", "network")
    assert set(pharmacy) <= {"within_walk", "beyond_walk"}
    everything = unit_classes(analysis, None, "network")
    assert set(everything) <= {"all", "most", "some", "none"}
    assert len(everything) == len(analysis.town.residential)


def test_residents_served_within_splits_units_by_places(analysis):
    result = analysis.service("kindergarten")
    served = residents_served_within(result, analysis.town.residential)
    units = result.provision.units.set_index("unit_id")
    population = analysis.town.residential.set_index("id")["population"]
    expected = float((population * units["served_within"] / units["demand"]).fillna(0).sum())
    assert served.sum() == pytest.approx(expected)
    assert set(served.index) == set(result.facilities["id"])


def test_breakdown_counts_every_resident(analysis):
    for key in analysis.services:
        breakdown = coverage_breakdown(analysis.service(key), "ru")
        if analysis.service(key).provision is None:
            assert breakdown["residents"].sum() == pytest.approx(1000)
        else:
            # Units without demand drop out; the rest sum to the residents with demand.
            assert breakdown["residents"].sum() <= 1000 + 1e-6
        assert all(label for label in breakdown["label"])


def test_gaps_table_is_ranked_and_translated(analysis):
    english = gaps_table(analysis, None, None, "en")
    places = english["Shortfall"].fillna(0).to_numpy()
    assert list(places) == sorted(places, reverse=True)
    assert list(english["Rank"]) == list(range(1, len(english) + 1))
    russian = gaps_table(analysis, "kindergarten", None, "ru")
    assert list(russian.columns)[1:4] == ["№", "Услуга", "Район"]
    assert set(russian["Услуга"]) == {"Детский сад"}
    assert gaps_table(analysis, "kindergarten", "nowhere", "en").empty


def test_requirements_split_required_and_not(analysis):
    required, not_required = requirement_tables(analysis, "en")
    assert len(required) + len(not_required) == len(analysis.norms.services)
    assert "Concert hall" in set(not_required["Service"])
    assert (not_required["Why"].str.len() > 0).all()


def test_facilities_table_and_real_only_filter(analysis):
    table = facilities_table(analysis, "ru")
    assert len(table) == len(analysis.town.facilities)
    assert set(table["Название"]) == set(analysis.town.facilities["name_ru"])
    kindergarten = facilities_table(analysis, "en", service="kindergarten")
    assert list(kindergarten["Service"]) == ["Kindergarten"]
    assert kindergarten["Load share"].between(0, 1).all()
    # Every tiny-town facility is illustrative: "real objects only" hides them all.
    assert facilities_table(analysis, "en", real_only=True).empty


def test_provenance_and_norms_tables(analysis):
    table = provenance_table(analysis.town, "en").set_index("Layer")
    assert table.loc["residential", "modelled"] == len(analysis.town.residential)
    assert table.loc["All layers", "Modelled share"] == pytest.approx(
        table.drop(index="All layers")[["modelled", "illustrative"]].sum().sum()
        / table.drop(index="All layers")[
            ["OpenStreetMap", "verified", "approximate position", "modelled", "illustrative"]
        ]
        .sum()
        .sum()
    )
    norms = norms_table(analysis.norms, "en")
    assert norms["Link"].str.startswith("http").any()
    assert {"radius", "demand"} <= set(norms["What"])


def test_district_table_for_one_and_all_services(analysis):
    one = district_table(analysis, "kindergarten", "ru")
    assert set(one["Район"]) == {"Запад", "Восток"}
    assert one["Жителей"].sum() == 1000
    # One service: its shortfall says its unit (a sports ground lacks m², not places).
    assert "Не хватает, мест" in one.columns
    every = district_table(analysis, None, "en")
    assert "Kindergarten" in every.columns


def test_explanations_in_both_languages(analysis):
    result = analysis.service("kindergarten")
    for unit in result.provision.units["unit_id"]:
        english = explain_block(analysis, "kindergarten", unit, "en")
        russian = explain_block(analysis, "kindergarten", unit, "ru")
        assert english.sentence.startswith(f"Block {unit}")
        assert russian.sentence.startswith(f"Квартал {unit}")
        facts = dict(russian.facts)
        assert facts["Район"] in {"Запад", "Восток"}
    # A service without demand is explained by distance.
    pharmacy = explain_block(analysis, "pharmacy", "R1", "en")
    assert "Block R1" in pharmacy.sentence
    table = coverage_by_service(analysis, "R1", "ru")
    assert len(table) == len(analysis.services)
    with pytest.raises(KeyError):
        explain_block(analysis, "kindergarten", "nope", "en")


def test_tables_keep_data_text_verbatim(analysis):
    """Data text goes to st.dataframe as plain text: not escaped twice, not interpreted."""
    frame = analysis.town.facilities.copy()
    assert isinstance(frame, pd.DataFrame)
    table = facilities_table(analysis, "en")
    assert set(table["Address"]) == set(analysis.town.facilities["address"])
