"""The analysis drawn with matplotlib: one function for the print map and the report's maps.

``draw_analysis`` draws on a matplotlib ``Axes`` in the analysis CRS (metres, so the scale bar
is exact): the town's own layers as the basemap (districts, water, railway, streets, boundary),
residential blocks coloured by coverage class (``planner.presentation.views.unit_classes``, the
colours of the interactive map), walking catchments or radius circles, gap zones, and the
facilities sized by capacity and coloured by load. It returns the legend entries of exactly
what it drew. ``add_scale_bar`` and ``add_north_arrow`` add the two map furniture elements.

Matplotlib's bundled DejaVu Sans has Cyrillic, so Russian labels need no system font. Nothing
here opens a window (the Agg canvas is used through ``Figure`` directly, never ``pyplot``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath
from matplotlib_scalebar.scalebar import ScaleBar

from planner.analysis import TownAnalysis
from planner.exports.scenario_map import CHANGE_COLOURS
from planner.maps.style import (
    BOUNDARY_COLOR,
    CATCHMENT_COLOR,
    GAP_COLOR,
    LOAD_CLASSES,
    LOAD_UNKNOWN_COLOR,
    RADIUS_COLOR,
    STATUS_COLORS,
    WATER_COLOR,
    load_class,
    map_text,
)
from planner.model import Town
from planner.presentation.views import CLASS_ORDER, MapView, unit_classes
from planner.presentation.words import (
    Lang,
    district_names,
    fmt_number,
    load_status,
    service_label,
    t,
    unit_status,
)
from planner.scenarios.compare import ScenarioComparison

__all__ = [
    "FONT_FAMILY",
    "Legend",
    "LegendEntry",
    "add_north_arrow",
    "add_scale_bar",
    "draw_analysis",
    "draw_changes",
    "map_extent",
]

FONT_FAMILY = "DejaVu Sans"
"""Matplotlib's bundled font: it has Cyrillic, and it is embedded in PDF and SVG output."""

GROUND_COLOR = "#f4f1ea"
"""Paper colour inside the boundary: a warm off-white, so white streets read on it."""

STREET_CASING = "#c9c3b8"
"""The thin grey casing drawn under the white streets."""

MARKER_AREA_PT2 = (18.0, 170.0)
"""Smallest and largest facility marker area in points²; the area grows with capacity."""

ZONE_CLOSING_M = 25.0
"""Gap zones are drawn with the gaps between their blocks closed up to about this width."""

MAP_PAD_SHARE = 0.03
"""Margin around the town inside the map frame, as a share of its larger side."""


@dataclass(frozen=True, slots=True)
class LegendEntry:
    """One legend line: its label and the handle that draws its symbol."""

    label: str
    handle: Patch | Line2D


@dataclass(slots=True)
class Legend:
    """Legend sections in drawing order: (title, entries)."""

    sections: list[tuple[str, list[LegendEntry]]] = field(default_factory=list)

    def add(self, title: str, entries: list[LegendEntry]) -> None:
        """Add a section when it has entries."""
        if entries:
            self.sections.append((title, entries))


def map_extent(town: Town) -> tuple[float, float, float, float]:
    """Return (minx, miny, maxx, maxy) of the town with a margin, in the analysis CRS."""
    frame = town.boundary if not town.boundary.empty else town.residential
    minx, miny, maxx, maxy = (float(v) for v in frame.total_bounds)
    pad = MAP_PAD_SHARE * max(maxx - minx, maxy - miny)
    return minx - pad, miny - pad, maxx + pad, maxy + pad


def draw_analysis(
    ax: Axes,
    analysis: TownAnalysis,
    service: str | None,
    *,
    lang: Lang,
    view: MapView = "network",
    scale: float = 1.0,
    district_labels: bool = True,
) -> Legend:
    """Draw an analysis on ``ax`` and return the legend of what was drawn.

    Parameters
    ----------
    ax
        The axes (its aspect is set equal and its frame hidden).
    analysis
        The analysis; its town gives the basemap.
    service
        The service to show, or ``None`` for all (blocks by the share of services reached).
    lang
        Language of the legend and labels.
    view
        Which coverage the blocks show, as on the interactive map (``network``, ``radius``,
        ``disagree``).
    scale
        Multiplies line widths, marker sizes and label sizes (1 for A4 at full page).
    district_labels
        Write the district names.

    Returns
    -------
    Legend
        Sections: blocks by class, areas (catchments, radius circles, gap zones), facilities
        by load, and the town's lines.
    """
    town = analysis.town
    text = map_text(lang)
    legend = Legend()
    _draw_ground(ax, town, scale)
    classes = unit_classes(analysis, service, view)
    legend.add(
        f"{text['units_title']}: {t('view.' + view, lang)}",
        _draw_units(ax, analysis, classes, lang, scale),
    )
    _draw_streets_and_rail(ax, town, scale)
    areas: list[LegendEntry] = []
    if service is not None:
        result = analysis.service(service)
        norm = result.norm
        catchments, circles = result.catchments, result.radius_circles
        if view in ("network", "disagree") and catchments is not None and len(catchments):
            _polygons(ax, catchments, face="none", edge=CATCHMENT_COLOR, width=0.9 * scale, z=7)
            label = text["catchments"].format(limit=fmt_number(norm.walk_limit_m, lang))
            areas.append(LegendEntry(label, Patch(fc="none", ec=CATCHMENT_COLOR, lw=1.2)))
        if view in ("radius", "disagree") and circles is not None and len(circles):
            _polygons(
                ax, circles, face="none", edge=RADIUS_COLOR, width=0.9 * scale, z=7, style="--"
            )
            label = text["radius_circles"].format(radius=fmt_number(norm.radius_m, lang))
            areas.append(LegendEntry(label, Patch(fc="none", ec=RADIUS_COLOR, lw=1.2, ls="--")))
        zones = result.gap_zones
    else:
        zones = analysis.all_gap_zones()
    if len(zones):
        # A zone is the union of its blocks; closing the small gaps between them (a buffer out
        # and back in) draws it as one area instead of a dashed line around every block.
        merged = zones.set_geometry(
            zones.geometry.buffer(ZONE_CLOSING_M).buffer(-ZONE_CLOSING_M * 0.6)
        )
        _polygons(ax, merged, face=GAP_COLOR, edge="none", z=8, alpha=0.08)
        _polygons(ax, merged, face="none", edge=GAP_COLOR, width=1.3 * scale, z=8, style="--")
        areas.append(
            LegendEntry(text["gap_zones"], Patch(fc=(0.7, 0.09, 0.17, 0.1), ec=GAP_COLOR, ls="--"))
        )
    legend.add(text["areas"], areas)
    if service is not None:
        label = service_label(analysis.norms, service, lang)
        legend.add(
            f"{label}: {text['facility_size']}",
            _draw_facilities(ax, analysis, service, lang, scale),
        )
    _draw_boundary(ax, town, scale)
    legend.add(t("export.legend_town", lang), _town_entries(town, lang))
    if district_labels and not town.districts.empty:
        _label_districts(ax, town, lang, scale)
    return legend


def draw_changes(
    ax: Axes,
    comparison: ScenarioComparison,
    service: str,
    *,
    lang: Lang,
    scale: float = 1.0,
) -> Legend:
    """Draw a scenario's gains and losses of one service and return the legend.

    Homes are coloured by their ``change`` (``planner.scenarios.compare``: gained, lost,
    unchanged, new), with the colours of the scenario maps (``CHANGE_COLOURS``); streets the
    scenario adds or closes are drawn over the basemap, and the service's facilities by their
    change (a new one as a star, a closed one as a cross). The basemap is the edited town's.
    """
    town = comparison.applied.town
    legend = Legend()
    _draw_ground(ax, town, scale)
    units = comparison.unit_layer(service)
    homes: list[LegendEntry] = []
    for change, colour in CHANGE_COLOURS.items():
        part = units[units["change"] == change]
        if len(part):
            _polygons(ax, part, face=colour, edge="#6b5b45", width=0.25 * scale, z=4)
            label = f"{t(f'scenario.change.{change}', lang)} ({fmt_number(len(part), lang)})"
            homes.append(LegendEntry(label, Patch(fc=colour, ec="#6b5b45", lw=0.4)))
    legend.add(t("export.legend_units", lang), homes)
    _draw_streets_and_rail(ax, town, scale)
    streets = comparison.street_layer()
    changed: list[LegendEntry] = []
    for change, colour, dashes in (("added", "#2166ac", None), ("closed", "#b2182b", (1.5, 1.5))):
        part = streets[streets["change"] == change] if len(streets) else streets
        if len(part):
            _lines(ax, part, colour, 2.4 * scale, z=6.5, dashes=dashes)
            style = "-" if dashes is None else ":"
            handle = Line2D([], [], color=colour, lw=2.4, ls=style)
            changed.append(LegendEntry(t(f"scenario.street.{change}", lang), handle))
    facilities = comparison.facility_layer(service)
    for change in ("unchanged", "capacity", "moved", "added", "closed", "removed"):
        part = facilities[facilities["change"] == change]
        if not len(part):
            continue
        marker, colour, size = FACILITY_CHANGE_MARKERS.get(
            change, FACILITY_CHANGE_MARKERS["unchanged"]
        )
        ax.scatter(
            part.geometry.x,
            part.geometry.y,
            marker=marker,
            s=size * scale**2,
            c=colour,
            edgecolors="#222222",
            linewidths=0.7 * scale,
            zorder=10,
        )
        changed.append(
            LegendEntry(
                t(f"scenario.fchange.{change}", lang),
                Line2D(
                    [],
                    [],
                    ls="none",
                    marker=marker,
                    ms=math.sqrt(size) * 0.8,
                    mfc=colour,
                    mec="#222222",
                    mew=0.7,
                ),
            )
        )
    label = service_label(comparison.scenario.norms, service, lang)
    legend.add(t("export.legend_changes", lang, service=label), changed)
    _draw_boundary(ax, town, scale)
    legend.add(t("export.legend_town", lang), _town_entries(town, lang))
    if not town.districts.empty:
        _label_districts(ax, town, lang, scale)
    return legend


FACILITY_CHANGE_MARKERS: dict[str, tuple[str, str, float]] = {
    "unchanged": ("o", "#f7f7f7", 30.0),
    "capacity": ("o", "#fdb863", 45.0),
    "moved": ("D", "#f1a340", 55.0),
    "added": ("*", "#fdb863", 220.0),
    "closed": ("X", "#b2182b", 70.0),
    "removed": ("X", "#b2182b", 70.0),
}
"""Marker, fill and area (points²) of a facility by its change in a scenario."""


def _draw_ground(ax: Axes, town: Town, scale: float) -> None:
    """Frame the town and draw what lies under the blocks: ground, district lines, water."""
    ax.set_aspect("equal")
    ax.set_axis_off()
    minx, miny, maxx, maxy = map_extent(town)
    ax.set_xlim(minx, maxx)
    ax.set_ylim(miny, maxy)
    if not town.boundary.empty:
        _polygons(ax, town.boundary, face=GROUND_COLOR, edge="none", z=0)
    if not town.districts.empty:
        _polygons(ax, town.districts, face="none", edge="#9a9a9a", width=0.6 * scale, z=1)
    if not town.water.empty:
        _polygons(ax, town.water, face=WATER_COLOR, edge=WATER_COLOR, width=0.8 * scale, z=2)
        _lines(ax, town.water, WATER_COLOR, 1.6 * scale, z=2)


def _draw_streets_and_rail(ax: Axes, town: Town, scale: float) -> None:
    _draw_streets(ax, town, scale)
    if not town.rail.empty:
        _lines(ax, town.rail, "#3d3d3d", 1.6 * scale, z=6, dashes=(6, 3))


def _draw_boundary(ax: Axes, town: Town, scale: float) -> None:
    if not town.boundary.empty:
        _polygons(
            ax,
            town.boundary,
            face="none",
            edge=BOUNDARY_COLOR,
            width=1.4 * scale,
            z=9,
            style=(0, (5, 3)),
        )


def _town_entries(town: Town, lang: Lang) -> list[LegendEntry]:
    """Legend entries of the basemap's lines and water, for what the town has."""
    text = map_text(lang)
    entries: list[LegendEntry] = []
    if not town.streets.empty:
        handle = Line2D([], [], color="#ffffff", lw=2.2, path_effects=_casing(1.0))
        entries.append(LegendEntry(text["streets"], handle))
    if not town.rail.empty:
        entries.append(
            LegendEntry(text["rail"], Line2D([], [], color="#3d3d3d", lw=1.6, dashes=(6, 3)))
        )
    if not town.boundary.empty:
        entries.append(
            LegendEntry(text["boundary"], Line2D([], [], color=BOUNDARY_COLOR, lw=1.4, ls="--"))
        )
    if not town.water.empty:
        entries.append(LegendEntry(text["water"], Patch(fc=WATER_COLOR, ec=WATER_COLOR)))
    return entries


def add_scale_bar(ax: Axes, lang: Lang, *, scale: float = 1.0) -> None:
    """Add a metric scale bar in the lower left (the axes are in metres), units in ``lang``."""

    def label(value: float, unit: str) -> str:
        key = "export.unit_km" if unit == "km" else "export.unit_m"
        return t(key, lang, value=fmt_number(value, lang, 0 if value == int(value) else 1))

    ax.add_artist(
        ScaleBar(
            1.0,
            "m",
            location="lower left",
            length_fraction=0.22,
            box_alpha=0.85,
            color="#222222",
            font_properties={"family": FONT_FAMILY, "size": 7.5 * scale},
            border_pad=0.6,
            sep=2.5,
            scale_formatter=label,
        )
    )


def add_north_arrow(ax: Axes, lang: Lang, *, scale: float = 1.0) -> None:
    """Add a north arrow in the upper right (the analysis CRS has grid north up).

    UTM grid north differs from true north by the meridian convergence, under 1.5° for a town
    near its zone's central meridian: invisible at this size.
    """
    x, y, length = 0.955, 0.86, 0.075
    ax.annotate(
        "",
        xy=(x, y + length),
        xytext=(x, y),
        xycoords="axes fraction",
        arrowprops={
            "arrowstyle": "simple,head_width=0.9,head_length=1.1,tail_width=0.35",
            "fc": "#222222",
            "ec": "#222222",
            "mutation_scale": 14 * scale,
        },
        zorder=20,
    )
    ax.text(
        x,
        y - 0.012,
        t("export.north", lang),
        transform=ax.transAxes,
        ha="center",
        va="top",
        fontsize=10 * scale,
        fontweight="bold",
        family=FONT_FAMILY,
        color="#222222",
        zorder=20,
    )


# ---------------------------------------------------------------------------------------------
# Layers


def _draw_units(
    ax: Axes, analysis: TownAnalysis, classes: pd.Series, lang: Lang, scale: float
) -> list[LegendEntry]:
    frame = analysis.town.residential
    if frame.empty:
        return []
    colors = [STATUS_COLORS[c] for c in classes]
    _polygons(ax, frame, face=colors, edge="#6b5b45", width=0.25 * scale, z=4, alpha=0.85)
    present = set(classes)
    return [
        LegendEntry(unit_status(key, lang), Patch(fc=STATUS_COLORS[key], ec="#6b5b45", lw=0.4))
        for key in CLASS_ORDER
        if key in present
    ]


def _draw_streets(ax: Axes, town: Town, scale: float) -> None:
    streets = town.streets
    if streets.empty:
        return
    kinds = streets["kind"].fillna("").astype(str)
    major = kinds.isin(["primary", "secondary", "tertiary", "trunk", "motorway"])
    paths = kinds.isin(["footway", "path", "steps", "pedestrian", "cycleway", "crossing"])
    bridges = kinds.str.contains("bridge", case=False)
    minor = ~(major | paths | bridges)
    _lines(ax, streets[minor], STREET_CASING, 2.0 * scale, z=5)
    _lines(ax, streets[major], "#a89f90", 3.2 * scale, z=5)
    _lines(ax, streets[minor], "#ffffff", 1.3 * scale, z=5.1)
    _lines(ax, streets[major], "#fff3c4", 2.4 * scale, z=5.1)
    _lines(ax, streets[paths], "#8c6d4f", 0.5 * scale, z=5.1, dashes=(2, 1.5))
    _lines(ax, streets[bridges], "#111111", 2.6 * scale, z=5.2)


def _draw_facilities(
    ax: Axes, analysis: TownAnalysis, service: str, lang: Lang, scale: float
) -> list[LegendEntry]:
    result = analysis.service(service)
    frame = result.facilities
    frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    if frame.empty:
        return []
    points = frame.geometry.representative_point()
    capacity = pd.to_numeric(frame["capacity"], errors="coerce").astype(float).to_numpy()
    largest = float(np.nanmax(capacity)) if np.isfinite(capacity).any() else math.nan
    shares: dict[str, float] = {}
    if result.provision is not None:
        table = result.provision.facilities
        shares = dict(zip(table["facility_id"].astype(str), table["load_share"], strict=True))
    keys, colors = [], []
    for fid in frame["id"].astype(str):
        key, color = load_class(shares.get(fid, math.nan))
        keys.append(key)
        colors.append(color)
    low, high = MARKER_AREA_PT2
    sizes = [
        (low + (high - low) * math.sqrt(max(c, 0.0) / largest))
        if math.isfinite(c) and math.isfinite(largest) and largest > 0
        else (low + high) / 2
        for c in capacity
    ]
    planned = (frame["status"].astype(str) == "planned").to_numpy()
    ax.scatter(
        points.x.to_numpy(),
        points.y.to_numpy(),
        s=np.asarray(sizes) * scale**2,
        c=colors,
        edgecolors="#222222",
        linewidths=[0.9 * scale if p else 0.7 * scale for p in planned],
        linestyles=["--" if p else "-" for p in planned],
        zorder=10,
    )
    order = [key for _, key, _ in LOAD_CLASSES] + ["unknown"]
    palette = {key: color for _, key, color in LOAD_CLASSES} | {"unknown": LOAD_UNKNOWN_COLOR}
    present = set(keys)
    return [
        LegendEntry(
            load_status(key, lang),
            Line2D([], [], ls="none", marker="o", ms=7, mfc=palette[key], mec="#222222", mew=0.7),
        )
        for key in order
        if key in present
    ]


def _label_districts(ax: Axes, town: Town, lang: Lang, scale: float) -> None:
    import matplotlib.patheffects as pe

    names = district_names(town, lang)
    points = town.districts.geometry.representative_point()
    for district, point in zip(town.districts["id"].astype(str), points, strict=True):
        if point is None or point.is_empty:
            continue
        ax.text(
            point.x,
            point.y,
            names.get(district, district),
            ha="center",
            va="center",
            fontsize=7.5 * scale,
            style="italic",
            family=FONT_FAMILY,
            color="#333333",
            zorder=11,
            path_effects=[pe.withStroke(linewidth=2.4 * scale, foreground="white", alpha=0.85)],
        )


def _casing(width: float) -> list[object]:
    import matplotlib.patheffects as pe

    return [pe.Stroke(linewidth=2.2 + 2 * width, foreground=STREET_CASING), pe.Normal()]


# ---------------------------------------------------------------------------------------------
# Geometry to matplotlib collections (faster than GeoDataFrame.plot and free of its styling)


def _polygons(
    ax: Axes,
    frame: gpd.GeoDataFrame,
    *,
    face: str | list[str],
    edge: str,
    width: float = 0.0,
    z: float,
    alpha: float | None = None,
    style: object = "-",
) -> None:
    patches, faces = [], []
    face_list = face if isinstance(face, list) else [face] * len(frame)
    for geometry, color in zip(frame.geometry, face_list, strict=True):
        if geometry is None or geometry.is_empty:
            continue
        for polygon in getattr(geometry, "geoms", [geometry]):
            if polygon.geom_type != "Polygon":
                continue
            patches.append(PathPatch(_polygon_path(polygon)))
            faces.append(color)
    if not patches:
        return
    collection = PatchCollection(
        patches,
        facecolors=faces,
        edgecolors=edge,
        linewidths=width,
        linestyles=style,
        zorder=z,
        alpha=alpha,
    )
    ax.add_collection(collection)


def _polygon_path(polygon: object) -> MplPath:
    rings = [polygon.exterior, *polygon.interiors]  # type: ignore[attr-defined]
    vertices, codes = [], []
    for ring in rings:
        xy = np.asarray(ring.coords)[:, :2]
        ring_codes = np.full(len(xy), MplPath.LINETO, dtype=MplPath.code_type)
        ring_codes[0] = MplPath.MOVETO
        ring_codes[-1] = MplPath.CLOSEPOLY
        vertices.append(xy)
        codes.append(ring_codes)
    return MplPath(np.concatenate(vertices), np.concatenate(codes))


def _lines(
    ax: Axes,
    frame: gpd.GeoDataFrame,
    color: str,
    width: float,
    *,
    z: float,
    dashes: tuple[float, float] | None = None,
) -> None:
    segments: list[np.ndarray] = []
    for geometry in frame.geometry:
        if geometry is None or geometry.is_empty:
            continue
        if geometry.geom_type in ("LineString", "MultiLineString"):
            parts = getattr(geometry, "geoms", [geometry])
        elif geometry.geom_type in ("Polygon", "MultiPolygon"):
            continue
        else:
            continue
        segments.extend(np.asarray(part.coords)[:, :2] for part in parts)
    if not segments:
        return
    style: object = "-" if dashes is None else (0, dashes)
    ax.add_collection(
        LineCollection(
            segments,
            colors=color,
            linewidths=width,
            linestyles=style,
            zorder=z,
            capstyle="round",
            joinstyle="round",
        )
    )
