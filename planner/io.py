"""Reading a town folder: ``town.toml`` plus one GeoJSON (or GeoPackage) file per layer.

``check_town`` reads and validates everything and returns every issue; ``load_town`` raises one
``DataValidationError`` carrying them all, or returns a ``Town`` in the town's metric CRS.
"""

from __future__ import annotations

import logging
import tomllib
import warnings
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from planner.config import DISPLAY_CRS
from planner.crs_fit import (
    LonLatBox,
    crs_fit_issues,
    declared_crs_issues,
    far_feature_issues,
    far_layer_issue,
    lonlat_box,
    swapped_layer_issue,
)
from planner.errors import DataValidationError, Issue, shorten
from planner.events.loading import read_events
from planner.events.times import zone
from planner.layers import LAYER_SPECS, LayerSpec
from planner.model import Town, TownMeta
from planner.norms.model import DEFAULT_NORM_SET
from planner.text_files import decode_utf8, geojson_text_issues, non_numeric_coordinates
from planner.towns import TOWN_FILE, TownNotFoundError, resolve_town
from planner.validate import (
    check_facilities,
    check_layer,
    check_population_total,
    check_residential,
    check_residential_in_boundary,
    check_street_components,
    check_street_reach,
)

if TYPE_CHECKING:
    from planner.norms import NormSet

logger = logging.getLogger(__name__)

LAYER_SUFFIXES = (".geojson", ".gpkg", ".fgb", ".shp")
"""Layer file formats accepted, in order of preference; bundled data use GeoJSON (diffs well)."""

_FORMATS = {".geojson": "GeoJSON", ".gpkg": "GeoPackage", ".fgb": "FlatGeobuf", ".shp": "shapefile"}

_META_KINDS: dict[str, type] = {
    "name": str,
    "name_ru": str,
    "population": int,
    "population_year": int,
    "population_source": str,
    "crs": str,
    "size_class": str,
    "attribution": str,
    "default_norms": str,
    "timezone": str,
    "attribution_ru": str,
    "population_source_ru": str,
}
_META_OPTIONAL = frozenset({"default_norms", "timezone", "attribution_ru", "population_source_ru"})
MAX_NAME_CHARS = 200
"""Longest town name accepted (the longest official Russian settlement names are under 60)."""


def load_town(folder: Path | str, *, norms: NormSet | None = None) -> Town:
    """Load and validate a town folder.

    Parameters
    ----------
    folder
        A folder holding ``town.toml`` and the layers of the data contract, or the name of a
        known town (``"gusev"``; see ``planner.towns``). A path that exists wins over a name.
    norms
        The norm set whose service names facilities must use; ``None`` skips that check.

    Returns
    -------
    Town
        Every layer in the town's metric CRS; non-blocking issues in ``Town.warnings``.

    Raises
    ------
    DataValidationError
        If anything is wrong; ``.issues`` lists every problem with its file, feature and fix.
    """
    town, issues = check_town(folder, norms=norms)
    if town is None:
        msg = f"Town folder {Path(folder)} is not valid"
        raise DataValidationError(msg, issues)
    return town


def check_town(
    folder: Path | str, *, norms: NormSet | None = None
) -> tuple[Town | None, list[Issue]]:
    """Read and validate a town folder, collecting every issue instead of stopping at the first.

    ``folder`` is a path or the name of a known town, as for ``load_town``.

    Returns
    -------
    town
        The loaded town, or ``None`` when any issue is an error.
    issues
        All errors and warnings found, in file order.
    """
    try:
        folder = resolve_town(folder)
    except TownNotFoundError as err:
        return None, [Issue(err.given, err.problem, err.fix)]
    if not folder.is_dir():
        return None, [Issue(str(folder), "is not a folder.", f"give a folder holding {TOWN_FILE}.")]
    meta, issues = read_town_meta(folder)
    frames: dict[str, gpd.GeoDataFrame] = {}
    for spec in LAYER_SPECS.values():
        frame, layer_issues = read_layer(folder, spec)
        issues += layer_issues
        if frame is not None:
            frames[spec.name] = frame
    measurable = False
    if meta is not None:
        fit_issues = _crs_fit_checks(frames, meta.crs)
        issues += fit_issues
        measurable = not any(i.severity == "error" for i in fit_issues)
    if measurable and meta is not None:
        frames = {name: frame.to_crs(meta.crs) for name, frame in frames.items()}
    issues += _cross_checks(frames, meta, norms, measurable=measurable)
    facilities = frames.get("facilities")
    if facilities is not None:
        facilities, point_issues = _facilities_to_points(facilities)
        frames["facilities"] = facilities
        issues += point_issues
    events, event_issues = read_events(
        folder,
        timezone=zone(meta.timezone) if meta is not None and meta.timezone else None,
        facilities=facilities,
    )
    issues += event_issues
    if meta is None or any(i.severity == "error" for i in issues):
        return None, issues
    layers = {
        name: frames.get(name, _empty_layer(spec, meta.crs)) for name, spec in LAYER_SPECS.items()
    }
    town = Town(
        folder=folder,
        meta=meta,
        warnings=tuple(i for i in issues if i.severity == "warning"),
        events=events,
        **{name: frame.reset_index(drop=True) for name, frame in layers.items()},
    )
    return town, issues


def read_town_meta(folder: Path) -> tuple[TownMeta | None, list[Issue]]:
    """Read ``town.toml``; return the metadata (or ``None``) and the issues found."""
    path = folder / TOWN_FILE
    if not path.is_file():
        return None, [
            Issue(
                TOWN_FILE,
                "file is missing.",
                f"create it with the keys {', '.join(_META_KINDS)} (see geodata/gusev/town.toml).",
            )
        ]
    text, problem = decode_utf8(path.read_bytes(), TOWN_FILE)
    if text is None:
        return None, [] if problem is None else [problem]
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        return None, [Issue(TOWN_FILE, f"is not valid TOML ({err}).", "correct the syntax.")]
    issues: list[Issue] = []
    for key, kind in _META_KINDS.items():
        if key not in raw:
            if key not in _META_OPTIONAL:
                issues.append(Issue(TOWN_FILE, f"key {key!r} is missing.", f"add {key} = ..."))
        elif not isinstance(raw[key], kind) or isinstance(raw[key], bool):
            issues.append(
                Issue(
                    TOWN_FILE,
                    f"key {key!r} must be {'a whole number' if kind is int else 'text'}, "
                    f"not {raw[key]!r}.",
                    f"correct the value of {key}.",
                )
            )
    unknown = sorted(set(raw) - set(_META_KINDS))
    if unknown:
        issues.append(
            Issue(
                TOWN_FILE,
                f"unknown key(s): {', '.join(unknown)}.",
                f"remove them or fix their spelling (known: {', '.join(_META_KINDS)}).",
                severity="warning",
            )
        )
    for key in ("name", "name_ru"):
        if isinstance(raw.get(key), str) and len(raw[key]) > MAX_NAME_CHARS:
            issues.append(
                Issue(
                    TOWN_FILE,
                    f"{key} is {len(raw[key]):,} characters long; a town's name has at most "
                    f"{MAX_NAME_CHARS}.",
                    f"give the town's name in {key}.",
                )
            )
    if isinstance(raw.get("population"), int) and raw["population"] <= 0:
        issues.append(Issue(TOWN_FILE, "population must be positive.", "give the official total."))
    if isinstance(raw.get("crs"), str):
        issues += declared_crs_issues(raw["crs"])
    if isinstance(raw.get("timezone"), str):
        try:
            zone(raw["timezone"])
        except ValueError as err:
            issues.append(
                Issue(TOWN_FILE, f"timezone: {err}.", 'write e.g. timezone = "Europe/Kaliningrad".')
            )
    if any(i.severity == "error" for i in issues):
        return None, issues
    values: dict[str, Any] = {f.name: raw[f.name] for f in fields(TownMeta) if f.name in raw}
    return TownMeta(**values), issues


def find_layer_file(folder: Path, name: str) -> Path | None:
    """Return the file holding layer ``name`` (first of ``LAYER_SUFFIXES`` found), or ``None``."""
    for suffix in LAYER_SUFFIXES:
        path = folder / f"{name}{suffix}"
        if path.is_file():
            return path
    return None


def read_layer(folder: Path, spec: LayerSpec) -> tuple[gpd.GeoDataFrame | None, list[Issue]]:
    """Read one layer and check it against its spec.

    Returns
    -------
    frame
        The layer in its file's CRS, or ``None`` when it is absent or unreadable.
    issues
        Problems found (an absent optional layer is not a problem).
    """
    path = find_layer_file(folder, spec.name)
    if path is None:
        if not spec.required:
            return None, []
        return None, [
            Issue(
                spec.filename,
                "required layer is missing.",
                f"add {spec.filename} with the columns "
                f"{', '.join(c for c, _ in spec.columns)} (see docs/architecture.md).",
            )
        ]
    file = path.name
    is_geojson = path.suffix == ".geojson"
    if is_geojson and (text_issues := geojson_text_issues(path, file)):
        return None, text_issues
    try:
        with warnings.catch_warnings():
            # GDAL's and shapely's own words (with their internal paths): the faults they warn
            # about are reported below as issues.
            warnings.simplefilter("ignore")
            frame = gpd.read_file(path)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, ValueError) as err:
        return None, [
            Issue(
                file,
                f"cannot be read ({shorten(str(err), 200)}).",
                f"check that it is a valid {_FORMATS.get(path.suffix, path.suffix)} file.",
            )
        ]
    if frame.crs is None:
        return None, [
            Issue(
                file,
                "has no CRS (coordinate reference system).",
                "save it with its CRS (GeoJSON is always EPSG:4326 lon/lat; a shapefile "
                "needs its .prj file).",
            )
        ]
    issues = check_layer(frame, spec, file)
    if is_geojson:
        issues = _with_non_numbers_named(issues, frame, path, file)
    issues += _check_lonlat_range(frame, file)
    return frame, issues


def _with_non_numbers_named(
    issues: list[Issue], frame: gpd.GeoDataFrame, path: Path, file: str
) -> list[Issue]:
    """Name NaN / Infinity coordinates, which GDAL reads as an empty or invalid geometry."""
    bad = non_numeric_coordinates(path)
    if not bad:
        return issues
    ids = frame["id"].to_numpy(dtype=object) if "id" in frame.columns else None
    named = {
        (f"#{pos}" if ids is None or pos >= len(ids) or pd.isna(ids[pos]) else str(ids[pos])): word
        for pos, word in bad.items()
    }
    kept = [
        i for i in issues if not (i.feature_id in named and i.message.startswith("geometry is"))
    ]
    return kept + [
        Issue(
            file,
            f"coordinates hold {word}, which is not a number.",
            "give the feature its real coordinates (longitude, latitude), or remove it.",
            feature_id=fid,
        )
        for fid, word in named.items()
    ]


def _crs_fit_checks(frames: dict[str, gpd.GeoDataFrame], crs: str) -> list[Issue]:
    """Check that the declared CRS fits where the layers lie, and that every layer lies in town.

    See ``planner.crs_fit``: a CRS that would measure the town wrongly, layers with longitude and
    latitude swapped, and layers far from the boundary are errors.
    """
    # Layers whose coordinates are not lon/lat at all were reported when read.
    boxes = {
        name: box
        for name, frame in frames.items()
        if (box := lonlat_box(frame)) is not None and box.is_lonlat()
    }
    if not boxes:
        return []
    issues: list[Issue] = []
    swapped = {}
    for name, box in boxes.items():
        issue = swapped_layer_issue(crs, box, _file_of(name))
        if issue is not None:
            swapped[name] = issue
    town_box = boxes.get("boundary") or _union(list(boxes.values()))
    if "boundary" not in swapped:
        issues += crs_fit_issues(crs, town_box)
    issues += swapped.values()
    if "boundary" in boxes and "boundary" not in swapped:
        for name, box in boxes.items():
            if name in swapped or name == "boundary":
                continue
            far = far_layer_issue(box, boxes["boundary"], _file_of(name))
            if far is not None:
                issues.append(far)
            elif name in _TOWN_ONLY_LAYERS and frames[name].crs.equals(DISPLAY_CRS):
                issues += far_feature_issues(frames[name], boxes["boundary"], _file_of(name))
    return issues


_TOWN_ONLY_LAYERS = frozenset({"residential", "facilities", "districts"})
"""Layers whose every feature lies in the town (streets, water and rail may run beyond it)."""


def _union(boxes: list[LonLatBox]) -> LonLatBox:
    return LonLatBox(
        min(b.west for b in boxes),
        min(b.south for b in boxes),
        max(b.east for b in boxes),
        max(b.north for b in boxes),
    )


def _cross_checks(
    frames: dict[str, gpd.GeoDataFrame],
    meta: TownMeta | None,
    norms: NormSet | None,
    *,
    measurable: bool,
) -> list[Issue]:
    """Run the checks that involve several layers, the metadata or the norm set.

    With ``measurable`` the frames are in the town's metric CRS and the geometric checks run
    (positions against the boundary, street components, homes out of the streets' reach).
    """
    issues: list[Issue] = []
    boundary = frames.get("boundary")
    boundary_shape = None
    if measurable and boundary is not None and len(boundary) and _geometries_usable(boundary):
        boundary_shape = shapely.union_all(boundary.geometry.to_numpy())
    districts = frames.get("districts")
    district_ids = None
    if districts is not None and "id" in districts.columns:
        district_ids = [str(i) for i in districts["id"].dropna()]
    residential = frames.get("residential")
    if residential is not None:
        file = _file_of("residential")
        issues += check_residential(residential, file, district_ids=district_ids)
        if meta is not None and "population" in residential.columns:
            total = float(pd.to_numeric(residential["population"], errors="coerce").sum())
            issues += check_population_total(total, meta.population, file)
        if boundary_shape is not None and _geometries_usable(residential):
            issues += check_residential_in_boundary(residential, file, boundary=boundary_shape)
    facilities = frames.get("facilities")
    if facilities is not None:
        issues += check_facilities(
            facilities,
            _file_of("facilities"),
            services=None if norms is None else norms.services,
            boundary=boundary_shape if meta is not None else None,
        )
    streets = frames.get("streets")
    if streets is not None and measurable and _geometries_usable(streets):
        issues += check_street_components(streets, _file_of("streets"))
        places = {
            name: frame
            for name in ("residential", "facilities")
            if (frame := frames.get(name)) is not None and _geometries_usable(frame)
        }
        issues += check_street_reach(streets, places, _file_of("streets"))
    return issues


def _facilities_to_points(frame: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, list[Issue]]:
    """Reduce polygon facilities to a point on their surface, with a warning each."""
    is_area = frame.geometry.geom_type.isin(["Polygon", "MultiPolygon"]).to_numpy()
    if not is_area.any():
        return frame, []
    frame = frame.copy()
    frame.loc[is_area, "geometry"] = frame.geometry[is_area].representative_point()
    issues = [
        Issue(
            _file_of("facilities"),
            "facility is drawn as an area; it is used as a point on its surface.",
            "draw it as a point at its entrance to control where it is.",
            feature_id=str(fid),
            severity="warning",
        )
        for fid in frame.loc[is_area, "id"]
    ]
    return frame, issues


def _check_lonlat_range(frame: gpd.GeoDataFrame, file: str) -> list[Issue]:
    """Catch projected coordinates saved in a GeoJSON that claims lon/lat."""
    if not frame.crs.is_geographic or frame.empty:
        return []
    valid = frame.geometry.dropna()
    valid = valid[~valid.is_empty]
    if valid.empty:
        return []
    box = lonlat_box(frame)
    if box is None or box.is_lonlat():
        return []
    if box.swapped().is_lonlat():
        return [
            Issue(
                file,
                f"coordinates ({box.west:.2f}, {box.south:.2f}) to ({box.east:.2f}, "
                f"{box.north:.2f}) are not longitude, latitude (a latitude beyond ±90°); "
                "longitude and latitude look swapped.",
                "write every coordinate as longitude, latitude (x, y: the GeoJSON order).",
            )
        ]
    return [
        Issue(
            file,
            f"coordinates ({box.west:.0f}, {box.south:.0f}) to ({box.east:.0f}, "
            f"{box.north:.0f}) are not longitude/latitude although the file says EPSG:4326; "
            "they look projected.",
            "reproject the layer to EPSG:4326 before saving it as GeoJSON "
            "(QGIS: Export > Save Features As, CRS EPSG:4326).",
        )
    ]


def _geometries_usable(frame: gpd.GeoDataFrame) -> bool:
    geoms = frame.geometry.to_numpy()
    return bool(len(geoms)) and bool(
        (~shapely.is_missing(geoms) & ~shapely.is_empty(geoms) & shapely.is_valid(geoms)).all()
    )


def _file_of(name: str) -> str:
    return LAYER_SPECS[name].filename


def _empty_layer(spec: LayerSpec, crs: str) -> gpd.GeoDataFrame:
    columns = {name: pd.Series(dtype="object") for name, _ in spec.columns}
    return gpd.GeoDataFrame(columns, geometry=gpd.GeoSeries([], crs=crs), crs=crs)


def norm_set_for(folder: Path | str) -> str:
    """Return the norm set a town folder asks for: its ``default_norms``, else the default.

    The one place that decides which norm set applies when the user names none: the CLI and the
    dashboard both call it. ``folder`` may be a town's name, as for ``load_town``. An unknown
    name or an unreadable ``town.toml`` gives ``DEFAULT_NORM_SET`` (loading the
    town then reports what is wrong with it).
    """
    try:
        path = resolve_town(folder)  # a town's name works here too
    except TownNotFoundError:
        return DEFAULT_NORM_SET
    meta, _ = read_town_meta(path) if path.is_dir() else (None, [])
    return meta.default_norms if meta is not None else DEFAULT_NORM_SET
