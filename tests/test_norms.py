"""Norm sets: the bundled TOML files, the demand helpers and the validator's issues."""

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

from planner.errors import DataValidationError, NormsError
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

GUSEV_POPULATION_2025 = 28_600

# A small valid set; each broken case below edits one line or drops one section of it.
VALID = """\
key = "mini"
title = "Mini"
title_ru = "Мини"
description = "A tiny set for tests."
walk_speed_m_min = 75

[sources.walk_speed]
document = "Doc"
clause = "1"
confidence = "C"

[services.kindergarten]
label = "Kindergarten"
label_ru = "Детский сад"
category = "education"
radius_m = 500
walk_limit_m = 500
walk_limit_min = 7
capacity_unit = "places"
capacity_unit_ru = "мест"
min_counts = [{ min_population = 1, count = 1 }]
project_sizes = [80, 180, 320]

[services.kindergarten.demand]
per_1000 = 52
cohort = "pop_0_6"
cohort_share = 0.5
coverage_share = 0.85

[services.kindergarten.sources.radius]
document = "SP 42"
clause = "Table 10.1"
url = "https://example.org/sp42"
confidence = "B"

[services.kindergarten.sources.demand]
document = "SP 42"
clause = "App. D"
confidence = "A"

[services.kindergarten.sources.min_count]
document = "Law"
clause = "Art. 9"
confidence = "C"

[services.kindergarten.sources.project_sizes]
document = "Practice"
clause = "Typical projects"
confidence = "C"

[services.museum]
label = "Museum"
label_ru = "Музей"
category = "culture"
capacity_unit = "objects"
capacity_unit_ru = "объектов"
"""


def _write(tmp_path: Path, text: str, name: str = "mini") -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _edit(old: str, new: str) -> str:
    assert old in VALID, old
    return VALID.replace(old, new, 1)


def _drop_section(header: str) -> str:
    pattern = re.compile(rf"^\[{re.escape(header)}\]\n(?:.+\n)*\n?", re.MULTILINE)
    text, count = pattern.subn("", VALID)
    assert count == 1, header
    return text


def _issues(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(DataValidationError) as info:
        load_norms(_write(tmp_path, text))
    issues = info.value.issues
    assert issues
    assert all(issue.file.endswith("mini.toml") and issue.fix for issue in issues)
    return [f"{issue.feature_id}|{issue.message}" for issue in issues]


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
    _write(tmp_path, VALID)
    with pytest.raises(NormsError, match="Available sets: mini"):
        load_norms("nope", folder=tmp_path)
    assert load_norms("mini", folder=tmp_path).services["museum"].label_ru == "Музей"


def test_missing_file_path_raises_norms_error(tmp_path: Path) -> None:
    with pytest.raises(NormsError, match="does not exist"):
        load_norms(tmp_path / "absent.toml")


def test_valid_minimal_set_loads_from_a_path(tmp_path: Path) -> None:
    norms = load_norms(str(_write(tmp_path, VALID)))
    assert list(norms.services) == ["kindergarten", "museum"]
    assert norms.elderly_walk_speed_m_min == 50.0  # default from planner.config
    assert norms.services["kindergarten"].demand == DemandRule(52.0, "pop_0_6", 0.5, 0.85)
    assert norms.services["kindergarten"].sources["radius"].url == "https://example.org/sp42"
    assert norms.services["kindergarten"].sources["demand"].url is None


BROKEN = {
    "unknown service key": (
        _edit("radius_m = 500\n", "radius_m = 500\nradius = 500\n"),
        "kindergarten|Unknown key 'services.kindergarten.radius'",
    ),
    "unknown top-level key": (
        _edit('key = "mini"\n', 'key = "mini"\nversion = 2\n'),
        "None|Unknown key 'version'",
    ),
    "missing required field": (
        _edit('label_ru = "Детский сад"\n', ""),
        "kindergarten|Missing required field 'services.kindergarten.label_ru'",
    ),
    "missing set field": (
        _edit('title_ru = "Мини"\n', ""),
        "None|Missing required field 'title_ru'",
    ),
    "wrong type": (
        _edit('capacity_unit = "places"', "capacity_unit = 5"),
        "kindergarten|services.kindergarten.capacity_unit is 5; it must be a non-empty string",
    ),
    "negative radius": (
        _edit("radius_m = 500", "radius_m = -500"),
        "kindergarten|services.kindergarten.radius_m is -500; it must be positive",
    ),
    "non-numeric radius": (
        _edit("radius_m = 500", 'radius_m = "500 m"'),
        "kindergarten|services.kindergarten.radius_m is '500 m'; it must be a number",
    ),
    "boolean radius": (
        _edit("radius_m = 500", "radius_m = true"),
        "kindergarten|services.kindergarten.radius_m is True; it must be a number",
    ),
    "nan radius": (
        _edit("radius_m = 500", "radius_m = nan"),
        "kindergarten|services.kindergarten.radius_m is nan; it must be a number",
    ),
    "walk limit without minutes": (
        _edit("walk_limit_min = 7\n", ""),
        "kindergarten|services.kindergarten has only one of walk_limit_m and walk_limit_min",
    ),
    "walk minutes inconsistent with speed": (
        _edit("walk_limit_min = 7", "walk_limit_min = 12"),
        "kindergarten|services.kindergarten.walk_limit_min = 12 but walk_limit_m = 500 takes 6.7",
    ),
    "coverage share above 1": (
        _edit("coverage_share = 0.85", "coverage_share = 1.5"),
        "kindergarten|services.kindergarten.demand.coverage_share is 1.5; it is outside [0, 1]",
    ),
    "negative cohort share": (
        _edit("cohort_share = 0.5", "cohort_share = -0.5"),
        "kindergarten|services.kindergarten.demand.cohort_share is -0.5; it is outside [0, 1]",
    ),
    "unknown cohort column": (
        _edit('cohort = "pop_0_6"', 'cohort = "pop_1_6"'),
        "kindergarten|services.kindergarten.demand.cohort 'pop_1_6' is not a cohort column",
    ),
    "cohort without per_1000 fallback": (
        _edit("per_1000 = 52\n", ""),
        "kindergarten|services.kindergarten.demand has a cohort but no per_1000",
    ),
    "negative per_1000": (
        _edit("per_1000 = 52", "per_1000 = -52"),
        "kindergarten|services.kindergarten.demand.per_1000 is -52",
    ),
    "confidence not A/B/C": (
        _edit('confidence = "B"', 'confidence = "D"'),
        "kindergarten|services.kindergarten.sources.radius.confidence is 'D'",
    ),
    "project sizes not ascending": (
        _edit("project_sizes = [80, 180, 320]", "project_sizes = [180, 80, 320]"),
        "kindergarten|services.kindergarten.project_sizes is [180, 80, 320]",
    ),
    "project sizes not positive": (
        _edit("project_sizes = [80, 180, 320]", "project_sizes = [0, 80]"),
        "kindergarten|services.kindergarten.project_sizes is [0, 80]",
    ),
    "project sizes not integers": (
        _edit("project_sizes = [80, 180, 320]", "project_sizes = [80.5, 180]"),
        "kindergarten|services.kindergarten.project_sizes is [80.5, 180]",
    ),
    "missing demand source": (
        _drop_section("services.kindergarten.sources.demand"),
        "kindergarten|The demand values have no source",
    ),
    "missing radius source": (
        _drop_section("services.kindergarten.sources.radius"),
        "kindergarten|The radius values have no source",
    ),
    "missing min_count source": (
        _drop_section("services.kindergarten.sources.min_count"),
        "kindergarten|The min_count values have no source",
    ),
    "missing project_sizes source": (
        _drop_section("services.kindergarten.sources.project_sizes"),
        "kindergarten|The project_sizes values have no source",
    ),
    "missing walk speed source": (
        _drop_section("sources.walk_speed"),
        "None|The walk_speed values have no source",
    ),
    "unknown source group": (
        _edit(
            "[services.kindergarten.sources.project_sizes]", "[services.kindergarten.sources.size]"
        ),
        "kindergarten|Unknown source group services.kindergarten.sources.size",
    ),
    "unknown category": (
        _edit('category = "education"', 'category = "transport"'),
        "kindergarten|services.kindergarten.category is 'transport'",
    ),
    "min count below one": (
        _edit("count = 1 }", "count = 0 }"),
        "kindergarten|services.kindergarten.min_counts[0].count is below 1",
    ),
    "alternative radius without main radius": (
        _edit("radius_m = 500\n", "radius_low_rise_m = 800\n"),
        "kindergarten|services.kindergarten.radius_low_rise_m is given without radius_m",
    ),
    "zero walk speed": (
        _edit("walk_speed_m_min = 75", "walk_speed_m_min = 0"),
        "None|walk_speed_m_min is 0; it must be positive",
    ),
    "key differs from file name": (
        _edit('key = "mini"', 'key = "maxi"'),
        "None|key = 'maxi' differs from the file name 'mini'",
    ),
    "not snake_case service key": (
        _edit("[services.museum]", '[services."Museum Hall"]'),
        "Museum Hall|Service key 'Museum Hall' is not snake_case",
    ),
    "TOML syntax error": (
        _edit("radius_m = 500", "radius_m = = 500"),
        "None|Not valid UTF-8 TOML",
    ),
}


@pytest.mark.parametrize(("text", "expected"), BROKEN.values(), ids=BROKEN.keys())
def test_each_rule_reports_its_own_issue(tmp_path: Path, text: str, expected: str) -> None:
    issues = _issues(tmp_path, text)
    assert any(issue.startswith(expected) for issue in issues), issues


def test_several_problems_are_reported_at_once(tmp_path: Path) -> None:
    text = (
        VALID.replace("radius_m = 500", "radius_m = -5")
        .replace('cohort = "pop_0_6"', 'cohort = "kids"')
        .replace('confidence = "B"', 'confidence = "maybe"')
        .replace('label = "Museum"\n', "")
    )
    issues = _issues(tmp_path, text)
    assert len(issues) >= 4
    joined = "\n".join(issues)
    for fragment in (
        "radius_m is -5",
        "'kids' is not a cohort",
        "'maybe'",
        "'services.museum.label'",
    ):
        assert fragment in joined
    assert any(issue.startswith("museum|") for issue in issues)


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
