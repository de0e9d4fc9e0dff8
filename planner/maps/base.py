"""The offline town map's building blocks (folium/Leaflet): an empty map, the context layers.

``planner.maps.analysis.build_analysis_map`` builds the one map of the tool from these: the
empty map with local assets (``new_map``), the layers under the blocks (boundary, districts,
water), the line layers over them (railway, streets), facilities by service, the legend's
line entries and the view. ``geojson_features`` is the only place where layers are reprojected
to lon/lat (EPSG:4326). Every map:

- loads Leaflet and jQuery from local URLs (``planner.maps.assets``), never a CDN, and has no tiles
  unless an online basemap is asked for, so the town's own layers are the basemap;
- HTML-escapes every text that comes from the data (names, addresses, sources) before it reaches
  a popup, tooltip, label or the legend (``planner.maps.style.escape_text``);
- carries the town's attribution line and a legend listing exactly the services drawn.

Nothing here imports Streamlit: the app passes the map to ``st_folium``, and exports render it.
Styles and interface text live in ``planner.maps.style``, legend and page elements in
``planner.maps.elements``.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import MacroElement
from folium.template import Template

from planner.crs import to_display_crs
from planner.maps.assets import AssetUrls
from planner.maps.elements import (
    DrawnService,
    IconImagePath,
    MapControls,
    PlannerStyles,
    facility_popup,
)
from planner.maps.style import (
    BOUNDARY_COLOR,
    BRIDGE_STYLE,
    CLOSED_FACILITY_COLOR,
    COORDINATE_DECIMALS,
    DEFAULT_STREET,
    RAIL_STYLE,
    WATER_COLOR,
    LineStyle,
    MapLabels,
    escape_text,
    is_bridge,
    line_style_options,
    service_colors,
    street_style,
)
from planner.model import Town
from planner.presentation.words import (
    district_names,
    facility_names,
    service_label,
    street_kind,
)

if TYPE_CHECKING:
    from planner.norms import NormSet

LEGEND_PADDING_PX = (250, 10)
"""Initial-view padding (x, y) at the top left, in pixels: the legend's width."""

# Panes fix the drawing order whatever order layers arrive in: the dashboard sends the base map
# once and the analysis layers later (``st_folium``'s ``feature_group_to_add``), yet streets must
# stay over the blocks and facilities over everything. Leaflet's overlayPane (z 400) holds the
# residential blocks; Leaflet draws each pane's paths in its own SVG.
PANE_GROUND = "planner-ground"
"""Districts and water, under the blocks."""
PANE_AREAS = "planner-areas"
"""Catchments and radius circles over the blocks (never clickable: clicks reach the block)."""
PANE_LINES = "planner-lines"
"""Railway, streets and the town boundary over the blocks."""
PANE_ZONES = "planner-zones"
"""Gap zones."""
PANE_SELECTION = "planner-selection"
"""The selected block and its walk to the facility (never clickable)."""
PANE_FACILITIES = "planner-facilities"
"""Facility markers, over every area and line."""
PANES: tuple[tuple[str, int, bool], ...] = (
    (PANE_GROUND, 350, True),
    (PANE_AREAS, 410, False),
    (PANE_LINES, 420, True),
    (PANE_ZONES, 430, True),
    (PANE_SELECTION, 440, False),
    (PANE_FACILITIES, 450, True),
)
"""``(name, z-index, clickable)`` of the map's panes (Leaflet's marker pane is at 600)."""


class FocusWithoutScrolling(MacroElement):
    """Leaflet focuses the map on mousedown (for its keyboard handler) without ``preventScroll``.

    In the dashboard the map lives in an iframe inside Streamlit's scrolling page: focusing it
    scrolls the page until the whole iframe is in view, between the mousedown and the click,
    so the click landed on whatever was under the cursor after the scroll (248 px lower at
    1366x768). The keyboard handler is re-registered with a focus that never scrolls; the map
    keeps its keyboard navigation.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            (function (map) {
                var keyboard = L.Map.Keyboard.prototype;
                map.keyboard.disable();
                keyboard._onMouseDown = function () {
                    if (this._focused) { return; }
                    this._map._container.focus({preventScroll: true});
                };
                map.keyboard.enable();
            })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "FocusWithoutScrolling"


def new_map(
    town: Town, text: Mapping[str, str], *, asset_base_url: str, online_basemap: bool
) -> folium.Map:
    """Return an empty map of ``town`` that loads only local assets (no tiles unless asked)."""
    assets = AssetUrls(asset_base_url)
    bounds = display_bounds(town)
    center = [(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2]
    # Quarter zoom steps let the initial view fit the town closely.
    # The scale is ``MapControls``' metric-only one, in the map's language.
    fmap = folium.Map(
        location=center, zoom_start=14, tiles=None, control_scale=False, zoom_snap=0.25
    )
    # Instance attributes shadow folium's class-level CDN lists, so no CDN URL reaches the page.
    fmap.default_js = assets.default_js
    fmap.default_css = assets.default_css
    # First child, so the image path is set before any layer is created (see IconImagePath).
    IconImagePath(assets.leaflet_images).add_to(fmap)
    PlannerStyles().add_to(fmap)
    MapControls(text).add_to(fmap)
    FocusWithoutScrolling().add_to(fmap)
    for name, z_index, clickable in PANES:
        folium.map.CustomPane(name, z_index=z_index, pointer_events=clickable).add_to(fmap)
    if online_basemap:
        folium.TileLayer(
            "OpenStreetMap",
            name=text["basemap"],
            attr=text["osm_attribution"],
            overlay=True,
            show=False,
        ).add_to(fmap)
    return fmap


def fit_view(fmap: folium.Map, bounds: list[list[float]]) -> None:
    """Fit the view to ``[[south, west], [north, east]]``, clear of the legend and attribution."""
    fmap.fit_bounds(bounds, padding_top_left=LEGEND_PADDING_PX, padding_bottom_right=(10, 40))


def service_category(key: str, norms: NormSet | None) -> str:
    """Return the norm category of a service (``"other"`` when unknown or without norms)."""
    if norms is not None and key in norms.services:
        return str(norms.services[key].category)
    return "other"


# ---------------------------------------------------------------------------------------------
# Layers


def add_context_layers(
    fmap: folium.Map, town: Town, text: Mapping[str, str], labels: MapLabels
) -> None:
    """Add the layers drawn under the residential blocks: boundary, districts, water."""
    _add_boundary(fmap, town, text)
    _add_districts(fmap, town, text, labels)
    _add_named_layer(
        fmap,
        town.water,
        text["water"],
        {"color": WATER_COLOR, "weight": 2, "fillColor": WATER_COLOR, "fillOpacity": 0.6},
        PANE_GROUND,
    )


def add_line_layers(
    fmap: folium.Map, town: Town, text: Mapping[str, str], labels: MapLabels
) -> None:
    """Add the line layers drawn over the residential blocks: railway, streets."""
    _add_named_layer(fmap, town.rail, text["rail"], line_style_options(RAIL_STYLE), PANE_LINES)
    _add_streets(fmap, town, text, labels)


def _add_boundary(fmap: folium.Map, town: Town, text: Mapping[str, str]) -> None:
    frame = town.boundary
    if frame.empty:
        return
    group = folium.FeatureGroup(name=text["boundary"])
    style = {"color": BOUNDARY_COLOR, "weight": 3, "dashArray": "8 6", "fill": False}
    folium.GeoJson(
        geojson_features(frame, {"name": frame["name"]}),
        name=text["boundary"],
        pane=PANE_LINES,
        style_function=lambda _feature: style,
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
    ).add_to(group)
    group.add_to(fmap)


def _add_districts(
    fmap: folium.Map, town: Town, text: Mapping[str, str], labels: MapLabels
) -> None:
    frame = town.districts
    if frame.empty:
        return
    local = district_names(town, labels)
    names = pd.Series([local.get(i, i) for i in frame["id"].astype(str)], index=frame.index)
    group = folium.FeatureGroup(name=text["districts"])
    style = {"color": "#555555", "weight": 1.5, "fillColor": "#ffffff", "fillOpacity": 0.15}
    folium.GeoJson(
        geojson_features(frame, {"name": names, "provenance": frame["provenance"]}),
        name=text["districts"],
        pane=PANE_GROUND,
        style_function=lambda _feature: style,
        tooltip=folium.GeoJsonTooltip(
            fields=["name", "provenance"],
            aliases=[text["district"], text["provenance"]],
        ),
    ).add_to(group)
    label_points = to_display_crs(
        gpd.GeoDataFrame({"name": names}, geometry=frame.representative_point(), crs=frame.crs)
    )
    for name, point in zip(label_points["name"], label_points.geometry, strict=True):
        if point is None or point.is_empty:
            continue
        folium.Marker(
            [point.y, point.x],
            icon=folium.DivIcon(
                html=f'<span class="planner-district-label">{escape_text(name)}</span>',
                icon_size=(160, 20),
                icon_anchor=(80, 10),
                class_name="planner-district-icon",
            ),
            interactive=False,
        ).add_to(group)
    group.add_to(fmap)


def _add_named_layer(
    fmap: folium.Map, frame: gpd.GeoDataFrame, title: str, style: Mapping[str, Any], pane: str
) -> None:
    """Draw a layer whose features only carry a name (water, rail) with one fixed style."""
    if frame.empty:
        return
    group = folium.FeatureGroup(name=title)
    folium.GeoJson(
        geojson_features(frame, {"name": frame["name"]}),
        name=title,
        pane=pane,
        style_function=lambda _feature: dict(style),
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
    ).add_to(group)
    group.add_to(fmap)


def _add_streets(fmap: folium.Map, town: Town, text: Mapping[str, str], labels: MapLabels) -> None:
    frame = town.streets
    if frame.empty:
        return
    kinds = frame["kind"].fillna("").astype(str)
    properties = {
        "name": frame["name"].fillna(""),
        "kind": kinds,
        "kind_words": [street_kind(kind, labels) for kind in kinds],
    }
    group = folium.FeatureGroup(name=text["streets"])
    folium.GeoJson(
        geojson_features(frame, properties),
        name=text["streets"],
        pane=PANE_LINES,
        # Properties hold escaped text; unescape the kind to look its style up.
        style_function=lambda feature: line_style_options(
            street_style(html.unescape(feature["properties"]["kind"]))
        ),
        tooltip=folium.GeoJsonTooltip(
            fields=["name", "kind_words"], aliases=[text["street"], text["kind"]]
        ),
    ).add_to(group)
    group.add_to(fmap)


def add_facilities_by_service(
    groups: list[folium.FeatureGroup],
    town: Town,
    text: Mapping[str, str],
    labels: MapLabels,
    norms: NormSet | None,
) -> list[DrawnService]:
    """Append one feature group per service to ``groups``; return the services drawn."""
    frame = town.facilities
    frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    if frame.empty:
        return []
    points = to_display_crs(frame.set_geometry(frame.geometry.representative_point())).geometry
    drawn: list[DrawnService] = []
    names = facility_names(town, labels)
    order = _service_order(frame["service"].astype(str), norms)
    colors = service_colors({key: service_category(key, norms) for key in order})
    for key in order:
        rows = frame[frame["service"].astype(str) == key]
        label = service_label(norms, key, labels)
        category = service_category(key, norms)
        color = colors[key]
        group = folium.FeatureGroup(name=label)
        for index, row in rows.iterrows():
            point = points.loc[index]
            status = str(row.get("status", "existing"))
            marker = folium.CircleMarker(
                [round(point.y, COORDINATE_DECIMALS), round(point.x, COORDINATE_DECIMALS)],
                radius=7,
                color="#222222",
                weight=1.5,
                dash_array="3 3" if status == "planned" else None,
                fill=True,
                fill_color=CLOSED_FACILITY_COLOR if status == "closed" else color,
                fill_opacity=0.35 if status == "planned" else 0.9,
                popup=folium.Popup(facility_popup(row, label, text, labels, norms), max_width=320),
                tooltip=folium.Tooltip(escape_text(names.get(str(row["id"]), row["name"]))),
            )
            on_pane(marker, PANE_FACILITIES).add_to(group)
        groups.append(group)
        drawn.append(DrawnService(key, label, category, color, len(rows)))
    return drawn


# ---------------------------------------------------------------------------------------------
# Helpers


PathT = TypeVar("PathT", bound=folium.PolyLine | folium.CircleMarker)


def on_pane(layer: PathT, pane: str) -> PathT:
    """Put a vector layer on a pane (folium's path options drop an unknown ``pane``)."""
    layer.options["pane"] = pane
    return layer


def geojson_features(frame: gpd.GeoDataFrame, properties: Mapping[str, Any]) -> dict[str, Any]:
    """Return ``frame``'s non-empty features in lon/lat with the given, escaped properties."""
    data: dict[str, Any] = {}
    for name, values in properties.items():
        column = (
            pd.Series(values, index=frame.index) if not isinstance(values, pd.Series) else values
        )
        if column.dtype == object or pd.api.types.is_string_dtype(column):
            column = column.astype(object).where(column.notna(), "").map(escape_text)
        data[name] = column
    display = to_display_crs(gpd.GeoDataFrame(data, geometry=frame.geometry, crs=frame.crs))
    display = display[display.geometry.notna() & ~display.geometry.is_empty]
    display = display.set_geometry(
        shapely.transform(
            display.geometry.to_numpy(), lambda xy: np.round(xy, COORDINATE_DECIMALS)
        ),
        crs=display.crs,
    )
    result: dict[str, Any] = json.loads(display.to_json(na="null", drop_id=True))
    return result


def display_bounds(town: Town) -> list[list[float]]:
    """Return ``[[south, west], [north, east]]`` of the boundary (or of all layers)."""
    frames = (
        [town.boundary]
        if not town.boundary.empty
        else [
            town.layer(name)
            for name in ("residential", "streets", "facilities")
            if not town.layer(name).empty
        ]
    )
    shapes = pd.concat([f.geometry for f in frames])
    display = to_display_crs(gpd.GeoDataFrame(geometry=shapes, crs=frames[0].crs))
    west, south, east, north = display.total_bounds
    return [[float(south), float(west)], [float(north), float(east)]]


def _service_order(services: pd.Series, norms: NormSet | None) -> list[str]:
    """Services present, in the norm set's order, then unknown ones alphabetically."""
    present = set(services.dropna())
    known = [key for key in (norms.services if norms is not None else {}) if key in present]
    return known + sorted(present - set(known))


def status_notes(town: Town, text: Mapping[str, str]) -> list[str]:
    """Legend notes for the marker styles of facility statuses present."""
    statuses = set(town.facilities["status"].astype(str)) if len(town.facilities) else set()
    return [text[status] for status in ("planned", "closed") if status in statuses]


def legend_lines(town: Town, text: Mapping[str, str]) -> list[tuple[str, LineStyle]]:
    """Legend entries of the line layers drawn."""
    lines: list[tuple[str, LineStyle]] = []
    if not town.streets.empty:
        lines.append((text["streets"], DEFAULT_STREET))
        if town.streets["kind"].fillna("").astype(str).map(is_bridge).any():
            lines.append((text["bridge"], BRIDGE_STYLE))
    if not town.rail.empty:
        lines.append((text["rail"], RAIL_STYLE))
    if not town.water.empty:
        lines.append((text["water"], LineStyle(WATER_COLOR, 6)))
    if not town.boundary.empty:
        lines.append((text["boundary"], LineStyle(BOUNDARY_COLOR, 2, "4 3")))
    return lines
