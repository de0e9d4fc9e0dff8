"""The Streamlit dashboard under AppTest: headline figures, the map component, bad data."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from planner.io import check_town
from planner.norms import load_norms
from planner.paths import default_town_dir
from planner.summary import town_summary

APP = Path(__file__).resolve().parent.parent / "app.py"

pytestmark = pytest.mark.slow


@pytest.fixture
def town(gusev_town):
    """The bundled town (conftest's session fixture), as the app loads it by default."""
    return gusev_town


@pytest.fixture
def app() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def _map_args(at: AppTest) -> dict[str, Any]:
    components = at.get("component_instance")
    assert len(components) == 1
    proto = components[0].proto
    assert proto.component_name == "streamlit_folium.st_folium"
    args: dict[str, Any] = json.loads(proto.json_args)
    return args


def _unescape_markdown(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def test_headline_figures_of_the_bundled_town(app: AppTest, town):
    summary = town_summary(town)
    assert not app.error
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["Population"] == f"{summary.population:,}"
    assert metrics["Facilities"] == f"{len(town.facilities):,}"
    assert metrics["Modelled features"] == f"{summary.modelled_share:.0%}"
    assert metrics["Residential units"] == f"{len(town.residential):,}"
    assert town.meta.name in app.title[0].value


def test_tables_show_services_layers_and_provenance(app: AppTest, town):
    summary = town_summary(town)
    services, layers, provenance = (frame.value for frame in app.dataframe)
    assert services["Count"].sum() == len(town.facilities)
    assert len(services) == len(summary.facilities_by_service)
    assert dict(zip(layers["Layer"], layers["Features"], strict=True)) == summary.layer_counts
    # Shares in percent: every layer's row sums to 100.
    assert provenance.sum(axis=1).to_numpy() == pytest.approx(100.0)
    assert "All layers" in provenance.index
    assert any("Data & provenance" in expander.label for expander in app.expander)


def test_map_component_loads_only_local_assets(app: AppTest, town):
    args = _map_args(app)
    assert args["js_links"]
    assert args["css_links"]
    assert all(link.startswith("/app/static/") for link in args["js_links"] + args["css_links"])
    assert args["height"] == 650
    assert args["script"].count("L.circleMarker(") == len(town.facilities)
    assert "L.Icon.Default.imagePath" in args["script"]
    # The attribution is on the map and under it.
    assert any(town.meta.attribution == caption.value for caption in app.caption)
    assert "OpenStreetMap contributors" in town.meta.attribution


def test_broken_town_folder_shows_every_issue(app: AppTest, tmp_path: Path):
    broken = tmp_path / "broken_town"
    shutil.copytree(default_town_dir(), broken)
    facilities_file = broken / "facilities.geojson"
    data = json.loads(facilities_file.read_text(encoding="utf-8"))
    data["features"][1]["properties"]["id"] = data["features"][0]["properties"]["id"]
    data["features"][0]["properties"]["service"] = "spaceport_*_$x$"
    facilities_file.write_text(json.dumps(data), encoding="utf-8")
    _, issues = check_town(broken, norms=load_norms())
    errors = [issue for issue in issues if issue.severity == "error"]
    assert len(errors) >= 2

    app.text_input(key="town_dir").set_value(str(broken)).run()
    assert not app.exception
    assert len(app.error) == 1
    shown = _unescape_markdown(app.error[0].value)
    assert f"{len(errors)} error(s)" in shown
    for issue in issues:
        assert str(issue) in shown
    assert not app.metric
    assert not app.get("component_instance")

    # The page keeps running: pointing back at good data recovers.
    app.text_input(key="town_dir").set_value(str(default_town_dir())).run()
    assert not app.exception
    assert not app.error
    assert len(app.metric) == 4


def test_missing_folder_is_an_error_not_a_traceback(app: AppTest, tmp_path: Path):
    app.text_input(key="town_dir").set_value(str(tmp_path / "nowhere")).run()
    assert not app.exception
    assert "is not a folder" in _unescape_markdown(app.error[0].value)
