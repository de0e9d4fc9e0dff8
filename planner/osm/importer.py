"""Import a town from an OpenStreetMap extract into a town folder (the data contract).

``import_osm`` reads the extract once (``planner.osm.read``), keeps what lies in the boundary
plus a margin, and writes ``boundary``, ``streets``, ``residential``, ``facilities`` and
``districts`` GeoJSON, ``town.toml`` and a README with the licence, then validates the folder with
``planner.io.check_town``. Every OSM feature has provenance ``osm``, its OSM id and the extract's
timestamp in ``source``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pyogrio
import shapely

from planner.config import DISPLAY_CRS, OSM_ATTRIBUTION
from planner.fileio import atomic_folder
from planner.io import check_town
from planner.layers import COHORT_COLUMNS, EVENT_FILES, PROVENANCES
from planner.network import build_walk_graph
from planner.norms import load_norms
from planner.osm.districts import assign_district, build_districts
from planner.osm.facilities import build_facilities, facilities_by_service
from planner.osm.merge import merge_curated
from planner.osm.options import (
    Boundary,
    ImportOptions,
    ImportReport,
    OsmImportError,
    require_file,
)
from planner.osm.population import (
    ResidentialEstimate,
    estimate_residents,
)
from planner.osm.read import BBox, OsmFeature, read_osm
from planner.osm.readme import town_readme
from planner.osm.streets import build_streets
from planner.osm.tags import (
    GROUNDS_SERVICES,
    Tags,
    district_place,
    facility_service,
    is_residential_land,
    walk_kind,
)
from planner.town_write import town_toml, write_layer, write_text

logger = logging.getLogger(__name__)

Progress = Callable[[float, str], None]

WRITTEN_FILES = (
    "town.toml",
    "README.md",
    "boundary.geojson",
    "streets.geojson",
    "residential.geojson",
    "facilities.geojson",
    "districts.geojson",
)
STALE_LAYERS = ("water.geojson", "rail.geojson", *EVENT_FILES)
"""Optional files an import does not write: removed on ``overwrite`` so no model data linger
(events name the old folder's facility ids as venues; copy them back when those ids were kept)."""

_REPLACED = frozenset((*WRITTEN_FILES, *STALE_LAYERS))


def import_osm(
    extract: Path,
    *,
    boundary: Boundary,
    out: Path,
    options: ImportOptions,
    progress: Progress | None = None,
) -> ImportReport:
    """Import the town inside ``boundary`` from an OSM extract into the folder ``out``.

    Parameters
    ----------
    extract
        ``.osm.pbf``, ``.osm``, ``.osm.bz2`` or Overpass JSON.
    boundary
        The town boundary (lon/lat) and where it comes from.
    out
        The town folder to write (created; must be empty unless ``options.overwrite``).
    options
        Names, population, margin, norm set, assumptions, curated facilities.
    progress
        Called with a fraction in [0, 1] and a message.

    Returns
    -------
    ImportReport
        Counts, what could not be imported, and the validation issues of the folder.

    Raises
    ------
    OsmImportError
        If the folder is not empty, or nothing walkable or residential lies in the boundary.
    planner.osm.read.OsmReadError
        If the extract cannot be read.
    """
    report = progress or (lambda _f, _m: None)
    _check_out(out, overwrite=options.overwrite)
    if options.keep_facilities is not None:
        require_file("--keep-facilities", options.keep_facilities)
    norms = load_norms(options.norms)
    metric_crs = str(gpd.GeoSeries([boundary.shape], crs=DISPLAY_CRS).estimate_utm_crs())
    study_area = _buffer_lonlat(boundary.shape, options.margin_m, metric_crs)
    extract_data = read_osm(
        extract,
        bbox=_bbox(study_area),
        keep_line=lambda tags: walk_kind(tags) is not None,
        keep_area=_keep_area,
        keep_point=lambda tags: facility_service(tags) is not None,
        progress=lambda f, m: report(0.6 * f, m),
    )
    stamp = extract_data.timestamp or "unknown date"
    source = f"extract {extract.name}, data as of {stamp}; {OSM_ATTRIBUTION}"
    report(0.6, "building the walking network")
    streets = build_streets(extract_data.lines, area=study_area, source=source)
    if streets.empty:
        msg = (
            f"no walkable street of {extract.name} lies within {options.margin_m:g} m of the "
            "boundary; check that the boundary or bbox lies inside the extract (lon/lat order: "
            "W,S,E,N)."
        )
        raise OsmImportError(msg)
    graph = build_walk_graph(streets.to_crs(metric_crs))
    sizes = graph.component_sizes()
    report(0.7, "estimating residents per building")
    districts = build_districts(
        extract_data.areas,
        boundary=boundary.shape,
        town_name=options.name,
        town_name_ru=_name_ru(options),
        source=source,
        boundary_provenance=boundary.provenance,
    )
    residential, estimate = _residential(extract_data.areas, boundary, metric_crs, options, source)
    residential["district"] = assign_district(
        residential.geometry.representative_point(), districts
    )
    report(0.8, "mapping facilities")
    facilities, merged = build_facilities(
        [*extract_data.areas, *extract_data.points],
        metric_crs=metric_crs,
        boundary=boundary.shape,
        services=tuple(norms.services),
        source=source,
    )
    merge_report = None
    if options.keep_facilities is not None:
        facilities, merge_report = merge_curated(
            facilities, options.keep_facilities, boundary=boundary.shape, metric_crs=metric_crs
        )
    population = int(residential["population"].sum())
    report(0.9, f"writing {out}")
    # The folder is built beside ``out`` and swapped in whole: a killed import leaves nothing
    # half-built, and --overwrite keeps the files an import does not write (e.g. scenarios).
    keep = (lambda entry: entry.name not in _REPLACED) if options.overwrite else None
    with atomic_folder(out, keep=keep) as stage:
        counts = _write_folder(
            stage,
            layers={
                "boundary": _boundary_frame(boundary, options.name),
                "streets": streets,
                "residential": residential,
                "facilities": facilities,
                "districts": districts,
            },
            meta=_meta(options, population, extract_data.timestamp, metric_crs, norms.key),
        )
        result = ImportReport(
            folder=out,
            timestamp=extract_data.timestamp,
            timestamp_basis=extract_data.timestamp_basis,
            layer_counts=counts,
            street_components=graph.n_components,
            largest_component_share=float(sizes.max() / sizes.sum()) if sizes.size else 0.0,
            incomplete_relations=extract_data.incomplete,
            merged_duplicates=merged,
            untagged_levels=estimate.untagged_levels,
            estimated_population=estimate.estimated_total,
            population=population,
            scale_factor=estimate.scale_factor,
            facilities_by_service=facilities_by_service(facilities),
            capacity_estimates=int((facilities["capacity_basis"] == "estimate").sum()),
            merge=merge_report,
            issues=[],
        )
        write_text(stage / "README.md", town_readme(result, options, extract, source))
        report(0.95, "validating the folder")
        _, issues = check_town(stage, norms=norms)
    report(1.0, "done")
    return replace(result, issues=issues)


def load_boundary(path: Path) -> Boundary:
    """Read a boundary file (GeoJSON, GeoPackage, shapefile): the union of its polygons.

    Raises
    ------
    OsmImportError
        If the file cannot be read, has no CRS, or holds no polygon.
    """
    try:
        frame = gpd.read_file(path)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, ValueError) as err:
        msg = f"cannot read boundary file {path} ({err}); give a GeoJSON polygon."
        raise OsmImportError(msg) from err
    if frame.crs is None:
        msg = f"boundary file {path} has no CRS; save it as GeoJSON (EPSG:4326)."
        raise OsmImportError(msg)
    frame = frame.to_crs(DISPLAY_CRS)
    polygons = frame[frame.geometry.geom_type.isin(["Polygon", "MultiPolygon"])]
    if polygons.empty:
        msg = f"boundary file {path} holds no polygon; give the town's outline as a Polygon."
        raise OsmImportError(msg)
    shape = shapely.make_valid(shapely.union_all(polygons.geometry.to_numpy()))
    first = polygons.iloc[0]
    provenance = str(first.get("provenance", "") or "")
    if provenance not in PROVENANCES:
        provenance = "approximate"
    source = str(first.get("source", "") or f"boundary file {path.name} given to import-osm")
    return Boundary(shape, provenance, source)


def parse_bbox(text: str) -> BBox:
    """Parse ``"W,S,E,N"`` (degrees) into a bounding box.

    Raises
    ------
    OsmImportError
        If it is not four numbers with west < east and south < north within lon/lat range.

    Examples
    --------
    >>> parse_bbox("22.15,54.56,22.24,54.62")
    (22.15, 54.56, 22.24, 54.62)
    """
    try:
        west, south, east, north = (float(v) for v in text.split(","))
    except ValueError as err:
        msg = (
            f"--bbox {text!r} must be four numbers W,S,E,N in degrees, "
            "e.g. 22.15,54.56,22.24,54.62."
        )
        raise OsmImportError(msg) from err
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        msg = f"--bbox {text!r} must be W,S,E,N with west < east and south < north (degrees)."
        raise OsmImportError(msg)
    return west, south, east, north


def bbox_boundary(bbox: BBox) -> Boundary:
    """Return a rectangular boundary for a bounding box.

    Its provenance is ``modelled``: a rectangle is not the town's real outline.
    """
    text = ",".join(f"{v:g}" for v in bbox)
    return Boundary(shapely.box(*bbox), "modelled", f"bounding box {text} given to import-osm")


def _keep_area(tags: Tags) -> bool:
    return (
        tags.get("building", "no") != "no"
        or facility_service(tags) is not None
        or is_residential_land(tags)
        or district_place(tags) is not None
    )


def _residential(
    areas: list[OsmFeature],
    boundary: Boundary,
    metric_crs: str,
    options: ImportOptions,
    source: str,
) -> tuple[gpd.GeoDataFrame, ResidentialEstimate]:
    buildings = [a for a in areas if a.tags.get("building", "no") != "no"]
    if buildings:
        frame = gpd.GeoDataFrame(
            {"id": [b.ref for b in buildings], "tags": [b.tags for b in buildings]},
            geometry=[b.geometry for b in buildings],
            crs=DISPLAY_CRS,
        )
        inside = frame.geometry.representative_point().intersects(boundary.shape)
        frame = frame[inside.to_numpy()].to_crs(metric_crs)
    else:
        frame = gpd.GeoDataFrame({"id": [], "tags": []}, geometry=[], crs=metric_crs)

    def land(keep: Callable[[Tags], bool]) -> gpd.GeoSeries:
        shapes = [a.geometry for a in areas if keep(a.tags)]
        return gpd.GeoSeries(shapes, crs=DISPLAY_CRS).to_crs(metric_crs)

    estimate = estimate_residents(
        frame,
        residential_land=land(is_residential_land),
        excluded_land=land(lambda t: facility_service(t) in GROUNDS_SERVICES),
        assumptions=options.assumptions,
        target_population=options.population,
    )
    if estimate.frame.empty or estimate.frame["population"].sum() <= 0:
        msg = (
            "no residential building lies inside the boundary (buildings tagged apartments, "
            "house, residential, or building=yes on landuse=residential); check the boundary, "
            "or use an extract that includes buildings."
        )
        raise OsmImportError(msg)
    rows = estimate.frame
    how = options.assumptions.describe()
    scaled = (
        f"scaled ×{estimate.scale_factor:.3f} to {options.population:,}"
        if options.population
        else "not scaled (no official total given)"
    )
    residential = gpd.GeoDataFrame(
        {
            "id": rows["id"],
            "population": rows["population"].astype(int),
            "housing": rows["housing"],
            "district": "",
            "provenance": "osm",
            "source": [f"OpenStreetMap {ref}; {source}" for ref in rows["id"]],
            **{c: rows[c].astype(int) for c in COHORT_COLUMNS},
            "levels": rows["levels"].round(1),
            "levels_tagged": rows["levels_tagged"].astype(bool),
            "floor_area_m2": rows["floor_area_m2"].round(1),
            "population_method": f"estimate: {how}; {scaled}",
        },
        geometry=rows.geometry,
        crs=metric_crs,
    ).to_crs(DISPLAY_CRS)
    return residential.reset_index(drop=True), estimate


def _boundary_frame(boundary: Boundary, name: str) -> gpd.GeoDataFrame:
    slug = "".join(ch if ch.isalnum() else "-" for ch in name.lower()).strip("-") or "town"
    return gpd.GeoDataFrame(
        {
            "id": [f"boundary-{slug}"],
            "name": [name],
            "provenance": [boundary.provenance],
            "source": [boundary.source],
        },
        geometry=[boundary.shape],
        crs=DISPLAY_CRS,
    )


def _meta(
    options: ImportOptions, population: int, timestamp: str, crs: str, norms_key: str
) -> dict[str, str | int]:
    year = options.population_year or _year(timestamp)
    if options.population:
        population_source = "official total given to import-osm (--population)"
    else:
        population_source = (
            "estimate from OpenStreetMap building footprints × levels; give the official "
            "total with --population"
        )
    return {
        "name": options.name,
        "name_ru": _name_ru(options),
        "population": population,
        "population_year": year,
        "population_source": population_source,
        "crs": crs,
        "size_class": _size_class(population),
        "attribution": f"{OSM_ATTRIBUTION}; residents per building estimated by Gusev Planner",
        "default_norms": norms_key,
    }


def _write_folder(
    folder: Path, *, layers: dict[str, gpd.GeoDataFrame], meta: dict[str, str | int]
) -> dict[str, int]:
    counts = {
        name: write_layer(folder / f"{name}.geojson", name, frame) for name, frame in layers.items()
    }
    header = (
        "Written by `planner import-osm` from an OpenStreetMap extract; re-run the import\n"
        "rather than editing this file (see README.md)."
    )
    write_text(folder / "town.toml", town_toml(meta, header=header))
    return counts


def _check_out(out: Path, *, overwrite: bool) -> None:
    if not out.exists():
        return
    if not out.is_dir():
        msg = f"--out {out} is a file; give a folder for the town."
        raise OsmImportError(msg)
    if any(out.iterdir()) and not overwrite:
        msg = (
            f"--out {out} is not empty; choose a new folder, or pass --overwrite to replace "
            "its layers."
        )
        raise OsmImportError(msg)


def _buffer_lonlat(shape: shapely.Geometry, margin_m: float, metric_crs: str) -> shapely.Geometry:
    series = gpd.GeoSeries([shape], crs=DISPLAY_CRS).to_crs(metric_crs)
    return series.buffer(margin_m).to_crs(DISPLAY_CRS).iloc[0]


def _bbox(shape: shapely.Geometry) -> BBox:
    west, south, east, north = shape.bounds
    return float(west), float(south), float(east), float(north)


def _name_ru(options: ImportOptions) -> str:
    if options.name_ru:
        return options.name_ru
    return options.name if any("\u0400" <= ch <= "\u04ff" for ch in options.name) else ""


def _year(timestamp: str) -> int:
    try:
        return datetime.fromisoformat(timestamp.replace("Z", "+00:00")).year
    except ValueError:
        return datetime.now(tz=UTC).year


def _size_class(population: int) -> str:
    """SP 42.13330.2016 settlement size classes."""
    for limit, label in ((50_000, "small"), (100_000, "medium"), (250_000, "large")):
        if population <= limit:
            return label
    return "largest" if population > 1_000_000 else "big"
