"""How maps look and read: colours, line styles, interface text, escaping.

Pure data and small functions shared by ``planner.maps.base`` (layers) and ``planner.maps.elements``
(legend and page elements); exports and static figures can use the same colours.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from planner.presentation import catalogue
from planner.presentation.catalogue import Lang

MapLabels = Lang

CATEGORY_COLORS: dict[str, str] = {
    "education": "#1f77b4",
    "health": "#d62728",
    "culture": "#9467bd",
    "sport": "#2ca02c",
}
"""Fill colour of facility markers by norm category (Tableau 10 hues)."""

OTHER_CATEGORY_COLOR = "#7f7f7f"
"""Markers of services the norm set does not know (or when no norm set is given)."""

CLOSED_FACILITY_COLOR = "#bdbdbd"

COORDINATE_DECIMALS = 6
"""Lon/lat decimals kept in the map (1e-6 deg is about 0.1 m): smaller pages, no visible change."""


@dataclass(frozen=True, slots=True)
class LineStyle:
    """How a line is drawn: colour, width in pixels and an SVG dash pattern (``None``: solid)."""

    color: str
    weight_px: float
    dash: str | None = None


STREET_STYLES: dict[str, LineStyle] = {
    "motorway": LineStyle("#e15759", 5),
    "trunk": LineStyle("#e15759", 5),
    "primary": LineStyle("#f28e2b", 4.5),
    "secondary": LineStyle("#f1b04c", 4),
    "tertiary": LineStyle("#f7d070", 3.5),
    "residential": LineStyle("#ffffff", 3),
    "unclassified": LineStyle("#ffffff", 3),
    "living_street": LineStyle("#ffffff", 3),
    "service": LineStyle("#ffffff", 2),
    "pedestrian": LineStyle("#c9a27e", 2.5),
    "footway": LineStyle("#8c6d4f", 1.5, "4 3"),
    "path": LineStyle("#8c6d4f", 1.5, "4 3"),
    "cycleway": LineStyle("#4e79a7", 1.5, "4 3"),
    "steps": LineStyle("#8c6d4f", 2, "1 3"),
    "crossing": LineStyle("#8c6d4f", 2, "2 2"),
}
"""Street styles by ``kind`` (OSM highway values); other kinds are drawn as ``DEFAULT_STREET``."""

DEFAULT_STREET = LineStyle("#ffffff", 2.5)
BRIDGE_STYLE = LineStyle("#111111", 6)
"""Bridges stand out (black, wide): they are where the river and railway can be crossed."""

WATER_COLOR = "#6baed6"
RAIL_STYLE = LineStyle("#3d3d3d", 3, "10 5")
BOUNDARY_COLOR = "#333333"

STATUS_COLORS: dict[str, str] = {
    # Capacity-aware provision (services with a demand rule).
    "within_norm": "#1a9850",
    "beyond_norm": "#fee08b",
    "partly_unserved": "#fc8d59",
    "unserved": "#d73027",
    "no_demand": "#e0e0e0",
    # Distance only (services without a demand rule) and the radius view.
    "within_walk": "#1a9850",
    "beyond_walk": "#d73027",
    "within_radius": "#1a9850",
    "beyond_radius": "#d73027",
    # Radius against walk: the cut-off blocks stand out, the agreeing ones stay quiet.
    "both": "#b8e186",
    "cut_off": "#c51b7d",
    "walk_only": "#92c5de",
    "neither": "#d9d9d9",
    # All services at once: share of services reached within the norm.
    "all": "#1a9850",
    "most": "#a6d96a",
    "some": "#fdae61",
    "none": "#d73027",
    "cut_off_any": "#c51b7d",
    "no_cut_off": "#d9d9d9",
}
"""Fill colour of residential blocks by coverage class (ColorBrewer RdYlGn / PiYG hues).

Keys are ``status.*`` keys of ``planner.presentation.catalogue``; the legend lists only the
classes drawn."""

LOAD_CLASSES: tuple[tuple[float, str, str], ...] = (
    (0.7, "low", "#1a9850"),
    (0.999, "high", "#fdae61"),
    (float("inf"), "full", "#d73027"),
)
"""Facility fill by load share: (upper bound, ``load.*`` key, colour); ``full`` from 99.9 %."""

LOAD_UNKNOWN_COLOR = "#9e9e9e"
CATCHMENT_COLOR = "#3182bd"
RADIUS_COLOR = "#6a51a3"
GAP_COLOR = "#b2182b"


def map_text(labels: MapLabels) -> Mapping[str, str]:
    """Return the map's interface strings (layer names, legend, popup fields) in a language."""
    return catalogue.map_text(labels)


def escape_text(value: object) -> str:
    """Return ``value`` as text that is safe inside folium's HTML and JavaScript templates.

    ``html.escape`` neutralises tags and quotes; backticks, ``$`` and backslashes become
    character references too, because folium inserts popup and tooltip HTML into JavaScript
    template literals, where they would end the string or start an expression.

    Examples
    --------
    >>> escape_text("<img src=x onerror=alert(1)>")
    '&lt;img src=x onerror=alert(1)&gt;'
    >>> escape_text("`${x}`")
    '&#96;&#36;{x}&#96;'
    """
    text = html.escape(str(value), quote=True)
    return text.replace("\\", "&#92;").replace("`", "&#96;").replace("$", "&#36;")


def is_bridge(kind: str) -> bool:
    """Return whether a street ``kind`` is a bridge (``bridge``, ``footway_bridge``, ...)."""
    return "bridge" in kind.lower()


def street_style(kind: str) -> LineStyle:
    """Return the style of a street ``kind``: bridges first, then ``STREET_STYLES``."""
    if is_bridge(kind):
        return BRIDGE_STYLE
    return STREET_STYLES.get(kind.lower(), DEFAULT_STREET)


def line_style_options(style: LineStyle) -> dict[str, Any]:
    """Return Leaflet path options (``color``, ``weight``, ``dashArray``) for a line style."""
    result: dict[str, Any] = {"color": style.color, "weight": style.weight_px, "opacity": 0.95}
    if style.dash:
        result["dashArray"] = style.dash
    return result


def load_class(share: float | None) -> tuple[str, str]:
    """Return the ``load.*`` class key and colour of a facility's load share (NaN: unknown).

    Examples
    --------
    >>> load_class(0.5), load_class(0.85), load_class(1.0), load_class(float("nan"))
    (('low', '#1a9850'), ('high', '#fdae61'), ('full', '#d73027'), ('unknown', '#9e9e9e'))
    """
    if share is None or math.isnan(share):
        return "unknown", LOAD_UNKNOWN_COLOR
    for upper, key, color in LOAD_CLASSES:
        if share < upper:
            return key, color
    return LOAD_CLASSES[-1][1], LOAD_CLASSES[-1][2]
