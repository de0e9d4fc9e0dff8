"""The scenario map: who gains and who loses, on the offline town map, with drawing tools.

``build_scenario_map`` draws a ``ScenarioComparison`` for one service: homes coloured by their
change (gains blue, losses red, new housing purple: ``CHANGE_COLOURS``), the service's facilities
marked by what the scenario does to them (new, moved with a line from where it stood, closed or
removed, resized), new and closed streets, an optional pending point (where the next facility
would go), and Leaflet.draw's polygon and line tools (served locally, like Leaflet; their tooltips
in the map's language). Nothing here imports Streamlit.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import folium
from branca.element import MacroElement
from folium.plugins import Draw
from folium.template import Template

from planner.crs import to_display_crs
from planner.maps.assets import STATIC_VENDOR_URL, AssetUrls
from planner.maps.base import (
    add_context_layers,
    add_line_layers,
    display_bounds,
    fit_view,
    geojson_features,
    legend_lines,
    new_map,
    service_category,
)
from planner.maps.elements import Attribution, Legend, Swatch, legend_html
from planner.maps.style import (
    CATEGORY_COLORS,
    CLOSED_FACILITY_COLOR,
    COORDINATE_DECIMALS,
    OTHER_CATEGORY_COLOR,
    escape_text,
    map_text,
)
from planner.norms import NormSet
from planner.presentation.scenarios import before_after
from planner.presentation.words import (
    Lang,
    district_names,
    fmt_number,
    service_label,
    t,
    town_attribution,
)
from planner.scenarios.compare import ScenarioComparison

__all__ = [
    "ADDED_STREET_COLOR",
    "CHANGE_COLOURS",
    "CLOSED_STREET_COLOR",
    "NEW_FACILITY_COLOR",
    "DrawLocale",
    "build_scenario_map",
    "draw_strings",
]

CHANGE_COLOURS: dict[str, str] = {
    "gained": "#2166ac",
    "lost": "#d6604d",
    "unchanged": "#e3e3e3",
    "new": "#8e44ad",
    "removed": "#7f7f7f",
}
"""Fill of homes by change: blue gains, red losses (readable with red-green colour blindness)."""

NEW_FACILITY_COLOR = "#ffd92f"
ADDED_STREET_COLOR = "#8e44ad"
CLOSED_STREET_COLOR = "#d6604d"
_CLOSED_CHANGES = ("removed", "closed")


def build_scenario_map(
    comparison: ScenarioComparison,
    service: str,
    *,
    labels: Lang = "en",
    norms: NormSet | None = None,
    pending: tuple[float, float] | None = None,
    draw: bool = True,
    asset_base_url: str = STATIC_VENDOR_URL,
    online_basemap: bool = False,
) -> folium.Map:
    """Draw a scenario's gains and losses for one service on the offline town map.

    Parameters
    ----------
    comparison
        The scenario compared with today (``planner.scenarios.compare``).
    service
        The service whose homes and facilities are drawn (one of ``comparison.service_keys``).
    labels
        Interface language.
    norms
        The norm set (service labels and colours); default the comparison's.
    pending
        (lon, lat) of a point chosen for the next edit, drawn as a pin.
    draw
        Add Leaflet.draw's polygon (housing) and line (footpath) tools.
    asset_base_url, online_basemap
        As for ``planner.maps.analysis.build_analysis_map``.
    """
    norms = comparison.scenario.norms if norms is None else norms
    town = comparison.applied.town
    text = map_text(labels)
    fmap = new_map(town, text, asset_base_url=asset_base_url, online_basemap=online_basemap)
    add_context_layers(fmap, town, text, labels)
    label = service_label(norms, service, labels)
    homes_title = t("scenario.map.homes", labels, service=label)
    sections = [(homes_title, _add_homes(fmap, comparison, service, homes_title, labels))]
    add_line_layers(fmap, town, text, labels)
    sections.append((t("scenario.map.streets", labels), _add_streets(fmap, comparison, labels)))
    color = CATEGORY_COLORS.get(service_category(service, norms), OTHER_CATEGORY_COLOR)
    sections.append((label, _add_facilities(fmap, comparison, service, label, color, labels)))
    if pending is not None:
        folium.Marker(
            [round(pending[1], COORDINATE_DECIMALS), round(pending[0], COORDINATE_DECIMALS)],
            tooltip=folium.Tooltip(escape_text(t("scenario.map.pending", labels))),
        ).add_to(fmap)
    if draw:
        DrawLocale(labels).add_to(fmap)
        tools = Draw(  # type: ignore[no-untyped-call]
            position="topleft",
            show_geometry_on_click=False,
            draw_options={
                "polyline": {"shapeOptions": {"color": ADDED_STREET_COLOR, "weight": 4}},
                "polygon": {"allowIntersection": False, "showArea": False},
                "rectangle": False,
                "circle": False,
                "marker": False,
                "circlemarker": False,
            },
            edit_options={"edit": False, "remove": False},
        )
        assets = AssetUrls(asset_base_url)
        # Instance attributes shadow folium's cdnjs URLs: the page loads only local files.
        tools.default_js = [("leaflet_draw_js", assets.leaflet_draw_js)]
        tools.default_css = [("leaflet_draw_css", assets.leaflet_draw_css)]
        tools.add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    Legend(
        legend_html(
            text, services=(), status_notes=(), lines=legend_lines(town, text), sections=sections
        )
    ).add_to(fmap)
    Attribution(town_attribution(town.meta, labels)).add_to(fmap)
    fit_view(fmap, display_bounds(town))
    return fmap


def _add_homes(
    fmap: folium.Map, comparison: ScenarioComparison, service: str, name: str, labels: Lang
) -> list[Swatch]:
    layer = comparison.unit_layer(service)
    layer = layer[layer.geometry.notna()]
    if layer.empty:
        return []
    districts = district_names(comparison.applied.town, labels)
    changes = layer["change"].astype(str)
    properties: dict[str, Any] = {
        "id": layer["unit_id"].astype(str),
        "district": [districts.get(d, d) for d in layer["district"].astype(str)],
        "change": [t(f"scenario.change.{c}", labels) for c in changes],
        "served": [
            before_after(b, a, labels)
            for b, a in zip(
                layer["served_within_before"].fillna(0.0),
                layer["served_within_after"].fillna(0.0),
                strict=True,
            )
        ],
        "fill": [CHANGE_COLOURS.get(c, CHANGE_COLOURS["unchanged"]) for c in changes],
    }
    text = map_text(labels)
    group = folium.FeatureGroup(name=name)
    folium.GeoJson(
        geojson_features(layer, properties),
        name=name,
        style_function=lambda feature: {
            "color": "#6b5b45",
            "weight": 0.6,
            "fillColor": feature["properties"]["fill"],
            "fillOpacity": 0.75,
        },
        tooltip=folium.GeoJsonTooltip(
            fields=["id", "district", "change", "served"],
            aliases=[
                text["block"],
                text["district"],
                t("scenario.map.change", labels),
                t("scenario.col.served_within", labels),
            ],
        ),
    ).add_to(group)
    group.add_to(fmap)
    present = [c for c in CHANGE_COLOURS if (changes == c).any()]
    return [Swatch(t(f"scenario.change.{c}", labels), CHANGE_COLOURS[c]) for c in present]


def _add_streets(fmap: folium.Map, comparison: ScenarioComparison, labels: Lang) -> list[Swatch]:
    layer = comparison.street_layer()
    if layer.empty:
        return []
    colors = {"added": ADDED_STREET_COLOR, "closed": CLOSED_STREET_COLOR}
    change = layer["change"].astype(str)
    properties = {
        "id": layer["id"].astype(str),
        "change": [t(f"scenario.street.{c}", labels) for c in change],
        "color": [colors[c] for c in change],
        "dash": ["" if c == "added" else "6 5" for c in change],
    }
    name = t("scenario.map.streets", labels)
    group = folium.FeatureGroup(name=name)
    folium.GeoJson(
        geojson_features(layer, properties),
        name=name,
        style_function=lambda feature: {
            "color": feature["properties"]["color"],
            "weight": 5,
            "dashArray": feature["properties"]["dash"] or None,
        },
        tooltip=folium.GeoJsonTooltip(fields=["id", "change"], labels=False),
    ).add_to(group)
    group.add_to(fmap)
    present = [c for c in colors if (change == c).any()]
    return [Swatch(t(f"scenario.street.{c}", labels), colors[c], "outline") for c in present]


def _add_facilities(
    fmap: folium.Map,
    comparison: ScenarioComparison,
    service: str,
    name: str,
    color: str,
    labels: Lang,
) -> list[Swatch]:
    layer = comparison.facility_layer(service)
    layer = layer[layer.geometry.notna()]
    if layer.empty:
        return []
    group = folium.FeatureGroup(name=name)
    moves = comparison.move_layer()
    moves = moves[moves["service"] == service]
    for line in to_display_crs(moves).geometry:
        folium.PolyLine(  # type: ignore[no-untyped-call]
            [
                (round(y, COORDINATE_DECIMALS), round(x, COORDINATE_DECIMALS))
                for x, y in line.coords
            ],
            color="#222222",
            weight=2,
            dash_array="4 4",
        ).add_to(group)
    points = to_display_crs(layer).geometry
    for row, point in zip(layer.to_dict("records"), points, strict=True):
        change = str(row["change"])
        fill = (
            NEW_FACILITY_COLOR
            if change == "added"
            else CLOSED_FACILITY_COLOR
            if change in _CLOSED_CHANGES
            else color
        )
        folium.CircleMarker(
            [round(point.y, COORDINATE_DECIMALS), round(point.x, COORDINATE_DECIMALS)],
            radius=9 if change != "unchanged" else 7,
            color="#222222",
            weight=3 if change != "unchanged" else 1.5,
            fill=True,
            fill_color=fill,
            fill_opacity=0.95,
            tooltip=folium.Tooltip(_facility_tip(row, labels)),
        ).add_to(group)
    group.add_to(fmap)
    changes = set(layer["change"].astype(str))
    swatches = [Swatch(t("scenario.fchange.unchanged", labels), color, "circle")]
    if "added" in changes:
        swatches.append(Swatch(t("scenario.fchange.added", labels), NEW_FACILITY_COLOR, "circle"))
    for change in ("removed", "closed"):
        if change in changes:
            swatches.append(
                Swatch(t(f"scenario.fchange.{change}", labels), CLOSED_FACILITY_COLOR, "circle")
            )
    return swatches


def _facility_tip(row: Mapping[str, Any], labels: Lang) -> str:
    name = escape_text(row["name"] or row["facility_id"])
    change = escape_text(t(f"scenario.fchange.{row['change']}", labels))
    capacity = before_after(
        float(row["capacity_before"]) if row["capacity_before"] == row["capacity_before"] else 0.0,
        float(row["capacity_after"]) if row["capacity_after"] == row["capacity_after"] else 0.0,
        labels,
    )
    load = fmt_number(row["load_after"], labels) if row["load_after"] == row["load_after"] else "–"
    return (
        f"<b>{name}</b> · {change}<br>{escape_text(t('scenario.map.capacity', labels))}: "
        f"{escape_text(capacity)}<br>{escape_text(t('scenario.map.load', labels))}: "
        f"{escape_text(load)}"
    )


def draw_strings(labels: Lang) -> dict[str, Any]:
    """Return the Leaflet.draw texts of the tools the map offers, in a language.

    The shape follows ``L.drawLocal`` (only the parts these tools show are replaced).
    """

    def tip(kind: str) -> dict[str, str]:
        return {p: t(f"scenario.draw.{kind}_{p}", labels) for p in ("start", "cont", "end")}

    return {
        "draw": {
            "toolbar": {
                "actions": {
                    "title": t("scenario.draw.cancel_title", labels),
                    "text": t("scenario.draw.cancel", labels),
                },
                "finish": {
                    "title": t("scenario.draw.finish_title", labels),
                    "text": t("scenario.draw.finish", labels),
                },
                "undo": {
                    "title": t("scenario.draw.undo_title", labels),
                    "text": t("scenario.draw.undo", labels),
                },
                "buttons": {
                    "polyline": t("scenario.draw.polyline", labels),
                    "polygon": t("scenario.draw.polygon", labels),
                },
            },
            "handlers": {
                "polygon": {"tooltip": tip("polygon")},
                "polyline": {
                    "error": escape_text(t("scenario.draw.cross_error", labels)),
                    "tooltip": tip("polyline"),
                },
            },
        }
    }


class DrawLocale(MacroElement):
    """Replaces Leaflet.draw's English tool texts (``L.drawLocal``) before the tools are made."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            (function (texts) {
                function merge(into, from) {
                    for (var key in from) {
                        if (typeof from[key] === "object" && into[key]) {
                            merge(into[key], from[key]);
                        } else {
                            into[key] = from[key];
                        }
                    }
                }
                if (window.L && L.drawLocal) { merge(L.drawLocal, texts); }
            })({{ this.strings|safe }});
        {% endmacro %}
        """
    )

    def __init__(self, labels: Lang) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "DrawLocale"
        # JSON of catalogue text: no data from the town reaches it; "<" escaped for <script>.
        self.strings = json.dumps(draw_strings(labels), ensure_ascii=False).replace("<", "\\u003c")
