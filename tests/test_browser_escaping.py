"""Data text that looks like HTML is shown as text in a real browser, on every page and popup.

A town whose name and facility names, addresses and sources are ``<img src=x onerror=alert(1)>``
is served; every page must show the literal text, create no ``<img src="x">`` and raise no
dialog.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Dialog, expect

from planner.paths import default_geodata_dir
from tests.browser_support import chromium_context, require_chromium, streamlit_server
from tests.factories import XSS, write_html_named_town
from tests.test_browser import goto_page, map_frame
from tests.testdata import TINY_TOWN_DIR

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _xss_geodata(folder: Path) -> Path:
    town = folder / "gusev"  # the default town folder name under PLANNER_GEODATA
    shutil.copytree(TINY_TOWN_DIR, town)
    shutil.copytree(default_geodata_dir() / "norms", folder / "norms")
    write_html_named_town(town)
    return folder


def test_html_in_data_is_shown_as_text_everywhere(tmp_path: Path):
    require_chromium()
    geodata = _xss_geodata(tmp_path / "geodata")
    dialogs: list[str] = []
    with (
        streamlit_server(tmp_path / "server.log", env={"PLANNER_GEODATA": str(geodata)}) as url,
        chromium_context(viewport=(1400, 1000)) as context,
    ):
        page = context.new_page()

        def on_dialog(dialog: Dialog) -> None:
            dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.goto(url)
        for link in ("Overview", "Gaps", "Facilities", "Data & sources", "Map"):
            if link != "Overview":
                goto_page(page, link, link)
            heading = page.locator("h1").first
            expect(heading).to_contain_text(f"· {XSS}", timeout=30_000)
            assert page.locator("img[src='x']").count() == 0
        frame = map_frame(page)
        marker = frame.locator("path.leaflet-interactive").last
        marker.dispatch_event("click")
        popup = frame.locator(".leaflet-popup-content")
        expect(popup).to_contain_text(XSS)
        assert frame.locator("img[src='x']").count() == 0
        assert dialogs == []
