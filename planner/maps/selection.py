"""The area a planner picked from a table, outlined on the map: a gap zone or a district.

``picked_area_layer`` returns a feature group holding the outline — a dark casing under a white
line, so it reads on every coverage colour — drawn around the zone's blocks (merged, with the
gaps between neighbouring blocks closed) or along the district's boundary. It is not
interactive: the blocks under it keep their tooltips and clicks. Nothing here imports Streamlit.
"""

from __future__ import annotations

import folium
import geopandas as gpd
import shapely

from planner.analysis import TownAnalysis
from planner.maps.base import PANE_SELECTION, geojson_features
from planner.maps.style import SELECTION_STYLE, MapLabels, map_text
from planner.presentation.words import district_names

ZONE_CLOSE_M = 30.0
"""A zone's blocks are merged into one outline, closing gaps narrower than twice this (streets)."""


def picked_area_layer(
    analysis: TownAnalysis,
    *,
    zone: str | None = None,
    district: str | None = None,
    labels: MapLabels = "en",
) -> folium.FeatureGroup | None:
    """Return the outline of a gap zone (or else a district), or ``None`` if there is none.

    Parameters
    ----------
    analysis
        The analysis whose gap zones and town are drawn.
    zone
        A gap zone id (``kindergarten-gap-1``); wins over ``district``.
    district
        A district id.
    labels
        Language of the layer's name in the layer control.
    """
    text = map_text(labels)
    frame: gpd.GeoDataFrame | None = None
    name = ""
    if zone is not None:
        zones = analysis.all_gap_zones()
        rows = zones[zones["zone_id"] == zone] if not zones.empty else zones
        if len(rows):
            # Blocks merged into the area a planner reads as one zone.
            merged = shapely.buffer(
                shapely.buffer(rows.geometry.union_all(), ZONE_CLOSE_M), -ZONE_CLOSE_M
            )
            frame = gpd.GeoDataFrame(geometry=[merged], crs=zones.crs)
            name = text["selected_zone"].format(zone=zone)
    if frame is None and district is not None:
        districts = analysis.town.districts
        rows = districts[districts["id"].astype(str) == district]
        if len(rows):
            frame = gpd.GeoDataFrame(geometry=list(rows.geometry), crs=districts.crs)
            local = district_names(analysis.town, labels).get(district, district)
            name = text["selected_district"].format(district=local)
    if frame is None:
        return None
    group = folium.FeatureGroup(name=name)
    features = geojson_features(frame, {})
    casing = dict(SELECTION_STYLE, color="#000000", weight=SELECTION_STYLE["weight"] + 3)
    for style in (casing, SELECTION_STYLE):
        folium.GeoJson(
            features,
            style_function=lambda _feature, style=style: style,
            interactive=False,
            pane=PANE_SELECTION,
        ).add_to(group)
    return group
