"""The public Python API (``import planner``): light to import, thin; the README example runs."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from pathlib import Path

import pytest

import planner
import planner.api
from planner.analysis import analyze_town
from planner.model import Town
from planner.norms import DEFAULT_NORM_SET
from planner.presentation.catalogue import Lang
from planner.presentation.explain import explain_block

ROOT = Path(__file__).resolve().parent.parent


def readme_python_example() -> str:
    """Return the code block of the README section "Using it from Python"."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Using it from Python", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match is not None, "the README section lost its python code block"
    return match.group(1)


@pytest.mark.slow
def test_the_readme_example_runs_and_the_placement_behaves(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)  # the example uses paths relative to the repository root
    namespace: dict[str, object] = {"__name__": "readme_example"}
    exec(compile(readme_python_example(), "README.md", "exec"), namespace)
    town, today, result = namespace["town"], namespace["today"], namespace["result"]
    assert isinstance(town, Town)
    assert isinstance(today, planner.TownAnalysis)
    assert isinstance(result, planner.ScenarioComparison)
    placed = result.applied.town
    # The scenario made a new town and left the original as it was.
    assert len(placed.facilities) == len(town.facilities) + 1
    assert "fac-new-kindergarten" not in set(town.facilities["id"])
    assert result.baseline is today  # the analysis passed in was reused, not redone
    # Demand depends on the residents only; new places can close at most their capacity.
    after = planner.summary_table(result.scenario).loc[0]
    assert after["demand"] == pytest.approx(planner.summary_table(today).loc[0, "demand"])
    change = result.services.set_index("service").loc["kindergarten"].to_dict()
    gained = change["served_within_after"] - change["served_within_before"]
    assert 0 < gained <= 320 + 1e-6
    provision = result.scenario.service("kindergarten").provision
    assert provision is not None
    loads = provision.facilities.set_index("facility_id")["load"]
    assert 0 < loads["fac-new-kindergarten"] <= 320 + 1e-6
    # Nobody loses a walk within the norm by adding a kindergarten.
    assert change["residents_lost"] == 0
    why = namespace["why"]
    assert isinstance(why, planner.BlockExplanation)
    assert "res-0100" in why.title
    printed = capsys.readouterr().out
    assert "places served within the norm:" in printed
    assert why.sentence in printed


def test_import_planner_loads_no_engine_until_an_api_name_is_used() -> None:
    code = (
        "import sys, planner\n"
        "assert 'geopandas' not in sys.modules and 'planner.api' not in sys.modules\n"
        "assert callable(planner.load_town)\n"
        "assert 'planner.api' in sys.modules and 'geopandas' in sys.modules\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("name", [n for n in planner.__all__ if n != "__version__"])
def test_every_public_name_is_the_api_module_s_object(name: str) -> None:
    assert getattr(planner, name) is getattr(planner.api, name)
    assert name in dir(planner)


def test_the_two_lists_of_public_names_agree() -> None:
    assert set(planner.__all__) - {"__version__"} == set(planner.api.__all__)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'analyse'"):
        _ = planner.analyse


# --- norm-set choice: the name, else the town's default, else the project default ------------


def test_load_norms_without_a_name_or_town_gives_the_project_default() -> None:
    assert planner.load_norms().key == DEFAULT_NORM_SET


def test_load_norms_follows_the_town_s_default_norms(tiny_town: Town) -> None:
    town = _with_default_norms(tiny_town, "fifteen_minute_city")
    assert planner.load_norms(town=town).key == "fifteen_minute_city"
    assert planner.load_norms("sp42_small_town", town=town).key == "sp42_small_town"


def test_load_norms_unknown_name_lists_the_sets() -> None:
    with pytest.raises(planner.NormsError, match="fifteen_minute_city"):
        planner.load_norms("no_such_set")


def test_load_town_reports_every_problem_of_a_broken_folder(tmp_path: Path) -> None:
    (tmp_path / "town.toml").write_text('name = "X"\n', encoding="utf-8")
    with pytest.raises(planner.DataValidationError) as caught:
        planner.load_town(tmp_path)
    files = {issue.file for issue in caught.value.issues}
    assert {"town.toml", "residential.geojson", "facilities.geojson"} <= files


# --- analyze and explain are the engine's functions with notebook defaults -------------------


def test_analyze_uses_the_town_s_default_norms_and_skips_catchments(tiny_town: Town) -> None:
    town = _with_default_norms(tiny_town, "fifteen_minute_city")
    result = planner.analyze(town, services=["kindergarten"])
    assert result.norms.key == "fifteen_minute_city"
    assert list(result.services) == ["kindergarten"]
    assert result.service("kindergarten").catchments is None


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_analyze_and_explain_give_what_the_engine_gives(tiny_town: Town, lang: Lang) -> None:
    norms = planner.load_norms()
    ours = planner.analyze(tiny_town, norms, services=["kindergarten"])
    engine = analyze_town(tiny_town, norms, services=["kindergarten"], with_catchments=False)
    assert ours.coverage.equals(engine.coverage)
    mine = planner.explain(ours, "R1", "kindergarten", lang=lang)
    assert mine == explain_block(engine, "kindergarten", "R1", lang)


def _with_default_norms(town: Town, name: str) -> Town:
    return dataclasses.replace(town, meta=dataclasses.replace(town.meta, default_norms=name))


def test_compare_uses_the_town_s_default_norms(tiny_town: Town) -> None:
    town = _with_default_norms(tiny_town, "fifteen_minute_city")
    # A second kindergarten of 20 places at the school's corner (0, 0) of the tiny town.
    corner = town.facilities.to_crs("EPSG:4326").set_index("id").geometry["F1"]
    scenario = planner.Scenario("corner").with_edit(
        planner.AddFacility(
            id="K2", service="kindergarten", lon=corner.x, lat=corner.y, capacity=20
        )
    )
    result = planner.compare(town, scenario, services=["kindergarten"])
    assert result.scenario.norms.key == "fifteen_minute_city"
    change = result.services.set_index("service").loc["kindergarten"]
    # F2 already fills its 40 of the 51 places needed; the 20 new places serve the other 11.
    assert change["served_within_before"] == pytest.approx(40.0)
    assert change["served_within_after"] == pytest.approx(51.0)


def test_a_scenario_that_does_not_fit_the_town_is_refused(tiny_town: Town) -> None:
    scenario = planner.Scenario("far").with_edit(
        planner.AddFacility(id="K9", service="kindergarten", lon=0.0, lat=0.0, capacity=10)
    )
    with pytest.raises(planner.ScenarioError, match="K9"):
        planner.compare(tiny_town, scenario)
