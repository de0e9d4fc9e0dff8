"""Line-shaped synthetic towns whose scenario answers are checked by hand.

All coordinates are metres in EPSG:32634 from the origin ``X0, Y0`` (near Gusev). Every home is
a 20 m square whose centre (its representative point) lies 10 m north of the street at y = 0, so
a home at x walks 10 m to the street, then along it. Each home has 70 children aged 0-6, so
its kindergarten demand is 70 × 6/7 × 0.85 = 51 places exactly (the SP 42 rule of the default
norm set), and 1,000 residents.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
from pyproj import Transformer
from shapely.geometry import LineString, Point, box

from planner.model import Town
from tests.factories import CRS, tiny_meta

X0 = 577_000.0
Y0 = 6_049_000.0
"""Origin of the line towns (fixed here: the scenario catalogue files use lon/lat from it)."""

KG_PLACES_PER_HOME = 51.0
_TO_LONLAT = Transformer.from_crs(CRS, "EPSG:4326", always_xy=True)


def lonlat(x: float, y: float) -> tuple[float, float]:
    """Return (lon, lat) of a point given in metres from the origin."""
    lon, lat = _TO_LONLAT.transform(X0 + x, Y0 + y)
    return (float(lon), float(lat))


def _frame(rows: list[dict[str, object]]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(pd.DataFrame(rows), geometry="geometry", crs=CRS)


def _home(ident: str, x: float) -> dict[str, object]:
    return {
        "id": ident,
        "population": 1000,
        "housing": "apartment",
        "district": "d1",
        "provenance": "modelled",
        "pop_0_6": 70,
        "pop_7_17": 130,
        "pop_18_64": 640,
        "pop_65_plus": 160,
        "geometry": box(X0 + x - 10, Y0, X0 + x + 10, Y0 + 20),
    }


def _street(ident: str, x1: float, x2: float, kind: str = "residential") -> dict[str, object]:
    return {
        "id": ident,
        "kind": kind,
        "name": "",
        "provenance": "modelled",
        "geometry": LineString([(X0 + x1, Y0), (X0 + x2, Y0)]),
    }


def _kindergarten(ident: str, x: float, capacity: float) -> dict[str, object]:
    return {
        "id": ident,
        "service": "kindergarten",
        "name": ident,
        "name_ru": ident,
        "address": "",
        "capacity": capacity,
        "status": "existing",
        "provenance": "modelled",
        "source": "test",
        "geometry": Point(X0 + x, Y0),
    }


def line_town(
    homes: dict[str, float],
    streets: list[tuple[str, float, float]],
    kindergartens: list[tuple[str, float, float]],
) -> Town:
    """A town along y = 0 from x = -100 to 2,100 (boundary -100..2,100 × -200..200).

    Parameters
    ----------
    homes
        Home id -> x of its centre.
    streets
        (id, x1, x2) street segments along y = 0.
    kindergartens
        (id, x, capacity) kindergartens on the street.
    """
    boundary = _frame(
        [{"id": "b", "name": "Line", "provenance": "modelled", "source": "test",
          "geometry": box(X0 - 100, Y0 - 200, X0 + 2100, Y0 + 200)}]
    )  # fmt: skip
    districts = _frame(
        [{"id": "d1", "name": "Line", "name_ru": "Линия", "provenance": "modelled",
          "geometry": box(X0 - 100, Y0 - 200, X0 + 2100, Y0 + 200)}]
    )  # fmt: skip
    residential = _frame([_home(i, x) for i, x in homes.items()])
    facilities = _frame([_kindergarten(i, x, c) for i, x, c in kindergartens])
    empty = gpd.GeoDataFrame(
        {"id": [], "name": [], "provenance": []}, geometry=gpd.GeoSeries([], crs=CRS), crs=CRS
    )
    return Town(
        folder=Path("line"),
        meta=tiny_meta(name="Line", population=1000 * len(homes)),
        boundary=boundary,
        residential=residential,
        facilities=facilities,
        streets=_frame([_street(*s) for s in streets]),
        water=empty,
        rail=empty,
        districts=districts,
    )
