"""Reading a town folder: ``town.toml`` plus one GeoJSON (or GeoPackage) file per layer.

``check_town`` reads and validates everything and returns every issue; ``load_town`` raises one
``DataValidationError`` carrying them all, or returns a ``Town`` in the town's metric CRS.
"""

from __future__ import annotations

import logging
import tomllib
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError as PyprojCrsError

from planner.errors import DataValidationError, Issue
from planner.layers import LAYER_SPECS, LayerSpec
from planner.model import Town, TownMeta
from planner.norms.model import DEFAULT_NORM_SET
from planner.towns import TOWN_FILE, TownNotFoundError, resolve_town
from planner.validate import (
    check_facilities,
    check_layer,
    check_population_total,
    check_residential,
    check_street_components,
)

if TYPE_CHECKING:
    from planner.norms import NormSet

logger = logging.getLogger(__name__)

LAYER_SUFFIXES = (".geojson", ".gpkg", ".fgb", ".shp")
"""Layer file formats accepted, in order of preference; bundled data use GeoJSON (diffs well)."""

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
}
_META_OPTIONAL = frozenset({"default_norms"})


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
    crs = meta.crs if meta is not None else None
    if crs is not None:
        frames = {name: frame.to_crs(crs) for name, frame in frames.items()}
    issues += _cross_checks(frames, meta, norms)
    facilities = frames.get("facilities")
    if facilities is not None:
        facilities, point_issues = _facilities_to_points(facilities)
        frames["facilities"] = facilities
        issues += point_issues
    if meta is None or any(i.severity == "error" for i in issues):
        return None, issues
    layers = {
        name: frames.get(name, _empty_layer(spec, meta.crs)) for name, spec in LAYER_SPECS.items()
    }
    town = Town(
        folder=folder,
        meta=meta,
        warnings=tuple(i for i in issues if i.severity == "warning"),
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
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
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
    if isinstance(raw.get("population"), int) and raw["population"] <= 0:
        issues.append(Issue(TOWN_FILE, "population must be positive.", "give the official total."))
    if isinstance(raw.get("crs"), str):
        issues += _check_metric_crs(raw["crs"])
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
    try:
        frame = gpd.read_file(path)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, ValueError) as err:
        return None, [
            Issue(file, f"cannot be read ({err}).", "check that it is a valid GeoJSON file.")
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
    issues += _check_lonlat_range(frame, file)
    return frame, issues


def _cross_checks(
    frames: dict[str, gpd.GeoDataFrame], meta: TownMeta | None, norms: NormSet | None
) -> list[Issue]:
    """Run the checks that involve several layers, the metadata or the norm set."""
    issues: list[Issue] = []
    boundary = frames.get("boundary")
    boundary_shape = None
    if boundary is not None and len(boundary) and boundary.geometry.is_valid.all():
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
    facilities = frames.get("facilities")
    if facilities is not None:
        issues += check_facilities(
            facilities,
            _file_of("facilities"),
            services=None if norms is None else norms.services,
            boundary=boundary_shape if meta is not None else None,
        )
    streets = frames.get("streets")
    if streets is not None and meta is not None and _geometries_usable(streets):
        issues += check_street_components(streets, _file_of("streets"))
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


def _check_metric_crs(crs_text: str) -> list[Issue]:
    try:
        crs = CRS.from_user_input(crs_text)
    except PyprojCrsError:
        return [Issue(TOWN_FILE, f"crs {crs_text!r} is not a known CRS.", 'use e.g. "EPSG:32634".')]
    if not crs.is_projected:
        return [
            Issue(
                TOWN_FILE,
                f"crs {crs_text!r} is geographic (degrees); analysis needs metres.",
                "use the town's UTM zone, e.g. EPSG:32634 for Gusev "
                "(geopandas: frame.estimate_utm_crs()).",
            )
        ]
    return []


def _check_lonlat_range(frame: gpd.GeoDataFrame, file: str) -> list[Issue]:
    """Catch projected coordinates saved in a GeoJSON that claims lon/lat."""
    if not frame.crs.is_geographic or frame.empty:
        return []
    valid = frame.geometry.dropna()
    valid = valid[~valid.is_empty]
    if valid.empty:
        return []
    minx, miny, maxx, maxy = valid.total_bounds
    if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
        return [
            Issue(
                file,
                f"coordinates ({minx:.0f}, {miny:.0f}) to ({maxx:.0f}, {maxy:.0f}) are not "
                "longitude/latitude although the file says EPSG:4326; they look projected.",
                "reproject the layer to EPSG:4326 before saving it as GeoJSON "
                "(QGIS: Export > Save Features As, CRS EPSG:4326).",
            )
        ]
    return []


def _geometries_usable(frame: gpd.GeoDataFrame) -> bool:
    geoms = frame.geometry
    return bool(len(geoms)) and bool((geoms.notna() & ~geoms.is_empty & geoms.is_valid).all())


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
