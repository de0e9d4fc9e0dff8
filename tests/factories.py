"""Tiny synthetic towns for tests, small enough to check answers by hand.

``make_tiny_town()`` builds a ``Town`` directly from shapely geometries in EPSG:32634 (UTM 34N),
placed near Gusev (origin ``X0, Y0`` ≈ 22.19° E, 54.58° N). Coordinates below are metres from
that origin. The town is 600 m × 400 m::

    y=400 +----------------------+-------------------------+
          |  West (district)     ~  East (district)         |
    y=300 |==s6 footway=====+    ~         |                |
          |  r2 |   r1      |    ~    r3   |   r4   s5      |
          |(lr) |  (apt) f3 s4   ~  (mix)  |  (lr)  |       |
    y=100 |--s1 residential-+f1--=s2 bridge=--f2--s3-------|
          |                 |    ~                  |       |
    y=20  |##### rail ##############################|#######|
    y=0   +-----------------+----~----------------+-------+
          x=0              x=100  x=290..310 river       x=500  x=600

Residential blocks (population, area, density):

====  ==========  ==================  ==========  ===========  ===================
id    housing     extent (m)          population  area (ha)    residents per ha
====  ==========  ==================  ==========  ===========  ===================
r1    apartment   120-280 × 120-280   800         2.56         312.5
r2    low_rise    10-90 × 120-280     64          1.28         50
r3    mixed       320-480 × 120-280   256         2.56         100
r4    low_rise    520-580 × 120-280   48          0.96         50
====  ==========  ==================  ==========  ===========  ===================

Total population 1,168 (``meta.population``). Facilities: f1 kindergarten (200, 110),
120 places; f2 school (400, 110), 600 places; f3 polyclinic (150, 290), capacity unknown;
f4 library (560, 300), planned, 20,000 volumes. Streets: s1, s3 residential and s2 the bridge
along y=100; s4 primary along x=100; s5 residential along x=500; s6 footway along y=300 (west
bank only). Water: the river w1, a 20 m strip at x=290-310. Rail: l1 along y=20.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import LineString, Point, box

from planner.config import DISPLAY_CRS
from planner.model import Town, TownMeta

CRS = "EPSG:32634"
X0 = 577_000.0
Y0 = 6_049_000.0
TINY_POPULATION = 1168


def _xy(x: float, y: float) -> tuple[float, float]:
    return (X0 + x, Y0 + y)


def _box(x1: float, y1: float, x2: float, y2: float):
    return box(X0 + x1, Y0 + y1, X0 + x2, Y0 + y2)


def _line(*points: tuple[float, float]) -> LineString:
    return LineString([_xy(x, y) for x, y in points])


def _frame(rows: list[dict[str, object]]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(pd.DataFrame(rows), geometry="geometry", crs=CRS)


def tiny_meta(**overrides: object) -> TownMeta:
    """Metadata of the tiny town; keyword arguments replace fields."""
    meta = TownMeta(
        name="Tiny",
        name_ru="Крошечный",
        population=TINY_POPULATION,
        population_year=2024,
        population_source="synthetic test town",
        crs=CRS,
        size_class="small",
        attribution="© OpenStreetMap contributors, ODbL 1.0; synthetic test data",
        default_norms="sp42_small_town",
    )
    return replace(meta, **overrides)  # type: ignore[arg-type]


def make_tiny_town(folder: Path | None = None) -> Town:
    """Build the tiny town drawn in the module docstring (every layer present, EPSG:32634)."""
    boundary = _frame(
        [
            {
                "id": "b1",
                "name": "Tiny",
                "provenance": "verified",
                "source": "test",
                "geometry": _box(0, 0, 600, 400),
            }
        ]
    )
    districts = _frame(
        [
            {
                "id": "west",
                "name": "West",
                "name_ru": "Запад",
                "provenance": "modelled",
                "geometry": _box(0, 0, 300, 400),
            },
            {
                "id": "east",
                "name": "East",
                "name_ru": "Восток",
                "provenance": "modelled",
                "geometry": _box(300, 0, 600, 400),
            },
        ]
    )
    residential = _frame(
        [
            _block("r1", "apartment", "west", 800, (120, 120, 280, 280)),
            _block("r2", "low_rise", "west", 64, (10, 120, 90, 280)),
            _block("r3", "mixed", "east", 256, (320, 120, 480, 280)),
            _block("r4", "low_rise", "east", 48, (520, 120, 580, 280)),
        ]
    )
    residential["population"] = residential["population"].astype("int64")
    facilities = _frame(
        [
            _facility("f1", "kindergarten", "Kindergarten No. 1", "Детский сад № 1", (200, 110),
                      120.0, "existing", "verified"),
            _facility("f2", "school", "School No. 1", "Школа № 1", (400, 110), 600.0,
                      "existing", "verified"),
            _facility("f3", "polyclinic", "Polyclinic", "Поликлиника", (150, 290), None,
                      "existing", "approximate"),
            _facility("f4", "library", "Town Library", "Городская библиотека", (560, 300),
                      20000.0, "planned", "modelled"),
        ]
    )  # fmt: skip
    streets = _frame(
        [
            _street("s1", "residential", "Lenina St", _line((0, 100), (290, 100))),
            _street("s2", "bridge", "Lenina Bridge", _line((290, 100), (310, 100))),
            _street("s3", "residential", "Lenina St", _line((310, 100), (600, 100))),
            _street("s4", "primary", "Gagarina St", _line((100, 0), (100, 400))),
            _street("s5", "residential", "Sovetskaya St", _line((500, 0), (500, 400))),
            _street("s6", "footway", "", _line((0, 300), (290, 300))),
        ]
    )
    water = _frame(
        [
            {
                "id": "w1",
                "name": "Pissa",
                "provenance": "approximate",
                "geometry": _box(290, 0, 310, 400),
            }
        ]
    )
    rail = _frame(
        [
            {
                "id": "l1",
                "name": "Kaliningrad - Chernyshevskoye",
                "provenance": "approximate",
                "geometry": _line((0, 20), (600, 20)),
            }
        ]
    )
    return Town(
        folder=folder if folder is not None else Path("tiny"),
        meta=tiny_meta(),
        boundary=boundary,
        residential=residential,
        facilities=facilities,
        streets=streets,
        water=water,
        rail=rail,
        districts=districts,
    )


def with_facilities(town: Town, facilities: gpd.GeoDataFrame) -> Town:
    """Return a copy of ``town`` with another facilities layer."""
    return replace(town, facilities=facilities)


def write_town_folder(town: Town, folder: Path) -> Path:
    """Write ``town`` as a town folder (``town.toml`` plus GeoJSON in EPSG:4326); return it.

    Empty optional layers are not written.
    """
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    for key in (
        "name",
        "name_ru",
        "population",
        "population_year",
        "population_source",
        "crs",
        "size_class",
        "attribution",
        "default_norms",
    ):
        value = getattr(town.meta, key)
        # JSON string escapes are valid TOML basic-string escapes.
        lines.append(f"{key} = {value if isinstance(value, int) else json.dumps(value)}")
    (folder / "town.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for name in ("boundary", "residential", "facilities", "streets", "water", "rail", "districts"):
        frame = town.layer(name)
        if len(frame):
            frame.to_crs(DISPLAY_CRS).to_file(folder / f"{name}.geojson", driver="GeoJSON")
    return folder


def _block(
    block_id: str,
    housing: str,
    district: str,
    population: int,
    extent: tuple[float, float, float, float],
) -> dict[str, object]:
    return {
        "id": block_id,
        "population": population,
        "housing": housing,
        "district": district,
        "provenance": "modelled",
        "source": "test",
        "geometry": _box(*extent),
    }


def _facility(
    facility_id: str,
    service: str,
    name: str,
    name_ru: str,
    xy: tuple[float, float],
    capacity: float | None,
    status: str,
    provenance: str,
) -> dict[str, object]:
    return {
        "id": facility_id,
        "service": service,
        "name": name,
        "name_ru": name_ru,
        "address": f"{facility_id} Test St",
        "capacity": capacity,
        "capacity_basis": "source" if capacity is not None else "unknown",
        "status": status,
        "provenance": provenance,
        "source": "tiny town register",
        "note": "",
        "geometry": Point(_xy(*xy)),
    }


def _street(street_id: str, kind: str, name: str, geometry: LineString) -> dict[str, object]:
    return {
        "id": street_id,
        "kind": kind,
        "name": name,
        "provenance": "modelled",
        "geometry": geometry,
    }


MINI_NORMS_TOML = """\
key = "mini"
title = "Mini"
title_ru = "Мини"
description = "A tiny set for tests."
walk_speed_m_min = 75

[sources.walk_speed]
document = "Doc"
clause = "1"
confidence = "C"

[services.kindergarten]
label = "Kindergarten"
label_ru = "Детский сад"
category = "education"
radius_m = 500
walk_limit_m = 500
walk_limit_min = 7
capacity_unit = "places"
capacity_unit_ru = "мест"
min_counts = [{ min_population = 1, count = 1 }]
project_sizes = [80, 180, 320]

[services.kindergarten.demand]
per_1000 = 52
cohort = "pop_0_6"
cohort_share = 0.5
coverage_share = 0.85

[services.kindergarten.sources.radius]
document = "SP 42"
clause = "Table 10.1"
url = "https://example.org/sp42"
confidence = "B"

[services.kindergarten.sources.demand]
document = "SP 42"
clause = "App. D"
confidence = "A"

[services.kindergarten.sources.min_count]
document = "Law"
clause = "Art. 9"
confidence = "C"

[services.kindergarten.sources.project_sizes]
document = "Practice"
clause = "Typical projects"
confidence = "C"

[services.museum]
label = "Museum"
label_ru = "Музей"
category = "culture"
capacity_unit = "objects"
capacity_unit_ru = "объектов"
"""
"""A small valid norm set (two services) saved as ``mini.toml``; schema tests break it per line."""


XSS = "<img src=x onerror=alert(1)>"
"""Data text that a page would run as HTML if it forgot to escape it."""


def write_html_named_town(town_dir: Path) -> Path:
    """Rename a tiny-town copy's town and facility texts to ``XSS`` (in place); return it.

    The facilities' name, name_ru, address and source, the first district's name and name_ru,
    and the town's name all become the tag, so every page, table, select box and popup that
    shows data text is exercised.
    """
    districts = town_dir / "districts.geojson"
    data = json.loads(districts.read_text(encoding="utf-8"))
    data["features"][0]["properties"].update(name=XSS, name_ru=XSS)
    districts.write_text(json.dumps(data), encoding="utf-8")
    facilities = town_dir / "facilities.geojson"
    data = json.loads(facilities.read_text(encoding="utf-8"))
    for feature in data["features"]:
        for key in ("name", "name_ru", "address", "source"):
            feature["properties"][key] = XSS
    facilities.write_text(json.dumps(data), encoding="utf-8")
    toml = town_dir / "town.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace('name = "Tiny"', f'name = "{XSS}"'),
        encoding="utf-8",
    )
    return town_dir
