"""The dashboard in a real headless Chromium: pages, the offline map, clicks, languages.

One Streamlit server (the bundled Gusev town) and one browser page for the module, in order:
the overview, the map draws its layers, a click on a residential block explains it, the pages
switch, the language switches (escaping: test_browser_escaping.py).
Screenshots go to test-artifacts/ (git-ignored) and the README's ones to docs/.
A missing /usr/bin/chromium fails (it is part of the normal test run).
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Frame, Locator, Page, expect

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


def lonlat_of_block(town: Town, unit_id: str) -> tuple[float, float]:
    """Return the lon/lat of a block's representative point (surely inside it)."""
    import geopandas as gpd

    from planner.crs import to_display_crs

    res = town.residential
    rep = res[res["id"] == unit_id].representative_point()
    point = to_display_crs(gpd.GeoDataFrame(geometry=rep, crs=res.crs)).geometry.iloc[0]
    return float(point.x), float(point.y)


def block_point(page: Page, town: Town, unit_id: str) -> tuple[float, float] | None:
    """Return where Leaflet draws a block's point, or ``None`` if a control or label covers it.

    A layer drawn over the block (a gap zone, a street) lets the click reach the map, which
    finds the block under the point; a control (the legend), a label or a facility (its popup
    opens) would not.
    """
    frame = map_frame(page)
    lon, lat = lonlat_of_block(town, unit_id)
    xy = frame.evaluate(
        "([lat, lon]) => { const p = map_div.latLngToContainerPoint([lat, lon]);"
        " const box = map_div.getContainer().getBoundingClientRect();"
        " const hit = document.elementFromPoint(box.left + p.x, box.top + p.y);"
        " const free = hit !== null && hit.closest('.leaflet-map-pane') !== null"
        "   && hit.closest('.leaflet-tooltip-pane, .leaflet-marker-pane, .leaflet-popup-pane,"
        "     .leaflet-planner-facilities-pane') === null;"
        " return free ? [p.x, p.y] : null; }",
        [lat, lon],
    )
    return None if xy is None else (float(xy[0]), float(xy[1]))


def click_block(page: Page, town: Town, unit_id: str) -> None:
    """Click a block where Leaflet draws it: its point through ``latLngToContainerPoint``."""
    xy = block_point(page, town, unit_id)
    assert xy is not None, f"{unit_id} is covered or off the map"
    container = page.locator(MAP_IFRAME).last.content_frame.locator(".leaflet-container")
    container.click(position={"x": xy[0], "y": xy[1]})


# The largest blocks (easy to hit at phone size too), in several districts.
LARGE_BLOCKS = ("res-0223", "res-0247", "res-0264", "res-0166", "res-0165", "res-0124")
SIZES = ((1440, 1000), (1366, 768), (390, 844))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_click_explains_the_block_under_it(
    dashboard: Dashboard, size: tuple[int, int], tmp_path: Path
):
    page = dashboard.page
    page.set_viewport_size({"width": size[0], "height": size[1]})
    # A map loaded at this size, as a user opens it (the view is fitted when it is created).
    page.goto(f"{dashboard.base_url}/map")
    frame = map_frame(page)
    _assert_town_fills_the_map(frame, dashboard.town)
    # Each size clicks another block, free on the map (no legend or label over it), so an
    # explanation left from an earlier click cannot pass.
    done = {k.split("@")[1] for k in dashboard.timings_s if k.startswith("click@")}
    unit = next(u for u in LARGE_BLOCKS if u not in done and block_point(page, dashboard.town, u))
    start = time.perf_counter()
    click_block(page, dashboard.town, unit)
    explanation = page.get_by_role("heading", name=f"Block {unit}")
    expect(explanation).to_be_visible(timeout=20_000)
    dashboard.timings_s[f"click@{unit}"] = time.perf_counter() - start
    expect(page.get_by_text("Nearest facility").first).to_be_visible()
    expect(page.locator("[data-testid='stAlertContentInfo']").last).to_contain_text(f"Block {unit}")
    # The block stays selected on the map, with its walk and its straight line labelled.
    labels = map_frame(page).locator(".leaflet-tooltip-pane .leaflet-tooltip")
    expect(labels.filter(has_text="m on foot")).to_have_count(1)
    expect(labels.filter(has_text="m straight")).to_have_count(1)
    expect(page).to_have_url(re.compile(f"block={unit}"))
    save_screenshot(page, f"dashboard-click-{size[0]}.png", tmp_path)
    page.set_viewport_size({"width": 1440, "height": 1000})


def _assert_town_fills_the_map(frame: Frame, town: Town) -> None:
    from planner.maps.base import display_bounds

    (south, west), (north, east) = display_bounds(town)
    box = frame.evaluate(
        "([s, w, n, e]) => { const a = map_div.latLngToContainerPoint([n, w]);"
        " const b = map_div.latLngToContainerPoint([s, e]); const size = map_div.getSize();"
        " const legend = document.querySelector('.planner-legend details[open]');"
        " const c = map_div.getContainer().getBoundingClientRect();"
        " const beside = legend ? legend.getBoundingClientRect().right - c.left : 0;"
        " return [a.x, a.y, b.x, b.y, size.x, size.y, beside]; }",
        [south, west, north, east],
    )
    left, top, right, bottom, width, height, beside = box
    assert left >= -1, box
    assert top >= -1, box
    assert right <= width + 1, box
    assert bottom <= height + 1, box
    # As large as the map's shape allows along one side, beside an open legend (the view's
    # zoom moves in quarter steps, so up to 16 % short of it).
    assert max((right - left) / (width - beside), (bottom - top) / height) >= 0.75, box


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


SCHOOL_RU = "Общеобразовательная школа"


def _service_select(page: Page, label: str) -> Locator:
    return page.locator("[data-testid='stSidebar']").get_by_role("combobox", name=label)


def _select(page: Page, label: str, option: str) -> None:
    page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").filter(
        has_text=label
    ).click()
    page.get_by_role("option", name=option, exact=True).click()


def test_choices_survive_a_language_switch_and_a_link(dashboard: Dashboard, tmp_path: Path):
    page = dashboard.page
    goto_page(page, "Map", "Map")
    _select(page, "Service", "School")
    map_frame(page, "School")
    page.get_by_text("elderly / small children", exact=False).click()
    page.get_by_text("normative radius", exact=True).click()
    map_frame(page, "Residential blocks: normative radius")
    unit = next(u for u in LARGE_BLOCKS if block_point(page, dashboard.town, u))
    click_block(page, dashboard.town, unit)
    expect(page.get_by_role("heading", name=f"Block {unit}")).to_be_visible(timeout=20_000)
    page.get_by_text("Русский", exact=True).click()
    expect(page.locator("h1").first).to_contain_text("Карта", timeout=20_000)
    school = _service_select(page, "Услуга")
    expect(school).to_have_value(SCHOOL_RU)
    expect(page.get_by_role("heading", name=f"Квартал {unit}")).to_be_visible()
    # The next interaction must not reset anything: switch the compare view.
    page.get_by_text("пешеходная сеть", exact=True).click()
    map_frame(page, "Легенда")
    expect(school).to_have_value(SCHOOL_RU)
    sidebar = page.locator("[data-testid='stSidebar']")
    expect(sidebar.get_by_role("radio").nth(3)).to_be_checked()  # elderly pace
    expect(page.get_by_role("heading", name=f"Квартал {unit}")).to_be_visible()
    for name in ("service=school", "pace=elderly", "view=network", f"block={unit}", "lang=ru"):
        expect(page).to_have_url(re.compile(name))
    link = page.url
    # The link opened in a fresh page shows the same view; the deep link makes no failed
    # request of ours (Streamlit's own probe of /map/_stcore/ is answered 404 by design).
    fresh = page.context.new_page()
    watch = PageWatch.watch(page.context, fresh, dashboard.base_url)
    fresh.goto(link)
    expect(fresh.locator("h1").first).to_contain_text("Карта", timeout=60_000)
    map_frame(fresh, "Легенда")
    expect(fresh.get_by_role("heading", name=f"Квартал {unit}")).to_be_visible(timeout=20_000)
    expect(_service_select(fresh, "Услуга")).to_have_value(SCHOOL_RU)
    expect(fresh.locator("[data-testid='stSidebar']").get_by_role("radio").nth(3)).to_be_checked()
    assert watch.page_errors == []
    assert watch.unexpected_failures() == []
    fresh.close()
    page.get_by_text("English", exact=True).click()
    expect(page.locator("h1").first).to_contain_text("Map", timeout=20_000)


def test_offline_and_no_errors(dashboard: Dashboard):
    watch = dashboard.watch
    dashboard.page.wait_for_timeout(300)
    assert watch.page_errors == []
    assert watch.foreign_requests() == []
    assert watch.unexpected_failures() == []
    assert any("/app/static/vendor/leaflet/leaflet.js" in url for url in watch.requests)
    print(f"timings: {dashboard.timings_s}")
