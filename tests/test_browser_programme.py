"""The Programme and Proposals pages in a real browser: hostile text shown as text, a click on
the map places a proposal, and screenshots at desktop and phone sizes in both languages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Dialog, Locator, Page, expect

from planner.participation.proposals import Proposal
from planner.participation.store import ProposalStore
from planner.paths import default_geodata_dir
from tests.browser_support import chromium_context, require_chromium, streamlit_server
from tests.factories import X0, XSS, Y0
from tests.test_browser import goto_page, map_frame, save_screenshot
from tests.testdata import TINY_TOWN_DIR

pytestmark = [pytest.mark.browser, pytest.mark.slow]

EVENTS = (
    "id,venue,title,category,audience,start,duration_min,rrule,exdate,rdate,capacity,price,"
    "provenance,source\n"
    'choir,F1,Choir,workshop,children,2026-10-01T16:00,90,"FREQ=WEEKLY;BYDAY=TU,TH",,,20,free,'
    "illustrative,test\n"
)


def _geodata(folder: Path) -> Path:
    town = folder / "gusev"  # the default town folder name under PLANNER_GEODATA
    shutil.copytree(TINY_TOWN_DIR, town)
    shutil.copytree(default_geodata_dir() / "norms", folder / "norms")
    with (town / "town.toml").open("a", encoding="utf-8") as toml:
        toml.write('timezone = "Europe/Kaliningrad"\n')
    (town / "events.csv").write_text(EVENTS, encoding="utf-8")
    return folder


def _lonlat(x: float, y: float) -> tuple[float, float]:
    from pyproj import Transformer

    lon, lat = Transformer.from_crs("EPSG:32634", "EPSG:4326", always_xy=True).transform(
        X0 + x, Y0 + y
    )
    return float(lon), float(lat)


def _markdown(page: Page, text: str) -> Locator:
    """The first Markdown block showing ``text`` (table cells are drawn on a canvas)."""
    return page.locator("[data-testid='stMarkdownContainer']").filter(has_text=text).first


def test_proposals_and_programme_in_a_browser(tmp_path: Path):
    require_chromium()
    geodata = _geodata(tmp_path / "geodata")
    data_home = tmp_path / "data"
    db = data_home / "gusev-planner" / "scenarios.sqlite"
    ProposalStore(db).add(
        [Proposal("p1", *_lonlat(50, 150), "school", XSS, "2026-10-01", "", 3, town="Tiny")]
    )
    dialogs: list[str] = []
    env = {"PLANNER_GEODATA": str(geodata), "XDG_DATA_HOME": str(data_home)}
    with (
        streamlit_server(tmp_path / "server.log", env=env) as url,
        chromium_context(viewport=(1366, 768)) as context,
    ):
        page = context.new_page()

        def on_dialog(dialog: Dialog) -> None:
            dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.goto(url)
        goto_page(page, "Proposals", "Proposals")
        frame = map_frame(page, "Residents' proposals")
        expect(_markdown(page, XSS)).to_be_visible(timeout=30_000)
        assert page.locator("img[src='x']").count() == 0
        marker = frame.locator("path.leaflet-interactive").last
        marker.hover()
        expect(frame.locator(".leaflet-tooltip")).to_contain_text(XSS)
        assert frame.locator("img[src='x']").count() == 0
        # A click inside the town places a new proposal there.
        lon, lat = _lonlat(150, 50)
        # Scroll the map into view first, so the click does not move it after aiming.
        frame.locator(".leaflet-container").scroll_into_view_if_needed()
        page.wait_for_timeout(1500)
        xy = frame.evaluate(
            "([lat, lon]) => { const p = map_div.latLngToContainerPoint([lat, lon]);"
            " return [p.x, p.y]; }",
            [lat, lon],
        )
        frame.locator(".leaflet-container").click(position={"x": xy[0], "y": xy[1]})
        expect(page.get_by_text("Point:").first).to_be_visible(timeout=20_000)
        page.get_by_role("textbox", name="Proposal").fill(f"A park bench {XSS}")
        page.get_by_role("button", name="Add proposal").click()
        expect(page.get_by_text("added.").first).to_be_visible(timeout=20_000)
        stored = ProposalStore(db).all()
        assert len(stored) == 2
        new = next(p for p in stored if p.id != "p1")
        assert new.text == f"A park bench {XSS}"
        assert abs(new.lon - lon) < 1e-4
        assert abs(new.lat - lat) < 1e-4
        save_screenshot(page, "proposals-1366-en.png", tmp_path)
        goto_page(page, "Programme", "Programme")
        map_frame(page, "Venues")
        save_screenshot(page, "programme-1366-en.png", tmp_path)
        page.set_viewport_size({"width": 390, "height": 844})
        page.wait_for_timeout(1500)
        save_screenshot(page, "programme-390-en.png", tmp_path)
        page.set_viewport_size({"width": 1366, "height": 768})
        page.get_by_text("Русский").click()
        expect(page.locator("h1").first).to_contain_text("Афиша", timeout=30_000)
        map_frame(page, "Площадки")
        save_screenshot(page, "programme-1366-ru.png", tmp_path)
        goto_page(page, "Предложения", "Предложения")
        map_frame(page, "Предложения жителей")
        expect(_markdown(page, XSS)).to_be_visible(timeout=30_000)
        save_screenshot(page, "proposals-1366-ru.png", tmp_path)
        page.set_viewport_size({"width": 390, "height": 844})
        page.wait_for_timeout(1500)
        save_screenshot(page, "proposals-390-ru.png", tmp_path)
        assert page.locator("img[src='x']").count() == 0
    assert dialogs == []
