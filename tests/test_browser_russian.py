"""The dashboard in Russian, in real headless Chromium: no stray English, the legend off the town.

One Streamlit server (the bundled Gusev town); for a laptop (1366×768) and a phone (390×844)
viewport, the dashboard is switched to Russian once and every page is opened through its
navigation link. On each page every visible text node (the page and the map's iframe, with the
map's layer control expanded and its legend open, plus the titles of the map's controls) is read,
and a word written in Latin letters fails the test unless it is on ``ALLOWED`` (proper names, file
formats, ids, addresses and links) or sits inside a citation that keeps its original language.
Tables drawn on a canvas (``st.dataframe``) are checked without a browser in
``tests/test_russian_tables.py``.

On the map page the legend's box must not intersect the town's box (the boundary's bounds in
container pixels), at both sizes, open or folded.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Frame, Page, expect

from planner.model import Town
from planner.presentation.words import t
from tests.browser_support import (
    MAP_IFRAME,
    ChromiumMissingError,
    chromium_context,
    require_chromium,
    save_artifact,
    streamlit_server,
    wait_for_map,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LAPTOP = (1366, 768)
PHONE = (390, 844)

PAGE_KEYS: tuple[tuple[str, str], ...] = (
    ("overview", "page.overview"),
    ("map", "page.map"),
    ("gaps", "gaps.title"),
    ("facilities", "fac.title"),
    ("scenarios", "page.scenarios"),
    ("programme", "page.programme"),
    ("proposals", "page.proposals"),
    ("sources", "src.title"),
)
"""(page key, catalogue key of the title its heading starts with)."""
PAGES: tuple[tuple[str, str], ...] = tuple(
    (t(f"page.{page}", "ru"), t(title, "ru")) for page, title in PAGE_KEYS
)
"""(navigation link, title the page's heading starts with), in Russian."""
PAGE_IDS = tuple(page for page, _ in PAGE_KEYS)

ALLOWED: frozenset[str] = frozenset(
    {
        # Proper names: the tool, libraries, data sources and their licences.
        "Gusev",
        "Planner",
        "OpenStreetMap",
        "ODbL",
        "Leaflet",
        "JavaScript",
        "jQuery",
        "Streamlit",
        "folium",
        "MIT",
        "BSD",
        "CC",
        "BY",
        "GS",  # "Технополис GS", a proper name
        "draw",  # Leaflet.draw, a library
        "HiGHS",  # the solver
        "Jacob",  # Leaflet.draw's authors, as its licence names them
        "Toye",
        "Jon",
        "West",
        "Smartrak",
        # The language switch names both languages on purpose.
        "Language",
        "English",
        # File formats and files.
        "GeoJSON",
        "GeoPackage",
        "CSV",
        "ZIP",
        "PDF",
        "PNG",
        "SVG",
        "HTML",
        "Excel",
        "XLSX",
        "dpi",
        "README",
        "md",
        "toml",
        "town",
        "events",
        "csv",
        "ics",
        "planner",
        "export",
        "SQLite",
        "A4",
        "A3",
        "ID",
        # Licences and their holders, named as they name themselves.
        "Open",
        "Database",
        "License",
        "OpenJS",
        "Foundation",
        "Clause",
        # Confidence grades of a norm's source (A: verified ... C: check before relying on it).
        "A",
        "B",
        "C",
    }
)
"""Latin-script words Russian mode may show: names, formats, file and command names."""

LINK = re.compile(
    r"(https?://|www\.)\S+|\S+@\S+|\S+\.(geojson|csv|ics|toml|md|sqlite|py)\b|/\S+/\S*"
)
"""Links, e-mail addresses, file names and paths: shown as they are."""
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")

VISIBLE_TEXT_JS = """
() => {
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent.trim();
        const el = node.parentElement;
        if (!text || !el) continue;
        // Material icons are ligatures: "map" in the icon font draws a map, not the word.
        // (Streamlit marks them translate="no".)
        if (el.closest('[translate="no"], [data-testid="stIconMaterial"], style, script,'
            + ' noscript')) continue;
        if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
        const rect = el.getBoundingClientRect();
        if (rect.width < 2 || rect.height < 2) continue;
        out.push(text);
    }
    document.querySelectorAll('[title], [aria-label]').forEach((el) => {
        if (el.closest('.leaflet-container')) {
            if (el.title) out.push(el.title);
            if (el.getAttribute('aria-label')) out.push(el.getAttribute('aria-label'));
        }
    });
    return out;
}
"""


@dataclass
class RussianBoard:
    town: Town
    page: Page
    size: tuple[int, int]


def english_words(texts: list[str]) -> list[str]:
    """Return the Latin-script words of ``texts`` that are not allowed, with their text."""
    found = []
    for text in texts:
        plain = LINK.sub(" ", text)
        for word in LATIN_WORD.findall(plain):
            if word not in ALLOWED:
                found.append(f"{word!r} in {text[:120]!r}")
    return found


def test_english_words_finds_stray_english_only():
    assert english_words(["Карта · Гусев", "Leaflet | © участники OpenStreetMap"]) == []
    assert english_words(["см. https://example.org/path и README.md"]) == []
    assert english_words(["Статус: existing"]) == ["'existing' in 'Статус: existing'"]
    assert english_words(["1 km"]) == ["'km' in '1 km'"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    try:
        require_chromium()
    except ChromiumMissingError as err:
        pytest.fail(str(err))
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    with streamlit_server(log) as base_url:
        yield base_url


@pytest.fixture(scope="module", params=[LAPTOP, PHONE], ids=["laptop", "phone"])
def board(request: pytest.FixtureRequest, server: str, gusev_town: Town) -> Iterator[RussianBoard]:
    size: tuple[int, int] = request.param
    with chromium_context(viewport=size) as context:
        page = context.new_page()
        page.goto(server)
        expect(page.locator("h1").first).to_contain_text("Overview", timeout=60_000)
        _with_sidebar(page, lambda: page.get_by_text("Русский", exact=True).click())
        expect(page.locator("h1").first).to_contain_text("Обзор", timeout=30_000)
        yield RussianBoard(gusev_town, page, size)


def _with_sidebar(page: Page, action: object) -> None:
    """Run ``action`` with the sidebar open (a phone shows it folded), then fold it again."""
    sidebar = page.get_by_test_id("stSidebar")
    opened = False
    if sidebar.get_attribute("data-collapsed") != "false":
        page.get_by_test_id("stExpandSidebarButton").click()
        opened = True
        expect(sidebar).to_have_attribute("data-collapsed", "false")
        page.wait_for_timeout(500)  # the slide-in animation
    action()  # type: ignore[operator]
    if opened and sidebar.get_attribute("data-collapsed") == "false":
        page.wait_for_timeout(500)
        sidebar.get_by_test_id("stSidebarCollapseButton").locator("button").click()


def _settle(page: Page) -> None:
    """Wait until Streamlit has finished running the page (no "Running…"/"Stop" widget)."""
    page.wait_for_timeout(300)
    running = page.locator('[data-testid="stApp"][data-test-script-state="running"]')
    expect(running).to_have_count(0, timeout=60_000)
    page.wait_for_timeout(500)


def _goto(page: Page, link: str, title: str) -> None:
    nav = page.get_by_role("link", name=link, exact=True)
    if not nav.first.is_visible() or page.viewport_size["width"] < 700:  # type: ignore[index]
        # A narrow screen folds the page links into the sidebar.
        _with_sidebar(page, page.get_by_role("link", name=link, exact=True).first.click)
    else:
        nav.first.click()
    expect(page.locator("h1").first).to_contain_text(title, timeout=30_000)
    _settle(page)


def _map_frame(page: Page) -> Frame:
    wait_for_map(page)
    iframe = page.locator(MAP_IFRAME).last
    expect(iframe.content_frame.locator(".planner-legend")).to_contain_text("Легенда")
    frame = iframe.element_handle().content_frame()
    assert frame is not None
    return frame


@pytest.mark.parametrize(("link", "title"), PAGES, ids=PAGE_IDS)
def test_russian_page_has_no_stray_english(board: RussianBoard, link: str, title: str, tmp_path):
    page = board.page
    _goto(page, link, title)
    texts: list[str] = page.evaluate(VISIBLE_TEXT_JS)
    if page.locator(MAP_IFRAME).count():
        frame = _map_frame(page)
        # Everything the map can show without hovering a feature: the layer control expanded,
        # the legend open.
        frame.evaluate(
            "() => { document.querySelectorAll('.leaflet-control-layers').forEach("
            "(c) => c.classList.add('leaflet-control-layers-expanded'));"
            " document.querySelectorAll('.planner-legend details').forEach("
            "(d) => { d.open = true; }); }"
        )
        texts += frame.evaluate(VISIBLE_TEXT_JS)
    shot = tmp_path / f"ru-{PAGE_IDS[[p[0] for p in PAGES].index(link)]}-{board.size[0]}.png"
    page.screenshot(path=str(shot))
    save_artifact(shot)
    stray = english_words(texts)
    assert not stray, "\n".join(stray)


def test_legend_never_covers_the_town(board: RussianBoard):
    page = board.page
    _goto(page, "Карта", "Карта")
    frame = _map_frame(page)
    page.locator(MAP_IFRAME).last.scroll_into_view_if_needed()
    time.sleep(0.5)
    boxes = frame.evaluate(
        """() => {
            const legend = document.querySelector('.planner-legend').getBoundingClientRect();
            const box = map_div.getContainer().getBoundingClientRect();
            return {legend: [legend.left, legend.top, legend.right, legend.bottom],
                    container: [box.left, box.top, box.right, box.bottom]};
        }"""
    )
    town = _town_box(frame, board.town)
    legend = boxes["legend"]
    assert not _intersects(legend, town), (legend, town, board.size)
    # The town is in view.
    container = boxes["container"]
    assert town[0] >= container[0] - 1
    assert town[2] <= container[2] + 1


def _town_box(frame: Frame, town: Town) -> list[float]:
    from planner.crs import to_display_crs

    west, south, east, north = to_display_crs(town.boundary).total_bounds
    corners = frame.evaluate(
        "([s, w, n, e]) => { const a = map_div.latLngToContainerPoint([n, w]);"
        " const b = map_div.latLngToContainerPoint([s, e]);"
        " const c = map_div.getContainer().getBoundingClientRect();"
        " return [a.x + c.left, a.y + c.top, b.x + c.left, b.y + c.top]; }",
        [float(south), float(west), float(north), float(east)],
    )
    return [float(v) for v in corners]


def _intersects(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
