"""Write the tiny test town and the broken-file catalogue (outputs are committed).

The tiny town's one definition is ``tests.factories.tiny_layers()`` (drawn in its docstring); this
script writes it to ``tests/data/tiny_town/`` and writes, per case of ``broken_cases()``, the
layers that replace the tiny town's to break exactly one rule. ``tests/test_tiny_town.py`` runs it
into a temporary folder and compares every file with the committed ones, so they cannot drift.

Usage, from the repository root: ``.venv/bin/python tests/data/make_test_data.py``.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
from shapely.geometry import LineString, Point, Polygon, box

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.factories import CRS, X0, Y0, tiny_layers, tiny_town_toml

HERE = Path(__file__).parent


def _p(x: float, y: float) -> tuple[float, float]:
    return (X0 + x, Y0 + y)


def _write(frame: gpd.GeoDataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_crs("EPSG:4326").to_file(path, driver="GeoJSON", COORDINATE_PRECISION=7)


def broken_cases() -> dict[str, dict[str, gpd.GeoDataFrame | Polygon]]:
    """Return, per case name, the layers that replace the tiny town's (EPSG:32634)."""
    base = tiny_layers()
    cases: dict[str, dict[str, gpd.GeoDataFrame | Polygon]] = {}

    res = base["residential"].copy()
    res.loc[1, "population"] = -200
    cases["negative_population"] = {"residential": res}

    res = base["residential"].copy()
    res.loc[2, "id"] = "R1"
    cases["duplicate_ids"] = {"residential": res}

    res = base["residential"].drop(columns=["housing"])
    cases["missing_column"] = {"residential": res}

    res = base["residential"].copy()
    res["population"] = res["population"].astype(object)
    res.loc[0, "population"] = "about 100"
    cases["mistyped_population"] = {"residential": res}

    res = base["residential"].copy()
    res.loc[3, "geometry"] = Polygon([_p(110, 110), _p(190, 190), _p(190, 110), _p(110, 190)])
    cases["invalid_geometry"] = {"residential": res}

    res = base["residential"].copy()
    res.loc[0, "geometry"] = Point(_p(50, 50))
    cases["wrong_geometry_type"] = {"residential": res}

    fac = base["facilities"].copy()
    fac.loc[1, "service"] = "spaceport"
    cases["unknown_service"] = {"facilities": fac}

    fac = base["facilities"].copy()
    fac.loc[0, "capacity"] = -5.0
    cases["negative_capacity"] = {"facilities": fac}

    fac = base["facilities"].copy()
    fac.loc[1, "geometry"] = Point(_p(900, 900))
    cases["facility_outside"] = {"facilities": fac}

    res = base["residential"].copy()
    res.loc[3, "population"] = 4000
    res.loc[3, "pop_18_64"] = res.loc[3, "pop_18_64"] + 3600
    cases["population_mismatch"] = {"residential": res}

    res = base["residential"].copy()
    res.loc[1, "geometry"] = box(*_p(600, 0), *_p(680, 80))  # 350 m east of the boundary
    cases["residential_outside"] = {"residential": res}

    res = base["residential"].copy()
    res.loc[1, "geometry"] = box(*_p(200, 10), *_p(400, 90))  # 3/4 of it beyond x=250
    cases["residential_mostly_outside"] = {"residential": res}

    # One street piece in the south-west corner: the north-east block is 262 m from it.
    st = base["streets"].iloc[:1].copy()
    st.loc[0, "geometry"] = LineString([_p(-40, -40), _p(-40, -30)])
    cases["one_street"] = {"streets": st}

    st = base["streets"].copy()
    st["geometry"] = st.geometry.translate(xoff=50_000)  # another town's streets, 50 km east
    cases["layer_far_away"] = {"streets": st}

    st = base["streets"].copy()
    extra = gpd.GeoDataFrame(
        {"id": ["S99"], "kind": ["footway"], "name": ["Lonely path"], "provenance": ["modelled"]},
        geometry=[LineString([_p(40, 40), _p(60, 60)])],
        crs=CRS,
    )
    cases["disconnected_streets"] = {
        "streets": gpd.GeoDataFrame(pd.concat([st, extra], ignore_index=True), crs=CRS)
    }
    return cases


def _swap_xy(coordinates: list[Any]) -> list[Any]:
    if coordinates and isinstance(coordinates[0], int | float):
        return [coordinates[1], coordinates[0], *coordinates[2:]]
    return [_swap_xy(c) for c in coordinates]


def raw_cases(tiny: Path) -> dict[str, dict[str, bytes]]:
    """Return, per case name, file name -> bytes: faults GeoPandas cannot write on purpose.

    Built from the tiny town's files in ``tiny`` (written first by ``main``).
    """

    def _tiny_text(name: str) -> str:
        return (tiny / name).read_text(encoding="utf-8")

    def _tiny_json(name: str) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(_tiny_text(name))
        return data

    cases: dict[str, dict[str, bytes]] = {}
    town_toml = tiny_town_toml()
    toml = town_toml.encode("utf-8")

    def with_crs(crs: str) -> bytes:
        return town_toml.replace('crs = "EPSG:32634"', f'crs = "{crs}"').encode("utf-8")

    cases["crs_web_mercator"] = {"town.toml": with_crs("EPSG:3857")}
    cases["crs_other_side_of_globe"] = {"town.toml": with_crs("EPSG:32604")}  # UTM 4N, 162-156 W
    cases["crs_in_feet"] = {"town.toml": with_crs("EPSG:2263")}  # New York, US survey feet
    cases["crs_neighbour_zone"] = {"town.toml": with_crs("EPSG:32635")}  # UTM 35N: 24-30 E
    cases["town_toml_bom"] = {"town.toml": b"\xef\xbb\xbf" + toml}
    cases["town_toml_utf16"] = {"town.toml": town_toml.encode("utf-16")}
    long_name = town_toml.replace('name = "Tiny"', f'name = "{"Tiny" * 25_000}"')
    cases["town_name_too_long"] = {"town.toml": long_name.encode("utf-8")}

    swapped = {}
    for name in ("boundary", "residential", "facilities", "streets", "districts"):
        data = _tiny_json(f"{name}.geojson")
        for feature in data["features"]:
            geometry = feature["geometry"]
            geometry["coordinates"] = _swap_xy(geometry["coordinates"])
        swapped[f"{name}.geojson"] = json.dumps(data).encode("utf-8")
    cases["lonlat_swapped_everywhere"] = swapped
    cases["lonlat_swapped_in_streets"] = {"streets.geojson": swapped["streets.geojson"]}

    residential = _tiny_json("residential.geojson")
    residential["features"][0]["geometry"]["coordinates"] = [
        [[-180, -85], [180, -85], [180, 85], [-180, 85], [-180, -85]]
    ]
    cases["residential_covers_globe"] = {
        "residential.geojson": json.dumps(residential).encode("utf-8")
    }

    infinite = _tiny_json("facilities.geojson")
    infinite["features"][0]["properties"]["capacity"] = float("inf")  # the bare word Infinity
    cases["capacity_infinity"] = {"facilities.geojson": json.dumps(infinite).encode("utf-8")}

    streets = _tiny_text("streets.geojson")
    cases["layer_utf16"] = {"streets.geojson": streets.encode("utf-16")}
    cases["layer_empty"] = {"streets.geojson": b""}
    facilities = _tiny_json("facilities.geojson")
    cases["layer_cp1251"] = {
        "facilities.geojson": json.dumps(facilities, ensure_ascii=False).encode("cp1251")
    }
    cases["layer_not_json"] = {"streets.geojson": streets[:-40].encode("utf-8")}
    cases["bare_feature"] = {
        "facilities.geojson": json.dumps(facilities["features"][0]).encode("utf-8")
    }
    cases["bare_geometry"] = {
        "facilities.geojson": json.dumps(facilities["features"][0]["geometry"]).encode("utf-8")
    }
    nan = _tiny_json("residential.geojson")
    nan["features"][0]["geometry"]["coordinates"][0][1] = [float("nan"), float("nan")]
    nan_point = _tiny_json("facilities.geojson")
    nan_point["features"][1]["geometry"]["coordinates"] = [float("nan"), float("nan")]
    cases["nan_coordinates"] = {
        "residential.geojson": json.dumps(nan).encode("utf-8"),  # Python writes the word NaN
        "facilities.geojson": json.dumps(nan_point).encode("utf-8"),
    }
    return cases


def main(out: Path = HERE) -> None:
    """Write ``tiny_town/`` and ``broken/`` into ``out`` (default: this folder)."""
    tiny, broken = out / "tiny_town", out / "broken"
    shutil.rmtree(tiny, ignore_errors=True)
    for name, frame in tiny_layers().items():
        _write(frame, tiny / f"{name}.geojson")
    (tiny / "town.toml").write_text(tiny_town_toml(), encoding="utf-8")
    shutil.rmtree(broken, ignore_errors=True)
    for case, layers in broken_cases().items():
        for name, frame in layers.items():
            _write(frame, broken / case / f"{name}.geojson")
    # A layer with projected coordinates saved as if they were lon/lat.
    path = broken / "projected_coordinates" / "boundary.geojson"
    path.parent.mkdir(parents=True, exist_ok=True)
    b = tiny_layers()["boundary"]
    feature = json.loads(b.to_json())
    feature.pop("crs", None)  # no CRS member: GeoJSON readers then assume lon/lat (RFC 7946)
    path.write_text(json.dumps(feature), encoding="utf-8")
    for case, files in raw_cases(tiny).items():
        (broken / case).mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (broken / case / name).write_bytes(data)


if __name__ == "__main__":
    main()
