"""The dashboard in a real headless Chromium: the offline map renders every layer it should.

One Streamlit server and one browser page for the module; each test checks one aspect of the
loaded page. A missing /usr/bin/chromium fails (it is part of the normal test run).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Frame, Page, expect

from planner.maps import service_label
from planner.model import Town
from planner.norms import NormSet, load_norms
from planner.summary import town_summary
from tests.browser_support import (
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

DRAWN_LAYERS = ("boundary", "districts", "residential", "streets", "water", "rail", "facilities")
"""Layers the map draws as SVG paths: one ``path.leaflet-interactive`` per non-empty feature."""


@dataclass
class Dashboard:
    town: Town
    norms: NormSet
    page: Page
    frame: Frame  # the st_folium iframe
    watch: PageWatch
    timings_s: dict[str, float]


def _features(town: Town, layer: str) -> int:
    geometry = town.layer(layer).geometry
    return int((geometry.notna() & ~geometry.is_empty).sum())


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory, gusev_town: Town) -> Iterator[Dashboard]:
    try:
        require_chromium()
    except ChromiumMissingError as err:
        pytest.fail(str(err))
    norms = load_norms()
    town = gusev_town  # the app shows the bundled town by default
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    timings: dict[str, float] = {}
    start = time.perf_counter()
    with streamlit_server(log) as base_url, chromium_context(viewport=(1400, 1100)) as context:
        timings["server_and_browser"] = time.perf_counter() - start
        page = context.new_page()
        watch = PageWatch.watch(context, page, base_url)
        start = time.perf_counter()
        page.goto(base_url)
        _, frame = wait_for_map(page)
        timings["map_visible"] = time.perf_counter() - start
        yield Dashboard(town, norms, page, frame, watch, timings)


def test_map_draws_every_feature(dashboard: Dashboard):
    frame = dashboard.frame
    expected_paths = sum(_features(dashboard.town, layer) for layer in DRAWN_LAYERS)
    assert expected_paths > 50  # polygons, lines and circle markers of a whole town
    paths = frame.locator("path.leaflet-interactive")
    expect(paths).to_have_count(expected_paths, timeout=15_000)
    # District names are DivIcon labels; no image markers (folium.Icon needs a CDN).
    expect(frame.locator(".planner-district-icon")).to_have_count(
        _features(dashboard.town, "districts")
    )
    circle_fills = frame.evaluate(
        "() => Array.from(document.querySelectorAll('path.leaflet-interactive'))"
        ".filter(p => (p.getAttribute('d') || '').includes('a7,7')).length"
    )
    assert circle_fills == _features(dashboard.town, "facilities")


def test_legend_lists_the_services_and_attribution_is_visible(dashboard: Dashboard):
    frame = dashboard.frame
    legend = frame.locator(".planner-legend")
    expect(legend).to_be_visible()
    services = set(dashboard.town.facilities["service"])
    shown = legend.locator(".planner-legend-service")
    expect(shown).to_have_count(len(services))
    assert {shown.nth(i).get_attribute("data-service") for i in range(len(services))} == services
    for key in services:
        expect(legend).to_contain_text(service_label(key, dashboard.norms, "en"))
    expect(legend).to_contain_text("Residents per hectare")

    attribution = frame.locator(".leaflet-control-attribution")
    expect(attribution).to_be_visible()
    expect(attribution).to_contain_text(dashboard.town.meta.attribution)
    expect(attribution).to_contain_text("© OpenStreetMap contributors")

    page = dashboard.page
    population = f"{town_summary(dashboard.town).population:,}"
    expect(page.get_by_test_id("stMetricValue").first).to_have_text(population)
    expect(page.get_by_text(dashboard.town.meta.attribution, exact=True)).to_be_visible()


def test_clicking_a_facility_opens_its_popup(dashboard: Dashboard):
    frame = dashboard.frame
    # Facilities are drawn last, so the last path is a facility's circle marker.
    # st_folium names the Leaflet map ``map_div``; opening a popup may pan the map (autoPan),
    # so the view is restored afterwards for the screenshot.
    view = frame.evaluate("() => [map_div.getCenter(), map_div.getZoom()]")
    marker = frame.locator("path.leaflet-interactive").last
    marker.dispatch_event("click")
    popup = frame.locator(".leaflet-popup-content")
    expect(popup).to_be_visible(timeout=5_000)
    expect(popup).to_contain_text("Provenance")
    text = popup.inner_text()
    assert any(name in text for name in dashboard.town.facilities["name"])
    # A real click may land on Streamlit's header when the popup sits at the top of the page.
    frame.locator(".leaflet-popup-close-button").dispatch_event("click")
    expect(popup).to_have_count(0)
    # A click opens the marker's tooltip too; leave the marker so it closes.
    marker.dispatch_event("mouseout")
    expect(frame.locator(".leaflet-tooltip")).to_have_count(0)
    # (Braces: returning the Leaflet map would make Playwright serialise it, for seconds.)
    frame.evaluate("([c, z]) => { map_div.setView(c, z, {animate: false}); }", view)


def test_offline_no_errors_and_screenshot(dashboard: Dashboard, tmp_path: Path):
    page, frame, watch = dashboard.page, dashboard.frame, dashboard.watch
    # Leaflet's images (layer-control icon) and any <img> must load from the app.
    assert broken_images(page.main_frame) == []
    assert broken_images(frame) == []
    page.wait_for_timeout(300)  # let late requests (fonts, icons) show up in the log
    assert watch.page_errors == []
    assert watch.foreign_requests() == []
    assert watch.failed == []
    assert watch.console_errors == []
    assert any("/app/static/vendor/leaflet/leaflet.js" in url for url in watch.requests)

    screenshot = tmp_path / "dashboard.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 20_000
    artifact = save_artifact(screenshot)
    print(f"screenshot: {artifact}; timings: {dashboard.timings_s}")
