"""Build the modelled Gusev town folder (geodata/gusev/) deterministically.

Only the town boundary is real (OpenStreetMap, ODbL). Streets, river and railway positions,
districts, residential blocks and facility positions are a model, labelled as such in every
feature's ``provenance``; see geodata/gusev/README.md. Run from the repository root::

    .venv/bin/python scripts/build_gusev_model.py            # writes geodata/gusev/
    .venv/bin/python scripts/build_gusev_model.py --out DIR  # writes elsewhere

The README in the output folder (or, when absent, the committed one) is the template: only the
blocks between ``<!-- BEGIN generated:... -->`` markers are rewritten.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import shape

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gusev_model.areas import (
    COHORT_SHARES,
    DENSITY_PER_HA,
    DISTRICT_INFO,
    OFFICIAL_POPULATION,
    Block,
    build_blocks,
    build_districts,
)
from gusev_model.facilities import Facility, load_facilities, place_facilities
from gusev_model.output import (
    Feature,
    markdown_table,
    provenance_table,
    replace_block,
    write_geojson,
    write_town_toml,
)
from gusev_model.programme import programme_csv
from gusev_model.streets import Street, build_streets, component_labels
from gusev_model.zones import Zones, build_zones

from planner.events.csv_format import parse_events_csv
from planner.events.recurrence import occurrences
from planner.events.times import month_window, zone
from planner.layers import EVENT_CATEGORIES as CATEGORIES
from planner.town_write import DECIMALS, write_text

REPO = Path(__file__).resolve().parent.parent
BOUNDARY_FILE = REPO / "geodata" / "sources" / "gusev-town-polygon-osm.geojson"
"""The raw OpenStreetMap town polygon (see geodata/sources/README.md)."""
METRIC_CRS = "EPSG:32634"
OSM = "© OpenStreetMap contributors, ODbL 1.0"
BOUNDARY_SOURCE = (
    "OpenStreetMap place polygon osm_id 1356883 via Geofabrik's free shapefile for Kaliningrad "
    "oblast (layer gis_osm_places_a_free_1, extract of about mid-2024), as saved in "
    "github.com/AraratIsraelyan/russia_geojson commit 6bfee921ff023cc1a0e806738831bf9f0ec22e9e, "
    f"kaliningrad.geojson; {OSM}"
)
MODEL = "modelled by Gusev Planner (scripts/build_gusev_model.py); position not surveyed"
POPULATION_SOURCE = (
    "Kaliningradstat yearbook «Калининградская область в цифрах. 2025»: 28,600 residents on "
    "1 Jan 2025, as reported at https://news.mail.ru/society/69320624/ and "
    "https://kaliningradtv.ru/amp/27425"
)
POPULATION_SOURCE_RU = (
    "Калининградстат, сборник «Калининградская область в цифрах. 2025»: 28 600 жителей на "
    "1 января 2025 г., по сообщениям https://news.mail.ru/society/69320624/ и "
    "https://kaliningradtv.ru/amp/27425"
)
UNITS = {
    "kindergarten": "places",
    "school": "places",
    "supplementary_education": "places",
    "art_school": "places",
    "polyclinic": "visits per shift",
    "hospital": "beds",
    "pharmacy": "objects",
    "house_of_culture": "seats",
    "library": "reader seats",
    "museum": "objects",
    "cinema": "seats",
    "exhibition_space": "objects",
    "sports_centre": "m² of hall floor",
    "sports_ground": "m² of ground",
    "swimming_pool": "m² of water surface",
}
"""Capacity unit per service, as in geodata/norms/sp42_small_town.toml."""


def main(argv: list[str] | None = None) -> int:
    """Build the folder; return the process exit code."""
    args = _parse(argv)
    started = time.perf_counter()
    out: Path = args.out
    template = (
        out / "README.md" if (out / "README.md").exists() else REPO / "geodata/gusev/README.md"
    )
    if not template.exists():
        print(f"error: README template {template} not found; restore geodata/gusev/README.md.")
        return 1
    if not args.boundary.is_file():
        print(
            f"error: boundary file {args.boundary} not found; restore "
            "geodata/sources/gusev-town-polygon-osm.geojson or pass --boundary."
        )
        return 1
    boundary_4326, boundary_props = _read_boundary(args.boundary)
    to_metric = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)
    to_lonlat = Transformer.from_crs(METRIC_CRS, "EPSG:4326", always_xy=True)

    def lonlat(geometry: shapely.Geometry) -> shapely.Geometry:
        return shapely.transform(geometry, lambda xy: np.column_stack(to_lonlat.transform(*xy.T)))

    def lonlat_area(geometry: shapely.Geometry) -> shapely.Geometry:
        # Snap polygons to the 7-decimal grid here: GEOS keeps them valid, where rounding alone
        # could make a narrow neck touch itself.
        return shapely.set_precision(lonlat(geometry), 10.0**-DECIMALS)

    zones = build_zones(
        shapely.transform(boundary_4326, lambda xy: np.column_stack(to_metric.transform(*xy.T)))
    )
    streets = build_streets(zones)
    districts = build_districts(zones)
    blocks = build_blocks(zones, streets, districts)
    facilities = place_facilities(load_facilities(), streets, zones)

    layers: dict[str, list[Feature]] = {
        "boundary": [
            (
                {
                    "id": "boundary-gusev",
                    "name": "Гусев",
                    "name_en": "Gusev",
                    "osm_id": str(boundary_props.get("osm_id", "")),
                    "provenance": "osm",
                    "source": BOUNDARY_SOURCE,
                },
                boundary_4326,
            )
        ],
        "streets": [
            (_street_props(k, s), lonlat(s.geometry)) for k, s in enumerate(_ordered(streets), 1)
        ],
        "water": _water(zones, lonlat_area),
        "rail": [
            (
                {
                    "id": "rail-kaliningrad-kaunas",
                    "name": "Kaliningrad–Kaunas railway",
                    "name_ru": "железная дорога Калининград — Каунас",
                    "provenance": "modelled",
                    "source": "Gusev station is on the Kaliningrad–Kaunas line "
                    f"(docs/gusev.md §3); alignment {MODEL}",
                },
                lonlat(zones.rail),
            )
        ],
        "districts": [
            (
                {
                    "id": d,
                    "name": DISTRICT_INFO[d][0],
                    "name_ru": DISTRICT_INFO[d][1],
                    "provenance": "modelled",
                    "source": DISTRICT_INFO[d][2],
                },
                lonlat_area(g),
            )
            for d, g in districts.items()
        ],
        "residential": [
            (_block_props(k, b), lonlat_area(b.geometry)) for k, b in enumerate(blocks, 1)
        ],
        "facilities": [(_facility_props(f), lonlat(p)) for f, p in facilities],
    }
    out.mkdir(parents=True, exist_ok=True)
    counts = {
        name: write_geojson(out / f"{name}.geojson", name, feats) for name, feats in layers.items()
    }
    write_town_toml(
        out / "town.toml",
        {
            "name": "Gusev",
            "name_ru": "Гусев",
            "population": OFFICIAL_POPULATION,
            "population_year": 2025,
            "population_source": POPULATION_SOURCE,
            "crs": METRIC_CRS,
            "size_class": "small",
            "attribution": "Town boundary © OpenStreetMap contributors, ODbL 1.0; all other layers "
            "modelled by Gusev Planner (see README.md)",
            "default_norms": "sp42_small_town",
            "timezone": "Europe/Kaliningrad",
            "attribution_ru": "Граница города © участники OpenStreetMap, ODbL 1.0; остальные слои "
            "смоделированы Gusev Planner (см. README.md)",
            "population_source_ru": POPULATION_SOURCE_RU,
        },
    )
    events_text = programme_csv([f.id for f, _ in facilities])
    write_text(out / "events.csv", events_text)
    readme = template.read_text(encoding="utf-8")
    readme = replace_block(
        readme,
        "provenance",
        provenance_table(
            {name: Counter(p["provenance"] for p, _ in feats) for name, feats in layers.items()}
        ),
    )
    readme = replace_block(readme, "streets", _streets_table(streets))
    readme = replace_block(readme, "population", _population_tables(blocks, districts))
    readme = replace_block(readme, "facilities", _facility_table(facilities))
    readme = replace_block(readme, "programme", _programme_table(events_text))
    (out / "README.md").write_text(readme, encoding="utf-8")
    n_components, _ = component_labels(streets)
    print(
        f"wrote {out} in {time.perf_counter() - started:.1f} s: "
        + ", ".join(f"{n} {name}" for name, n in counts.items())
        + f"; street network components: {n_components}"
    )
    return 0


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=REPO / "geodata" / "gusev",
        help="output town folder (default: geodata/gusev)",
    )
    parser.add_argument(
        "--boundary",
        type=Path,
        default=BOUNDARY_FILE,
        help="OSM town polygon GeoJSON (default: geodata/sources/gusev-town-polygon-osm.geojson)",
    )
    return parser.parse_args(argv)


def _read_boundary(path: Path) -> tuple[shapely.Geometry, dict[str, Any]]:
    """Return the first feature of the OSM polygon file, coordinates untouched."""
    data = json.loads(path.read_text(encoding="utf-8"))
    feature = data["features"][0]
    return shape(feature["geometry"]), dict(feature["properties"])


def _ordered(streets: list[Street]) -> list[Street]:
    """Streets in a stable geographic order (north to south, west to east) for ids."""

    def key(s: Street) -> tuple[float, float, float, float]:
        x0, y0 = s.geometry.coords[0]
        x1, y1 = s.geometry.coords[-1]
        return (-round(max(y0, y1), 2), round(min(x0, x1), 2), round(x0, 2), round(y0, 2))

    return sorted(streets, key=key)


def _street_props(number: int, street: Street) -> dict[str, Any]:
    return {
        "id": f"st-{number:05d}",
        "kind": street.kind,
        "name": street.name,
        "provenance": "modelled",
        "name_source": street.name_source,
    }


def _water(zones: Zones, lonlat: Callable[[shapely.Geometry], shapely.Geometry]) -> list[Feature]:
    source = (
        "the river crosses the town and splits it into Old Town (right bank) and New Town "
        f"(left bank) (docs/gusev.md §3); course and width {MODEL}"
    )
    return [
        (
            {
                "id": "water-pissa",
                "name": "Pissa",
                "name_ru": "Писса",
                "kind": "river",
                "provenance": "modelled",
                "source": source,
            },
            lonlat(zones.pissa),
        ),
        (
            {
                "id": "water-krasnaya",
                "name": "Krasnaya",
                "name_ru": "Красная",
                "kind": "river",
                "provenance": "modelled",
                "source": "flows into the Pissa inside the town (docs/gusev.md §3); "
                f"course {MODEL}",
            },
            lonlat(zones.krasnaya),
        ),
    ]


def _block_props(number: int, block: Block) -> dict[str, Any]:
    return {
        "id": f"res-{number:04d}",
        "population": block.population,
        "housing": block.housing,
        "district": block.district,
        "provenance": "modelled",
        "source": "modelled block; population = density by housing type x area, scaled to "
        "28,600 (Kaliningradstat, 1 Jan 2025); cohorts from national shares (README.md)",
        **block.cohorts,
    }


def _facility_props(facility: Facility) -> dict[str, Any]:
    return {
        "id": facility.id,
        "service": facility.service,
        "name": facility.name,
        "name_ru": facility.name_ru,
        "address": facility.address,
        "capacity": facility.capacity,
        "capacity_basis": facility.capacity_basis,
        "status": facility.status,
        "provenance": facility.provenance,
        "source": facility.source,
        "note": facility.note,
    }


def _streets_table(streets: list[Street]) -> str:
    kinds = Counter(s.kind for s in streets)
    length = Counter[str]()
    for s in streets:
        length[s.kind] += s.geometry.length / 1000
    rows = [(k, kinds[k], round(length[k], 1)) for k in sorted(kinds, key=lambda k: -length[k])]
    return markdown_table(("kind", "features", "length, km"), rows)


def _population_tables(blocks: list[Block], districts: dict[str, shapely.Geometry]) -> str:
    total = sum(b.population for b in blocks)
    raw = sum(DENSITY_PER_HA[b.housing] * b.geometry.area / 10_000 for b in blocks)
    rows = []
    for housing, density in DENSITY_PER_HA.items():
        sel = [b for b in blocks if b.housing == housing]
        area_ha = sum(b.geometry.area for b in sel) / 10_000
        pop = sum(b.population for b in sel)
        rows.append((housing, len(sel), round(area_ha, 1), density, round(pop / area_ha, 1), pop))
    housing_table = markdown_table(
        (
            "housing",
            "blocks",
            "area, ha",
            "assumed density, /ha",
            "density after scaling, /ha",
            "population",
        ),
        rows,
    )
    cohort_rows = [
        (c, f"{share:.1%}", sum(b.cohorts[c] for b in blocks)) for c, share in COHORT_SHARES.items()
    ]
    district_rows = [
        (
            DISTRICT_INFO[d][1],
            d,
            round(g.area / 10_000, 1),
            sum(1 for b in blocks if b.district == d),
            sum(b.population for b in blocks if b.district == d),
        )
        for d, g in districts.items()
    ]
    return "\n\n".join(
        [
            f"Total population {total:,} in {len(blocks)} blocks; scaling factor from the assumed "
            f"densities to the official total: {OFFICIAL_POPULATION / raw:.3f}.",
            housing_table,
            markdown_table(("cohort", "share applied", "residents"), cohort_rows),
            markdown_table(("district", "id", "area, ha", "blocks", "population"), district_rows),
        ]
    )


def _facility_table(facilities: list[tuple[Facility, Any]]) -> str:
    rows = [
        (
            f.id,
            f.service,
            f.name_ru,
            f.provenance,
            "—" if f.capacity is None else f.capacity,
            UNITS[f.service],
            f.capacity_basis,
        )
        for f, _ in facilities
    ]
    return markdown_table(
        ("id", "service", "name_ru", "provenance", "capacity", "unit", "basis"), rows
    )


SEASON_MONTHS = tuple(
    f"{y}-{m:02d}" for y, m in [(2026, m) for m in range(9, 13)] + [(2027, m) for m in range(1, 9)]
)
"""The months of the modelled season, for the README's count of occurrences."""


def _programme_table(events_text: str) -> str:
    """Markdown tables: series per venue and category, occurrences per month of the season."""
    tz = zone("Europe/Kaliningrad")
    events, issues = parse_events_csv(events_text, timezone=tz, label="events.csv")
    if events is None:
        msg = f"the modelled programme does not read back: {issues}"
        raise RuntimeError(msg)
    venue_rows = []
    for venue, part in events.groupby("venue", sort=True):
        venue_rows.append(
            (
                venue,
                len(part),
                ", ".join(sorted(set(part["category"]))),
                ", ".join(f"{k} {v}" for k, v in sorted(Counter(part["provenance"]).items())),
            )
        )
    month_rows = []
    for month in SEASON_MONTHS:
        found = occurrences(events, *month_window(month, tz))
        month_rows.append(
            (month, len(found), *(int((found["category"] == c).sum()) for c in CATEGORIES))
        )
    return "\n\n".join(
        [
            markdown_table(("venue", "series", "categories", "provenance"), venue_rows),
            markdown_table(("month", "occurrences", *CATEGORIES), month_rows),
        ]
    )


if __name__ == "__main__":
    sys.exit(main())
