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

import geopandas as gpd
import pandas as pd
from shapely.geometry import LineString, Point, Polygon

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


if __name__ == "__main__":
    main()
