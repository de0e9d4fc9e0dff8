"""import-osm on a hand-made town (tests/data/osm/edge_town.osm) whose answers are known.

The town: three streets meeting at shared nodes, a footbridge crossing ул. Ленина without a
shared node, a private service road, a road with foot=no and a pedestrian area (all three not
walkable); a multipolygon apartment block with a courtyard (5 levels), a house and a building on
residential land without levels, a building off residential land; school grounds with the school
building and a school node inside; a multipolygon relation with a member missing; a kindergarten
node, a pharmacy outside the boundary and a private swimming pool.
"""

from __future__ import annotations

import bz2
import json
import shutil
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from planner.analysis import analyze_town
from planner.cli.main import main
from planner.figures import summary_table
from planner.io import check_town, load_town
from planner.norms import load_norms
from planner.osm.importer import (
    bbox_boundary,
    import_osm,
    load_boundary,
    parse_bbox,
)
from planner.osm.options import ImportOptions, ImportReport, OsmImportError
from planner.osm.read import OsmReadError

DATA = Path(__file__).parent / "data" / "osm"
EDGE = DATA / "edge_town.osm"
EDGE_BOUNDARY = DATA / "edge_boundary.geojson"


def _import(extract: Path, out: Path, **options: object) -> ImportReport:
    return import_osm(
        extract,
        boundary=load_boundary(EDGE_BOUNDARY),
        out=out,
        options=ImportOptions(name="Edge", **options),  # type: ignore[arg-type]
    )


@pytest.fixture(scope="module")
def edge(tmp_path_factory: pytest.TempPathFactory) -> ImportReport:
    return _import(EDGE, tmp_path_factory.mktemp("edge") / "town", population=1000)


def _layer(report: ImportReport, name: str) -> gpd.GeoDataFrame:
    return gpd.read_file(report.folder / f"{name}.geojson")


def test_streets_split_at_shared_nodes_and_filtered(edge: ImportReport) -> None:
    streets = _layer(edge, "streets").set_index("id")
    assert set(streets.index) == {"way/10:1", "way/10:2", "way/11", "way/12", "way/13", "way/14"}
    assert streets.loc["way/13", "kind"] == "footbridge"
    assert streets.loc["way/12", "kind"] == "tertiary"
    assert (streets["provenance"] == "osm").all()
    assert streets["osm_id"].str.match(r"^way/\d+$").all()
    # Node 2 (22.192, 54.59) is a junction: an end point of both parts of way 10, of 11 and 14.
    junction = (22.192, 54.59)
    ends = [
        tuple(round(c, 7) for c in coords)
        for geom in streets.geometry
        for coords in (geom.coords[0], geom.coords[-1])
    ]
    assert ends.count(junction) == 4
    # The footbridge crosses ул. Ленина at (22.193, 54.59) without a node: no vertex there.
    vertices = {tuple(round(c, 7) for c in xy) for g in streets.geometry for xy in g.coords}
    assert (22.193, 54.59) not in vertices
    assert edge.street_components == 1


def test_residential_buildings_and_population(edge: ImportReport) -> None:
    res = _layer(edge, "residential").set_index("id")
    assert set(res.index) == {"relation/100", "way/110", "way/121"}
    block = res.loc["relation/100"]
    assert block["housing"] == "apartment"
    assert len(block.geometry.interiors) == 1  # the courtyard of the multipolygon
    assert block["levels"] == 5
    assert bool(block["levels_tagged"])
    assert res.loc["way/110", "levels"] == 1  # untagged house: default 1 level
    assert res.loc["way/121", "housing"] == "low_rise"  # building=yes on residential land
    assert edge.untagged_levels == 2
    assert int(res["population"].sum()) == 1000
    cohorts = res[["pop_0_6", "pop_7_17", "pop_18_64", "pop_65_plus"]].sum(axis=1)
    assert (cohorts == res["population"]).all()
    # Hand check: footprint × levels × 0.75 ÷ 28 m², summed over the three buildings.
    metric = res.to_crs("EPSG:32634")
    expected = float((metric.area * res["levels"] * 0.75 / 28.0).sum())
    assert edge.estimated_population == pytest.approx(expected, rel=1e-3)
    assert edge.scale_factor == pytest.approx(1000 / expected, rel=1e-3)


def test_school_grounds_building_and_node_become_one_facility(edge: ImportReport) -> None:
    fac = _layer(edge, "facilities").set_index("id")
    assert set(fac.index) == {"way/130", "node/150"}  # pharmacy outside, private pool left out
    school = fac.loc["way/130"]
    assert school["service"] == "school"
    assert (school["name"], school["name_ru"]) == ("School No. 1", "Школа № 1")
    assert (school["capacity"], school["capacity_basis"]) == (600, "source")
    assert school["address"] == "ул. Ленина 5"
    assert school.geometry.equals_exact(shapely.Point(22.193, 54.5908), 1e-7)  # on the node
    assert edge.merged_duplicates == ["node/153 -> way/130"]
    kindergarten = fac.loc["node/150"]
    assert (kindergarten["capacity"], kindergarten["capacity_basis"]) == (180, "estimate")
    assert "ODbL" in kindergarten["source"]
    assert "node/150" in kindergarten["source"]


def test_relation_with_missing_member_is_reported(edge: ImportReport) -> None:
    assert edge.incomplete_relations == ["relation/140"]
    assert "relation/140" in (edge.folder / "README.md").read_text(encoding="utf-8")


def test_timestamp_and_licence(edge: ImportReport) -> None:
    assert edge.timestamp == "2024-06-15T08:30:00Z"
    assert edge.timestamp_basis == "newest object"
    readme = (edge.folder / "README.md").read_text(encoding="utf-8")
    assert "© OpenStreetMap contributors, ODbL 1.0" in readme
    toml = (edge.folder / "town.toml").read_text(encoding="utf-8")
    assert 'crs = "EPSG:32634"' in toml
    assert "population = 1000" in toml


def test_folder_validates_and_analyses(edge: ImportReport) -> None:
    assert edge.errors == []
    norms = load_norms()
    town, issues = check_town(edge.folder, norms=norms)
    assert town is not None, issues
    analysis = analyze_town(town, norms, services=["school", "kindergarten"])
    summary = summary_table(analysis).set_index("service")
    covered = summary["covered_network_share"].to_dict()
    demand = summary["demand"].to_dict()
    # The apartment block (986 of 1,000 residents) is 100-200 m from the school by street.
    assert 0.98 <= covered["school"] <= 1.0
    assert demand["kindergarten"] > 0


def test_geojson_format(edge: ImportReport) -> None:
    lines = (edge.folder / "streets.geojson").read_text(encoding="utf-8").splitlines()
    features = [json.loads(line.rstrip(",")) for line in lines[1:-1]]
    ids = [f["properties"]["id"] for f in features]
    assert ids == sorted(ids)
    coords = [c for f in features for xy in f["geometry"]["coordinates"] for c in xy]
    assert all(round(c, 7) == c for c in coords)


def test_bz2_gives_the_same_streets(tmp_path: Path) -> None:
    packed = tmp_path / "edge_town.osm.bz2"
    packed.write_bytes(bz2.compress(EDGE.read_bytes()))
    report = _import(packed, tmp_path / "town")
    assert report.layer_counts["streets"] == 6
    assert report.population == round(report.estimated_population)


OVERPASS = {
    "version": 0.6,
    "osm3s": {"timestamp_osm_base": "2025-01-02T03:04:05Z"},
    "elements": [
        {
            "type": "way",
            "id": 10,
            "nodes": [1, 2, 3],
            "geometry": [
                {"lat": 54.59, "lon": 22.19},
                {"lat": 54.59, "lon": 22.192},
                {"lat": 54.59, "lon": 22.194},
            ],
            "tags": {"highway": "residential"},
        },
        {
            "type": "way",
            "id": 11,
            "nodes": [2, 4],
            "geometry": [{"lat": 54.59, "lon": 22.192}, {"lat": 54.592, "lon": 22.192}],
            "tags": {"highway": "footway"},
        },
        {
            "type": "node",
            "id": 150,
            "lat": 54.5925,
            "lon": 22.1945,
            "tags": {"amenity": "library", "name": "Библиотека"},
        },
        {
            "type": "relation",
            "id": 100,
            "tags": {"type": "multipolygon", "building": "apartments", "building:levels": "4"},
            "members": [
                {
                    "type": "way",
                    "ref": 101,
                    "role": "outer",
                    "geometry": [
                        {"lat": 54.5905, "lon": 22.1905},
                        {"lat": 54.5905, "lon": 22.1915},
                        {"lat": 54.5912, "lon": 22.1915},
                    ],
                },
                {
                    "type": "way",
                    "ref": 102,
                    "role": "outer",
                    "geometry": [
                        {"lat": 54.5912, "lon": 22.1915},
                        {"lat": 54.5912, "lon": 22.1905},
                        {"lat": 54.5905, "lon": 22.1905},
                    ],
                },
            ],
        },
    ],
}


def test_overpass_json(tmp_path: Path) -> None:
    export = tmp_path / "export.json"
    export.write_text(json.dumps(OVERPASS), encoding="utf-8")
    report = _import(export, tmp_path / "town")
    assert report.timestamp == "2025-01-02T03:04:05Z"
    assert report.timestamp_basis == "header"
    streets = _layer(report, "streets")
    assert sorted(streets["id"]) == ["way/10:1", "way/10:2", "way/11"]
    res = _layer(report, "residential")
    assert list(res["id"]) == ["relation/100"]  # ring closed from member geometry alone
    fac = _layer(report, "facilities")
    assert list(fac["service"]) == ["library"]
    assert report.errors == []


def test_broken_xml_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(OsmReadError, match="truncated, corrupt or not OpenStreetMap"):
        _import(DATA / "broken.osm", tmp_path / "town")
    assert not (tmp_path / "town" / "streets.geojson").exists()


def test_truncated_pbf_is_a_clear_error(tmp_path: Path) -> None:
    whole = tmp_path / "whole.osm.pbf"
    report_dir = tmp_path / "first"
    _import(EDGE, report_dir)
    import osmium

    with osmium.SimpleWriter(str(whole)) as writer:
        for obj in osmium.FileProcessor(str(EDGE)):
            writer.add(obj)
    cut = tmp_path / "cut.osm.pbf"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(OsmReadError, match=r"cut\.osm\.pbf"):
        _import(cut, tmp_path / "town")


def test_bad_json_and_missing_file(tmp_path: Path) -> None:
    bad = tmp_path / "export.json"
    bad.write_text('{"elements": [', encoding="utf-8")
    with pytest.raises(OsmReadError, match="Overpass JSON"):
        _import(bad, tmp_path / "a")
    with pytest.raises(OsmReadError, match="does not exist"):
        _import(tmp_path / "nothing.osm.pbf", tmp_path / "b")


def test_refuses_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "town").mkdir()
    (tmp_path / "town" / "keep.txt").write_text("x", encoding="utf-8")
    with pytest.raises(OsmImportError, match="not empty"):
        _import(EDGE, tmp_path / "town")


def test_bbox_outside_extract(tmp_path: Path) -> None:
    with pytest.raises(OsmImportError, match="no walkable street"):
        import_osm(
            EDGE,
            boundary=bbox_boundary(parse_bbox("10,10,10.01,10.01")),
            out=tmp_path / "town",
            options=ImportOptions(name="Nowhere"),
        )


def test_parse_bbox_rejects_swapped() -> None:
    with pytest.raises(OsmImportError, match="west < east"):
        parse_bbox("22.24,54.56,22.15,54.62")


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "town"
    code = main(
        [
            "import-osm",
            str(EDGE),
            "--boundary",
            str(EDGE_BOUNDARY),
            "--name",
            "Edge",
            "--out",
            str(out),
            "--population",
            "500",
            "--living-area-m2",
            "30",
        ]
    )
    captured = capsys.readouterr()
    assert code == 0, captured
    assert "Residents: 500" in captured.out
    assert "reading edge_town.osm" in captured.err
    assert load_town(out).meta.population == 500
    # A second run into the same folder needs --overwrite; errors are one line, exit 2.
    code = main(["import-osm", str(EDGE), "--bbox", "1,2,3", "--name", "E", "--out", str(out)])
    assert code == 2
    assert capsys.readouterr().err.strip().count("\n") == 0


def test_cli_overwrite_removes_stale_layers(tmp_path: Path) -> None:
    out = tmp_path / "town"
    shutil.copytree(Path("geodata/gusev"), out)
    args = ["import-osm", str(EDGE), "--boundary", str(EDGE_BOUNDARY), "--name", "Edge"]
    assert main([*args, "--out", str(out), "--overwrite"]) == 0
    assert not (out / "water.geojson").exists()
    assert load_town(out).meta.name == "Edge"


def test_overwrite_keeps_what_an_import_does_not_write(tmp_path: Path) -> None:
    out = tmp_path / "town"
    _import(EDGE, out)
    (out / "scenarios").mkdir()
    (out / "scenarios" / "plan.toml").write_text('name = "plan"\n', encoding="utf-8")
    (out / "water.geojson").write_text("{}", encoding="utf-8")
    _import(EDGE, out, overwrite=True)
    assert (out / "scenarios" / "plan.toml").read_text(encoding="utf-8") == 'name = "plan"\n'
    assert not (out / "water.geojson").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["town"]


@pytest.mark.parametrize("overwrite", [False, True])
def test_an_import_that_dies_while_writing_leaves_no_half_built_folder(
    tmp_path: Path, monkeypatch, overwrite: bool
) -> None:
    from planner.town_write import write_layer as real_write

    out = tmp_path / "town"
    if overwrite:
        _import(EDGE, out, population=700)
    before = {p.name: p.read_bytes() for p in out.iterdir()} if overwrite else None
    calls = []

    def dies_on_the_third_layer(path: Path, name: str, frame: gpd.GeoDataFrame) -> int:
        calls.append(name)
        if len(calls) == 3:
            raise KeyboardInterrupt  # as if killed: the process stops mid-write
        return real_write(path, name, frame)

    monkeypatch.setattr("planner.osm.importer.write_layer", dies_on_the_third_layer)
    with pytest.raises(KeyboardInterrupt):
        _import(EDGE, out, population=1000, overwrite=overwrite)
    if overwrite:
        assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    else:
        assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == (["town"] if overwrite else [])
    monkeypatch.setattr("planner.osm.importer.write_layer", real_write)
    report = _import(EDGE, out, population=1000, overwrite=overwrite)  # a re-run just works
    assert load_town(report.folder).meta.population == 1000
