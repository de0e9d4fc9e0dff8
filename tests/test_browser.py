"""The dashboard in a real headless Chromium: pages, the offline map, clicks, languages.

One Streamlit server (the bundled Gusev town) and one browser page for the module, in order:
the overview, the map draws its layers, a click on a residential block explains it, the pages
switch, the language switches (escaping: test_browser_escaping.py).
Screenshots go to test-artifacts/ (git-ignored) and the README's ones to docs/.
A missing /usr/bin/chromium fails (it is part of the normal test run).
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Frame, Page, expect

from planner.model import Town
from planner.paths import PROJECT_ROOT
from tests.browser_support import (
    MAP_IFRAME,
    ChromiumMissingError,
    PageWatch,
    broken_images,
    chromium_context,
    require_chromium,
    save_artifact,
    streamlit_server,
    wait_for_map,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DOCS = PROJECT_ROOT / "docs"
MAX_DOC_PNG_BYTES = 400_000


@dataclass
class Dashboard:
    town: Town
    page: Page
    watch: PageWatch
    base_url: str
    timings_s: dict[str, float] = field(default_factory=dict)


def save_screenshot(page: Page, name: str, tmp_path: Path, *, docs: bool = False) -> Path:
    """Screenshot the viewport to test-artifacts/.

    With ``docs=True`` and ``PLANNER_UPDATE_DOCS=1`` in the environment, the README's copy in
    docs/ is refreshed too (shrunk below 400 KB if needed); an ordinary run leaves the tracked
    files alone.
    """
    shot = tmp_path / name
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 20_000  # not blank
    artifact = save_artifact(shot)
    if docs and os.environ.get("PLANNER_UPDATE_DOCS") == "1":
        target = DOCS / name
        shutil.copyfile(artifact, target)
        if target.stat().st_size > MAX_DOC_PNG_BYTES:
            from PIL import Image

            with Image.open(target) as image:
                image.convert("RGB").quantize(colors=192).save(target, optimize=True)
        assert target.stat().st_size < MAX_DOC_PNG_BYTES
    return artifact


def goto_page(page: Page, link: str, title: str) -> None:
    """Click a navigation link and wait for the page title."""
    page.get_by_role("link", name=link, exact=False).first.click()
    expect(page.locator("h1").first).to_contain_text(title, timeout=20_000)


def map_frame(page: Page, legend_text: str = "", timeout_s: float = 20.0) -> Frame:
    """Return the map's frame once its legend is drawn (and contains ``legend_text``).

    A changed map (another service or language) may replace the st_folium iframe, so the
    legend is awaited through a frame locator and the live (attached) frame returned.
    """
    wait_for_map(page)
    # While a map is replaced, the old iframe lingers next to the new one: take the last.
    iframe = page.locator(MAP_IFRAME).last
    legend = iframe.content_frame.locator(".planner-legend")
    expect(legend).to_contain_text(legend_text, timeout=timeout_s * 1000)
    frame = iframe.element_handle().content_frame()
    assert frame is not None
    return frame


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory, gusev_town: Town) -> Iterator[Dashboard]:
    try:
        require_chromium()
    except ChromiumMissingError as err:
        pytest.fail(str(err))
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    with (
        streamlit_server(log) as base_url,
        chromium_context(viewport=(1440, 1000)) as context,
    ):
        page = context.new_page()
        watch = PageWatch.watch(context, page, base_url)
        start = time.perf_counter()
        page.goto(base_url)
        expect(page.locator("h1").first).to_contain_text("Overview", timeout=60_000)
        board = Dashboard(gusev_town, page, watch, base_url)
        board.timings_s["overview"] = time.perf_counter() - start
        yield board


def test_overview_shows_scorecard(dashboard: Dashboard, tmp_path: Path):
    page = dashboard.page
    expect(page.get_by_test_id("stMetricValue").first).to_have_text("28,600")
    expect(page.get_by_text("Scorecard")).to_be_visible()
    page.wait_for_selector("[data-testid='stVegaLiteChart'] canvas, .vega-embed", timeout=20_000)
    save_screenshot(page, "dashboard-overview.png", tmp_path, docs=True)


def test_map_draws_its_layers(dashboard: Dashboard, tmp_path: Path):
    page = dashboard.page
    start = time.perf_counter()
    goto_page(page, "Map", "Map")
    frame = map_frame(page)
    dashboard.timings_s["map"] = time.perf_counter() - start
    blocks = len(dashboard.town.residential)
    paths = frame.locator("path.leaflet-interactive")
    expect(paths.nth(blocks)).to_be_attached(timeout=15_000)  # blocks + lines + markers...
    legend = frame.locator(".planner-legend")
    expect(legend).to_contain_text("Residential blocks: walking network")
    expect(legend).to_contain_text("Walking catchments (500 m)")
    expect(legend).to_contain_text("Gap zones")
    expect(legend).to_contain_text("size: capacity; colour: load")
    overlays = frame.locator(".leaflet-control-layers-overlays label")
    names = [overlays.nth(i).inner_text().strip() for i in range(overlays.count())]
    assert "Gap zones" in names
    assert "Kindergarten" in names
    assert any(n.startswith("Walking catchments") for n in names)
    attribution = frame.locator(".leaflet-control-attribution")
    expect(attribution).to_contain_text("© OpenStreetMap contributors")
    assert broken_images(frame) == []
    save_screenshot(page, "dashboard.png", tmp_path, docs=True)


def test_clicking_a_block_explains_it(dashboard: Dashboard):
    page = dashboard.page
    frame = map_frame(page)
    res = dashboard.town.residential
    # The most populous block: large enough to hit, and surely drawn.
    row = res.loc[res["population"].idxmax()]
    import geopandas as gpd

    from planner.crs import to_display_crs

    rep = res.loc[[row.name]].representative_point()
    point = to_display_crs(gpd.GeoDataFrame(geometry=rep, crs=res.crs))
    lon, lat = point.geometry.iloc[0].x, point.geometry.iloc[0].y
    xy = frame.evaluate(
        "([lat, lon]) => { const p = map_div.latLngToContainerPoint([lat, lon]);"
        " return [p.x, p.y]; }",
        [lat, lon],
    )
    start = time.perf_counter()
    frame.locator(".leaflet-container").click(position={"x": xy[0], "y": xy[1]})
    explanation = page.get_by_role("heading", name=f"Block {row['id']}")
    expect(explanation).to_be_visible(timeout=20_000)
    dashboard.timings_s["click_to_explanation"] = time.perf_counter() - start
    expect(page.get_by_text("Nearest facility").first).to_be_visible()
    expect(page.locator("[data-testid='stAlertContentInfo']").last).to_contain_text(
        f"Block {row['id']}"
    )


def test_pages_switch(dashboard: Dashboard, tmp_path: Path):
    page = dashboard.page
    goto_page(page, "Gaps", "Gaps")
    expect(page.get_by_text("Gap zones, largest first")).to_be_visible()
    save_screenshot(page, "dashboard-gaps.png", tmp_path, docs=True)
    goto_page(page, "Facilities", "Facilities")
    expect(page.get_by_text("Real objects only")).to_be_visible()
    save_screenshot(page, "dashboard-facilities.png", tmp_path, docs=True)
    goto_page(page, "Data & sources", "Data & sources")
    expect(page.get_by_text("Open Database Licence")).to_be_visible()
    save_screenshot(page, "dashboard-sources.png", tmp_path, docs=True)
    # "Show on map" from the gaps page zooms the map to the zone.
    goto_page(page, "Gaps", "Gaps")
    page.get_by_role("button", name="Show on map").click()
    expect(page.locator("h1").first).to_contain_text("Map", timeout=20_000)
    expect(page.get_by_text("Zoomed to kindergarten-gap-1")).to_be_visible()
    page.get_by_role("button", name="Show the whole town").click()
    expect(page.get_by_text("Zoomed to")).to_have_count(0, timeout=20_000)


def test_language_switch_shows_russian(dashboard: Dashboard, tmp_path: Path):
    page = dashboard.page
    start = time.perf_counter()
    page.get_by_text("Русский", exact=True).click()
    expect(page.locator("h1").first).to_contain_text("Карта · Гусев", timeout=20_000)
    frame = map_frame(page, "Легенда")
    legend = frame.locator(".planner-legend")
    expect(legend).to_contain_text("Зоны дефицита")
    dashboard.timings_s["language_switch"] = time.perf_counter() - start
    expect(page.get_by_role("link", name="Дефициты")).to_be_visible()
    save_screenshot(page, "dashboard-ru.png", tmp_path, docs=True)
    goto_page(page, "Обзор", "Обзор")
    expect(page.get_by_text("Показатели по услугам")).to_be_visible()
    page.get_by_text("English", exact=True).click()
    expect(page.locator("h1").first).to_contain_text("Overview", timeout=20_000)


def test_offline_and_no_errors(dashboard: Dashboard):
    watch = dashboard.watch
    dashboard.page.wait_for_timeout(300)
    assert watch.page_errors == []
    assert watch.foreign_requests() == []
    assert watch.failed == []
    assert any("/app/static/vendor/leaflet/leaflet.js" in url for url in watch.requests)
    print(f"timings: {dashboard.timings_s}")
