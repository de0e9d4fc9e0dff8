"""The modelled Gusev folder: the generator is deterministic and the committed data keep its rules.

Helper tests (splitting, noding, rounding) use hand-checkable inputs; the Gusev tests read the
committed geodata/gusev/ files directly with geopandas, so they also catch hand edits.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from scipy import sparse
from scipy.sparse import csgraph
from shapely.geometry import LineString

from planner.layers import COHORT_COLUMNS

ROOT = Path(__file__).resolve().parent.parent
GUSEV = ROOT / "geodata" / "gusev"
SCRIPT = ROOT / "scripts" / "build_gusev_model.py"
SOURCES = ROOT / "geodata" / "sources"
METRIC = "EPSG:32634"
LAYERS = ("boundary", "streets", "water", "rail", "districts", "residential", "facilities")

sys.path.insert(0, str(ROOT / "scripts"))
from gusev_model.areas import largest_remainder  # noqa: E402
from gusev_model.lines import merge_chains, node_lines, split_line  # noqa: E402


@pytest.fixture(scope="module")
def layers() -> dict[str, gpd.GeoDataFrame]:
    """Every committed layer, in the metric analysis CRS."""
    return {name: gpd.read_file(GUSEV / f"{name}.geojson").to_crs(METRIC) for name in LAYERS}


# --- helpers: hand-checkable cases ----------------------------------------------------------


def test_largest_remainder_sums_exactly_and_favours_largest_fractions() -> None:
    assert largest_remainder([1.0, 1.0, 1.0], 10).tolist() == [4, 3, 3]
    # 7 x (0.5, 0.3, 0.2) = 3.5, 2.1, 1.4: floors 3, 2, 1; the missing 1 goes to the 0.5.
    assert largest_remainder([0.5, 0.3, 0.2], 7).tolist() == [4, 2, 1]
    assert largest_remainder([0.0, 0.0], 5).tolist() == [0, 0]


def test_node_lines_splits_a_cross_at_one_shared_exact_point() -> None:
    a = LineString([(0, 0), (10, 10)])
    b = LineString([(0, 10), (10, 0)])
    pieces_a, pieces_b = node_lines([a, b])
    assert len(pieces_a) == len(pieces_b) == 2
    shared = {pieces_a[0].coords[-1], pieces_a[1].coords[0], pieces_b[0].coords[-1]}
    assert shared == {(5.0, 5.0)}


def test_split_line_keeps_vertices_and_copies_split_points_exactly() -> None:
    line = LineString([(0, 0), (4, 0), (4, 4)])
    point = (4.0, 1.0000000000000002)
    first, second = split_line(line, [point])
    assert list(first.coords) == [(0, 0), (4, 0), point]
    assert list(second.coords) == [point, (4, 4)]


def test_merge_chains_joins_only_through_plain_two_line_nodes() -> None:
    # A T: a and b continue each other, c joins at their common node -> nothing merges there;
    # d continues c with the same key through a two-line node -> c and d merge.
    a = LineString([(0, 0), (1, 0)])
    b = LineString([(1, 0), (2, 0)])
    c = LineString([(1, 0), (1, 1)])
    d = LineString([(1, 1), (1, 2)])
    merged = merge_chains([a, b, c, d], ["x", "x", "y", "y"])
    lengths = sorted(round(line.length, 6) for line, _ in merged)
    assert lengths == [1.0, 1.0, 2.0]


# --- the generator ----------------------------------------------------------------------------


@pytest.mark.slow
def test_generator_reproduces_the_committed_folder_byte_for_byte(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    committed = sorted(p.name for p in GUSEV.iterdir() if p.is_file())
    assert sorted(p.name for p in tmp_path.iterdir()) == committed
    for name in committed:
        assert (tmp_path / name).read_bytes() == (GUSEV / name).read_bytes(), name


def test_the_raw_boundary_is_the_file_its_readme_describes() -> None:
    source = SOURCES / "gusev-town-polygon-osm.geojson"
    readme = (SOURCES / "README.md").read_text(encoding="utf-8")
    recorded = re.findall(r"\| sha256 \| `([0-9a-f]{64})` \|", readme)
    assert recorded == [hashlib.sha256(source.read_bytes()).hexdigest()]
    feature = json.loads(source.read_text(encoding="utf-8"))["features"][0]
    assert feature["properties"]["osm_id"] == "1356883"
    assert len(feature["geometry"]["coordinates"][0]) == 255


def test_the_committed_boundary_is_the_raw_polygon_reoriented_only() -> None:
    raw = json.loads((SOURCES / "gusev-town-polygon-osm.geojson").read_text(encoding="utf-8"))
    written = json.loads((GUSEV / "boundary.geojson").read_text(encoding="utf-8"))
    ring_raw = raw["features"][0]["geometry"]["coordinates"][0]
    ring_written = written["features"][0]["geometry"]["coordinates"][0]
    # RFC 7946 wants exterior rings counter-clockwise: same vertices, same start, reversed order.
    # The raw ring is clockwise, so the writer reverses it; every coordinate is kept exactly.
    assert ring_written == [ring_raw[0], *reversed(ring_raw[1:-1]), ring_raw[0]]
    assert written["features"][0]["properties"]["provenance"] == "osm"


def test_generator_says_what_is_missing_when_the_boundary_file_is_absent(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(tmp_path), "--boundary", "nowhere.geojson"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 1
    assert result.stdout.strip().splitlines() == [
        "error: boundary file nowhere.geojson not found; restore "
        "geodata/sources/gusev-town-polygon-osm.geojson or pass --boundary."
    ]
    assert list(tmp_path.iterdir()) == []


# --- invariants of the committed data ---------------------------------------------------------


@pytest.mark.slow
def test_ids_are_unique_and_provenance_is_honest(layers: dict[str, gpd.GeoDataFrame]) -> None:
    for name, frame in layers.items():
        assert frame["id"].is_unique, name
        assert list(frame["id"]) == sorted(frame["id"]), f"{name} not sorted by id"
    assert set(layers["boundary"]["provenance"]) == {"osm"}
    for name in ("streets", "water", "rail", "districts", "residential"):
        assert set(layers[name]["provenance"]) == {"modelled"}, name
    assert set(layers["facilities"]["provenance"]) == {"approximate", "illustrative"}


@pytest.mark.slow
def test_population_is_the_official_total_and_cohorts_add_up(
    layers: dict[str, gpd.GeoDataFrame],
) -> None:
    residential = layers["residential"]
    meta = tomllib.loads((GUSEV / "town.toml").read_text(encoding="utf-8"))
    assert meta["population"] == 28_600
    assert int(residential["population"].sum()) == 28_600
    cohorts = residential[list(COHORT_COLUMNS)]
    assert (cohorts >= 0).all().all()
    assert (cohorts.sum(axis=1) == residential["population"]).all()
    assert 250 <= len(residential) <= 600
    assert set(residential["district"]) <= set(layers["districts"]["id"])
    assert set(residential["housing"]) == {"apartment", "mixed", "low_rise"}


@pytest.mark.slow
def test_rivers_are_crossed_only_by_their_bridges(layers: dict[str, gpd.GeoDataFrame]) -> None:
    streets, water = layers["streets"], layers["water"].set_index("id")
    expected = {
        "water-pissa": {"bridge": 2, "footbridge": 1},  # docs/gusev.md §3
        "water-krasnaya": {"bridge": 1, "footbridge": 1},  # modelled
    }
    for river_id, counts in expected.items():
        over = streets[streets.intersects(water.geometry[river_id])]
        assert over["kind"].value_counts().to_dict() == counts, river_id
    # No bridge stands on dry land: the kinds count exactly the crossings above.
    assert (streets["kind"] == "bridge").sum() == 3
    assert (streets["kind"] == "footbridge").sum() == 2


@pytest.mark.slow
def test_railway_is_crossed_only_at_crossings(layers: dict[str, gpd.GeoDataFrame]) -> None:
    streets, rail = layers["streets"], layers["rail"].geometry.iloc[0]
    over = streets[streets.intersects(rail)]
    assert set(over["kind"]) == {"crossing"}
    assert len(over) == 4  # 3 level crossings + the footway crossing at the station
    assert (streets["kind"] == "crossing").sum() == 4


@pytest.mark.slow
def test_streets_meet_only_at_shared_end_points() -> None:
    raw = gpd.read_file(GUSEV / "streets.geojson")  # lon/lat as written: exact shared vertices
    geoms = raw.geometry.to_numpy()
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    for a, b in zip(left[left < right], right[left < right], strict=True):
        ends_a = {geoms[a].coords[0], geoms[a].coords[-1]}
        ends_b = {geoms[b].coords[0], geoms[b].coords[-1]}
        touching = {(p.x, p.y) for p in shapely.get_parts(geoms[a].intersection(geoms[b]))}
        assert touching <= ends_a & ends_b, (raw["id"][a], raw["id"][b])


@pytest.mark.slow
def test_street_network_is_one_connected_component() -> None:
    raw = gpd.read_file(GUSEV / "streets.geojson")
    index: dict[tuple[float, float], int] = {}
    ends = np.array(
        [
            [
                index.setdefault(line.coords[0], len(index)),
                index.setdefault(line.coords[-1], len(index)),
            ]
            for line in raw.geometry
        ]
    )
    graph = sparse.coo_array(
        (np.ones(len(ends)), (ends[:, 0], ends[:, 1])), shape=(len(index),) * 2
    )
    n_components, _ = csgraph.connected_components(graph, directed=False)
    assert n_components == 1


@pytest.mark.slow
def test_facilities_are_inside_the_town_and_dry(layers: dict[str, gpd.GeoDataFrame]) -> None:
    facilities = layers["facilities"]
    boundary = layers["boundary"].geometry.iloc[0]
    water = layers["water"].union_all()
    assert facilities.within(boundary).all()
    assert not facilities.intersects(water).any()
    unknown = facilities["capacity_basis"] == "unknown"
    assert facilities.loc[~unknown, "capacity"].notna().all()
    assert facilities.loc[unknown, "capacity"].isna().all()
    services = facilities["service"].value_counts()
    assert services["school"] == 5
    assert services["kindergarten"] == 8


@pytest.mark.slow
def test_districts_tile_the_boundary(layers: dict[str, gpd.GeoDataFrame]) -> None:
    districts = layers["districts"].geometry.to_list()
    boundary = layers["boundary"].geometry.iloc[0]
    union = shapely.union_all(districts)
    assert union.symmetric_difference(boundary).area < 10.0  # m², rounding to 7 decimals
    for a, b in itertools.combinations(districts, 2):
        assert a.intersection(b).area < 1.0


@pytest.mark.slow
def test_housing_keeps_off_water_and_railway(layers: dict[str, gpd.GeoDataFrame]) -> None:
    residential = layers["residential"]
    # Strips kept free: 40 m along the Pissa, 30 m along the Krasnaya, 35 m along the railway.
    assert not residential.intersects(layers["water"].union_all().buffer(25.0)).any()
    assert not residential.intersects(layers["rail"].union_all().buffer(30.0)).any()
    assert residential.within(layers["boundary"].geometry.iloc[0].buffer(0.5)).all()
