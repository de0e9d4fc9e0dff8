"""Keep a curated facilities layer and match it to the facilities found in OpenStreetMap.

A curated layer (e.g. the verified Gusev facilities, with capacities from public sources) knows
what OSM does not; OSM knows where things really are. Pairs are matched one to one, best first:
same service, within ``MAX_DISTANCE_M``, and either similar names or very close. A matched
facility keeps the curated record and takes the OSM position (provenance ``osm``, the OSM id in
``source``); curated facilities OSM lacks are kept as they are; OSM facilities the curated layer
lacks are added; curated stand-ins (provenance ``modelled`` / ``illustrative``) are dropped,
since real data now replace them. The report lists all four groups.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from planner.config import DISPLAY_CRS
from planner.errors import PlannerError
from planner.layers import MODELLED_PROVENANCES

MAX_DISTANCE_M = 400.0
"""Farthest a curated facility may be from its OSM counterpart (curated positions are often
approximate)."""

CLOSE_DISTANCE_M = 60.0
"""Same-service facilities this close match even when their names differ (or one has none)."""

MIN_NAME_SIMILARITY = 0.5
"""Name similarity (0-1) needed to match beyond ``CLOSE_DISTANCE_M``."""

_NOISE = re.compile(
    r"\b(маоу|моу|мбоу|маду|мадоу|мдоу|мбдоу|гбуз|гбу|мау|мбу|му|до|оо|им|имени)\b|[«»\"'().,№#-]"
)


class CuratedLayerError(PlannerError, ValueError):
    """The curated facilities layer cannot be read or lacks the required columns."""


@dataclass(frozen=True, slots=True)
class Match:
    """One curated facility matched to an OSM facility."""

    curated_id: str
    osm_id: str
    service: str
    distance_m: float
    name_similarity: float


@dataclass(frozen=True, slots=True)
class MergeReport:
    """What matched, in both directions.

    Attributes
    ----------
    matched
        Pairs, best first.
    curated_only
        Curated facilities with no OSM counterpart (kept as they are).
    osm_only
        OSM facilities with no curated counterpart (added).
    dropped_stand_ins
        Curated ``modelled`` / ``illustrative`` facilities left out.
    dropped_outside
        Curated facilities outside the boundary, left out.
    """

    matched: list[Match]
    curated_only: list[str]
    osm_only: list[str]
    dropped_stand_ins: list[str]
    dropped_outside: list[str]


def merge_curated(
    osm: gpd.GeoDataFrame, curated_path: Path, *, boundary: shapely.Geometry, metric_crs: str
) -> tuple[gpd.GeoDataFrame, MergeReport]:
    """Merge a curated facilities layer with the OSM facilities (module docstring).

    Parameters
    ----------
    osm
        OSM facilities (``planner.osm.facilities.FACILITY_COLUMNS``), EPSG:4326 points.
    curated_path
        The curated layer (GeoJSON with the facilities columns of the data contract).
    boundary
        The town boundary in lon/lat.
    metric_crs
        CRS for distances.

    Returns
    -------
    facilities
        The merged layer in EPSG:4326.
    report
        Matched and unmatched facilities.
    """
    curated = _read_curated(curated_path)
    is_stand_in = curated["provenance"].isin(MODELLED_PROVENANCES).to_numpy()
    points = curated.geometry.representative_point()
    outside = ~points.intersects(boundary).to_numpy() & ~is_stand_in
    dropped_stand_ins = sorted(curated.loc[is_stand_in, "id"].astype(str))
    dropped_outside = sorted(curated.loc[outside, "id"].astype(str))
    curated = curated[~is_stand_in & ~outside].copy()
    curated["geometry"] = curated.geometry.representative_point()
    matches = match_facilities(curated, osm, metric_crs=metric_crs)
    osm_by_id = osm.set_index("id")
    merged = curated.set_index("id")
    for match in matches:
        row = osm_by_id.loc[match.osm_id]
        merged.loc[match.curated_id, "geometry"] = row.geometry
        merged.loc[match.curated_id, "provenance"] = "osm"
        merged.loc[match.curated_id, "source"] = (
            f"{merged.loc[match.curated_id, 'source']} ; position: OpenStreetMap {match.osm_id}"
        )
        note = str(merged.loc[match.curated_id].get("note", "") or "")
        merged.loc[match.curated_id, "note"] = "; ".join(
            p for p in (note, f"matched to OSM {match.osm_id} ({match.distance_m:.0f} m away)") if p
        )
    matched_osm = {m.osm_id for m in matches}
    matched_curated = {m.curated_id for m in matches}
    added = osm[~osm["id"].isin(matched_osm)]
    frame = pd.concat([merged.reset_index(), added], ignore_index=True)
    result = gpd.GeoDataFrame(frame, geometry="geometry", crs=DISPLAY_CRS)
    report = MergeReport(
        matched=matches,
        curated_only=sorted(set(curated["id"].astype(str)) - matched_curated),
        osm_only=sorted(added["id"].astype(str)),
        dropped_stand_ins=dropped_stand_ins,
        dropped_outside=dropped_outside,
    )
    return result.sort_values("id", ignore_index=True), report


def match_facilities(
    curated: gpd.GeoDataFrame, osm: gpd.GeoDataFrame, *, metric_crs: str
) -> list[Match]:
    """Match curated to OSM facilities one to one: best name similarity first, then distance."""
    if curated.empty or osm.empty:
        return []
    a = curated.to_crs(metric_crs)
    b = osm.to_crs(metric_crs)
    candidates = []
    for ca in a.itertuples():
        near = b[
            (b["service"] == ca.service) & (b.geometry.distance(ca.geometry) <= MAX_DISTANCE_M)
        ]
        for cb in near.itertuples():
            distance = float(ca.geometry.distance(cb.geometry))
            similarity = max(
                name_similarity(str(ca.name_ru or ""), str(cb.name_ru or "")),
                name_similarity(str(ca.name or ""), str(cb.name or "")),
            )
            if similarity >= MIN_NAME_SIMILARITY or distance <= CLOSE_DISTANCE_M:
                candidates.append(
                    Match(str(ca.id), str(cb.id), str(ca.service), distance, similarity)
                )
    candidates.sort(key=lambda m: (-m.name_similarity, m.distance_m))
    used_a: set[str] = set()
    used_b: set[str] = set()
    matches = []
    for match in candidates:
        if match.curated_id in used_a or match.osm_id in used_b:
            continue
        used_a.add(match.curated_id)
        used_b.add(match.osm_id)
        matches.append(match)
    return matches


def name_similarity(a: str, b: str) -> float:
    """Return how alike two facility names are, 0-1, ignoring legal forms and punctuation.

    Examples
    --------
    >>> name_similarity("МАОУ «СОШ № 1 им. С. И. Гусева»", "СОШ №1 имени С.И. Гусева") > 0.8
    True
    >>> name_similarity("", "Школа")
    0.0
    """
    na, nb = _normalise(a), _normalise(b)
    if not na or not nb:
        return 0.0
    ratio = difflib.SequenceMatcher(None, na, nb).ratio()
    ta, tb = set(na.split()), set(nb.split())
    jaccard = len(ta & tb) / len(ta | tb)
    return max(ratio, jaccard)


def _normalise(name: str) -> str:
    text = _NOISE.sub(" ", name.lower().replace("ё", "е"))
    return " ".join(text.split())


def _read_curated(path: Path) -> gpd.GeoDataFrame:
    try:
        frame = gpd.read_file(path)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, ValueError) as err:
        msg = f"cannot read the curated facilities {path} ({err}); give a GeoJSON file."
        raise CuratedLayerError(msg) from err
    needed = {"id", "service", "name", "name_ru", "provenance", "source"}
    missing = sorted(needed - set(frame.columns))
    if missing or frame.crs is None:
        what = f"lacks column(s) {', '.join(missing)}" if missing else "has no CRS"
        msg = (
            f"curated facilities {path} {what}; give the facilities columns of the town-folder "
            "contract (docs/architecture.md)."
        )
        raise CuratedLayerError(msg)
    return frame.to_crs(DISPLAY_CRS)
