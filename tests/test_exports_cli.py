"""``planner export`` / ``planner report`` end to end, and the HTML map in a real browser.

- the CLI and the dashboard's writer (``export_bytes`` on the dashboard's full analysis) give
  byte-identical files for the same choices and date;
- a failed export (a folder that cannot be written) prints one line, exits 2, leaves nothing;
- the standalone HTML map opens in headless Chromium with every request outside the file
  blocked, draws its layers and legend, and asks for nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import stat

import pytest

from planner.analysis import analyze_town
from planner.cli.main import main
from planner.exports.run import ExportRequest, export_bytes
from planner.exports.stamp import make_stamp
from planner.io import load_town
from planner.norms import load_norms
from planner.paths import default_town_dir
from tests.browser_support import PageWatch, chromium_context, save_artifact

pytestmark = pytest.mark.slow

DATE = "2026-01-31"


@pytest.fixture(scope="module")
def dashboard_analysis():
    """The analysis the dashboard holds: every service, catchments drawn."""
    town = load_town(default_town_dir())
    return analyze_town(town, load_norms(town.meta.default_norms))


@pytest.mark.parametrize(
    ("fmt", "suffix", "options"),
    [
        ("xlsx", "xlsx", ["--lang", "ru"]),
        ("html", "html", ["--view", "disagree"]),
        ("csv", "zip", []),
        ("gpkg", "gpkg", []),
        ("pdf", "pdf", ["--lang", "ru"]),
    ],
)
def test_cli_and_dashboard_files_are_identical(
    dashboard_analysis, tmp_path, capsys, fmt, suffix, options
) -> None:
    out = tmp_path / f"school.{suffix}"
    argv = ["export", str(default_town_dir()), "--service", "school", "--format", fmt]
    code = main([*argv, *options, "--date", DATE, "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    lang = "ru" if "ru" in options else "en"
    view = "disagree" if "disagree" in options else "network"
    request = ExportRequest(fmt, "school", lang, view)  # type: ignore[arg-type]
    stamp = make_stamp(dashboard_analysis, date=dt.date.fromisoformat(DATE))
    assert out.read_bytes() == export_bytes(dashboard_analysis, request, stamp)


def test_report_into_a_folder_takes_the_default_name(tmp_path, capsys) -> None:
    code = main(["report", "--service", "pharmacy", "--date", DATE, "--out", str(tmp_path)])
    assert code == 0
    written = tmp_path / f"gusev_pharmacy_report_en_{DATE}.pdf"
    assert written.read_bytes().startswith(b"%PDF")
    assert str(written) in capsys.readouterr().out


def _error_lines(stderr: str) -> list[str]:
    """The error lines of stderr (progress lines, "[ 90%] ...", may come before them)."""
    assert "Traceback" not in stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert lines[-1].startswith("planner: error:")
    return [line for line in lines if not line.startswith("[")]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_unwritable_folder_is_one_line_and_no_file(tmp_path, capsys) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        code = main(
            ["export", "--service", "pharmacy", "--format", "csv", "--out", str(folder / "t.zip")]
        )
    finally:
        folder.chmod(stat.S_IRWXU)
    assert code == 2
    errors = _error_lines(capsys.readouterr().err)
    assert len(errors) == 1
    assert "t.zip" in errors[0]
    assert list(folder.iterdir()) == []


def test_file_in_the_way_of_the_folder_is_one_line(tmp_path, capsys) -> None:
    blocker = tmp_path / "plain-file"
    blocker.write_text("not a folder", encoding="utf-8")
    code = main(
        ["export", "--service", "pharmacy", "--format", "gpkg", "--out", str(blocker / "x.gpkg")]
    )
    assert code == 2
    errors = _error_lines(capsys.readouterr().err)
    assert len(errors) == 1
    assert "x.gpkg" in errors[0] or "plain-file" in errors[0]
    assert blocker.read_text(encoding="utf-8") == "not a folder"


@pytest.mark.browser
def test_html_map_opens_offline_and_draws_its_layers(tmp_path) -> None:
    out = tmp_path / "map.html"
    code = main(
        [
            "export",
            "--service",
            "kindergarten",
            "--format",
            "html",
            "--lang",
            "ru",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    with chromium_context(viewport=(1366, 768)) as context:
        # The network is blocked: anything but the file itself would fail.
        context.route(
            "**/*",
            lambda route: (
                route.abort()
                if not route.request.url.startswith(("file:", "data:"))
                else route.continue_()
            ),
        )
        page = context.new_page()
        watch = PageWatch.watch(context, page, out.as_uri())
        page.goto(out.as_uri())
        page.wait_for_selector(".leaflet-container path.leaflet-interactive", timeout=30_000)
        assert page.locator("path.leaflet-interactive").count() > 300  # blocks, zones, streets
        assert page.locator(".leaflet-marker-pane, .leaflet-overlay-pane").count() >= 1
        legend = page.locator(".planner-legend")
        assert legend.count() == 1
        assert "Детский сад" in legend.inner_text()
        assert "SHA-256" in page.locator(".planner-export-footer").inner_text()
        shot = tmp_path / "export-map-ru.png"
        page.screenshot(path=shot)
        save_artifact(shot)
    assert watch.page_errors == []
    assert [u for u in watch.requests if not u.startswith(("file:", "data:"))] == []


SCENARIO = default_town_dir() / "scenarios" / "technopolis_gs.toml"


def test_scenario_report_has_before_after_page_and_names_the_scenario(
    dashboard_analysis, tmp_path, capsys
) -> None:
    from pypdf import PdfReader

    from planner.scenarios import read_scenario, run_comparison, scenario_to_toml

    out = tmp_path / "scenario.pdf"
    argv = ["report", "--service", "kindergarten", "--scenario", str(SCENARIO), "--date", DATE]
    assert main([*argv, "--out", str(out)]) == 0, capsys.readouterr().err
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(out).pages).split())
    scenario = read_scenario(SCENARIO)
    digest = hashlib.sha256(scenario_to_toml(scenario).encode("utf-8")).hexdigest()
    assert "Scenario “Technopolis GS”: before and after" in text
    assert "Kindergarten: homes that gain and lose" in text
    assert digest in text.replace(" ", "")
    # The dashboard, holding the analysis of every service, makes the same file.
    comparison = run_comparison(
        dashboard_analysis.town,
        scenario,
        dashboard_analysis.norms,
        baseline=dashboard_analysis,
        with_catchments=True,
    )
    stamp = make_stamp(comparison.scenario, date=dt.date.fromisoformat(DATE), scenario=scenario)
    request = ExportRequest("pdf", "kindergarten", "en")
    same = export_bytes(comparison.scenario, request, stamp, comparison=comparison)
    assert out.read_bytes() == same


def test_invalid_scenario_is_one_line_and_exit_1(tmp_path, capsys) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\nversion = 1\n[[edit]]\nop = "teleport_facility"\n', "utf-8")
    out = tmp_path / "x.pdf"
    assert main(["report", "--scenario", str(bad), "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert err.startswith("planner: invalid:")
    assert not out.exists()


def test_full_report_has_the_programme_of_its_month(dashboard_analysis) -> None:
    from pypdf import PdfReader

    from planner.exports.report import report_pdf_bytes
    from planner.programme.access import cultural_services, programme_access

    date = dt.date(2026, 10, 15)
    data = report_pdf_bytes(
        dashboard_analysis, None, lang="ru", stamp=make_stamp(dashboard_analysis, date=date)
    )
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    programme = [text for text in pages if "Культурная программа, октябрь 2026" in text]
    assert len(programme) == 1  # one page, between the services and the annex
    annex = next(i for i, text in enumerate(pages) if "Приложение" in text)
    assert pages.index(programme[0]) == annex - 1
    town = dashboard_analysis.town
    result = programme_access(town, "2026-10", cultural=cultural_services(dashboard_analysis.norms))
    count = int(result.occurrences["counted"].sum())
    assert f"Событий за месяц (октябрь 2026): {count};" in " ".join(programme[0].split())
    assert "простаивает" in programme[0]  # the illustrative library branches have no events


def test_a_one_service_report_has_no_programme_page(dashboard_analysis) -> None:
    from pypdf import PdfReader

    from planner.exports.report import report_pdf_bytes
    from planner.exports.selection import for_service

    one = for_service(dashboard_analysis, "pharmacy")
    stamp = make_stamp(one, date=dt.date(2026, 10, 15))
    data = report_pdf_bytes(one, "pharmacy", lang="en", stamp=stamp)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "Cultural programme" not in text
