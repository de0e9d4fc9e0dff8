"""The norm-set file format (``planner.norms.schema``): every rule reports its own issue.

A small valid set (``MINI_NORMS_TOML``) is broken one line or one section at a time; each case
must produce the issue that names the field, the service and the fix. The bundled sets must pass.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from planner.errors import DataValidationError
from planner.norms import DemandRule, load_norms
from planner.norms.schema import build_norm_set, validate_norm_data
from planner.paths import bundled_geodata_dir
from tests.factories import MINI_NORMS_TOML

VALID = MINI_NORMS_TOML


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
        "None|Not valid TOML",
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


@pytest.mark.parametrize(
    "path", sorted((bundled_geodata_dir() / "norms").glob("*.toml")), ids=lambda p: p.stem
)
def test_the_bundled_sets_have_no_issues(path: Path) -> None:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert validate_norm_data(data, file=path.name, expected_key=path.stem) == []


def test_the_valid_mini_set_has_no_issues_and_builds_its_values() -> None:
    data = tomllib.loads(VALID)
    assert validate_norm_data(data, file="mini.toml", expected_key="mini") == []
    norms = build_norm_set(data, Path("mini.toml"))
    kindergarten = norms.services["kindergarten"]
    assert (kindergarten.radius_m, kindergarten.walk_limit_m, kindergarten.walk_limit_min) == (
        500.0,
        500.0,
        7.0,
    )
    assert kindergarten.project_sizes == (80, 180, 320)
    museum = norms.services["museum"]
    assert museum.radius_m is None
    assert museum.demand == DemandRule(None, None, 1.0, 1.0)  # no demand table: counted only
    assert museum.min_counts == ()


@pytest.mark.parametrize(
    ("minutes", "accepted"),
    # 500 m at 75 m/min takes 6.67 min; a stated time may differ by at most one minute.
    [(7, True), (6, True), (7.6, True), (7.7, False), (5.6, False), (5.7, True)],
)
def test_walk_minutes_may_differ_from_the_walk_by_one_minute(
    minutes: float, accepted: bool
) -> None:
    data = tomllib.loads(_edit("walk_limit_min = 7", f"walk_limit_min = {minutes}"))
    issues = validate_norm_data(data, file="mini.toml", expected_key="mini")
    assert (issues == []) is accepted, issues
