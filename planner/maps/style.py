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

# Palettes. Each colour means one thing on the map: block fills (coverage), facility fills
# (category on the all-services map, load on a one-service map) and line colours (streets,
# water, rail, areas) draw from separate families, so green never means "served" on a block
# and "low load" on a marker. Sources, all designed to stay distinguishable with the common
# colour-vision deficiencies:
# - ColorBrewer 2.0 (Cynthia Brewer, colorbrewer2.org, Apache-2.0): PiYG, PRGn, Blues, Reds,
#   Purples, Oranges, Greys, BrBG;
# - Okabe & Ito, "Color Universal Design" (2008), jfly.uni-koeln.de/color/: the line accents.

CATEGORY_SHADES: dict[str, tuple[str, ...]] = {
    # ColorBrewer Blues 9 (darkest five, strongest first).
    "education": ("#08519c", "#2171b5", "#4292c6", "#6baed6", "#08306b", "#9ecae1"),
    # ColorBrewer Reds 9.
    "health": ("#cb181d", "#a50f15", "#ef3b2c", "#fb6a4a", "#67000d", "#fc9272"),
    # ColorBrewer Purples 9.
    "culture": ("#6a51a3", "#54278f", "#807dba", "#9e9ac8", "#3f007d", "#bcbddc"),
    # ColorBrewer Oranges 9.
    "sport": ("#d94801", "#a63603", "#f16913", "#fd8d3c", "#7f2704", "#fdae6b"),
}
"""Marker fills by norm category: one hue family each, a shade per service within it."""

CATEGORY_COLORS: dict[str, str] = {key: shades[0] for key, shades in CATEGORY_SHADES.items()}
"""The family colour of each category (its first shade)."""

OTHER_CATEGORY_COLOR = "#737373"
"""Markers of services the norm set does not know (or when no norm set is given)."""

CLOSED_FACILITY_COLOR = "#ffffff"
"""A closed facility is drawn hollow (white, grey outline) whatever its service."""

COORDINATE_DECIMALS = 6
"""Lon/lat decimals kept in the map (1e-6 deg is about 0.1 m): smaller pages, no visible change."""


@dataclass(frozen=True, slots=True)
class LineStyle:
    """How a line is drawn: colour, width in pixels and an SVG dash pattern (``None``: solid)."""

    color: str
    weight_px: float
    dash: str | None = None


STREET_COLOR = "#ffffff"
PATH_COLOR = "#8c6d4f"
"""Streets are white, drawn wider the more important they are (as on a printed town plan):
road class is told by width, so no hue competes with the coverage colours underneath."""

STREET_STYLES: dict[str, LineStyle] = {
    "motorway": LineStyle(STREET_COLOR, 7),
    "trunk": LineStyle(STREET_COLOR, 7),
    "primary": LineStyle(STREET_COLOR, 6),
    "secondary": LineStyle(STREET_COLOR, 5),
    "tertiary": LineStyle(STREET_COLOR, 4.5),
    "residential": LineStyle(STREET_COLOR, 3),
    "unclassified": LineStyle(STREET_COLOR, 3),
    "living_street": LineStyle(STREET_COLOR, 3),
    "service": LineStyle(STREET_COLOR, 2),
    "pedestrian": LineStyle(STREET_COLOR, 2.5),
    "footway": LineStyle(PATH_COLOR, 1.5, "4 3"),
    "path": LineStyle(PATH_COLOR, 1.5, "4 3"),
    "cycleway": LineStyle(PATH_COLOR, 1.5, "4 3"),
    "steps": LineStyle(PATH_COLOR, 2, "1 3"),
    "crossing": LineStyle(PATH_COLOR, 2, "2 2"),
}
"""Street styles by ``kind`` (OSM highway values); other kinds are drawn as ``DEFAULT_STREET``."""

DEFAULT_STREET = LineStyle(STREET_COLOR, 2.5)
BRIDGE_STYLE = LineStyle("#3d2b1f", 8)
"""Bridges stand out (dark, widest): they are where the river and railway can be crossed."""

MAP_BACKGROUND = "#f2efe9"
"""The paper colour behind the town's layers (OpenStreetMap Carto's land colour): no grey void
when no tiles are loaded."""


WATER_COLOR = "#8cb8d9"
RAIL_STYLE = LineStyle("#4d4d4d", 3, "10 5")
BOUNDARY_COLOR = "#333333"

STATUS_COLORS: dict[str, str] = {
    # Capacity-aware provision (services with a demand rule): ColorBrewer PiYG, green is
    # served, magenta is not (PiYG instead of red-green: readable with deuteranopia).
    "within_norm": "#4dac26",
    "beyond_norm": "#b8e186",
    "partly_unserved": "#f1b6da",
    "unserved": "#d01c8b",
    "no_demand": "#f7f7f7",
    # Distance only (services without a demand rule) and the radius view.
    "within_walk": "#4dac26",
    "beyond_walk": "#d01c8b",
    "within_radius": "#4dac26",
    "beyond_radius": "#d01c8b",
    # Radius against walk (ColorBrewer PRGn): the cut-off blocks stand out, the rest stay quiet.
    "both": "#d9f0d3",
    "cut_off": "#762a83",
    "walk_only": "#a6dba0",
    "neither": "#e7d4e8",
    # All services at once: share of services reached within the norm (PiYG, 4 classes).
    "all": "#4dac26",
    "most": "#b8e186",
    "some": "#f1b6da",
    "none": "#d01c8b",
    "cut_off_any": "#762a83",
    "no_cut_off": "#f7f7f7",
}
"""Fill colour of residential blocks by coverage class.

Keys are ``status.*`` keys of ``planner.presentation.catalogue``; the legend lists only the
classes drawn. One class key, one colour; the same colour is reused only for the same meaning
in another view (served within the walk is served within the norm's distance)."""

FULL_LOAD_SHARE = 0.999
"""A facility is full from this load share: every place taken (to solver rounding)."""

LOAD_CLASSES: tuple[tuple[float, str, str], ...] = (
    (0.7, "low", "#f0f0f0"),
    (FULL_LOAD_SHARE, "high", "#969696"),
    (float("inf"), "full", "#252525"),
)
"""Facility fill by load share (ColorBrewer Greys): (upper bound, ``load.*`` key, colour);
``full`` from 99.9 % (every place taken). Grey, so a load is never read as a coverage class."""

LOAD_UNKNOWN_COLOR = "#ffffff"
CATCHMENT_COLOR = "#0072b2"
"""Okabe-Ito blue: the walking catchments' outline."""
RADIUS_COLOR = "#e69f00"
"""Okabe-Ito orange: the normative radius circles (dashed)."""
GAP_COLOR = "#8e0152"
"""PiYG's darkest magenta: gap zones are where blocks are unserved, so they share its hue."""

GAP_HATCH_ID = "planner-gap-hatch"
"""Id of the SVG pattern (``elements.PlannerStyles``) gap zones are filled with."""

GAP_ZONE_STYLE: dict[str, Any] = {
    "color": GAP_COLOR,
    "weight": 1.2,
    "opacity": 0.8,
    "fillColor": f"url(#{GAP_HATCH_ID})",
    "fillOpacity": 1.0,
}
"""Gap zones: a hatched fill (the coverage colours show between the strokes) and a thin outline.
The layer is not interactive (``interactive: false``), so the blocks' tooltips stay reachable."""


SELECTION_STYLE: dict[str, Any] = {
    "color": "#ffffff",
    "weight": 3,
    "opacity": 1.0,
    "fill": False,
}
"""The outline of a zone or district picked from a table: white over a black casing, which
reads on every fill colour and is used for nothing else."""


def service_colors(categories: Mapping[str, str]) -> dict[str, str]:
    """Return a marker colour per service: its category's family, a shade per service.

    Parameters
    ----------
    categories
        Service key to norm category, in drawing order.

    Examples
    --------
    >>> service_colors({"kindergarten": "education", "school": "education", "x": "other"})
    {'kindergarten': '#08519c', 'school': '#2171b5', 'x': '#737373'}
    """
    seen: dict[str, int] = {}
    colors: dict[str, str] = {}
    for key, category in categories.items():
        shades = CATEGORY_SHADES.get(category)
        if shades is None:
            colors[key] = OTHER_CATEGORY_COLOR
            continue
        index = seen.get(category, 0)
        seen[category] = index + 1
        colors[key] = shades[index % len(shades)]
    return colors


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
    (('low', '#f0f0f0'), ('high', '#969696'), ('full', '#252525'), ('unknown', '#ffffff'))
    """
    if share is None or math.isnan(share):
        return "unknown", LOAD_UNKNOWN_COLOR
    for upper, key, color in LOAD_CLASSES:
        if share < upper:
            return key, color
    return LOAD_CLASSES[-1][1], LOAD_CLASSES[-1][2]
