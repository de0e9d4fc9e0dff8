"""Loading and validating town folders: the tiny town, and every rule on a broken copy."""

from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd
import pytest

from planner.cli.main import main
from planner.errors import DataValidationError, Issue
from planner.io import check_town, load_town
from planner.norms import load_norms
from tests.testdata import BROKEN_DIR


def _broken_copy(tiny_town_dir: Path, case: str) -> Path:
    for path in (BROKEN_DIR / case).iterdir():
        shutil.copy(path, tiny_town_dir / path.name)
    return tiny_town_dir


def _errors(issues: list[Issue]) -> list[Issue]:
    return [i for i in issues if i.severity == "error"]


def test_tiny_town_loads_in_metric_crs(tiny_town_dir: Path) -> None:
    town = load_town(tiny_town_dir, norms=load_norms())
    assert town.meta.population == 1000
    assert town.residential["population"].sum() == 1000
    for name in ("boundary", "residential", "facilities", "streets", "districts", "water", "rail"):
        assert town.layer(name).crs == "EPSG:32634"
    # Street S1 runs 100 m north from the origin: the reprojection round trip keeps metres.
    s1 = town.streets.set_index("id").geometry["S1"]
    assert s1.length == pytest.approx(100.0, abs=0.01)
    assert town.warnings == ()


def test_absent_optional_layers_load_empty_with_the_contract_columns(tiny_town_dir: Path) -> None:
    for name in ("water", "rail", "districts"):
        (tiny_town_dir / f"{name}.geojson").unlink()
    town = load_town(tiny_town_dir)
    assert town.water.empty
    assert list(town.water.columns) == ["id", "name", "provenance", "geometry"]
    assert town.rail.empty
    assert list(town.districts.columns) == ["id", "name", "name_ru", "provenance", "geometry"]
    assert town.districts.crs == "EPSG:32634"


# case -> (file, feature id or None, a phrase the message must contain)
BROKEN_CASES = {
    "negative_population": ("residential.geojson", "R2", "population is negative"),
    "duplicate_ids": ("residential.geojson", "R1", "is used by 2 features"),
    "missing_column": ("residential.geojson", None, "missing column(s): housing"),
    "mistyped_population": ("residential.geojson", "R1", "'population' must hold a whole number"),
    "invalid_geometry": ("residential.geojson", "R4", "geometry is invalid (Self-intersection"),
    "wrong_geometry_type": ("residential.geojson", "R1", "geometry is a Point"),
    "unknown_service": ("facilities.geojson", "F2", "service 'spaceport' is not one of"),
    "negative_capacity": ("facilities.geojson", "F1", "capacity is negative"),
    "facility_outside": ("facilities.geojson", "F2", "outside the town boundary"),
    "population_mismatch": ("residential.geojson", None, "adds up to 4,600, but town.toml"),
    "projected_coordinates": ("boundary.geojson", None, "are not longitude/latitude"),
    # Values the analysis cannot use.
    "capacity_infinity": ("facilities.geojson", "F1", "'capacity' holds an infinite number"),
    # Where the data lie: the CRS must fit them, every layer must lie in the town.
    # 1 / cos(54.59°) = 1.73: Web Mercator stretches every distance at Gusev by 73 %.
    "crs_web_mercator": ("town.toml", None, "distorts distances by up to 73%"),
    "crs_other_side_of_globe": ("town.toml", None, "is made for 162.00° W to 156.00° W"),
    "crs_in_feet": ("town.toml", None, "measures in US survey foot, not metres"),
    "lonlat_swapped_everywhere": ("boundary.geojson", None, "longitude and latitude look swapped"),
    "lonlat_swapped_in_streets": ("streets.geojson", None, "longitude and latitude look swapped"),
    "layer_far_away": ("streets.geojson", None, "far from the town boundary"),
    # The block starts at x = 600 m; the boundary ends at x = 250 m: 350 m away.
    "residential_outside": ("residential.geojson", "R2", "outside the town boundary (350 m away)"),
    "residential_covers_globe": ("residential.geojson", "R1", "spans 360.00° of longitude"),
    # Encodings and structure.
    "layer_utf16": ("streets.geojson", None, "is saved as UTF-16"),
    "layer_empty": ("streets.geojson", None, "is empty (0 bytes)"),
    "layer_cp1251": ("facilities.geojson", None, "is not UTF-8 text"),
    "layer_not_json": ("streets.geojson", None, "At line 18, character 70: Unterminated object"),
    "bare_feature": ("facilities.geojson", None, "holds a single Feature, not a FeatureCollection"),
    "bare_geometry": ("facilities.geojson", None, "holds a bare Point geometry"),
    "nan_coordinates": ("residential.geojson", "R1", "coordinates hold NaN"),
    "town_toml_utf16": ("town.toml", None, "is saved as UTF-16"),
    "town_name_too_long": ("town.toml", None, "name is 100,000 characters long"),
}

# case -> (file, feature id or None, a phrase the warning must contain); the town still loads
WARNING_CASES = {
    # The town's centre, 22.19° E, lies 1.8° west of UTM zone 35N (24-30° E).
    "crs_neighbour_zone": ("town.toml", None, "lies 1.8° outside it"),
    # The block spans x = 200..400 m; the boundary ends at x = 250 m: 150 of 200 m lie outside.
    "residential_mostly_outside": ("residential.geojson", "R2", "75% of the residential unit"),
    # From R4's centre (150, 150) to the one street's end (-40, -30): √(190² + 180²) = 262 m.
    "one_street": ("streets.geojson", None, "1 of 4 residential unit(s) with 400 residents"),
}


@pytest.mark.parametrize("case", sorted(BROKEN_CASES))
def test_each_broken_file_gives_its_specific_error(tiny_town_dir: Path, case: str) -> None:
    file, feature_id, phrase = BROKEN_CASES[case]
    town, issues = check_town(_broken_copy(tiny_town_dir, case), norms=load_norms())
    assert town is None
    matching = [i for i in _errors(issues) if phrase in i.message]
    assert matching, f"no error containing {phrase!r}; got {[str(i) for i in issues]}"
    assert matching[0].file == file
    assert matching[0].feature_id == feature_id
    assert matching[0].fix, "every issue says how to fix it"


@pytest.mark.parametrize("case", sorted(WARNING_CASES))
def test_each_questionable_file_gives_its_specific_warning(tiny_town_dir: Path, case: str) -> None:
    file, feature_id, phrase = WARNING_CASES[case]
    town, issues = check_town(_broken_copy(tiny_town_dir, case), norms=load_norms())
    assert town is not None, [str(i) for i in issues]
    matching = [i for i in issues if phrase in i.message]
    assert matching, f"no warning containing {phrase!r}; got {[str(i) for i in issues]}"
    assert matching[0].severity == "warning"
    assert matching[0].file == file
    assert matching[0].feature_id == feature_id


def test_one_street_warning_counts_facilities_too(tiny_town_dir: Path) -> None:
    _, issues = check_town(_broken_copy(tiny_town_dir, "one_street"), norms=load_norms())
    # F2 at (200, 200) to (-40, -30): √(240² + 230²) = 332 m; F1 at (0, 0) is 41 m away.
    (facilities,) = [i for i in issues if "facilities" in i.message]
    assert "1 of 2 facilities lie more than 250 m from any street (farthest 332 m): F2" in (
        facilities.message
    )


def test_town_toml_with_a_byte_order_mark_loads(tiny_town_dir: Path) -> None:
    town, issues = check_town(_broken_copy(tiny_town_dir, "town_toml_bom"), norms=load_norms())
    assert town is not None
    assert issues == []
    assert town.meta.name == "Tiny"


def test_every_layer_swapped_is_blamed_on_the_layers_not_the_crs(tiny_town_dir: Path) -> None:
    _, issues = check_town(
        _broken_copy(tiny_town_dir, "lonlat_swapped_everywhere"), norms=load_norms()
    )
    swapped = sorted(i.file for i in issues if "look swapped" in i.message)
    assert swapped == sorted(
        f"{n}.geojson" for n in ("boundary", "residential", "facilities", "streets", "districts")
    )
    assert not [i for i in issues if i.file == "town.toml"]


def test_nan_point_is_named_not_called_empty(tiny_town_dir: Path) -> None:
    _, issues = check_town(_broken_copy(tiny_town_dir, "nan_coordinates"), norms=load_norms())
    (facility,) = [i for i in issues if i.file == "facilities.geojson"]
    assert facility.feature_id == "F2"
    assert "coordinates hold NaN" in facility.message
    assert not [i for i in issues if "geometry is empty" in i.message]


ALL_CASES = sorted(p.name for p in BROKEN_DIR.iterdir() if p.is_dir())


def test_every_catalogue_case_is_tested() -> None:
    tested = {*BROKEN_CASES, *WARNING_CASES, "disconnected_streets", "town_toml_bom"}
    assert set(ALL_CASES) == tested


@pytest.mark.parametrize("case", ALL_CASES)
def test_no_catalogue_case_gives_a_traceback_or_a_wrong_exit_code(
    tiny_town_dir: Path, tmp_path: Path, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _broken_copy(tiny_town_dir, case)
    code = main(["analyze", str(folder), "--service", "school", "--out", str(tmp_path / "out")])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert "Warning" not in captured.err, "no raw library warning"
    assert code == (1 if case in BROKEN_CASES else 0), captured.err
    if code == 1:
        assert captured.err.startswith("planner: error: Town folder")


def test_disconnected_streets_are_a_warning_naming_the_street(tiny_town_dir: Path) -> None:
    town, issues = check_town(_broken_copy(tiny_town_dir, "disconnected_streets"))
    assert town is not None
    (warning,) = [i for i in issues if i.severity == "warning"]
    assert warning.feature_id == "S99"
    assert "not connected to the main one (2 of 11 nodes)" in warning.message
    assert town.warnings == (warning,)


def test_all_problems_are_reported_at_once(tiny_town_dir: Path) -> None:
    for case in ("negative_population", "unknown_service"):
        _broken_copy(tiny_town_dir, case)
    (tiny_town_dir / "streets.geojson").unlink()
    with pytest.raises(DataValidationError) as info:
        load_town(tiny_town_dir, norms=load_norms())
    messages = [str(i) for i in info.value.issues]
    assert any("streets.geojson: required layer is missing" in m for m in messages)
    assert any("[id=R2]" in m and "population is negative" in m for m in messages)
    assert any("[id=F2]" in m and "spaceport" in m for m in messages)
    # The negative block also breaks the total: both are reported.
    assert any("adds up to" in m for m in messages)


def test_layer_without_crs_is_an_error(tiny_town_dir: Path) -> None:
    streets = gpd.read_file(tiny_town_dir / "streets.geojson")
    (tiny_town_dir / "streets.geojson").unlink()
    streets.to_file(tiny_town_dir / "streets.shp")
    (tiny_town_dir / "streets.prj").unlink()
    town, issues = check_town(tiny_town_dir)
    assert town is None
    (issue,) = _errors(issues)
    assert issue.file == "streets.shp"
    assert "has no CRS" in issue.message


def test_town_toml_problems(tiny_town_dir: Path) -> None:
    text = (tiny_town_dir / "town.toml").read_text(encoding="utf-8")
    text = text.replace("population = 1000", 'population = "1000"')
    text = text.replace('crs = "EPSG:32634"', 'crs = "EPSG:4326"')
    (tiny_town_dir / "town.toml").write_text(text + "colour = 1\n", encoding="utf-8")
    _, issues = check_town(tiny_town_dir)
    messages = [str(i) for i in issues]
    assert any("'population' must be a whole number" in m for m in messages)
    assert any("geographic (degrees)" in m for m in messages)
    assert any("warning" in m and "unknown key(s): colour" in m for m in messages)


def test_polygon_facility_is_reduced_to_a_point_with_a_warning(tiny_town_dir: Path) -> None:
    facilities = gpd.read_file(tiny_town_dir / "facilities.geojson").to_crs("EPSG:32634")
    facilities.loc[0, "geometry"] = facilities.geometry[0].buffer(20)
    facilities.to_crs("EPSG:4326").to_file(tiny_town_dir / "facilities.geojson")
    town = load_town(tiny_town_dir)
    assert (town.facilities.geom_type == "Point").all()
    (warning,) = town.warnings
    assert warning.feature_id == "F1"
    assert "used as a point on its surface" in warning.message
    assert town.facilities.geometry[0].distance(facilities.geometry[0].centroid) < 20


def test_cli_validate_ok_and_broken(
    tiny_town_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(tiny_town_dir)]) == 0
    out = capsys.readouterr().out
    assert "valid (checked against norm set 'sp42_small_town')" in out
    assert "population 1,000 (official 1,000)" in out
    assert "Modelled (modelled + illustrative): 100.0% of features" in out

    _broken_copy(tiny_town_dir, "negative_population")
    assert main(["validate", str(tiny_town_dir)]) == 1
    out = capsys.readouterr().out
    assert "residential.geojson [id=R2]: population is negative" in out


def test_cli_unknown_norm_set_is_one_line(
    tiny_town_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(tiny_town_dir), "--norms", "no_such_set"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("planner: error: ")
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_cli_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "is not a folder, nor the name of a known town" in err
