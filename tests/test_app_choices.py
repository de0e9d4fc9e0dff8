"""The user's choices: URL query parameters, language switches, pages, the selected block.

``ui.choices`` parsing is checked directly; the restoration under AppTest on the tiny town
(blocks R1..R4, districts west/east). The click itself (a Leaflet event) is simulated by the
session value the map component's callback stores; the browser tests click for real.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from planner.paths import default_town_dir
from tests.testdata import TINY_TOWN_DIR
from ui.choices import BLOCK_KEY, FOCUS_KEY, parse_params, url_params
from ui.map_core import CLICK_KEY

APP = Path(__file__).resolve().parent.parent / "app.py"


@pytest.fixture
def tiny_dir(tmp_path: Path) -> Path:
    target = tmp_path / "tiny"
    shutil.copytree(TINY_TOWN_DIR, target)
    return target


def _run(folder: Path, params: dict[str, str] | None = None, **state: Any) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params.update({"town": str(folder), **(params or {})})
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def _click_at_block(at: AppTest, unit: str) -> AppTest:
    import geopandas as gpd

    from planner.crs import to_display_crs
    from planner.io import load_town
    from planner.norms import load_norms

    town = load_town(Path(at.session_state["town_dir"]), norms=load_norms())
    res = town.residential
    row = res[res["id"] == unit]
    point = to_display_crs(gpd.GeoDataFrame(geometry=row.representative_point(), crs=res.crs))
    at.session_state[CLICK_KEY] = {"lat": point.geometry.iloc[0].y, "lng": point.geometry.iloc[0].x}
    at.run()
    assert not at.exception, at.exception
    return at


# --- parsing ----------------------------------------------------------------------------------


def test_good_parameters_are_taken(tmp_path: Path):
    values = parse_params(
        {
            "lang": "ru",
            "town": str(tmp_path),
            "service": "school",
            "district": "west",
            "view": "disagree",
            "pace": "elderly",
            "planned": "1",
            "block": "R1",
            "zone": "kindergarten-gap-1",
        }
    )
    assert values == {
        "lang": "ru",
        "town_dir": str(tmp_path),
        "service": "school",
        "district": "west",
        "map_view": "disagree",
        "pace": "elderly",
        "include_planned": True,
        BLOCK_KEY: "R1",
        FOCUS_KEY: "kindergarten-gap-1",
    }


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("lang", "de"),
        ("view", "satellite"),
        ("pace", "sprint"),
        ("planned", "yes"),
        ("town", "/no/such/folder"),
        ("town", "\x00"),
        ("service", ""),
        ("service", "x" * 1000),
        ("block", "   "),
    ],
)
def test_bad_parameters_are_dropped(name: str, value: str):
    assert parse_params({name: value}) == {}


def test_url_round_trip_leaves_defaults_out(tmp_path: Path):
    state = {
        "lang": "en",
        "town_dir": str(default_town_dir()),
        "service": "__all__",
        "district": "__all__",
        "map_view": "radius",
        "pace": "adult",
        "include_planned": False,
        BLOCK_KEY: None,
    }
    params = url_params(state)
    assert params == {"lang": "en", "view": "radius", "pace": "adult"}
    assert parse_params(params) == {"lang": "en", "map_view": "radius", "pace": "adult"}
    moved = url_params({**state, "town_dir": str(tmp_path), BLOCK_KEY: "R2"})
    assert moved["town"] == str(tmp_path)
    assert moved["block"] == "R2"


# --- the app ----------------------------------------------------------------------------------


def test_a_link_restores_the_view(tiny_dir: Path):
    params = {
        "lang": "ru",
        "service": "school",
        "district": "west",
        "view": "radius",
        "pace": "elderly",
        "block": "R1",
    }
    at = _run(tiny_dir, params, goto_page="map")
    assert at.session_state["lang"] == "ru"
    assert at.selectbox(key="service").value == "school"
    assert at.selectbox(key="district").value == "west"
    assert at.radio(key="pace").value == "elderly"
    assert at.segmented_control(key="map_view").value == "radius"
    assert at.title[0].value.startswith("Карта")
    # The block is explained (in Russian) and the page writes the same view back to the URL.
    assert any("R1" in s.value for s in at.subheader)
    for name, value in params.items():
        assert _param(at, name) == value, name


def test_garbage_in_the_url_falls_back_to_defaults(tiny_dir: Path):
    params = {
        "lang": "xx",
        "service": "<script>",
        "district": "nowhere",
        "view": "3d",
        "pace": "fast",
        "block": "no-such-block",
        "zone": "no-such-zone",
        "planned": "maybe",
    }
    at = _run(tiny_dir, params, goto_page="map")
    assert not at.error
    assert at.session_state["lang"] == "en"
    assert at.selectbox(key="service").value == "kindergarten"
    assert at.selectbox(key="district").value == "__all__"
    assert at.radio(key="pace").value == "adult"
    assert at.segmented_control(key="map_view").value == "network"
    assert at.session_state[BLOCK_KEY] is None
    assert "block" not in at.query_params
    assert "zone" not in at.query_params


def test_choices_survive_a_language_switch_and_pages(tiny_dir: Path):
    at = _run(tiny_dir, goto_page="map")
    at.selectbox(key="service").set_value("school").run()
    at.selectbox(key="district").set_value("east").run()
    at.radio(key="pace").set_value("elderly").run()
    at.segmented_control(key="map_view").set_value("disagree").run()
    _click_at_block(at, "R2")
    chosen = {"service": "school", "district": "east", "pace": "elderly"}
    at.radio(key="lang").set_value("ru").run()
    for lang in ("ru", "en"):
        at.radio(key="lang").set_value(lang).run()
        assert at.selectbox(key="service").value == "school"
        assert at.selectbox(key="district").value == "east"
        assert at.radio(key="pace").value == "elderly"
        assert at.segmented_control(key="map_view").value == "disagree"
        assert at.session_state[BLOCK_KEY] == "R2"
    # Another page and back: the map's own choices come back too.
    at.session_state["goto_page"] = "gaps"
    at.run()
    at.session_state["goto_page"] = "map"
    at.run()
    assert at.segmented_control(key="map_view").value == "disagree"
    assert {k: at.session_state[k] for k in chosen} == chosen
    assert any("R2" in s.value for s in at.subheader)


def test_a_click_selects_a_block_kept_across_services(tiny_dir: Path):
    at = _run(tiny_dir, goto_page="map")
    _click_at_block(at, "R3")
    assert at.session_state[BLOCK_KEY] == "R3"
    assert _param(at, "block") == "R3"
    script = _feature_groups(at)
    assert "Selected block and its walk" in script
    assert "m on foot" in script
    assert "m straight" in script
    at.selectbox(key="service").set_value("school").run()
    assert any("R3" in s.value for s in at.subheader)
    assert "m on foot" in _feature_groups(at)
    # A click beside every block says so and drops the selection.
    at.session_state[CLICK_KEY] = {"lat": 0.0, "lng": 0.0}
    at.run()
    assert at.session_state[BLOCK_KEY] is None
    assert any("No residential block" in i.value for i in at.info)


def test_show_on_map_keeps_the_compare_view(tiny_dir: Path):
    at = _run(tiny_dir, goto_page="map")
    at.segmented_control(key="map_view").set_value("radius").run()
    at.session_state["goto_page"] = "gaps"
    at.run()
    zone = str(at.selectbox(key="gap_zone_pick").value)
    at.button(key="show_on_map").click().run()
    assert at.title[0].value.startswith("Map")
    assert at.segmented_control(key="map_view").value == "radius"
    assert _param(at, "zone") == zone
    assert "fitBounds" in _feature_groups(at)


def _param(at: AppTest, name: str) -> str | None:
    """Return a query parameter as the app left it (AppTest keeps a list per name)."""
    value = at.query_params.get(name)
    if isinstance(value, list):
        return str(value[-1]) if value else None
    return None if value is None else str(value)


def _feature_groups(at: AppTest) -> str:
    import json

    components = at.get("component_instance")
    assert len(components) == 1
    args = json.loads(components[0].proto.json_args)
    return f"{args['feature_group']}\n{args['layer_control']}"


def test_the_base_map_is_sent_once_and_the_layers_change(tiny_dir: Path):
    import json

    def args(at: AppTest) -> dict[str, Any]:
        (component,) = at.get("component_instance")
        return dict(json.loads(component.proto.json_args))

    at = _run(tiny_dir, goto_page="map")
    first = args(at)
    at.selectbox(key="service").set_value("school").run()
    at.segmented_control(key="map_view").set_value("radius").run()
    changed = args(at)
    # Same base script (so the same component key: the Leaflet map stays alive) ...
    assert changed["script"] == first["script"]
    assert changed["feature_group"] != first["feature_group"]
    assert "Normative radius" in changed["layer_control"]
    # ... and the base holds only the town's own layers, the analysis none.
    assert '"Streets": feature_group_div' in first["layer_control"]
    assert '"R1"' not in first["script"]
    assert '"R1"' in first["feature_group"]
    at.radio(key="lang").set_value("ru").run()
    assert args(at)["script"] != first["script"]
