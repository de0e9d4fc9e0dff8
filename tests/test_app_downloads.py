"""The dashboard's download area under AppTest: the file it offers is the CLI's, byte for byte."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner.analysis import analyze_town
from planner.exports.run import ExportRequest, export_bytes
from planner.exports.stamp import make_stamp
from planner.io import load_town
from planner.norms import load_norms
from planner.paths import default_town_dir

pytestmark = pytest.mark.slow

APP = Path(__file__).resolve().parent.parent / "app.py"
EPOCH = "1769817600"  # 2026-01-31T00:00:00Z


@pytest.mark.parametrize(("page", "fmt"), [("overview", "xlsx"), ("map", "html")])
def test_download_area_offers_the_cli_file(monkeypatch, page, fmt) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.session_state["goto_page"] = page
    at.run()
    assert not at.exception, at.exception
    at.selectbox(key=f"{page}_format").set_value(fmt).run()
    at.button(key=f"{page}_prepare").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    buttons = at.get("download_button")
    assert len(buttons) == 1
    _choices, data, name = at.session_state["downloads_prepared"]
    assert name == f"gusev_kindergarten_{'tables' if fmt == 'xlsx' else 'map'}_en_2026-01-31.{fmt}"
    assert name in buttons[0].proto.label
    town = load_town(default_town_dir())
    analysis = analyze_town(town, load_norms(town.meta.default_norms))
    stamp = make_stamp(analysis)
    assert stamp.date == dt.date(2026, 1, 31)
    assert data == export_bytes(analysis, ExportRequest(fmt, "kindergarten", "en"), stamp)
