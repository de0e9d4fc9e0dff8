"""Writing town folders (``planner.town_write``): the one GeoJSON format, ``town.toml``, atomicity.

The format: a FeatureCollection in EPSG:4326, coordinates rounded to 7 decimals, features sorted
by id one per line, polygon exteriors counter-clockwise, text kept as UTF-8 (not ``\\u`` escapes).
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import (
    GeometryCollection,
    LineString,
    MultiPolygon,
    Point,
    Polygon,
    box,
)

from planner.io import load_town
from planner.layers import LAYER_SPECS
from planner.model import Town
from planner.town_write import (
    DECIMALS,
    geojson_text,
    geometry_json,
    town_toml,
    write_layer,
    write_text,
)


def test_features_are_sorted_by_id_one_per_line() -> None:
    text, count = geojson_text(
        "things", [({"id": "b"}, Point(1, 2)), ({"id": "a"}, Point(3, 4)), ({"id": "c"}, None)]
    )
    assert count == 2  # the feature without geometry is skipped
    lines = text.splitlines()
    assert lines[0] == '{"type": "FeatureCollection", "name": "things", "features": ['
    assert lines[-1] == "]}"
    assert [json.loads(line.rstrip(","))["properties"]["id"] for line in lines[1:-1]] == ["a", "b"]
    assert json.loads(text)["features"][0]["geometry"] == {"type": "Point", "coordinates": [3, 4]}


def test_property_values_become_plain_json() -> None:
    properties = {"id": "x", "n": np.int64(3), "share": np.float32(0.5), "gap": float("nan")}
    text, _ = geojson_text("l", [(properties, Point(0, 0))])
    assert json.loads(text)["features"][0]["properties"] == {
        "id": "x",
        "n": 3,
        "share": 0.5,
        "gap": None,
    }


def test_text_is_kept_as_utf8_not_escaped() -> None:
    text, _ = geojson_text("l", [({"id": "g", "name": "Гусев"}, Point(0, 0))])
    assert '"name": "Гусев"' in text


def test_coordinates_are_rounded_to_seven_decimals() -> None:
    assert DECIMALS == 7
    geo = geometry_json(Point(22.123456789, 54.987654321))
    assert geo == {"type": "Point", "coordinates": [22.1234568, 54.9876543]}


def test_points_that_merge_when_rounded_are_dropped_and_a_collapsed_line_vanishes() -> None:
    line = LineString([(0, 0), (0.00000001, 0), (1, 1)])
    assert geometry_json(line) == {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}
    assert geometry_json(LineString([(0, 0), (0.00000001, 0.00000001)])) is None


def test_polygon_exteriors_turn_counter_clockwise_and_holes_clockwise() -> None:
    clockwise = Polygon(
        [(0, 0), (0, 2), (2, 2), (2, 0)], holes=[[(0.5, 0.5), (1.5, 0.5), (1.5, 1.5), (0.5, 1.5)]]
    )
    geo = geometry_json(clockwise)
    assert geo is not None
    exterior, hole = geo["coordinates"]
    assert exterior == [[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]
    assert shapely.LinearRing(exterior).is_ccw
    assert not shapely.LinearRing(hole).is_ccw


def test_a_multipolygon_of_one_part_is_written_as_a_polygon() -> None:
    single = geometry_json(MultiPolygon([box(0, 0, 1, 1)]))
    double = geometry_json(MultiPolygon([box(0, 0, 1, 1), box(2, 0, 3, 1)]))
    assert single is not None
    assert double is not None
    assert single["type"] == "Polygon"
    assert double["type"] == "MultiPolygon"
    assert len(double["coordinates"]) == 2


def test_empty_geometries_vanish_and_collections_are_refused() -> None:
    assert geometry_json(Polygon()) is None
    assert geometry_json(None) is None
    with pytest.raises(TypeError, match="cannot write a GeometryCollection"):
        geometry_json(GeometryCollection([Point(0, 0)]))


def test_write_layer_reprojects_to_lon_lat_and_reads_back(tmp_path: Path) -> None:
    # UTM 34N (EPSG:32634): easting 500,000 is the zone's central meridian, 21° E.
    frame = gpd.GeoDataFrame(
        {"id": ["p"], "name": ["centre"]}, geometry=[Point(500_000, 6_000_000)], crs="EPSG:32634"
    )
    path = tmp_path / "points.geojson"
    assert write_layer(path, "points", frame) == 1
    back = gpd.read_file(path)
    assert back.crs.to_epsg() == 4326
    assert back.geometry.iloc[0].x == pytest.approx(21.0, abs=1e-7)
    assert 54.0 < back.geometry.iloc[0].y < 54.2  # 6,000 km north of the equator
    assert list(back["name"]) == ["centre"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "town.toml"
    path.write_text("old\n", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        write_text(path, "new \ud800")  # a lone surrogate cannot be encoded as UTF-8
    assert path.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["town.toml"]


def test_town_toml_keeps_the_key_order_and_parses_back() -> None:
    values: dict[str, str | int] = {
        "name": 'Gusev "model"',
        "name_ru": "Гусев",
        "population": 28_600,
    }
    text = town_toml(values, header="Written by a test.\n\nSecond paragraph.")
    assert text.splitlines()[:4] == [
        "# Written by a test.",
        "#",
        "# Second paragraph.",
        "",
    ]
    assert 'name_ru = "Гусев"' in text
    assert "population = 28600" in text
    assert list(tomllib.loads(text).items()) == list(values.items())


def test_a_town_written_layer_by_layer_loads_as_the_same_town(
    tiny_town: Town, tmp_path: Path
) -> None:
    meta = tiny_town.meta
    values: dict[str, str | int] = {
        "name": meta.name,
        "name_ru": meta.name_ru,
        "population": meta.population,
        "population_year": meta.population_year,
        "population_source": meta.population_source,
        "crs": meta.crs,
        "size_class": meta.size_class,
        "attribution": meta.attribution,
    }
    write_text(tmp_path / "town.toml", town_toml(values, header="test copy"))
    for name in LAYER_SPECS:
        frame = tiny_town.layer(name)
        if len(frame):
            write_layer(tmp_path / f"{name}.geojson", name, frame)
    copy = load_town(tmp_path)
    assert copy.meta == meta
    for name in LAYER_SPECS:
        original, written = tiny_town.layer(name), copy.layer(name)
        assert list(written["id"]) == sorted(original["id"])
        # Rounding to 1e-7 degrees moves points by about a centimetre at most.
        aligned = original.set_index("id").geometry.loc[list(written["id"])]
        distances = aligned.reset_index(drop=True).hausdorff_distance(written.geometry)
        assert (distances < 0.05).all(), name
