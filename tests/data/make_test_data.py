"""Write the tiny test town and the broken-file catalogue (run once; outputs are committed).

The tiny town, drawn in EPSG:32634 metres from the origin (576000, 6050000) near Gusev::

    y=200  S7----S8----+        streets every 100 m (S1..S12), split at every junction
           | R3  | R4  |        residential blocks R1..R4 are the 100 m cells shrunk by 10 m
    y=100  +-----+-----+        population R1 100, R2 200, R3 300, R4 400 (total 1,000)
           | R1  | R2  |        school F1 at (0, 0), kindergarten F2 at (200, 200)
    y=0    F1----+-----+        districts: west (x < 100), east (x >= 100)
          x=0  x=100  x=200     boundary: the square -50..250

Usage: ``python tests/data/make_test_data.py`` from the repository root.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import LineString, Point, Polygon, box

HERE = Path(__file__).parent
TINY = HERE / "tiny_town"
BROKEN = HERE / "broken"
X0, Y0 = 576_000.0, 6_050_000.0
CRS = "EPSG:32634"


def _p(x: float, y: float) -> tuple[float, float]:
    return (X0 + x, Y0 + y)


def _write(frame: gpd.GeoDataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_crs("EPSG:4326").to_file(path, driver="GeoJSON", COORDINATE_PRECISION=7)


def tiny_layers() -> dict[str, gpd.GeoDataFrame]:
    """Return the tiny town's layers in EPSG:32634."""
    streets = []
    n = 0
    for k in (0, 100, 200):
        for a in (0, 100):
            n += 1
            streets.append(
                (f"S{n}", "residential", f"Line {k}", LineString([_p(k, a), _p(k, a + 100)]))
            )
            n += 1
            streets.append(
                (f"S{n}", "residential", f"Row {k}", LineString([_p(a, k), _p(a + 100, k)]))
            )
    streets_gdf = gpd.GeoDataFrame(
        {
            "id": [s[0] for s in streets],
            "kind": [s[1] for s in streets],
            "name": [s[2] for s in streets],
            "provenance": "modelled",
        },
        geometry=[s[3] for s in streets],
        crs=CRS,
    )
    cells = [
        (0, 0, 100, "west"),
        (100, 0, 200, "east"),
        (0, 100, 300, "west"),
        (100, 100, 400, "east"),
    ]
    residential = gpd.GeoDataFrame(
        {
            "id": [f"R{i + 1}" for i in range(4)],
            "population": [c[2] for c in cells],
            "housing": ["apartment", "mixed", "low_rise", "apartment"],
            "district": [c[3] for c in cells],
            "provenance": "modelled",
            "pop_0_6": [int(c[2] * 0.07) for c in cells],
            "pop_7_17": [int(c[2] * 0.13) for c in cells],
            "pop_18_64": [
                c[2] - int(c[2] * 0.07) - int(c[2] * 0.13) - int(c[2] * 0.17) for c in cells
            ],
            "pop_65_plus": [int(c[2] * 0.17) for c in cells],
        },
        geometry=[box(*_p(x + 10, y + 10), *_p(x + 90, y + 90)) for x, y, _, _ in cells],
        crs=CRS,
    )
    facilities = gpd.GeoDataFrame(
        {
            "id": ["F1", "F2"],
            "service": ["school", "kindergarten"],
            "name": ["School 1", "Kindergarten 2"],
            "name_ru": ["Школа 1", "Детский сад 2"],
            "address": ["Line 0, 1", "Line 200, 2"],
            "capacity": [100.0, 40.0],
            "capacity_basis": ["estimate", "estimate"],
            "status": ["existing", "existing"],
            "provenance": ["illustrative", "illustrative"],
            "source": ["test fixture", "test fixture"],
        },
        geometry=[Point(_p(0, 0)), Point(_p(200, 200))],
        crs=CRS,
    )
    boundary = gpd.GeoDataFrame(
        {"id": ["B"], "name": ["Tiny"], "provenance": ["modelled"], "source": ["test fixture"]},
        geometry=[box(*_p(-50, -50), *_p(250, 250))],
        crs=CRS,
    )
    districts = gpd.GeoDataFrame(
        {
            "id": ["west", "east"],
            "name": ["West", "East"],
            "name_ru": ["Запад", "Восток"],
            "provenance": "modelled",
        },
        geometry=[box(*_p(-50, -50), *_p(100, 250)), box(*_p(100, -50), *_p(250, 250))],
        crs=CRS,
    )
    return {
        "streets": streets_gdf,
        "residential": residential,
        "facilities": facilities,
        "boundary": boundary,
        "districts": districts,
    }


TOWN_TOML = """name = "Tiny"
name_ru = "Крошечный"
population = 1000
population_year = 2025
population_source = "test fixture"
crs = "EPSG:32634"
size_class = "small"
attribution = "test fixture, no real data"
default_norms = "sp42_small_town"
"""


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


def main() -> None:
    shutil.rmtree(TINY, ignore_errors=True)
    for name, frame in tiny_layers().items():
        _write(frame, TINY / f"{name}.geojson")
    (TINY / "town.toml").write_text(TOWN_TOML, encoding="utf-8")
    shutil.rmtree(BROKEN, ignore_errors=True)
    for case, layers in broken_cases().items():
        for name, frame in layers.items():
            _write(frame, BROKEN / case / f"{name}.geojson")
    # A layer with projected coordinates saved as if they were lon/lat.
    path = BROKEN / "projected_coordinates" / "boundary.geojson"
    path.parent.mkdir(parents=True, exist_ok=True)
    b = tiny_layers()["boundary"]
    feature = json.loads(b.to_json())
    feature.pop("crs", None)  # no CRS member: GeoJSON readers then assume lon/lat (RFC 7946)
    path.write_text(json.dumps(feature), encoding="utf-8")


if __name__ == "__main__":
    main()
