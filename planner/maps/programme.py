"""The programme map: events within walking reach per block, cultural deserts, venues, proposals.

``build_programme_map`` draws a ``ProgrammeAccess`` on the offline town map (``planner.maps.base``):
blocks coloured by the events of the month a resident can walk to (for one audience and walking
time), desert zones outlined, venues sized by their events (idle ones grey) with a popup of their
month, and, when given, residents' proposals as points coloured by status. Every data text (names,
titles, the residents' own words) is escaped (``escape_text``). Nothing here imports Streamlit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import folium
import geopandas as gpd

from planner.crs import to_display_crs
from planner.layers import EVENT_CATEGORIES
from planner.maps.assets import STATIC_VENDOR_URL
from planner.maps.base import (
    PANE_FACILITIES,
    PANE_ZONES,
    add_context_layers,
    add_line_layers,
    display_bounds,
    fit_view,
    geojson_features,
    legend_lines,
    new_map,
    on_pane,
)
from planner.maps.elements import Attribution, Legend, Swatch, legend_html
from planner.maps.style import (
    CATEGORY_COLORS,
    COORDINATE_DECIMALS,
    GAP_COLOR,
    STATUS_COLORS,
    escape_text,
    map_text,
)
from planner.model import Town
from planner.norms import NormSet
from planner.presentation.programme import venue_state
from planner.presentation.words import (
    Lang,
    audience_label,
    district_names,
    event_category,
    facility_names,
    fmt_number,
    proposal_category,
    proposal_status,
    t,
    town_attribution,
)
from planner.programme.access import ProgrammeAccess

__all__ = [
    "EVENT_CLASSES",
    "PROPOSAL_COLORS",
    "add_proposals",
    "build_programme_map",
    "build_proposals_map",
    "event_class",
]

EVENT_CLASSES: tuple[tuple[int, str], ...] = (
    (0, STATUS_COLORS["unserved"]),
    (1, "#c7e9c0"),
    (5, "#74c476"),
    (20, "#238b45"),
    (50, "#00441b"),
)
"""(least events in reach, fill colour) of each class, ascending: none (a desert: the
coverage maps' "not served" magenta), then ColorBrewer Greens growing darker with the month's
events."""

IDLE_COLOR = "#9e9e9e"
VENUE_COLOR = CATEGORY_COLORS["culture"]
DESERT_COLOR = GAP_COLOR
PROPOSAL_COLORS: dict[str, str] = {
    "new": "#1f78b4",
    "accepted": "#33a02c",
    "rejected": "#6a6a6a",
    "done": "#ff7f00",
}
"""Marker colour of a proposal by status."""

TEXT_PREVIEW_CHARS = 160
"""How much of a proposal's text a tooltip shows (the page shows the whole of it)."""


def event_class(events: float) -> int:
    """Return the index into ``EVENT_CLASSES`` of a count of events in reach."""
    index = 0
    for position, (least, _) in enumerate(EVENT_CLASSES):
        if events >= least:
            index = position
    return index


def _class_label(index: int, labels: Lang) -> str:
    least = EVENT_CLASSES[index][0]
    if index == 0:
        return t("programme.class.none", labels)
    if index == len(EVENT_CLASSES) - 1:
        return t("programme.class.at_least", labels, least=least)
    most = EVENT_CLASSES[index + 1][0] - 1
    return t("programme.class.range", labels, least=least, most=most)


def build_programme_map(
    town: Town,
    result: ProgrammeAccess,
    *,
    audience: str = "all",
    minutes: float | None = None,
    labels: Lang = "en",
    norms: NormSet | None = None,
    proposals: gpd.GeoDataFrame | None = None,
    asset_base_url: str = STATIC_VENDOR_URL,
    online_basemap: bool = False,
) -> folium.Map:
    """Draw the programme of a month on the offline town map.

    Parameters
    ----------
    town
        The town (basemap layers, blocks, venues).
    result
        The programme access (``planner.programme.access.programme_access``).
    audience, minutes
        Which audience and walking time colour the blocks (default the shortest time).
    labels
        Interface language.
    norms
        The norm set (service labels of proposals).
    proposals
        Residents' proposals to draw (``planner.participation.summary.proposal_frame``).
    asset_base_url, online_basemap
        As for ``planner.maps.analysis.build_analysis_map``.
    """
    text = map_text(labels)
    minutes = result.minutes[0] if minutes is None else float(minutes)
    fmap = new_map(town, text, asset_base_url=asset_base_url, online_basemap=online_basemap)
    add_context_layers(fmap, town, text, labels)
    sections: list[tuple[str, list[Swatch]]] = []
    view = t(
        "programme.events_layer",
        labels,
        audience=audience_label(audience, labels),
        minutes=fmt_number(minutes, labels),
    )
    sections.append((view, _add_blocks(fmap, town, result, audience, minutes, view, labels)))
    add_line_layers(fmap, town, text, labels)
    areas = _add_deserts(fmap, town, result, audience, minutes, labels)
    venues = _add_venues(fmap, town, result, labels)
    sections.append((text["areas"], areas))
    sections.append((t("programme.venues_layer", labels), venues))
    return _finish(fmap, town, sections, labels, norms, proposals)


def _add_blocks(
    fmap: folium.Map,
    town: Town,
    result: ProgrammeAccess,
    audience: str,
    minutes: float,
    name: str,
    labels: Lang,
) -> list[Swatch]:
    frame = town.residential
    if frame.empty:
        return []
    text = map_text(labels)
    units = result.units
    part = units[(units["audience"] == audience) & (units["minutes"] == minutes)]
    part = part.set_index("unit_id").reindex(frame["id"].astype(str))
    events = part["events"].fillna(0).to_numpy()
    classes = [event_class(e) for e in events]
    districts = district_names(town, labels)
    properties: dict[str, Any] = {
        "id": frame["id"].astype(str),
        "district": [districts.get(d, d) for d in frame["district"].astype(str)],
        "residents": [fmt_number(v, labels) for v in part["residents"]],
        "events": [fmt_number(v, labels) for v in events],
        "seats": [fmt_number(v, labels, 2) for v in part["seats_per_resident"]],
        "fill": [EVENT_CLASSES[c][1] for c in classes],
    }
    group = folium.FeatureGroup(name=name)
    folium.GeoJson(
        geojson_features(frame, properties),
        name=name,
        style_function=lambda feature: {
            "color": "#6b5b45",
            "weight": 0.6,
            "fillColor": feature["properties"]["fill"],
            "fillOpacity": 0.75,
        },
        tooltip=folium.GeoJsonTooltip(
            fields=["id", "district", "residents", "events", "seats"],
            aliases=[
                text["block"],
                text["district"],
                t("programme.col.residents", labels),
                t("programme.col.events_in_reach", labels),
                t("programme.col.seats_per_resident", labels),
            ],
        ),
    ).add_to(group)
    group.add_to(fmap)
    present = sorted(set(classes))
    return [Swatch(_class_label(i, labels), EVENT_CLASSES[i][1]) for i in present]


def _add_deserts(
    fmap: folium.Map,
    town: Town,
    result: ProgrammeAccess,
    audience: str,
    minutes: float,
    labels: Lang,
) -> list[Swatch]:
    zones = result.deserts
    zones = zones[(zones["audience"] == audience) & (zones["minutes"] == minutes)]
    if zones.empty:
        return []
    name = t(
        "programme.desert_layer",
        labels,
        audience=audience_label(audience, labels),
        minutes=fmt_number(minutes, labels),
    )
    districts = district_names(town, labels)
    properties = {
        "zone": zones["zone_id"],
        "residents": [fmt_number(v, labels) for v in zones["residents"]],
        "districts": [", ".join(districts.get(d, d) for d in ids) for ids in zones["district_ids"]],
    }
    group = folium.FeatureGroup(name=name)
    folium.GeoJson(
        geojson_features(zones, properties),
        name=name,
        pane=PANE_ZONES,
        style_function=lambda _feature: {
            "color": DESERT_COLOR,
            "weight": 2.5,
            "dashArray": "5 4",
            "fillOpacity": 0.0,
        },
        tooltip=folium.GeoJsonTooltip(
            fields=["zone", "residents", "districts"],
            aliases=[
                name,
                t("programme.col.residents", labels),
                t("programme.col.district", labels),
            ],
        ),
    ).add_to(group)
    group.add_to(fmap)
    return [Swatch(name, DESERT_COLOR, "dashed")]


def _add_venues(
    fmap: folium.Map, town: Town, result: ProgrammeAccess, labels: Lang
) -> list[Swatch]:
    venues = result.venues
    if venues.empty:
        return []
    facilities = town.facilities.set_index(town.facilities["id"].astype(str))
    points = to_display_crs(
        facilities.set_geometry(facilities.geometry.representative_point())
    ).geometry
    names = facility_names(town, labels)
    largest = max(float(venues["events"].max()), 1.0)
    group = folium.FeatureGroup(name=t("programme.venues_layer", labels))
    records: list[dict[str, Any]] = venues.to_dict("records")  # type: ignore[assignment]
    for row in records:
        point = points.loc[row["facility_id"]]
        idle = bool(row["idle"])
        marker = folium.CircleMarker(
            [round(point.y, COORDINATE_DECIMALS), round(point.x, COORDINATE_DECIMALS)],
            radius=5 + 9 * math.sqrt(float(row["events"]) / largest),
            color="#222222",
            weight=1.5,
            fill=True,
            fill_color=IDLE_COLOR if idle else VENUE_COLOR,
            fill_opacity=0.9,
            popup=folium.Popup(_venue_popup(row, names, labels), max_width=320),
            tooltip=folium.Tooltip(escape_text(names.get(row["facility_id"], row["facility_id"]))),
        )
        on_pane(marker, PANE_FACILITIES).add_to(group)
    group.add_to(fmap)
    swatches = [Swatch(t("programme.idle.no", labels), VENUE_COLOR, "circle")]
    if venues["idle"].any():
        swatches.append(Swatch(t("programme.idle.yes", labels), IDLE_COLOR, "circle"))
    return swatches


def _venue_popup(row: Mapping[str, Any], names: Mapping[str, str], labels: Lang) -> str:
    fields = [(t("programme.col.events", labels), fmt_number(row["events"], labels))]
    fields += [
        (event_category(c, labels), fmt_number(row[f"events_{c}"], labels))
        for c in EVENT_CATEGORIES
        if row[f"events_{c}"]
    ]
    fields.append((t("programme.col.seats", labels), fmt_number(row["seats"], labels)))
    if row["unknown_capacity"]:
        fields.append(
            (
                t("programme.col.unknown_capacity", labels),
                fmt_number(row["unknown_capacity"], labels),
            )
        )
    state = venue_state(bool(row["idle"]), int(row["events"]), labels)
    fields.append((t("programme.col.idle", labels), state))
    cells = "".join(
        f'<tr><th class="planner-popup-key">{escape_text(k)}</th><td>{escape_text(v)}</td></tr>'
        for k, v in fields
    )
    title = escape_text(names.get(row["facility_id"], row["facility_id"]))
    return (
        f'<div class="planner-popup"><b>{title}</b>'
        f'<table class="planner-popup-table">{cells}</table></div>'
    )


def build_proposals_map(
    town: Town,
    proposals: gpd.GeoDataFrame,
    *,
    labels: Lang = "en",
    norms: NormSet | None = None,
    asset_base_url: str = STATIC_VENDOR_URL,
    online_basemap: bool = False,
) -> folium.Map:
    """Draw residents' proposals on the offline town map (the Proposals page's map).

    The blocks are drawn plain and not clickable, so a click anywhere in the town reports its
    point (where a new proposal goes).
    """
    text = map_text(labels)
    fmap = new_map(town, text, asset_base_url=asset_base_url, online_basemap=online_basemap)
    add_context_layers(fmap, town, text, labels)
    if not town.residential.empty:
        folium.GeoJson(
            geojson_features(town.residential, {}),
            name=text["units_title"],
            style_function=lambda _feature: {
                "color": "#6b5b45",
                "weight": 0.5,
                "fillColor": "#e8dcc8",
                "fillOpacity": 0.6,
            },
            interactive=False,
        ).add_to(fmap)
    add_line_layers(fmap, town, text, labels)
    return _finish(fmap, town, [], labels, norms, proposals)


def _finish(
    fmap: folium.Map,
    town: Town,
    sections: list[tuple[str, list[Swatch]]],
    labels: Lang,
    norms: NormSet | None,
    proposals: gpd.GeoDataFrame | None,
) -> folium.Map:
    """Add the proposals (if any), the layer control, the legend and the attribution; fit."""
    text = map_text(labels)
    if proposals is not None and len(proposals):
        sections.append(
            (t("proposal.layer", labels), add_proposals(fmap, proposals, labels, norms))
        )
    folium.LayerControl(collapsed=True).add_to(fmap)
    Legend(
        legend_html(
            text, services=(), status_notes=(), lines=legend_lines(town, text), sections=sections
        )
    ).add_to(fmap)
    Attribution(town_attribution(town.meta, labels)).add_to(fmap)
    fit_view(fmap, display_bounds(town))
    return fmap


def add_proposals(
    fmap: folium.Map, proposals: gpd.GeoDataFrame, labels: Lang, norms: NormSet | None
) -> list[Swatch]:
    """Draw proposals as points coloured by status; return the legend swatches of the statuses."""
    group = folium.FeatureGroup(name=t("proposal.layer", labels))
    for row in proposals.to_dict("records"):
        text = str(row["text"])
        preview = text if len(text) <= TEXT_PREVIEW_CHARS else text[: TEXT_PREVIEW_CHARS - 1] + "…"
        what = proposal_category(norms, str(row["category"]), labels)
        status = proposal_status(str(row["status"]), labels)
        votes = f"{t('proposal.col.votes', labels)}: {fmt_number(row['votes'], labels)}"
        tip = (
            f"<b>{escape_text(what)}</b> · {escape_text(status)} · {escape_text(votes)}"
            f"<br>{escape_text(preview)}"
        )
        marker = folium.CircleMarker(
            [
                round(float(row["lat"]), COORDINATE_DECIMALS),
                round(float(row["lon"]), COORDINATE_DECIMALS),
            ],
            radius=6,
            color="#ffffff",
            weight=1.5,
            fill=True,
            fill_color=PROPOSAL_COLORS.get(str(row["status"]), "#000000"),
            fill_opacity=0.95,
            tooltip=folium.Tooltip(tip),
        )
        on_pane(marker, PANE_FACILITIES).add_to(group)
    group.add_to(fmap)
    present = [s for s in PROPOSAL_COLORS if (proposals["status"] == s).any()]
    return [Swatch(proposal_status(s, labels), PROPOSAL_COLORS[s], "circle") for s in present]
