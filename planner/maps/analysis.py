"""The analysis map: coverage, catchments, gap zones and facility loads for one service or all.

``build_analysis_map`` draws a ``TownAnalysis`` on the offline town map (``planner.maps.base``):

- residential blocks coloured by coverage class for the chosen view (``unit_classes``):
  ``network`` (capacity-aware provision, or walking distance for services without demand),
  ``radius`` (the straight-line rule) or ``disagree`` (blocks inside the radius but beyond the
  walk stand out);
- for one service: walking catchments and/or normative radius circles, facilities sized by
  capacity and coloured by load share, with popups (name, address, capacity, load, provenance,
  source);
- gap zones with residents, places short and the suggested project;
- a legend built from what was drawn, a layer control and the attribution.

Every data text is escaped (``escape_text``). Nothing here imports Streamlit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

from planner.access_network import walk_path
from planner.analysis import ServiceResult, TownAnalysis
from planner.crs import to_display_crs
from planner.locate import Bounds
from planner.maps.assets import STATIC_VENDOR_URL
from planner.maps.base import (
    PANE_AREAS,
    PANE_FACILITIES,
    PANE_SELECTION,
    PANE_ZONES,
    add_context_layers,
    add_facilities_by_service,
    add_line_layers,
    display_bounds,
    fit_view,
    geojson_features,
    legend_lines,
    new_map,
    on_pane,
    status_notes,
)
from planner.maps.elements import Attribution, Legend, Swatch, facility_popup, legend_html
from planner.maps.style import (
    CATCHMENT_COLOR,
    COORDINATE_DECIMALS,
    GAP_COLOR,
    GAP_ZONE_STYLE,
    LOAD_CLASSES,
    LOAD_UNKNOWN_COLOR,
    RADIUS_COLOR,
    STATUS_COLORS,
    escape_text,
    load_class,
    map_text,
)
from planner.model import Town
from planner.presentation.views import (
    CLASS_ORDER,
    MapView,
    residents_served_within,
    unit_classes,
)
from planner.presentation.words import (
    Lang,
    capacity_unit,
    district_names,
    facility_names,
    fmt_number,
    fmt_share,
    load_status,
    service_label,
    t,
    town_attribution,
    unit_status,
)

MARKER_RADIUS_PX = (5.0, 15.0)
"""Smallest and largest facility marker radius; the area grows with capacity."""


# ---------------------------------------------------------------------------------------------
# The map


@dataclass(frozen=True, slots=True, eq=False)
class AnalysisLayers:
    """What an analysis adds to the base map: its layers and the legend describing them.

    Attributes
    ----------
    groups
        The feature groups, in drawing order (their panes keep streets over blocks).
    legend
        The legend's HTML (``legend_html``): exactly what the groups and the base map draw.
    """

    groups: list[folium.FeatureGroup]
    legend: str


def build_base_map(
    town: Town,
    *,
    labels: Lang = "en",
    focus: Bounds | None = None,
    asset_base_url: str = STATIC_VENDOR_URL,
    online_basemap: bool = False,
) -> folium.Map:
    """Return the map without any analysis layer: the town's own layers, fitted to ``focus``.

    It depends only on the town and the language, so the dashboard sends it once and then
    only the analysis layers (``analysis_layers``) as they change.

    Parameters
    ----------
    town
        The town (boundary, districts, water, railway, streets).
    labels
        Interface language.
    focus
        Bounds to fit the view to; default the whole town.
    asset_base_url, online_basemap
        As for ``build_analysis_map``.
    """
    text = map_text(labels)
    fmap = new_map(town, text, asset_base_url=asset_base_url, online_basemap=online_basemap)
    add_context_layers(fmap, town, text, labels)
    add_line_layers(fmap, town, text, labels)
    Attribution(town_attribution(town.meta, labels)).add_to(fmap)
    fit_view(fmap, focus or display_bounds(town))
    return fmap


def analysis_layers(
    analysis: TownAnalysis,
    *,
    service: str | None,
    view: MapView = "network",
    labels: Lang = "en",
) -> AnalysisLayers:
    """Return the layers drawing an analysis (blocks by class, areas, gap zones, facilities).

    Parameters are as for ``build_analysis_map``.
    """
    town = analysis.town
    text = map_text(labels)
    groups: list[folium.FeatureGroup] = []
    classes = unit_classes(analysis, service, view)
    unit_swatches = _add_units(groups, analysis, service, view, classes, labels)
    sections: list[tuple[str, list[Swatch]]] = [
        (f"{text['units_title']}: {t('view.' + view, labels)}", unit_swatches)
    ]
    area_swatches: list[Swatch] = []
    services_drawn = []
    notes: list[str] = []
    if service is not None:
        result = analysis.service(service)
        area_swatches.extend(_add_areas(groups, result, view, labels))
        area_swatches.extend(_add_gap_zones(groups, analysis, result.gap_zones, text, labels))
        load_swatches = _add_loaded_facilities(groups, analysis, result, text, labels)
        label = service_label(analysis.norms, service, labels)
        sections.append((f"{label}: {text['facility_size']}", load_swatches))
    else:
        area_swatches.extend(
            _add_gap_zones(groups, analysis, analysis.all_gap_zones(), text, labels)
        )
        services_drawn = add_facilities_by_service(groups, town, text, labels, analysis.norms)
        notes = status_notes(town, text)
    sections.append((text["areas"], area_swatches))
    legend = legend_html(
        text,
        services=services_drawn,
        status_notes=notes,
        lines=legend_lines(town, text),
        sections=sections,
    )
    return AnalysisLayers(groups, legend)


SELECTION_COLOR = "#111111"
"""Outline of the selected block and line of its walk (black reads on every class colour)."""


def selection_layer(
    analysis: TownAnalysis, *, service: str | None, unit_id: str, labels: Lang = "en"
) -> folium.FeatureGroup | None:
    """Return the selected block outlined and, for one service, its walk to the nearest facility.

    The walk follows the streets (``planner.access_network.walk_path``) and is labelled with its
    length; a dashed line to the nearest facility as the crow flies is labelled with that
    distance, so the explanation's two distances are both visible. ``None`` when the unit is
    unknown.
    """
    town = analysis.town
    rows = town.residential[town.residential["id"].astype(str) == unit_id]
    if rows.empty:
        return None
    group = folium.FeatureGroup(name=t("map.selection", labels))
    folium.GeoJson(
        geojson_features(rows, {}),
        name=group.layer_name,
        style_function=lambda _feature: {
            "color": SELECTION_COLOR,
            "weight": 4,
            "fill": False,
        },
        interactive=False,
        pane=PANE_SELECTION,
    ).add_to(group)
    if service is None:
        return group
    result = analysis.service(service)
    cov = result.coverage.set_index("unit_id")
    if unit_id not in cov.index:
        return group
    facility = cov.at[unit_id, "nearest_facility_id"]
    if isinstance(facility, str) and facility:
        path = walk_path(analysis.network, unit_id, facility)
        if path is not None:
            label = t("map.route_walk", labels, distance=fmt_number(path.distance_m, labels))
            _add_line(group, path.line, label, dash=None, crs=town.meta.crs, side="right")
    straight = _straight_nearest(analysis, result, unit_id)
    if straight is not None:
        target_xy, straight_m = straight
        start_xy = analysis.network.origins.xy[analysis.network.origins.positions([unit_id])[0]]
        label = t("map.route_straight", labels, distance=fmt_number(straight_m, labels))
        line = shapely.LineString([start_xy, target_xy])
        _add_line(group, line, label, dash="6 6", crs=town.meta.crs, side="left")
    return group


def _straight_nearest(
    analysis: TownAnalysis, result: ServiceResult, unit_id: str
) -> tuple[npt.NDArray[np.float64], float] | None:
    """Return the counted facility nearest as the crow flies (the coverage's ``straight_m``)."""
    net = analysis.network
    ids = result.facilities["id"].astype(str).to_numpy()
    if not len(ids):
        return None
    xy = net.destinations.xy[net.destinations.positions(ids)]
    origin = net.origins.xy[net.origins.positions([unit_id])[0]]
    distance_m = np.hypot(*(xy - origin).T)
    best = int(np.argmin(distance_m))
    return xy[best], float(distance_m[best])


def _add_line(
    group: folium.FeatureGroup,
    line_m: shapely.LineString,
    label: str,
    *,
    dash: str | None,
    crs: str,
    side: str,
) -> None:
    """Add a line given in the town's CRS with a permanent label beside its middle."""
    frame = gpd.GeoDataFrame(geometry=[line_m], crs=crs)
    line = to_display_crs(frame).geometry.iloc[0]
    points = [
        [round(y, COORDINATE_DECIMALS), round(x, COORDINATE_DECIMALS)] for x, y in line.coords
    ]
    polyline = folium.PolyLine(  # type: ignore[no-untyped-call]
        points,
        color=SELECTION_COLOR,
        weight=4 if dash is None else 2,
        opacity=0.9,
        dash_array=dash,
        tooltip=folium.Tooltip(escape_text(label), permanent=True, direction=side),
    )
    on_pane(polyline, PANE_SELECTION).add_to(group)


def build_analysis_map(
    analysis: TownAnalysis,
    *,
    service: str | None,
    view: MapView = "network",
    labels: Lang = "en",
    focus: Bounds | None = None,
    asset_base_url: str = STATIC_VENDOR_URL,
    online_basemap: bool = False,
) -> folium.Map:
    """Draw an analysis on the offline town map, as one self-contained map (exports).

    Parameters
    ----------
    analysis
        The analysis (its town gives the basemap layers).
    service
        The service to show, or ``None`` for all analysed services.
    view
        Which coverage to colour blocks by (see ``unit_classes``) and which areas to draw:
        catchments (network), radius circles (radius) or both (disagree).
    labels
        Interface language.
    focus
        Bounds to fit the view to (a gap zone, a district); default the whole town.
    asset_base_url
        URL of the folder holding ``leaflet/`` and ``jquery/`` (``/app/static/vendor`` for the
        Streamlit app; an export inlines the files instead).
    online_basemap
        Add OpenStreetMap tiles as an optional layer, off by default (needs the internet).

    Returns
    -------
    folium.Map
        The map, with a legend listing exactly what was drawn.
    """
    fmap = build_base_map(
        analysis.town,
        labels=labels,
        focus=focus,
        asset_base_url=asset_base_url,
        online_basemap=online_basemap,
    )
    layers = analysis_layers(analysis, service=service, view=view, labels=labels)
    for group in layers.groups:
        group.add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    Legend(layers.legend).add_to(fmap)
    return fmap


def _add_units(
    groups: list[folium.FeatureGroup],
    analysis: TownAnalysis,
    service: str | None,
    view: MapView,
    classes: pd.Series,
    labels: Lang,
) -> list[Swatch]:
    """Draw the residential blocks by class; return the legend swatches of the classes drawn."""
    town = analysis.town
    frame = town.residential
    if frame.empty:
        return []
    text = map_text(labels)
    ids = frame["id"].astype(str)
    status_labels = {key: unit_status(key, labels) for key in set(classes)}
    districts = district_names(town, labels)
    properties: dict[str, Any] = {
        "id": ids,
        "district": [districts.get(d, d) for d in frame["district"].astype(str)],
        "population": pd.to_numeric(frame["population"], errors="coerce").round().astype("Int64"),
        "status": [status_labels[c] for c in classes],
        "fill": [STATUS_COLORS[c] for c in classes],
    }
    fields = ["id", "district", "population", "status"]
    aliases = [text["block"], text["district"], text["population"], text["coverage_status"]]
    if service is not None:
        cov = analysis.service(service).coverage.set_index("unit_id").reindex(ids)
        names = facility_names(town, labels)
        properties["nearest"] = [names.get(f, "") for f in cov["nearest_facility_id"].astype(str)]
        properties["distance"] = [fmt_number(v, labels) for v in cov["distance_m"]]
        properties["minutes"] = [fmt_number(v, labels, 1) for v in cov["walk_time_min"]]
        fields += ["nearest", "distance", "minutes"]
        aliases += [text["nearest"], text["distance"], text["walk_time"]]
    else:
        properties["services"] = _services_within(analysis, ids)
        fields.append("services")
        aliases.append(text["services_within"])
    group = folium.FeatureGroup(name=text["coverage_layer"].format(view=t("view." + view, labels)))
    highlight = view == "disagree"

    def style(feature: dict[str, Any]) -> dict[str, Any]:
        fill = feature["properties"]["fill"]
        strong = highlight and fill in (STATUS_COLORS["cut_off"], STATUS_COLORS["cut_off_any"])
        return {
            "color": "#4d004b" if strong else "#6b5b45",
            "weight": 2.0 if strong else 0.6,
            "fillColor": fill,
            "fillOpacity": 0.85 if strong else 0.7,
        }

    folium.GeoJson(
        geojson_features(frame, properties),
        name=group.layer_name,
        style_function=style,
        tooltip=folium.GeoJsonTooltip(fields=fields, aliases=aliases),
    ).add_to(group)
    groups.append(group)
    present = set(classes)
    return [Swatch(status_labels[key], STATUS_COLORS[key]) for key in CLASS_ORDER if key in present]


def _add_areas(
    groups: list[folium.FeatureGroup], result: ServiceResult, view: MapView, labels: Lang
) -> list[Swatch]:
    text = map_text(labels)
    swatches: list[Swatch] = []
    norm = result.norm
    catchments = result.catchments
    if view in ("network", "disagree") and catchments is not None and len(catchments):
        name = text["catchments"].format(limit=fmt_number(norm.walk_limit_m, labels))
        style = {
            "color": CATCHMENT_COLOR,
            "weight": 1.5,
            "fillColor": CATCHMENT_COLOR,
            "fillOpacity": 0.1,
        }
        _add_plain_layer(groups, catchments, name, style)
        swatches.append(Swatch(name, CATCHMENT_COLOR, "outline"))
    circles = result.radius_circles
    if view in ("radius", "disagree") and circles is not None and len(circles):
        name = text["radius_circles"].format(radius=fmt_number(norm.radius_m, labels))
        style = {"color": RADIUS_COLOR, "weight": 2, "dashArray": "6 5", "fill": False}
        _add_plain_layer(groups, circles, name, style)
        swatches.append(Swatch(name, RADIUS_COLOR, "dashed"))
    return swatches


def _add_plain_layer(
    groups: list[folium.FeatureGroup], frame: gpd.GeoDataFrame, name: str, style: dict[str, Any]
) -> None:
    group = folium.FeatureGroup(name=name)
    folium.GeoJson(
        geojson_features(frame, {}),
        name=name,
        style_function=lambda _feature: style,
        # Not clickable: a click falls through to the block underneath (its explanation).
        interactive=False,
        pane=PANE_AREAS,
    ).add_to(group)
    groups.append(group)


def _add_gap_zones(
    groups: list[folium.FeatureGroup],
    analysis: TownAnalysis,
    zones: gpd.GeoDataFrame,
    text: Mapping[str, str],
    labels: Lang,
) -> list[Swatch]:
    if zones.empty:
        return []
    # The zone's id and service only: its figures are on the Gaps page (the layer has no
    # tooltip, so that the blocks' tooltips stay reachable).
    properties = {
        "zone": zones["zone_id"],
        "service": [service_label(analysis.norms, key, labels) for key in zones["service"]],
    }
    name = text["gap_zones"]
    group = folium.FeatureGroup(name=name)
    folium.GeoJson(
        geojson_features(zones, properties),
        name=name,
        pane=PANE_ZONES,
        style_function=lambda _feature: GAP_ZONE_STYLE,
        # Hatched, not clickable: the coverage colours show through and the blocks' tooltips
        # and clicks stay reachable; each zone's figures are on the Gaps page.
        interactive=False,
    ).add_to(group)
    groups.append(group)
    return [Swatch(name, GAP_COLOR, "hatch")]


def _add_loaded_facilities(
    groups: list[folium.FeatureGroup],
    analysis: TownAnalysis,
    result: ServiceResult,
    text: Mapping[str, str],
    labels: Lang,
) -> list[Swatch]:
    """Draw one service's facilities sized by capacity, coloured by load; return load swatches."""
    frame = result.facilities
    frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    if frame.empty:
        return []
    norm = result.norm
    label = service_label(analysis.norms, norm.key, labels)
    names = facility_names(analysis.town, labels)
    points = to_display_crs(frame.set_geometry(frame.geometry.representative_point())).geometry
    capacity = pd.to_numeric(frame["capacity"], errors="coerce").astype(float)
    largest = float(capacity.max()) if capacity.notna().any() else math.nan
    loads = _loads(result)
    served = residents_served_within(result, analysis.town.residential)
    unit = capacity_unit(norm, labels)
    group = folium.FeatureGroup(name=label)
    present: set[str] = set()
    for index, row in frame.iterrows():
        fid = str(row["id"])
        load, share = loads.get(fid, (math.nan, math.nan))
        key, color = load_class(share)
        present.add(key)
        extra = []
        if math.isfinite(load):
            value = text["load_value"].format(
                load=fmt_number(load, labels),
                capacity=fmt_number(capacity[index], labels),
                share=fmt_share(share, labels),
            )
            extra.append((text["load"], escape_text(f"{value} {unit}".strip())))
        if fid in served.index:
            extra.append((text["served_within"], escape_text(fmt_number(served[fid], labels))))
        point = points.loc[index]
        marker = folium.CircleMarker(
            [round(point.y, COORDINATE_DECIMALS), round(point.x, COORDINATE_DECIMALS)],
            radius=_marker_radius(capacity[index], largest),
            color="#222222",
            weight=1.5,
            dash_array="3 3" if str(row.get("status")) == "planned" else None,
            fill=True,
            fill_color=color,
            fill_opacity=0.9,
            popup=folium.Popup(
                facility_popup(row, label, text, labels, analysis.norms, extra), max_width=340
            ),
            tooltip=folium.Tooltip(escape_text(names.get(fid, fid))),
        )
        on_pane(marker, PANE_FACILITIES).add_to(group)
    groups.append(group)
    order = [key for _, key, _ in LOAD_CLASSES] + ["unknown"]
    colors = {key: color for _, key, color in LOAD_CLASSES} | {"unknown": LOAD_UNKNOWN_COLOR}
    shapes = {"unknown": "hollow"}
    return [
        Swatch(load_status(k, labels), colors[k], shapes.get(k, "circle"))
        for k in order
        if k in present
    ]


def _loads(result: ServiceResult) -> dict[str, tuple[float, float]]:
    if result.provision is None:
        return {}
    table = result.provision.facilities
    return {
        str(fid): (float(load), float(share))
        for fid, load, share in zip(
            table["facility_id"], table["load"], table["load_share"], strict=True
        )
    }


def _marker_radius(capacity: float, largest: float) -> float:
    low, high = MARKER_RADIUS_PX
    if not (math.isfinite(capacity) and math.isfinite(largest) and largest > 0):
        return (low + high) / 2
    return round(low + (high - low) * math.sqrt(max(capacity, 0.0) / largest), 1)


def _services_within(analysis: TownAnalysis, ids: pd.Series) -> list[str]:
    cov = analysis.coverage
    if cov.empty:
        return ["0 / 0"] * len(ids)
    grouped = cov.assign(flag=cov["within_limit"].astype(int)).groupby("unit_id")["flag"]
    within = grouped.sum().reindex(ids).fillna(0).astype(int)
    total = grouped.size().reindex(ids).fillna(0).astype(int)
    return [f"{w} / {n}" for w, n in zip(within, total, strict=True)]
