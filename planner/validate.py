"""Checks on the layers of a town folder; each returns every problem it finds as ``Issue``s.

The checks never raise on bad data: the loader collects their issues and raises once, so a user
sees every problem of a folder in one go.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from planner.config import FAR_CONNECTOR_M, POPULATION_TOLERANCE
from planner.errors import Issue
from planner.layers import (
    CAPACITY_BASES,
    COHORT_COLUMNS,
    FACILITY_STATUSES,
    HOUSING_TYPES,
    PROVENANCES,
    LayerSpec,
)
from planner.network import build_walk_graph

MAX_IDS_IN_MESSAGE = 5


def check_layer(frame: gpd.GeoDataFrame, spec: LayerSpec, file: str) -> list[Issue]:
    """Check one layer against its spec: columns, kinds, ids, geometries and allowed values.

    Parameters
    ----------
    frame
        The layer as read from its file (any CRS).
    spec
        What the layer must hold.
    file
        The file name, used in the issues.

    Returns
    -------
    list of Issue
        Every problem found; empty when the layer is sound.
    """
    issues: list[Issue] = []
    missing = [name for name, _ in spec.columns if name not in frame.columns]
    if missing:
        issues.append(
            Issue(
                file,
                f"missing column(s): {', '.join(missing)}.",
                f"add {'them' if len(missing) > 1 else 'it'} to every feature's properties "
                f"(required: {', '.join(name for name, _ in spec.columns)}).",
            )
        )
    ids = _feature_ids(frame)
    issues += _check_ids(frame, file)
    for name, kind in (*spec.columns, *spec.optional_columns):
        if name in frame.columns and name != "id":
            issues += _check_kind(frame[name], kind, ids, file, name)
    issues += _check_geometries(frame, spec, ids, file)
    if spec.has_provenance and "provenance" in frame.columns:
        issues += _check_allowed(frame["provenance"], PROVENANCES, ids, file, "provenance")
    return issues


def check_residential(
    frame: gpd.GeoDataFrame, file: str, *, district_ids: Iterable[str] | None
) -> list[Issue]:
    """Check residential values: population, housing type, cohorts, district references."""
    issues: list[Issue] = []
    ids = _feature_ids(frame)
    if "population" in frame.columns:
        issues += _check_non_negative(frame["population"], ids, file, "population")
    if "housing" in frame.columns:
        issues += _check_allowed(frame["housing"], HOUSING_TYPES, ids, file, "housing")
    present = [c for c in COHORT_COLUMNS if c in frame.columns]
    if present and len(present) < len(COHORT_COLUMNS):
        absent = sorted(set(COHORT_COLUMNS) - set(present))
        issues.append(
            Issue(
                file,
                f"only some age-cohort columns are present; missing {', '.join(absent)}.",
                f"give all of {', '.join(COHORT_COLUMNS)} or none of them.",
            )
        )
    elif present and "population" in frame.columns:
        cohorts = frame[list(COHORT_COLUMNS)].apply(pd.to_numeric, errors="coerce")
        population = pd.to_numeric(frame["population"], errors="coerce")
        for column in COHORT_COLUMNS:
            issues += _check_non_negative(frame[column], ids, file, column)
        off = (cohorts.sum(axis=1) - population).abs() > 0.5
        issues += _per_feature(
            off,
            ids,
            file,
            "age cohorts do not add up to population.",
            "make pop_0_6 + pop_7_17 + pop_18_64 + pop_65_plus equal population.",
        )
    if district_ids is not None and "district" in frame.columns:
        known = set(district_ids)
        unknown = ~frame["district"].isin(known)
        issues += _per_feature(
            unknown,
            ids,
            file,
            "district is not an id in districts.geojson.",
            f"use one of: {', '.join(sorted(known)) or '(no districts)'}.",
        )
    return issues


def check_population_total(total: float, official: int, file: str) -> list[Issue]:
    """Check that the residential population adds up to the official figure in town.toml."""
    if official <= 0 or abs(total - official) <= POPULATION_TOLERANCE * official:
        return []
    return [
        Issue(
            file,
            f"residential population adds up to {total:,.0f}, but town.toml gives "
            f"{official:,} (a gap of {abs(total - official) / official:.1%}; "
            f"at most {POPULATION_TOLERANCE:.1%} is allowed).",
            "scale the population column to the official total, or correct "
            "population in town.toml.",
        )
    ]


def check_facilities(
    frame: gpd.GeoDataFrame,
    file: str,
    *,
    services: Mapping[str, object] | None,
    boundary: shapely.Geometry | None,
) -> list[Issue]:
    """Check facility values: service names, capacity, status, and position inside the boundary.

    Parameters
    ----------
    frame
        The facilities layer, in the same CRS as ``boundary``.
    file
        File name for the issues.
    services
        The norm set's services by key; ``None`` skips the service check.
    boundary
        The town boundary; ``None`` skips the position check.
    """
    issues: list[Issue] = []
    ids = _feature_ids(frame)
    if services is not None and "service" in frame.columns:
        issues += _check_allowed(frame["service"], tuple(services), ids, file, "service")
    if "capacity" in frame.columns:
        issues += _check_non_negative(frame["capacity"], ids, file, "capacity")
        capacity = pd.to_numeric(frame["capacity"], errors="coerce")
        if "capacity_basis" in frame.columns:
            issues += _check_allowed(
                frame["capacity_basis"].fillna("unknown"),
                CAPACITY_BASES,
                ids,
                file,
                "capacity_basis",
            )
            unexplained = capacity.isna() & (frame["capacity_basis"].fillna("") != "unknown")
        else:
            unexplained = capacity.isna()
        issues += _per_feature(
            unexplained,
            ids,
            file,
            "capacity is empty.",
            'give a capacity, or set capacity_basis to "unknown" to say it is not known.',
        )
    if "status" in frame.columns:
        issues += _check_allowed(frame["status"], FACILITY_STATUSES, ids, file, "status")
    if boundary is not None:
        geoms = frame.geometry.to_numpy()
        valid = pd.Series(~shapely.is_missing(geoms) & ~shapely.is_empty(geoms), index=frame.index)
        outside = valid & ~frame.geometry.intersects(boundary)
        issues += _per_feature(
            outside,
            ids,
            file,
            "facility lies outside the town boundary.",
            "correct its coordinates (lon, lat in EPSG:4326), or remove it from this town.",
        )
    return issues


def check_residential_in_boundary(
    frame: gpd.GeoDataFrame, file: str, *, boundary: shapely.Geometry
) -> list[Issue]:
    """Check residential units against the town boundary (both in one metric CRS).

    A unit wholly outside the boundary, or larger than the whole town, is an error (its residents
    would be counted in a town they do not live in); a unit more than half outside is a warning.

    Parameters
    ----------
    frame
        Residential units with valid geometries.
    file
        File name for the issues.
    boundary
        The town boundary.
    """
    ids = _feature_ids(frame)
    geoms = frame.geometry.to_numpy()
    town_m2 = float(shapely.area(boundary))
    area_m2 = shapely.area(geoms)
    inside_m2 = shapely.area(shapely.intersection(geoms, boundary))
    outside = pd.Series(inside_m2 <= 0.0, index=frame.index) & ~frame.geometry.intersects(boundary)
    issues = []
    for pos in np.flatnonzero(outside.to_numpy()):
        distance_m = float(shapely.distance(geoms[pos], boundary))
        issues.append(
            Issue(
                file,
                f"residential unit lies outside the town boundary ({distance_m:,.0f} m away).",
                "correct its coordinates (longitude, latitude), or remove it from this town.",
                feature_id=ids.iloc[pos],
            )
        )
    too_big = ~outside.to_numpy() & (area_m2 > town_m2)
    for pos in np.flatnonzero(too_big):
        issues.append(
            Issue(
                file,
                f"residential unit covers {area_m2[pos] / 1e6:,.1f} km², more than the whole "
                f"town ({town_m2 / 1e6:,.1f} km²).",
                "redraw it as the block or building it is.",
                feature_id=ids.iloc[pos],
            )
        )
    with np.errstate(invalid="ignore", divide="ignore"):
        share_out = np.where(area_m2 > 0, 1.0 - inside_m2 / area_m2, 0.0)
    mostly_out = ~outside.to_numpy() & ~too_big & (share_out > MAX_SHARE_OUTSIDE)
    for pos in np.flatnonzero(mostly_out):
        issues.append(
            Issue(
                file,
                f"{share_out[pos]:.0%} of the residential unit lies outside the town boundary; "
                "its residents are all counted in the town.",
                "check its outline, or the boundary.",
                feature_id=ids.iloc[pos],
                severity="warning",
            )
        )
    return issues


MAX_SHARE_OUTSIDE = 0.5
"""A residential unit with more of its area than this outside the boundary gets a warning."""


def check_street_reach(
    streets: gpd.GeoDataFrame,
    places: Mapping[str, gpd.GeoDataFrame],
    file: str,
    *,
    far_m: float = FAR_CONNECTOR_M,
) -> list[Issue]:
    """Warn when homes or facilities lie farther than ``far_m`` from any street.

    The analysis attaches every home and facility to its nearest street by a straight connector;
    a long connector means the street network does not reach it (a network of one segment, or a
    district without its streets), and ``analyze`` would report it as far from any street. One
    warning per layer, with the numbers.

    Parameters
    ----------
    streets
        Street lines with valid geometries (metric CRS).
    places
        ``"residential"`` and/or ``"facilities"`` layers, valid geometries, same CRS.
    file
        The streets file, for the issues.
    far_m
        The distance beyond which a place counts as unreached (the analysis's threshold).
    """
    tree = shapely.STRtree(streets.geometry.to_numpy())
    issues = []
    for layer, frame in places.items():
        if frame.empty:
            continue
        points = frame.geometry.representative_point().to_numpy()
        _, distance_m = tree.query_nearest(points, return_distance=True, all_matches=False)
        far = distance_m > far_m
        if not far.any():
            continue
        ids = _feature_ids(frame).to_numpy()[far]
        shown = ", ".join(ids[:MAX_IDS_IN_MESSAGE]) + (
            f" and {len(ids) - MAX_IDS_IN_MESSAGE} more" if len(ids) > MAX_IDS_IN_MESSAGE else ""
        )
        what = "residential unit(s)" if layer == "residential" else "facilities"
        residents = ""
        if layer == "residential" and "population" in frame.columns:
            people = pd.to_numeric(frame["population"], errors="coerce").to_numpy()[far]
            residents = f" with {np.nansum(people):,.0f} residents"
        issues.append(
            Issue(
                file,
                f"{far.sum():,} of {len(frame):,} {what}{residents} lie more than {far_m:.0f} m "
                f"from any street (farthest {distance_m.max():,.0f} m): {shown}. The walking "
                "network does not reach them; their walks start with a long straight line.",
                "add the streets and footpaths that serve them (the whole walkable network, "
                "not only main roads).",
                severity="warning",
            )
        )
    return issues


def check_street_components(streets: gpd.GeoDataFrame, file: str) -> list[Issue]:
    """Report every street component cut off from the largest one (a warning per component).

    Parameters
    ----------
    streets
        Valid street lines in a projected CRS.
    file
        File name for the issues.
    """
    graph = build_walk_graph(streets)
    if graph.n_components <= 1:
        return []
    sizes = graph.component_sizes()
    main = int(np.argmax(sizes))
    edge_component = graph.component[graph.edges[:, 0]]
    issues = []
    for label in np.argsort(-sizes):
        if label == main:
            continue
        positions = np.unique(graph.edge_street_pos[edge_component == label])
        street_ids = [str(i) for i in streets["id"].to_numpy()[positions]]
        shown = ", ".join(street_ids[:MAX_IDS_IN_MESSAGE])
        more = f" and {len(street_ids) - MAX_IDS_IN_MESSAGE} more" if len(street_ids) > 5 else ""
        issues.append(
            Issue(
                file,
                f"street(s) {shown}{more} form a piece of network not connected to the main "
                f"one ({sizes[label]} of {graph.n_nodes} nodes); nobody can walk between them.",
                "join them with a footway or crossing that shares an end point with the main "
                "network, or remove them.",
                feature_id=street_ids[0] if street_ids else None,
                severity="warning",
            )
        )
    return issues


def _feature_ids(frame: gpd.GeoDataFrame) -> pd.Series:
    """Return the ids as strings (or the row number, where the id is missing)."""
    if "id" not in frame.columns:
        return pd.Series([f"#{i}" for i in range(len(frame))], index=frame.index)
    return pd.Series(
        [f"#{pos}" if pd.isna(v) else str(v) for pos, v in enumerate(frame["id"])],
        index=frame.index,
    )


def _check_ids(frame: gpd.GeoDataFrame, file: str) -> list[Issue]:
    if "id" not in frame.columns:
        return []
    missing = frame["id"].isna() | (frame["id"].astype(str).str.strip() == "")
    issues = _per_feature(
        missing,
        _feature_ids(frame),
        file,
        "feature has no id.",
        "give every feature a unique, non-empty id.",
    )
    ids = frame["id"][~missing].astype(str)
    duplicated = sorted(set(ids[ids.duplicated()]))
    issues += [
        Issue(
            file,
            f"id {dup!r} is used by {int((ids == dup).sum())} features.",
            "give each feature its own id.",
            feature_id=dup,
        )
        for dup in duplicated
    ]
    return issues


def _check_kind(
    values: pd.Series, kind: str, ids: pd.Series, file: str, column: str
) -> list[Issue]:
    present = values.notna()
    if kind == "str":
        bad = present & ~values.map(lambda v: isinstance(v, str))
        expected = "text"
    elif kind == "bool":
        bad = present & ~values.map(lambda v: isinstance(v, bool | np.bool_))
        expected = "true or false"
    else:
        is_bool = values.map(lambda v: isinstance(v, bool | np.bool_))
        numbers = pd.to_numeric(values.where(~is_bool), errors="coerce")
        bad = present & (numbers.isna() | is_bool)
        expected = "a number"
        if kind == "int":
            fractional = numbers.notna() & (numbers != np.round(numbers))
            bad |= present & fractional
            expected = "a whole number"
    if column in {"population", "id"} and kind != "str":
        bad |= ~present
    issues = _per_feature(
        bad,
        ids,
        file,
        f"column {column!r} must hold {expected}.",
        f'correct the {column} value (e.g. write 120, not "120 people").',
    )
    if kind in ("int", "float"):
        # JSON has no infinity, but Python's json module writes (and GDAL reads) "Infinity".
        infinite = present & ~bad & numbers.map(lambda v: isinstance(v, float) and math.isinf(v))
        unknown = (
            ', or leave it empty with capacity_basis "unknown"' if column == "capacity" else ""
        )
        issues += _per_feature(
            infinite,
            ids,
            file,
            f"column {column!r} holds an infinite number; it must be a finite number.",
            f"give the real {column}{unknown}.",
        )
    return issues


def _check_geometries(
    frame: gpd.GeoDataFrame, spec: LayerSpec, ids: pd.Series, file: str
) -> list[Issue]:
    geoms = frame.geometry
    missing = geoms.isna()
    issues = _per_feature(
        missing, ids, file, "feature has no geometry.", "draw it, or remove the feature."
    )
    empty = ~missing & geoms.is_empty
    issues += _per_feature(
        empty, ids, file, "geometry is empty.", "draw it, or remove the feature."
    )
    present = ~missing & ~empty
    wrong_type = present & ~geoms.geom_type.isin(spec.geometry_types)
    for pos in np.flatnonzero(wrong_type.to_numpy()):
        issues.append(
            Issue(
                file,
                f"geometry is a {geoms.iloc[pos].geom_type}; this layer holds "
                f"{' or '.join(spec.geometry_types)}.",
                "redraw it with the right geometry type, or move it to the right layer.",
                feature_id=ids.iloc[pos],
            )
        )
    invalid = present & ~wrong_type & ~geoms.is_valid
    for pos in np.flatnonzero(invalid.to_numpy()):
        reason = shapely.is_valid_reason(geoms.iloc[pos])
        issues.append(
            Issue(
                file,
                f"geometry is invalid ({reason}).",
                "repair it (QGIS: Fix Geometries; shapely: make_valid) so it does not "
                "cross itself.",
                feature_id=ids.iloc[pos],
            )
        )
    return issues


def _check_allowed(
    values: pd.Series, allowed: tuple[str, ...], ids: pd.Series, file: str, column: str
) -> list[Issue]:
    issues = []
    bad = ~values.isin(allowed)
    for pos in np.flatnonzero(bad.to_numpy()):
        issues.append(
            Issue(
                file,
                f"{column} {values.iloc[pos]!r} is not one of the allowed values.",
                f"use one of: {', '.join(allowed)}.",
                feature_id=ids.iloc[pos],
            )
        )
    return issues


def _check_non_negative(values: pd.Series, ids: pd.Series, file: str, column: str) -> list[Issue]:
    numbers = pd.to_numeric(values, errors="coerce")
    return _per_feature(
        numbers < 0,
        ids,
        file,
        f"{column} is negative ({column} must be 0 or more).",
        f"correct the {column} value.",
        values=numbers,
    )


def _per_feature(
    mask: pd.Series,
    ids: pd.Series,
    file: str,
    message: str,
    fix: str,
    *,
    values: pd.Series | None = None,
) -> list[Issue]:
    issues = []
    for pos in np.flatnonzero(mask.fillna(value=False).to_numpy(dtype=bool)):
        shown = message if values is None else f"{message[:-1]}: {values.iloc[pos]:g}."
        issues.append(Issue(file, shown, fix, feature_id=ids.iloc[pos]))
    return issues
