"""The analyze and gaps commands end to end, and what their files hold."""

from __future__ import annotations

import json
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import box

from planner.cli.main import main
from planner.exports.data import GPKG_LAYERS
from planner.figures import summary_table
from tests.cli_support import one_error_line
from tests.factories import CRS, X0, Y0


def test_analyze_writes_geopackage_and_csv(tiny_town_dir: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    assert main(["analyze", str(tiny_town_dir), "--out", str(out)]) == 0
    layers = dict(pyogrio.list_layers(out / "analysis.gpkg"))
    assert set(layers) <= set(GPKG_LAYERS)
    assert {"residential_coverage", "facilities", "catchments", "gap_zones", "links"} <= set(layers)
    coverage = gpd.read_file(out / "analysis.gpkg", layer="residential_coverage")
    assert coverage.crs == "EPSG:32634"
    kinder = coverage[coverage["service"] == "kindergarten"]
    assert kinder["demand"].sum() == pytest.approx(51.0)
    assert kinder["served_within"].sum() == pytest.approx(40.0)
    links = gpd.read_file(out / "analysis.gpkg", layer="links")
    assert links.loc[links["service"] == "kindergarten", "places"].sum() == pytest.approx(40.0)
    # CSV: UTF-8 with BOM (Excel), lon/lat in degrees near Gusev
    raw = (out / "facilities.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    facilities = pd.read_csv(out / "facilities.csv", encoding="utf-8-sig")
    assert facilities["name_ru"].tolist() == ["Школа 1", "Детский сад 2"]
    assert facilities["lon"].between(22.1, 22.3).all()
    assert facilities["lat"].between(54.5, 54.7).all()
    summary = pd.read_csv(out / "service_summary.csv", encoding="utf-8-sig").set_index("service")
    assert summary.loc["kindergarten", "unmet_places"] == pytest.approx(11.0)
    printed = capsys.readouterr().out
    assert "Wrote" in printed
    assert "Kindergarten" in printed
    gaps = pd.read_csv(out / "gap_zones.csv", encoding="utf-8-sig")
    kinder_zone = gaps[gaps["service"] == "kindergarten"].iloc[0]
    # Lists are JSON arrays in the files (no text to parse back).
    assert json.loads(kinder_zone["project_sizes"]) == []
    assert set(json.loads(kinder_zone["district_ids"])) <= {"west", "east"}
    assert "СП 42.13330.2016" in kinder_zone["clause"]


def test_analyze_one_service_elderly(tiny_town_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["analyze", str(tiny_town_dir), "--service", "school", "--elderly", "--out", str(out)]
    assert main(args) == 0
    coverage = pd.read_csv(out / "coverage.csv", encoding="utf-8-sig")
    assert set(coverage["service"]) == {"school"}
    expected = (coverage["distance_m"] / 50.0).to_numpy()
    assert coverage["walk_time_min"].to_numpy() == pytest.approx(expected)


def test_unknown_service_is_one_line(tiny_town_dir: Path, tmp_path: Path, capsys) -> None:
    code = main(["gaps", str(tiny_town_dir), "--service", "spaceport"])
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("planner: error:")
    assert "spaceport" in err
    assert err.count("\n") == 1


def test_broken_town_exits_1_listing_every_problem(tiny_town_dir: Path, capsys) -> None:
    (tiny_town_dir / "streets.geojson").unlink()
    (tiny_town_dir / "facilities.geojson").unlink()
    assert main(["gaps", str(tiny_town_dir)]) == 1
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert lines[0].startswith("planner: error: Town folder")
    assert "2 error(s):" in lines[0]
    assert any("streets.geojson: required layer is missing" in line for line in lines[1:])
    assert any("facilities.geojson: required layer is missing" in line for line in lines[1:])
    assert len(lines) == 3


def test_gaps_prints_capacity_shortfall(tiny_town_dir: Path, capsys) -> None:
    assert main(["gaps", str(tiny_town_dir)]) == 0
    out = capsys.readouterr().out
    assert "MISSING  Library: 0 of 1" in out
    assert "Kindergarten 2 (F2): capacity 40, nearest demand 51 (127%)" in out
    assert "not required here:" in out
    assert "Concert hall" in out


def test_failed_export_leaves_the_previous_result(
    tiny_town_dir: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    from planner.exports import data as export

    def broken(frame):
        msg = "the writer failed"
        raise OSError(msg)

    monkeypatch.setattr(export, "_for_gpkg", broken)
    out = tmp_path / "out"
    out.mkdir()
    (out / "analysis.gpkg").write_bytes(b"previous version")
    assert main(["analyze", str(tiny_town_dir), "--out", str(out)]) == 2
    assert "the writer failed" in one_error_line(capsys.readouterr().err)
    assert (out / "analysis.gpkg").read_bytes() == b"previous version"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "tiny_town"]  # no staging left
    assert [p.name for p in out.iterdir()] == ["analysis.gpkg"]


@pytest.mark.slow
def test_gusev_analysis_smoke(gusev_town, tmp_path: Path) -> None:
    from planner.analysis import analyze_town
    from planner.norms import load_norms

    analysis = analyze_town(gusev_town, load_norms())
    summary = summary_table(analysis).set_index("service")
    assert summary["residents"].eq(28_600).all()
    assert (summary["covered_network"] <= summary["residents"]).all()
    for column in ("covered_network_share", "covered_radius_share", "provision_ratio"):
        values = summary[column].dropna()
        assert values.between(0, 1).all()
    # kindergartens: served within the norm never exceeds the town's capacity
    capacity = gusev_town.facilities.query("service == 'kindergarten'")["capacity"].sum()
    assert summary.loc["kindergarten", "served_within"] <= capacity + 1e-6
    assert not analysis.requirements.query("status == 'missing'").empty or True
    assert analysis.requirements.set_index("service").loc["concert_hall", "status"] == (
        "not_required"
    )


def _move_r4(town_dir: Path, corner_m: float) -> None:
    """Move block R4 to a 60 m square with its south-west corner at (corner_m, corner_m).

    The boundary grows to hold it (a block outside the boundary is refused by validation).
    """
    residential = gpd.read_file(town_dir / "residential.geojson").to_crs(CRS)
    residential.loc[residential["id"] == "R4", "geometry"] = box(
        X0 + corner_m, Y0 + corner_m, X0 + corner_m + 60, Y0 + corner_m + 60
    )
    residential.to_crs("EPSG:4326").to_file(town_dir / "residential.geojson")
    boundary = gpd.read_file(town_dir / "boundary.geojson").to_crs(CRS)
    boundary.loc[0, "geometry"] = box(X0 - 50, Y0 - 50, X0 + corner_m + 100, Y0 + corner_m + 100)
    boundary.to_crs("EPSG:4326").to_file(town_dir / "boundary.geojson")


def test_homes_far_from_streets_are_reported(tiny_town_dir: Path, capsys) -> None:
    _move_r4(tiny_town_dir, 500)
    assert main(["gaps", str(tiny_town_dir)]) == 0
    out = capsys.readouterr().out
    assert "1 place(s) lie more than 250 m from any street" in out
    # from (530, 530) to the nearest street point (200, 200): 330 * sqrt(2) = 467 m
    assert "home R4: 467 m to the nearest street" in out


def test_gaps_in_russian(tiny_town_dir: Path, capsys) -> None:
    assert main(["gaps", str(tiny_town_dir), "--lang", "ru"]) == 0
    out = capsys.readouterr().out
    assert "НЕ ХВАТАЕТ  Библиотека: есть 0 из 1" in out
    assert "Детский сад 2 (F2): вместимость 40, потребность ближайших домов 51 (127\u00a0%)" in out
    assert "Детский сад" in out
    # Only proper names, citations and ids may be Latin: no English interface words.
    for english in ("MISSING", "Gap zones", "capacity", "not required", "Overloaded"):
        assert english not in out


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_explain_prints_the_dashboards_sentence(tiny_town_dir: Path, capsys, lang) -> None:
    from planner.analysis import analyze_town
    from planner.io import load_town
    from planner.norms import load_norms
    from planner.presentation.explain import explain_block

    args = ["explain", str(tiny_town_dir), "--unit", "R2", "--service", "kindergarten"]
    assert main([*args, "--lang", lang]) == 0
    printed = capsys.readouterr().out
    norms = load_norms()
    analysis = analyze_town(load_town(tiny_town_dir, norms=norms), norms, services=["kindergarten"])
    block = explain_block(analysis, "kindergarten", "R2", lang)
    assert printed.rstrip("\n").endswith(block.sentence)
    assert all(value in printed for _, value in block.facts)


def test_explain_a_unit(tiny_town_dir: Path, capsys) -> None:
    assert main(["explain", str(tiny_town_dir), "--unit", "R4", "--service", "kindergarten"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Block R4: Kindergarten")
    assert re.search(r"^  District\s+East$", out, flags=re.MULTILINE)
    assert re.search(r"^  Nearest facility\s+Kindergarten 2$", out, flags=re.MULTILINE)
    assert main(["explain", str(tiny_town_dir), "--unit", "R9", "--service", "school"]) == 2
    assert "No residential unit 'R9'" in capsys.readouterr().err


def test_explain_a_unit_beyond_the_served_distance(tiny_town_dir: Path, capsys) -> None:
    _move_r4(tiny_town_dir, 1500)
    assert main(["explain", str(tiny_town_dir), "--unit", "R4", "--service", "kindergarten"]) == 0
    out = capsys.readouterr().out
    # (1530, 1530) to the street corner (200, 200): 1,330 x sqrt(2) = 1,881 m, already beyond
    # the 1,500 m (3 x 500 m) up to which a place counts as served.
    assert "Kindergarten 2, is 1,881 m away, beyond 1,500 m (3 × the 500 m limit)" in out
