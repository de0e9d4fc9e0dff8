"""The Scenarios page in a real browser: a click on the map places a kindergarten and the
figures change by the hand-computed amount; screenshots at desktop and phone sizes in both
languages (test-artifacts/, and docs/ with PLANNER_UPDATE_DOCS=1)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from benchmarks.synthetic_town import write_town
from planner.paths import default_geodata_dir
from tests.browser_support import (
    MAP_IFRAME,
    chromium_context,
    require_chromium,
    streamlit_server,
)
from tests.scenario_towns import line_town, lonlat
from tests.test_browser import goto_page, map_frame, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

HOMES = {"h1": 1000.0, "h2": 1200.0, "h3": 1400.0, "h4": 1600.0, "h5": 1900.0}


def _geodata(folder: Path) -> Path:
    town = line_town(HOMES, [("s1", 0.0, 2000.0)], [("k0", 0.0, 1000.0)])
    write_town(town, folder / "gusev")  # the default town folder name under PLANNER_GEODATA
    shutil.copytree(default_geodata_dir() / "norms", folder / "norms")
    return folder


def _metric(page: Page, label: str):
    return page.get_by_test_id("stMetric").filter(has_text=label).get_by_test_id("stMetricValue")


def test_clicking_the_map_places_a_kindergarten_and_the_figures_change(tmp_path: Path):
    require_chromium()
    env = {
        "PLANNER_GEODATA": str(_geodata(tmp_path / "geodata")),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    with (
        streamlit_server(tmp_path / "server.log", env=env) as url,
        chromium_context(viewport=(1366, 768)) as context,
    ):
        page = context.new_page()
        page.goto(url)
        goto_page(page, "Scenarios", "Scenarios")
        frame = map_frame(page, "Homes: Kindergarten")
        expect(_metric(page, "Places served within norm")).to_have_text("0", timeout=20_000)
        lon, lat = lonlat(1300.0, 0.0)
        # The map's lower part starts below the fold; scroll it into view first, then click
        # at the page position of the point (a click with a position inside an iframe that
        # must scroll first lands where the element was before scrolling).
        page.locator(MAP_IFRAME).last.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        xy = frame.evaluate(
            "([lat, lon]) => { const p = map_div.latLngToContainerPoint([lat, lon]);"
            " return [p.x, p.y]; }",
            [lat, lon],
        )
        box = frame.locator(".leaflet-container").bounding_box()
        assert box is not None
        page.mouse.click(box["x"] + xy[0], box["y"] + xy[1])
        longitude = page.get_by_role("spinbutton", name="Longitude")
        expect(longitude).not_to_have_value("", timeout=20_000)
        assert float(longitude.input_value()) == pytest.approx(lon, abs=2e-4)
        page.get_by_role("spinbutton", name="Capacity").fill("320")
        page.get_by_role("button", name="Add a facility at the point").click()
        # 4 homes × 51 places come within 500 m of x = 1,300 (the fifth is 610 m away; it is
        # served beyond the norm: 5 × 51 = 255 places fit in 320).
        expect(_metric(page, "Places served within norm")).to_have_text("204", timeout=30_000)
        expect(_metric(page, "Homes gaining / losing")).to_have_text("4 / 0")
        frame = map_frame(page, "gains")
        save_screenshot(page, "scenarios-en.png", tmp_path, docs=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.wait_for_timeout(1500)
        save_screenshot(page, "scenarios-en-phone.png", tmp_path)
        page.set_viewport_size({"width": 1366, "height": 768})
        page.get_by_text("Русский", exact=True).click()
        expect(page.locator("h1").first).to_contain_text("Сценарии", timeout=20_000)
        map_frame(page, "улучшение")
        save_screenshot(page, "scenarios-ru.png", tmp_path, docs=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.wait_for_timeout(1500)
        save_screenshot(page, "scenarios-ru-phone.png", tmp_path)
