"""The tiny town: one synthetic town for every test, small enough to check answers by hand.

``tiny_layers()`` is its one definition. ``make_tiny_town()`` builds the ``Town`` from it in
memory; ``tests/data/make_test_data.py`` writes the same definition to ``tests/data/tiny_town/``
(the folder the loader, CLI and dashboard tests read) and derives the broken-file catalogue from it,
and ``tests/test_tiny_town.py`` checks that the committed folder is exactly that definition.

Drawn in EPSG:32634 metres from the origin ``(X0, Y0)`` = (576000, 6050000), near Gusev::

    y=250  +------------------------------------+  boundary B: the square -50..250
    y=230  |  ==========  railway l1  ========== |
    y=200  | ~~ +-----------+-----------F2      |  streets every 100 m: "Line k" north along
           | ~~ |    R3     |    R4     |       |  x = k, "Row k" east along y = k (S1..S12,
    y=100  | ~~ +-----------+-----------+       |  split at every junction, all residential)
           | ~~ |    R1     |    R2     |       |
    y=0    | ~~ F1----------+-----------+       |  F1 school (100 places), F2 kindergarten (40)
    y=-50  +------------------------------------+
          x=-50 x=0        x=100       x=200  x=250
           stream w1 at x = -40..-20 (display only: it crosses no street)

Residential blocks are the 100 m cells shrunk by 10 m on every side (80 m × 80 m = 0.64 ha):

=====  =========  =========  ==========  ================  ========
block  cell (m)   housing    population  residents per ha  district
=====  =========  =========  ==========  ================  ========
R1     x, y 0     apartment  100         156.25            west
R2     x 100, y 0 mixed      200         312.5             east
R3     x 0, y 100 low_rise   300         468.75            west
R4     x, y 100   apartment  400         625               east
=====  =========  =========  ==========  ================  ========

Total 1,000 residents (``town.toml``). Age cohorts per block: ``pop_0_6`` = int(7 %),
``pop_7_17`` = int(13 %), ``pop_65_plus`` = int(17 %) of the population, ``pop_18_64`` the rest.
Districts: west (x < 100) and east. Both facilities are existing and ``illustrative``.

Tests that need more (a planned facility, an unknown capacity, a bridge) add it to a copy of this
town in the test itself, so the base answers stay the ones computed in the tests by hand.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import geopandas as gpd
from shapely.geometry import LineString, Point, box

from planner.model import Town, TownMeta

CRS = "EPSG:32634"
X0 = 576_000.0
Y0 = 6_050_000.0
TINY_POPULATION = 1000

TOWN_TOML_KEYS = (
    "name",
    "name_ru",
    "population",
    "population_year",
    "population_source",
    "crs",
    "size_class",
    "attribution",
    "default_norms",
)


def _p(x: float, y: float) -> tuple[float, float]:
    return (X0 + x, Y0 + y)


def tiny_meta(**overrides: object) -> TownMeta:
    """Metadata of the tiny town; keyword arguments replace fields."""
    meta = TownMeta(
        name="Tiny",
        name_ru="Крошечный",
        population=TINY_POPULATION,
        population_year=2025,
        population_source="test fixture",
        crs=CRS,
        size_class="small",
        attribution="test fixture, no real data",
        default_norms="sp42_small_town",
    )
    return replace(meta, **overrides)  # type: ignore[arg-type]


def tiny_town_toml(meta: TownMeta | None = None) -> str:
    """Return the ``town.toml`` text of the tiny town (or of ``meta``)."""
    meta = tiny_meta() if meta is None else meta
    lines = []
    for key in TOWN_TOML_KEYS:
        value = getattr(meta, key)
        # JSON string escapes are valid TOML basic-string escapes.
        lines.append(
            f"{key} = {value if isinstance(value, int) else json.dumps(value, ensure_ascii=False)}"
        )
    return "\n".join(lines) + "\n"


def tiny_layers() -> dict[str, gpd.GeoDataFrame]:
    """Return every layer of the tiny town in EPSG:32634 (the one definition)."""
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
    water = gpd.GeoDataFrame(
        {"id": ["w1"], "name": ["Stream"], "provenance": ["modelled"]},
        geometry=[box(*_p(-40, -50), *_p(-20, 250))],
        crs=CRS,
    )
    rail = gpd.GeoDataFrame(
        {"id": ["l1"], "name": ["Railway"], "provenance": ["modelled"]},
        geometry=[LineString([_p(-50, 230), _p(250, 230)])],
        crs=CRS,
    )
    return {
        "streets": streets_gdf,
        "residential": residential,
        "facilities": facilities,
        "boundary": boundary,
        "districts": districts,
        "water": water,
        "rail": rail,
    }


def make_tiny_town(folder: Path | None = None) -> Town:
    """Build the tiny town from ``tiny_layers()`` in memory (no files; EPSG:32634)."""
    layers = tiny_layers()
    return Town(
        folder=folder if folder is not None else Path("tiny"),
        meta=tiny_meta(),
        warnings=(),
        **{name: frame.reset_index(drop=True) for name, frame in layers.items()},
    )


def with_facilities(town: Town, facilities: gpd.GeoDataFrame) -> Town:
    """Return a copy of ``town`` with another facilities layer."""
    return replace(town, facilities=facilities)


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


BAD_OUTPUT_CASES = ("file", "under_file", "foreign", "gpkg_dir")
"""Output locations a result set must refuse (see ``bad_output_folder``)."""


def bad_output_folder(tmp_path: Path, case: str) -> Path:
    """Return an output path under ``tmp_path`` that a result set must refuse.

    Cases: ``file`` (a file where the folder goes), ``under_file`` (a folder below a file),
    ``foreign`` (a folder holding ``notes.txt``, not a planner file), ``gpkg_dir``
    (``analysis.gpkg`` is a folder).
    """
    out = tmp_path / "out"
    if case == "file":
        out.write_text("x", encoding="utf-8")
    elif case == "under_file":
        (tmp_path / "blocker").write_text("x", encoding="utf-8")
        out = tmp_path / "blocker" / "out"
    elif case == "foreign":
        out.mkdir()
        (out / "notes.txt").write_text("mine", encoding="utf-8")
    elif case == "gpkg_dir":
        (out / "analysis.gpkg").mkdir(parents=True)
    else:
        msg = f"unknown case {case!r}; use one of {BAD_OUTPUT_CASES}"
        raise ValueError(msg)
    return out
