"""The Scenarios page and the sidebar's "Town as" under AppTest, on a line town checked by hand.

The town (``tests.scenario_towns.line_town``): homes at x = 1000, 1200, 1400, 1600 and 1900 m
along one street, each with 51 kindergarten places of demand; the only kindergarten at x = 0 is
more than 500 m from all of them, so nothing is served within the norm today. A kindergarten of
1,000 places at x = 1300 is 310, 110, 110, 310 and 610 m away: four homes (4,000 residents,
4 × 51 = 204 places) come within the norm, the fifth stays beyond it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from benchmarks.synthetic_town import write_town
from planner.scenarios.store import ScenarioStore
from tests.scenario_towns import KG_PLACES_PER_HOME, line_town, lonlat
from tests.test_app import APP, _app, _goto, _texts

HOMES = {"h1": 1000.0, "h2": 1200.0, "h3": 1400.0, "h4": 1600.0, "h5": 1900.0}


@pytest.fixture
def town_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    town = line_town(HOMES, [("s1", 0.0, 2000.0)], [("k0", 0.0, 1000.0)])
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return write_town(town, tmp_path / "line")


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _edit_table(at: AppTest):
    return next(d.value for d in at.dataframe if "Id" in d.value.columns)


def _button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def _add_kindergarten(at: AppTest, x: float, capacity: float) -> AppTest:
    lon, lat = lonlat(x, 0.0)
    at.session_state["scen_lon"] = lon
    at.session_state["scen_lat"] = lat
    at.run()
    next(n for n in at.number_input if n.label == "Capacity").set_value(capacity)
    _button(at, "Add a facility at the point").click().run()
    assert not at.exception, at.exception
    return at


def test_adding_a_kindergarten_changes_the_figures_by_the_hand_computed_amount(town_dir: Path):
    at = _goto(_app(town_dir), "scenarios")
    assert not at.error, [e.value for e in at.error]
    before = _metrics(at)
    assert before["Places served within norm"] == "0"
    assert before["Residents within walk"] == "0"
    _add_kindergarten(at, 1300.0, 1000.0)
    assert not at.error, [e.value for e in at.error]
    after = _metrics(at)
    assert after["Places served within norm"] == f"{4 * KG_PLACES_PER_HOME:,.0f}"  # 204
    assert after["Residents within walk"] == "4,000"
    assert after["Homes gaining / losing"] == "4 / 0"
    edits = _edit_table(at)
    assert list(edits["Id"]) == ["new-kindergarten-1"]
    # Undo: back to today.
    _button(at, "Undo this edit").click().run()
    assert _metrics(at)["Places served within norm"] == "0"


def test_a_point_outside_the_town_is_refused_and_the_scenario_kept(town_dir: Path):
    at = _goto(_app(town_dir), "scenarios")
    _add_kindergarten(at, 1300.0, 1000.0)
    _add_kindergarten(at, 5000.0, 100.0)  # the boundary ends at x = 2,100
    errors = "\n".join(e.value for e in at.error)
    assert "The edit was not made" in errors
    assert "outside" in errors
    assert _metrics(at)["Places served within norm"] == "204"
    assert len(_edit_table(at)) == 1


def test_save_load_duplicate_delete(town_dir: Path):
    at = _goto(_app(town_dir), "scenarios")
    _add_kindergarten(at, 1300.0, 120.0)  # a small one: only its capacity is served
    assert _metrics(at)["Places served within norm"] == "120"
    at.text_input(key="scen_name").set_value("North kindergarten").run()
    _button(at, "Save").click().run()
    assert not at.error, [e.value for e in at.error]
    store = ScenarioStore()
    saved = store.get("North kindergarten")
    assert len(saved.scenario.edits) == 1
    assert saved.summary is not None
    assert saved.town_hash  # the data it was computed on
    # A new, empty scenario; then load the saved one back.
    _button(at, "New").click().run()
    assert _metrics(at)["Places served within norm"] == "0"
    at.selectbox(key="scen_choice").set_value("North kindergarten").run()
    _button(at, "Load").click().run()
    assert _metrics(at)["Places served within norm"] == "120"
    assert any("Loaded" in s.value for s in at.success)
    # Saving again under the loaded name replaces it; another scenario's name is refused.
    at.text_input(key="scen_copy_name").set_value("Copy").run()
    _button(at, "Duplicate").click().run()
    assert store.names() == ["Copy", "North kindergarten"]
    at.text_input(key="scen_name").set_value("copy").run()
    _button(at, "Save").click().run()
    assert any("already saved" in e.value for e in at.error)
    at.selectbox(key="scen_choice").set_value("Copy").run()
    _button(at, "Delete").click().run()
    assert store.names() == ["North kindergarten"]


def test_town_as_a_saved_scenario_feeds_the_other_pages(town_dir: Path):
    at = _goto(_app(town_dir), "scenarios")
    _add_kindergarten(at, 1300.0, 1000.0)
    at.text_input(key="scen_name").set_value("North kindergarten").run()
    _button(at, "Save").click().run()
    at.selectbox(key="town_as").set_value("North kindergarten").run()
    _goto(at, "facilities")
    assert not at.error, [e.value for e in at.error]
    assert any("scenario “North kindergarten”" in i.value for i in at.info)
    table = at.dataframe[0].value
    assert "new-kindergarten-1" in "\n".join(map(str, table.to_numpy().ravel()))
    at.selectbox(key="town_as").set_value("__today__").run()
    table = at.dataframe[0].value
    assert "new-kindergarten-1" not in "\n".join(map(str, table.to_numpy().ravel()))


def test_the_page_in_russian_shows_no_english(town_dir: Path):
    at = _goto(_app(town_dir, lang="ru"), "scenarios")
    lon, lat = lonlat(1300.0, 0.0)
    at.session_state["scen_lon"] = lon
    at.session_state["scen_lat"] = lat
    at.run()
    assert not at.error, [e.value for e in at.error]
    texts = _texts(at)
    joined = "\n".join(texts)
    assert at.title[0].value.startswith("Сценарии")
    assert not re.search(r"\b(scen|scenario)\.[a-z_.]+", joined)  # no bare keys
    labels = [w.label for kind in ("button", "selectbox", "number_input", "text_input", "tabs")
              for w in getattr(at, kind)]  # fmt: skip
    words = [re.sub(r"\S*/\S*", "", text) for text in [*texts, *labels]]  # file paths are data
    english = [text for text in words if re.search(r"\b(the|of|and|Add|Save|Load)\b", text)]
    assert english == []


EPOCH = "1769817600"  # 2026-01-31T00:00:00Z


@pytest.mark.slow
def test_technopolis_loads_and_its_report_download_is_the_cli_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    from planner.cli.main import main
    from planner.paths import default_town_dir

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    at = AppTest.from_file(str(APP), default_timeout=180)
    at.session_state["goto_page"] = "scenarios"
    at.run()
    at.selectbox(key="scen_choice").set_value("file:technopolis_gs").run()
    _button(at, "Load").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert len(_edit_table(at)) == 8
    # The README's Technopolis GS figures: kindergarten places within the norm 514 -> 538.
    assert _metrics(at)["Places served within norm"] == "538"
    at.selectbox(key="scenarios_format").set_value("pdf").run()
    at.button(key="scenarios_prepare").click().run()
    assert not at.error, [e.value for e in at.error]
    _choices, data, name = at.session_state["downloads_prepared"]
    assert name.endswith(".pdf")
    out = tmp_path / "cli.pdf"
    argv = ["export", str(default_town_dir()), "--service", "kindergarten", "--format", "pdf"]
    argv += ["--scenario", "technopolis_gs", "--out", str(out)]
    assert main(argv) == 0, capsys.readouterr().err
    assert data == out.read_bytes()


def test_the_optimiser_proposes_the_site_that_reaches_every_home_and_adds_it(town_dir: Path):
    at = _goto(_app(town_dir), "scenarios")
    next(n for n in at.number_input if n.label == "New facilities").set_value(1)
    _button(at, "Propose sites").click().run()
    assert not at.exception, at.exception
    sites = next(d.value for d in at.dataframe if "Site" in d.value.columns)
    # Candidates every 100 m along the street (x = 50, 150, ...): only x = 1,450 reaches all
    # five homes within 500 m (h1 and h5 at 450 + 10 m): 5 × 51 = 255 places; the smallest
    # standard size holding them is 320.
    assert len(sites) == 1
    assert sites.iloc[0]["Size"] == "320"
    assert sites.iloc[0]["Homes"] == 5
    _button(at, "Add these sites to the scenario").click().run()
    assert not at.error, [e.value for e in at.error]
    assert _metrics(at)["Places served within norm"] == f"{5 * KG_PLACES_PER_HOME:,.0f}"
    assert _metrics(at)["Homes gaining / losing"] == "5 / 0"
