"""Norm sets: the bundled TOML files, loading them, demand and required counts.

The file format itself (every validation rule) is tested in ``tests/test_norms_schema.py``.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import pickle
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.errors import NormsError
from planner.layers import COHORT_COLUMNS
from planner.norms import (
    SERVICE_KEYS,
    DemandRule,
    MinCount,
    NormSet,
    ServiceNorm,
    available_norm_sets,
    load_norms,
)
from tests.factories import MINI_NORMS_TOML

GUSEV_POPULATION_2025 = 28_600


@functools.cache
def _default_set() -> NormSet:
    return load_norms("sp42_small_town")


@pytest.fixture
def sp42() -> NormSet:
    return _default_set()


# --- bundled sets ----------------------------------------------------------------------------


def test_available_sets_lists_both_bundled_files() -> None:
    assert {"sp42_small_town", "fifteen_minute_city"} <= set(available_norm_sets())


@pytest.mark.parametrize("name", ["sp42_small_town", "fifteen_minute_city"])
def test_bundled_sets_load_with_every_service_key_in_order(name: str) -> None:
    norms = load_norms(name)
    assert norms.key == name
    assert tuple(norms.services) == SERVICE_KEYS
    assert norms.walk_speed_m_min == 75.0
    assert norms.elderly_walk_speed_m_min == 50.0
    assert norms.source_file.name == f"{name}.toml"
    assert {"walk_speed", "elderly_walk_speed"} <= set(norms.sources)


def test_default_radii_follow_sp42_small_town_variants(sp42: NormSet) -> None:
    kindergarten, school = sp42.services["kindergarten"], sp42.services["school"]
    assert (kindergarten.radius_m, kindergarten.walk_limit_m, kindergarten.walk_limit_min) == (
        500.0,
        500.0,
        7.0,
    )
    assert kindergarten.radius_strict_m == 300.0
    assert school.radius_tolerance_m == 750.0
    assert sp42.services["pharmacy"].radius_low_rise_m == 800.0
    assert sp42.services["polyclinic"].walk_limit_m == 1000.0
    assert sp42.services["sports_centre"].walk_limit_min == 20.0
    assert kindergarten.project_sizes == (80, 180, 320)
    assert school.project_sizes == (550, 825, 1100)


@pytest.mark.parametrize("key", ["hospital", "museum", "concert_hall", "cinema", "library"])
def test_services_without_walking_norm_have_no_limit(sp42: NormSet, key: str) -> None:
    norm = sp42.services[key]
    assert norm.radius_m is None
    assert norm.walk_limit_m is None
    assert norm.walk_limit_min is None
    assert not norm.has_walk_norm


def test_every_default_service_cites_radius_and_demand_sources(sp42: NormSet) -> None:
    for norm in sp42.services.values():
        assert {"radius", "demand"} <= set(norm.sources), norm.key
        if norm.min_counts or norm.required_from_population is not None:
            assert "min_count" in norm.sources, norm.key
        if norm.project_sizes:
            assert "project_sizes" in norm.sources, norm.key
        for source in norm.sources.values():
            assert source.confidence in {"A", "B", "C"}
            assert source.document
            assert source.clause


def test_every_walk_limit_matches_the_walk_speed_within_a_minute() -> None:
    for name in available_norm_sets():
        norms = load_norms(name)
        for norm in norms.services.values():
            if norm.walk_limit_m is not None:
                assert norm.walk_limit_min is not None
                minutes = norm.walk_limit_m / norms.walk_speed_m_min
                assert abs(norm.walk_limit_min - minutes) <= 1.0


def test_fifteen_minute_city_uses_1200_m_and_the_default_demand(sp42: NormSet) -> None:
    comparator = load_norms("fifteen_minute_city")
    for key, norm in comparator.services.items():
        assert (norm.walk_limit_m, norm.walk_limit_min) == (1200.0, 16.0)
        assert norm.demand == sp42.services[key].demand
        assert norm.min_counts == sp42.services[key].min_counts
        assert norm.sources["radius"].confidence == "A"


def test_norm_set_is_immutable_hashable_and_picklable(sp42: NormSet) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        sp42.key = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        sp42.services["school"] = sp42.services["kindergarten"]  # type: ignore[index]
    assert hash(sp42) == hash(load_norms("sp42_small_town"))
    assert pickle.loads(pickle.dumps(sp42)) == sp42


# --- demand -----------------------------------------------------------------------------------


def test_kindergarten_places_from_the_0_6_cohort(sp42: NormSet) -> None:
    # 70 children aged 0-6; 6/7 of them are 1-6; 85 % of those need a place.
    assert sp42.services["kindergarten"].places_for(1000, {"pop_0_6": 70}) == pytest.approx(51.0)


def test_school_places_from_the_7_17_cohort(sp42: NormSet) -> None:
    # 110 aged 7-17: 90 in grades 1-9 at 100 % + 20 in grades 10-11 at 75 % = 105.
    assert sp42.services["school"].places_for(1000, {"pop_7_17": 110}) == pytest.approx(105.0)


def test_art_school_places_are_12_per_100_children_of_7_16(sp42: NormSet) -> None:
    # 110 aged 7-17 -> 100 aged 7-16 -> 12 places.
    assert sp42.services["art_school"].places_for(1000, {"pop_7_17": 110}) == pytest.approx(12.0)


@pytest.mark.parametrize(
    "cohorts", [None, {}, {"pop_65_plus": 300.0}, {"pop_0_6": math.nan}], ids=str
)
def test_per_1000_fallback_without_cohort_data(sp42: NormSet, cohorts: dict[str, float]) -> None:
    assert sp42.services["kindergarten"].places_for(2500, cohorts) == pytest.approx(130.0)
    assert sp42.services["school"].places_for(2500, cohorts) == pytest.approx(325.0)


def test_flat_rules_and_count_only_services(sp42: NormSet) -> None:
    assert sp42.services["polyclinic"].places_for(GUSEV_POPULATION_2025) == pytest.approx(519.09)
    assert sp42.services["library"].places_for(10_000) == pytest.approx(20.0)
    museum = sp42.services["museum"]
    assert not museum.demand.is_defined
    assert museum.places_for(10_000, {"pop_0_6": 700}) == 0.0


def test_demand_places_keeps_labels_and_falls_back_per_row(sp42: NormSet) -> None:
    frame = pd.DataFrame(
        {"population": [1000, 500, 200], "pop_0_6": [70.0, math.nan, 0.0]},
        index=pd.Index(["r1", "r2", "r3"], name="id"),
    )
    places = sp42.services["kindergarten"].demand_places(frame)
    assert places.name == "kindergarten"
    assert list(places.index) == ["r1", "r2", "r3"]
    assert places.tolist() == pytest.approx([51.0, 26.0, 0.0])
    no_cohorts = sp42.services["kindergarten"].demand_places(frame[["population"]])
    assert no_cohorts.tolist() == pytest.approx([52.0, 26.0, 10.4])
    assert sp42.services["museum"].demand_places(frame).tolist() == [0.0, 0.0, 0.0]


def test_demand_places_agrees_with_places_for(sp42: NormSet) -> None:
    frame = pd.DataFrame(
        {"population": [1000, 300], "pop_0_6": [60, 20], "pop_7_17": [120, 30]},
        index=["a", "b"],
    )
    for norm in sp42.services.values():
        rows = [{str(k): float(v) for k, v in row.items()} for _, row in frame.iterrows()]
        expected = [norm.places_for(row["population"], row) for row in rows]
        assert norm.demand_places(frame).tolist() == pytest.approx(expected)


def test_cohort_only_rule_without_data_raises() -> None:
    rule = DemandRule(per_1000=None, cohort="pop_0_6", coverage_share=0.85)
    with pytest.raises(NormsError, match="per_1000"):
        rule.places(1000)


def test_negative_population_is_rejected(sp42: NormSet) -> None:
    with pytest.raises(ValueError, match="negative"):
        sp42.services["school"].places_for(-1)


# --- required services ------------------------------------------------------------------------


def test_required_services_for_gusev(sp42: NormSet) -> None:
    required = {norm.key: count for norm, count in sp42.required_services(GUSEV_POPULATION_2025)}
    for key in ("kindergarten", "school", "library", "museum", "house_of_culture", "art_school"):
        assert required[key] >= 1
    assert "concert_hall" not in required
    assert "exhibition_space" not in required
    assert all(count >= 1 for count in required.values())
    assert list(required) == [k for k in SERVICE_KEYS if k in required]  # file order


def test_concert_hall_required_from_50000(sp42: NormSet) -> None:
    assert "concert_hall" in {norm.key for norm, _ in sp42.required_services(60_000)}
    concert_hall = sp42.services["concert_hall"]
    assert concert_hall.required_count(49_999) == 0
    assert concert_hall.required_count(50_000) == 1


def test_required_count_takes_the_largest_applicable_rule() -> None:
    norm = ServiceNorm(
        key="library",
        label="Library",
        label_ru="Библиотека",
        category="culture",
        radius_m=None,
        walk_limit_m=None,
        walk_limit_min=None,
        capacity_unit="seats",
        capacity_unit_ru="мест",
        min_counts=(MinCount(1, 1), MinCount(20_000, 2), MinCount(50_000, 3)),
    )
    assert [norm.required_count(p) for p in (0, 1, 19_999, 20_000, 60_000)] == [0, 1, 1, 2, 3]


# --- loading errors ---------------------------------------------------------------------------


def test_unknown_set_name_lists_available_sets() -> None:
    with pytest.raises(NormsError) as info:
        load_norms("sp42_big_city")
    message = str(info.value)
    assert "sp42_big_city" in message
    assert "sp42_small_town" in message
    assert "fifteen_minute_city" in message


def test_unknown_name_in_custom_folder_lists_that_folder(tmp_path: Path) -> None:
    (tmp_path / "mini.toml").write_text(MINI_NORMS_TOML, encoding="utf-8")
    with pytest.raises(NormsError, match="Available sets: mini"):
        load_norms("nope", folder=tmp_path)
    assert load_norms("mini", folder=tmp_path).services["museum"].label_ru == "Музей"


def test_missing_file_path_raises_norms_error(tmp_path: Path) -> None:
    with pytest.raises(NormsError, match="does not exist"):
        load_norms(tmp_path / "absent.toml")


# --- properties -------------------------------------------------------------------------------

_rules = st.builds(
    DemandRule,
    per_1000=st.floats(0, 2000),
    cohort=st.sampled_from([None, *COHORT_COLUMNS]),
    cohort_share=st.floats(0, 1),
    coverage_share=st.floats(0, 1),
)
_counts = st.floats(0, 1e6)


@given(rule=_rules, populations=st.tuples(_counts, _counts), cohort=st.none() | _counts)
def test_places_monotone_in_population_and_never_negative(
    rule: DemandRule, populations: tuple[float, float], cohort: float | None
) -> None:
    low, high = sorted(populations)
    cohorts = None if cohort is None else dict.fromkeys(COHORT_COLUMNS, cohort)
    assert 0.0 <= rule.places(low, cohorts) <= rule.places(high, cohorts)


@given(rule=_rules, population=_counts, counts=st.tuples(_counts, _counts))
def test_places_monotone_in_cohort_counts(
    rule: DemandRule, population: float, counts: tuple[float, float]
) -> None:
    low, high = sorted(counts)
    low_places = rule.places(population, dict.fromkeys(COHORT_COLUMNS, low))
    assert 0.0 <= low_places <= rule.places(population, dict.fromkeys(COHORT_COLUMNS, high))


@given(
    key=st.sampled_from(SERVICE_KEYS),
    populations=st.tuples(_counts, _counts),
    children=st.tuples(_counts, _counts),
)
def test_bundled_services_demand_is_monotone(
    key: str, populations: tuple[float, float], children: tuple[float, float]
) -> None:
    norm = _default_set().services[key]
    (p_low, p_high), (c_low, c_high) = sorted(populations), sorted(children)
    low = norm.places_for(p_low, {"pop_0_6": c_low, "pop_7_17": c_low})
    high = norm.places_for(p_high, {"pop_0_6": c_high, "pop_7_17": c_high})
    assert 0.0 <= low <= high


@pytest.mark.parametrize("name", ["sp42_small_town", "fifteen_minute_city"])
def test_every_clause_of_the_bundled_sets_reads_in_russian(name: str) -> None:
    # The Russian report and tables quote clause_ru: no English paraphrase may remain. Paths
    # (docs/norms.md, blocksnet/...json) and names (BlocksNet; the title of Moreno et al.'s paper,
    # a citation) stay as they are.
    def english(text: str) -> list[str]:
        words = re.sub(r"\S*[/.]\S*", " ", text)  # paths and file names
        return [w for w in re.findall(r"[A-Za-z]{3,}", words) if w not in {"BlocksNet"}]

    norms = load_norms(name)
    sources = [*norms.sources.values()]
    sources += [s for service in norms.services.values() for s in service.sources.values()]
    for source in sources:
        assert source.clause_ru, source.clause
        assert not english(source.clause_in("ru")), source.clause_ru
        assert source.clause_in("en") == source.clause
        if not source.document.startswith("Moreno"):
            assert not english(source.document_in("ru")), source.document_in("ru")


def test_a_source_without_russian_text_falls_back_to_its_own() -> None:
    from planner.norms import Source

    plain = Source(document="СП 42.13330.2016", clause="Table 10.1", url=None, confidence="B")
    assert plain.clause_in("ru") == "Table 10.1"
    assert plain.document_in("ru") == "СП 42.13330.2016"
    russian = dataclasses.replace(plain, clause_ru="Таблица 10.1")
    assert russian.clause_in("ru") == "Таблица 10.1"
    assert russian.clause_in("en") == "Table 10.1"
