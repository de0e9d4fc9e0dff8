"""``planner programme`` and ``planner proposals`` end to end: what they print, write and refuse."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from pyproj import Transformer

from planner.cli.main import main
from planner.participation.store import ProposalStore
from planner.scenarios.edits import AddFacility
from tests.factories import X0, Y0
from tests.testdata import TINY_TOWN_DIR

GUSEV = Path(__file__).resolve().parent.parent / "geodata" / "gusev"
TO_LONLAT = Transformer.from_crs("EPSG:32634", "EPSG:4326", always_xy=True)


def lonlat(x: float, y: float) -> tuple[float, float]:
    lon, lat = TO_LONLAT.transform(X0 + x, Y0 + y)
    return round(lon, 7), round(lat, 7)


def one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.startswith("planner:")]
    assert len(lines) == 1, err
    return lines[0]


def test_programme_report_in_russian(capsys):
    assert main(["programme", str(GUSEV), "--month", "2026-10", "--lang", "ru"]) == 0
    out = capsys.readouterr().out
    assert "Культурная программа, октябрь 2026" in out
    assert "простаивает" in out  # the illustrative library branches have no programme
    assert "Модельная программа: 100" in out


def test_programme_writes_tables_that_match_the_engine(tmp_path, capsys):
    from planner.io import load_town
    from planner.norms import load_norms
    from planner.programme.access import cultural_services, programme_access

    assert main(["programme", str(GUSEV), "--month", "2026-12", "--out", str(tmp_path)]) == 0
    units = pd.read_csv(tmp_path / "programme_units.csv", encoding="utf-8-sig")
    norms = load_norms()
    town = load_town(GUSEV, norms=norms)
    result = programme_access(town, "2026-12", cultural=cultural_services(norms))
    key = ["unit_id", "audience", "minutes"]
    merged = units.merge(result.units, on=key, suffixes=("_file", ""))
    assert len(merged) == len(result.units)
    assert (merged["events_file"] == merged["events"]).all()
    occurrences = pd.read_csv(tmp_path / "programme_occurrences.csv", encoding="utf-8-sig")
    assert len(occurrences) == len(result.occurrences)
    assert set(occurrences["provenance"]) <= {"modelled", "illustrative"}
    assert (tmp_path / "programme.gpkg").is_file()


def test_programme_workbook_manifest_and_stamp(tmp_path, monkeypatch, capsys):
    import openpyxl
    import pyogrio

    from planner.exports.programme import PROGRAMME_FILES
    from planner.fileio import read_manifest

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764633600")  # 2025-12-02
    out = tmp_path / "out"
    args = ["programme", str(GUSEV), "--out", str(out), "--lang", "ru"]
    assert main([*args, "--month", "2026-12"]) == 0
    assert main([*args, "--month", "2026-10"]) == 0  # a second run replaces the whole set
    capsys.readouterr()
    assert sorted(p.name for p in out.iterdir()) == sorted([*PROGRAMME_FILES, "manifest.json"])
    manifest = read_manifest(out)
    assert manifest is not None
    assert manifest["command"] == "programme"
    assert manifest["options"]["month"] == "2026-10"
    units = pd.read_csv(out / "programme_units.csv", encoding="utf-8-sig")
    assert set(units["month"]) == {"2026-10"}
    book = openpyxl.load_workbook(out / "programme.xlsx")
    assert book.sheetnames == ["Город", "Районы", "Площадки", "Воспроизводимость"]
    venues = book["Площадки"]
    headers = [c.value for c in venues[1]]
    assert headers[:3] == ["Площадка", "Услуга", "Событий"]
    assert venues.freeze_panes == "A2"
    summary = book["Город"]
    share_col = [c.value for c in summary[1]].index("Доля с событиями") + 1
    share = summary.cell(row=2, column=share_col)
    assert 0 <= share.value <= 1
    assert share.number_format == "0.0%"
    stamp = {row[0].value: row[1].value for row in book["Воспроизводимость"].iter_rows(min_row=2)}
    assert stamp["date"] == "2025-12-02"
    assert len(stamp["town_data_sha256"]) == 64
    table = pyogrio.read_dataframe(out / "programme.gpkg", layer="export_stamp")
    assert dict(zip(table["key"], table["value"], strict=True))["date"] == "2025-12-02"


def test_programme_refuses_a_bad_month_with_one_line(capsys):
    assert main(["programme", str(GUSEV), "--month", "October"]) == 2
    assert "YYYY-MM" in one_error_line(capsys.readouterr().err)


def test_programme_refuses_broken_events_with_exit_1(tmp_path, capsys):
    folder = tmp_path / "town"
    shutil.copytree(TINY_TOWN_DIR, folder)
    (folder / "events.csv").write_text("id,venue\n1,F1\n", encoding="utf-8")
    assert main(["programme", str(folder), "--month", "2026-10"]) == 1
    assert "events.csv" in one_error_line(capsys.readouterr().err)


def survey(tmp_path: Path) -> Path:
    west, east = lonlat(50, 50), lonlat(150, 150)
    path = tmp_path / "survey.csv"
    path.write_text(
        "id,lon,lat,category,comment,email,date,votes\n"
        f"a,{west[0]},{west[1]},Детский сад,<script>alert(1)</script>,anna@example.org,"
        "2026-10-01,4\n"
        f"b,{east[0]},{east[1]},event,Film club,,2026-10-02,9\n",
        encoding="utf-8",
    )
    return path


def test_proposals_import_list_export_and_status(tmp_path, capsys):
    db = str(tmp_path / "planner.sqlite")
    town = ["--town", str(TINY_TOWN_DIR)]
    assert main(["proposals", "import", str(survey(tmp_path)), *town, "--db", db]) == 0
    assert "Imported 2 new proposal(s)" in capsys.readouterr().out
    assert main(["proposals", "import", str(survey(tmp_path)), *town, "--db", db]) == 0
    assert "Imported 0 new proposal(s)" in capsys.readouterr().out
    assert main(["proposals", "list", *town, "--db", db, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["id"], r["district"]) for r in rows] == [("b", "east"), ("a", "west")]
    assert all("contact" not in r for r in rows)
    assert main(["proposals", "list", *town, "--db", db, "--by-district", "--lang", "ru"]) == 0
    assert "мероприятие или программа" in capsys.readouterr().out
    plain = tmp_path / "out.csv"
    assert main(["proposals", "export", str(plain), *town, "--db", db]) == 0
    assert "anna@example.org" not in plain.read_text(encoding="utf-8-sig")
    full = tmp_path / "full.geojson"
    assert main(["proposals", "export", str(full), *town, "--db", db, "--with-contact"]) == 0
    assert "anna@example.org" in full.read_text(encoding="utf-8")
    assert main(["proposals", "set-status", "a", "accepted", "--db", db]) == 0
    assert ProposalStore(db).get("a").status == "accepted"


def test_proposals_import_refuses_points_outside_the_town(tmp_path, capsys):
    path = tmp_path / "survey.csv"
    path.write_text("lon,lat,category\n10.0,50.0,school\n", encoding="utf-8")
    code = main(["proposals", "import", str(path), "--town", str(TINY_TOWN_DIR),
                 "--db", str(tmp_path / "db.sqlite")])  # fmt: skip
    assert code == 1
    line = one_error_line(capsys.readouterr().err)
    assert "survey.csv" in line
    assert "row 2, field 'lon/lat'" in line
    assert ProposalStore(tmp_path / "db.sqlite").all() == []


def test_a_proposal_becomes_a_saved_scenario_in_one_command(tmp_path, capsys):
    db = str(tmp_path / "planner.sqlite")
    town = ["--town", str(TINY_TOWN_DIR)]
    assert main(["proposals", "import", str(survey(tmp_path)), *town, "--db", db]) == 0
    capsys.readouterr()
    assert main(["proposals", "scenario", "a", *town, "--db", db, "--save"]) == 0
    out = capsys.readouterr().out
    assert "Saved 'Proposal a: kindergarten'" in out
    assert ProposalStore(db).get("a").scenario == "Proposal a: kindergarten"
    from planner.scenarios.store import ScenarioStore

    saved = ScenarioStore(db).get("Proposal a: kindergarten")
    assert saved.summary is not None
    edit = saved.scenario.edits[0]
    assert isinstance(edit, AddFacility)
    assert edit.service == "kindergarten"
    # An event proposal has no facility edit: one line, exit 2.
    assert main(["proposals", "scenario", "b", *town, "--db", db]) == 2
    assert "asks for an event" in one_error_line(capsys.readouterr().err)


@pytest.mark.parametrize("command", [["list"], ["set-status", "zzz", "done"]])
def test_proposals_commands_on_an_unusable_database_print_one_line(tmp_path, capsys, command):
    bad = tmp_path / "not.sqlite"
    bad.write_text("this is not a database", encoding="utf-8")
    assert main(["proposals", *command, "--db", str(bad)]) == 2
    assert "Cannot open the scenario database" in one_error_line(capsys.readouterr().err)


def test_dashboard_workbook_equals_the_cli_file(tmp_path, monkeypatch, capsys):
    from planner.exports.programme import programme_xlsx_bytes
    from planner.exports.stamp import town_stamp
    from planner.io import load_town
    from planner.norms import load_norms
    from planner.programme.access import cultural_services, programme_access

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764633600")
    assert main(["programme", str(GUSEV), "--month", "2026-10", "--out", str(tmp_path)]) == 0
    norms = load_norms()
    town = load_town(GUSEV, norms=norms)
    result = programme_access(town, "2026-10", cultural=cultural_services(norms))
    stamp = town_stamp(town, norms, walk_speed_m_min=norms.walk_speed_m_min, include_planned=False)
    data = programme_xlsx_bytes(result, town, norms, "en", stamp)
    assert data == (tmp_path / "programme.xlsx").read_bytes()
