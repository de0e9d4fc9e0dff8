"""The Streamlit dashboard under AppTest: every page, every sidebar control, errors, escaping.

Most tests point the app at a copy of the tiny town (fast, hand-checkable); one smoke test runs
the bundled Gusev town. The st_folium map is checked through its component arguments (the
generated Leaflet script); the click round trip is covered by the browser tests.
"""

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
from planner.paths import default_geodata_dir
from tests.factories import XSS, write_html_named_town
from tests.testdata import TINY_TOWN_DIR

APP = Path(__file__).resolve().parent.parent / "app.py"
PAGES = ("overview", "map", "gaps", "facilities", "sources")


def _app(folder: Path | None = None, **state: Any) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    if folder is not None:
        at.session_state["town_dir"] = str(folder)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def _goto(at: AppTest, page: str) -> AppTest:
    at.session_state["goto_page"] = page
    at.run()
    assert not at.exception, at.exception
    return at


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _texts(at: AppTest) -> list[str]:
    """Every text the page shows: titles, markdown, captions, alerts, metrics, table cells."""
    texts = [
        _unescape(str(e.value))
        for kind in (
            "title",
            "subheader",
            "markdown",
            "caption",
            "info",
            "error",
            "success",
            "warning",
        )
        for e in getattr(at, kind)
    ]
    texts += [f"{m.label} {m.value}" for m in at.metric]
    for frame in at.dataframe:
        value = frame.value
        texts += [str(c) for c in value.columns]
        texts += [str(v) for v in value.astype(str).to_numpy().ravel()]
    return texts


def _map_args(at: AppTest) -> dict[str, Any]:
    components = at.get("component_instance")
    assert len(components) == 1
    proto = components[0].proto
    assert proto.component_name == "streamlit_folium.st_folium"
    args: dict[str, Any] = json.loads(proto.json_args)
    # The live map: the base map's script, then the analysis layers evaluated into it.
    args["base_script"] = args["script"]
    args["script"] = "\n".join(
        args[part] or "" for part in ("base_script", "feature_group", "layer_control")
    )
    return args


@pytest.fixture
def tiny_dir(tmp_path: Path) -> Path:
    target = tmp_path / "tiny"
    shutil.copytree(TINY_TOWN_DIR, target)
    return target


@pytest.mark.slow
def test_gusev_smoke_overview_and_map():
    at = _app()
    assert "Gusev" in at.title[0].value
    assert not at.error
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Population"] == "28,600"
    assert metrics["Facilities"] == "40"
    # The default service is the kindergarten: its card shows the places short, in places.
    assert "Shortfall, places" in metrics
    _goto(at, "map")
    args = _map_args(at)
    assert all(link.startswith("/app/static/") for link in args["js_links"] + args["css_links"])
    assert "Gap zones" in args["script"]
    assert "Walking catchments (500 m)" in args["script"]


def test_every_page_renders_the_tiny_town(tiny_dir: Path):
    at = _app(tiny_dir)
    seen = []
    for page in PAGES:
        _goto(at, page)
        assert not at.error, [e.value for e in at.error]
        seen.append(at.title[0].value)
    assert seen == [
        "Overview · Tiny",
        "Map · Tiny",
        "Gaps: what is missing, where, and how much · Tiny",
        "Facilities · Tiny",
        "Data & sources · Tiny",
    ]


def test_service_switch_changes_the_cards_and_map(tiny_dir: Path):
    at = _app(tiny_dir)
    cards = [m.value for m in at.metric]
    at.selectbox(key="service").set_value("school").run()
    assert [m.value for m in at.metric] != cards
    at.selectbox(key="service").set_value("__all__").run()
    # One card per analysed service, three metrics each, plus the four headline metrics.
    assert len(at.metric) == 4 + 3 * 6
    _goto(at, "map")
    assert "Walking catchments" not in _map_args(at)["script"]
    at.selectbox(key="service").set_value("kindergarten").run()
    script = _map_args(at)["script"]
    assert "Walking catchments (500 m)" in script
    at.segmented_control(key="map_view").set_value("radius").run()
    script = _map_args(at)["script"]
    assert "Normative radius (500 m)" in script
    assert "Walking catchments" not in script


def test_district_filter_changes_the_figures(tiny_dir: Path):
    at = _app(tiny_dir)
    assert at.metric[0].value == "1,000"
    at.selectbox(key="district").set_value("west").run()
    assert at.metric[0].value == "400"  # R1 100 + R3 300
    assert any("District: West" in s.value for s in at.subheader)
    _goto(at, "facilities")
    assert not at.exception


def test_pace_changes_walking_times_not_distances(tiny_dir: Path):
    at = _app(tiny_dir)
    table = at.dataframe[0].value.set_index("Service")
    at.radio(key="pace").set_value("elderly").run()
    slow = at.dataframe[0].value.set_index("Service")
    kg = "Kindergarten"
    median = "Median walk (min)"
    adult_min = table[median].astype(float)[kg]
    assert slow[median].astype(float)[kg] == pytest.approx(adult_min * 1.5)
    network = "Within walk (network)"
    assert slow[network].astype(float)[kg] == table[network].astype(float)[kg]


def test_language_switch_translates_every_page(tiny_dir: Path):
    at = _app(tiny_dir, lang="ru")
    for page in PAGES:
        _goto(at, page)
        texts = _texts(at)
        joined = "\n".join(texts)
        assert "Крошечный" in at.title[0].value
        # No raw i18n key and none of the English page words on a Russian page.
        assert not re.search(r"\b(page|col|side|map|ov|gaps|fac|src|ex|status)\.[a-z_]+", joined)
        for english in ("Residents", "Service", "District", "Shortfall", "Provenance"):
            assert english not in texts, (page, english)
    at.selectbox(key="service").set_value("__all__").run()
    _goto(at, "facilities")
    names = set(at.dataframe[0].value["Название"])
    assert names == {"Школа 1", "Детский сад 2"}


def test_language_switch_and_pages_do_not_recompute(tiny_dir: Path, monkeypatch):
    import ui.state

    calls: list[tuple[Any, ...]] = []
    real = ui.state.analyze_town  # type: ignore[attr-defined]

    def counting(*args: Any, **kwargs: Any):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(ui.state, "analyze_town", counting)
    ui.state.get_analysis.clear()
    at = _app(tiny_dir)
    assert len(calls) == 1
    at.radio(key="lang").set_value("ru").run()
    _goto(at, "map")
    at.segmented_control(key="map_view").set_value("disagree").run()
    at.selectbox(key="service").set_value("school").run()
    at.selectbox(key="district").set_value("east").run()
    _goto(at, "gaps")
    assert len(calls) == 1
    at.radio(key="pace").set_value("elderly").run()
    assert len(calls) == 2


def test_gap_row_zooms_the_map(tiny_dir: Path):
    at = _app(tiny_dir)
    _goto(at, "gaps")
    zone = str(at.selectbox(key="gap_zone_pick").value)
    at.button(key="show_on_map").click().run()
    assert not at.exception
    assert at.title[0].value.startswith("Map")
    assert any(zone in _unescape(i.value) for i in at.info)
    default = _map_args(_app(tiny_dir, goto_page="map"))["script"]
    focused = _map_args(at)["script"]
    bounds = re.findall(r"fitBounds\(\s*(\[\[.*?\]\])", focused, re.S)
    assert bounds
    assert bounds != re.findall(r"fitBounds\(\s*(\[\[.*?\]\])", default, re.S)
    at.button(key="clear_focus").click().run()
    assert not any(zone in _unescape(i.value) for i in at.info)


def test_broken_town_shows_every_issue_and_the_sidebar_still_works(tiny_dir: Path):
    facilities = tiny_dir / "facilities.geojson"
    data = json.loads(facilities.read_text(encoding="utf-8"))
    data["features"][1]["properties"]["id"] = data["features"][0]["properties"]["id"]
    data["features"][0]["properties"]["service"] = "spaceport_*_$x$"
    facilities.write_text(json.dumps(data), encoding="utf-8")
    _, issues = check_town(tiny_dir, norms=load_norms())
    errors = [issue for issue in issues if issue.severity == "error"]
    assert len(errors) >= 2
    at = _app(tiny_dir)
    for page in PAGES:
        _goto(at, page)
        assert len(at.error) == 1
        shown = _unescape(at.error[0].value)
        assert f"{len(errors)} error(s)" in shown
        for issue in issues:
            assert str(issue) in shown
    # The sidebar keeps working: language, service and a good folder.
    at.radio(key="lang").set_value("ru").run()
    assert "ошибок" in at.error[0].value
    at.text_input(key="town_dir").set_value(str(TINY_TOWN_DIR)).run()
    assert not at.error
    assert at.title[0].value.startswith("Данные")


def test_a_town_name_works_in_the_folder_box(tmp_path: Path, monkeypatch):
    shutil.copytree(TINY_TOWN_DIR, tmp_path / "geodata" / "tinyville")
    monkeypatch.setenv("PLANNER_GEODATA", str(tmp_path / "geodata"))
    at = _app(Path("tinyville"))
    assert not at.error
    assert "Tiny" in at.title[0].value


def test_missing_folder_is_an_error_not_a_traceback(tmp_path: Path):
    at = _app(tmp_path / "nowhere")
    assert not at.exception
    assert "is not a folder" in _unescape(at.error[0].value)


def test_broken_norm_file_is_shown_and_the_app_recovers(tmp_path: Path, monkeypatch):
    geodata = tmp_path / "geodata"
    shutil.copytree(default_geodata_dir() / "norms", geodata / "norms")
    (geodata / "norms" / "broken.toml").write_text("key = 'broken'\n[services.x]\nradius_m = -1\n")
    monkeypatch.setenv("PLANNER_GEODATA", str(geodata))
    at = _app(TINY_TOWN_DIR)
    assert "broken" in at.selectbox(key="norm_set").options
    at.selectbox(key="norm_set").set_value("broken").run()
    assert not at.exception
    assert at.error
    assert at.selectbox(key="norm_set")  # still there
    at.selectbox(key="norm_set").set_value("sp42_small_town").run()
    assert not at.error
    assert at.metric


def test_facility_name_is_text_on_every_page(tiny_dir: Path):
    """A facility, the town and a district named like an HTML tag show as that text."""
    write_html_named_town(tiny_dir)
    at = _app(tiny_dir)
    for page in PAGES:
        _goto(at, page)
        assert not at.error, [e.value for e in at.error]
        assert XSS in _unescape(at.title[0].value)
        for element in (*at.title, *at.markdown, *at.caption):
            # Markdown shows it literally: every < and > is escaped.
            assert not re.search(r"(?<!\\)<img", element.value), element.value
    at.selectbox(key="service").set_value("__all__").run()
    _goto(at, "facilities")
    table = at.dataframe[0].value
    assert set(table["Name"]) == {XSS}
    assert set(table["Address"]) == {XSS}
    _goto(at, "map")
    script = _map_args(at)["script"]
    assert "&lt;img src=x onerror=alert(1)&gt;" in script
    assert XSS not in script


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_overview_counts_poor_services_by_status_key(tiny_dir: Path, lang: str):
    from planner.analysis import analyze_town
    from planner.figures import summary_table
    from planner.io import load_town

    norms = load_norms()
    statuses = summary_table(analyze_town(load_town(tiny_dir, norms=norms), norms))["status"]
    at = _app(tiny_dir, lang=lang)
    poor = at.metric[3]
    assert poor.value == f"{int((statuses == 'poor').sum())} / {len(statuses)}"


def test_the_towns_default_norm_set_is_the_dashboards_default(tiny_dir: Path):
    toml = tiny_dir / "town.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(
        text.replace('default_norms = "sp42_small_town"', 'default_norms = "fifteen_minute_city"'),
        encoding="utf-8",
    )
    at = _app(tiny_dir)
    assert at.session_state["norm_set"] == "fifteen_minute_city"
    # The user's choice then stands for this folder.
    at.selectbox(key="norm_set").set_value("sp42_small_town").run()
    assert not at.exception
    assert at.session_state["norm_set"] == "sp42_small_town"
